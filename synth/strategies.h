#pragma once
// The registry of synthesis strategies ("walks"). Adding a walk = one folder under synth/walks/
// plus one line in strategies.cc.
//
// A walk reads the graph only through query::ExecuteQuery (see walk_query.h) and returns its
// pairs in a canonical, seed-independent order; the seed only chooses wordings. Dedup, the
// max_pairs cap and export are done once for every walk by RunSynth() (synth.cc).

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/graph_store.h"
#include "synth/pair.h"

namespace kg::synth {

// Errors: NotFound (graph), errors of the query engine.
using WalkFn = Result<std::vector<TrainingPair>> (*)(storage::GraphStore& store,
                                                     std::string_view graph, uint64_t seed);

struct StrategyEntry {
  std::string_view name;  // as given in SynthRequest::strategy
  std::string_view doc;   // one line, for listings and error messages
  WalkFn walk;
};

// All strategies, in registration order.
const std::vector<StrategyEntry>& Strategies();

// The strategy named `name` (exact match), or nullptr.
const StrategyEntry* FindStrategy(std::string_view name);

}  // namespace kg::synth
