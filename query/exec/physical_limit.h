#pragma once
// PhysicalSkip / PhysicalLimit: execute LogicalSkip / LogicalLimit. Limit stops pulling from
// its child once it has emitted `count` rows, so upstream work stops too.

#include "query/exec/physical_operator.h"

namespace kg::query::exec {

class PhysicalSkip : public PhysicalOperator {
 public:
  PhysicalSkip(ExecContext& ctx, int64_t count, PhysicalOperatorPtr child)
      : PhysicalOperator(ctx), remaining_(count), child_(std::move(child)) {}
  Result<bool> Next(Row* row) override;

 private:
  int64_t remaining_;
  PhysicalOperatorPtr child_;
};

class PhysicalLimit : public PhysicalOperator {
 public:
  PhysicalLimit(ExecContext& ctx, int64_t count, PhysicalOperatorPtr child)
      : PhysicalOperator(ctx), remaining_(count), child_(std::move(child)) {}
  Result<bool> Next(Row* row) override;

 private:
  int64_t remaining_;
  PhysicalOperatorPtr child_;
};

}  // namespace kg::query::exec
