#pragma once
// ParseQuery: query text -> ast::Query (stage 1 of the pipeline in query/engine.cc).
//
// Success: the statement's syntax tree; names (labels, variables, functions) are not checked.
// Errors:
//   InvalidArgument with a TextPosition (Status::SyntaxError) for malformed text; the message
//     says what was expected and what was found, e.g. "expected ')' but found 'RETURN'"
//     (line 1, column 16 for `MATCH (n:Class RETURN n`); also for bad escapes, integer
//     literals out of range and over-deep nesting.
//   NotSupported with a TextPosition for valid Cypher outside the subset (WITH,
//     UNWIND, CREATE, ..., CASE, path variables), naming the feature.
// Never throws. Thread-safe (no shared state).

#include <string_view>

#include "common/result.h"
#include "query/ast/query.h"

namespace kg::query::parse {

// Queries longer than this are rejected with InvalidArgument.
inline constexpr size_t kMaxQueryBytes = 1 << 20;

Result<ast::Query> ParseQuery(std::string_view text);

// The 1-based line/column and 0-based offset of byte `offset` in `text` (clamped to the end).
TextPosition PositionAt(std::string_view text, size_t offset);

}  // namespace kg::query::parse
