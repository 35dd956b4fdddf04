#include "query/exec/physical_distinct.h"

namespace kg::query::exec {

PhysicalDistinct::PhysicalDistinct(ExecContext& ctx, const plan::LogicalDistinct& op,
                                   PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

Result<bool> PhysicalDistinct::Next(Row* row) {
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(row));
    if (!more) return false;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    std::vector<Entity> key;
    key.reserve(op_.slots.size());
    for (int slot : op_.slots) key.push_back((*row)[static_cast<size_t>(slot)]);
    if (seen_.insert(std::move(key)).second) return true;
  }
}

}  // namespace kg::query::exec
