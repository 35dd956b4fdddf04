#include "server/routes.h"

#include "server/handlers/handlers.h"

namespace kg::server {

const std::vector<Route>& Routes() {
  namespace h = handlers;
  // clang-format off
  static const std::vector<Route> kRoutes = {
    // method   pattern                          handler          doc                                                    writes
    {"GET",    "/healthz",                       &h::Health,      "liveness: {\"status\": \"ok\"}",                      false},
    {"GET",    "/v1",                            &h::ListRoutes,  "this table: every route with its doc",                false},
    {"GET",    "/v1/graphs",                     &h::ListGraphs,  "all graphs with node/edge/file counts",               false},
    {"GET",    "/v1/graphs/{graph}",             &h::GetGraph,    "one graph with counts per label and edge type",       false},
    {"POST",   "/v1/graphs/{graph}",             &h::CreateGraph, "create an empty graph (409 if it exists)",            true},
    {"DELETE", "/v1/graphs/{graph}",             &h::DeleteGraph, "delete a graph and all its facts",                    true},
    {"POST",   "/v1/graphs/{graph}/ingest",      &h::Ingest,      "ingest a source folder {path} (synchronous job)",     true},
    {"POST",   "/v1/graphs/{graph}/query",       &h::Query,       "run a Cypher-like query {query, params, limit, timeout_ms}", false},
    {"POST",   "/v1/graphs/{graph}/synth",       &h::Synth,       "run a synthesis job {strategy, seed, max_pairs, format}", true},
    {"GET",    "/v1/jobs/{id}",                  &h::GetJob,      "a job's state and summary",                           false},
    {"GET",    "/v1/jobs/{id}/results",          &h::JobResults,  "a job's results as JSON lines (application/x-ndjson)", false},
  };
  // clang-format on
  return kRoutes;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  std::map<std::string, std::string> found;
  size_t pi = 0, si = 0;
  while (true) {
    bool pattern_end = pi >= pattern.size();
    bool path_end = si >= path.size();
    if (pattern_end || path_end) {
      if (!(pattern_end && path_end)) return false;
      break;
    }
    if (pattern[pi] != '/' || path[si] != '/') return false;
    ++pi;
    ++si;
    size_t pe = pattern.find('/', pi);
    if (pe == std::string_view::npos) pe = pattern.size();
    size_t se = path.find('/', si);
    if (se == std::string_view::npos) se = path.size();
    std::string_view pseg = pattern.substr(pi, pe - pi);
    std::string_view sseg = path.substr(si, se - si);
    if (pseg.size() >= 2 && pseg.front() == '{' && pseg.back() == '}') {
      if (sseg.empty()) return false;
      found[std::string(pseg.substr(1, pseg.size() - 2))] = std::string(sseg);
    } else if (pseg != sseg) {
      return false;
    }
    pi = pe;
    si = se;
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

RouteMatch MatchRoute(std::string_view method, std::string_view path) {
  if (method == "HEAD") method = "GET";
  RouteMatch match;
  for (const Route& r : Routes()) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == method) {
      match.route = &r;
      match.params = std::move(params);
      match.allowed_methods.clear();
      return match;
    }
    match.allowed_methods.push_back(r.method);
  }
  return match;
}

}  // namespace kg::server
