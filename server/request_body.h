#pragma once
// Reading JSON request bodies: parse with error positions, reject unknown fields, typed getters.
//
// Every error is InvalidArgument with a message naming the field (or, for malformed JSON, the
// parser's complaint plus a 1-based line/column position in the body). Pure; thread-safe.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/api.h"

namespace kg::server {

// Parses `body` as a JSON object. An empty (or all-whitespace) body is an empty object.
// InvalidArgument with a position for malformed JSON; InvalidArgument if the document is not an
// object.
Result<Json> ParseJsonObject(std::string_view body);

// InvalidArgument "unknown field 'x' (expected one of: a, b)" for the first key not in `allowed`.
Status CheckFields(const Json& object, std::initializer_list<std::string_view> allowed);

// Typed field getters: nullopt when the field is absent or null; InvalidArgument naming the
// field and the expected type otherwise.
Result<std::optional<std::string>> GetString(const Json& object, std::string_view field);
Result<std::optional<int64_t>> GetInt(const Json& object, std::string_view field);
Result<std::optional<uint64_t>> GetUint(const Json& object, std::string_view field);
// Returns a pointer into `object` (valid while it lives), or nullptr when absent or null.
Result<const Json*> GetObject(const Json& object, std::string_view field);

// JSON type name for messages: "string", "integer", "number", "object", "array", "boolean", "null".
std::string JsonTypeName(const Json& value);

}  // namespace kg::server
