#pragma once
// PhysicalAggregate: executes LogicalAggregate (hash-free: groups in an ordered map keyed by
// the key slots' entities). Consumes its whole input on the first Next(), then emits one row
// per group (one row in total when there are no keys, even for empty input). When every
// aggregate is count(*) and there are no keys, the input is counted (PhysicalOperator::CountRows)
// instead of pulled row by row.

#include <map>
#include <optional>
#include <vector>

#include "query/exec/physical_operator.h"
#include "query/functions/function_registry.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalAggregate : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalAggregate(ExecContext& ctx, const plan::LogicalAggregate& op, int num_slots,
                    PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  using Accumulators = std::vector<std::unique_ptr<functions::Accumulator>>;
  Status Consume();
  Accumulators NewAccumulators() const;

  const plan::LogicalAggregate& op_;
  const int num_slots_;
  PhysicalOperatorPtr child_;
  bool consumed_ = false;
  std::optional<int64_t> row_count_;  // set when every aggregate is count(*) without keys
  std::map<std::vector<Entity>, Accumulators, EntityVectorLess> groups_;
  std::map<std::vector<Entity>, Accumulators, EntityVectorLess>::iterator next_;
};

}  // namespace kg::query::exec
