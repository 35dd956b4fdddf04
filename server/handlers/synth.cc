// POST /v1/graphs/{graph}/synth {"strategy"?, "seed"?, "max_pairs"?, "format"?}: a synchronous
// synthesis job whose JSONL lands in <data_dir>/jobs/<id>.jsonl.
#include <filesystem>
#include <fstream>

#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/json_codec.h"
#include "server/request_body.h"
#include "synth/export.h"
#include "synth/strategies.h"
#include "synth/synth.h"

namespace kg::server::handlers {

namespace fs = std::filesystem;

namespace {

std::string Names(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

Result<ApiResponse> Synth(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  KG_RETURN_IF_ERROR(CheckFields(body, {"strategy", "seed", "max_pairs", "format"}));
  synth::SynthRequest req;
  KG_ASSIGN_OR_RETURN(auto strategy, GetString(body, "strategy"));
  KG_ASSIGN_OR_RETURN(auto seed, GetUint(body, "seed"));
  KG_ASSIGN_OR_RETURN(auto max_pairs, GetInt(body, "max_pairs"));
  KG_ASSIGN_OR_RETURN(auto format, GetString(body, "format"));
  if (strategy) req.strategy = *strategy;
  if (seed) req.seed = *seed;
  if (max_pairs) req.max_pairs = *max_pairs;
  if (format) req.format = *format;

  // Validate before a job exists, so a bad request leaves no failed job behind.
  if (synth::FindStrategy(req.strategy) == nullptr) {
    std::vector<std::string_view> names;
    for (const auto& s : synth::Strategies()) names.push_back(s.name);
    return Status::InvalidArgument("unknown synthesis strategy '" + req.strategy +
                                   "' (supported: " + Names(names) + ")");
  }
  if (!synth::IsKnownFormat(req.format)) {
    return Status::InvalidArgument("unknown format '" + req.format +
                                   "' (supported: " + Names(synth::ExportFormats()) + ")");
  }
  if (req.max_pairs < 0) {
    return Status::InvalidArgument("field 'max_pairs' must be >= 0 (0 means no cap), got " +
                                   std::to_string(req.max_pairs));
  }
  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());

  Json params = Json{{"strategy", req.strategy},
                     {"seed", req.seed},
                     {"max_pairs", req.max_pairs},
                     {"format", req.format}};
  KG_ASSIGN_OR_RETURN(JobRecord job, context.jobs().Create("synth", graph, params));
  std::string final_path = context.jobs().ResultsPath(job.id);
  std::string tmp_path = final_path + ".tmp";
  Result<synth::SynthSummary> summary = Status::Internal("synthesis did not run");
  {
    std::ofstream out(tmp_path, std::ios::binary | std::ios::trunc);
    if (!out) {
      summary = Status::IOError("cannot create " + tmp_path);
    } else {
      summary = synth::RunSynth(context.store(), graph, req, out);
      out.close();
      if (summary.ok() && !out) summary = Status::IOError("cannot write " + tmp_path);
    }
  }
  std::error_code ec;
  if (summary.ok()) {
    fs::rename(tmp_path, final_path, ec);
    if (ec)
      summary = Status::IOError("cannot rename results to " + final_path + ": " + ec.message());
  }
  if (!summary.ok()) {
    fs::remove(tmp_path, ec);
    job.state = "failed";
    job.error = Json{{"code", std::string(Status::CodeName(summary.status().code()))},
                     {"message", summary.status().message()}};
    (void)context.jobs().Save(&job);  // the request's error is what matters to the caller
    context.metrics().RecordJob("synth", "failed");
    return summary.status();
  }
  job.state = "succeeded";
  job.summary = SynthSummaryToJson(*summary);
  job.has_results = true;
  KG_RETURN_IF_ERROR(context.jobs().Save(&job));
  context.metrics().RecordJob("synth", "succeeded");
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}});
}

}  // namespace kg::server::handlers
