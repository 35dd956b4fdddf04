#pragma once
// Plan: BoundQuery -> LogicalPlan (stage 3 of the pipeline in query/engine.cc).
//
// For each MATCH clause, patterns connected to already bound variables go first; otherwise a
// pattern starts with a NodeScan of its anchor node, chosen by estimated cost:
//   1. a node with a label and a `name` equality (`{name: 'x'}`, `n.name = 'x'`,
//      `n.name IN [...]`, from the pattern or from WHERE) -> label+name index
//      (`toLower(n.name) = 'x'` uses the case-insensitive name index),
//   2. otherwise the label with the smallest Snapshot::CountLabel,
//   3. otherwise all nodes;
// and compares that with the storage property indexes (the predicate stays as a Filter above
// them): `n.id = 'x'` -> FindNode; `n.qualified_name = 'x'` -> qualified_name index; `ENDS WITH`
// on qualified_name -> reversed index; `STARTS WITH` on name (with a label, also
// toLower(n.name)) -> name prefix index; on path -> path prefix index; `n.path = P AND
// n.start_line <= L AND n.end_line >= L` -> at-line index; `CONTAINS` on name / toLower(name)
// and `=~` on name (literals of the regex) -> trigram index with its estimate as the cost;
// `n:A OR n:B` -> a union of label scans. The cheapest estimate wins; EXPLAIN names the index.
// A label that the store does not know gives an empty scan. From the anchor the chain is
// expanded to the right, then to the left (Expand, or ExpandInto for an already bound node).
// Every predicate is placed in a Filter right after the operator that binds the last of its
// variables. An OPTIONAL MATCH is planned the same way over an Argument leaf, inside an
// Optional operator; UNWIND is an Unwind operator. A projection (WITH, and finally RETURN) is:
// Project / Aggregate (implicit grouping), Distinct, Sort, Skip, Limit, and for WITH a Filter
// with its WHERE; after a WITH only its columns count as bound.
//
// Errors: IOError/Corruption from the snapshot's statistics or the store's dictionaries.
// Thread-safety: safe to call concurrently with distinct snapshots.

#include "common/result.h"
#include "query/bind/bound_query.h"
#include "query/plan/logical_operator.h"
#include "storage/graph_store.h"

namespace kg::query::plan {

// `store` is used for label/type names (EXPLAIN), `snapshot` for the statistics.
Result<LogicalPlan> Plan(bind::BoundQuery query, storage::GraphStore& store,
                         storage::Snapshot& snapshot);

}  // namespace kg::query::plan
