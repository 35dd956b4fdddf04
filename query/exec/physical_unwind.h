#pragma once
// PhysicalUnwind: executes LogicalUnwind (see plan/logical_unwind.h). Lazy: evaluates the list
// once per input row and passes up one row per element.
// Errors: those of evaluating the expression.

#include "query/exec/physical_operator.h"
#include "query/plan/logical_unwind.h"

namespace kg::query::exec {

class PhysicalUnwind : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalUnwind(ExecContext& ctx, const plan::LogicalUnwind& op, PhysicalOperatorPtr child)
      : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}
  Result<bool> Next(Row* row) override;

 private:
  const plan::LogicalUnwind& op_;
  PhysicalOperatorPtr child_;
  Row input_;
  ValueList items_;
  size_t next_ = 0;
};

}  // namespace kg::query::exec
