#pragma once
// PhysicalProject: executes LogicalProject; evaluates each item into its slot (a bare variable
// item keeps the node/relationship entity; conversion to a map happens at output).

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalProject : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalProject(ExecContext& ctx, const plan::LogicalProject& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  const plan::LogicalProject& op_;
  PhysicalOperatorPtr child_;
};

}  // namespace kg::query::exec
