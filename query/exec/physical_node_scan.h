#pragma once
// PhysicalNodeScan: executes LogicalNodeScan. For each input row, opens the scan's cursors
// (ScanAll, ScanLabel per label, or ScanLabelName per label x name) over the query snapshot and
// emits the input row with the node bound in `slot`. With several labels, a node carrying more
// than one of them is emitted once. With LogicalNodeScan::prefetch, keys are read ahead from the
// cursor kReadAhead at a time and their projections loaded with one ExecContext::Prefetch.

#include <vector>

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
  // The next key of cursor_ (through the read-ahead buffer with op_.prefetch); false at its end
  // (check cursor_->status()) or on a prefetch error (in *status).
  bool NextKey(storage::NodeKey* key, Status* status);

  const plan::LogicalNodeScan& op_;
  PhysicalOperatorPtr child_;
  Row input_;
  bool have_input_ = false;
  size_t combo_ = 0;
  std::unique_ptr<storage::NodeCursor> cursor_;
  static constexpr size_t kReadAhead = 64;
  std::vector<storage::NodeKey> ahead_;
  size_t ahead_pos_ = 0;
  bool cursor_done_ = false;
};

}  // namespace kg::query::exec
