#include "query/exec/physical_expand.h"

#include <algorithm>

#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {

namespace {

// A row's edge. Made non-const (an EdgePtr only reads it), so that Emit may overwrite a record
// no other row shares.
EdgePtr NewEdge(storage::EdgeRecord edge) {
  return std::make_shared<storage::EdgeRecord>(std::move(edge));
}

}  // namespace

PhysicalExpand::PhysicalExpand(ExecContext& ctx, const plan::LogicalExpand& op,
                               PhysicalOperatorPtr child)
    : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {
  std::vector<std::optional<storage::EdgeTypeId>> types;
  if (op.any_type) {
    types.push_back(std::nullopt);
  } else {
    for (auto t : op.types) types.push_back(t);  // empty: nothing matches
  }
  for (storage::Direction d : {storage::Direction::kOut, storage::Direction::kIn}) {
    if (op.direction != storage::Direction::kBoth && op.direction != d) continue;
    for (const auto& t : types) legs_.push_back(Leg{d, t});
  }
  std::vector<storage::EdgeTypeId> sorted = op.types;
  std::sort(sorted.begin(), sorted.end());
  const bool distinct_types = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
  list_walk_ = op.var_length && op.rel_unused && !op.rel_bound && !op.frontier &&
               (op.rel_properties == nullptr || op.rel_properties->empty()) &&
               op.unique_with.empty() && op.direction != storage::Direction::kBoth &&
               distinct_types;
}

void PhysicalExpand::KeySet::Clear() {
  if (size_ > 0) std::fill(slots_.begin(), slots_.end(), storage::NodeKey{0});
  size_ = 0;
}

bool PhysicalExpand::KeySet::Insert(storage::NodeKey key) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;;
       i = (i + 1) & mask) {
    if (slots_[i] == key) return false;
    if (slots_[i] == 0) {
      slots_[i] = key;
      ++size_;
      return true;
    }
  }
}

void PhysicalExpand::KeySet::Grow() {
  std::vector<storage::NodeKey> old;
  old.swap(slots_);
  slots_.assign(std::max<size_t>(64, old.size() * 2), 0);  // a power of two
  size_ = 0;
  for (storage::NodeKey k : old) {
    if (k != 0) Insert(k);
  }
}

Result<bool> PhysicalExpand::StartInput() {
  // A node may also arrive as a node map (collect + UNWIND): resolve it to its key.
  KG_ASSIGN_OR_RETURN(std::optional<storage::NodeKey> from_key,
                      ctx_.NodeKeyOf(input_[static_cast<size_t>(op_.from_slot)]));
  if (!from_key) return false;
  input_[static_cast<size_t>(op_.from_slot)] = NodeRef{*from_key};
  to_key_.reset();
  if (op_.to_bound) {
    KG_ASSIGN_OR_RETURN(to_key_, ctx_.NodeKeyOf(input_[static_cast<size_t>(op_.to_slot)]));
    if (!to_key_) return false;
    input_[static_cast<size_t>(op_.to_slot)] = NodeRef{*to_key_};
  }
  const NodeRef* node = std::get_if<NodeRef>(&input_[static_cast<size_t>(op_.from_slot)]);
  rel_property_values_.clear();
  if (op_.rel_properties != nullptr) {
    for (const auto& [key, expr] : *op_.rel_properties) {
      KG_ASSIGN_OR_RETURN(Value v, Evaluate(*expr, input_, ctx_));
      rel_property_values_.push_back(std::move(v));
    }
  }
  stack_.clear();
  path_.clear();
  pending_zero_length_ = op_.var_length && op_.min_hops == 0;
  if (op_.frontier) {
    KG_RETURN_IF_ERROR(Reach(node->key));
    return true;
  }
  if (list_walk_) {
    list_stack_.clear();
    list_.clear();
    eager_ready_ = false;
    if (op_.max_hops >= 1) KG_RETURN_IF_ERROR(PushListFrame(node->key));
    if (op_.prefetch_targets && op_.max_hops >= 2) KG_RETURN_IF_ERROR(LoadSecondLevel());
    return true;
  }
  if (op_.max_hops >= 1) stack_.push_back(Frame{node->key, 0, nullptr});
  return true;
}

