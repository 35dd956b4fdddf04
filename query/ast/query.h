#pragma once
// ast::Query: the syntax tree of one Cypher-like statement, as written.
//
// Supported shape:
//   [EXPLAIN] clause* RETURN [DISTINCT] items [ORDER BY expr [ASC|DESC], ...] [SKIP expr]
//   [LIMIT expr]
// where a clause is `[OPTIONAL] MATCH pattern, pattern... [WHERE expr]`, `UNWIND expr AS v`, or
// `WITH [DISTINCT] items [ORDER BY ...] [SKIP expr] [LIMIT expr] [WHERE expr]`.
// A pattern is a chain node (rel node)*. Names are not resolved here (see bind/).
// ToString() prints the statement in canonical form (one clause per line), for debugging and
// EXPLAIN. Thread-safety: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query/ast/expression.h"

namespace kg::query::ast {

// One `key: expr` entry of a pattern's property map.
using PropertyMap = std::vector<std::pair<std::string, ExprPtr>>;

struct NodePattern {
  TextPosition pos;
  std::string variable;  // empty when anonymous
  TextPosition variable_pos;
  LabelGroups label_groups;
  PropertyMap properties;
};

// kRight: (a)-[]->(b); kLeft: (a)<-[]-(b); kBoth: (a)-[]-(b) or (a)<-[]->(b).
enum class RelDirection : uint8_t { kRight, kLeft, kBoth };

struct RelPattern {
  TextPosition pos;
  std::string variable;  // empty when anonymous
  TextPosition variable_pos;
  std::vector<std::string> types;  // alternation; empty = any type
  RelDirection direction = RelDirection::kBoth;
  bool var_length = false;          // `*` present
  std::optional<int64_t> min_hops;  // as written; nullopt when omitted
  std::optional<int64_t> max_hops;
  bool has_range_dots = false;  // `*1..` / `*..3` / `*1..3` (vs `*2` = exactly 2)
  PropertyMap properties;
};

// A chain: nodes.size() == rels.size() + 1.
struct PatternPart {
  TextPosition pos;
  std::string path_variable;  // `p = (...)`; empty when absent
  std::vector<NodePattern> nodes;
  std::vector<RelPattern> rels;
};

struct MatchClause {
  TextPosition pos;
  bool optional = false;  // OPTIONAL MATCH: no match keeps the row with the new variables null
  std::vector<PatternPart> patterns;
  ExprPtr where;  // may be null
};

struct ReturnItem {
  ExprPtr expr;
  std::string alias;  // empty when no AS; the column is then named expr->text
  TextPosition alias_pos;
};

struct SortItem {
  ExprPtr expr;
  bool descending = false;
};

// RETURN, and the projection of WITH (which may also have a WHERE).
struct ReturnClause {
  TextPosition pos;
  bool distinct = false;
  bool star = false;  // RETURN *
  std::vector<ReturnItem> items;
  std::vector<SortItem> order_by;
  ExprPtr skip;   // may be null
  ExprPtr limit;  // may be null
  ExprPtr where;  // WITH only; may be null
};

struct UnwindClause {
  TextPosition pos;
  ExprPtr expr;
  std::string variable;
  TextPosition variable_pos;
};

// CREATE pattern, ...: new nodes (variables not yet bound) and relationships.
struct CreateClause {
  TextPosition pos;
  std::vector<PatternPart> patterns;
};

// CALL procedure(args) [YIELD field [AS alias], ... [WHERE expr]].
struct CallClause {
  TextPosition pos;
  std::string procedure;  // as written, e.g. "db.search"
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, std::string>> yields;  // field, alias (empty: the field)
  ExprPtr where;                                            // may be null
};

// One clause before the final RETURN; `kind` says which member is set.
struct Clause {
  enum class Kind : uint8_t { kMatch, kUnwind, kWith, kCreate, kCall };
  Kind kind = Kind::kMatch;
  MatchClause match;
  UnwindClause unwind;
  ReturnClause with;
  CreateClause create;
  CallClause call;
};

struct Query {
  bool explain = false;
  bool profile = false;  // PROFILE: run and report rows and time per operator
  std::vector<Clause> clauses;
  bool has_return = true;  // false only for a statement that ends with CREATE
  ReturnClause ret;

  std::string ToString() const;
};

}  // namespace kg::query::ast
