#pragma once
// LogicalOptional and LogicalArgument: OPTIONAL MATCH.
//
// LogicalOptional reads rows from `child` (the input). For each input row it runs `inner`, a
// plan of the OPTIONAL MATCH whose leaf is a LogicalArgument yielding that input row, and
// passes up every row `inner` produces; when `inner` produces none, it passes up the input
// row unchanged, so the variables the OPTIONAL MATCH introduces stay empty (null).
// Thread-safety: immutable once planned.

#include <memory>
#include <string>
#include <vector>

#include "query/plan/logical_operator.h"

namespace kg::query::plan {

// The leaf of an inner plan: yields the current input row of the enclosing operator, once.
class LogicalArgument : public LogicalOperator {
 public:
  LogicalArgument() : LogicalOperator(LogicalOperatorType::kArgument) {}
  std::string Describe() const override { return "Argument"; }
};

class LogicalOptional : public LogicalOperator {
 public:
  LogicalOptional() : LogicalOperator(LogicalOperatorType::kOptional) {}
  std::string Describe() const override;

  std::unique_ptr<LogicalOperator> inner;  // never null once planned
  std::vector<std::string> new_variables;  // for Describe: variables this OPTIONAL MATCH binds
};

}  // namespace kg::query::plan