Status PhysicalExpand::LoadSecondLevel() {
  const ListFrame& root = list_stack_.back();
  const size_t first = root.end - root.begin;
  if (first == 0 || first > kPrefetchWindow) return Status::OK();
  eager_first_.assign(list_.begin() + static_cast<ptrdiff_t>(root.begin),
                      list_.begin() + static_cast<ptrdiff_t>(root.end));
  eager_keys_ = eager_first_;
  eager_lists_.resize(legs_.size());
  for (size_t l = 0; l < legs_.size(); ++l) {
    EagerLists& lists = eager_lists_[l];
    KG_RETURN_IF_ERROR(ctx_.snapshot().ExpandNeighbors(
        eager_first_, legs_[l].direction, legs_[l].type, &lists.neighbors, &lists.offsets));
    if (eager_keys_.size() + lists.neighbors.size() > kEagerPrefetchKeys) return Status::OK();
    eager_keys_.insert(eager_keys_.end(), lists.neighbors.begin(), lists.neighbors.end());
  }
  KG_RETURN_IF_ERROR(ctx_.Prefetch(eager_keys_.data(), eager_keys_.size()));
  list_stack_.back().loaded = root.end;
  eager_ready_ = true;
  return Status::OK();
}

Status PhysicalExpand::PushListFrame(storage::NodeKey node) {
  ListFrame frame;
  frame.node = node;
  frame.begin = frame.pos = frame.loaded = list_.size();
  if (eager_ready_ && list_stack_.size() == 1) {
    // A node of the first level: its lists were read (and its neighbours prefetched) with the
    // whole level; i is its position there (the root frame's edge just taken).
    const size_t i = list_stack_[0].pos - 1 - list_stack_[0].begin;
    for (const EagerLists& lists : eager_lists_) {
      list_.insert(list_.end(), lists.neighbors.begin() + static_cast<ptrdiff_t>(lists.offsets[i]),
                   lists.neighbors.begin() + static_cast<ptrdiff_t>(lists.offsets[i + 1]));
    }
    frame.end = frame.loaded = list_.size();
    list_stack_.push_back(frame);
    return Status::OK();
  }
  one_key_.assign(1, node);
  for (const Leg& leg : legs_) {
    KG_RETURN_IF_ERROR(ctx_.snapshot().ExpandNeighbors(one_key_, leg.direction, leg.type,
                                                       &walk_neighbors_, &walk_offsets_));
    list_.insert(list_.end(), walk_neighbors_.begin(), walk_neighbors_.end());
  }
  frame.end = list_.size();
  list_stack_.push_back(frame);
  return Status::OK();
}

Result<bool> PhysicalExpand::NextOfListWalk(Row* row) {
  while (!list_stack_.empty()) {
    if (ctx_.stopped()) return false;
    const size_t depth = list_stack_.size() - 1;
    ListFrame& top = list_stack_.back();
    if (top.pos == top.end) {
      list_.resize(top.begin);
      list_stack_.pop_back();
      continue;
    }
    const size_t at = top.pos++;
    if (!ctx_.CountEdge()) return false;
    KG_RETURN_IF_ERROR(ctx_.Tick());
    // Relationship uniqueness: the same node's list at the same position is the same edge.
    const size_t index = at - top.begin;
    bool used = false;
    for (size_t i = 0; i < depth && !used; ++i) {
      const ListFrame& f = list_stack_[i];
      used = f.node == top.node && f.pos - 1 - f.begin == index;
    }
    if (used) continue;
    const storage::NodeKey neighbour = list_[at];
    if (op_.prefetch_targets && at >= top.loaded) {
      const size_t n = std::min(kPrefetchWindow, top.end - at);
      top.loaded = at + n;
      KG_RETURN_IF_ERROR(ctx_.Prefetch(list_.data() + at, n));
    }
    const int64_t length = static_cast<int64_t>(depth) + 1;
    if (length < op_.max_hops) {
      KG_RETURN_IF_ERROR(PushListFrame(neighbour));  // invalidates `top`
    }
    if (length >= op_.min_hops && TargetAllowed(neighbour)) {
      Emit(row, neighbour);
      return true;
    }
  }
  have_input_ = false;
  return false;
}

