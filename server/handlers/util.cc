#include "server/handlers/util.h"

#include <string>

namespace kg::server::handlers {

Result<storage::GraphInfo> RequireGraph(ServerContext& context, std::string_view graph) {
  auto info = context.store().GetGraph(graph);
  if (!info.ok() && info.status().IsNotFound()) {
    return Status::NotFound("graph '" + std::string(graph) + "' does not exist");
  }
  return info;
}

}  // namespace kg::server::handlers
