#include "synth/strategies.h"

#include "synth/walks/relation_qa/relation_qa.h"

namespace kg::synth {

const std::vector<StrategyEntry>& Strategies() {
  static const std::vector<StrategyEntry> kStrategies = {
      {"relation_qa", "one question per INHERITS / HAS_METHOD relation, both directions",
       &relation_qa::Walk},
  };
  return kStrategies;
}

const StrategyEntry* FindStrategy(std::string_view name) {
  for (const auto& s : Strategies()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace kg::synth
