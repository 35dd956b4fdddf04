#include "query/exec/physical_limit.h"

namespace kg::query::exec {

Result<bool> PhysicalSkip::Next(Row* row) {
  while (remaining_ > 0) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(row));
    if (!more) return false;
    --remaining_;
  }
  return child_->Next(row);
}

Result<bool> PhysicalLimit::Next(Row* row) {
  if (remaining_ <= 0) return false;
  KG_ASSIGN_OR_RETURN(bool more, child_->Next(row));
  if (!more) return false;
  --remaining_;
  return true;
}

}  // namespace kg::query::exec
