#include "query/exec/physical_aggregate.h"

#include <algorithm>

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {

PhysicalAggregate::PhysicalAggregate(ExecContext& ctx, const plan::LogicalAggregate& op,
                                     int num_slots, PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), num_slots_(num_slots), child_(std::move(child)) {}

PhysicalAggregate::Accumulators PhysicalAggregate::NewAccumulators() const {
  Accumulators out;
  for (const auto* agg : op_.aggregates) {
    out.push_back(functions::MakeAccumulator(agg->kind, agg->distinct));
  }
  return out;
}

namespace {

// A value that equals another exactly when the entities are the same node (by key) or the same
// relationship (by src, type, dst, seq). The leading byte 0x01 keeps it apart from the strings
// a query would produce.
Value IdentityValue(const Entity& e) {
  std::string id(1, '\x01');
  if (const auto* n = std::get_if<NodeRef>(&e)) {
    id.push_back('n');
    id.append(reinterpret_cast<const char*>(&n->key), sizeof(n->key));
  } else {
    const storage::EdgeRecord& r = *std::get<EdgePtr>(e);
    id.push_back('e');
    id.append(reinterpret_cast<const char*>(&r.src), sizeof(r.src));
    id.append(reinterpret_cast<const char*>(&r.type), sizeof(r.type));
    id.append(reinterpret_cast<const char*>(&r.dst), sizeof(r.dst));
    id.append(reinterpret_cast<const char*>(&r.seq), sizeof(r.seq));
  }
  return Value(std::move(id));
}

}  // namespace

Status PhysicalAggregate::Consume() {
  // Only count(*) without keys: the number of input rows is the whole result; the child counts
  // them (without building them where it can, e.g. a last hop summing degrees).
  const bool count_only =
      op_.key_slots.empty() && !op_.aggregates.empty() &&
      std::all_of(op_.aggregates.begin(), op_.aggregates.end(), [](const auto* agg) {
        return agg->kind == functions::AggregateKind::kCountStar && agg->arg == nullptr;
      });
  if (count_only) {
    KG_ASSIGN_OR_RETURN(const uint64_t n, child_->CountRows());
    row_count_ = static_cast<int64_t>(n);
    groups_.emplace(std::vector<Entity>{}, Accumulators{});
    return Status::OK();
  }
  Row row;
  // Without keys every row folds into the one group: no key to build or look up per row.
  auto only = groups_.end();
  if (op_.key_slots.empty()) only = groups_.emplace(std::vector<Entity>{}, NewAccumulators()).first;
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(&row));
    if (!more) break;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    auto it = only;
    if (it == groups_.end()) {
      std::vector<Entity> key;
      key.reserve(op_.key_slots.size());
      for (int slot : op_.key_slots) key.push_back(row[static_cast<size_t>(slot)]);
      it = groups_.find(key);
      if (it == groups_.end()) it = groups_.emplace(std::move(key), NewAccumulators()).first;
    }
    for (size_t i = 0; i < op_.aggregates.size(); ++i) {
      const bind::BoundAggregate& agg = *op_.aggregates[i];
      Value v;
      if (agg.arg != nullptr) {
        KG_ASSIGN_OR_RETURN(Entity e, EvaluateEntity(*agg.arg, row, ctx_));
        // count(n) of a node or relationship needs no conversion to a map.
        const bool is_value = std::holds_alternative<Value>(e) || e.index() == 0;
        if (agg.kind == functions::AggregateKind::kCount && !agg.distinct && !is_value) {
          v = Value(true);
        } else if (agg.kind == functions::AggregateKind::kCount && !is_value && e.index() != 3) {
          // count(DISTINCT n) of a node or relationship counts identities: a short key instead
          // of the entity's map (which holds its identity too, but copying every property of
          // every row made the agent workload's fan-in ranking twice as slow).
          v = IdentityValue(e);
        } else {
          KG_ASSIGN_OR_RETURN(v, ctx_.ToValue(e));
        }
      }
      Status s = it->second[i]->Add(v);
      if (!s.ok()) {
        return Status::SyntaxError(s.message() + " in '" + agg.text + "'",
                                   agg.arg != nullptr ? agg.arg->pos : TextPosition{});
      }
    }
  }
  return Status::OK();
}

Result<bool> PhysicalAggregate::Next(Row* row) {
  if (!consumed_) {
    KG_RETURN_IF_ERROR(Consume());
    consumed_ = true;
    next_ = groups_.begin();
  }
  if (next_ == groups_.end()) return false;
  row->assign(static_cast<size_t>(num_slots_), Entity());
  for (size_t i = 0; i < op_.key_slots.size(); ++i) {
    (*row)[static_cast<size_t>(op_.key_slots[i])] = next_->first[i];
  }
  for (size_t i = 0; i < op_.aggregates.size(); ++i) {
    (*row)[static_cast<size_t>(op_.aggregates[i]->slot)] =
        row_count_ ? Value(*row_count_) : next_->second[i]->Finish();
  }
  ++next_;
  return true;
}

}  // namespace kg::query::exec
