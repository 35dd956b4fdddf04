#pragma once
// The HTTP routes of codekgd, declared once in one table (routes.cc). server/api.md documents
// the same routes with request and response bodies.
//
// A pattern is a '/'-separated path; a segment `{name}` matches one non-empty segment and is
// handed to the handler as path_params[name], percent-decoded. Matching is exact otherwise (no
// trailing slash). Paths are matched still percent-encoded, so an encoded '/' (%2F) stays inside
// one segment: node ids such as `shop/models.py:GiftCard` travel as `shop%2Fmodels.py%3AGiftCard`.
// Pure data and pure functions; thread-safe.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/api.h"

namespace kg::server {

struct Route {
  std::string_view method;   // "GET", "POST" or "DELETE"
  std::string_view pattern;  // e.g. "/v1/graphs/{graph}/query"
  Handler handler;
  std::string_view doc;  // one line
  bool writes;           // changes state (needs the bearer token when one is configured)
};

// Every route, in documentation order.
const std::vector<Route>& Routes();

struct RouteMatch {
  const Route* route = nullptr;  // nullptr: no route for (method, path)
  std::map<std::string, std::string> params;
  // When route is nullptr: the methods that do have a route for this path (empty if none).
  std::vector<std::string_view> allowed_methods;
};

// Finds the route for `method` (HEAD is treated as GET) and the raw (not yet percent-decoded)
// `path`.
RouteMatch MatchRoute(std::string_view method, std::string_view path);

// "%XX" -> the byte 0xXX; a '%' not followed by two hex digits stays as it is; '+' stays '+'.
std::string PercentDecode(std::string_view text);

// Matches one pattern against a raw path, filling `params` (decoded). Exposed for tests.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params);

}  // namespace kg::server
