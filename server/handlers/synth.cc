// POST /v1/graphs/{graph}/synth[?wait=true] {synthesis spec}: a synthesis job (202 at once; 200
// once done with ?wait=true) whose JSONL lands in <data_dir>/jobs/<id>.jsonl (runner:
// server/job_runners.cc). The body is a synth::SynthSpec (synth/job.h: strategy or mix, seed,
// count/max_pairs, format, filters, negatives, check_api, dedup).
#include <chrono>

#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/handlers/util.h"
#include "server/job_runners.h"
#include "server/request_body.h"
#include "synth/job.h"

namespace kg::server::handlers {

Result<ApiResponse> Synth(ServerContext& context, const ApiRequest& request) {
  const std::string& graph = request.PathParam("graph");
  KG_RETURN_IF_ERROR(CheckQueryParams(request, {"wait"}));
  KG_ASSIGN_OR_RETURN(bool wait, BoolQueryParam(request, "wait", false));
  KG_ASSIGN_OR_RETURN(Json body, ParseJsonObject(request.body));
  // Validate before a job exists, so a bad request leaves no failed job behind.
  KG_ASSIGN_OR_RETURN(synth::SynthSpec spec,
                      synth::ParseSynthSpec(nlohmann::json::parse(body.dump())));
  KG_RETURN_IF_ERROR(RequireGraph(context, graph).status());

  // The stored request is the normalized spec, so a restarted server resumes the same job.
  Json params = Json::parse(synth::SynthSpecToJson(spec).dump());
  KG_ASSIGN_OR_RETURN(JobRecord job, context.job_manager().Submit("synth", graph, params));
  if (!wait) return ApiResponse::FromJson(Json{{"job", job.ToJson()}}, 202);
  KG_ASSIGN_OR_RETURN(job, context.job_manager().Wait(job.id, std::chrono::hours(24 * 365)));
  if (!job.IsFinal()) {
    return Status::Cancelled("the server is stopping; job " + job.id +
                             " resumes when it starts again");
  }
  if (job.state != "succeeded") return StatusFromErrorJson(job.error);
  return ApiResponse::FromJson(Json{{"job", job.ToJson()}});
}

}  // namespace kg::server::handlers
