#include "query/exec/executor.h"

#include "query/exec/exec_context.h"
#include "query/exec/physical_aggregate.h"
#include "query/exec/physical_distinct.h"
#include "query/exec/physical_expand.h"
#include "query/exec/physical_filter.h"
#include "query/exec/physical_limit.h"
#include "query/exec/physical_node_scan.h"
#include "query/exec/physical_operator.h"
#include "query/exec/physical_optional.h"
#include "query/exec/physical_project.h"
#include "query/exec/physical_sort.h"
#include "query/exec/physical_unwind.h"

namespace kg::query::exec {
namespace {

using plan::LogicalOperatorType;

// One PhysicalX per LogicalX. `argument` is the row an Argument leaf yields (inner plans of
// Optional only; null elsewhere).
Result<PhysicalOperatorPtr> BuildPhysical(const plan::LogicalOperator& op, int num_slots,
                                          ExecContext& ctx, const Row* argument) {
  PhysicalOperatorPtr child;
  if (op.child != nullptr) {
    KG_ASSIGN_OR_RETURN(child, BuildPhysical(*op.child, num_slots, ctx, argument));
  }
  switch (op.type) {
    case LogicalOperatorType::kStart:
      return PhysicalOperatorPtr(std::make_unique<PhysicalStart>(ctx, num_slots));
    case LogicalOperatorType::kNodeScan:
      return PhysicalOperatorPtr(std::make_unique<PhysicalNodeScan>(
          ctx, static_cast<const plan::LogicalNodeScan&>(op), std::move(child)));
    case LogicalOperatorType::kExpand:
      return PhysicalOperatorPtr(std::make_unique<PhysicalExpand>(
          ctx, static_cast<const plan::LogicalExpand&>(op), std::move(child)));
    case LogicalOperatorType::kFilter:
      return PhysicalOperatorPtr(std::make_unique<PhysicalFilter>(
          ctx, static_cast<const plan::LogicalFilter&>(op), std::move(child)));
    case LogicalOperatorType::kProject:
      return PhysicalOperatorPtr(std::make_unique<PhysicalProject>(
          ctx, static_cast<const plan::LogicalProject&>(op), std::move(child)));
    case LogicalOperatorType::kAggregate:
      return PhysicalOperatorPtr(std::make_unique<PhysicalAggregate>(
          ctx, static_cast<const plan::LogicalAggregate&>(op), num_slots, std::move(child)));
    case LogicalOperatorType::kDistinct:
      return PhysicalOperatorPtr(std::make_unique<PhysicalDistinct>(
          ctx, static_cast<const plan::LogicalDistinct&>(op), std::move(child)));
    case LogicalOperatorType::kSort:
      return PhysicalOperatorPtr(std::make_unique<PhysicalSort>(
          ctx, static_cast<const plan::LogicalSort&>(op), std::move(child)));
    case LogicalOperatorType::kSkip:
      return PhysicalOperatorPtr(std::make_unique<PhysicalSkip>(
          ctx, static_cast<const plan::LogicalSkip&>(op).count, std::move(child)));
    case LogicalOperatorType::kLimit:
      return PhysicalOperatorPtr(std::make_unique<PhysicalLimit>(
          ctx, static_cast<const plan::LogicalLimit&>(op).count, std::move(child)));
    case LogicalOperatorType::kUnwind:
      return PhysicalOperatorPtr(std::make_unique<PhysicalUnwind>(
          ctx, static_cast<const plan::LogicalUnwind&>(op), std::move(child)));
    case LogicalOperatorType::kArgument:
      if (argument == nullptr) return Status::Internal("Argument outside an inner plan");
      return PhysicalOperatorPtr(std::make_unique<PhysicalArgument>(ctx, argument));
    case LogicalOperatorType::kOptional: {
      const plan::LogicalOperator* inner =
          static_cast<const plan::LogicalOptional&>(op).inner.get();
      if (inner == nullptr) return Status::Internal("Optional without an inner plan");
      auto build = [inner, num_slots, &ctx](const Row* row) {
        return BuildPhysical(*inner, num_slots, ctx, row);
      };
      return PhysicalOperatorPtr(
          std::make_unique<PhysicalOptional>(ctx, std::move(child), std::move(build)));
    }
  }
  return Status::Internal("unknown logical operator");
}

}  // namespace

Result<QueryResult> Execute(const plan::LogicalPlan& plan, storage::GraphStore& store,
                            storage::Snapshot& snapshot, const QueryOptions& options,
                            std::chrono::steady_clock::time_point start) {
  ExecContext ctx(store, snapshot, options, start);
  KG_ASSIGN_OR_RETURN(PhysicalOperatorPtr root,
                      BuildPhysical(*plan.root, plan.num_slots, ctx, nullptr));
  QueryResult result;
  result.columns = plan.columns;
  Row row;
  while (true) {
    KG_RETURN_IF_ERROR(ctx.CheckDeadline());
    KG_ASSIGN_OR_RETURN(bool more, root->Next(&row));
    if (!more) break;
    if (static_cast<int64_t>(result.rows.size()) >= options.max_rows) {
      result.truncated = true;
      result.limit_hit = "max_rows";
      break;
    }
    ValueList out;
    out.reserve(plan.output_slots.size());
    for (int slot : plan.output_slots) {
      KG_ASSIGN_OR_RETURN(Value v, ctx.ToValue(row[static_cast<size_t>(slot)]));
      out.push_back(std::move(v));
    }
    result.rows.push_back(std::move(out));
  }
  if (ctx.stopped()) {
    result.truncated = true;
    result.limit_hit = "max_expansions";
    result.warnings.push_back("query stopped after visiting " +
                              std::to_string(options.max_expansions) +
                              " edges (max_expansions); results are incomplete");
  }
  result.stats = ctx.stats();
  result.stats.rows = result.rows.size();
  return result;
}

}  // namespace kg::query::exec
