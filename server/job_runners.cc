#include "server/job_runners.h"

#include <filesystem>
#include <fstream>
#include <mutex>

#include "ingest/ingest.h"
#include "server/json_codec.h"
#include "synth/job.h"

namespace kg::server {
namespace {

namespace fs = std::filesystem;

Status RefuseWatched(ServerContext& context, const std::string& graph) {
  std::string root = context.WatchedRoot(graph);
  if (root.empty()) return Status::OK();
  return Status::AlreadyExists("graph '" + graph + "' is being watched (root " + root +
                               "); DELETE /v1/graphs/" + graph + "/watch first");
}

Result<Json> RunIngest(ServerContext& context, JobControl& control) {
  const JobRecord& job = control.job();
  std::string path = job.request.value("path", "");
  if (path.empty()) return Status::InvalidArgument("ingest job without a 'path'");
  std::lock_guard<std::mutex> lock(context.GraphWriteMutex(job.graph));
  KG_RETURN_IF_ERROR(RefuseWatched(context, job.graph));
  KG_RETURN_IF_ERROR(context.store().EnsureGraph(job.graph));
  ingest::IngestOptions options;
  options.allowed_roots = context.options().allowed_roots;
  options.on_progress = [&control](uint64_t done, uint64_t total) {
    control.SetProgress(done, total);
  };
  options.cancelled = [&control] { return control.Cancelled(); };
  KG_ASSIGN_OR_RETURN(ingest::IngestReport report,
                      ingest::IngestPath(context.store(), job.graph, path, options));
  return IngestReportToJson(report);
}

// Observer writing each record as one line of the partial results file.
class FileObserver : public synth::SynthObserver {
 public:
  FileObserver(JobControl& control, std::ofstream& out) : control_(control), out_(out) {}
  void OnProgress(uint64_t done, uint64_t total) override { control_.SetProgress(done, total); }
  Status OnRecord(std::string_view line) override {
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
    out_.put('\n');
    if (!out_) return Status::IOError("cannot write the job's results");
    return Status::OK();
  }
  bool Cancelled() override { return control_.Cancelled(); }

 private:
  JobControl& control_;
  std::ofstream& out_;
};

// Cuts a torn last line off `path` and returns the number of complete lines (0 if absent).
Result<uint64_t> CompleteLines(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return uint64_t{0};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path);
  uint64_t lines = 0, end_of_last = 0, offset = 0;
  char buf[64 * 1024];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        ++lines;
        end_of_last = offset + static_cast<uint64_t>(i) + 1;
      }
    }
    offset += static_cast<uint64_t>(n);
  }
  if (end_of_last != offset) {
    fs::resize_file(path, end_of_last, ec);
    if (ec) return Status::IOError("cannot truncate " + path + ": " + ec.message());
  }
  return lines;
}

Result<Json> RunSynth(ServerContext& context, JobControl& control) {
  const JobRecord& job = control.job();
  KG_ASSIGN_OR_RETURN(synth::SynthSpec spec,
                      synth::ParseSynthSpec(nlohmann::json::parse(job.request.dump())));
  std::string partial = context.jobs().PartialResultsPath(job.id);
  std::string final_path = context.jobs().ResultsPath(job.id);
  uint64_t resume_after = 0;
  if (job.attempts > 1) {
    KG_ASSIGN_OR_RETURN(resume_after, CompleteLines(partial));
    control.AddNote("attempt " + std::to_string(job.attempts) + " resumed after the " +
                    std::to_string(resume_after) + " records already written");
  }
  std::error_code ec;
  Result<nlohmann::json> summary = Status::Internal("synthesis did not run");
  {
    std::ofstream out(partial,
                      std::ios::binary | (resume_after > 0 ? std::ios::app : std::ios::trunc));
    if (!out) return Status::IOError("cannot create " + partial);
    FileObserver observer(control, out);
    summary = synth::RunSynthJob(context.store(), job.graph, spec, &observer, resume_after);
    out.close();
    if (summary.ok() && !out) summary = Status::IOError("cannot write " + partial);
  }
  if (!summary.ok()) {
    // Keep the partial file only when the job will resume (interrupted by a server stop).
    bool resumable = summary.status().IsCancelled() && control.Interrupted();
    if (!resumable) fs::remove(partial, ec);
    return summary.status();
  }
  fs::rename(partial, final_path, ec);
  if (ec) return Status::IOError("cannot rename results to " + final_path + ": " + ec.message());
  control.SetHasResults(true);
  return Json::parse(summary->dump());
}

}  // namespace

JobRunner MakeIngestRunner(ServerContext& context) {
  return [&context](JobControl& control) { return RunIngest(context, control); };
}

JobRunner MakeSynthRunner(ServerContext& context) {
  return [&context](JobControl& control) { return RunSynth(context, control); };
}

Status StatusFromErrorJson(const Json& error) {
  std::string code = error.is_object() ? error.value("code", "") : "";
  std::string message = error.is_object() ? error.value("message", "") : "";
  using Make = Status (*)(std::string_view);
  static const std::pair<std::string_view, Make> kCodes[] = {
      {"not_found", &Status::NotFound},
      {"invalid_argument", &Status::InvalidArgument},
      {"corruption", &Status::Corruption},
      {"io_error", &Status::IOError},
      {"not_supported", &Status::NotSupported},
      {"already_exists", &Status::AlreadyExists},
      {"resource_exhausted", &Status::ResourceExhausted},
      {"timeout", &Status::Timeout},
      {"cancelled", &Status::Cancelled},
      {"permission_denied", &Status::PermissionDenied},
  };
  for (const auto& [name, make] : kCodes) {
    if (name == code) return make(message);
  }
  return Status::Internal(message.empty() ? "job failed" : message);
}

}  // namespace kg::server
