#include "query/engine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "query/ast/query.h"
#include "query/bind/binder.h"
#include "query/exec/executor.h"
#include "query/parse/parser.h"
#include "query/plan/planner.h"

namespace kg::query {
namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

Status ValidateOptions(const QueryOptions& options) {
  if (options.max_rows < 0) return Status::InvalidArgument("max_rows must be >= 0");
  if (options.timeout_ms <= 0) return Status::InvalidArgument("timeout_ms must be > 0");
  if (options.max_expansions < 0) return Status::InvalidArgument("max_expansions must be >= 0");
  if (options.max_var_hops < 1) return Status::InvalidArgument("max_var_hops must be >= 1");
  return Status::OK();
}

// Set CODEKG_DEBUG_QUERY=1 to print every stage's output to stderr.
bool DebugStages() {
  static const bool enabled = [] {
    const char* v = std::getenv("CODEKG_DEBUG_QUERY");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return enabled;
}

void Dump(const char* stage, const std::string& text) {
  if (DebugStages()) std::fprintf(stderr, "== %s ==\n%s\n", stage, text.c_str());
}

}  // namespace

Result<QueryResult> ExecuteQuery(storage::GraphStore& store, std::string_view graph,
                                 std::string_view text, const QueryOptions& options) {
  const Clock::time_point start = Clock::now();
  KG_RETURN_IF_ERROR(ValidateOptions(options));

  // 1. Parse: text -> syntax tree.
  KG_ASSIGN_OR_RETURN(ast::Query query, parse::ParseQuery(text));
  Dump("ast", query.ToString());
  const Clock::time_point parsed = Clock::now();

  // One snapshot serves the whole query (planner statistics and execution).
  KG_ASSIGN_OR_RETURN(std::unique_ptr<storage::Snapshot> snapshot, store.GetSnapshot(graph));

  // 2. Bind: names -> ids and slots; unknown labels/types become warnings.
  KG_ASSIGN_OR_RETURN(bind::BoundQuery bound,
                      bind::Bind(query, store, options.params, options.max_var_hops));
  Dump("bound", bound.ToString());
  std::vector<std::string> warnings = bound.warnings;
  const bool var_hops_clamped = bound.var_hops_clamped;

  // 3. Plan: anchors, expansions, filters, projection.
  KG_ASSIGN_OR_RETURN(plan::LogicalPlan plan, plan::Plan(std::move(bound), store, *snapshot));
  Dump("plan", plan.ToString());
  const Clock::time_point planned = Clock::now();

  QueryResult result;
  if (query.explain) {
    result.columns = {"plan"};
    std::string lines = plan.ToString();
    size_t begin = 0;
    while (begin < lines.size()) {
      size_t end = lines.find('\n', begin);
      if (end == std::string::npos) end = lines.size();
      result.rows.push_back({Value(lines.substr(begin, end - begin))});
      begin = end + 1;
    }
    result.stats.rows = result.rows.size();
  } else {
    // 4. Execute: physical operators pulled lazily over the snapshot.
    KG_ASSIGN_OR_RETURN(result, exec::Execute(plan, store, *snapshot, options, start));
  }
  const Clock::time_point done = Clock::now();

  warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
  result.warnings = std::move(warnings);
  if (result.limit_hit.empty() && var_hops_clamped) result.limit_hit = "max_var_hops";
  result.stats.parse_ms = MillisBetween(start, parsed);
  result.stats.plan_ms = MillisBetween(parsed, planned);
  result.stats.exec_ms = MillisBetween(planned, done);
  return result;
}

}  // namespace kg::query
