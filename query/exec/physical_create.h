#pragma once
// PhysicalCreate: executes LogicalCreate (see plan/logical_create.h). Blocking: the first
// Next() pulls every input row, builds one FactBatch and applies it; then the rows are passed
// up with the created entities bound to their map values.
// Node ids of created nodes are kCreatedIdPrefix + a number unique per process and time; a user
// property named `id` is stored as kUserIdProperty (query/engine.h).
// Errors: InvalidArgument for property values that are not storable (e.g. a node), errors of
// evaluating the property maps, and ApplyBatch's errors (nothing is written then).

#include <vector>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_create.h"

namespace kg::query::exec {

class PhysicalCreate : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalCreate(ExecContext& ctx, const plan::LogicalCreate& op, PhysicalOperatorPtr child)
      : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}
  Result<bool> Next(Row* row) override;

 private:
  Status CreateAll();

  const plan::LogicalCreate& op_;
  PhysicalOperatorPtr child_;
  bool done_ = false;
  std::vector<Row> rows_;
  size_t next_ = 0;
};

}  // namespace kg::query::exec
