#include "query/exec/physical_optional.h"

namespace kg::query::exec {

Result<bool> PhysicalOptional::Next(Row* row) {
  while (true) {
    if (inner_ == nullptr) {
      KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input_));
      if (!more) return false;
      KG_ASSIGN_OR_RETURN(inner_, build_inner_(&input_));
      matched_ = false;
    }
    KG_ASSIGN_OR_RETURN(bool more, inner_->Next(row));
    if (more) {
      matched_ = true;
      return true;
    }
    inner_.reset();
    if (ctx_.stopped()) return false;
    if (!matched_) {
      *row = input_;
      return true;
    }
  }
}

}  // namespace kg::query::exec
