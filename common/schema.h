#pragma once
// The built-in graph schema (labels, edge types, aliases), generated from common/schema.def.
//
// Lookups are case-insensitive and accept aliases (`GLOBAL_VARIABLE` -> `Variable`,
// `call` -> `CALLS`). All functions are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kg::schema {

// Ids of labels and edge types. The numeric values are stored on disk: DO NOT CHANGE.
using LabelId = uint16_t;
using EdgeTypeId = uint16_t;

// First id handed out for labels/types that are not in the built-in schema.
inline constexpr uint16_t kFirstUserId = 1000;

enum class Label : LabelId {
#define KG_LABEL(name, id, doc) k##name = id,
#include "common/schema.def"
#undef KG_LABEL
};

enum class EdgeType : EdgeTypeId {
#define KG_EDGE(name, id, doc) k##name = id,
#include "common/schema.def"
#undef KG_EDGE
};

struct SchemaEntry {
  uint16_t id;
  std::string_view name;  // canonical spelling
  std::string_view doc;
};

// All built-in labels / edge types in id order.
const std::vector<SchemaEntry>& Labels();
const std::vector<SchemaEntry>& EdgeTypes();

// Canonical name of a built-in label / edge type. REQUIRES: the id is built in.
std::string_view LabelName(Label label);
std::string_view EdgeTypeName(EdgeType type);

// Resolve a spelling (any case, or an alias) to the built-in entry; nullopt if unknown.
std::optional<SchemaEntry> FindLabel(std::string_view spelling);
std::optional<SchemaEntry> FindEdgeType(std::string_view spelling);

// Up to `max` canonical names (labels if labels=true, else edge types) closest to `spelling` by
// edit distance, for "did you mean" hints. Never empty for a non-empty schema.
std::vector<std::string> ClosestNames(std::string_view spelling, bool labels, size_t max = 3);

// ASCII lower-casing, used for the case-insensitive name index and comparisons.
std::string ToLowerAscii(std::string_view s);

// Levenshtein distance (bytes), bounded work O(|a|*|b|).
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace kg::schema
