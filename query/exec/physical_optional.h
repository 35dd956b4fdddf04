#pragma once
// PhysicalOptional and PhysicalArgument: execute LogicalOptional / LogicalArgument
// (OPTIONAL MATCH, see plan/logical_optional.h).
//
// For each input row PhysicalOptional builds a fresh physical tree of the inner plan (through
// `build_inner`) whose PhysicalArgument leaf yields that row once, passes up every row the
// inner tree produces, and passes up the input row itself when it produces none.
// Thread-safety: one execution, one thread.

#include <functional>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_optional.h"

namespace kg::query::exec {

// Yields *source once. `source` must outlive this operator.
class PhysicalArgument : public PhysicalOperator {
 public:
  PhysicalArgument(ExecContext& ctx, const Row* source) : PhysicalOperator(ctx), source_(source) {}
  Result<bool> Next(Row* row) override {
    if (done_) return false;
    done_ = true;
    *row = *source_;
    return true;
  }

 private:
  const Row* source_;
  bool done_ = false;
};

class PhysicalOptional : public PhysicalOperator {
 public:
  // Builds the inner tree over an argument row; errors of the build are returned by Next().
  using InnerBuilder = std::function<Result<PhysicalOperatorPtr>(const Row* argument)>;

  PhysicalOptional(ExecContext& ctx, PhysicalOperatorPtr child, InnerBuilder build_inner)
      : PhysicalOperator(ctx), child_(std::move(child)), build_inner_(std::move(build_inner)) {}
  Result<bool> Next(Row* row) override;

 private:
  PhysicalOperatorPtr child_;
  InnerBuilder build_inner_;
  Row input_;
  PhysicalOperatorPtr inner_;  // null between input rows
  bool matched_ = false;       // the inner tree produced a row for input_
};

}  // namespace kg::query::exec
