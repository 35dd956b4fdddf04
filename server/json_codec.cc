#include "server/json_codec.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace kg::server {
namespace {

constexpr int kMaxDepth = 64;

Result<Value> ToValue(const Json& j, std::string_view field, int depth) {
  if (depth > kMaxDepth) {
    return Status::InvalidArgument("field '" + std::string(field) + "' is nested deeper than " +
                                   std::to_string(kMaxDepth) + " levels");
  }
  switch (j.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      return Value();
    case Json::value_t::boolean:
      return Value(j.get<bool>());
    case Json::value_t::number_integer:
      return Value(j.get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Status::InvalidArgument("field '" + std::string(field) + "': integer " +
                                       std::to_string(u) + " is out of the 64-bit signed range");
      }
      return Value(static_cast<int64_t>(u));
    }
    case Json::value_t::number_float:
      return Value(j.get<double>());
    case Json::value_t::string:
      return Value(j.get<std::string>());
    case Json::value_t::binary:
      return Status::InvalidArgument("field '" + std::string(field) + "': binary is not supported");
    case Json::value_t::array: {
      ValueList list;
      list.reserve(j.size());
      for (const auto& e : j) {
        KG_ASSIGN_OR_RETURN(Value v, ToValue(e, field, depth + 1));
        list.push_back(std::move(v));
      }
      return Value(std::move(list));
    }
    case Json::value_t::object: {
      ValueMap map;
      for (auto it = j.begin(); it != j.end(); ++it) {
        KG_ASSIGN_OR_RETURN(Value v, ToValue(it.value(), field, depth + 1));
        map[it.key()] = std::move(v);
      }
      return Value(std::move(map));
    }
  }
  return Value();
}

Json IssuesToJson(const std::vector<ingest::FileIssue>& issues) {
  Json out = Json::array();
  for (const auto& i : issues) out.push_back(Json{{"path", i.path}, {"reason", i.reason}});
  return out;
}

}  // namespace

Json ValueToJson(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return nullptr;
    case Value::Type::kBool:
      return value.as_bool();
    case Value::Type::kInt:
      return value.as_int();
    case Value::Type::kDouble: {
      double d = value.as_double();
      if (!std::isfinite(d)) return nullptr;
      return d;
    }
    case Value::Type::kString:
      return value.as_string();
    case Value::Type::kList: {
      Json out = Json::array();
      for (const auto& v : value.as_list()) out.push_back(ValueToJson(v));
      return out;
    }
    case Value::Type::kMap: {
      Json out = Json::object();
      for (const auto& [k, v] : value.as_map()) out[k] = ValueToJson(v);
      return out;
    }
  }
  return nullptr;
}

Result<Value> JsonToValue(const Json& json, std::string_view field) {
  return ToValue(json, field, 0);
}

Json QueryResultToJson(const query::QueryResult& result) {
  Json out = Json::object();
  out["columns"] = result.columns;
  Json rows = Json::array();
  for (const auto& row : result.rows) {
    Json r = Json::array();
    for (const auto& v : row) r.push_back(ValueToJson(v));
    rows.push_back(std::move(r));
  }
  out["rows"] = std::move(rows);
  out["stats"] = Json{{"rows", result.stats.rows},
                      {"parse_ms", result.stats.parse_ms},
                      {"plan_ms", result.stats.plan_ms},
                      {"exec_ms", result.stats.exec_ms},
                      {"nodes_scanned", result.stats.nodes_scanned},
                      {"edges_expanded", result.stats.edges_expanded}};
  out["warnings"] = result.warnings;
  out["truncated"] = result.truncated;
  out["limit_hit"] = result.limit_hit.empty() ? Json(nullptr) : Json(result.limit_hit);
  return out;
}

Json IngestReportToJson(const ingest::IngestReport& report) {
  Json out = Json::object();
  out["root"] = report.root;
  out["files_seen"] = report.files_seen;
  out["files_parsed"] = report.files_parsed;
  out["files_unchanged"] = report.files_unchanged;
  out["files_deleted"] = report.files_deleted;
  out["files_reresolved"] = report.files_reresolved;
  out["docs_seen"] = report.docs_seen;
  out["docs_parsed"] = report.docs_parsed;
  out["docs_unchanged"] = report.docs_unchanged;
  out["docs_deleted"] = report.docs_deleted;
  out["nodes_written"] = report.nodes_written;
  out["edges_written"] = report.edges_written;
  out["skipped"] = IssuesToJson(report.skipped);
  out["flagged"] = IssuesToJson(report.flagged);
  out["elapsed_ms"] = report.elapsed_ms;
  out["phases_ms"] = Json{{"walk", report.walk_ms},
                          {"parse", report.parse_ms},
                          {"resolve", report.resolve_ms},
                          {"write", report.write_ms}};
  return out;
}

Json SynthSummaryToJson(const synth::SynthSummary& summary) {
  Json out = Json::object();
  out["strategy"] = summary.strategy;
  out["pairs"] = summary.pairs;
  Json per = Json::object();
  for (const auto& [k, v] : summary.per_relation) per[k] = v;
  out["per_relation"] = std::move(per);
  out["duplicates_removed"] = summary.duplicates_removed;
  out["elapsed_ms"] = summary.elapsed_ms;
  return out;
}

Json GraphInfoToJson(const storage::GraphInfo& info) {
  Json out = Json::object();
  out["name"] = info.name;
  out["node_count"] = info.node_count;
  out["edge_count"] = info.edge_count;
  out["file_count"] = info.file_count;
  return out;
}

}  // namespace kg::server
