#pragma once
// The query function registry: scalar functions (toLower, size, coalesce, ...) and aggregate
// functions (count, collect, min, max, sum, avg).
//
// Adding a scalar function = one implementation in scalar_functions.cc plus one line in its
// registration table. Names are matched case-insensitively. Arguments arrive already evaluated
// as Values (a node is its map {"_id", "_labels", props...}, a relationship its map {"_type",
// "_src", "_dst", props...}); functions are pure and thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"

namespace kg::query::functions {

// Returns the function's value, or InvalidArgument (message without position; the evaluator
// adds it) when an argument has the wrong type.
using ScalarFn = Result<Value> (*)(const ValueList& args);

struct ScalarFunction {
  std::string_view name;  // canonical spelling, e.g. "toLower"
  int min_args;
  int max_args;  // -1: variadic
  ScalarFn fn;
  std::string_view doc;
};

// The scalar function named `name` (any case), or nullptr.
const ScalarFunction* FindScalarFunction(std::string_view name);
// All scalar functions, in registration order.
const std::vector<ScalarFunction>& ScalarFunctions();

enum class AggregateKind : uint8_t { kCountStar, kCount, kCollect, kMin, kMax, kSum, kAvg };

// The aggregate named `name` (any case; "count" -> kCount), or nullopt.
std::optional<AggregateKind> FindAggregate(std::string_view name);
std::string_view AggregateName(AggregateKind kind);

// Names of openCypher functions that are valid but not implemented yet (NotSupported).
bool IsKnownUnsupportedFunction(std::string_view name);

// Up to `max` registered function names closest to `name`, for "did you mean" hints.
std::vector<std::string> ClosestFunctionNames(std::string_view name, size_t max = 1);

// Folds the values of one group. Nulls are skipped (Cypher semantics) except by kCountStar,
// which counts rows. With `distinct`, equal values (Value::Compare) are folded once.
// Not thread-safe; one per group.
class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // InvalidArgument when the value has a type the aggregate cannot fold (e.g. sum of strings).
  virtual Status Add(const Value& v) = 0;
  // The aggregate over everything added (count -> 0, collect -> [], min/max/avg -> null, sum ->
  // 0 when nothing was added).
  virtual Value Finish() const = 0;
};

std::unique_ptr<Accumulator> MakeAccumulator(AggregateKind kind, bool distinct);

}  // namespace kg::query::functions
