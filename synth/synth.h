#pragma once
// Synthesis, the simple synchronous form: one strategy, the whole output to an ostream.
// A thin wrapper over RunSynthJob (synth/job.h): positives only (no negatives), exact dedup only,
// API check on; use RunSynthJob for mixes, negatives, near dedup, filters, progress, cancel and
// resume.
// Output is deterministic for a given graph and seed.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/graph_store.h"

namespace kg::synth {

struct SynthRequest {
  std::string strategy = "relation_qa";
  uint64_t seed = 0;
  int64_t max_pairs = 0;          // 0 = no cap
  std::string format = "alpaca";  // export format
};

struct SynthSummary {
  std::string strategy;
  uint64_t pairs = 0;                            // JSONL lines written
  std::map<std::string, uint64_t> per_relation;  // e.g. {"INHERITS": 12, "HAS_METHOD": 40}
  uint64_t duplicates_removed = 0;
  double elapsed_ms = 0;
};

// Writes one JSON object per line to `out` (nothing on error).
// Errors: InvalidArgument (unknown strategy or format, negative max_pairs), NotFound (graph),
// errors of the query engine. Thread-safe for distinct `out` streams.
Result<SynthSummary> RunSynth(storage::GraphStore& store, std::string_view graph,
                              const SynthRequest& request, std::ostream& out);

}  // namespace kg::synth
