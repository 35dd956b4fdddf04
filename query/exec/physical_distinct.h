#pragma once
// PhysicalDistinct: executes LogicalDistinct; streams rows, dropping any whose `slots` equal
// those of an earlier row (entities compared with CompareEntities).

#include <set>
#include <vector>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalDistinct : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalDistinct(ExecContext& ctx, const plan::LogicalDistinct& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  const plan::LogicalDistinct& op_;
  PhysicalOperatorPtr child_;
  std::set<std::vector<Entity>, EntityVectorLess> seen_;
};

}  // namespace kg::query::exec
