#pragma once
// PhysicalNodeScan: executes LogicalNodeScan. For each input row, opens the scan's cursors
// (ScanAll, ScanLabel per label, or ScanLabelName per label x name) over the query snapshot and
// emits the input row with the node bound in `slot`. With several labels, a node carrying more
// than one of them is emitted once.

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalNodeScan : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalNodeScan(ExecContext& ctx, const plan::LogicalNodeScan& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;

 private:
  // Opens the cursor of combination `combo_` (label index x name index); false if none left.
  bool OpenNextCursor();

  const plan::LogicalNodeScan& op_;
  PhysicalOperatorPtr child_;
  Row input_;
  bool have_input_ = false;
  size_t combo_ = 0;
  std::unique_ptr<storage::NodeCursor> cursor_;
};

}  // namespace kg::query::exec
