#include "query/exec/physical_create.h"

#include <atomic>
#include <chrono>

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {
namespace {

std::string NewNodeId() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t epoch = static_cast<uint64_t>(
      std::chrono::system_clock::now().time_since_epoch() / std::chrono::microseconds(1));
  return kCreatedIdPrefix + std::to_string(epoch) + "_" + std::to_string(counter.fetch_add(1));
}

bool Storable(const Value& v) {
  if (v.is_list()) {
    for (const auto& x : v.as_list()) {
      if (!Storable(x)) return false;
    }
    return true;
  }
  if (v.is_map()) return false;
  return true;
}

}  // namespace

Status PhysicalCreate::CreateAll() {
  const bind::BoundCreate& create = *op_.create;
  storage::FactBatch batch;
  Row input;
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input));
    if (!more) break;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    Row row = input;
    std::vector<std::string> ids(create.nodes.size());
    for (size_t i = 0; i < create.nodes.size(); ++i) {
      const bind::CreateNode& n = create.nodes[i];
      const Entity& bound = row[static_cast<size_t>(n.slot)];
      if (!n.create) {
        if (const NodeRef* ref = std::get_if<NodeRef>(&bound)) {
          KG_ASSIGN_OR_RETURN(const storage::NodeRecord* record, ctx_.GetNode(ref->key));
          ids[i] = record->id;
        } else if (const Value* v = std::get_if<Value>(&bound);
                   v != nullptr && v->is_map() && v->as_map().count("_id") > 0 &&
                   v->as_map().find("_id")->second.is_string()) {
          ids[i] = v->as_map().find("_id")->second.as_string();
        } else {
          return Status::InvalidArgument("CREATE: a relationship endpoint is not a node");
        }
        continue;
      }
      storage::NodeFact fact;
      fact.id = NewNodeId();
      fact.labels = n.labels;
      ValueMap map;
      for (const auto& [key, expr] : n.properties) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*expr, row, ctx_));
        if (v.is_null()) continue;
        if (!Storable(v)) {
          return Status::InvalidArgument("CREATE: property '" + key + "' cannot hold " +
                                         v.DebugString());
        }
        fact.props[key == "id" ? kUserIdProperty : key] = v;
        map[key] = std::move(v);
      }
      ValueList labels;
      for (const auto& l : n.labels) labels.emplace_back(l);
      map["_id"] = fact.id;
      map["_labels"] = Value(std::move(labels));
      ids[i] = fact.id;
      row[static_cast<size_t>(n.slot)] = Entity(Value(std::move(map)));
      batch.nodes.push_back(std::move(fact));
    }
    for (const bind::CreateRel& r : create.rels) {
      storage::EdgeFact fact;
      fact.src_id = ids[static_cast<size_t>(r.src)];
      fact.dst_id = ids[static_cast<size_t>(r.dst)];
      fact.type = r.type;
      ValueMap map;
      for (const auto& [key, expr] : r.properties) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*expr, row, ctx_));
        if (v.is_null()) continue;
        if (!Storable(v)) {
          return Status::InvalidArgument("CREATE: property '" + key + "' cannot hold " +
                                         v.DebugString());
        }
        fact.props[key] = v;
        map[key] = std::move(v);
      }
      map["_type"] = fact.type;
      map["_src"] = fact.src_id;
      map["_dst"] = fact.dst_id;
      row[static_cast<size_t>(r.slot)] = Entity(Value(std::move(map)));
      batch.edges.push_back(std::move(fact));
    }
    rows_.push_back(std::move(row));
  }
  if (batch.nodes.empty() && batch.edges.empty()) return Status::OK();
  return ctx_.store().ApplyBatch(ctx_.snapshot().graph_name(), batch);
}

Result<bool> PhysicalCreate::Next(Row* row) {
  if (!done_) {
    done_ = true;
    KG_RETURN_IF_ERROR(CreateAll());
  }
  if (next_ >= rows_.size()) return false;
  *row = std::move(rows_[next_++]);
  return true;
}

}  // namespace kg::query::exec
