#pragma once
// The relation_qa walk: questions about direct INHERITS and HAS_METHOD relations, both ways.
//
// Records (one per subject, so each answer is complete; every edge appears in one record of each
// direction):
//   INHERITS   bases           class -> all its direct bases, in declaration order (r.index)
//   INHERITS   subclasses      base (a Class or an External) -> all classes inheriting from it
//   HAS_METHOD methods         class -> all its methods with signatures (and docstring summaries)
//   HAS_METHOD defining_class  method name -> every class defining a method of that name
// The answers list exact names and files read from the graph; nothing is invented. Wordings come
// from templates.h, chosen by the seed. Pairs come in a seed-independent order: INHERITS bases,
// INHERITS subclasses, HAS_METHOD methods, HAS_METHOD defining_class, each sorted by subject.
// Reads only through query::ExecuteQuery.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/graph_store.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::relation_qa {

// The queries the walk runs (exposed for docs and tests).
extern const std::string_view kInheritsQuery;
extern const std::string_view kMethodsQuery;

// Errors: NotFound (graph), the query engine's errors.
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::relation_qa
