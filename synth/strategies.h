#pragma once
// The registry of synthesis strategies ("walks"). Adding a walk = one folder under synth/walks/
// plus one line in strategies.cc.
//
// A walk reads the graph only through the query engine (WalkContext::Query) and returns its
// pairs in a canonical, seed-independent order; the seed only chooses wordings (and, for walks
// that sample, which subjects). Filters, API check, dedup, sampling and export are done once for
// every walk by the job (job.cc).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "query/engine.h"
#include "storage/graph_store.h"
#include "synth/pair.h"
#include "synth/walks/api_compose/teacher.h"

namespace kg::synth {

// What a walk may use. Not copyable state; passed by const reference.
struct WalkContext {
  storage::GraphStore& store;
  std::string_view graph;
  uint64_t seed = 0;
  bool negatives = true;                             // relation_qa: add one negative per positive
  std::function<bool()> cancelled;                   // may be empty
  size_t max_chunk_bytes = 16384;                    // cpt_corpus: largest record text (>= 1)
  const TeacherSpec* teacher = nullptr;              // api_compose: a teacher LLM, or null
  std::map<std::string, uint64_t>* stats = nullptr;  // walk counters for the job summary, or null
  // True if the job was cancelled. Walks poll it between queries and every few hundred rows.
  bool IsCancelled() const { return cancelled && cancelled(); }
  // Runs a read query (see walk_query.h: an engine limit is an error, not a partial result).
  // Errors: Cancelled if the job was cancelled before the query, else the engine's errors.
  Result<query::QueryResult> Query(std::string_view text, const ValueMap& params = {}) const;
};

// Errors: NotFound (graph), Cancelled, errors of the query engine.
using WalkFn = Result<std::vector<TrainingPair>> (*)(const WalkContext& context);

struct StrategyEntry {
  std::string_view name;  // as given in SynthSpec::mix
  std::string_view doc;   // one line, for listings and error messages
  WalkFn walk;
  std::string_view format = {};  // the only export format its records suit, or "" for any
};

// All strategies, in registration order.
const std::vector<StrategyEntry>& Strategies();

// The strategy named `name` (exact match), or nullptr.
const StrategyEntry* FindStrategy(std::string_view name);

// "relation_qa, path_qa, ..." for error messages.
std::string StrategyNames();

}  // namespace kg::synth
