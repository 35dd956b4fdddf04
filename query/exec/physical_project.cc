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
    // `n.key` of a node in a slot (the common RETURN item): read straight from the node's cached
    // data, as Evaluate would.
    const bind::BoundExpr& e = *item.expr;
    if (e.kind == bind::BoundExprKind::kProperty && e.children.size() == 1 &&
        e.children[0]->kind == bind::BoundExprKind::kSlot && e.children[0]->slot >= 0 &&
        static_cast<size_t>(e.children[0]->slot) < row->size()) {
      if (const NodeRef* node =
              std::get_if<NodeRef>(&(*row)[static_cast<size_t>(e.children[0]->slot)])) {
        KG_ASSIGN_OR_RETURN(Value v, ctx_.NodeProperty(node->key, e.key));
        (*row)[static_cast<size_t>(item.slot)] = std::move(v);
        continue;
      }
    }
    KG_ASSIGN_OR_RETURN(Entity value, EvaluateEntity(*item.expr, *row, ctx_));
    (*row)[static_cast<size_t>(item.slot)] = std::move(value);
  }
  return true;
}

}  // namespace kg::query::exec
