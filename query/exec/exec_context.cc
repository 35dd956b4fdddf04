#include "query/exec/exec_context.h"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "query/exec/node_cache.h"

namespace kg::query::exec {
namespace {

// What `n.id` shows for a node with stored id `stored_id` and user property `id` (`user_id`,
// nullptr when unset): the user property wins; a node made by CREATE has no code id (null).
Value VisibleId(const Value* user_id, const std::string& stored_id) {
  if (user_id != nullptr) return *user_id;
  if (stored_id.rfind(kCreatedIdPrefix, 0) == 0) return Value();
  return Value(stored_id);
}

// The user property `id` of a node (stored as kUserIdProperty), nullptr when unset. Code
// property names are lower-case and sort after '_', so the first property decides most lookups.
const Value* UserId(const Properties& props) {
  if (props.empty()) return nullptr;
  const int c = props.begin()->first.compare(kUserIdProperty);
  if (c == 0) return &props.begin()->second;
  if (c > 0) return nullptr;
  auto it = props.find(kUserIdProperty);
  return it != props.end() ? &it->second : nullptr;
}

constexpr uint64_t kTicksPerClockCheck = 256;
constexpr size_t kMaxCachedNodes = 100000;
constexpr size_t kMaxCachedRegexes = 64;
constexpr size_t kMaxCachedFiles = 64;

}  // namespace

ExecContext::ExecContext(storage::GraphStore& store, storage::Snapshot& snapshot,
                         const QueryOptions& options, Clock::time_point start)
    : store_(store),
      snapshot_(snapshot),
      options_(options),
      deadline_(start + std::chrono::milliseconds(options.timeout_ms)),
      state_(snapshot.State()) {}

ExecContext::~ExecContext() = default;

Status ExecContext::CheckDeadline() {
  if (Clock::now() > deadline_) {
    return Status::Timeout("query exceeded timeout of " + std::to_string(options_.timeout_ms) +
                           " ms");
  }
  return Status::OK();
}

Status ExecContext::Tick() {
  if (++ticks_ % kTicksPerClockCheck != 0) return Status::OK();
  return CheckDeadline();
}

bool ExecContext::CountEdge() {
  if (stopped_) return false;
  if (edges_visited_ >= options_.max_expansions) {
    stopped_ = true;
    return false;
  }
  ++edges_visited_;
  ++stats_.edges_expanded;
  return true;
}

uint64_t ExecContext::CountEdges(uint64_t n) {
  if (stopped_) return 0;
  // edges_visited_ <= max_expansions: CountEdge and this never pass it.
  const uint64_t left = static_cast<uint64_t>(options_.max_expansions - edges_visited_);
  const uint64_t visited = std::min(n, left);
  edges_visited_ += static_cast<int64_t>(visited);
  stats_.edges_expanded += visited;
  if (n > left) stopped_ = true;
  return visited;
}

size_t ExecContext::NodeMap::SlotOf(storage::NodeKey key) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  while (slots_[i].key != key && slots_[i].key != 0) i = (i + 1) & mask;
  return i;
}

const storage::NodeRecord* ExecContext::NodeMap::Find(storage::NodeKey key) const {
  if (owned_.empty()) return nullptr;
  const Slot& slot = slots_[SlotOf(key)];
  return slot.key == key ? slot.record : nullptr;
}

const storage::NodeRecord* ExecContext::NodeMap::Insert(
    storage::NodeKey key, std::shared_ptr<const storage::NodeRecord> record) {
  if ((owned_.size() + 1) * 2 > slots_.size()) Grow();
  Slot& slot = slots_[SlotOf(key)];
  if (slot.key != key) {
    slot.key = key;
    slot.record = record.get();
    owned_.push_back(std::move(record));
  }
  return slot.record;
}

void ExecContext::NodeMap::Clear() {
  if (owned_.empty()) return;
  std::fill(slots_.begin(), slots_.end(), Slot{});
  owned_.clear();
}

void ExecContext::NodeMap::Grow() {
  // 256 slots hold a typical query's nodes without a rehash; a power of two.
  std::vector<Slot> old =
      std::exchange(slots_, std::vector<Slot>(std::max<size_t>(256, slots_.size() * 2)));
  for (const Slot& s : old) {
    if (s.key != 0) slots_[SlotOf(s.key)] = s;
  }
  owned_.reserve(slots_.size() / 2);
}

