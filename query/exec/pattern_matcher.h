#pragma once
// Pattern predicates: does a pattern such as (a)-[:CALLS]->(:Function) match at least once
// from the current row? (`WHERE (a)-->(b)`, `NOT ()-[:CALLS]->(f)`, exists(...)).
//
// The walk starts at the first node of the pattern that the row binds (a full scan of the
// first node's label, or of all nodes, when none is bound), goes right to the end of the
// chain and then left to its start, depth first, and stops at the first complete match. Bound
// nodes and relationships must be the row's; labels and property maps are checked on the way.
// A variable-length relationship never repeats an edge within itself. Every visited edge
// counts against max_expansions (ExecContext::CountEdge) and the deadline.
// Returns null (nullopt) when a bound node of the pattern is null in the row.
// Thread-safety: as the ExecContext (one thread).

#include <optional>

#include "common/result.h"
#include "query/bind/bound_expression.h"
#include "query/exec/exec_context.h"
#include "query/exec/row.h"

namespace kg::query::exec {

Result<std::optional<bool>> MatchPatternPredicate(const bind::BoundPatternPredicate& pattern,
                                                  const Row& row, ExecContext& ctx);

}  // namespace kg::query::exec
