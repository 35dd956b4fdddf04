#pragma once
// Bind: ast::Query -> BoundQuery (stage 2 of the pipeline in query/engine.cc).
//
// Resolves labels and relationship types through GraphStore::LabelIdFor/EdgeTypeIdFor (any case,
// schema aliases). An unknown label or type is not an error: that pattern element matches
// nothing and a warning such as "unknown label 'Clas'; did you mean 'Class'?" is added (names
// suggested from the store's KnownLabels()/KnownEdgeTypes()). Parameters are replaced by their
// values from `params`. Variable-length bounds are checked, and an unbounded or too large upper
// bound is clamped to `max_var_hops` with a warning.
//
// RETURN and WITH: a column is named by its alias, a variable by its name, other expressions
// by their text as written (WITH requires an alias for them). If any column contains an
// aggregate (count, collect, min, max, sum, avg), the other columns are the implicit grouping
// keys. ORDER BY may use aliases, returned expressions, and (without DISTINCT or aggregation)
// any variable in scope. After WITH only its columns are in scope; its WHERE sees them.
// UNWIND introduces a new variable (an error if the name is already in scope).
//
// Errors (InvalidArgument with the position in the query): unknown variable, variable used as
// both node and relationship, unknown function or wrong number of arguments, missing parameter,
// aggregate in WHERE or nested aggregates, an invalid constant regular expression, SKIP/LIMIT
// that is not a non-negative integer, duplicate column names, a pattern predicate that
// introduces a variable, a CREATE relationship without exactly one type and a direction.
// NotSupported (position in the message) for reuse of a variable-length relationship variable
// across MATCH clauses, path variables in CREATE, and procedures other than db.search.
//
// Also bound here: path variables (`p = ...`: a kPath expression over the pattern's slots,
// evaluated once the pattern is bound), list comprehensions and quantifiers (their variable is
// a fresh slot visible only inside), pattern predicates (their named variables must already be
// bound), map projections, CREATE (new nodes get fresh slots) and CALL db.search.
// IOError/Corruption from the store's dictionaries.
// Thread-safety: safe to call concurrently (the store is thread-safe; no shared state here).

#include "common/result.h"
#include "common/value.h"
#include "query/ast/query.h"
#include "query/bind/bound_query.h"
#include "storage/graph_store.h"

namespace kg::query::bind {

Result<BoundQuery> Bind(const ast::Query& query, storage::GraphStore& store, const ValueMap& params,
                        int64_t max_var_hops);

}  // namespace kg::query::bind
