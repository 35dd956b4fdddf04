#pragma once
// PhysicalSort: executes LogicalSort. Consumes its input on the first Next(), evaluates the
// sort keys once per row, sorts stably by Cypher's global order (functions/order.h: nulls
// last ascending, first descending), then emits. The keys are kept in one flat list and an
// index permutation is sorted; rows are kept in chunks of entities (no row is moved until it is
// emitted).

#include <cstdint>
#include <utility>
#include <vector>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalSort : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalSort(ExecContext& ctx, const plan::LogicalSort& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  Status Consume();

  const plan::LogicalSort& op_;
  PhysicalOperatorPtr child_;
  bool consumed_ = false;
  // Row i is where_[i].size entities of chunks_[where_[i].chunk] from where_[i].offset (a few
  // large buffers for all rows: no allocation per row), with keys keys_[i * op_.keys.size() ...].
  struct Where {
    uint32_t chunk, offset, size;
  };
  static constexpr size_t kChunkEntities = 1024;
  std::vector<std::vector<Entity>> chunks_;
  std::vector<Where> where_;
  std::vector<Value> keys_;
  // One sort key whose values are all integers (ORDER BY n.start_line): the keys are kept as
  // (value, row) pairs instead and sorted without Value comparisons; the first key that is not
  // an integer moves them into keys_.
  bool int_keys_ = false;
  std::vector<std::pair<int64_t, uint32_t>> ints_;
  std::vector<uint32_t> order_;  // row indexes in sorted order
  size_t next_ = 0;
};

}  // namespace kg::query::exec
