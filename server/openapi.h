#pragma once
// The OpenAPI 3 description of the HTTP API: server/openapi.json, embedded at build time and
// served by GET /v1/openapi.json. Its `paths` list exactly the routes of routes.cc (a test
// checks both directions).

#include <string_view>

namespace kg::server {

extern const std::string_view kOpenApiJson;

}  // namespace kg::server
