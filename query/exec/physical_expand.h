#pragma once
// PhysicalExpand: executes LogicalExpand (fixed length and variable length).
//
// For each input row, follows Snapshot::Expand from the node in from_slot, per allowed type and
// direction ("legs"; an undirected pattern is an out leg then an in leg, where self-loops are
// skipped so each appears once). An edge is used only if it has the variable-length pattern's
// properties (if any) and is not already used by another relationship of the same MATCH
// (relationship uniqueness; a variable-length path also never repeats an edge).
// Variable-length: depth-first, emitting every path with min_hops <= length <= max_hops
// (length 0 binds the start node itself).
// Every visited edge counts against max_expansions (ExecContext::CountEdge).
// Frontier (LogicalExpand::frontier): each reachable node once per input row, breadth-first,
// one Snapshot::ExpandNeighbors call per level and type.
// Batched (LogicalExpand::batched): input rows are pulled up to kBatchRows at a time and their
// nodes expanded with one Snapshot::ExpandNeighbors call; output order is the same as unbatched.
// A row whose earlier relationships could be the same edge (same endpoint and type) is expanded
// unbatched, so relationship uniqueness stays exact.
// List walk: a variable-length expansion whose relationships are not read (rel_unused, no
// property map, no earlier relationships to stay distinct from, one direction, distinct types)
// walks neighbour lists instead of edge cursors: each node expanded gets its neighbours of every
// leg with one Snapshot::ExpandNeighbors call per leg, in the order the cursors yield them, so
// paths are emitted in the same (depth-first) order. An edge is then named by its node and its
// position in that node's list (in one direction an edge is in exactly one node's list once),
// which is all relationship uniqueness along the path needs.
// Prefetch (LogicalExpand::prefetch_targets): the targets about to be emitted get their
// projections loaded kPrefetchWindow at a time (ExecContext::Prefetch): frontier and batched
// modes from their neighbour lists, the walk from the neighbours of each node it expands.

#include <vector>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_operator.h"

namespace kg::query::exec {

class PhysicalExpand : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalExpand(ExecContext& ctx, const plan::LogicalExpand& op, PhysicalOperatorPtr child);
  Result<bool> Next(Row* row) override;
  // Count-only (count(*) right above): a batched expansion whose relationship is unused and
  // whose target is not bound counts each input row's rows as the degree of its node
  // (Snapshot::Degrees, one read per batch); a row whose earlier relationships could be edges
  // of this hop (relationship uniqueness, e.g. a self-loop walked by the hop before) is counted
  // by the unbatched walk, as its rows would be made. Edges count against max_expansions as the
  // rows would (ExecContext::CountEdges). Anything else counts the rows Next() yields.
  Result<uint64_t> CountRows() override;

 private:
  struct Leg {
    storage::Direction direction;  // kOut or kIn
    std::optional<storage::EdgeTypeId> type;
  };
  // One level of the walk: the node expanded and where its legs are.
  struct Frame {
    storage::NodeKey node = 0;
    size_t leg = 0;
    std::unique_ptr<storage::EdgeCursor> cursor;
  };

