#pragma once
// bind::BoundExpr: an expression whose names are resolved.
//
// Variables are row slots (kSlot), parameters are constants, labels are label ids, functions
// point into the function registry, aggregate calls were replaced by kSlot references to the
// slot where the aggregate operator stores their value. Evaluated by exec/expression_evaluator.
// `text` is the canonical rendering (ast::Expr::ToString) used by EXPLAIN.
// Thread-safety: immutable after binding; may be read from any thread.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/value.h"
#include "query/ast/expression.h"
#include "query/ast/query.h"
#include "query/functions/function_registry.h"
#include "storage/graph_store.h"

namespace kg::query::bind {

enum class BoundExprKind : uint8_t {
  kConstant,   // constant
  kSlot,       // the entity or value in row slot `slot`
  kProperty,   // children[0].key
  kIndex,      // children[0][children[1]]
  kHasLabels,  // children[0] has every group of label_groups (a group: any of its ids)
  kList,       // [children...]
  kMap,        // {map_keys[i]: children[i]}
  kFunction,   // function(children...)
  kNot,
  kNegate,
  kBinary,  // children[0] op children[1]
  kIsNull,
  kIsNotNull,
  kCase,  // as ast::ExprKind::kCase (children [subject], when/then pairs, [else])
  // [x IN children[0] [WHERE children[1]] [| children[last]]]: x is the local slot `slot`.
  kListComprehension,
  // key(x IN children[0] WHERE children[1]), key in {"any", "all", "none", "single"}; x = slot.
  kQuantifier,
  // `pattern` matches at least once from the row (true/false).
  kPatternPredicate,
  // children[0] {map_keys[i]: children[i + 1]}, all properties of children[0] first if map_all.
  kMapProjection,
  // The path of a MATCH pattern: children are slot references node, rel, node, ... in pattern
  // order (a rel slot may hold a variable-length list). Value: {"_nodes": [...],
  // "_relationships": [...]}.
  kPath,
};

// Conjunction of alternations of label ids. An empty alternation never matches (every name in
// it was unknown to the store).
using LabelIdGroups = std::vector<std::vector<storage::LabelId>>;

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

// A pattern used as a predicate. Node i is pinned to `slot` when bound by the query (else -1,
// anonymous); rels[i] joins nodes[i] and nodes[i + 1], `direction` as written.
struct PredicateNode {
  int slot = -1;
  LabelIdGroups labels;
  std::vector<std::pair<std::string, BoundExprPtr>> properties;
};
struct PredicateRel {
  int slot = -1;  // a relationship bound by the query: only that edge matches
  std::vector<storage::EdgeTypeId> types;
  bool any_type = true;
  ast::RelDirection direction = ast::RelDirection::kBoth;
  bool var_length = false;
  int64_t min_hops = 1;
  int64_t max_hops = 1;
  std::vector<std::pair<std::string, BoundExprPtr>> properties;
};
struct BoundPatternPredicate {
  std::vector<PredicateNode> nodes;
  std::vector<PredicateRel> rels;
};

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  TextPosition pos;
  std::string text;

  Value constant;                                        // kConstant
  int slot = -1;                                         // kSlot
  std::string key;                                       // kProperty
  ast::BinaryOp op = ast::BinaryOp::kEq;                 // kBinary
  const functions::ScalarFunction* function = nullptr;   // kFunction
  LabelIdGroups label_groups;                            // kHasLabels
  std::vector<std::string> map_keys;                     // kMap
  bool case_has_subject = false;                         // kCase
  bool case_has_else = false;                            // kCase
  bool has_where = false;                                // kListComprehension
  bool has_projection = false;                           // kListComprehension
  bool map_all = false;                                  // kMapProjection
  std::shared_ptr<const BoundPatternPredicate> pattern;  // kPatternPredicate
  std::vector<BoundExprPtr> children;

  // Appends every slot this expression reads from the row (with repetitions); the local
  // variable of a list comprehension or quantifier is not read from the row.
  void CollectSlots(std::vector<int>* out) const {
    if (kind == BoundExprKind::kSlot) out->push_back(slot);
    if (kind == BoundExprKind::kListComprehension || kind == BoundExprKind::kQuantifier) {
      std::vector<int> inner;
      for (const auto& c : children) c->CollectSlots(&inner);
      for (int s : inner) {
        if (s != slot) out->push_back(s);
      }
      return;
    }
    if (pattern != nullptr) {
      for (const auto& n : pattern->nodes) {
        if (n.slot >= 0) out->push_back(n.slot);
        for (const auto& [key, value] : n.properties) value->CollectSlots(out);
      }
      for (const auto& r : pattern->rels) {
        if (r.slot >= 0) out->push_back(r.slot);
        for (const auto& [key, value] : r.properties) value->CollectSlots(out);
      }
    }
    for (const auto& c : children) c->CollectSlots(out);
  }
};

}  // namespace kg::query::bind
