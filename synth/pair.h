#pragma once
// TrainingPair: one generated question/answer record, before export.
//
// Walks (synth/walks/<walk>/) produce TrainingPairs; the job (synth/job.h) filters, checks,
// deduplicates, samples and exports them in the requested format (synth/export.h). Plain value
// type.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kg::synth {

struct TrainingPair {
  std::string instruction;  // the question
  std::string input;        // optional context (may be empty)
  std::string output;       // the grounded answer (may start with a <think>...</think> trace)
  // Provenance, exported as "meta".
  std::string relation;   // edge type (or composition) the pair was built from, e.g. "INHERITS"
  std::string direction;  // e.g. "bases", "subclasses", "methods", "defining_class"
  std::string subject;    // the entity asked about (a node key or a name)
  // Filled by walks for filters, checks and the summary (not all exported).
  std::string strategy;   // set by the job: the walk that produced the pair
  std::string path;       // file of the subject ("" when it has none, e.g. an External)
  std::string label;      // label of the subject ("Class", "Method", ...; "" when unknown)
  bool negative = false;  // the answer states that a relation does NOT hold
  std::string code;       // Python code in the answer that must pass the API check ("" = none)
  // A read query whose first column, as a set of strings, must equal `verify_expect` for the
  // answer to be true (relation_qa); "" when the walk offers none.
  std::string verify_query;
  std::vector<std::string> verify_expect;  // sorted
  std::vector<std::string> apis;           // qualified names of the APIs the pair teaches
};

// Removes the pairs whose `drop` flag is set (drop.size() == pairs->size()), moving the rest down
// in place and in order (no reallocation: a pair is ~0.5 KB). Returns the number removed.
inline uint64_t RemoveMarked(std::vector<TrainingPair>* pairs, const std::vector<char>& drop) {
  size_t w = 0;
  for (size_t i = 0; i < pairs->size(); ++i) {
    if (drop[i]) continue;
    if (w != i) (*pairs)[w] = std::move((*pairs)[i]);
    ++w;
  }
  uint64_t removed = pairs->size() - w;
  pairs->erase(pairs->begin() + static_cast<std::ptrdiff_t>(w), pairs->end());
  return removed;
}

}  // namespace kg::synth
