#pragma once
// The usage walk: real call sites of the codebase's functions and methods as worked examples.
//
// One record per called Function or Method: the seed picks one of its call sites (CALLS edges
// with a line); the answer names the caller and shows the lines around the call (3 before, 3
// after, dedented) with the file's imports as the checked code. Wordings in templates.h. Records
// are sorted by callee id. Reads only through the query engine.

#include <vector>

#include "common/result.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::usage {

// Errors: NotFound (graph), Cancelled, the query engine's errors.
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::usage
