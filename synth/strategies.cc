#include "synth/strategies.h"

#include "synth/walk_query.h"
#include "synth/walks/api_compose/api_compose.h"
#include "synth/walks/cpt_corpus/cpt_corpus.h"
#include "synth/walks/fn_complete/fn_complete.h"
#include "synth/walks/path_qa/path_qa.h"
#include "synth/walks/relation_qa/relation_qa.h"
#include "synth/walks/usage/usage.h"

namespace kg::synth {

Result<query::QueryResult> WalkContext::Query(std::string_view text, const ValueMap& params) const {
  if (IsCancelled()) return Status::Cancelled("cancelled");
  return RunWalkQuery(store, graph, text, params);
}

const std::vector<StrategyEntry>& Strategies() {
  static const std::vector<StrategyEntry> kStrategies = {
      {"relation_qa", "one question per relation (edge type), both directions, with negatives",
       &relation_qa::Walk},
      {"path_qa", "2-3 hop questions with a one-hop-per-line <think> trace", &path_qa::Walk},
      {"usage", "real call sites of functions and methods with the surrounding code", &usage::Walk},
      {"fn_complete", "imports + signature + docstring -> the real body", &fn_complete::Walk},
      {"api_compose",
       "bundles of 2-3 related rarely used functions (beam search), written as examples by "
       "templates or a teacher LLM",
       &api_compose::Walk},
      {"cpt_corpus",
       "source files in import order as plain text for continued pre-training (format text)",
       &cpt_corpus::Walk, "text"},
  };
  return kStrategies;
}

const StrategyEntry* FindStrategy(std::string_view name) {
  for (const auto& s : Strategies()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string StrategyNames() {
  std::string out;
  for (const auto& s : Strategies()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

}  // namespace kg::synth
