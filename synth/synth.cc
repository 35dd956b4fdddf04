#include "synth/synth.h"

#include "synth/export.h"
#include "synth/job.h"

namespace kg::synth {
namespace {

// Writes each record as one line to an ostream.
class StreamObserver : public SynthObserver {
 public:
  void OnProgress(uint64_t, uint64_t) override {}
  Status OnRecord(std::string_view line) override {
    buffer_.append(line);
    buffer_.push_back('\n');
    return Status::OK();
  }
  bool Cancelled() override { return false; }
  const std::string& buffer() const { return buffer_; }

 private:
  std::string buffer_;  // written only on success, so nothing is written on error
};

}  // namespace

Result<SynthSummary> RunSynth(storage::GraphStore& store, std::string_view graph,
                              const SynthRequest& request, std::ostream& out) {
  if (request.max_pairs < 0) {
    return Status::InvalidArgument("max_pairs must be >= 0 (0 means no cap), got " +
                                   std::to_string(request.max_pairs));
  }
  SynthSpec spec;
  spec.mix = {{request.strategy, 1.0}};
  spec.seed = request.seed;
  spec.count = static_cast<uint64_t>(request.max_pairs);
  spec.format = request.format;
  // The simple form keeps its original contract: positives only, exact dedup only.
  spec.negatives = false;
  spec.near_dedup.enabled = false;
  StreamObserver observer;
  KG_ASSIGN_OR_RETURN(nlohmann::json job, RunSynthJob(store, graph, spec, &observer));
  out << observer.buffer();
  out.flush();
  if (!out) return Status::IOError("writing the synthesis output failed");
  SynthSummary summary;
  summary.strategy = request.strategy;
  summary.pairs = job["records"].get<uint64_t>();
  for (const auto& [relation, n] : job["per_relation"].items()) {
    summary.per_relation[relation] = n.get<uint64_t>();
  }
  summary.duplicates_removed = job["duplicates_removed"]["exact"].get<uint64_t>() +
                               job["duplicates_removed"]["near"].get<uint64_t>();
  summary.elapsed_ms = job["elapsed_ms"].get<double>();
  return summary;
}

}  // namespace kg::synth
