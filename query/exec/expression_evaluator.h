#pragma once
// Evaluation of bound expressions against a row, with openCypher semantics:
//   - null propagates: a comparison, arithmetic or string predicate with a null operand is
//     null; AND/OR/XOR/NOT use three-valued logic (false AND null = false, true OR null = true);
//   - `=` between values of different types is false (numbers compare across int/float);
//     ordering comparisons (< <= > >=) between different types are null;
//   - STARTS WITH / ENDS WITH / CONTAINS / =~ need two strings (else null); =~ is an RE2 full
//     match; `x IN list` is true if an element equals x, null if none does but one is null;
//   - a node's property `code` is materialized from the stored file text (ExecContext).
// Errors: InvalidArgument with the expression's position for type errors (e.g. AND on a
// string, property of a number, integer overflow, division by zero, bad regex), plus storage
// errors. Thread-safety: as the ExecContext (one thread).

#include "common/result.h"
#include "common/value.h"
#include "query/bind/bound_expression.h"
#include "query/exec/exec_context.h"
#include "query/exec/row.h"

namespace kg::query::exec {

// The value of `e` (nodes and relationships converted to their maps).
Result<Value> Evaluate(const bind::BoundExpr& e, const Row& row, ExecContext& ctx);

// Like Evaluate, but a slot reference yields the slot's entity as is (no conversion), so a
// RETURN column or grouping key can hold a node.
Result<Entity> EvaluateEntity(const bind::BoundExpr& e, const Row& row, ExecContext& ctx);

// WHERE semantics: true keeps the row; false and null drop it; any other type is an error.
Result<bool> EvaluatePredicate(const bind::BoundExpr& e, const Row& row, ExecContext& ctx);

// Cypher equality: nullopt means null (unknown).
std::optional<bool> ValuesEqual(const Value& a, const Value& b);

}  // namespace kg::query::exec
