#pragma once
// PhysicalFilter: executes LogicalFilter; passes rows whose predicates are all true.

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalFilter : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalFilter(ExecContext& ctx, const plan::LogicalFilter& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  const plan::LogicalFilter& op_;
  PhysicalOperatorPtr child_;
};

}  // namespace kg::query::exec
