#pragma once
// Execute: LogicalPlan -> rows (stage 4 of the pipeline in query/engine.cc).
//
// Builds the physical operator tree for the plan (one PhysicalX per LogicalX) and pulls rows
// lazily over the one snapshot of the query. Limits (QueryOptions):
//   timeout_ms     -> Status::Timeout "query exceeded timeout of N ms" (deadline = start +
//                     timeout_ms, checked periodically while scanning, expanding, filtering);
//   max_rows       -> at most max_rows rows; if more exist, truncated = true and
//                     limit_hit = "max_rows";
//   max_expansions -> the walk stops after that many visited edges; the rows found so far are
//                     returned with truncated = true, limit_hit = "max_expansions" and a warning.
// Fills columns, rows, truncated, limit_hit, warnings (limit warnings only) and the stats
// rows/nodes_scanned/edges_expanded (not the timings).
// Errors: Timeout; InvalidArgument with position for runtime type errors; IOError/Corruption.
// Thread-safety: one call per thread; the snapshot must not be shared with another thread.

#include <chrono>

#include "common/result.h"
#include "query/engine.h"
#include "query/plan/logical_operator.h"
#include "storage/graph_store.h"

namespace kg::query::exec {

Result<QueryResult> Execute(const plan::LogicalPlan& plan, storage::GraphStore& store,
                            storage::Snapshot& snapshot, const QueryOptions& options,
                            std::chrono::steady_clock::time_point start);

}  // namespace kg::query::exec
