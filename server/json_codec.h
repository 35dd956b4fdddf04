#pragma once
// JSON encodings of codekg values and results, as used by the HTTP API (server/api.md).
//
// Value -> JSON: null, bool, integer, number (NaN/Inf become null), string, array, object
// (node and relationship maps from the engine keep their `_id`/`_labels`/`_type` keys).
// Pure functions; thread-safe.

#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "common/value.h"
#include "ingest/ingest.h"
#include "query/engine.h"
#include "server/api.h"
#include "storage/graph_store.h"
#include "synth/synth.h"

namespace kg::server {

Json ValueToJson(const Value& value);

// JSON -> Value for query parameters. Integers become ints, other numbers doubles.
// InvalidArgument (naming `field`) for an unsigned integer above INT64_MAX or nesting deeper
// than 64 levels.
Result<Value> JsonToValue(const Json& json, std::string_view field);

// {"columns": [...], "rows": [[...]], "stats": {...}, "warnings": [...], "truncated": bool,
//  "limit_hit": "max_rows" | ... | null}
Json QueryResultToJson(const query::QueryResult& result);

// {root, files_seen, files_parsed, files_unchanged, files_deleted, files_reresolved,
//  nodes_written, edges_written, skipped: [{path, reason}], flagged: [{path, reason}], elapsed_ms}
Json IngestReportToJson(const ingest::IngestReport& report);

// {strategy, pairs, per_relation: {...}, duplicates_removed, elapsed_ms}
Json SynthSummaryToJson(const synth::SynthSummary& summary);

// {name, node_count, edge_count, file_count}
Json GraphInfoToJson(const storage::GraphInfo& info);

}  // namespace kg::server
