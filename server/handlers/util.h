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

}  // namespace kg::server::handlers
