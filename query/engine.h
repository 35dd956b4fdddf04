#pragma once
// The Cypher-lite query engine: text in, rows out, over a storage::Snapshot.
//
// Pipeline (query/engine.cc, one function): parse (PEGTL) -> AST -> bind (names checked against
// the schema and the store's dictionaries) -> logical plan -> physical operators pulled lazily
// over one snapshot. Only CREATE writes (a graph-level batch through GraphStore::ApplyBatch,
// for tests and the TCK); the query's own reads do not see its writes.
//
// Values in rows are kg::Value. A node is returned as a map
//   {"_id": <string id>, "_labels": [<label names>], <property>: <value>, ...}
// and a relationship as {"_type": <type name>, "_src": <src id>, "_dst": <dst id>, <props>...}.
// The property `code` of a node with path/start_byte/end_byte is materialized from the stored
// file text when accessed (n.code) and is not part of the node map.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "storage/graph_store.h"

namespace kg::query {

// The stored name of a user property called `id` (CREATE, TCK graphs): the storage reserves
// `id` for the node's string id. Reading `n.id` returns this property when the node has it and
// the string id otherwise; node maps show it as "id".
inline constexpr char kUserIdProperty[] = "_user_id";
// String ids of nodes made by CREATE (and the TCK runner) start with this prefix. Such a node has
// no code id: `n.id` is its user property `id`, or null without one.
inline constexpr char kCreatedIdPrefix[] = "_c:";

struct QueryOptions {
  ValueMap params;                      // $name parameters
  int64_t max_rows = 10000;             // rows beyond this are dropped and `truncated` set
  int64_t timeout_ms = 30000;           // wall-clock budget; Timeout error when exceeded
  int64_t max_expansions = 10'000'000;  // edges visited; ResourceExhausted-style limit_hit
  int64_t max_var_hops = 10;            // upper bound for unbounded/over-large *min..max
  // Reuse the plan of an identical earlier query (text, params, graph, store) from
  // PlanCache::Default() (query/plan_cache.h) instead of parsing, binding and planning again.
  bool use_plan_cache = true;
};

struct QueryStats {
  double parse_ms = 0;
  double plan_ms = 0;
  double exec_ms = 0;
  uint64_t rows = 0;
  uint64_t nodes_scanned = 0;
  uint64_t edges_expanded = 0;
  bool plan_cached = false;  // the plan came from the plan cache (parse/bind/plan skipped)
};

// PROFILE: one entry per operator of the plan, root first (inner plans of OPTIONAL MATCH are
// not itemised). `rows` = rows the operator passed up; `time_ms` = time spent in it and
// its children (inclusive).
struct OperatorProfile {
  std::string op;  // as printed by EXPLAIN
  int depth = 0;   // 0 = root
  uint64_t rows = 0;
  double time_ms = 0;
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<ValueList> rows;
  QueryStats stats;
  std::vector<std::string> warnings;     // unknown labels/types/properties, with suggestions
  bool truncated = false;                // true when max_rows cut the result
  std::string limit_hit;                 // "", "max_rows", "max_expansions", "max_var_hops"
  std::vector<OperatorProfile> profile;  // PROFILE only
};

// Runs `text` against graph `graph` of `store`.
// Success: columns are the RETURN aliases, or the expression text as written (`c.name`); rows
// in RETURN order. An unknown label or relationship type is not an error: that pattern matches
// nothing and `warnings` says e.g. "unknown label 'Clas'; did you mean 'Class'?". Limits:
// max_rows cuts the rows (truncated, limit_hit "max_rows"); max_expansions stops the walk and
// returns the rows found so far (truncated, limit_hit "max_expansions", a warning); an
// unbounded or over-large variable-length bound is clamped to max_var_hops (warning, limit_hit
// "max_var_hops" unless another limit was hit). `EXPLAIN <query>` returns the plan instead of
// running it: one column "plan", one row per operator line. `PROFILE <query>` runs it and
// also fills QueryResult::profile (rows and time per operator).
// `CALL db.search('text' [, limit]) YIELD node, score [WHERE ...]` ranks nodes by name,
// qualified name, signature, docstring and DocSection text (see exec/physical_search.h).
// Paths (`MATCH p = ...`) are maps {"_nodes": [node maps], "_relationships": [rel maps]};
// nodes(p), relationships(p) and length(p) read them. A statement that ends with CREATE and
// has no RETURN writes and returns no columns and no rows.
// Errors: InvalidArgument with a TextPosition (line/column) for syntax and semantic errors
// (message says what was expected, e.g. "expected ')' but found 'RETURN'") and runtime type
// errors (e.g. "division by zero"), or for invalid options (negative max_rows, timeout_ms <= 0);
// NotFound if the graph does not exist; Timeout ("query exceeded timeout of N ms");
// NotSupported for valid Cypher outside the subset (MERGE, SET, DELETE, UNION, ...), the
// message naming the feature, with the position of the construct when the parser found it;
// IOError/Corruption from storage.
// Plans are cached (QueryOptions::use_plan_cache, query/plan_cache.h): a repeated query skips
// parsing, binding and planning, with the same results and warnings as a fresh plan.
// Thread-safe: any number of concurrent calls (each takes its own snapshot).
Result<QueryResult> ExecuteQuery(storage::GraphStore& store, std::string_view graph,
                                 std::string_view text, const QueryOptions& options = {});

}  // namespace kg::query
