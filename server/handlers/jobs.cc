// GET /v1/jobs/{id}, GET /v1/jobs/{id}/results.
#include <filesystem>

#include "server/context.h"
#include "server/handlers/handlers.h"

namespace kg::server::handlers {

Result<ApiResponse> GetJob(ServerContext& context, const ApiRequest& request) {
  KG_ASSIGN_OR_RETURN(JobRecord job, context.jobs().Get(request.PathParam("id")));
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}});
}

Result<ApiResponse> JobResults(ServerContext& context, const ApiRequest& request) {
  KG_ASSIGN_OR_RETURN(JobRecord job, context.jobs().Get(request.PathParam("id")));
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