Status PhysicalExpand::Reach(storage::NodeKey start) {
  reach_.clear();
  reach_pos_ = 0;
  reach_loaded_ = 0;
  seen_.Clear();
  seen_.Insert(start);
  // With min_hops 0 the start node is emitted as the zero-length match (pending_zero_length_).
  bool start_reached = op_.min_hops == 0;
  frontier_.assign(1, start);
  for (int64_t depth = 1; depth <= op_.max_hops && !frontier_.empty(); ++depth) {
    next_frontier_.clear();
    for (const Leg& leg : legs_) {
      KG_RETURN_IF_ERROR(ctx_.snapshot().ExpandNeighbors(frontier_, leg.direction, leg.type,
                                                         &neighbors_, &offsets_));
      for (storage::NodeKey n : neighbors_) {
        if (!ctx_.CountEdge()) return Status::OK();
        KG_RETURN_IF_ERROR(ctx_.Tick());
        if (n == start) {
          if (!start_reached && TargetAllowed(start)) reach_.push_back(start);
          start_reached = true;
          continue;
        }
        if (!seen_.Insert(n)) continue;
        next_frontier_.push_back(n);
        if (TargetAllowed(n)) reach_.push_back(n);
      }
    }
    frontier_.swap(next_frontier_);
  }
  return Status::OK();
}

Result<bool> PhysicalExpand::EdgeAllowed(const storage::EdgeRecord& edge) {
  if (op_.rel_bound) {
    const EdgePtr* bound = std::get_if<EdgePtr>(&input_[static_cast<size_t>(op_.rel_slot)]);
    if (bound == nullptr || !SameEdge(**bound, edge)) return false;
  }
  if (op_.rel_properties != nullptr) {
    for (size_t i = 0; i < op_.rel_properties->size(); ++i) {
      auto it = edge.props.find((*op_.rel_properties)[i].first);
      if (it == edge.props.end()) return false;
      std::optional<bool> eq = ValuesEqual(it->second, rel_property_values_[i]);
      if (!eq || !*eq) return false;
    }
  }
  for (const auto& used : path_) {
    if (SameEdge(used, edge)) return false;
  }
  for (int slot : op_.unique_with) {
    const Entity& other = input_[static_cast<size_t>(slot)];
    if (const EdgePtr* e = std::get_if<EdgePtr>(&other)) {
      if (SameEdge(**e, edge)) return false;
    } else if (const EdgeListPtr* list = std::get_if<EdgeListPtr>(&other)) {
      for (const auto& used : **list) {
        if (SameEdge(used, edge)) return false;
      }
    }
  }
  return true;
}

bool PhysicalExpand::TargetAllowed(storage::NodeKey node) const {
  return !op_.to_bound || (to_key_ && *to_key_ == node);
}

Result<bool> PhysicalExpand::NextEdge(Frame* frame, storage::EdgeRecord* edge,
                                      storage::NodeKey* neighbour) {
  while (frame->leg < legs_.size()) {
    const Leg& leg = legs_[frame->leg];
    if (!frame->cursor) {
      if (op_.prefetch_targets) {
        KG_RETURN_IF_ERROR(ctx_.snapshot().ExpandNeighbors({frame->node}, leg.direction, leg.type,
                                                           &walk_neighbors_, &walk_offsets_));
        KG_RETURN_IF_ERROR(ctx_.Prefetch(walk_neighbors_.data(),
                                         std::min(walk_neighbors_.size(), kPrefetchWindow)));
      }
      frame->cursor = op_.need_edge_props
                          ? ctx_.snapshot().Expand(frame->node, leg.direction, leg.type)
                          : ctx_.snapshot().ExpandKeys(frame->node, leg.direction, leg.type);
    }
    while (frame->cursor->Next(edge)) {
      if (!ctx_.CountEdge()) return false;
      KG_RETURN_IF_ERROR(ctx_.Tick());
      const bool self_loop = edge->src == edge->dst;
      // Undirected: the out leg already produced this self-loop.
      if (self_loop && leg.direction == storage::Direction::kIn &&
          op_.direction == storage::Direction::kBoth) {
        continue;
      }
      *neighbour = leg.direction == storage::Direction::kOut ? edge->dst : edge->src;
      return true;
    }
    KG_RETURN_IF_ERROR(frame->cursor->status());
    frame->cursor.reset();
    ++frame->leg;
  }
  return false;
}

