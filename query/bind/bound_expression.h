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
#include <vector>

#include "common/status.h"
#include "common/value.h"
#include "query/ast/expression.h"
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
};

// Conjunction of alternations of label ids. An empty alternation never matches (every name in
// it was unknown to the store).
using LabelIdGroups = std::vector<std::vector<storage::LabelId>>;

struct BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  TextPosition pos;
  std::string text;

  Value constant;                                       // kConstant
  int slot = -1;                                        // kSlot
  std::string key;                                      // kProperty
  ast::BinaryOp op = ast::BinaryOp::kEq;                // kBinary
  const functions::ScalarFunction* function = nullptr;  // kFunction
  LabelIdGroups label_groups;                           // kHasLabels
  std::vector<std::string> map_keys;                    // kMap
  bool case_has_subject = false;                        // kCase
  bool case_has_else = false;                           // kCase
  std::vector<BoundExprPtr> children;

  // Appends every slot this expression reads (with repetitions).
  void CollectSlots(std::vector<int>* out) const {
    if (kind == BoundExprKind::kSlot) out->push_back(slot);
    for (const auto& c : children) c->CollectSlots(out);
  }
};

}  // namespace kg::query::bind
