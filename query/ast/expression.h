#pragma once
// ast::Expr: the syntax tree of a query expression, exactly as written (no names resolved).
//
// Built by parse/ from the PEGTL parse tree; consumed by bind/. Every node records where it
// starts in the query text (`pos`) and the text it was parsed from (`text`, used for default
// column names such as `c.name`). ToString() prints a canonical form (keywords upper-case,
// function names lower-case, binary operations parenthesised) that is equal for expressions
// that differ only in spacing or letter case of keywords; bind/ uses it to match ORDER BY
// expressions with RETURN items, and EXPLAIN prints it.
// Thread-safety: plain values; no shared state.

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/value.h"

namespace kg::query::ast {

enum class ExprKind : uint8_t {
  kLiteral,       // literal
  kParameter,     // $name
  kVariable,      // name
  kProperty,      // children[0].name
  kIndex,         // children[0][children[1]]
  kHasLabels,     // children[0]:A|B:C  (label_groups)
  kList,          // [children...]
  kMap,           // {map_keys[i]: children[i]}
  kFunctionCall,  // name([DISTINCT] children...)
  kCountStar,     // count(*)
  kNot,           // NOT children[0]
  kNegate,        // -children[0]
  kBinary,        // children[0] op children[1]
  kIsNull,        // children[0] IS NULL
  kIsNotNull,     // children[0] IS NOT NULL
  // CASE [subject] WHEN w THEN t ... [ELSE e] END: children are [subject], w1, t1, ..., [e]
  // (case_has_subject / case_has_else say whether the first / last child is present).
  kCase,
  // [variable IN children[0] [WHERE children[1]] [| children[last]]]
  // (has_where / has_projection say which optional children are present).
  kListComprehension,
  // name(variable IN children[0] WHERE children[1]), name one of "any", "all", "none", "single".
  kQuantifier,
  // A pattern used as a predicate, e.g. (a)-[:CALLS]->(:Function): true when it matches at
  // least once with the variables in scope. `pattern` holds it.
  kPatternPredicate,
  // variable {.key, key: children[i], .*}: children[0] is the variable; map_keys[i] names
  // children[i + 1]; map_all for `.*`.
  kMapProjection,
};

enum class BinaryOp : uint8_t {
  kOr,
  kXor,
  kAnd,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kStartsWith,
  kEndsWith,
  kContains,
  kIn,
  kRegexMatch,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
};

// The operator as written in canonical form ("AND", "<>", "STARTS WITH", "=~", "+").
const char* BinaryOpName(BinaryOp op);

struct Expr;
struct PatternPart;  // query/ast/query.h
using ExprPtr = std::unique_ptr<Expr>;

// A conjunction of alternations: `:A|B:C` is {{"A", "B"}, {"C"}} (has (A or B) and C).
using LabelGroups = std::vector<std::vector<std::string>>;

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  TextPosition pos;
  std::string text;  // the source text of this expression, as written

  Value literal;                      // kLiteral
  std::string name;                   // kParameter, kVariable, kProperty (key), kFunctionCall
  BinaryOp op = BinaryOp::kEq;        // kBinary
  bool distinct = false;              // kFunctionCall: f(DISTINCT x)
  LabelGroups label_groups;           // kHasLabels
  std::vector<std::string> map_keys;  // kMap: keys, parallel to children
  bool case_has_subject = false;      // kCase
  bool case_has_else = false;         // kCase
  std::string variable;               // kListComprehension, kQuantifier
  bool has_where = false;             // kListComprehension, kQuantifier
  bool has_projection = false;        // kListComprehension
  bool map_all = false;               // kMapProjection: `.*`
  std::shared_ptr<const PatternPart> pattern;  // kPatternPredicate (immutable, shared by clones)
  std::vector<ExprPtr> children;
  // Height of this subtree (a leaf is 1); the parser bounds it so that the recursive stages
  // (binder, evaluator, destructor) never exhaust the stack.
  int depth = 1;

  // Adds a child and updates depth.
  void AddChild(ExprPtr child) {
    if (child->depth + 1 > depth) depth = child->depth + 1;
    children.push_back(std::move(child));
  }

  // Canonical rendering (see file comment).
  std::string ToString() const;
  // A deep copy (Expr is move-only otherwise).
  ExprPtr Clone() const;
};

// Renders label groups as `:A|B:C`.
std::string LabelGroupsToString(const LabelGroups& groups);

}  // namespace kg::query::ast
