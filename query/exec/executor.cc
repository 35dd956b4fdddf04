#include "query/exec/executor.h"

#include <algorithm>
#include <chrono>

#include "query/exec/exec_context.h"

#include "query/exec/physical_aggregate.h"
#include "query/exec/physical_create.h"
#include "query/exec/physical_distinct.h"
#include "query/exec/physical_expand.h"
#include "query/exec/physical_filter.h"
#include "query/exec/physical_limit.h"
#include "query/exec/physical_node_scan.h"
#include "query/exec/physical_operator.h"
#include "query/exec/physical_optional.h"
#include "query/exec/physical_project.h"
#include "query/exec/physical_search.h"
#include "query/exec/physical_sort.h"
#include "query/exec/physical_unwind.h"

namespace kg::query::exec {
namespace {

using plan::LogicalOperatorType;

// PROFILE: counts the rows an operator passes up and the time spent in its Next() (inclusive
// of its children).
class ProfiledOperator : public PhysicalOperator {
 public:
  ProfiledOperator(ExecContext& ctx, PhysicalOperatorPtr inner,
                   std::vector<OperatorProfile>* profile, size_t index)
      : PhysicalOperator(ctx), inner_(std::move(inner)), profile_(profile), index_(index) {}
  Result<bool> Next(Row* row) override {
    const auto start = std::chrono::steady_clock::now();
    Result<bool> more = inner_->Next(row);
    OperatorProfile& p = (*profile_)[index_];
    p.time_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (more.ok() && *more) ++p.rows;
    return more;
  }
  Result<uint64_t> CountRows() override {
    const auto start = std::chrono::steady_clock::now();
    Result<uint64_t> n = inner_->CountRows();
    OperatorProfile& p = (*profile_)[index_];
    p.time_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (n.ok()) p.rows += *n;
    return n;
  }

 private:
  PhysicalOperatorPtr inner_;
  std::vector<OperatorProfile>* profile_;
  size_t index_;
};

Result<PhysicalOperatorPtr> BuildOne(const plan::LogicalOperator& op, int num_slots,
                                     ExecContext& ctx, const Row* argument,
                                     PhysicalOperatorPtr child);

// One PhysicalX per LogicalX. `argument` is the row an Argument leaf yields (inner plans of
// Optional only; null elsewhere). With `profile`, every operator is wrapped in a
// ProfiledOperator with its entry in *profile (root first).
Result<PhysicalOperatorPtr> BuildPhysical(const plan::LogicalOperator& op, int num_slots,
                                          ExecContext& ctx, const Row* argument,
                                          std::vector<OperatorProfile>* profile = nullptr,
                                          int depth = 0) {
  size_t index = 0;
  if (profile != nullptr) {
    index = profile->size();
    profile->push_back(OperatorProfile{op.Describe(), depth, 0, 0});
  }
  PhysicalOperatorPtr child;
  if (op.child != nullptr) {
    KG_ASSIGN_OR_RETURN(child,
                        BuildPhysical(*op.child, num_slots, ctx, argument, profile, depth + 1));
  }
  KG_ASSIGN_OR_RETURN(PhysicalOperatorPtr built,
                      BuildOne(op, num_slots, ctx, argument, std::move(child)));
  if (profile == nullptr) return built;
  return PhysicalOperatorPtr(
      std::make_unique<ProfiledOperator>(ctx, std::move(built), profile, index));
}

Result<PhysicalOperatorPtr> BuildOne(const plan::LogicalOperator& op, int num_slots,
                                     ExecContext& ctx, const Row* argument,
                                     PhysicalOperatorPtr child) {
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
    case LogicalOperatorType::kSearch:
      return PhysicalOperatorPtr(std::make_unique<PhysicalSearch>(
          ctx, static_cast<const plan::LogicalSearch&>(op), std::move(child)));
    case LogicalOperatorType::kCreate:
      return PhysicalOperatorPtr(std::make_unique<PhysicalCreate>(
          ctx, static_cast<const plan::LogicalCreate&>(op), std::move(child)));
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
  ctx.SetProjection(plan.node_properties);
  QueryResult result;
  KG_ASSIGN_OR_RETURN(PhysicalOperatorPtr root,
                      BuildPhysical(*plan.root, plan.num_slots, ctx, nullptr,
                                    plan.query->profile ? &result.profile : nullptr));
  result.columns = plan.columns;
  // A computed value in a slot output once is moved out of the row (the row is not read again).
  std::vector<bool> output_once(plan.output_slots.size());
  for (size_t i = 0; i < output_once.size(); ++i) {
    output_once[i] =
        std::count(plan.output_slots.begin(), plan.output_slots.end(), plan.output_slots[i]) == 1;
  }
  Row row;
  KG_RETURN_IF_ERROR(ctx.CheckDeadline());
  while (true) {
    KG_RETURN_IF_ERROR(ctx.Tick());  // the clock is read every few hundred rows
    KG_ASSIGN_OR_RETURN(bool more, root->Next(&row));
    if (!more) break;
    if (plan.discard_rows) continue;
    if (static_cast<int64_t>(result.rows.size()) >= options.max_rows) {
      result.truncated = true;
      result.limit_hit = "max_rows";
      break;
    }
    ValueList out;
    out.reserve(plan.output_slots.size());
    for (size_t i = 0; i < plan.output_slots.size(); ++i) {
      Entity& entity = row[static_cast<size_t>(plan.output_slots[i])];
      if (Value* computed = std::get_if<Value>(&entity); computed != nullptr && output_once[i]) {
        out.push_back(std::move(*computed));
        continue;
      }
      KG_ASSIGN_OR_RETURN(Value v, ctx.ToValue(entity));
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
