#include "query/exec/physical_project.h"

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {

PhysicalProject::PhysicalProject(ExecContext& ctx, const plan::LogicalProject& op,
                                 PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

Result<bool> PhysicalProject::Next(Row* row) {
  KG_ASSIGN_OR_RETURN(bool more, child_->Next(row));
  if (!more) return false;
  for (const auto& item : op_.items) {
    KG_ASSIGN_OR_RETURN(Entity value, EvaluateEntity(*item.expr, *row, ctx_));
    (*row)[static_cast<size_t>(item.slot)] = std::move(value);
  }
  return true;
}

}  // namespace kg::query::exec
