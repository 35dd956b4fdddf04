// POST /v1/graphs/{graph}/ingest[?wait=true] {"path", "watch"?, "debounce_ms"?}: an ingest job
// (202 with the job at once; 200 with the report when ?wait=true), or a watch ("watch": true:
// the initial ingest runs in the request, then the folder is re-ingested as it changes).
// DELETE /v1/graphs/{graph}/watch stops the watch. Watches persist across restarts
// (server/watches.h).
#include <chrono>
#include <filesystem>
#include <mutex>

#include "ingest/ingest.h"
#include "ingest/watch.h"
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/job_runners.h"
#include "server/json_codec.h"
#include "server/request_body.h"
#include "server/watches.h"

namespace kg::server::handlers {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kDefaultDebounceMs = 200;
constexpr auto kWaitForever = std::chrono::hours(24 * 365);

}  // namespace

Result<ApiResponse> Ingest(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {"wait"}));
  KG_ASSIGN_OR_RETURN(bool wait, BoolQueryParam(request, "wait", false));
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {"path", "watch", "debounce_ms"}));
  KG_ASSIGN_OR_RETURN(auto path, GetString(body, "path"));
  if (!path) return Status::InvalidArgument("missing required field 'path'");
  if (path->empty()) return Status::InvalidArgument("field 'path' must not be empty");
  // The OS would cut the path at a NUL byte: a different folder from the one checked.
  if (path->find('\0') != std::string::npos) {
    return Status::InvalidArgument("field 'path' must not contain NUL bytes");
  }
  bool watch = false;
  if (body.contains("watch") && !body["watch"].is_null()) {
    if (!body["watch"].is_boolean()) {
      return Status::InvalidArgument("field 'watch' must be a boolean, got " +
                                     JsonTypeName(body["watch"]));
    }
    watch = body["watch"].get<bool>();
  }
  KG_ASSIGN_OR_RETURN(auto debounce_ms, GetInt(body, "debounce_ms"));
  if (debounce_ms && (*debounce_ms < 0 || *debounce_ms > 60000)) {
    return Status::InvalidArgument("field 'debounce_ms' must be between 0 and 60000");
  }
  if (debounce_ms && !watch) {
    return Status::InvalidArgument("field 'debounce_ms' only applies with \"watch\": true");
  }

  // Relative paths are resolved against the server's working directory.
  std::error_code ec;
  fs::path root = fs::absolute(fs::path(*path), ec);
  if (ec) return Status::InvalidArgument("invalid path '" + *path + "': " + ec.message());
  // The allowed roots are checked before anything else is said about the path.
  KG_RETURN_IF_ERROR(CheckAllowedRoot(context, root.string()));
  if (!fs::exists(root, ec)) return Status::NotFound("path does not exist: " + root.string());
  if (!fs::is_directory(root, ec)) {
    return Status::InvalidArgument("path is not a directory: " + root.string());
  }
  KG_RETURN_IF_ERROR(context.store().EnsureGraph(graph));  // validates the name, too

  if (watch) {
    KG_ASSIGN_OR_RETURN(Json watch,
                        StartWatch(context, graph, root.string(),
                                   static_cast<int>(debounce_ms.value_or(kDefaultDebounceMs))));
    return ApiResponse::FromJson(watch);
  }
  if (std::string watched = context.WatchedRoot(graph); !watched.empty()) {
    return Status::AlreadyExists("graph '" + graph + "' is being watched (root " + watched +
                                 "); DELETE /v1/graphs/" + graph + "/watch first");
  }
  KG_ASSIGN_OR_RETURN(JobRecord job,
                      context.job_manager().Submit("ingest", graph, Json{{"path", root.string()}}));
  if (!wait) return ApiResponse::FromJson(Json{{"job", job.ToJson()}}, 202);
  KG_ASSIGN_OR_RETURN(job, context.job_manager().Wait(job.id, kWaitForever));
  if (!job.IsFinal()) {
    return Status::Cancelled("the server is stopping; job " + job.id +
                             " resumes when it starts again");
  }
  if (job.state != "succeeded") return StatusFromErrorJson(job.error);
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}, {"report", job.summary}});
}

Result<ApiResponse> StopWatch(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_ASSIGN_OR_RETURN(std::string root, server::StopWatch(context, graph));
  return ApiResponse::FromJson(Json{{"stopped", {{"graph", graph}, {"root", root}}}});
}

}  // namespace kg::server::handlers
