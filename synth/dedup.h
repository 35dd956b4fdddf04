#pragma once
// Exact deduplication of training pairs by their normalized question.
//
// NormalizeText() lower-cases ASCII letters, turns every run of whitespace into one space, and
// trims both ends. Two pairs are duplicates when Normalize(instruction) + "\n" + Normalize(input)
// are equal. (MinHash near-duplicate detection is a later stage.) Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synth/pair.h"

namespace kg::synth {

std::string NormalizeText(std::string_view text);

// Removes later duplicates in place, keeping the first occurrence and the relative order of the
// rest. Returns the number of pairs removed.
uint64_t DedupExact(std::vector<TrainingPair>* pairs);

}  // namespace kg::synth