Status PhysicalExpand::PrefetchFrom(const std::vector<storage::NodeKey>& list, size_t pos,
                                    size_t* loaded) {
  if (pos < *loaded) return Status::OK();
  const size_t n = std::min(kPrefetchWindow, list.size() - pos);
  *loaded = pos + n;
  return ctx_.Prefetch(list.data() + pos, n);
}

void PhysicalExpand::Emit(Row* row, storage::NodeKey target) {
  // The relationship slot of a fixed-length hop is set below, from the edge.
  const size_t own_rel = !op_.rel_unused && !op_.var_length && !op_.rel_bound
                             ? static_cast<size_t>(op_.rel_slot)
                             : input_.size();
  if (row->size() == input_.size()) {
    // Slot by slot: empty slots and nodes (most of a row) are copied without the variant's
    // generic assignment.
    for (size_t i = 0; i < input_.size(); ++i) {
      if (i == own_rel) continue;
      const Entity& from = input_[i];
      Entity& to = (*row)[i];
      if (const NodeRef* node = std::get_if<NodeRef>(&from)) {
        if (NodeRef* same = std::get_if<NodeRef>(&to)) {
          *same = *node;
          continue;
        }
      } else if (from.index() == 0 && to.index() == 0) {
        continue;
      }
      to = from;
    }
  } else {
    *row = input_;
  }
  (*row)[static_cast<size_t>(op_.to_slot)] = NodeRef{target};
  if (op_.rel_unused) return;
  if (op_.var_length) {
    auto list = std::make_shared<std::vector<storage::EdgeRecord>>(path_);
    if (op_.reverse_path) std::reverse(list->begin(), list->end());
    (*row)[static_cast<size_t>(op_.rel_slot)] = EdgeListPtr(std::move(list));
  } else {
    Entity& slot = (*row)[static_cast<size_t>(op_.rel_slot)];
    const EdgePtr* held = std::get_if<EdgePtr>(&slot);
    if (held != nullptr && held->use_count() == 1) {
      // The edge this row held from the previous Emit, which nothing else shares (the caller
      // reuses its row and kept no copy): overwritten in place instead of a new allocation.
      // (Every EdgeRecord of a row is made non-const: see NewEdge.)
      const_cast<storage::EdgeRecord&>(**held) = path_.back();
    } else {
      slot = NewEdge(path_.back());
    }
  }
}

bool PhysicalExpand::MayReuseEdge(const Row& row, storage::NodeKey from) const {
  auto conflicts = [&](const storage::EdgeRecord& e) {
    if (!op_.any_type && e.type != op_.types[0]) return false;
    return op_.direction == storage::Direction::kOut ? e.src == from : e.dst == from;
  };
  for (int slot : op_.unique_with) {
    const Entity& other = row[static_cast<size_t>(slot)];
    if (const EdgePtr* e = std::get_if<EdgePtr>(&other)) {
      if (conflicts(**e)) return true;
    } else if (const EdgeListPtr* list = std::get_if<EdgeListPtr>(&other)) {
      for (const auto& used : **list) {
        if (conflicts(used)) return true;
      }
    }
  }
  return false;
}

Result<bool> PhysicalExpand::PullInput(Row* input, std::optional<storage::NodeKey>* from) {
  KG_ASSIGN_OR_RETURN(bool more, child_->Next(input));
  if (!more) {
    child_done_ = true;
    return false;
  }
  Entity& slot = (*input)[static_cast<size_t>(op_.from_slot)];
  KG_ASSIGN_OR_RETURN(*from, ctx_.NodeKeyOf(slot));
  if (*from) slot = NodeRef{**from};
  return true;
}

Status PhysicalExpand::FillBatch() {
  batch_rows_.clear();
  batch_keys_.clear();
  batch_index_.clear();
  std::vector<storage::NodeKey> keys;
  Row input;
  std::optional<storage::NodeKey> from;
  while (batch_rows_.size() < kBatchRows) {
    KG_ASSIGN_OR_RETURN(bool more, PullInput(&input, &from));
    if (!more) break;
    batch_keys_.push_back(from.value_or(0));
    batch_index_.push_back(keys.size());
    if (from) keys.push_back(*from);
    batch_rows_.push_back(std::move(input));
    if (ctx_.stopped()) break;
  }
  batch_row_ = 0;
  row_started_ = false;
  neighbors_loaded_ = 0;
  std::optional<storage::EdgeTypeId> type;
  if (!op_.any_type) type = op_.types[0];
  return ctx_.snapshot().ExpandNeighbors(keys, op_.direction, type, &neighbors_, &offsets_);
}

