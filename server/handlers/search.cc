// GET /v1/graphs/{graph}/search?q=&limit= : ranked entity search over symbol names.
#include <algorithm>
#include <set>

#include "query/engine.h"
#include "server/context.h"
#include "server/entity_rank.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/json_codec.h"

namespace kg::server::handlers {

namespace {

constexpr size_t kMaxQueryChars = 256;
constexpr int64_t kMaxCandidates = 2'000'000;
constexpr size_t kMaxSuggestions = 5;

// Labels searched, in tie-break order.
constexpr std::string_view kLabels[] = {"Class",  "Function", "Method",
                                        "Module", "Variable", "Field"};

struct Candidate {
  std::string id, label, name, qualified_name, path, signature;
  Value start_line;
  int score = 0;
  size_t label_rank = 0;
};

std::string StringOr(const Value& v) { return v.is_string() ? v.as_string() : std::string(); }

}  // namespace

Result<ApiResponse> Search(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {"q", "limit"}));
  std::optional<std::string> q = QueryParam(request, "q");
  if (!q || q->find_first_not_of(" \t") == std::string::npos) {
    return Status::InvalidArgument("query parameter 'q' is required and must not be blank");
  }
  if (q->size() > kMaxQueryChars) {
    return Status::InvalidArgument("query parameter 'q' is longer than " +
                                   std::to_string(kMaxQueryChars) + " characters");
  }
  std::string needle = q->substr(q->find_first_not_of(" \t"));
  needle = needle.substr(0, needle.find_last_not_of(" \t") + 1);
  KG_ASSIGN_OR_RETURN(int64_t limit, IntQueryParam(request, "limit", 10, 1, 100));
  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());

  std::string label_list;
  for (std::string_view l : kLabels) label_list += (label_list.empty() ? "" : "|") + std::string(l);
  query::QueryOptions options;
  options.max_rows = kMaxCandidates;
  KG_ASSIGN_OR_RETURN(query::QueryResult result,
                      query::ExecuteQuery(context.store(), graph,
                                          "MATCH (n:" + label_list +
                                              ") RETURN id(n), labels(n), n.name, "
                                              "n.qualified_name, n.path, n.start_line, "
                                              "n.signature, n.docstring",
                                          options));
  std::vector<Candidate> matches;
  // Names for "did you mean" (distinct, lower-cased -> shown spelling).
  std::map<std::string, std::string> names;
  for (const ValueList& row : result.rows) {
    if (row.size() < 8) continue;
    Candidate c;
    c.id = StringOr(row[0]);
    c.label_rank = std::size(kLabels);
    if (row[1].is_list()) {
      for (const Value& l : row[1].as_list()) {
        if (!l.is_string()) continue;
        for (size_t i = 0; i < std::size(kLabels); ++i) {
          if (kLabels[i] == l.as_string() && i < c.label_rank) {
            c.label_rank = i;
            c.label = l.as_string();
          }
        }
      }
    }
    c.name = StringOr(row[2]);
    c.qualified_name = StringOr(row[3]);
    c.score = MatchScore(needle, c.name, c.qualified_name, StringOr(row[7]));
    if (c.score == 0) {
      if (!c.name.empty()) names.emplace(LowerAscii(c.name), c.name);
      continue;
    }
    c.path = StringOr(row[4]);
    c.start_line = row[5];
    c.signature = StringOr(row[6]);
    matches.push_back(std::move(c));
  }
  std::sort(matches.begin(), matches.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.name.size() != b.name.size()) return a.name.size() < b.name.size();
    if (a.label_rank != b.label_rank) return a.label_rank < b.label_rank;
    return a.id < b.id;
  });

  Json out = Json::object();
  out["query"] = needle;
  out["total"] = matches.size();
  Json results = Json::array();
  for (size_t i = 0; i < matches.size() && i < static_cast<size_t>(limit); ++i) {
    const Candidate& c = matches[i];
    results.push_back(Json{{"id", c.id},
                           {"kind", c.label},
                           {"name", c.name},
                           {"qualified_name", c.qualified_name},
                           {"path", c.path},
                           {"start_line", ValueToJson(c.start_line)},
                           {"signature", c.signature.empty() ? Json() : Json(c.signature)},
                           {"score", c.score}});
  }
  out["results"] = std::move(results);
  out["truncated"] = matches.size() > static_cast<size_t>(limit);
  if (result.truncated) {
    out["note"] = "the graph has more than " + std::to_string(kMaxCandidates) +
                  " symbols; only the first were searched";
  }
  if (matches.empty()) {
    // Close names by edit distance: at most a third of the query's length (at least 2).
    size_t cap = std::max<size_t>(2, needle.size() / 3);
    std::vector<std::pair<size_t, std::string>> close;
    for (const auto& [lower, shown] : names) {
      size_t d = EditDistance(needle, lower, cap);
      if (d <= cap) close.emplace_back(d, shown);
    }
    std::sort(close.begin(), close.end());
    Json suggestions = Json::array();
    for (size_t i = 0; i < close.size() && i < kMaxSuggestions; ++i) {
      suggestions.push_back(close[i].second);
    }
    std::string reason =
        "no Class, Function, Method, Module, Variable or Field name, qualified "
        "name or docstring in graph '" +
        graph + "' matches '" + needle + "'";
    if (!suggestions.empty()) {
      reason += "; did you mean ";
      for (size_t i = 0; i < suggestions.size(); ++i) {
        reason += (i ? ", '" : "'") + suggestions[i].get<std::string>() + "'";
      }
      reason += "?";
    }
    out["reason"] = reason;
    out["suggestions"] = std::move(suggestions);
  }
  return ApiResponse::FromJson(out);
}

}  // namespace kg::server::handlers