void ExecContext::ClearNodes() {
  nodes_.Clear();
  last_node_ = nullptr;
}

Result<const storage::NodeRecord*> ExecContext::GetNode(storage::NodeKey key) {
  // Rows read several properties of one node in a row: the last record found is kept at hand.
  if (key == last_key_ && last_node_ != nullptr) return last_node_;
  if (const storage::NodeRecord* found = nodes_.Find(key)) {
    last_key_ = key;
    last_node_ = found;
    return last_node_;
  }
  std::shared_ptr<const storage::NodeRecord> shared;
  if (state_) shared = NodeCache::Default().Find(*state_, key);
  if (shared == nullptr) {
    KG_ASSIGN_OR_RETURN(std::optional<storage::NodeRecord> record, snapshot_.GetNode(key));
    if (!record) {
      return Status::Corruption("node key " + std::to_string(key) + " was returned by a cursor " +
                                "but does not exist");
    }
    shared = std::make_shared<const storage::NodeRecord>(std::move(*record));
    if (state_) NodeCache::Default().Insert(*state_, key, shared);
  }
  if (nodes_.size() >= kMaxCachedNodes) ClearNodes();
  return nodes_.Insert(key, std::move(shared));
}

void ExecContext::SetProjection(std::vector<std::string> names) {
  projection_ = std::move(names);
  projected_.clear();
  auto index_of = [this](const std::string& name) {
    auto it = std::find(projection_.begin(), projection_.end(), name);
    return it == projection_.end() ? -1 : static_cast<int>(it - projection_.begin());
  };
  id_index_ = index_of("id");
  user_id_index_ = index_of(kUserIdProperty);
  if (id_index_ >= 0 && user_id_index_ < 0) {
    projection_.push_back(kUserIdProperty);
    user_id_index_ = static_cast<int>(projection_.size()) - 1;
  }
}

Status ExecContext::Prefetch(const storage::NodeKey* keys, size_t n) {
  fetch_keys_.clear();
  for (size_t i = 0; i < n; ++i) {
    if (state_ ? !nodes_.Contains(keys[i]) : projected_.count(keys[i]) == 0) {
      fetch_keys_.push_back(keys[i]);
    }
  }
  if (fetch_keys_.empty()) return Status::OK();
  std::sort(fetch_keys_.begin(), fetch_keys_.end());
  fetch_keys_.erase(std::unique(fetch_keys_.begin(), fetch_keys_.end()), fetch_keys_.end());
  if (state_) return PrefetchShared();
  KG_RETURN_IF_ERROR(
      snapshot_.GetNodeLabelsAndValues(fetch_keys_, projection_, &fetch_labels_, &fetch_values_));
  if (projected_.size() + fetch_keys_.size() > kMaxCachedNodes) projected_.clear();
  for (size_t i = 0; i < fetch_keys_.size(); ++i) {
    if (!fetch_values_[i]) continue;
    Projected& p = projected_[fetch_keys_[i]];
    p.labels = std::move(fetch_labels_[i]);
    p.values = std::move(*fetch_values_[i]);
  }
  return Status::OK();
}

Status ExecContext::PrefetchShared() {
  NodeCache& cache = NodeCache::Default();
  if (nodes_.size() + fetch_keys_.size() > kMaxCachedNodes) ClearNodes();
  miss_keys_.clear();
  found_.assign(fetch_keys_.size(), nullptr);
  cache.FindMany(*state_, fetch_keys_.data(), fetch_keys_.size(), found_.data());
  for (size_t i = 0; i < fetch_keys_.size(); ++i) {
    if (found_[i] == nullptr) {
      miss_keys_.push_back(fetch_keys_[i]);
    } else {
      nodes_.Insert(fetch_keys_[i], std::move(found_[i]));
    }
  }
  if (miss_keys_.empty()) return Status::OK();
  KG_RETURN_IF_ERROR(snapshot_.GetNodes(miss_keys_, &miss_records_));
  for (size_t i = 0; i < miss_keys_.size(); ++i) {
    if (!miss_records_[i]) continue;
    auto record = std::make_shared<const storage::NodeRecord>(std::move(*miss_records_[i]));
    cache.Insert(*state_, miss_keys_[i], record);
    nodes_.Insert(miss_keys_[i], std::move(record));
  }
  return Status::OK();
}

