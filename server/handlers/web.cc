// GET / and GET /ui/{file}: the web explorer (clients/web), served from the embedded copies.
#include "clients/web/assets.h"
#include "server/context.h"
#include "server/handlers/handlers.h"

namespace kg::server::handlers {
namespace {

ApiResponse AssetResponse(const clients::web::Asset& asset) {
  ApiResponse response;
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.body);
  return response;
}

}  // namespace

Result<ApiResponse> WebIndex(ServerContext&, const ApiRequest&) {
  return AssetResponse(clients::web::Assets().front());
}

Result<ApiResponse> WebAsset(ServerContext&, const ApiRequest& request) {
  const std::string& name = request.PathParam("file");
  const clients::web::Asset* asset = clients::web::FindAsset(name);
  if (asset == nullptr) {
    return Status::NotFound("no explorer file '" + name + "' (the explorer is at /)");
  }
  return AssetResponse(*asset);
}

}  // namespace kg::server::handlers
