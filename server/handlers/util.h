#pragma once
// Small helpers shared by the handlers.

#include <string_view>

#include "common/result.h"
#include "server/context.h"
#include "storage/graph_store.h"

namespace kg::server::handlers {

// The graph's info; NotFound "graph '<name>' does not exist" when absent (InvalidArgument for a
// malformed name, as the store reports it).
Result<storage::GraphInfo> RequireGraph(ServerContext& context, std::string_view graph);

}  // namespace kg::server::handlers
