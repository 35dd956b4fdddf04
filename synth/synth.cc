#include "synth/synth.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "synth/dedup.h"
#include "synth/export.h"
#include "synth/prng.h"
#include "synth/strategies.h"

namespace kg::synth {
namespace {

std::string StrategyNames() {
  std::string out;
  for (const auto& s : Strategies()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

// Keeps `max_pairs` pairs chosen by the seed (the ones with the smallest SeededHash of their
// normalized question), preserving the canonical order of the survivors.
void CapPairs(std::vector<TrainingPair>* pairs, uint64_t seed, size_t max_pairs) {
  if (pairs->size() <= max_pairs) return;
  std::vector<std::pair<uint64_t, size_t>> keyed;
  keyed.reserve(pairs->size());
  for (size_t i = 0; i < pairs->size(); ++i) {
    const TrainingPair& p = (*pairs)[i];
    keyed.emplace_back(SeededHash(seed ^ 0x5eed5eed5eed5eedULL,
                                  NormalizeText(p.instruction) + "\n" + NormalizeText(p.input)),
                       i);
  }
  std::nth_element(keyed.begin(), keyed.begin() + max_pairs, keyed.end());
  keyed.resize(max_pairs);
  std::vector<size_t> keep;
  for (const auto& k : keyed) keep.push_back(k.second);
  std::sort(keep.begin(), keep.end());
  std::vector<TrainingPair> kept;
  kept.reserve(max_pairs);
  for (size_t i : keep) kept.push_back(std::move((*pairs)[i]));
  *pairs = std::move(kept);
}

}  // namespace

Result<SynthSummary> RunSynth(storage::GraphStore& store, std::string_view graph,
                              const SynthRequest& request, std::ostream& out) {
  auto start = std::chrono::steady_clock::now();
  const StrategyEntry* strategy = FindStrategy(request.strategy);
  if (strategy == nullptr) {
    return Status::InvalidArgument("unknown synthesis strategy '" + request.strategy +
                                   "' (supported: " + StrategyNames() + ")");
  }
  if (!IsKnownFormat(request.format)) {
    return Status::InvalidArgument("unknown format '" + request.format +
                                   "' (supported: alpaca, messages)");
  }
  if (request.max_pairs < 0) {
    return Status::InvalidArgument("max_pairs must be >= 0 (0 means no cap), got " +
                                   std::to_string(request.max_pairs));
  }

  KG_ASSIGN_OR_RETURN(std::vector<TrainingPair> pairs, strategy->walk(store, graph, request.seed));

  SynthSummary summary;
  summary.strategy = request.strategy;
  summary.duplicates_removed = DedupExact(&pairs);
  if (request.max_pairs > 0) CapPairs(&pairs, request.seed, static_cast<size_t>(request.max_pairs));

  ExportContext context{request.strategy, std::string(graph)};
  for (const TrainingPair& p : pairs) {
    KG_ASSIGN_OR_RETURN(std::string line, ExportLine(request.format, p, context));
    out << line << '\n';
    ++summary.pairs;
    ++summary.per_relation[p.relation];
  }
  out.flush();
  if (!out) return Status::IOError("writing the synthesis output failed");
  summary.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace kg::synth