Result<const ExecContext::Projected*> ExecContext::GetProjected(storage::NodeKey key) {
  auto it = projected_.find(key);
  if (it != projected_.end()) return &it->second;
  KG_RETURN_IF_ERROR(Prefetch(&key, 1));
  it = projected_.find(key);
  if (it == projected_.end()) {
    return Status::Corruption("node key " + std::to_string(key) + " was returned by a cursor " +
                              "but does not exist");
  }
  return &it->second;
}

Result<const std::vector<storage::LabelId>*> ExecContext::NodeLabels(storage::NodeKey key) {
  if (const storage::NodeRecord* full = nodes_.Find(key)) return &full->labels;
  if (state_) {  // whole records through the shared cache; no projections
    KG_ASSIGN_OR_RETURN(const storage::NodeRecord* node, GetNode(key));
    return &node->labels;
  }
  KG_ASSIGN_OR_RETURN(const Projected* p, GetProjected(key));
  return &p->labels;
}

Result<bool> ExecContext::HasEdge(storage::NodeKey key, storage::Direction dir,
                                  std::optional<storage::EdgeTypeId> type) {
  edge_keys_.assign(1, key);
  KG_RETURN_IF_ERROR(
      snapshot_.ExpandNeighbors(edge_keys_, dir, type, &edge_neighbors_, &edge_offsets_));
  return !edge_neighbors_.empty();
}

Result<std::string> ExecContext::LabelName(storage::LabelId id) {
  auto it = label_names_.find(id);
  if (it != label_names_.end()) return it->second;
  KG_ASSIGN_OR_RETURN(std::string name, store_.LabelNameOf(id));
  label_names_.emplace(id, name);
  return name;
}

Result<std::string> ExecContext::TypeName(storage::EdgeTypeId id) {
  auto it = type_names_.find(id);
  if (it != type_names_.end()) return it->second;
  KG_ASSIGN_OR_RETURN(std::string name, store_.EdgeTypeNameOf(id));
  type_names_.emplace(id, name);
  return name;
}

Result<Value> ExecContext::NodeValue(storage::NodeKey key) {
  KG_ASSIGN_OR_RETURN(const storage::NodeRecord* node, GetNode(key));
  ValueMap map = node->props;
  auto user_id = map.find(kUserIdProperty);
  if (user_id != map.end()) {
    Value v = std::move(user_id->second);
    map.erase(user_id);
    map["id"] = std::move(v);
  }
  map["_id"] = node->id;
  ValueList labels;
  for (auto id : node->labels) {
    KG_ASSIGN_OR_RETURN(std::string name, LabelName(id));
    labels.emplace_back(std::move(name));
  }
  map["_labels"] = std::move(labels);
  return Value(std::move(map));
}

Result<Value> ExecContext::EdgeValue(const storage::EdgeRecord& edge) {
  ValueMap map = edge.props;
  KG_ASSIGN_OR_RETURN(std::string type, TypeName(edge.type));
  map["_type"] = std::move(type);
  KG_ASSIGN_OR_RETURN(const storage::NodeRecord* src, GetNode(edge.src));
  map["_src"] = src->id;
  KG_ASSIGN_OR_RETURN(const storage::NodeRecord* dst, GetNode(edge.dst));
  map["_dst"] = dst->id;
  return Value(std::move(map));
}

Result<Value> ExecContext::ToValue(const Entity& entity) {
  switch (entity.index()) {
    case 0:
      return Value();
    case 1:
      return NodeValue(std::get<NodeRef>(entity).key);
    case 2:
      return EdgeValue(*std::get<EdgePtr>(entity));
    case 3: {
      ValueList list;
      for (const auto& e : *std::get<EdgeListPtr>(entity)) {
        KG_ASSIGN_OR_RETURN(Value v, EdgeValue(e));
        list.push_back(std::move(v));
      }
      return Value(std::move(list));
    }
    default:
      return std::get<Value>(entity);
  }
}

Result<std::optional<storage::NodeKey>> ExecContext::NodeKeyOf(const Entity& entity) {
  if (const NodeRef* ref = std::get_if<NodeRef>(&entity)) return std::optional(ref->key);
  const Value* v = std::get_if<Value>(&entity);
  if (v == nullptr || !v->is_map()) return std::optional<storage::NodeKey>();
  const ValueMap& m = v->as_map();
  auto id = m.find("_id");
  if (id == m.end() || !id->second.is_string() || m.count("_labels") == 0) {
    return std::optional<storage::NodeKey>();
  }
  return snapshot_.FindNode(id->second.as_string());
}

