// POST /v1/graphs/{graph}/ingest {"path": "..."}: a synchronous ingest job.
#include <filesystem>
#include <mutex>

#include "ingest/ingest.h"
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/json_codec.h"
#include "server/request_body.h"

namespace kg::server::handlers {

namespace fs = std::filesystem;

Result<ApiResponse> Ingest(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {"path"}));
  KG_ASSIGN_OR_RETURN(auto path, GetString(body, "path"));
  if (!path) return Status::InvalidArgument("missing required field 'path'");
  if (path->empty()) return Status::InvalidArgument("field 'path' must not be empty");

  // Relative paths are resolved against the server's working directory.
  std::error_code ec;
  fs::path root = fs::absolute(fs::path(*path), ec);
  if (ec) return Status::InvalidArgument("invalid path '" + *path + "': " + ec.message());
  if (!fs::exists(root, ec)) return Status::NotFound("path does not exist: " + root.string());
  if (!fs::is_directory(root, ec)) {
    return Status::InvalidArgument("path is not a directory: " + root.string());
  }

  std::lock_guard<std::mutex> lock(context.GraphWriteMutex(graph));
  KG_RETURN_IF_ERROR(context.store().EnsureGraph(graph));
  KG_ASSIGN_OR_RETURN(JobRecord job,
                      context.jobs().Create("ingest", graph, Json{{"path", root.string()}}));
  auto report = ingest::IngestPath(context.store(), graph, root.string());
  if (!report.ok()) {
    job.state = "failed";
    job.error = Json{{"code", std::string(Status::CodeName(report.status().code()))},
                     {"message", report.status().message()}};
    (void)context.jobs().Save(&job);  // the request's error is what matters to the caller
    context.metrics().RecordJob("ingest", "failed");
    return report.status();
  }
  Json report_json = IngestReportToJson(*report);
  job.state = "succeeded";
  job.summary = report_json;
  KG_RETURN_IF_ERROR(context.jobs().Save(&job));
  context.metrics().RecordJob("ingest", "succeeded");
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}, {"report", report_json}});
}

}  // namespace kg::server::handlers