Result<PhysicalExpand::BatchStep> PhysicalExpand::NextBatched(Row* row) {
  while (true) {
    if (ctx_.stopped()) return BatchStep::kEnd;
    if (batch_row_ >= batch_rows_.size()) {
      if (child_done_) return BatchStep::kEnd;
      KG_RETURN_IF_ERROR(FillBatch());
      if (batch_rows_.empty()) return BatchStep::kEnd;
      continue;
    }
    const storage::NodeKey from = batch_keys_[batch_row_];
    if (!row_started_) {
      if (from == 0) {
        ++batch_row_;
        continue;
      }
      Row& current = batch_rows_[batch_row_];
      if (MayReuseEdge(current, from)) {
        input_ = std::move(current);
        ++batch_row_;
        return BatchStep::kUnbatched;
      }
      to_key_.reset();
      if (op_.to_bound) {
        KG_ASSIGN_OR_RETURN(to_key_, ctx_.NodeKeyOf(current[static_cast<size_t>(op_.to_slot)]));
        if (!to_key_) {
          ++batch_row_;
          continue;
        }
        current[static_cast<size_t>(op_.to_slot)] = NodeRef{*to_key_};
      }
      const size_t index = batch_index_[batch_row_];
      next_neighbor_ = offsets_[index];
      end_neighbor_ = offsets_[index + 1];
      row_started_ = true;
    }
    while (next_neighbor_ < end_neighbor_) {
      if (op_.prefetch_targets) {
        KG_RETURN_IF_ERROR(PrefetchFrom(neighbors_, next_neighbor_, &neighbors_loaded_));
      }
      const storage::NodeKey neighbour = neighbors_[next_neighbor_++];
      if (!ctx_.CountEdge()) return BatchStep::kEnd;
      KG_RETURN_IF_ERROR(ctx_.Tick());
      if (!TargetAllowed(neighbour)) continue;
      *row = batch_rows_[batch_row_];
      (*row)[static_cast<size_t>(op_.to_slot)] = NodeRef{neighbour};
      if (op_.rel_unused) return BatchStep::kEmitted;
      storage::EdgeRecord edge;
      const bool out = op_.direction == storage::Direction::kOut;
      edge.src = out ? from : neighbour;
      edge.dst = out ? neighbour : from;
      edge.type = op_.any_type ? 0 : op_.types[0];
      (*row)[static_cast<size_t>(op_.rel_slot)] = NewEdge(std::move(edge));
      return BatchStep::kEmitted;
    }
    ++batch_row_;
    row_started_ = false;
  }
}

Result<bool> PhysicalExpand::Next(Row* row) {
  while (true) {
    if (ctx_.stopped()) return false;
    if (!have_input_) {
      if (op_.batched) {
        KG_ASSIGN_OR_RETURN(BatchStep step, NextBatched(row));
        if (step == BatchStep::kEmitted) return true;
        if (step == BatchStep::kEnd) return false;
        KG_ASSIGN_OR_RETURN(have_input_, StartInput());
        continue;
      }
      KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input_));
      if (!more) return false;
      KG_ASSIGN_OR_RETURN(have_input_, StartInput());
      continue;
    }
    KG_ASSIGN_OR_RETURN(bool emitted, NextOfInput(row));
    if (emitted) return true;
  }
}

bool PhysicalExpand::CountsByDegree() const {
  return op_.batched && op_.rel_unused && !op_.to_bound;
}

