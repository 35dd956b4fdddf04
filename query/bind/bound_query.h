#pragma once
// bind::BoundQuery: the output of the binder (stage 2), the input of the planner.
//
// Every variable, RETURN column and aggregate value has a slot in a flat row (`slots`).
// Pattern constraints are normalised into predicates: a node's labels become a kHasLabels
// predicate and its property map becomes `v.key = value` predicates, next to the WHERE clause's
// conjuncts, so the planner sees one list of predicates per MATCH and can use any of them (from
// the pattern or from WHERE) to choose index scans. A fixed-length relationship's property map
// becomes `r.key = value` predicates too; a variable-length relationship keeps its (constant)
// property map, because it applies to every edge of the path.
// Thread-safety: immutable after binding.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query/ast/query.h"
#include "query/bind/bound_expression.h"
#include "query/functions/function_registry.h"

namespace kg::query::bind {

enum class SlotKind : uint8_t {
  kNode,              // a node variable (entity: node key)
  kRelationship,      // a relationship variable (entity: one edge)
  kRelationshipList,  // a variable-length relationship variable (entity: list of edges)
  kValue,             // a RETURN column or an aggregate value
};

struct SlotInfo {
  std::string name;  // variable or column name; anonymous variables get "_anon<N>"
  SlotKind kind = SlotKind::kValue;
  bool anonymous = false;
};

struct BoundRel {
  int slot = -1;
  TextPosition pos;
  // Allowed types. Empty with any_type=false means no type can match (all names unknown).
  std::vector<storage::EdgeTypeId> types;
  bool any_type = true;
  ast::RelDirection direction = ast::RelDirection::kBoth;
  bool var_length = false;
  int64_t min_hops = 1;
  int64_t max_hops = 1;
  // Variable-length only: every edge of the path must have props[key] = value (constants).
  std::vector<std::pair<std::string, BoundExprPtr>> properties;
};

// A chain: node_slots.size() == rels.size() + 1; rels[i] joins node_slots[i] and [i+1].
struct BoundPattern {
  std::vector<int> node_slots;
  std::vector<BoundRel> rels;
  int path_slot = -1;      // `p = ...`: the slot of p (a kValue), else -1
  BoundExprPtr path_expr;  // kPath over the pattern's slots, when path_slot >= 0
};

struct BoundMatch {
  bool optional = false;  // OPTIONAL MATCH
  std::vector<BoundPattern> patterns;
  std::vector<BoundExprPtr> predicates;  // conjuncts; all must be true
};

struct BoundAggregate {
  functions::AggregateKind kind = functions::AggregateKind::kCountStar;
  bool distinct = false;
  BoundExprPtr arg;  // null for count(*)
  int slot = -1;     // where the aggregate operator stores the result
  std::string text;  // e.g. "count(DISTINCT m)"
};

struct ReturnColumn {
  std::string name;  // alias, or the expression text as written
  int slot = -1;
  // The value of the column. For aggregating columns it reads aggregate slots only.
  BoundExprPtr expr;
  bool aggregating = false;
};

struct BoundSortKey {
  BoundExprPtr expr;  // evaluated on the row after projection (see binder.h)
  bool descending = false;
};

struct BoundReturn {
  bool distinct = false;
  bool aggregating = false;  // some column aggregates: implicit grouping by the other columns
  std::vector<ReturnColumn> columns;
  std::vector<BoundAggregate> aggregates;
  std::vector<BoundSortKey> order_by;
  int64_t skip = 0;
  std::optional<int64_t> limit;
  // WITH only: conjuncts of its WHERE, over the projected columns; applied after LIMIT.
  std::vector<BoundExprPtr> where;
};

// UNWIND expr AS variable: one row per element of the list (none for null or an empty list,
// one for any other value).
struct BoundUnwind {
  BoundExprPtr expr;
  std::string variable;
  int slot = -1;
};

// CREATE: for each input row, the new nodes (slots not bound before) and the relationships.
// A created node or relationship is bound as its map value (see query/engine.h).
struct CreateNode {
  int slot = -1;
  bool create = true;  // false: an already bound node (only referenced by relationships)
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, BoundExprPtr>> properties;
};
struct CreateRel {
  int slot = -1;
  int src = -1;  // indexes into BoundCreate::nodes
  int dst = -1;
  std::string type;
  std::vector<std::pair<std::string, BoundExprPtr>> properties;
};
struct BoundCreate {
  std::vector<CreateNode> nodes;
  std::vector<CreateRel> rels;
};

// CALL db.search(text [, limit]) YIELD node, score [WHERE ...]: the yielded fields get slots
// (-1 when not yielded); `where` is over them and earlier variables.
struct BoundCall {
  std::string procedure;  // lower-cased, e.g. "db.search"
  std::vector<BoundExprPtr> args;
  int node_slot = -1;
  int score_slot = -1;
  std::vector<BoundExprPtr> where;
};

// One clause before RETURN; `kind` says which member is set. After a WITH only its columns
// (fresh slots) are in scope.
struct BoundClause {
  ast::Clause::Kind kind = ast::Clause::Kind::kMatch;
  BoundMatch match;
  BoundUnwind unwind;
  BoundReturn with;
  BoundCreate create;
  BoundCall call;
};

// A label or relationship type name the binder resolved through the store, and its id. A plan
// stays valid while every such name still resolves to the same id (query/plan_cache.h).
struct ResolvedName {
  bool label = true;  // false: a relationship type
  std::string name;   // as written
  uint16_t id = 0;
};

struct BoundQuery {
  bool explain = false;
  bool profile = false;
  bool has_return = true;  // false: a CREATE statement without RETURN (no columns)
  std::vector<SlotInfo> slots;
  std::vector<BoundClause> clauses;
  BoundReturn ret;
  std::vector<std::string> warnings;  // unknown labels/types (with suggestions), clamped hops
  bool var_hops_clamped = false;      // some variable-length upper bound was clamped
  // Every label/type name that resolved to an id (unknown names are in `warnings` instead).
  std::vector<ResolvedName> resolved_names;
  bool has_create = false;  // some clause is a CREATE

  // A readable dump (slots, matches with predicates, return), for debugging.
  std::string ToString() const;
};

}  // namespace kg::query::bind
