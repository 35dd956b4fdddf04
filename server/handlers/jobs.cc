// GET /v1/jobs, GET /v1/jobs/{id}, DELETE /v1/jobs/{id}, GET /v1/jobs/{id}/results.
#include <filesystem>

#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"

namespace kg::server::handlers {

Result<ApiResponse> ListJobs(ServerContext& context, const ApiRequest& request) {
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {"state", "kind", "graph", "limit"}));
  KG_ASSIGN_OR_RETURN(int64_t limit, IntQueryParam(request, "limit", 100, 1, 10000));
  std::optional<std::string> state = QueryParam(request, "state");
  std::optional<std::string> kind = QueryParam(request, "kind");
  std::optional<std::string> graph = QueryParam(request, "graph");
  KG_ASSIGN_OR_RETURN(std::vector<JobRecord> jobs, context.job_manager().List());
  Json out = Json::array();
  size_t matching = 0;
  // Newest first.
  for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) {
    if ((state && it->state != *state) || (kind && it->kind != *kind) ||
        (graph && it->graph != *graph)) {
      continue;
    }
    ++matching;
    if (static_cast<int64_t>(out.size()) < limit) out.push_back(it->ToJson());
  }
  return ApiResponse::FromJson(
      Json{{"jobs", out}, {"total", matching}, {"truncated", matching > out.size()}});
}

Result<ApiResponse> GetJob(ServerContext& context, const ApiRequest& request) {
  KG_ASSIGN_OR_RETURN(JobRecord job, context.job_manager().Get(request.PathParam("id")));
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}});
}

Result<ApiResponse> CancelJob(ServerContext& context, const ApiRequest& request) {
  KG_ASSIGN_OR_RETURN(JobRecord job, context.job_manager().Cancel(request.PathParam("id")));
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}});
}

Result<ApiResponse> JobResults(ServerContext& context, const ApiRequest& request) {
  KG_ASSIGN_OR_RETURN(JobRecord job, context.job_manager().Get(request.PathParam("id")));
  if (!job.has_results) {
    return Status::NotFound("job '" + job.id + "' (" + job.kind + ", " + job.state +
                            ") has no results");
  }
  std::string path = context.jobs().ResultsPath(job.id);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("results of job '" + job.id + "' are missing from " + path);
  }
  ApiResponse r;
  r.content_type = "application/x-ndjson";
  r.stream_file = path;
  return r;
}

}  // namespace kg::server::handlers
