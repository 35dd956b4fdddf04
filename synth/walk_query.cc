#include "synth/walk_query.h"

#include <cmath>

namespace kg::synth {

Result<query::QueryResult> RunWalkQuery(storage::GraphStore& store, std::string_view graph,
                                        std::string_view text, const ValueMap& params) {
  query::QueryOptions options;
  options.params = params;
  options.max_rows = int64_t{1} << 40;
  options.timeout_ms = 10 * 60 * 1000;
  options.max_expansions = int64_t{1} << 40;
  KG_ASSIGN_OR_RETURN(query::QueryResult result, query::ExecuteQuery(store, graph, text, options));
  if (result.truncated || !result.limit_hit.empty()) {
    return Status::ResourceExhausted(
        "synthesis query hit the engine limit '" +
        (result.limit_hit.empty() ? std::string("max_rows") : result.limit_hit) +
        "': " + std::string(text));
  }
  return result;
}

std::string CypherString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  out += "'";
  return out;
}

std::string CellString(const Value& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.as_string();
  return v.DebugString();
}

std::optional<int64_t> CellInt(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_double() && std::isfinite(v.as_double())) return static_cast<int64_t>(v.as_double());
  return std::nullopt;
}

std::string CellFirstLabel(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_list() && !v.as_list().empty() && v.as_list()[0].is_string()) {
    return v.as_list()[0].as_string();
  }
  return "";
}

bool CellHasLabel(const Value& v, std::string_view label) {
  if (v.is_string()) return v.as_string() == label;
  if (!v.is_list()) return false;
  for (const auto& x : v.as_list()) {
    if (x.is_string() && x.as_string() == label) return true;
  }
  return false;
}

}  // namespace kg::synth
