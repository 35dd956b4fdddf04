#pragma once
// Helpers for walks: run a read query through the query engine and read typed cells.
//
// Walks never touch storage cursors; everything they know about the graph comes from these
// queries. Thread-safe (the engine takes its own snapshot per call).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/value.h"
#include "query/engine.h"
#include "storage/graph_store.h"

namespace kg::synth {

// Runs `text` with no row cap worth mentioning. A result cut by any engine limit is an error
// (ResourceExhausted naming the limit) rather than a silently partial dataset. Other errors are
// the engine's (NotFound for an unknown graph, InvalidArgument, Timeout, ...).
// `params` are the query's $parameters.
Result<query::QueryResult> RunWalkQuery(storage::GraphStore& store, std::string_view graph,
                                        std::string_view text, const ValueMap& params = {});

// `s` as a single-quoted Cypher string literal (quotes, backslashes and control characters
// escaped), for self-contained verification queries.
std::string CypherString(std::string_view s);

// The cell as a string: the string itself, "" for null, DebugString() for anything else.
std::string CellString(const Value& v);
// The cell as an integer if it is a number, else nullopt.
std::optional<int64_t> CellInt(const Value& v);
// The first label of a labels(n) cell (a list of strings), or the string itself; "" otherwise.
std::string CellFirstLabel(const Value& v);
// True if the cell is a list of strings containing `label`, or a string equal to it.
bool CellHasLabel(const Value& v, std::string_view label);

}  // namespace kg::synth
