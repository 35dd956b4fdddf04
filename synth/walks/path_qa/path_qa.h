#pragma once
// The path_qa walk: questions that need 2 or 3 hops, answered with a reasoning trace that states
// one hop per line inside <think>...</think>, then the answer.
//
// Compositions (each one query, in walk order):
//   inherited_methods  Class -INHERITS-> Class -HAS_METHOD-> Method: what a class inherits
//   grandparent_methods (3 hops) Class -INHERITS-> Class -INHERITS-> Class -HAS_METHOD-> Method:
//                      what a class inherits two levels up, and through which parent
//   callee_files       Function|Method -CALLS-> Function|Method: the files of what it calls
//   return_type        Function|Method with return_type naming a graph Class -HAS_METHOD->:
//                      what the returned object offers
// Records are sorted by subject within a composition. Wordings are data (templates.h). Reads
// only through the query engine.

#include <vector>

#include "common/result.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::path_qa {

// Errors: NotFound (graph), Cancelled, the query engine's errors.
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::path_qa
