#pragma once
// The fn_complete walk: imports + signature + docstring -> the function's real body.
//
// One record per documented Function or Method whose code is 3..80 lines: the instruction gives
// the file's imports (rebuilt from IMPORTS edges) and the definition up to the end of its
// docstring; the answer is the whole definition as written (methods dedented). The code the API
// check sees is the imports plus the definition. Wordings in templates.h. Records are sorted by
// node id. Reads only through the query engine.

#include <vector>

#include "common/result.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::fn_complete {

// Errors: NotFound (graph), Cancelled, the query engine's errors.
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::fn_complete
