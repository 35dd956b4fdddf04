#pragma once
// The api_compose walk: bundles of 2-3 related module-level functions, chosen by a beam search
// rewarded by coverage of rarely used APIs, each written up as a worked example.
//
// Graph reads (query engine only): every public module-level Function (its qualified name minus
// the last component is a Module), and the CALLS edges between them and their callers.
// Usage of an API = number of distinct callers. Neighbours of an API = APIs called by one of its
// callers, its callers and callees, and the other functions of its module (at most 24, rarest
// first).
// Search: seeds are the APIs from rarest to most used (ties by SeededHash). For a seed not yet
// covered, a beam (width 4) grows bundles one neighbour at a time up to 3 APIs; a bundle's reward
// is the sum over its APIs of weight / (1 + ln(1 + usage)), weight 1 for an API no earlier bundle
// covered and 0.1 otherwise. The best bundle (size 2 or 3) is emitted and its APIs become covered.
// Writing: the template answer is a function that imports each API and calls it with its required
// positional and keyword-only parameters (made parameters of the example), plus one line per API
// (signature and docstring summary); its code is API-checked by the job. When a teacher is
// configured (WalkContext::teacher), it is asked first; its answer is used only if it contains a
// ```python block that passes the API check; otherwise the template is used. Counts go to
// WalkContext::stats: teacher_requests, teacher_used, teacher_failed (transport/shape errors),
// teacher_rejected (no code or API check failed), template_used.
// relation "API_COMPOSE", direction "bundle2"/"bundle3", subject = the qualified names joined by
// "+", label "Function".

#include <string>
#include <vector>

#include "common/result.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::api_compose {

// Parameters a call must pass: required positional ones (in order) and required keyword-only
// ones, from a Python signature such as "def f(a, b=1, *args, c, **kw)". Pure function.
struct RequiredParams {
  std::vector<std::string> positional;
  std::vector<std::string> keyword_only;
  bool valid = false;  // false when the signature has no parameter list
};
RequiredParams ParseRequiredParams(std::string_view signature);

// The first ```python (or bare ```) fenced block of `text`, or "" if none.
std::string FirstCodeBlock(std::string_view text);

// Errors: NotFound (graph), Cancelled, the query engine's errors. Teacher failures are not
// errors (counted, template used).
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::api_compose
