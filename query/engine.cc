#include "query/engine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "query/ast/query.h"
#include "query/bind/binder.h"
#include "query/exec/executor.h"
#include "query/parse/parser.h"
#include "query/plan/planner.h"
#include "query/plan_cache.h"

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

// A cached plan is usable if every name it resolved still has the same id in `store` and the
// graph has not grown or shrunk by more than 2x since it was planned (statistics drift).
Result<bool> CachedPlanUsable(const CachedPlan& cached, storage::GraphStore& store,
                              storage::Snapshot& snapshot) {
  const std::optional<storage::Snapshot::StateToken> state = snapshot.State();
  if (state) {
    std::lock_guard<std::mutex> lock(cached.validated_mu);
    if (cached.validated == state) return true;
  }
  for (const bind::ResolvedName& n : cached.names) {
    Result<uint16_t> id = n.label ? store.LabelIdFor(n.name, /*create=*/false)
                                  : store.EdgeTypeIdFor(n.name, /*create=*/false);
    if (!id.ok() || *id != n.id) return false;
  }
  KG_ASSIGN_OR_RETURN(const uint64_t nodes, snapshot.CountNodes());
  constexpr uint64_t kSlack = 64;
  const uint64_t then = cached.planned_node_count;
  const bool usable = nodes <= 2 * then + kSlack && then <= 2 * nodes + kSlack;
  if (usable && state) {
    std::lock_guard<std::mutex> lock(cached.validated_mu);
    cached.validated = state;
  }
  return usable;
}

}  // namespace

Result<QueryResult> ExecuteQuery(storage::GraphStore& store, std::string_view graph,
                                 std::string_view text, const QueryOptions& options) {
  const Clock::time_point start = Clock::now();
  KG_RETURN_IF_ERROR(ValidateOptions(options));

  // 0. A prepared plan for the same text, parameters, graph and store, if still valid.
  PlanCache& cache = PlanCache::Default();
  std::string key;
  std::shared_ptr<const CachedPlan> cached;
  std::unique_ptr<storage::Snapshot> snapshot;
  if (options.use_plan_cache) {
    key = PlanCache::Key(&store, graph, text, options.params, options.max_var_hops);
    cached = cache.Find(key);
    if (cached != nullptr) {
      // One snapshot serves the whole query (validation and execution).
      KG_ASSIGN_OR_RETURN(snapshot, store.GetSnapshot(graph));
      KG_ASSIGN_OR_RETURN(bool usable, CachedPlanUsable(*cached, store, *snapshot));
      if (!usable) {
        cache.Erase(key);
        cached.reset();
      }
    }
  }
  const bool from_cache = cached != nullptr;
  Clock::time_point parsed = Clock::now();
  std::vector<std::string> warnings;
  bool var_hops_clamped = false;
  if (!from_cache) {
    // 1. Parse: text -> syntax tree.
    KG_ASSIGN_OR_RETURN(ast::Query query, parse::ParseQuery(text));
    Dump("ast", query.ToString());
    parsed = Clock::now();

    // One snapshot serves the whole query (planner statistics and execution).
    if (snapshot == nullptr) {
      KG_ASSIGN_OR_RETURN(snapshot, store.GetSnapshot(graph));
    }

    // 2. Bind: names -> ids and slots; unknown labels/types become warnings.
    KG_ASSIGN_OR_RETURN(bind::BoundQuery bound,
                        bind::Bind(query, store, options.params, options.max_var_hops));
    Dump("bound", bound.ToString());
    warnings = bound.warnings;
    var_hops_clamped = bound.var_hops_clamped;
    auto fresh = std::make_shared<CachedPlan>();
    fresh->explain = query.explain;
    fresh->names = bound.resolved_names;
    const bool cacheable = options.use_plan_cache && PlanCache::Cacheable(bound);

    // 3. Plan: anchors, expansions, filters, projection.
    KG_ASSIGN_OR_RETURN(plan::LogicalPlan plan, plan::Plan(std::move(bound), store, *snapshot));
    Dump("plan", plan.ToString());
    fresh->plan = std::make_shared<const plan::LogicalPlan>(std::move(plan));
    if (cacheable) {
      KG_ASSIGN_OR_RETURN(fresh->planned_node_count, snapshot->CountNodes());
      cache.Insert(key, fresh);
    }
    cached = std::move(fresh);
  }
  const plan::LogicalPlan& plan = *cached->plan;
  const Clock::time_point planned = Clock::now();

  QueryResult result;
  if (cached->explain) {
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
  result.stats.plan_cached = from_cache;
  return result;
}

}  // namespace kg::query
