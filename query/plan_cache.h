#pragma once
// PlanCache: prepared plans for repeated query texts.
//
// Agents and the HTTP API send the same query texts again and again; parsing, binding and
// planning them costs as much as running a point query. ExecuteQuery (query/engine.h) looks a
// query up here first and, on a hit, runs the cached LogicalPlan over a fresh snapshot.
//
// Key: the store's address, the graph name, the query text, the parameter values (parameters
// are bound as constants, so that the planner can use them for index choice) and max_var_hops.
// Validity: a plan holds label and relationship-type ids resolved from names; the dictionaries
// only grow and never re-number a name, but another store at the same address may number names
// differently, so a hit is used only if every name the binder resolved still resolves to the
// same id in the store (an in-memory lookup per name; see CachedPlan::names). Plans whose binding
// produced warnings (unknown names, clamped hops) or that CREATE are never cached. The planner's
// choices depend on the graph's statistics: a hit whose graph node count moved by more than 2x
// (plus a small constant) since planning is re-planned (correct either way; only speed differs).
// A hit at the graph state (storage::Snapshot::State) the plan was last validated at skips the
// re-check. Capacity: least recently used entries are dropped beyond `capacity` plans.
// Thread-safety: all methods are thread-safe; cached plans are immutable and shared.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/value.h"
#include "query/bind/bound_query.h"
#include "query/plan/logical_operator.h"

namespace kg::query {

struct CachedPlan {
  std::shared_ptr<const plan::LogicalPlan> plan;
  bool explain = false;                   // EXPLAIN: return the plan text instead of rows
  std::vector<bind::ResolvedName> names;  // re-checked against the store on every hit
  uint64_t planned_node_count = 0;        // Snapshot::CountNodes() when planned
  // The last graph state (storage::Snapshot::State) at which the plan was found usable: a hit
  // whose snapshot has the same state needs no re-check (same store, same names, same counts).
  mutable std::mutex validated_mu;
  mutable std::optional<storage::Snapshot::StateToken> validated;  // GUARDED_BY(validated_mu)
};

class PlanCache {
 public:
  explicit PlanCache(size_t capacity = 1024);
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;

  // The process-wide cache ExecuteQuery uses. Never destroyed.
  static PlanCache& Default();

  // The key of a query (see the header comment). Distinct inputs give distinct keys.
  static std::string Key(const void* store, std::string_view graph, std::string_view text,
                         const ValueMap& params, int64_t max_var_hops);

  // The plan stored under `key` (marked most recently used), or null.
  std::shared_ptr<const CachedPlan> Find(const std::string& key);
  // Stores `plan` under `key`, replacing an older entry; drops the least recently used entry
  // when full.
  void Insert(const std::string& key, std::shared_ptr<const CachedPlan> plan);
  // Drops `key` if present (e.g. a stale plan).
  void Erase(const std::string& key);
  void Clear();

  size_t size() const;
  uint64_t hits() const;
  uint64_t misses() const;

  // True when the plan of `bound` may be stored: its binding had no warnings (unknown names,
  // clamped hops) and it does not CREATE.
  static bool Cacheable(const bind::BoundQuery& bound);

 private:
  struct Entry {
    std::shared_ptr<const CachedPlan> plan;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  std::list<std::string> lru_;                      // GUARDED_BY(mu_); front = most recent
  uint64_t hits_ = 0;                               // GUARDED_BY(mu_)
  uint64_t misses_ = 0;                             // GUARDED_BY(mu_)
};

}  // namespace kg::query
