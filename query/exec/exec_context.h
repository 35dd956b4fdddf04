#pragma once
// ExecContext: what every physical operator of one query execution shares.
//
// Holds the query's single storage::Snapshot, its limits (deadline, max_expansions), the
// statistics, and caches (node records, label/type names, file texts, compiled regexes).
// Node data has two caches: whole records (GetNode; for node maps, `code`, properties outside
// the projection) and projections (labels plus the properties the plan reads, set by
// SetProjection; NodeProperty and NodeLabels use them). Operators that are about to emit many
// nodes whose data will be read call Prefetch to load their projections in one batched read.
// When the snapshot names its state (storage::Snapshot::State), whole records serve both: they
// are read through the process-wide NodeCache (exec/node_cache.h), so queries share decoded
// records, and Prefetch loads whole records instead of projections.
// Limits: Tick() returns Timeout once the deadline passed; CountEdge() returns false once more
// than max_expansions edges were visited, after which stopped() is true and operators end
// their streams early (the result is then marked truncated by the executor).
// Thread-safety: not thread-safe; one per query execution, used by one thread.

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "common/value.h"
#include "query/engine.h"
#include "query/exec/row.h"
#include "storage/graph_store.h"

namespace re2 {
class RE2;
}

namespace kg::query::exec {

class ExecContext {
 public:
  using Clock = std::chrono::steady_clock;

  // `store` and `snapshot` must outlive the context. The deadline is start + timeout_ms.
  ExecContext(storage::GraphStore& store, storage::Snapshot& snapshot, const QueryOptions& options,
              Clock::time_point start);
  ~ExecContext();
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  storage::Snapshot& snapshot() { return snapshot_; }
  storage::GraphStore& store() { return store_; }
  QueryStats& stats() { return stats_; }
  const QueryOptions& options() const { return options_; }

  // Counts one unit of work; checks the clock every few hundred units. Timeout when the
  // deadline has passed.
  Status Tick();
  // Checks the clock now.
  Status CheckDeadline();
  // Counts one visited edge; false (and stopped()) when max_expansions is exceeded.
  bool CountEdge();
  // CountEdge() n times: the number of those edges visited before the limit (n, or fewer when
  // max_expansions is exceeded, which stops the context like CountEdge()).
  uint64_t CountEdges(uint64_t n);
  bool stopped() const { return stopped_; }

  // The node with `key`. The pointer is valid until the next GetNode or Prefetch call.
  // Corruption if the key does not exist (cursors only yield existing nodes).
  Result<const storage::NodeRecord*> GetNode(storage::NodeKey key);
  // The label ids of the node with `key` (from the projection cache). Corruption as GetNode.
  // The pointer is valid until the next NodeLabels/NodeProperty/Prefetch call.
  Result<const std::vector<storage::LabelId>*> NodeLabels(storage::NodeKey key);
  // The property names the plan reads from nodes (the projection; "code" is always read through
  // GetNode). Call before execution; without it the projection holds labels only.
  void SetProjection(std::vector<std::string> names);
  // Loads the projections of the nodes `keys[0..n)` not cached yet with one batched read.
  // Absent keys are skipped (reading them later reports Corruption).
  Status Prefetch(const storage::NodeKey* keys, size_t n);
  // Whether `key` has a visible edge in `dir` (of `type` if given).
  Result<bool> HasEdge(storage::NodeKey key, storage::Direction dir,
                       std::optional<storage::EdgeTypeId> type);
  Result<std::string> LabelName(storage::LabelId id);
  Result<std::string> TypeName(storage::EdgeTypeId id);

  // Entities as returned to the caller (see query/engine.h): a node as
  // {"_id", "_labels", props...}, a relationship as {"_type", "_src", "_dst", props...}.
  Result<Value> NodeValue(storage::NodeKey key);
  Result<Value> EdgeValue(const storage::EdgeRecord& edge);
  Result<Value> ToValue(const Entity& entity);

  // The key of a node entity: a NodeRef, or a node map (e.g. after collect/UNWIND) looked up by
  // its "_id". nullopt for anything else or a node that does not exist.
  Result<std::optional<storage::NodeKey>> NodeKeyOf(const Entity& entity);

