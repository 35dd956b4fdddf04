#include "query/exec/physical_sort.h"

#include <algorithm>

#include "query/exec/expression_evaluator.h"
#include "query/functions/order.h"

namespace kg::query::exec {

PhysicalSort::PhysicalSort(ExecContext& ctx, const plan::LogicalSort& op, PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

Status PhysicalSort::Consume() {
  Row row;
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(&row));
    if (!more) break;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    Keyed keyed;
    keyed.keys.reserve(op_.keys.size());
    for (const auto* key : op_.keys) {
      KG_ASSIGN_OR_RETURN(Value v, Evaluate(*key->expr, row, ctx_));
      keyed.keys.push_back(std::move(v));
    }
    keyed.row = std::move(row);
    rows_.push_back(std::move(keyed));
  }
  std::stable_sort(rows_.begin(), rows_.end(), [this](const Keyed& a, const Keyed& b) {
    for (size_t i = 0; i < op_.keys.size(); ++i) {
      int c = functions::OrderCompare(a.keys[i], b.keys[i]);
      if (c != 0) return op_.keys[i]->descending ? c > 0 : c < 0;
    }
    return false;
  });
  return Status::OK();
}

Result<bool> PhysicalSort::Next(Row* row) {
  if (!consumed_) {
    KG_RETURN_IF_ERROR(Consume());
    consumed_ = true;
  }
  if (next_ >= rows_.size()) return false;
  *row = std::move(rows_[next_++].row);
  return true;
}

}  // namespace kg::query::exec
