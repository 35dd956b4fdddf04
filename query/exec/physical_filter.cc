#include "query/exec/physical_filter.h"

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {

PhysicalFilter::PhysicalFilter(ExecContext& ctx, const plan::LogicalFilter& op,
                               PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}

Result<bool> PhysicalFilter::Next(Row* row) {
  while (true) {
    KG_ASSIGN_OR_RETURN(bool more, child_->Next(row));
    if (!more) return false;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    bool pass = true;
    for (const bind::BoundExpr* p : op_.predicates) {
      KG_ASSIGN_OR_RETURN(pass, EvaluatePredicate(*p, *row, ctx_));
      if (!pass) break;
    }
    if (pass) return true;
  }
}

}  // namespace kg::query::exec