  // Property `key` of a node: `id` is the node id, `code` is the text between start_byte and
  // end_byte of the stored text of file `path` (null when any of those is missing).
  Result<Value> NodeProperty(storage::NodeKey key, const std::string& key_name);
  // Whether NodeProperty(key, key_name) is not null, without copying the value (IS NOT NULL on
  // a long docstring). Errors as NodeProperty.
  Result<bool> NodeHasProperty(storage::NodeKey key, const std::string& key_name);

  // The compiled regex for `pattern` (cached). InvalidArgument if it does not compile.
  Result<const re2::RE2*> Regex(const std::string& pattern);

 private:
  Result<Value> Code(const storage::NodeRecord& node);
  // A node's labels and projected values (values[i] for projection_[i]).
  struct Projected {
    std::vector<storage::LabelId> labels;
    std::vector<Value> values;
  };
  Result<const Projected*> GetProjected(storage::NodeKey key);
  // A stored property other than `id` and `code` (which are derived) from the projection or
  // the whole record, without a copy; nullptr when absent. Valid until the next GetNode,
  // NodeLabels, NodeProperty or Prefetch call.
  Result<const Value*> StoredProperty(storage::NodeKey key, const std::string& key_name);
  // Prefetch of fetch_keys_ (sorted, none loaded yet) as whole records through the NodeCache.
  Status PrefetchShared();

  storage::GraphStore& store_;
  storage::Snapshot& snapshot_;
  const QueryOptions& options_;
  const Clock::time_point deadline_;
  QueryStats stats_;
  uint64_t ticks_ = 0;
  int64_t edges_visited_ = 0;
  bool stopped_ = false;

  const std::optional<storage::Snapshot::StateToken> state_;  // snapshot_.State()
  // The whole records this query read, by key: open addressing over non-zero keys (0 marks a
  // free slot; 0 is never a NodeKey) to raw pointers, the records kept alive in insertion order
  // (no allocation per node; a growth rehashes plain pairs).
  class NodeMap {
   public:
    const storage::NodeRecord* Find(storage::NodeKey key) const;
    bool Contains(storage::NodeKey key) const { return Find(key) != nullptr; }
    // Adds `record` under `key` unless `key` is present; returns the record kept for `key`.
    const storage::NodeRecord* Insert(storage::NodeKey key,
                                      std::shared_ptr<const storage::NodeRecord> record);
    void Clear();
    size_t size() const { return owned_.size(); }

   private:
    struct Slot {
      storage::NodeKey key = 0;
      const storage::NodeRecord* record = nullptr;
    };
    size_t SlotOf(storage::NodeKey key) const;  // key's slot or the free slot it would take
    void Grow();
    std::vector<Slot> slots_;
    std::vector<std::shared_ptr<const storage::NodeRecord>> owned_;
  };
  NodeMap nodes_;
  void ClearNodes();                                // nodes_.clear() and forgets the last node
  storage::NodeKey last_key_ = 0;                   // GetNode's last record found in nodes_
  const storage::NodeRecord* last_node_ = nullptr;  // (nodes_ keeps it alive)
  std::vector<std::string> projection_;  // always holds kUserIdProperty when it holds "id"
  int id_index_ = -1, user_id_index_ = -1;
  std::unordered_map<storage::NodeKey, Projected> projected_;
  std::vector<storage::NodeKey> edge_keys_, edge_neighbors_;  // HasEdge scratch
  std::vector<size_t> edge_offsets_;
  std::vector<storage::NodeKey> fetch_keys_;  // Prefetch scratch
  std::vector<std::vector<storage::LabelId>> fetch_labels_;
  std::vector<std::optional<std::vector<Value>>> fetch_values_;
  std::vector<storage::NodeKey> miss_keys_;  // PrefetchShared scratch
  std::vector<std::shared_ptr<const storage::NodeRecord>> found_;
  std::vector<std::optional<storage::NodeRecord>> miss_records_;
  std::unordered_map<storage::LabelId, std::string> label_names_;
  std::unordered_map<storage::EdgeTypeId, std::string> type_names_;
  std::unordered_map<std::string, std::optional<std::string>> file_texts_;
  std::unordered_map<std::string, std::unique_ptr<re2::RE2>> regexes_;
};

}  // namespace kg::query::exec
