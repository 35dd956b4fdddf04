#include "query/exec/pattern_matcher.h"

#include <algorithm>

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {
namespace {

using bind::BoundPatternPredicate;

class Matcher {
 public:
  Matcher(const BoundPatternPredicate& p, const Row& row, ExecContext& ctx)
      : p_(p), row_(row), ctx_(ctx), keys_(p.nodes.size()) {}

  Result<std::optional<bool>> Run() {
    // Property values are evaluated once per row.
    node_values_.resize(p_.nodes.size());
    for (size_t i = 0; i < p_.nodes.size(); ++i) {
      for (const auto& [key, expr] : p_.nodes[i].properties) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*expr, row_, ctx_));
        node_values_[i].push_back(std::move(v));
      }
    }
    rel_values_.resize(p_.rels.size());
    for (size_t i = 0; i < p_.rels.size(); ++i) {
      for (const auto& [key, expr] : p_.rels[i].properties) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*expr, row_, ctx_));
        rel_values_[i].push_back(std::move(v));
      }
    }
    size_t anchor = p_.nodes.size();
    for (size_t i = 0; i < p_.nodes.size(); ++i) {
      if (p_.nodes[i].slot < 0) continue;
      const Entity& e = row_[static_cast<size_t>(p_.nodes[i].slot)];
      if (e.index() == 0 || (e.index() == 4 && std::get<Value>(e).is_null())) {
        return std::optional<bool>();
      }
      KG_ASSIGN_OR_RETURN(std::optional<storage::NodeKey> key, ctx_.NodeKeyOf(e));
      if (!key) return std::optional<bool>(false);  // not a stored node
      keys_[i] = *key;
      if (anchor == p_.nodes.size()) anchor = i;
    }
    // Steps: right from the anchor, then left from it.
    const size_t start = anchor == p_.nodes.size() ? 0 : anchor;
    for (size_t i = start; i + 1 < p_.nodes.size(); ++i) steps_.push_back({i, i + 1, i, true});
    for (size_t i = start; i > 0; --i) steps_.push_back({i, i - 1, i - 1, false});
    if (anchor != p_.nodes.size()) {
      KG_ASSIGN_OR_RETURN(bool ok, NodeAllowed(start, *keys_[start]));
      if (!ok) return std::optional<bool>(false);
      KG_ASSIGN_OR_RETURN(bool found, Step(0));
      return std::optional<bool>(found);
    }
    // Nothing bound: try every candidate of the first node.
    std::unique_ptr<storage::NodeCursor> cursor;
    const auto& labels = p_.nodes[0].labels;
    if (!labels.empty() && labels[0].size() == 1) {
      cursor = ctx_.snapshot().ScanLabel(labels[0][0]);
    } else if (!labels.empty() && labels[0].empty()) {
      return std::optional<bool>(false);  // unknown label
    } else {
      cursor = ctx_.snapshot().ScanAll();
    }
    storage::NodeKey key = 0;
    while (cursor->Next(&key)) {
      KG_RETURN_IF_ERROR(ctx_.Tick());
      if (ctx_.stopped()) break;
      KG_ASSIGN_OR_RETURN(bool ok, NodeAllowed(0, key));
      if (!ok) continue;
      keys_[0] = key;
      KG_ASSIGN_OR_RETURN(bool found, Step(0));
      if (found) return std::optional<bool>(true);
    }
    KG_RETURN_IF_ERROR(cursor->status());
    keys_[0].reset();
    return std::optional<bool>(false);
  }

 private:
  struct StepInfo {
    size_t from;
    size_t to;
    size_t rel;
    bool forward;
  };

  Result<bool> NodeAllowed(size_t index, storage::NodeKey key) {
    const bind::PredicateNode& n = p_.nodes[index];
    if (!n.labels.empty()) {
      KG_ASSIGN_OR_RETURN(const std::vector<storage::LabelId>* labels, ctx_.NodeLabels(key));
      for (const auto& group : n.labels) {
        bool any = false;
        for (auto id : group) {
          any = any || std::find(labels->begin(), labels->end(), id) != labels->end();
        }
        if (!any) return false;
      }
    }
    for (size_t i = 0; i < n.properties.size(); ++i) {
      KG_ASSIGN_OR_RETURN(Value v, ctx_.NodeProperty(key, n.properties[i].first));
      std::optional<bool> eq = ValuesEqual(v, node_values_[index][i]);
      if (!eq || !*eq) return false;
    }
    return true;
  }

  bool EdgeAllowed(size_t rel, const storage::EdgeRecord& edge) {
    const bind::PredicateRel& r = p_.rels[rel];
    if (r.slot >= 0) {
      const EdgePtr* bound = std::get_if<EdgePtr>(&row_[static_cast<size_t>(r.slot)]);
      if (bound == nullptr || !SameEdge(**bound, edge)) return false;
    }
    for (size_t i = 0; i < r.properties.size(); ++i) {
      auto it = edge.props.find(r.properties[i].first);
      if (it == edge.props.end()) return false;
      std::optional<bool> eq = ValuesEqual(it->second, rel_values_[rel][i]);
      if (!eq || !*eq) return false;
    }
    for (const auto& used : used_) {
      if (SameEdge(used, edge)) return false;
    }
    return true;
  }

  // Reached node `key` at the end of step `s`'s relationship.
  Result<bool> Arrive(size_t s, storage::NodeKey key) {
    const StepInfo& st = steps_[s];
    if (keys_[st.to]) {
      if (*keys_[st.to] != key) return false;
      return Step(s + 1);
    }
    KG_ASSIGN_OR_RETURN(bool ok, NodeAllowed(st.to, key));
    if (!ok) return false;
    keys_[st.to] = key;
    KG_ASSIGN_OR_RETURN(bool found, Step(s + 1));
    keys_[st.to].reset();
    return found;
  }

  Result<bool> Walk(size_t s, storage::NodeKey node, int64_t depth) {
    const StepInfo& st = steps_[s];
    const bind::PredicateRel& r = p_.rels[st.rel];
    if (depth >= r.min_hops) {
      KG_ASSIGN_OR_RETURN(bool found, Arrive(s, node));
      if (found) return true;
    }
    if (depth >= r.max_hops) return false;
    storage::Direction dir = storage::Direction::kBoth;
    if (r.direction == ast::RelDirection::kRight) {
      dir = st.forward ? storage::Direction::kOut : storage::Direction::kIn;
    } else if (r.direction == ast::RelDirection::kLeft) {
      dir = st.forward ? storage::Direction::kIn : storage::Direction::kOut;
    }
    std::vector<std::optional<storage::EdgeTypeId>> types;
    if (r.any_type) {
      types.push_back(std::nullopt);
    } else {
      for (auto t : r.types) types.push_back(t);
    }
    const bool need_props = !r.properties.empty() || r.slot >= 0;
    for (const auto& type : types) {
      auto cursor = need_props ? ctx_.snapshot().Expand(node, dir, type)
                               : ctx_.snapshot().ExpandKeys(node, dir, type);
      storage::EdgeRecord edge;
      while (cursor->Next(&edge)) {
        if (!ctx_.CountEdge()) return false;
        KG_RETURN_IF_ERROR(ctx_.Tick());
        if (!EdgeAllowed(st.rel, edge)) continue;
        const storage::NodeKey next = edge.src == node ? edge.dst : edge.src;
        used_.push_back(edge);
        auto found = Walk(s, next, depth + 1);
        used_.pop_back();
        if (!found.ok()) return found.status();
        if (*found) return true;
      }
      KG_RETURN_IF_ERROR(cursor->status());
    }
    return false;
  }

  Result<bool> Step(size_t s) {
    if (s == steps_.size()) return true;
    if (ctx_.stopped()) return false;
    // A fixed-length relationship has min_hops = max_hops = 1.
    return Walk(s, *keys_[steps_[s].from], 0);
  }

  const BoundPatternPredicate& p_;
  const Row& row_;
  ExecContext& ctx_;
  std::vector<std::optional<storage::NodeKey>> keys_;
  std::vector<std::vector<Value>> node_values_;
  std::vector<std::vector<Value>> rel_values_;
  std::vector<StepInfo> steps_;
  std::vector<storage::EdgeRecord> used_;  // edges of the current match (no edge twice)
};

}  // namespace

