#include "server/routes.h"

#include "server/handlers/handlers.h"

namespace kg::server {

const std::vector<Route>& Routes() {
  namespace h = handlers;
  // clang-format off
  static const std::vector<Route> kRoutes = {
    // method   pattern                          handler          doc                                                    writes
    {"GET",    "/healthz",                       &h::Health,      "liveness: {\"status\": \"ok\"}",                      false},
    {"GET",    "/metrics",                       &h::GetMetrics,  "Prometheus text: requests, latency, limit hits, jobs", false},
    {"GET",    "/v1",                            &h::ListRoutes,  "this table: every route with its doc",                false},
    {"GET",    "/v1/graphs",                     &h::ListGraphs,  "all graphs with node/edge/file counts",               false},
    {"GET",    "/v1/graphs/{graph}",             &h::GetGraph,    "one graph with counts per label and edge type",       false},
    {"POST",   "/v1/graphs/{graph}",             &h::CreateGraph, "create an empty graph (409 if it exists)",            true},
    {"DELETE", "/v1/graphs/{graph}",             &h::DeleteGraph, "delete a graph and all its facts",                    true},
    {"POST",   "/v1/graphs/{graph}/check",       &h::CheckCode,   "check the APIs a code snippet uses {code, language} against the graph", false},
    {"POST",   "/v1/graphs/{graph}/fsck",        &h::FsckGraph,   "integrity check of a graph: {fsck: {ok, nodes, edges, index_entries, files, problems}}", false},
    {"POST",   "/v1/graphs/{graph}/ingest",      &h::Ingest,      "ingest a folder {path} as a job (202; ?wait=true: 200 when done), or watch it {watch: true}", true},
    {"DELETE", "/v1/graphs/{graph}/watch",       &h::StopWatch,   "stop watching the graph's folder",                    true},
    {"POST",   "/v1/graphs/{graph}/query",       &h::Query,       "run a Cypher-like query {query, params, limit, timeout_ms}", false},
    {"GET",    "/v1/graphs/{graph}/search",      &h::Search,      "ranked entity search ?q=&limit= over symbol names",   false},
    {"GET",    "/v1/graphs/{graph}/nodes/{id}",  &h::GetNode,     "one node (id percent-encoded) with code and edge counts", false},
    {"GET",    "/v1/graphs/{graph}/nodes/{id}/tree", &h::NodeTree, "traversal tree ?depth=&direction=&types=&format=",  false},
    {"POST",   "/v1/graphs/{graph}/synth",       &h::Synth,       "a synthesis job {strategy, seed, max_pairs, format} (202; ?wait=true: 200 when done)", true},
    {"POST",   "/mcp",                           &h::Mcp,         "MCP (JSON-RPC 2.0, streamable HTTP): tools query, search, get_node, traverse", false},
    {"GET",    "/mcp",                           &h::McpGet,      "405: no server-initiated MCP stream",                 false},
    {"GET",    "/v1/jobs",                       &h::ListJobs,    "jobs, newest first ?state=&kind=&graph=&limit=",      false},
    {"GET",    "/v1/jobs/{id}",                  &h::GetJob,      "a job's state, progress {done, total, rate, eta_s} and summary", false},
    {"DELETE", "/v1/jobs/{id}",                  &h::CancelJob,   "cancel a queued or running job (state 'cancelled')",  true},
    {"GET",    "/v1/jobs/{id}/results",          &h::JobResults,  "a job's results as JSON lines (application/x-ndjson)", false},
    {"GET",    "/",                              &h::WebIndex,    "the web explorer (clients/web)",                      false},
    {"GET",    "/ui/{file}",                     &h::WebAsset,    "the web explorer's scripts and styles",               false},
    {"GET",    "/v1/openapi.json",               &h::OpenApi,     "the OpenAPI 3 description of these routes",           false},
  };
  // clang-format on
  return kRoutes;
}

std::string PercentDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
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
      found[std::string(pseg.substr(1, pseg.size() - 2))] = PercentDecode(sseg);
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
