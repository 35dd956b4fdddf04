// POST /v1/graphs/{graph}/ingest[?wait=true] {"path", "watch"?, "debounce_ms"?}: an ingest job
// (202 with the job at once; 200 with the report when ?wait=true), or a watch ("watch": true:
// the initial ingest runs in the request, then the folder is re-ingested as it changes).
// DELETE /v1/graphs/{graph}/watch stops the watch.
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

namespace kg::server::handlers {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kDefaultDebounceMs = 200;
constexpr auto kWaitForever = std::chrono::hours(24 * 365);

Result<ApiResponse> StartWatch(ServerContext& context, const std::string& graph,
                               const std::string& root, int debounce_ms) {
  std::lock_guard<std::mutex> lock(context.GraphWriteMutex(graph));
  if (std::string watched = context.WatchedRoot(graph); !watched.empty()) {
    return Status::AlreadyExists("graph '" + graph + "' is already watched (root " + watched + ")");
  }
  ingest::IngestOptions options;
  options.allowed_roots = context.options().allowed_roots;
  Metrics* metrics = &context.metrics();
  Json initial;
  // The first report (the initial ingest) arrives inside Watcher::Start, while `initial` lives;
  // later ones only count and log.
  auto on_report = [metrics, graph, &initial,
                    first = true](const Result<ingest::IngestReport>& report) mutable {
    if (first) {
      first = false;
      if (report.ok()) initial = IngestReportToJson(*report);
      return;
    }
    metrics->RecordJob("watch_ingest", report.ok() ? "succeeded" : "failed");
    if (!report.ok()) {
      std::fprintf(stderr, "codekgd: watch of graph %s: %s\n", graph.c_str(),
                   report.status().ToString().c_str());
    }
  };
  KG_ASSIGN_OR_RETURN(auto watcher, ingest::Watcher::Start(context.store(), graph, root, options,
                                                           debounce_ms, std::move(on_report)));
  std::string canonical = watcher->root();
  KG_RETURN_IF_ERROR(context.AddWatch(graph, std::move(watcher)));
  return ApiResponse::FromJson(
      Json{{"watch", {{"graph", graph}, {"root", canonical}, {"debounce_ms", debounce_ms}}},
           {"report", initial}});
}

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
    return StartWatch(context, graph, root.string(),
                      static_cast<int>(debounce_ms.value_or(kDefaultDebounceMs)));
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
  std::string root = context.WatchedRoot(graph);
  if (root.empty() || !context.RemoveWatch(graph)) {
    return Status::NotFound("graph '" + graph + "' is not being watched");
  }
  return ApiResponse::FromJson(Json{{"stopped", {{"graph", graph}, {"root", root}}}});
}

}  // namespace kg::server::handlers