// The node of `p` the fast path starts from: p is (x)-[:T]-(y) with exactly one of x, y bound
// by the query and the other without labels or properties, one fixed-length relationship
// without variable or properties, and at most one type. Such a pattern matches exactly when the
// bound node has a visible edge of the type in the pattern's direction (the other end may be
// any node, the bound one included). -1 when the pattern has another shape.
int DegreeAnchor(const BoundPatternPredicate& p) {
  if (p.nodes.size() != 2 || p.rels.size() != 1) return -1;
  const bind::PredicateRel& r = p.rels[0];
  if (r.slot >= 0 || !r.properties.empty() || r.var_length || r.min_hops != 1 || r.max_hops != 1 ||
      (!r.any_type && r.types.size() != 1)) {
    return -1;
  }
  const bool first = p.nodes[0].slot >= 0, second = p.nodes[1].slot >= 0;
  if (first == second) return -1;
  const bind::PredicateNode& other = p.nodes[first ? 1 : 0];
  if (!other.labels.empty() || !other.properties.empty()) return -1;
  const bind::PredicateNode& bound = p.nodes[first ? 0 : 1];
  if (!bound.labels.empty() || !bound.properties.empty()) return -1;
  return first ? 0 : 1;
}

Result<std::optional<bool>> MatchPatternPredicate(const BoundPatternPredicate& pattern,
                                                  const Row& row, ExecContext& ctx) {
  const int anchor = DegreeAnchor(pattern);
  if (anchor < 0) return Matcher(pattern, row, ctx).Run();
  const Entity& e = row[static_cast<size_t>(pattern.nodes[static_cast<size_t>(anchor)].slot)];
  if (e.index() == 0 || (e.index() == 4 && std::get<Value>(e).is_null())) {
    return std::optional<bool>();
  }
  KG_ASSIGN_OR_RETURN(std::optional<storage::NodeKey> key, ctx.NodeKeyOf(e));
  if (!key) return std::optional<bool>(false);  // not a stored node
  const bind::PredicateRel& r = pattern.rels[0];
  // Walking from node `anchor`: a right-pointing relationship leaves node 0 and enters node 1.
  storage::Direction dir = storage::Direction::kBoth;
  if (r.direction == ast::RelDirection::kRight) {
    dir = anchor == 0 ? storage::Direction::kOut : storage::Direction::kIn;
  } else if (r.direction == ast::RelDirection::kLeft) {
    dir = anchor == 0 ? storage::Direction::kIn : storage::Direction::kOut;
  }
  std::optional<storage::EdgeTypeId> type;
  if (!r.any_type) type = r.types[0];
  KG_ASSIGN_OR_RETURN(bool any, ctx.HasEdge(*key, dir, type));
  // As the walk: the first edge found is the one visited edge.
  if (any && !ctx.CountEdge()) return std::optional<bool>(false);
  return std::optional<bool>(any);
}

}  // namespace kg::query::exec
