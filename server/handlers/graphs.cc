// GET /v1/graphs, GET|POST|DELETE /v1/graphs/{graph}, POST /v1/graphs/{graph}/fsck.
#include <mutex>

#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/json_codec.h"
#include "server/request_body.h"
#include "server/watches.h"

namespace kg::server::handlers {

Result<ApiResponse> ListGraphs(ServerContext& context, const ApiRequest&) {
  KG_ASSIGN_OR_RETURN(auto graphs, context.store().ListGraphs());
  Json list = Json::array();
  for (const auto& g : graphs) list.push_back(GraphInfoToJson(g));
  return ApiResponse::FromJson(Json{{"graphs", list}});
}

Result<ApiResponse> GetGraph(ServerContext& context, const ApiRequest& request) {
  const std::string& name = request.PathParam("graph");
  KG_ASSIGN_OR_RETURN(storage::GraphInfo info, RequireGraph(context, name));
  Json out = GraphInfoToJson(info);
  KG_ASSIGN_OR_RETURN(auto snapshot, context.store().GetSnapshot(name));
  // Counts per label and edge type (non-zero only), from the planner statistics.
  Json labels = Json::object();
  for (const std::string& label : context.store().KnownLabels()) {
    auto id = context.store().LabelIdFor(label);
    if (!id.ok()) continue;
    KG_ASSIGN_OR_RETURN(uint64_t n, snapshot->CountLabel(*id));
    if (n > 0) labels[label] = n;
  }
  Json types = Json::object();
  for (const std::string& type : context.store().KnownEdgeTypes()) {
    auto id = context.store().EdgeTypeIdFor(type);
    if (!id.ok()) continue;
    KG_ASSIGN_OR_RETURN(uint64_t n, snapshot->CountEdgeType(*id));
    if (n > 0) types[type] = n;
  }
  out["labels"] = std::move(labels);
  out["edge_types"] = std::move(types);
  return ApiResponse::FromJson(Json{{"graph", out}});
}

Result<ApiResponse> CreateGraph(ServerContext& context, const ApiRequest& request) {
  const std::string& name = request.PathParam("graph");
  Status s = context.store().CreateGraph(name);
  if (s.IsAlreadyExists()) return Status::AlreadyExists("graph '" + name + "' already exists");
  KG_RETURN_IF_ERROR(s);
  KG_ASSIGN_OR_RETURN(storage::GraphInfo info, RequireGraph(context, name));
  return ApiResponse::FromJson(Json{{"graph", GraphInfoToJson(info)}}, 201);
}

Result<ApiResponse> DeleteGraph(ServerContext& context, const ApiRequest& request) {
  const std::string& name = request.PathParam("graph");
  KG_RETURN_IF_ERROR(RequireGraph(context, name).status());
  // A deleted graph is no longer watched, now or after a restart.
  bool was_watched = server::StopWatch(context, name).ok();
  std::lock_guard<std::mutex> lock(context.GraphWriteMutex(name));
  KG_RETURN_IF_ERROR(RequireGraph(context, name).status());
  KG_RETURN_IF_ERROR(context.store().DropGraph(name));
  return ApiResponse::FromJson(Json{{"deleted", name}, {"watch_stopped", was_watched}});
}

Result<ApiResponse> FsckGraph(ServerContext& context, const ApiRequest& request) {
  const std::string& name = request.PathParam("graph");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {}));
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {}));
  KG_RETURN_IF_ERROR(RequireGraph(context, name).status());
  Result<storage::FsckReport> report = context.store().Fsck(name);
  if (!report.ok() && report.status().IsNotFound()) {
    return Status::NotFound("graph '" + name + "' does not exist");
  }
  KG_RETURN_IF_ERROR(report.status());
  Json problems = Json::array();
  for (const std::string& p : report->problems) problems.push_back(p);
  return ApiResponse::FromJson(Json{{"fsck",
                                     {{"graph", report->graph},
                                      {"ok", report->ok()},
                                      {"nodes", report->nodes},
                                      {"edges", report->edges},
                                      {"index_entries", report->index_entries},
                                      {"files", report->files},
                                      {"problems", problems}}}});
}

}  // namespace kg::server::handlers