  // Starts the walk for a freshly pulled input row. false when the row cannot expand.
  Result<bool> StartInput();
  // The next row of the input row being expanded (input_); false when it has no more (then
  // have_input_ is false) or the context stopped.
  Result<bool> NextOfInput(Row* row);
  bool CountsByDegree() const;
  // Batched mode: emits the next row into *row (kEmitted), or hands the next input row to the
  // unbatched walk in input_ (kUnbatched), or reports the end of the input (kEnd).
  enum class BatchStep { kEmitted, kUnbatched, kEnd };
  Result<BatchStep> NextBatched(Row* row);
  Status FillBatch();
  // Batched and count-only modes: pulls the next input row into *input and resolves the node
  // it expands from into *from (nullopt: the row does not expand), which then holds that slot as
  // a NodeRef. false at the end of the input (child_done_ is then set).
  Result<bool> PullInput(Row* input, std::optional<storage::NodeKey>* from);
  // True when an earlier relationship of the row could be an edge of this expansion from `from`.
  bool MayReuseEdge(const Row& row, storage::NodeKey from) const;
  // The next usable edge out of `frame` and its far end; false when the frame is exhausted.
  Result<bool> NextEdge(Frame* frame, storage::EdgeRecord* edge, storage::NodeKey* neighbour);
  Result<bool> EdgeAllowed(const storage::EdgeRecord& edge);
  bool TargetAllowed(storage::NodeKey node) const;
  // List walk: the next row of input_ (see NextOfInput); PushListFrame loads `node`'s list.
  Result<bool> NextOfListWalk(Row* row);
  Status PushListFrame(storage::NodeKey node);
  // Frontier mode: fills reach_ with the targets reachable from `start` in 1..max_hops hops.
  Status Reach(storage::NodeKey start);
  void Emit(Row* row, storage::NodeKey target);
  // Prefetch: loads the projections of list[pos..] up to a window when pos reached *loaded.
  Status PrefetchFrom(const std::vector<storage::NodeKey>& list, size_t pos, size_t* loaded);
  static constexpr size_t kPrefetchWindow = 128;
  // List walk of two or more hops: once the start node's list is loaded and fits one prefetch
  // window, the lists of all its nodes are read with one ExpandNeighbors call per leg and the
  // projections of both levels loaded with one Prefetch (one lock per cache shard instead of
  // one per window of every node of the first level); PushListFrame then takes a first-level
  // node's list from there. Both levels together at most kEagerPrefetchKeys nodes; otherwise
  // (or for deeper levels) lists are read per node as before.
  Status LoadSecondLevel();
  static constexpr size_t kEagerPrefetchKeys = 1024;
  struct EagerLists {
    std::vector<storage::NodeKey> neighbors;
    std::vector<size_t> offsets;
  };
  bool eager_ready_ = false;
  std::vector<storage::NodeKey> eager_first_, eager_keys_;
  std::vector<EagerLists> eager_lists_;  // per leg, over eager_first_

  const plan::LogicalExpand& op_;
  PhysicalOperatorPtr child_;
  std::vector<Leg> legs_;
  Row input_;
  bool have_input_ = false;
  std::vector<Value> rel_property_values_;  // evaluated per input row
  std::vector<Frame> stack_;                // stack_.size() == path_.size() + 1 while walking
  std::vector<storage::EdgeRecord> path_;
  bool pending_zero_length_ = false;
  std::optional<storage::NodeKey> to_key_;  // the bound target of this input row (to_bound)

  // Batched mode state.
  static constexpr size_t kBatchRows = 256;
  std::vector<Row> batch_rows_;
  std::vector<storage::NodeKey> batch_keys_;  // per row; 0: the row does not expand
  std::vector<size_t> batch_index_;           // per row: its index in the ExpandNeighbors call
  std::vector<storage::NodeKey> neighbors_;
  std::vector<size_t> offsets_;
  size_t batch_row_ = 0;      // the batch row being expanded
  bool row_started_ = false;  // batch_row_'s neighbour range is set up
  size_t next_neighbor_ = 0, end_neighbor_ = 0;
  bool child_done_ = false;
  // Frontier mode state.
  std::vector<storage::NodeKey> reach_;
  size_t reach_pos_ = 0;
  // Frontier mode: the nodes reached from the current input row (open addressing over non-zero
  // keys; 0 marks a free slot since 0 is never a NodeKey).
  class KeySet {
   public:
    void Clear();
    bool Insert(storage::NodeKey key);  // false if already present

   private:
    void Grow();
    std::vector<storage::NodeKey> slots_;
    size_t size_ = 0;
  };
  KeySet seen_;
  std::vector<storage::NodeKey> frontier_, next_frontier_;
  // List walk state: the frames from the start node to the node being expanded; frame i's
  // neighbours are list_[begin, end), list_[pos - 1] is the edge the path took from it (for
  // every frame but the top) and list_[.., loaded) have their projections prefetched.
  struct ListFrame {
    storage::NodeKey node = 0;
    size_t begin = 0, end = 0, pos = 0, loaded = 0;
  };
  bool list_walk_ = false;
  std::vector<ListFrame> list_stack_;
  std::vector<storage::NodeKey> list_;
  std::vector<storage::NodeKey> one_key_;  // ExpandNeighbors' argument
  // Prefetch state: how far reach_ / neighbors_ are loaded; the walk's scratch lists.
  size_t reach_loaded_ = 0, neighbors_loaded_ = 0;
  std::vector<storage::NodeKey> walk_neighbors_;
  std::vector<size_t> walk_offsets_;
};

}  // namespace kg::query::exec
