#include "server/api.h"

namespace kg::server {

const std::string& ApiRequest::PathParam(const std::string& name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

std::string DumpJson(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ApiResponse ApiResponse::FromJson(const Json& json, int status) {
  ApiResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = DumpJson(json);
  return r;
}

}  // namespace kg::server
