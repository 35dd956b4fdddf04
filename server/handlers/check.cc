// POST /v1/graphs/{graph}/check {"code", "language"?}: checks the APIs a code snippet uses
// against the graph (synth::CheckApi, synth/check/api_check.h).
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/request_body.h"
#include "synth/check/api_check.h"

namespace kg::server::handlers {

Result<ApiResponse> CheckCode(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {}));
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {"code", "language"}));
  KG_ASSIGN_OR_RETURN(auto code, GetString(body, "code"));
  if (!code) return Status::InvalidArgument("missing required field 'code'");
  KG_ASSIGN_OR_RETURN(auto language, GetString(body, "language"));
  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());
  KG_ASSIGN_OR_RETURN(nlohmann::json result,
                      synth::CheckApi(context.store(), graph, *code, language.value_or("python")));
  return ApiResponse::FromJson(Json::parse(result.dump()));
}

}  // namespace kg::server::handlers