Result<const Value*> ExecContext::StoredProperty(storage::NodeKey key,
                                                 const std::string& key_name) {
  if (!state_ && key_name != kUserIdProperty && !nodes_.Contains(key)) {
    auto it = std::find(projection_.begin(), projection_.end(), key_name);
    if (it != projection_.end()) {
      KG_ASSIGN_OR_RETURN(const Projected* p, GetProjected(key));
      return &p->values[static_cast<size_t>(it - projection_.begin())];
    }
  }
  KG_ASSIGN_OR_RETURN(const storage::NodeRecord* node, GetNode(key));
  auto it = node->props.find(key_name);
  return it != node->props.end() ? &it->second : nullptr;
}

Result<Value> ExecContext::NodeProperty(storage::NodeKey key, const std::string& key_name) {
  if (key_name != "code" && key_name != "id") {
    KG_ASSIGN_OR_RETURN(const Value* v, StoredProperty(key, key_name));
    return v != nullptr ? *v : Value();
  }
  if (key_name == "id" && !state_ && !nodes_.Contains(key) &&
      std::find(projection_.begin(), projection_.end(), key_name) != projection_.end()) {
    KG_ASSIGN_OR_RETURN(const Projected* p, GetProjected(key));
    const Value& user_id = p->values[static_cast<size_t>(user_id_index_)];
    return VisibleId(user_id.is_null() ? nullptr : &user_id,
                     p->values[static_cast<size_t>(id_index_)].as_string());
  }
  KG_ASSIGN_OR_RETURN(const storage::NodeRecord* node, GetNode(key));
  if (key_name == "code") return Code(*node);
  return VisibleId(UserId(node->props), node->id);
}

Result<bool> ExecContext::NodeHasProperty(storage::NodeKey key, const std::string& key_name) {
  if (key_name == "code" || key_name == "id") {
    KG_ASSIGN_OR_RETURN(Value v, NodeProperty(key, key_name));
    return !v.is_null();
  }
  KG_ASSIGN_OR_RETURN(const Value* v, StoredProperty(key, key_name));
  return v != nullptr && !v->is_null();
}

Result<Value> ExecContext::Code(const storage::NodeRecord& node) {
  auto path = node.props.find("path");
  auto start = node.props.find("start_byte");
  auto end = node.props.find("end_byte");
  if (path == node.props.end() || start == node.props.end() || end == node.props.end() ||
      !path->second.is_string() || !start->second.is_int() || !end->second.is_int()) {
    auto stored = node.props.find("code");
    return stored != node.props.end() ? stored->second : Value();
  }
  // Copy what we need: GetFileText does not touch the node cache, but be explicit.
  const std::string file = path->second.as_string();
  const int64_t begin_byte = start->second.as_int();
  const int64_t end_byte = end->second.as_int();
  auto it = file_texts_.find(file);
  if (it == file_texts_.end()) {
    auto text = snapshot_.GetFileText(file);
    std::optional<std::string> stored;
    if (text.ok()) {
      stored = std::move(text).value();
    } else if (!text.status().IsNotFound()) {
      return text.status();
    }
    if (file_texts_.size() >= kMaxCachedFiles) file_texts_.clear();
    it = file_texts_.emplace(file, std::move(stored)).first;
  }
  if (!it->second) return Value();
  const std::string& text = *it->second;
  if (begin_byte < 0 || end_byte < begin_byte || static_cast<uint64_t>(end_byte) > text.size()) {
    return Value();
  }
  return Value(
      text.substr(static_cast<size_t>(begin_byte), static_cast<size_t>(end_byte - begin_byte)));
}

Result<const re2::RE2*> ExecContext::Regex(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  if (it != regexes_.end()) return it->second.get();
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return Status::InvalidArgument("invalid regular expression " + Value(pattern).DebugString() +
                                   ": " + re->error());
  }
  if (regexes_.size() >= kMaxCachedRegexes) regexes_.clear();
  return regexes_.emplace(pattern, std::move(re)).first->second.get();
}

}  // namespace kg::query::exec
