// POST /v1/graphs/{graph}/query {"query", "params"?, "limit"?, "timeout_ms"?}.
#include "query/engine.h"
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/json_codec.h"
#include "server/request_body.h"

namespace kg::server::handlers {

Result<ApiResponse> Query(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {"query", "params", "limit", "timeout_ms"}));
  KG_ASSIGN_OR_RETURN(auto text, GetString(body, "query"));
  if (!text) return Status::InvalidArgument("missing required field 'query'");
  KG_ASSIGN_OR_RETURN(const Json* params, GetObject(body, "params"));
  KG_ASSIGN_OR_RETURN(auto limit, GetInt(body, "limit"));
  KG_ASSIGN_OR_RETURN(auto timeout_ms, GetInt(body, "timeout_ms"));

  const ServerOptions& opts = context.options();
  query::QueryOptions options;
  options.max_rows = limit.value_or(opts.default_query_rows);
  if (options.max_rows < 1 || options.max_rows > opts.max_query_rows) {
    return Status::InvalidArgument("field 'limit' must be between 1 and " +
                                   std::to_string(opts.max_query_rows) + ", got " +
                                   std::to_string(options.max_rows));
  }
  options.timeout_ms = timeout_ms.value_or(opts.default_query_timeout_ms);
  if (options.timeout_ms < 1 || options.timeout_ms > opts.max_query_timeout_ms) {
    return Status::InvalidArgument("field 'timeout_ms' must be between 1 and " +
                                   std::to_string(opts.max_query_timeout_ms) + ", got " +
                                   std::to_string(options.timeout_ms));
  }
  options.max_expansions = opts.max_expansions;
  if (params != nullptr) {
    for (auto it = params->begin(); it != params->end(); ++it) {
      KG_ASSIGN_OR_RETURN(Value v, JsonToValue(it.value(), "params." + it.key()));
      options.params[it.key()] = std::move(v);
    }
  }

  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());
  Result<query::QueryResult> executed = query::ExecuteQuery(context.store(), graph, *text, options);
  if (!executed.ok()) {
    if (executed.status().IsTimeout()) context.metrics().RecordQueryLimitHit("timeout");
    return executed.status();
  }
  query::QueryResult& result = *executed;
  if (!result.limit_hit.empty()) context.metrics().RecordQueryLimitHit(result.limit_hit);
  return ApiResponse::FromJson(QueryResultToJson(result));
}

}  // namespace kg::server::handlers
