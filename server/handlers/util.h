#pragma once
// Small helpers shared by the handlers.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/api.h"
#include "server/context.h"
#include "storage/graph_store.h"

namespace kg::server::handlers {

// The graph's info; NotFound "graph '<name>' does not exist" when absent (InvalidArgument for a
// malformed name, as the store reports it).
Result<storage::GraphInfo> RequireGraph(ServerContext& context, std::string_view graph);

// InvalidArgument "unknown query parameter 'x' (expected one of: a, b)" for the first ?key not
// in `allowed`.
Status CheckQueryParams(const ApiRequest& request, std::initializer_list<std::string_view> allowed);

// The last value of ?name=, or nullopt when absent.
std::optional<std::string> QueryParam(const ApiRequest& request, const std::string& name);

// ?name= as an integer in [min, max]; `fallback` when absent. InvalidArgument naming the
// parameter when it is not an integer or out of range.
Result<int64_t> IntQueryParam(const ApiRequest& request, const std::string& name, int64_t fallback,
                              int64_t min, int64_t max);

// ?name= as a boolean ("true"/"1" or "false"/"0"; present without a value = true); `fallback`
// when absent. InvalidArgument naming the parameter otherwise.
Result<bool> BoolQueryParam(const ApiRequest& request, const std::string& name, bool fallback);

// True when `authorization` (the header's value) is exactly "Bearer <token>"; compared in time
// independent of where the first difference is.
bool TokenMatches(std::string_view authorization, std::string_view token);

// True when no token is configured, or the request's Authorization header carries it.
bool HasWriteAccess(const ServerContext& context, const ApiRequest& request);

// PermissionDenied when ServerOptions::allowed_roots is not empty and the canonical `path` is
// not inside one of them (each compared canonically, whole path components only).
Status CheckAllowedRoot(const ServerContext& context, const std::string& path);

}  // namespace kg::server::handlers
