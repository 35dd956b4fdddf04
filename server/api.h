#pragma once
// The transport-neutral request/response types every handler works with.
//
// Handlers (server/handlers/*.cc) never see httplib: server.cc converts an HTTP request into an
// ApiRequest, calls the handler chosen by the routes table (routes.h), and writes the ApiResponse
// back. A handler returns either a response or a non-OK Status; the Status is turned into an HTTP
// status and a JSON error body in exactly one place (http_status.h).

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace kg::server {

// Every JSON document the server reads or writes. Keys keep insertion order.
using Json = nlohmann::ordered_json;

struct ApiRequest {
  std::string method;  // "GET", "POST", "DELETE", ... (HEAD arrives as "GET")
  std::string path;    // decoded, without the query string
  std::string body;
  std::map<std::string, std::string> headers;      // names lower-cased
  std::multimap<std::string, std::string> query;   // ?key=value pairs
  std::map<std::string, std::string> path_params;  // from {name} segments of the route pattern

  // The path parameter `name`, or "" when the route has none of that name.
  const std::string& PathParam(const std::string& name) const;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When non-empty, the response body is the content of this file, streamed in chunks (body is
  // ignored). The file must not change while it is being served.
  std::string stream_file;

  // A JSON response; invalid UTF-8 in strings is replaced by U+FFFD so the body is always valid.
  static ApiResponse FromJson(const Json& json, int status = 200);
};

class ServerContext;

// A request handler. Returns the response, or a non-OK Status that becomes a JSON error.
// Must not throw (the dispatcher still catches everything, reporting an Internal error).
using Handler = Result<ApiResponse> (*)(ServerContext& context, const ApiRequest& request);

// Serializes `json` the way every response does (compact, invalid UTF-8 replaced).
std::string DumpJson(const Json& json);

}  // namespace kg::server
