#include "query/exec/physical_unwind.h"

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {

Result<bool> PhysicalUnwind::Next(Row* row) {
  while (next_ >= items_.size()) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input_));
    if (!more) return false;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    KG_ASSIGN_OR_RETURN(Value v, Evaluate(*op_.expr, input_, ctx_));
    items_.clear();
    next_ = 0;
    if (v.is_list()) {
      items_ = std::move(v.as_list());
    } else if (!v.is_null()) {
      items_.push_back(std::move(v));
    }
  }
  *row = input_;
  (*row)[static_cast<size_t>(op_.slot)] = std::move(items_[next_++]);
  return true;
}

}  // namespace kg::query::exec
