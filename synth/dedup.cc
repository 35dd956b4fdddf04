#include "synth/dedup.h"

#include <unordered_set>

namespace kg::synth {

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

uint64_t DedupExact(std::vector<TrainingPair>* pairs) {
  std::unordered_set<std::string> seen;
  std::vector<TrainingPair> kept;
  kept.reserve(pairs->size());
  for (auto& p : *pairs) {
    std::string key = NormalizeText(p.instruction) + "\n" + NormalizeText(p.input);
    if (seen.insert(std::move(key)).second) kept.push_back(std::move(p));
  }
  uint64_t removed = pairs->size() - kept.size();
  *pairs = std::move(kept);
  return removed;
}

}  // namespace kg::synth
