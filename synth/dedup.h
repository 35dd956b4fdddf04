#pragma once
// Deduplication of training pairs: exact, then near-duplicate.
//
// NormalizeText() lower-cases ASCII letters, turns every run of whitespace into one space, and
// trims both ends.
// Exact: two pairs are duplicates when Normalize(instruction) + "\n" + Normalize(input) are
// equal (the same question asked twice); for records with neither (cpt_corpus text) the
// normalized output is compared instead.
// Near: two pairs are near-duplicates when the normalized texts of the whole pair
// (question, input and answer) have a normalized Levenshtein similarity
//   1 - distance / max(length)  >=  threshold.
// The whole pair is compared, not the question alone: templated questions about two different
// entities ("Which class defines `get`?" / "... `set`?") are near-identical strings but distinct
// facts, and their answers tell them apart. Candidates come from MinHash over character
// `shingle`-grams (one-permutation hashing with 32 bins and densification) and LSH with
// 16 bands of 2 rows; each candidate is confirmed with a banded Levenshtein. Each pair is compared
// with at most a few earlier pairs per band bucket, so the cost is linear in the number of pairs
// (times the text length). LSH may miss pairs whose shingle sets overlap little (a pair with
// Jaccard 0.4 is a candidate with probability ~0.93, 0.3: ~0.78); it never removes a pair that
// the Levenshtein test does not confirm.
// Pure functions; thread-safe. FindNearDuplicates and DedupNear use the calling thread plus
// one more (synth/parallel.h); their result is that of the sequential algorithm above, and
// `cancelled` is called only from the calling thread.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/pair.h"

namespace kg::synth {

std::string NormalizeText(std::string_view text);

// Removes later duplicates in place, keeping the first occurrence and the relative order of the
// rest. Returns the number of pairs removed.
uint64_t DedupExact(std::vector<TrainingPair>* pairs);

// 1 - Levenshtein(a, b) / max(|a|, |b|) over bytes; 1 for two empty strings.
double LevenshteinSimilarity(std::string_view a, std::string_view b);

// True if LevenshteinSimilarity(a, b) >= threshold, computed with a band of width
// (1 - threshold) * max(|a|, |b|) (so far faster than the full similarity for high thresholds).
bool SimilarAtLeast(std::string_view a, std::string_view b, double threshold);

struct NearDedupOptions {
  double threshold = 0.9;  // (0, 1]
  int shingle = 5;         // 2..16
};

// Indices of the texts that are near-duplicates of an earlier kept text (ascending). The first
// text of each near-duplicate group is kept. `texts` should already be normalized.
// `cancelled` (may be empty) is polled every few thousand texts; when it returns true the
// function returns early with what it found so far.
std::vector<size_t> FindNearDuplicates(const std::vector<std::string>& texts,
                                       const NearDedupOptions& options,
                                       const std::function<bool()>& cancelled = {});

// The normalized text near dedup compares for `pair`.
std::string NearDedupText(const TrainingPair& pair);

// Removes near-duplicates in place (see above), keeping order. Returns the number removed.
// Records without a question (cpt_corpus text) are neither compared nor removed: a file's parts
// must stay together, and similar files (templated modules, the two halves of an import cycle)
// are different source.
uint64_t DedupNear(std::vector<TrainingPair>* pairs, const NearDedupOptions& options,
                   const std::function<bool()>& cancelled = {});

}  // namespace kg::synth
