#pragma once
// TrainingPair: one generated question/answer record, before export.
//
// Walks (synth/walks/<walk>/) produce TrainingPairs; synth.cc deduplicates, caps and exports them
// in the requested format (synth/export.h). Plain value type.

#include <string>

namespace kg::synth {

struct TrainingPair {
  std::string instruction;  // the question
  std::string input;        // optional context (may be empty)
  std::string output;       // the grounded answer
  // Provenance, exported as "meta".
  std::string relation;   // edge type the pair was built from, e.g. "INHERITS"
  std::string direction;  // e.g. "bases", "subclasses", "methods", "defining_class"
  std::string subject;    // the entity asked about (a node id or a name)
};

}  // namespace kg::synth
