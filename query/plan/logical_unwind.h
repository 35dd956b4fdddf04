#pragma once
// LogicalUnwind: UNWIND expr AS variable. For each input row, evaluates `expr` and passes up
// one row per list element with `slot` set to it; a null or empty list yields no row, any
// other value one row holding that value.
// Thread-safety: immutable once planned.

#include <string>

#include "query/plan/logical_operator.h"

namespace kg::query::plan {

class LogicalUnwind : public LogicalOperator {
 public:
  LogicalUnwind() : LogicalOperator(LogicalOperatorType::kUnwind) {}
  std::string Describe() const override { return "Unwind " + expr->text + " AS " + variable; }

  const bind::BoundExpr* expr = nullptr;  // owned by the plan's BoundQuery
  int slot = -1;
  std::string variable;
};

}  // namespace kg::query::plan