Result<uint64_t> PhysicalExpand::CountRows() {
  // Only from the start of the stream (nothing pulled yet), for a batched last hop whose rows
  // carry nothing but the input row and the target: the rows of an input row are then its
  // neighbours, so their number is its degree.
  if (!CountsByDegree() || have_input_ || !batch_rows_.empty() || child_done_) {
    return PhysicalOperator::CountRows();
  }
  std::optional<storage::EdgeTypeId> type;
  if (!op_.any_type) type = op_.types[0];
  uint64_t count = 0;
  Row input;  // reused: its slots are assigned in place
  std::vector<storage::NodeKey> keys;
  std::vector<uint64_t> degrees;
  // Per input row of a batch as NextBatched sees it: its index in keys (npos: does not expand)
  // and, for a row whose earlier relationships could be edges of this hop, the row itself.
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> index;
  std::vector<std::pair<size_t, Row>> reuse;  // (position in the batch, row)
  Row scratch;
  while (!child_done_ && !ctx_.stopped()) {
    // As FillBatch: up to kBatchRows input rows, then one read for all their nodes.
    keys.clear();
    index.clear();
    reuse.clear();
    std::optional<storage::NodeKey> from;
    while (index.size() < kBatchRows) {
      KG_ASSIGN_OR_RETURN(bool more, PullInput(&input, &from));
      if (!more) break;
      if (!from) {
        index.push_back(kNone);
      } else if (MayReuseEdge(input, *from)) {
        reuse.emplace_back(index.size(), input);
        index.push_back(kNone);
      } else {
        index.push_back(keys.size());
        keys.push_back(*from);
      }
      if (ctx_.stopped()) break;
    }
    KG_RETURN_IF_ERROR(ctx_.snapshot().Degrees(keys, op_.direction, type, &degrees));
    size_t next_reuse = 0;
    for (size_t i = 0; i < index.size() && !ctx_.stopped(); ++i) {
      if (next_reuse < reuse.size() && reuse[next_reuse].first == i) {
        // Exactly as the rows would be made: the unbatched walk, which skips the reused edge.
        input_ = std::move(reuse[next_reuse++].second);
        KG_ASSIGN_OR_RETURN(have_input_, StartInput());
        while (have_input_) {
          KG_ASSIGN_OR_RETURN(bool emitted, NextOfInput(&scratch));
          if (!emitted) break;
          ++count;
          KG_RETURN_IF_ERROR(ctx_.Tick());
        }
        have_input_ = false;
        continue;
      }
      if (index[i] == kNone) continue;
      count += ctx_.CountEdges(degrees[index[i]]);
      KG_RETURN_IF_ERROR(ctx_.Tick());
    }
  }
  return count;
}

Result<bool> PhysicalExpand::NextOfInput(Row* row) {
  while (true) {
    if (ctx_.stopped()) return false;
    if (pending_zero_length_) {
      pending_zero_length_ = false;
      const storage::NodeKey start =
          stack_.empty() ? std::get<NodeRef>(input_[op_.from_slot]).key : stack_.front().node;
      if (TargetAllowed(start)) {
        Emit(row, start);
        return true;
      }
    }
    if (op_.frontier) {
      if (reach_pos_ < reach_.size()) {
        if (op_.prefetch_targets) {
          KG_RETURN_IF_ERROR(PrefetchFrom(reach_, reach_pos_, &reach_loaded_));
        }
        Emit(row, reach_[reach_pos_++]);
        return true;
      }
      have_input_ = false;
      return false;
    }
    if (list_walk_) return NextOfListWalk(row);
    if (stack_.empty()) {
      have_input_ = false;
      return false;
    }
    Frame& top = stack_.back();
    storage::EdgeRecord edge;
    storage::NodeKey neighbour = 0;
    KG_ASSIGN_OR_RETURN(bool found, NextEdge(&top, &edge, &neighbour));
    if (!found) {
      if (ctx_.stopped()) return false;
      stack_.pop_back();
      if (!path_.empty()) path_.pop_back();
      continue;
    }
    KG_ASSIGN_OR_RETURN(bool allowed, EdgeAllowed(edge));
    if (!allowed) continue;
    path_.push_back(std::move(edge));
    const int64_t length = static_cast<int64_t>(path_.size());
    // Go deeper later; at the maximum depth push an exhausted frame so the edge is popped.
    Frame next{neighbour, length < op_.max_hops ? 0 : legs_.size(), nullptr};
    stack_.push_back(std::move(next));
    if ((!op_.var_length || length >= op_.min_hops) && TargetAllowed(neighbour)) {
      Emit(row, neighbour);
      return true;
    }
  }
}

}  // namespace kg::query::exec
