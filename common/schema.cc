#include "common/schema.h"

#include <algorithm>

namespace kg::schema {
namespace {

struct AliasEntry {
  std::string_view alias;
  std::string_view canonical;
};

const std::vector<AliasEntry>& Aliases() {
  static const std::vector<AliasEntry> kAliases = {
#define KG_ALIAS(alias, canonical) {#alias, #canonical},
#include "common/schema.def"
#undef KG_ALIAS
  };
  return kAliases;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<SchemaEntry> Find(const std::vector<SchemaEntry>& entries, std::string_view s) {
  for (const auto& e : entries) {
    if (EqualsIgnoreCase(e.name, s)) return e;
  }
  for (const auto& a : Aliases()) {
    if (!EqualsIgnoreCase(a.alias, s)) continue;
    for (const auto& e : entries) {
      if (e.name == a.canonical) return e;
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<SchemaEntry>& Labels() {
  static const std::vector<SchemaEntry> kLabels = {
#define KG_LABEL(name, id, doc) {id, #name, doc},
#include "common/schema.def"
#undef KG_LABEL
  };
  return kLabels;
}

const std::vector<SchemaEntry>& EdgeTypes() {
  static const std::vector<SchemaEntry> kTypes = {
#define KG_EDGE(name, id, doc) {id, #name, doc},
#include "common/schema.def"
#undef KG_EDGE
  };
  return kTypes;
}

std::string_view LabelName(Label label) {
  for (const auto& e : Labels()) {
    if (e.id == static_cast<LabelId>(label)) return e.name;
  }
  return {};
}

std::string_view EdgeTypeName(EdgeType type) {
  for (const auto& e : EdgeTypes()) {
    if (e.id == static_cast<EdgeTypeId>(type)) return e.name;
  }
  return {};
}

std::optional<SchemaEntry> FindLabel(std::string_view spelling) { return Find(Labels(), spelling); }

std::optional<SchemaEntry> FindEdgeType(std::string_view spelling) {
  return Find(EdgeTypes(), spelling);
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> ClosestNames(std::string_view spelling, bool labels, size_t max) {
  const auto& entries = labels ? Labels() : EdgeTypes();
  std::string lower = ToLowerAscii(spelling);
  std::vector<std::pair<size_t, std::string_view>> scored;
  for (const auto& e : entries)
    scored.emplace_back(EditDistance(lower, ToLowerAscii(e.name)), e.name);
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < max; ++i) out.emplace_back(scored[i].second);
  return out;
}

}  // namespace kg::schema
