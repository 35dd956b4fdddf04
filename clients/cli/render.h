#pragma once
// Rendering of server answers for a terminal: aligned tables, CSV, key/value summaries, progress
// bars and errors with a caret under the position they point at. Pure functions of their input
// (no I/O except the explicit std::ostream), so they are unit-testable.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace kg::clients::cli {

using Json = nlohmann::ordered_json;  // keeps the server's key order

// One cell as text: strings as-is, null as "null", nodes `{"_id", "_labels"}` as
// `(:Label id)`, relationships `{"_type", "_src", "_dst"}` as `[:TYPE src->dst]`, other values
// as compact JSON.
std::string CellText(const Json& value);

struct TableOptions {
  size_t max_cell_width = 60;  // 0 = unlimited; longer cells end in "..."
  bool one_line = true;        // cut cells at their first newline (marked with "...")
};

// A psql-style aligned table of a query answer `{"columns", "rows", ...}`:
//    name  | base
//   -------+---------
//    Cart  | Product
// followed by "(N rows)" and, when set, lines for `truncated`/`limit_hit` and each warning.
void RenderTable(const Json& answer, const TableOptions& options, std::ostream& out);

// RFC 4180 CSV: a header line with the columns, then one line per row (cells as CellText,
// quoted when they contain a comma, quote, CR or LF).
void RenderCsv(const Json& answer, std::ostream& out);

// "key: value" lines for the members of `object`, keys padded to one width; arrays as compact
// JSON, or as their size when that is longer than 80 characters; objects as compact JSON.
void RenderSummary(const Json& object, std::ostream& out);

// One progress line (no newline): "[#####.....]  12/40 files  31.0/s  ETA 1s".
std::string ProgressLine(uint64_t done, uint64_t total, double rate, double eta_s,
                         std::string_view unit, size_t bar_width = 24);

// "error: <code>: <message>" and, when the status has a position inside `text`, the line of
// `text` it points at with a caret under the column.
void RenderError(const Status& status, std::string_view text, std::ostream& out);

}  // namespace kg::clients::cli
