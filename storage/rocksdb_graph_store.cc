// GraphStore on RocksDB. The only file of codekg that includes RocksDB.
//
// Layout: storage/key_codec.h (column families and keys), storage/value_codec.h (values),
// storage/FORMAT.md (prose). Writers are serialized by write_mu_; every write is one
// rocksdb::WriteBatch. Readers use rocksdb::Snapshot and never take write_mu_.

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "storage/graph_store.h"
#include "storage/key_codec.h"
#include "storage/test_hooks.h"
#include "storage/value_codec.h"

namespace kg::storage {
namespace {

constexpr size_t kMaxGraphName = 64;
constexpr size_t kMaxTypeName = 128;         // label and edge-type names
constexpr size_t kMaxIdBytes = 16u << 10;    // node ids and file paths
constexpr GraphId kMaxGraphId = 0xfffffffe;  // so that graph id + 1 still bounds a range

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  return Status::IOError(msg);
}

bool ValidGraphName(std::string_view name) {
  if (name.empty() || name.size() > kMaxGraphName) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status InvalidGraphName(std::string_view name) {
  return Status::InvalidArgument("invalid graph name '" + std::string(name) +
                                 "': use 1-64 characters of [A-Za-z0-9_.-]");
}

bool DecodeU32Value(std::string_view v, uint32_t* out) {
  KeyReader r(v);
  return r.ReadU32(out) && r.done();
}

bool DecodeU64Value(std::string_view v, uint64_t* out) {
  KeyReader r(v);
  return r.ReadU64(out) && r.done();
}

std::string U32Value(uint32_t v) {
  std::string s;
  AppendU32(&s, v);
  return s;
}

std::string U64Value(uint64_t v) {
  std::string s;
  AppendU64(&s, v);
  return s;
}

// The `name` property if it is a string (what label_name / label_name_ci index).
const std::string* NameOf(const Properties& props) {
  auto it = props.find("name");
  if (it == props.end() || !it->second.is_string()) return nullptr;
  return &it->second.as_string();
}

// In-memory dictionary of user label or edge-type names (ids >= kFirstUserId).
struct Dictionary {
  std::unordered_map<std::string, uint16_t> by_lower;  // ToLowerAscii(name) -> id
  std::map<uint16_t, std::string> names;               // id -> name as first spelled
  uint32_t next = schema::kFirstUserId;
};

// Names a write creates, published to the dictionaries only once the write is durable.
struct PendingNames {
  std::unordered_map<std::string, uint16_t> labels;  // lower -> id
  std::unordered_map<std::string, uint16_t> types;
  std::vector<std::pair<uint16_t, std::string>> new_labels;  // id, spelling
  std::vector<std::pair<uint16_t, std::string>> new_types;
};

struct EdgeIdHash {
  size_t operator()(const EdgeId& e) const {
    uint64_t h = e.src * 0x9e3779b97f4a7c15ULL;
    h ^= (e.dst + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2));
    h ^= (static_cast<uint64_t>(e.type) << 32 | e.seq) * 0xc2b2ae3d27d4eb4fULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

struct Triple {
  NodeKey src;
  EdgeTypeId type;
  NodeKey dst;
  bool operator==(const Triple&) const = default;
};

struct TripleHash {
  size_t operator()(const Triple& t) const { return EdgeIdHash()(EdgeId{t.src, t.type, t.dst, 0}); }
};

// ---------------------------------------------------------------------------------------------
// Read side: a rocksdb::Snapshot shared by a Snapshot and the cursors it made.

// An iterator over one column family at a snapshot, with an upper bound that can be moved
// between seeks (RocksDB reads the bound through the pointer it was given at creation).
struct BoundedIterator {
  std::string upper;
  rocksdb::Slice upper_slice;
  std::unique_ptr<rocksdb::Iterator> it;
};

class ReadContext {
 public:
  ReadContext(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs)
      : db_(db), cfs_(cfs), snapshot_(db->GetSnapshot()) {}
  ~ReadContext() {
    for (auto& p : pool_) p.clear();  // iterators go before the snapshot they read
    db_->ReleaseSnapshot(snapshot_);
  }
  ReadContext(const ReadContext&) = delete;
  ReadContext& operator=(const ReadContext&) = delete;

  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs_[static_cast<size_t>(c)]; }
  rocksdb::ReadOptions Options() const {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot_;
    return ro;
  }

  // Creating a RocksDB iterator costs far more than a Seek, so cursors borrow iterators from a
  // per-snapshot pool and give them back when destroyed. Thread-safe.
  std::unique_ptr<BoundedIterator> TakeIterator(Cf c) const {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      auto& free = pool_[static_cast<size_t>(c)];
      if (!free.empty()) {
        std::unique_ptr<BoundedIterator> it = std::move(free.back());
        free.pop_back();
        return it;
      }
    }
    auto it = std::make_unique<BoundedIterator>();
    rocksdb::ReadOptions ro = Options();
    ro.iterate_upper_bound = &it->upper_slice;
    it->it.reset(db_->NewIterator(ro, cf(c)));
    return it;
  }
  void ReturnIterator(Cf c, std::unique_ptr<BoundedIterator> it) const {
    if (!it || !it->it->status().ok()) return;  // a failed iterator is not reused
    std::lock_guard<std::mutex> lock(pool_mu_);
    auto& free = pool_[static_cast<size_t>(c)];
    if (free.size() < kMaxPooledPerCf) free.push_back(std::move(it));
  }

  // Point read; *found says whether the key exists.
  Status Get(Cf c, std::string_view key, rocksdb::PinnableSlice* value, bool* found) const {
    value->Reset();
    rocksdb::Status s = db_->Get(Options(), cf(c), ToSlice(key), value);
    *found = s.ok();
    if (s.ok() || s.IsNotFound()) return Status::OK();
    return FromRocks(s, std::string("read ") + std::string(CfName(c)));
  }

  Result<uint64_t> GetCount(GraphId g, CountKind kind, uint32_t id) const {
    std::string key;
    EncodeCountKey(&key, g, kind, id);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(Get(Cf::kCounts, key, &v, &found));
    if (!found) return uint64_t{0};
    std::string_view in = ToView(v);
    uint64_t n = 0;
    if (!GetFixed64(&in, &n) || !in.empty()) return Status::Corruption("corrupt count value");
    return n;
  }

 private:
  static constexpr size_t kMaxPooledPerCf = 16;

  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  const rocksdb::Snapshot* snapshot_;
  mutable std::mutex pool_mu_;
  mutable std::array<std::vector<std::unique_ptr<BoundedIterator>>, kNumCfs> pool_;
};

// A forward iterator over the keys of one column family that start with `prefix`, on an
// iterator borrowed from the context's pool. REQUIRES: ctx outlives it.
class PrefixIterator {
 public:
  PrefixIterator(const ReadContext& ctx, Cf cf, std::string_view prefix)
      : ctx_(ctx), cf_(cf), it_(ctx.TakeIterator(cf)) {
    prefix_.assign(prefix);
    it_->upper = PrefixSuccessor(prefix_);
    // RocksDB reads the bound through the slice's address at every seek, so moving it works. A
    // prefix without successor (all 0xff bytes) gets a bound-free iterator of its own.
    if (it_->upper.empty()) {
      it_.reset();
      it_ = std::make_unique<BoundedIterator>();
      it_->it.reset(ctx.db()->NewIterator(ctx.Options(), ctx.cf(cf)));
      pooled_ = false;
    } else {
      it_->upper_slice = rocksdb::Slice(it_->upper);
    }
  }
  ~PrefixIterator() {
    if (pooled_) ctx_.ReturnIterator(cf_, std::move(it_));
  }
  PrefixIterator(const PrefixIterator&) = delete;
  PrefixIterator& operator=(const PrefixIterator&) = delete;

  // Moves to the first (on the first call) or next key. False at the end or on error.
  bool Advance() {
    rocksdb::Iterator* it = it_->it.get();
    if (!started_) {
      started_ = true;
      it->Seek(ToSlice(prefix_));
    } else {
      it->Next();
    }
    return it->Valid() && it->key().starts_with(ToSlice(prefix_));
  }
  std::string_view key() const { return ToView(it_->it->key()); }
  std::string_view value() const { return ToView(it_->it->value()); }
  Status status() const { return FromRocks(it_->it->status(), "scan"); }

 private:
  const ReadContext& ctx_;
  Cf cf_;
  std::string prefix_;
  std::unique_ptr<BoundedIterator> it_;
  bool pooled_ = true;
  bool started_ = false;
};

// Yields the NodeKey at the end of each key with a prefix (nodes, label_index, label_name*).
class KeyNodeCursor final : public NodeCursor {
 public:
  KeyNodeCursor(std::shared_ptr<const ReadContext> ctx, Cf cf, std::string prefix)
      : ctx_(std::move(ctx)), it_(*ctx_, cf, std::move(prefix)) {}

  bool Next(NodeKey* key) override {
    if (done_) return false;
    if (!it_.Advance()) {
      status_ = it_.status();
      done_ = true;
      return false;
    }
    if (!DecodeTrailingNodeKey(it_.key(), key)) {
      status_ = Status::Corruption("malformed index key");
      done_ = true;
      return false;
    }
    return true;
  }
  Status status() const override { return status_; }

 private:
  std::shared_ptr<const ReadContext> ctx_;  // outlives it_
  PrefixIterator it_;
  Status status_;
  bool done_ = false;
};

// Existence of a node record at the snapshot.
Status NodeExists(const ReadContext& ctx, GraphId g, NodeKey k, std::string* key_buf,
                  rocksdb::PinnableSlice* pin, bool* exists) {
  key_buf->clear();
  EncodeNodeRecordKey(key_buf, g, k);
  return ctx.Get(Cf::kNodes, *key_buf, pin, exists);
}

// Edges of one node. Reads only the edge records: their dangling flag says whether both ends
// exist, so no node lookups are needed (see value_codec.h EdgeFlag).
class ExpandCursor final : public EdgeCursor {
 public:
  ExpandCursor(std::shared_ptr<const ReadContext> ctx, GraphId g, NodeKey node, Direction dir,
               std::optional<EdgeTypeId> type, bool with_props)
      : ctx_(std::move(ctx)), g_(g), node_(node), dir_(dir), type_(type), with_props_(with_props) {}

  bool Next(EdgeRecord* edge) override {
    if (done_) return false;
    if (!it_) {
      in_phase_ = dir_ == Direction::kIn;
      Open();
    }
    while (true) {
      if (!it_->Advance()) {
        if (!Fail(it_->status())) return false;
        if (!in_phase_ && dir_ == Direction::kBoth) {
          in_phase_ = true;
          Open();
          continue;
        }
        done_ = true;
        return false;
      }
      GraphId g = 0;
      NodeKey a = 0, b = 0;
      EdgeTypeId type = 0;
      uint32_t seq = 0;
      if (!DecodeEdgeKey(it_->key(), &g, &a, &type, &b, &seq)) {
        return Fail(Status::Corruption("malformed edge key"));
      }
      bool dangling = false;
      std::string_view props;
      if (!Fail(SplitEdgeValue(it_->value(), &dangling, &props))) return false;
      if (dangling) continue;
      edge->type = type;
      edge->seq = seq;
      edge->src = in_phase_ ? b : a;
      edge->dst = in_phase_ ? a : b;
      if (!with_props_) {
        edge->props.clear();
        return true;
      }
      Status s = DecodeProperties(&props, &edge->props);
      if (s.ok() && !props.empty()) s = Status::Corruption("trailing bytes after edge properties");
      return Fail(s);
    }
  }

  Status status() const override { return status_; }

 private:
  void Open() {
    std::string prefix;
    if (type_) {
      EncodeEdgePrefix(&prefix, g_, node_, *type_);
    } else {
      EncodeEdgePrefix(&prefix, g_, node_);
    }
    it_ = std::make_unique<PrefixIterator>(*ctx_, in_phase_ ? Cf::kInEdges : Cf::kOutEdges,
                                           std::move(prefix));
  }
  // Records an error and ends the cursor; returns s.ok().
  bool Fail(const Status& s) {
    if (s.ok()) return true;
    status_ = s;
    done_ = true;
    return false;
  }

  std::shared_ptr<const ReadContext> ctx_;
  GraphId g_;
  NodeKey node_;
  Direction dir_;
  std::optional<EdgeTypeId> type_;
  bool with_props_;
  std::unique_ptr<PrefixIterator> it_;
  bool in_phase_ = false;
  bool done_ = false;
  Status status_;
};

class SnapshotImpl final : public Snapshot {
 public:
  SnapshotImpl(std::shared_ptr<const ReadContext> ctx, GraphId g, std::string name)
      : ctx_(std::move(ctx)), g_(g), name_(std::move(name)) {}

  const std::string& graph_name() const override { return name_; }

  Result<std::optional<NodeRecord>> GetNode(NodeKey key) override {
    std::string k;
    EncodeNodeRecordKey(&k, g_, key);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(ctx_->Get(Cf::kNodes, k, &v, &found));
    if (!found) return std::optional<NodeRecord>();
    StoredNode stored;
    KG_RETURN_IF_ERROR(DecodeStoredNode(ToView(v), &stored)
                           .WithContext("node " + std::to_string(key) + " of graph " + name_));
    NodeRecord rec;
    rec.key = key;
    rec.id = std::move(stored.id);
    rec.labels = std::move(stored.labels);
    rec.props = std::move(stored.props);
    return std::optional<NodeRecord>(std::move(rec));
  }

  Status GetNodes(const std::vector<NodeKey>& keys,
                  std::vector<std::optional<NodeRecord>>* out) override {
    out->clear();
    out->resize(keys.size());
    constexpr size_t kChunk = 256;
    std::array<std::string, kChunk> enc;
    std::array<rocksdb::Slice, kChunk> slices;
    std::array<rocksdb::PinnableSlice, kChunk> values;
    std::array<rocksdb::Status, kChunk> statuses;
    rocksdb::ReadOptions ro = ctx_->Options();
    for (size_t start = 0; start < keys.size(); start += kChunk) {
      const size_t n = std::min(kChunk, keys.size() - start);
      for (size_t i = 0; i < n; ++i) {
        enc[i].clear();
        EncodeNodeRecordKey(&enc[i], g_, keys[start + i]);
        slices[i] = ToSlice(enc[i]);
        values[i].Reset();
      }
      ctx_->db()->MultiGet(ro, ctx_->cf(Cf::kNodes), n, slices.data(), values.data(),
                           statuses.data());
      for (size_t i = 0; i < n; ++i) {
        if (statuses[i].IsNotFound()) continue;
        KG_RETURN_IF_ERROR(FromRocks(statuses[i], "read nodes"));
        const NodeKey key = keys[start + i];
        StoredNode stored;
        KG_RETURN_IF_ERROR(DecodeStoredNode(ToView(values[i]), &stored)
                               .WithContext("node " + std::to_string(key) + " of graph " + name_));
        NodeRecord& rec = (*out)[start + i].emplace();
        rec.key = key;
        rec.id = std::move(stored.id);
        rec.labels = std::move(stored.labels);
        rec.props = std::move(stored.props);
      }
    }
    return Status::OK();
  }

  Result<std::optional<NodeKey>> FindNode(std::string_view id) override {
    std::string k;
    EncodeIdKey(&k, g_, id);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(ctx_->Get(Cf::kIds, k, &v, &found));
    if (!found) return std::optional<NodeKey>();
    NodeKey key = 0;
    if (!DecodeU64Value(ToView(v), &key)) return Status::Corruption("corrupt ids entry");
    bool exists = false;
    KG_RETURN_IF_ERROR(NodeExists(*ctx_, g_, key, &k, &v, &exists));
    if (!exists) return std::optional<NodeKey>();
    return std::optional<NodeKey>(key);
  }

  std::unique_ptr<NodeCursor> ScanAll() override {
    std::string prefix;
    EncodeGraphPrefix(&prefix, g_);
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kNodes, std::move(prefix));
  }

  std::unique_ptr<NodeCursor> ScanLabel(LabelId label) override {
    std::string prefix;
    EncodeLabelPrefix(&prefix, g_, label);
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kLabelIndex, std::move(prefix));
  }

  std::unique_ptr<NodeCursor> ScanLabelName(LabelId label, std::string_view name,
                                            bool case_insensitive) override {
    std::string prefix;
    if (case_insensitive) {
      EncodeLabelNamePrefix(&prefix, g_, label, schema::ToLowerAscii(name));
      return std::make_unique<KeyNodeCursor>(ctx_, Cf::kLabelNameCi, std::move(prefix));
    }
    EncodeLabelNamePrefix(&prefix, g_, label, name);
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kLabelName, std::move(prefix));
  }

  std::unique_ptr<EdgeCursor> Expand(NodeKey node, Direction dir,
                                     std::optional<EdgeTypeId> type) override {
    return std::make_unique<ExpandCursor>(ctx_, g_, node, dir, type, /*with_props=*/true);
  }

  std::unique_ptr<EdgeCursor> ExpandKeys(NodeKey node, Direction dir,
                                         std::optional<EdgeTypeId> type) override {
    return std::make_unique<ExpandCursor>(ctx_, g_, node, dir, type, /*with_props=*/false);
  }

  Result<uint64_t> CountNodes() override { return ctx_->GetCount(g_, CountKind::kNodes, 0); }
  Result<uint64_t> CountLabel(LabelId label) override {
    return ctx_->GetCount(g_, CountKind::kLabel, label);
  }
  Result<uint64_t> CountEdges() override { return ctx_->GetCount(g_, CountKind::kEdges, 0); }
  Result<uint64_t> CountEdgeType(EdgeTypeId type) override {
    return ctx_->GetCount(g_, CountKind::kEdgeType, type);
  }

  Result<std::optional<FileRecord>> GetFile(std::string_view path) override {
    std::string k;
    EncodeFileKey(&k, g_, path);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(ctx_->Get(Cf::kFiles, k, &v, &found));
    if (!found) return std::optional<FileRecord>();
    FileRecord rec;
    KG_RETURN_IF_ERROR(DecodeFileRecord(ToView(v), &rec));
    rec.path = std::string(path);
    return std::optional<FileRecord>(std::move(rec));
  }

  Result<std::vector<FileRecord>> ListFiles() override {
    std::string prefix;
    EncodeGraphPrefix(&prefix, g_);
    PrefixIterator it(*ctx_, Cf::kFiles, std::move(prefix));
    std::vector<FileRecord> files;
    while (it.Advance()) {
      FileRecord rec;
      GraphId g = 0;
      if (!DecodeFileKey(it.key(), &g, &rec.path)) return Status::Corruption("malformed file key");
      KG_RETURN_IF_ERROR(DecodeFileRecord(it.value(), &rec).WithContext(rec.path));
      files.push_back(std::move(rec));
    }
    KG_RETURN_IF_ERROR(it.status());
    return files;
  }

  Result<std::string> GetFileText(std::string_view path) override {
    std::string k;
    EncodeFileKey(&k, g_, path);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(ctx_->Get(Cf::kFileTexts, k, &v, &found));
    if (!found) {
      return Status::NotFound("file '" + std::string(path) + "' not found in graph '" + name_ +
                              "'");
    }
    return v.ToString();
  }

 private:
  std::shared_ptr<const ReadContext> ctx_;
  GraphId g_;
  std::string name_;
};

// ---------------------------------------------------------------------------------------------
// The store.

class RocksGraphStore;

// What the writer remembers about one graph between batches, to skip reads it can prove useless.
// Only conservative facts are kept: a wrong "maybe" costs a read, never correctness.
struct GraphWriteState {
  NodeKey session_first_key = 0;  // keys >= this were allocated since the store was opened
  // For keys allocated since open: whether the key may have been the source of a stored edge.
  // Keys allocated before open always "may" have out-edges.
  std::vector<bool> may_have_out_edges;

  bool MayHaveOutEdges(NodeKey k) const {
    if (session_first_key == 0 || k < session_first_key) return true;
    size_t i = k - session_first_key;
    return i < may_have_out_edges.size() && may_have_out_edges[i];
  }
  void MarkOutEdges(NodeKey k) {
    if (session_first_key == 0 || k < session_first_key) return;
    size_t i = k - session_first_key;
    if (i >= may_have_out_edges.size()) may_have_out_edges.resize(i + 1 + i / 2, false);
    may_have_out_edges[i] = true;
  }
};

// Bulk loads divert the column families that no writer reads (the label indexes and file
// texts) from the memtable: their operations are buffered here, sorted, written to SST files
// and ingested (IngestExternalFile puts them above everything already stored, so deletes and
// overwrites keep their meaning). The rest of a bulk load goes through the normal write path.
class SideTables {
 public:
  static bool Takes(Cf c) {
    return c == Cf::kLabelIndex || c == Cf::kLabelName || c == Cf::kLabelNameCi ||
           c == Cf::kFileTexts;
  }
  void Add(Cf c, std::string_view key, std::string_view value, bool del) {
    auto& entries = per_cf_[static_cast<size_t>(c)];
    entries.push_back(Entry{std::string(key), std::string(value), order_++, del});
    bytes_ += key.size() + value.size() + sizeof(Entry);
  }
  size_t bytes() const { return bytes_; }

  // Writes and ingests everything buffered, then clears the buffer.
  Status Ingest(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs) {
    for (size_t c = 0; c < kNumCfs; ++c) {
      auto& entries = per_cf_[c];
      if (entries.empty()) continue;
      std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        int cmp = a.key.compare(b.key);
        return cmp != 0 ? cmp < 0 : a.order < b.order;
      });
      std::string file =
          db->GetName() + "/bulk-" + std::to_string(c) + "-" + std::to_string(file_seq_++) + ".sst";
      rocksdb::Options options(db->GetDBOptions(), db->GetOptions(cfs[c]));
      rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, cfs[c]);
      KG_RETURN_IF_ERROR(FromRocks(writer.Open(file), "bulk load: create sst"));
      for (size_t i = 0; i < entries.size(); ++i) {
        const Entry& e = entries[i];
        if (i + 1 < entries.size() && entries[i + 1].key == e.key) continue;  // a later op wins
        rocksdb::Status st =
            e.del ? writer.Delete(ToSlice(e.key)) : writer.Put(ToSlice(e.key), ToSlice(e.value));
        KG_RETURN_IF_ERROR(FromRocks(st, "bulk load: write sst"));
      }
      KG_RETURN_IF_ERROR(FromRocks(writer.Finish(), "bulk load: finish sst"));
      rocksdb::IngestExternalFileOptions ingest;
      ingest.move_files = true;
      rocksdb::Status st = db->IngestExternalFile(cfs[c], {file}, ingest);
      std::error_code ec;
      std::filesystem::remove(file, ec);  // left behind only if ingestion failed
      KG_RETURN_IF_ERROR(FromRocks(st, "bulk load: ingest sst"));
      entries.clear();
      entries.shrink_to_fit();
    }
    bytes_ = 0;
    return Status::OK();
  }

 private:
  struct Entry {
    std::string key, value;
    uint64_t order;
    bool del;
  };
  std::array<std::vector<Entry>, kNumCfs> per_cf_;
  uint64_t order_ = 0;
  size_t bytes_ = 0;
  uint64_t file_seq_ = 0;
};

// The writes of one batch, buffered per column family and handed to RocksDB sorted by key, with
// only the last operation per key kept (the semantics of applying them in order). Sorted inserts
// are much cheaper for RocksDB's skiplist memtable than the interleaved order facts come in.
// Keys and values live in one arena per column family: no allocation per operation.
class SortedOps {
 public:
  void Put(Cf cf, std::string_view key, std::string_view value) { Add(cf, key, value, false); }
  void Delete(Cf cf, std::string_view key) { Add(cf, key, {}, true); }

  // Appends the surviving operations to `wb`, except those of column families that `side`
  // takes (when given), which go to `side` instead.
  void AppendTo(rocksdb::WriteBatch* wb, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                SideTables* side = nullptr) {
    for (size_t c = 0; c < kNumCfs; ++c) {
      PerCf& p = per_cf_[c];
      if (side != nullptr && SideTables::Takes(static_cast<Cf>(c))) {
        for (const Op& op : p.ops) {
          side->Add(static_cast<Cf>(c), std::string_view(p.arena.data() + op.key_off, op.key_len),
                    std::string_view(p.arena.data() + op.val_off, op.val_len), op.del);
        }
        continue;
      }
      auto key = [&p](const Op& op) {
        return std::string_view(p.arena.data() + op.key_off, op.key_len);
      };
      std::sort(p.ops.begin(), p.ops.end(), [&](const Op& a, const Op& b) {
        int cmp = key(a).compare(key(b));
        return cmp != 0 ? cmp < 0 : a.order < b.order;
      });
      for (size_t i = 0; i < p.ops.size(); ++i) {
        const Op& op = p.ops[i];
        if (i + 1 < p.ops.size() && key(p.ops[i + 1]) == key(op)) continue;  // a later op wins
        rocksdb::Slice k(p.arena.data() + op.key_off, op.key_len);
        if (op.del) {
          wb->Delete(cfs[c], k);
        } else {
          wb->Put(cfs[c], k, rocksdb::Slice(p.arena.data() + op.val_off, op.val_len));
        }
      }
    }
  }

 private:
  struct Op {
    size_t key_off, key_len, val_off, val_len;
    uint32_t order;
    bool del;
  };
  struct PerCf {
    std::string arena;
    std::vector<Op> ops;
  };

  void Add(Cf cf, std::string_view key, std::string_view value, bool del) {
    PerCf& p = per_cf_[static_cast<size_t>(cf)];
    Op op{p.arena.size(), key.size(), p.arena.size() + key.size(), value.size(), order_++, del};
    p.arena.append(key);
    p.arena.append(value);
    p.ops.push_back(op);
  }

  std::array<PerCf, kNumCfs> per_cf_;
  uint32_t order_ = 0;
};

// Builds the WriteBatch of one ApplyBatch / DeleteFile (see FORMAT.md "Writes"). Reads the current
// state directly from the DB: the caller holds the writer mutex, so nothing changes meanwhile.
class FactWriter {
 public:
  FactWriter(RocksGraphStore* store, GraphWriteState* state, GraphId g, std::string_view path,
             const FactBatch* batch)
      : store_(store),
        state_(state),
        g_(g),
        path_(path),
        batch_(batch != nullptr ? *batch : empty_batch_),
        deleting_(batch == nullptr) {}

  // Validates the batch and fills wb() with every change. On error nothing must be written.
  // With `side`, the operations of the column families it takes go there instead of wb().
  Status Build(SideTables* side = nullptr);
  rocksdb::WriteBatch* wb() { return &wb_; }
  PendingNames* pending() { return &pending_; }

 private:
  struct MergedNode {
    std::string_view id;
    std::vector<const NodeFact*> facts;
    std::vector<LabelId> labels;
    bool nonshared = false;
    NodeKey key = 0;
  };

  rocksdb::ColumnFamilyHandle* cf(Cf c) const;
  Status Get(Cf c, std::string_view key, rocksdb::PinnableSlice* value, bool* found);
  Result<uint16_t> Resolve(bool labels, const std::string& name);
  Status ValidateAndMerge();
  // Batched lookups (one MultiGet per column family instead of a Get per key).
  Status MultiGet(Cf c, const std::vector<std::string>& keys,
                  const std::function<Status(size_t, bool, std::string_view)>& fn);
  Status ResolveKeys();
  Status PrefetchNodes();
  // Looks up the existence (and, for nodes this batch rewrites, the records) of `keys`.
  Status FetchNodes(std::vector<NodeKey>* keys);
  Result<NodeKey> KeyFor(std::string_view id);
  Result<bool> ExistsBefore(NodeKey k);
  Result<bool> ExistsAfter(NodeKey k);
  Result<std::optional<StoredNode>> LoadNode(NodeKey k);
  void RemoveNodeEntries(NodeKey k, const StoredNode& old);
  void WriteNode(NodeKey k, std::string_view id, std::string_view owner,
                 const std::vector<LabelId>& labels, const Properties& props);
  Status WriteMergedNodes();
  Result<uint64_t> NextSeq(NodeKey src, EdgeTypeId type, NodeKey dst);
  Status WriteEdges();
  Status AdjustExternalEdges();
  Status WriteCountsAndFile();
  void AddCount(CountKind kind, uint32_t id, int64_t delta) {
    if (delta != 0) count_deltas_[{static_cast<uint8_t>(kind), id}] += delta;
  }
  void AddEdgeCount(EdgeTypeId type, int64_t delta) {
    AddCount(CountKind::kEdges, 0, delta);
    AddCount(CountKind::kEdgeType, type, delta);
  }

  static inline const FactBatch empty_batch_{};

  RocksGraphStore* store_;
  GraphWriteState* state_;
  GraphId g_;
  std::string_view path_;
  const FactBatch& batch_;
  bool deleting_;

  SortedOps ops_;           // everything Build() decides to write
  rocksdb::WriteBatch wb_;  // ops_, sorted; filled at the end of Build()
  PendingNames pending_;
  std::unordered_map<std::string_view, uint16_t> label_cache_, type_cache_;

  std::vector<MergedNode> merged_;
  std::unordered_map<std::string_view, size_t> merged_index_;  // id -> merged_ position
  std::unordered_set<NodeKey> merged_keys_;
  std::vector<EdgeTypeId> edge_types_;  // per batch edge

  bool had_file_ = false;
  Manifest old_manifest_;
  std::unordered_set<NodeKey> old_nodes_;             // nodes the file owned
  std::unordered_set<EdgeId, EdgeIdHash> old_edges_;  // edges the file's last batch wrote
  Manifest new_manifest_;

  NodeKey first_fresh_ = 1;  // keys >= this were allocated by this batch
  NodeKey next_key_ = 1;
  std::unordered_map<std::string_view, NodeKey> keys_;  // id -> key, for this batch
  std::unordered_map<NodeKey, bool> exists_before_;
  std::unordered_map<NodeKey, std::string> records_;  // prefetched records of nodes to rewrite
  std::unordered_map<Triple, uint64_t, TripleHash> next_seq_;
  std::unique_ptr<rocksdb::Iterator> seq_it_;

  std::map<std::pair<uint8_t, uint32_t>, int64_t> count_deltas_;
  std::string key_buf_, val_buf_;
  rocksdb::PinnableSlice pin_;
};

class RocksGraphStore final : public GraphStore {
 public:
  static Result<std::unique_ptr<GraphStore>> OpenImpl(const std::string& dir,
                                                      const Options& options);

  ~RocksGraphStore() override {
    for (auto* h : cfs_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }

  Status CreateGraph(std::string_view name) override {
    if (!ValidGraphName(name)) return InvalidGraphName(name);
    std::lock_guard<std::mutex> lock(write_mu_);
    return CreateGraphLocked(name);
  }

  Status EnsureGraph(std::string_view name) override {
    if (!ValidGraphName(name)) return InvalidGraphName(name);
    std::lock_guard<std::mutex> lock(write_mu_);
    Status s = CreateGraphLocked(name);
    return s.IsAlreadyExists() ? Status::OK() : s;
  }

  Status DropGraph(std::string_view name) override;
  Result<std::vector<GraphInfo>> ListGraphs() override;
  Result<GraphInfo> GetGraph(std::string_view name) override;
  Status ApplyBatch(std::string_view graph, const FactBatch& batch) override;
  Result<std::unique_ptr<BulkWriter>> NewBulkWriter(std::string_view graph) override;
  Status BulkLoad(std::string_view graph, const std::vector<FactBatch>& batches) override;
  Status DeleteFile(std::string_view graph, std::string_view path) override;

  Result<LabelId> LabelIdFor(std::string_view name, bool create) override {
    return IdFor(true, name, create);
  }
  Result<EdgeTypeId> EdgeTypeIdFor(std::string_view name, bool create) override {
    return IdFor(false, name, create);
  }
  Result<std::string> LabelNameOf(LabelId id) override { return NameOf(true, id); }
  Result<std::string> EdgeTypeNameOf(EdgeTypeId id) override { return NameOf(false, id); }
  std::vector<std::string> KnownLabels() override { return Known(true); }
  std::vector<std::string> KnownEdgeTypes() override { return Known(false); }

  Result<std::unique_ptr<Snapshot>> GetSnapshot(std::string_view graph) override;

  // ---- for FactWriter (REQUIRES: write_mu_ held) ----
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs_[static_cast<size_t>(c)]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs() const { return cfs_; }
  // The id of a label / type name for a write: built-in, known, pending, or newly allocated into
  // `pending` (written by the caller's batch, published after it is durable).
  Result<uint16_t> ResolveForWrite(bool labels, std::string_view name, PendingNames* pending);

  // ---- for test_hooks.h ----
  Result<uint64_t> CountGraphKeys(GraphId g);

 private:
  RocksGraphStore() = default;

  Status LoadDictionaries();
  Status CheckFormatVersion();
  // The id of graph `name` as of `snapshot` (nullptr = latest); nullopt if absent.
  Result<std::optional<GraphId>> LookupGraph(std::string_view name,
                                             const rocksdb::Snapshot* snapshot);
  Result<GraphId> RequireGraph(std::string_view name);  // NotFound if absent
  Status CreateGraphLocked(std::string_view name);      // EXCLUSIVE_LOCKS_REQUIRED(write_mu_)
  Status Write(rocksdb::WriteBatch* wb, std::string_view what);
  void Publish(const PendingNames& pending);  // EXCLUSIVE_LOCKS_REQUIRED(write_mu_)
  Result<uint16_t> IdFor(bool labels, std::string_view name, bool create);
  Result<std::string> NameOf(bool labels, uint16_t id);
  std::vector<std::string> Known(bool labels);
  Result<GraphInfo> InfoOf(const ReadContext& ctx, std::string name, GraphId g);

  friend class RocksBulkWriter;

  rocksdb::DB* db_ = nullptr;                      // owned; immutable after open
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;  // owned; indexed by Cf; immutable after open
  std::shared_ptr<rocksdb::Cache> cache_;
  rocksdb::WriteOptions write_options_;

  // Serializes every writer (graph create/drop, batches, dictionary creation). Writers read the
  // latest DB state while holding it, so a write never races another write.
  std::mutex write_mu_;
  // Guards the dictionaries below; they change only while write_mu_ is also held.
  mutable std::shared_mutex dict_mu_;
  Dictionary labels_;                                         // GUARDED_BY(dict_mu_)
  Dictionary types_;                                          // GUARDED_BY(dict_mu_)
  std::unordered_map<GraphId, GraphWriteState> write_state_;  // GUARDED_BY(write_mu_)
};

// ---- FactWriter ----

rocksdb::ColumnFamilyHandle* FactWriter::cf(Cf c) const { return store_->cf(c); }

Status FactWriter::Get(Cf c, std::string_view key, rocksdb::PinnableSlice* value, bool* found) {
  value->Reset();
  rocksdb::Status s = store_->db()->Get(rocksdb::ReadOptions(), cf(c), ToSlice(key), value);
  *found = s.ok();
  if (s.ok() || s.IsNotFound()) return Status::OK();
  return FromRocks(s, std::string("read ") + std::string(CfName(c)));
}

Result<uint16_t> FactWriter::Resolve(bool labels, const std::string& name) {
  auto& cache = labels ? label_cache_ : type_cache_;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  KG_ASSIGN_OR_RETURN(uint16_t id, store_->ResolveForWrite(labels, name, &pending_));
  cache.emplace(name, id);
  return id;
}

Status FactWriter::ValidateAndMerge() {
  if (path_.size() > kMaxIdBytes) return Status::InvalidArgument("file path too long");
  const bool file_scoped = !path_.empty();
  merged_.reserve(batch_.nodes.size());
  merged_index_.reserve(batch_.nodes.size());
  for (size_t i = 0; i < batch_.nodes.size(); ++i) {
    const NodeFact& f = batch_.nodes[i];
    if (f.id.empty()) {
      return Status::InvalidArgument("node #" + std::to_string(i) + " has an empty id");
    }
    if (f.id.size() > kMaxIdBytes) {
      return Status::InvalidArgument("node #" + std::to_string(i) + " id is longer than " +
                                     std::to_string(kMaxIdBytes) + " bytes");
    }
    if (f.props.count("id") != 0) {
      return Status::InvalidArgument("node '" + f.id +
                                     "': property 'id' is implied by the node id; remove it");
    }
    if (!WithinDepth(f.props)) {
      return Status::InvalidArgument("node '" + f.id + "': property values nest deeper than " +
                                     std::to_string(kMaxValueDepth));
    }
    auto [it, inserted] = merged_index_.emplace(f.id, merged_.size());
    if (inserted) merged_.push_back(MergedNode{f.id, {}, {}, false, 0});
    MergedNode& m = merged_[it->second];
    if (!f.shared) {
      if (m.nonshared) {
        return Status::InvalidArgument(
            "node id '" + f.id + "' appears twice in the batch" +
            (file_scoped ? " of file '" + std::string(path_) + "'" : std::string()));
      }
      m.nonshared = true;
    }
    m.facts.push_back(&f);
    for (const std::string& label : f.labels) {
      Result<uint16_t> id = Resolve(true, label);
      if (!id.ok()) return id.status().WithContext("node '" + f.id + "'");
      if (std::find(m.labels.begin(), m.labels.end(), *id) == m.labels.end()) {
        m.labels.push_back(*id);
      }
    }
  }
  edge_types_.reserve(batch_.edges.size());
  for (size_t i = 0; i < batch_.edges.size(); ++i) {
    const EdgeFact& e = batch_.edges[i];
    if (e.src_id.empty() || e.dst_id.empty()) {
      return Status::InvalidArgument("edge #" + std::to_string(i) + " (" + e.type +
                                     ") has an empty source or target id");
    }
    if (e.src_id.size() > kMaxIdBytes || e.dst_id.size() > kMaxIdBytes) {
      return Status::InvalidArgument("edge #" + std::to_string(i) + " endpoint id too long");
    }
    if (!WithinDepth(e.props)) {
      return Status::InvalidArgument("edge #" + std::to_string(i) +
                                     ": property values nest too deep");
    }
    Result<uint16_t> type = Resolve(false, e.type);
    if (!type.ok()) {
      return type.status().WithContext("edge " + e.src_id + " -> " + e.dst_id);
    }
    edge_types_.push_back(*type);
  }
  return Status::OK();
}

Status FactWriter::MultiGet(Cf c, const std::vector<std::string>& keys,
                            const std::function<Status(size_t, bool, std::string_view)>& fn) {
  constexpr size_t kChunk = 1024;
  std::vector<rocksdb::Slice> slices;
  std::vector<rocksdb::PinnableSlice> values(std::min(keys.size(), kChunk));
  std::vector<rocksdb::Status> statuses(values.size());
  for (size_t start = 0; start < keys.size(); start += kChunk) {
    size_t n = std::min(kChunk, keys.size() - start);
    slices.clear();
    for (size_t i = 0; i < n; ++i) slices.push_back(ToSlice(keys[start + i]));
    for (size_t i = 0; i < n; ++i) values[i].Reset();
    store_->db()->MultiGet(rocksdb::ReadOptions(), cf(c), n, slices.data(), values.data(),
                           statuses.data(), /*sorted_input=*/false);
    for (size_t i = 0; i < n; ++i) {
      const rocksdb::Status& st = statuses[i];
      if (!st.ok() && !st.IsNotFound()) {
        return FromRocks(st, std::string("read ") + std::string(CfName(c)));
      }
      KG_RETURN_IF_ERROR(fn(start + i, st.ok(), ToView(values[i])));
    }
  }
  return Status::OK();
}

// Maps every id of the batch (nodes and edge endpoints) to its NodeKey, allocating keys for ids
// never seen before (in order of first appearance, so allocation is deterministic).
Status FactWriter::ResolveKeys() {
  std::vector<std::string_view> ids;
  ids.reserve(merged_.size() + 2 * batch_.edges.size());
  keys_.reserve(merged_.size() + 2 * batch_.edges.size());
  auto add = [&](std::string_view id) {
    if (keys_.emplace(id, 0).second) ids.push_back(id);
  };
  for (const MergedNode& m : merged_) add(m.id);
  for (const EdgeFact& e : batch_.edges) {
    add(e.src_id);
    add(e.dst_id);
  }
  std::vector<std::string> enc(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) EncodeIdKey(&enc[i], g_, ids[i]);
  return MultiGet(Cf::kIds, enc, [&](size_t i, bool found, std::string_view v) -> Status {
    NodeKey key = 0;
    if (found) {
      if (!DecodeU64Value(v, &key) || key == 0) {
        return Status::Corruption("corrupt ids entry for '" + std::string(ids[i]) + "'");
      }
    } else {
      key = next_key_++;
      ops_.Put(Cf::kIds, enc[i], U64Value(key));
    }
    keys_[ids[i]] = key;
    return Status::OK();
  });
}

// Reads, in one pass, whether every stored node this batch touches exists, and the records of
// the nodes it rewrites or deletes.
Status FactWriter::PrefetchNodes() {
  std::vector<NodeKey> want;
  auto add = [&](NodeKey k) {
    if (k < first_fresh_ && exists_before_.emplace(k, false).second) want.push_back(k);
  };
  for (const MergedNode& m : merged_) add(m.key);
  for (NodeKey k : old_manifest_.nodes) add(k);
  for (const auto& [id, k] : keys_) add(k);
  for (const EdgeId& e : old_manifest_.edges) {
    add(e.src);
    add(e.dst);
  }
  return FetchNodes(&want);
}

Status FactWriter::FetchNodes(std::vector<NodeKey>* keys) {
  if (keys->empty()) return Status::OK();
  std::sort(keys->begin(), keys->end());
  std::vector<std::string> enc(keys->size());
  for (size_t i = 0; i < keys->size(); ++i) EncodeNodeRecordKey(&enc[i], g_, (*keys)[i]);
  return MultiGet(Cf::kNodes, enc, [&](size_t i, bool found, std::string_view v) -> Status {
    NodeKey k = (*keys)[i];
    exists_before_[k] = found;
    if (found && (merged_keys_.count(k) != 0 || old_nodes_.count(k) != 0)) {
      records_.emplace(k, std::string(v));
    }
    return Status::OK();
  });
}

Result<NodeKey> FactWriter::KeyFor(std::string_view id) {
  auto it = keys_.find(id);
  if (it != keys_.end()) return it->second;
  key_buf_.clear();
  EncodeIdKey(&key_buf_, g_, id);
  bool found = false;
  KG_RETURN_IF_ERROR(Get(Cf::kIds, key_buf_, &pin_, &found));
  NodeKey key = 0;
  if (found) {
    if (!DecodeU64Value(ToView(pin_), &key) || key == 0) {
      return Status::Corruption("corrupt ids entry for '" + std::string(id) + "'");
    }
  } else {
    key = next_key_++;
    ops_.Put(Cf::kIds, key_buf_, U64Value(key));
  }
  keys_.emplace(id, key);
  return key;
}

Result<bool> FactWriter::ExistsBefore(NodeKey k) {
  if (k >= first_fresh_) return false;
  auto it = exists_before_.find(k);
  if (it != exists_before_.end()) return it->second;
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  bool found = false;
  KG_RETURN_IF_ERROR(Get(Cf::kNodes, key_buf_, &pin_, &found));
  exists_before_.emplace(k, found);
  return found;
}

Result<bool> FactWriter::ExistsAfter(NodeKey k) {
  if (merged_keys_.count(k) != 0) return true;
  if (old_nodes_.count(k) != 0) return false;
  return ExistsBefore(k);
}

Result<std::optional<StoredNode>> FactWriter::LoadNode(NodeKey k) {
  if (k >= first_fresh_) return std::optional<StoredNode>();
  auto prefetched = records_.find(k);
  if (prefetched != records_.end()) {
    StoredNode node;
    KG_RETURN_IF_ERROR(
        DecodeStoredNode(prefetched->second, &node).WithContext("node " + std::to_string(k)));
    return std::optional<StoredNode>(std::move(node));
  }
  auto known = exists_before_.find(k);
  if (known != exists_before_.end() && !known->second) return std::optional<StoredNode>();
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  bool found = false;
  KG_RETURN_IF_ERROR(Get(Cf::kNodes, key_buf_, &pin_, &found));
  exists_before_[k] = found;
  if (!found) return std::optional<StoredNode>();
  StoredNode node;
  KG_RETURN_IF_ERROR(
      DecodeStoredNode(ToView(pin_), &node).WithContext("node " + std::to_string(k)));
  return std::optional<StoredNode>(std::move(node));
}

// Deletes a node record and its index entries, and un-counts it.
void FactWriter::RemoveNodeEntries(NodeKey k, const StoredNode& old) {
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  ops_.Delete(Cf::kNodes, key_buf_);
  const std::string* name = NameOf(old.props);
  std::string lower = name != nullptr ? schema::ToLowerAscii(*name) : std::string();
  for (LabelId l : old.labels) {
    key_buf_.clear();
    EncodeLabelIndexKey(&key_buf_, g_, l, k);
    ops_.Delete(Cf::kLabelIndex, key_buf_);
    if (name != nullptr) {
      key_buf_.clear();
      EncodeLabelNameKey(&key_buf_, g_, l, *name, k);
      ops_.Delete(Cf::kLabelName, key_buf_);
      key_buf_.clear();
      EncodeLabelNameKey(&key_buf_, g_, l, lower, k);
      ops_.Delete(Cf::kLabelNameCi, key_buf_);
    }
    AddCount(CountKind::kLabel, l, -1);
  }
  AddCount(CountKind::kNodes, 0, -1);
}

// Puts a node record and its index entries, and counts it.
void FactWriter::WriteNode(NodeKey k, std::string_view id, std::string_view owner,
                           const std::vector<LabelId>& labels, const Properties& props) {
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  val_buf_.clear();
  EncodeStoredNode(id, owner, labels, props, &val_buf_);
  ops_.Put(Cf::kNodes, key_buf_, val_buf_);
  const std::string* name = NameOf(props);
  std::string lower = name != nullptr ? schema::ToLowerAscii(*name) : std::string();
  for (LabelId l : labels) {
    key_buf_.clear();
    EncodeLabelIndexKey(&key_buf_, g_, l, k);
    ops_.Put(Cf::kLabelIndex, key_buf_, {});
    if (name != nullptr) {
      key_buf_.clear();
      EncodeLabelNameKey(&key_buf_, g_, l, *name, k);
      ops_.Put(Cf::kLabelName, key_buf_, {});
      key_buf_.clear();
      EncodeLabelNameKey(&key_buf_, g_, l, lower, k);
      ops_.Put(Cf::kLabelNameCi, key_buf_, {});
    }
    AddCount(CountKind::kLabel, l, 1);
  }
  AddCount(CountKind::kNodes, 0, 1);
}

Status FactWriter::WriteMergedNodes() {
  const bool file_scoped = !path_.empty();
  // 1. The file's previous nodes go first (their deletes must precede any re-put of the keys).
  for (NodeKey k : old_manifest_.nodes) {
    KG_ASSIGN_OR_RETURN(std::optional<StoredNode> old, LoadNode(k));
    if (!old) {
      return Status::Corruption("file '" + std::string(path_) + "' lists node " +
                                std::to_string(k) + " that does not exist");
    }
    RemoveNodeEntries(k, *old);
  }
  // 2. Ownership checks and new records.
  for (MergedNode& m : merged_) {
    const bool claims = file_scoped && m.nonshared;  // the file owns the node after this batch
    std::optional<StoredNode> base;
    if (old_nodes_.count(m.key) == 0) {
      KG_ASSIGN_OR_RETURN(base, LoadNode(m.key));
    }
    if (base && !base->owner.empty() && base->owner != path_ && m.nonshared) {
      return Status::InvalidArgument(
          "node id '" + std::string(m.id) + "' is owned by file '" + base->owner + "'" +
          (file_scoped ? "; it cannot also be defined by '" + std::string(path_) + "'"
                       : std::string("; graph-level facts cannot "
                                     "redefine it")));
    }
    if (base) RemoveNodeEntries(m.key, *base);
    // Labels: claimed nodes are replaced; upserted nodes keep old labels and add new ones.
    std::vector<LabelId> labels;
    const Properties* props = &m.facts.front()->props;
    Properties merged_props;
    if (claims || !base) {
      labels = m.labels;
      if (m.facts.size() > 1) {
        for (const NodeFact* f : m.facts) {
          for (const auto& [k, v] : f->props) merged_props.insert_or_assign(k, v);
        }
        props = &merged_props;
      }
    } else {
      labels = base->labels;
      for (LabelId l : m.labels) {
        if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
      }
      merged_props = std::move(base->props);
      for (const NodeFact* f : m.facts) {
        for (const auto& [k, v] : f->props) merged_props.insert_or_assign(k, v);
      }
      props = &merged_props;
    }
    std::string_view owner = claims ? path_ : (base ? std::string_view(base->owner) : "");
    WriteNode(m.key, m.id, owner, labels, *props);
    if (claims) new_manifest_.nodes.push_back(m.key);
  }
  return Status::OK();
}

// The seq for the next edge (src, type, dst) of this batch: its ordinal among the batch's edges
// of that triple, offset past any edge of the triple that other batches stored (see FORMAT.md).
Result<uint64_t> FactWriter::NextSeq(NodeKey src, EdgeTypeId type, NodeKey dst) {
  auto [it, inserted] = next_seq_.try_emplace(Triple{src, type, dst}, 0);
  // No stored edge can have an end allocated by this batch, or a source that never had edges.
  if (inserted && src < first_fresh_ && dst < first_fresh_ && state_->MayHaveOutEdges(src)) {
    std::string prefix;
    EncodeEdgePrefix(&prefix, g_, src, type, dst);
    if (!seq_it_)
      seq_it_.reset(store_->db()->NewIterator(rocksdb::ReadOptions(), cf(Cf::kOutEdges)));
    uint64_t next = 0;
    for (seq_it_->Seek(ToSlice(prefix)); seq_it_->Valid() && seq_it_->key().starts_with(prefix);
         seq_it_->Next()) {
      GraphId g = 0;
      EdgeId e;
      if (!DecodeEdgeKey(ToView(seq_it_->key()), &g, &e.src, &e.type, &e.dst, &e.seq)) {
        return Status::Corruption("malformed out-edge key");
      }
      if (old_edges_.count(e) == 0) next = std::max<uint64_t>(next, uint64_t{e.seq} + 1);
    }
    KG_RETURN_IF_ERROR(FromRocks(seq_it_->status(), "scan out_edges"));
    it->second = next;
  }
  uint64_t seq = it->second++;
  if (seq > std::numeric_limits<uint32_t>::max()) {
    return Status::ResourceExhausted("too many parallel edges between two nodes");
  }
  return seq;
}

Status FactWriter::WriteEdges() {
  // Old edges of the file: both records deleted; un-counted if they were visible.
  for (const EdgeId& e : old_manifest_.edges) {
    key_buf_.clear();
    EncodeOutEdgeKey(&key_buf_, g_, e);
    ops_.Delete(Cf::kOutEdges, key_buf_);
    key_buf_.clear();
    EncodeInEdgeKey(&key_buf_, g_, e);
    ops_.Delete(Cf::kInEdges, key_buf_);
    KG_ASSIGN_OR_RETURN(bool src_before, ExistsBefore(e.src));
    KG_ASSIGN_OR_RETURN(bool dst_before, ExistsBefore(e.dst));
    if (src_before && dst_before) AddEdgeCount(e.type, -1);
  }
  new_manifest_.edges.reserve(batch_.edges.size());
  for (size_t i = 0; i < batch_.edges.size(); ++i) {
    const EdgeFact& f = batch_.edges[i];
    EdgeId e;
    e.type = edge_types_[i];
    KG_ASSIGN_OR_RETURN(e.src, KeyFor(f.src_id));
    KG_ASSIGN_OR_RETURN(e.dst, KeyFor(f.dst_id));
    KG_ASSIGN_OR_RETURN(uint64_t seq, NextSeq(e.src, e.type, e.dst));
    e.seq = static_cast<uint32_t>(seq);
    KG_ASSIGN_OR_RETURN(bool src_after, ExistsAfter(e.src));
    KG_ASSIGN_OR_RETURN(bool dst_after, ExistsAfter(e.dst));
    const bool visible = src_after && dst_after;
    if (visible) AddEdgeCount(e.type, 1);
    val_buf_.clear();
    val_buf_.push_back(static_cast<char>(visible ? 0 : kEdgeDangling));
    EncodeProperties(f.props, &val_buf_);
    key_buf_.clear();
    EncodeOutEdgeKey(&key_buf_, g_, e);
    ops_.Put(Cf::kOutEdges, key_buf_, val_buf_);
    key_buf_.clear();
    EncodeInEdgeKey(&key_buf_, g_, e);
    ops_.Put(Cf::kInEdges, key_buf_, val_buf_);
    if (!path_.empty()) new_manifest_.edges.push_back(e);
  }
  // Conservatively (even if this batch fails later): these keys may now have out-edges.
  for (const auto& [t, next] : next_seq_) state_->MarkOutEdges(t.src);
  return Status::OK();
}

// Edges stored by other batches become visible or dangling when this batch creates or deletes one
// of their endpoints. Exactly those edges (incident to a node whose existence changes) are found
// here; their dangling flags are rewritten and the edge counts adjusted.
Status FactWriter::AdjustExternalEdges() {
  std::vector<NodeKey> changed;
  for (NodeKey k : old_manifest_.nodes) {
    if (merged_keys_.count(k) == 0) changed.push_back(k);  // deleted by this batch
  }
  for (const MergedNode& m : merged_) {
    if (m.key >= first_fresh_) continue;  // no stored edge can reference a fresh key
    KG_ASSIGN_OR_RETURN(bool before, ExistsBefore(m.key));
    if (!before) changed.push_back(m.key);  // (re)created by this batch
  }
  if (changed.empty()) return Status::OK();
  std::unordered_set<NodeKey> changed_set(changed.begin(), changed.end());

  struct Candidate {
    EdgeId edge;
    bool dangling;
    std::string props;  // encoded Properties
  };
  std::vector<Candidate> candidates;
  std::vector<NodeKey> unknown;  // endpoints whose existence is not known yet
  auto note = [&](NodeKey k) {
    if (k < first_fresh_ && exists_before_.emplace(k, false).second) unknown.push_back(k);
  };
  std::unique_ptr<rocksdb::Iterator> out_it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), cf(Cf::kOutEdges)));
  std::unique_ptr<rocksdb::Iterator> in_it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), cf(Cf::kInEdges)));
  std::string prefix;
  for (NodeKey n : changed) {
    prefix.clear();
    EncodeEdgePrefix(&prefix, g_, n);
    for (int dir = 0; dir < 2; ++dir) {
      rocksdb::Iterator* it = dir == 0 ? out_it.get() : in_it.get();
      for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        GraphId g = 0;
        NodeKey a = 0, b = 0;
        EdgeTypeId type = 0;
        uint32_t seq = 0;
        if (!DecodeEdgeKey(ToView(it->key()), &g, &a, &type, &b, &seq)) {
          return Status::Corruption("malformed edge key");
        }
        // An edge between two changed nodes is handled once, from its source's out-edges.
        if (dir == 1 && changed_set.count(b) != 0) continue;
        EdgeId e = dir == 0 ? EdgeId{a, type, b, seq} : EdgeId{b, type, a, seq};
        if (old_edges_.count(e) != 0) continue;  // deleted by this batch (see WriteEdges)
        bool dangling = false;
        std::string_view props;
        KG_RETURN_IF_ERROR(SplitEdgeValue(ToView(it->value()), &dangling, &props));
        candidates.push_back(Candidate{e, dangling, std::string(props)});
        note(e.src);
        note(e.dst);
      }
      KG_RETURN_IF_ERROR(FromRocks(it->status(), "scan edges"));
    }
  }
  KG_RETURN_IF_ERROR(FetchNodes(&unknown));
  for (const Candidate& c : candidates) {
    KG_ASSIGN_OR_RETURN(bool src_after, ExistsAfter(c.edge.src));
    KG_ASSIGN_OR_RETURN(bool dst_after, ExistsAfter(c.edge.dst));
    const bool visible_after = src_after && dst_after;
    if (visible_after == !c.dangling) continue;
    AddEdgeCount(c.edge.type, visible_after ? 1 : -1);
    val_buf_.clear();
    EncodeEdgeValue(!visible_after, c.props, &val_buf_);
    key_buf_.clear();
    EncodeOutEdgeKey(&key_buf_, g_, c.edge);
    ops_.Put(Cf::kOutEdges, key_buf_, val_buf_);
    key_buf_.clear();
    EncodeInEdgeKey(&key_buf_, g_, c.edge);
    ops_.Put(Cf::kInEdges, key_buf_, val_buf_);
  }
  return Status::OK();
}

Status FactWriter::WriteCountsAndFile() {
  const bool file_scoped = !path_.empty();
  if (file_scoped) {
    std::string fkey;
    EncodeFileKey(&fkey, g_, path_);
    if (deleting_) {
      ops_.Delete(Cf::kFiles, fkey);
      ops_.Delete(Cf::kFileTexts, fkey);
      ops_.Delete(Cf::kFileFacts, fkey);
      AddCount(CountKind::kFiles, 0, -1);
    } else {
      FileRecord rec;
      rec.content_hash = batch_.content_hash;
      rec.language = batch_.language;
      rec.size = batch_.text.size();
      rec.node_count = merged_.size();
      rec.edge_count = batch_.edges.size();
      val_buf_.clear();
      EncodeFileRecord(rec, &val_buf_);
      ops_.Put(Cf::kFiles, fkey, val_buf_);
      ops_.Put(Cf::kFileTexts, fkey, batch_.text);
      val_buf_.clear();
      EncodeManifest(new_manifest_, &val_buf_);
      ops_.Put(Cf::kFileFacts, fkey, val_buf_);
      if (!had_file_) AddCount(CountKind::kFiles, 0, 1);
    }
  }
  for (const auto& [k, delta] : count_deltas_) {
    if (delta == 0) continue;
    key_buf_.clear();
    EncodeCountKey(&key_buf_, g_, static_cast<CountKind>(k.first), k.second);
    bool found = false;
    KG_RETURN_IF_ERROR(Get(Cf::kCounts, key_buf_, &pin_, &found));
    uint64_t current = 0;
    if (found) {
      std::string_view in = ToView(pin_);
      if (!GetFixed64(&in, &current) || !in.empty()) {
        return Status::Corruption("corrupt count value");
      }
    }
    if (delta < 0 && current < static_cast<uint64_t>(-delta)) {
      return Status::Corruption("count (kind " + std::to_string(k.first) + ", id " +
                                std::to_string(k.second) + ") would become negative");
    }
    uint64_t next = current + static_cast<uint64_t>(delta);
    if (next == 0) {
      ops_.Delete(Cf::kCounts, key_buf_);
    } else {
      val_buf_.clear();
      PutFixed64(&val_buf_, next);
      ops_.Put(Cf::kCounts, key_buf_, val_buf_);
    }
  }
  if (next_key_ != first_fresh_) {
    key_buf_.clear();
    EncodeMetaGraphCounterKey(&key_buf_, g_, GraphCounter::kNextNodeKey);
    ops_.Put(Cf::kMeta, key_buf_, U64Value(next_key_));
  }
  return Status::OK();
}

Status FactWriter::Build(SideTables* side) {
  KG_RETURN_IF_ERROR(ValidateAndMerge());

  // The file's previous facts.
  if (!path_.empty()) {
    std::string fkey;
    EncodeFileKey(&fkey, g_, path_);
    bool found = false;
    KG_RETURN_IF_ERROR(Get(Cf::kFiles, fkey, &pin_, &found));
    had_file_ = found;
    if (deleting_ && !had_file_) {
      return Status::NotFound("file '" + std::string(path_) + "' not found");
    }
    KG_RETURN_IF_ERROR(Get(Cf::kFileFacts, fkey, &pin_, &found));
    if (found) {
      KG_RETURN_IF_ERROR(DecodeManifest(ToView(pin_), &old_manifest_)
                             .WithContext("manifest of '" + std::string(path_) + "'"));
    }
    old_nodes_.insert(old_manifest_.nodes.begin(), old_manifest_.nodes.end());
    old_edges_.reserve(old_manifest_.edges.size());
    old_edges_.insert(old_manifest_.edges.begin(), old_manifest_.edges.end());
  }

  // Node keys.
  key_buf_.clear();
  EncodeMetaGraphCounterKey(&key_buf_, g_, GraphCounter::kNextNodeKey);
  bool found = false;
  KG_RETURN_IF_ERROR(Get(Cf::kMeta, key_buf_, &pin_, &found));
  if (found && (!DecodeU64Value(ToView(pin_), &first_fresh_) || first_fresh_ == 0)) {
    return Status::Corruption("corrupt node key counter");
  }
  next_key_ = first_fresh_;
  if (state_->session_first_key == 0) state_->session_first_key = first_fresh_;
  KG_RETURN_IF_ERROR(ResolveKeys());
  for (MergedNode& m : merged_) {
    KG_ASSIGN_OR_RETURN(m.key, KeyFor(m.id));
    merged_keys_.insert(m.key);
  }
  KG_RETURN_IF_ERROR(PrefetchNodes());

  KG_RETURN_IF_ERROR(WriteMergedNodes());
  KG_RETURN_IF_ERROR(WriteEdges());
  KG_RETURN_IF_ERROR(AdjustExternalEdges());
  KG_RETURN_IF_ERROR(WriteCountsAndFile());
  ops_.AppendTo(&wb_, store_->cfs(), side);
  return Status::OK();
}

// ---- RocksGraphStore ----

Result<uint16_t> RocksGraphStore::ResolveForWrite(bool labels, std::string_view name,
                                                  PendingNames* pending) {
  auto builtin = labels ? schema::FindLabel(name) : schema::FindEdgeType(name);
  if (builtin) return builtin->id;
  const char* what = labels ? "label" : "edge type";
  if (name.empty()) return Status::InvalidArgument(std::string("empty ") + what + " name");
  if (name.size() > kMaxTypeName) {
    return Status::InvalidArgument(std::string(what) + " name longer than " +
                                   std::to_string(kMaxTypeName) + " bytes");
  }
  std::string lower = schema::ToLowerAscii(name);
  uint32_t next = 0;
  {
    std::shared_lock<std::shared_mutex> lock(dict_mu_);
    const Dictionary& dict = labels ? labels_ : types_;
    auto it = dict.by_lower.find(lower);
    if (it != dict.by_lower.end()) return it->second;
    next = dict.next;
  }
  auto& pending_map = labels ? pending->labels : pending->types;
  auto it = pending_map.find(lower);
  if (it != pending_map.end()) return it->second;
  uint32_t id = next + static_cast<uint32_t>(pending_map.size());
  if (id > std::numeric_limits<uint16_t>::max()) {
    return Status::ResourceExhausted(std::string("too many distinct ") + what + " names");
  }
  pending_map.emplace(std::move(lower), static_cast<uint16_t>(id));
  (labels ? pending->new_labels : pending->new_types)
      .emplace_back(static_cast<uint16_t>(id), std::string(name));
  return static_cast<uint16_t>(id);
}

void RocksGraphStore::Publish(const PendingNames& pending) {
  if (pending.new_labels.empty() && pending.new_types.empty()) return;
  std::unique_lock<std::shared_mutex> lock(dict_mu_);
  for (int i = 0; i < 2; ++i) {
    Dictionary& dict = i == 0 ? labels_ : types_;
    for (const auto& [id, name] : i == 0 ? pending.new_labels : pending.new_types) {
      dict.by_lower.emplace(schema::ToLowerAscii(name), id);
      dict.names.emplace(id, name);
      dict.next = std::max<uint32_t>(dict.next, uint32_t{id} + 1);
    }
  }
}

// Adds the dictionary entries of `pending` to a batch.
void PutPendingNames(rocksdb::WriteBatch* wb, rocksdb::ColumnFamilyHandle* meta,
                     const PendingNames& pending) {
  std::string key;
  for (int i = 0; i < 2; ++i) {
    for (const auto& [id, name] : i == 0 ? pending.new_labels : pending.new_types) {
      key.clear();
      EncodeMetaDictNameKey(&key, i == 0, id);
      wb->Put(meta, ToSlice(key), ToSlice(name));
    }
  }
}

Result<uint16_t> RocksGraphStore::IdFor(bool labels, std::string_view name, bool create) {
  auto builtin = labels ? schema::FindLabel(name) : schema::FindEdgeType(name);
  if (builtin) return builtin->id;
  const char* what = labels ? "label" : "edge type";
  {
    std::shared_lock<std::shared_mutex> lock(dict_mu_);
    const Dictionary& dict = labels ? labels_ : types_;
    auto it = dict.by_lower.find(schema::ToLowerAscii(name));
    if (it != dict.by_lower.end()) return it->second;
  }
  if (!create)
    return Status::NotFound(std::string("unknown ") + what + " '" + std::string(name) + "'");
  std::lock_guard<std::mutex> lock(write_mu_);
  PendingNames pending;
  KG_ASSIGN_OR_RETURN(uint16_t id, ResolveForWrite(labels, name, &pending));
  if (pending.new_labels.empty() && pending.new_types.empty()) return id;  // raced: exists now
  rocksdb::WriteBatch wb;
  PutPendingNames(&wb, cf(Cf::kMeta), pending);
  KG_RETURN_IF_ERROR(Write(&wb, "create name"));
  Publish(pending);
  return id;
}

Result<std::string> RocksGraphStore::NameOf(bool labels, uint16_t id) {
  if (id < schema::kFirstUserId) {
    const auto& entries = labels ? schema::Labels() : schema::EdgeTypes();
    for (const auto& e : entries) {
      if (e.id == id) return std::string(e.name);
    }
  } else {
    std::shared_lock<std::shared_mutex> lock(dict_mu_);
    const Dictionary& dict = labels ? labels_ : types_;
    auto it = dict.names.find(id);
    if (it != dict.names.end()) return it->second;
  }
  return Status::NotFound(std::string(labels ? "label" : "edge type") + " id " +
                          std::to_string(id) + " is not assigned");
}

std::vector<std::string> RocksGraphStore::Known(bool labels) {
  std::vector<std::string> out;
  for (const auto& e : labels ? schema::Labels() : schema::EdgeTypes()) {
    out.emplace_back(e.name);
  }
  std::shared_lock<std::shared_mutex> lock(dict_mu_);
  for (const auto& [id, name] : (labels ? labels_ : types_).names) out.push_back(name);
  return out;
}

Status RocksGraphStore::Write(rocksdb::WriteBatch* wb, std::string_view what) {
  return FromRocks(db_->Write(write_options_, wb), what);
}

Result<std::optional<GraphId>> RocksGraphStore::LookupGraph(std::string_view name,
                                                            const rocksdb::Snapshot* snapshot) {
  if (!ValidGraphName(name)) return std::optional<GraphId>();
  std::string key;
  EncodeMetaGraphByNameKey(&key, name);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  rocksdb::PinnableSlice v;
  rocksdb::Status s = db_->Get(ro, cf(Cf::kMeta), ToSlice(key), &v);
  if (s.IsNotFound()) return std::optional<GraphId>();
  KG_RETURN_IF_ERROR(FromRocks(s, "read graph name"));
  GraphId g = 0;
  if (!DecodeU32Value(ToView(v), &g)) {
    return Status::Corruption("corrupt graph id of '" + std::string(name) + "'");
  }
  return std::optional<GraphId>(g);
}

Result<GraphId> RocksGraphStore::RequireGraph(std::string_view name) {
  KG_ASSIGN_OR_RETURN(std::optional<GraphId> g, LookupGraph(name, nullptr));
  if (!g) return Status::NotFound("graph '" + std::string(name) + "' not found");
  return *g;
}

Status RocksGraphStore::CreateGraphLocked(std::string_view name) {
  KG_ASSIGN_OR_RETURN(std::optional<GraphId> existing, LookupGraph(name, nullptr));
  if (existing) return Status::AlreadyExists("graph '" + std::string(name) + "' already exists");
  std::string key;
  EncodeMetaNextGraphIdKey(&key);
  rocksdb::PinnableSlice v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kMeta), ToSlice(key), &v);
  GraphId g = 1;
  if (s.ok()) {
    if (!DecodeU32Value(ToView(v), &g) || g == 0) {
      return Status::Corruption("corrupt next graph id");
    }
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "read next graph id");
  }
  if (g > kMaxGraphId) return Status::ResourceExhausted("graph ids exhausted");
  rocksdb::WriteBatch wb;
  wb.Put(cf(Cf::kMeta), ToSlice(key), ToSlice(U32Value(g + 1)));
  key.clear();
  EncodeMetaGraphByNameKey(&key, name);
  wb.Put(cf(Cf::kMeta), ToSlice(key), ToSlice(U32Value(g)));
  key.clear();
  EncodeMetaGraphCounterKey(&key, g, GraphCounter::kNextNodeKey);
  wb.Put(cf(Cf::kMeta), ToSlice(key), ToSlice(U64Value(1)));
  return Write(&wb, "create graph");
}

Status RocksGraphStore::DropGraph(std::string_view name) {
  std::lock_guard<std::mutex> lock(write_mu_);
  KG_ASSIGN_OR_RETURN(GraphId g, RequireGraph(name));
  rocksdb::WriteBatch wb;
  std::string begin, end;
  EncodeGraphPrefix(&begin, g);
  EncodeGraphPrefix(&end, g + 1);
  for (size_t i = 0; i < kNumCfs; ++i) {
    if (static_cast<Cf>(i) == Cf::kMeta) continue;
    wb.DeleteRange(cfs_[i], ToSlice(begin), ToSlice(end));
  }
  begin.clear();
  EncodeMetaGraphCounterPrefix(&begin, g);
  end = PrefixSuccessor(begin);
  wb.DeleteRange(cf(Cf::kMeta), ToSlice(begin), ToSlice(end));
  begin.clear();
  EncodeMetaGraphByNameKey(&begin, name);
  wb.Delete(cf(Cf::kMeta), ToSlice(begin));
  KG_RETURN_IF_ERROR(Write(&wb, "drop graph"));
  write_state_.erase(g);
  return Status::OK();
}

Result<GraphInfo> RocksGraphStore::InfoOf(const ReadContext& ctx, std::string name, GraphId g) {
  GraphInfo info;
  info.name = std::move(name);
  info.id = g;
  KG_ASSIGN_OR_RETURN(info.node_count, ctx.GetCount(g, CountKind::kNodes, 0));
  KG_ASSIGN_OR_RETURN(info.edge_count, ctx.GetCount(g, CountKind::kEdges, 0));
  KG_ASSIGN_OR_RETURN(info.file_count, ctx.GetCount(g, CountKind::kFiles, 0));
  return info;
}

Result<std::vector<GraphInfo>> RocksGraphStore::ListGraphs() {
  ReadContext ctx(db_, cfs_);
  std::string prefix;
  AppendU8(&prefix, static_cast<uint8_t>(MetaTag::kGraphByName));
  PrefixIterator it(ctx, Cf::kMeta, prefix);
  std::vector<GraphInfo> graphs;
  while (it.Advance()) {
    GraphId g = 0;
    if (!DecodeU32Value(it.value(), &g)) return Status::Corruption("corrupt graph entry");
    KG_ASSIGN_OR_RETURN(GraphInfo info, InfoOf(ctx, std::string(it.key().substr(1)), g));
    graphs.push_back(std::move(info));
  }
  KG_RETURN_IF_ERROR(it.status());
  return graphs;
}

Result<GraphInfo> RocksGraphStore::GetGraph(std::string_view name) {
  ReadContext ctx(db_, cfs_);
  rocksdb::ReadOptions ro = ctx.Options();
  KG_ASSIGN_OR_RETURN(std::optional<GraphId> g, LookupGraph(name, ro.snapshot));
  if (!g) return Status::NotFound("graph '" + std::string(name) + "' not found");
  return InfoOf(ctx, std::string(name), *g);
}

Status RocksGraphStore::ApplyBatch(std::string_view graph, const FactBatch& batch) {
  std::lock_guard<std::mutex> lock(write_mu_);
  KG_ASSIGN_OR_RETURN(GraphId g, RequireGraph(graph));
  FactWriter writer(this, &write_state_[g], g, batch.path, &batch);
  Status s = writer.Build();
  if (!s.ok()) {
    return batch.path.empty() ? s : s.WithContext("batch of '" + batch.path + "'");
  }
  PutPendingNames(writer.wb(), cf(Cf::kMeta), *writer.pending());
  KG_RETURN_IF_ERROR(Write(writer.wb(), "apply batch"));
  Publish(*writer.pending());
  return Status::OK();
}

// ---- Bulk loads ----

class RocksBulkWriter final : public BulkWriter {
 public:
  RocksBulkWriter(RocksGraphStore* store, std::unique_lock<std::mutex> lock, GraphId g)
      : store_(store), lock_(std::move(lock)), g_(g) {
    write_options_.disableWAL = true;  // Finish() flushes the memtables instead
  }
  ~RocksBulkWriter() override { Finish(); }

  Status Add(const FactBatch& batch) override {
    if (!lock_.owns_lock()) return Status::InvalidArgument("bulk writer already finished");
    FactWriter writer(store_, &store_->write_state_[g_], g_, batch.path, &batch);
    Status s = writer.Build(&side_);
    if (!s.ok()) return batch.path.empty() ? s : s.WithContext("batch of '" + batch.path + "'");
    PutPendingNames(writer.wb(), store_->cf(Cf::kMeta), *writer.pending());
    KG_RETURN_IF_ERROR(
        FromRocks(store_->db_->Write(write_options_, writer.wb()), "bulk load: write batch"));
    store_->Publish(*writer.pending());
    if (side_.bytes() > kSideBytes) {
      KG_RETURN_IF_ERROR(side_.Ingest(store_->db_, store_->cfs_));
    }
    return Status::OK();
  }

  Status Finish() override {
    if (!lock_.owns_lock()) return finish_status_;
    finish_status_ = side_.Ingest(store_->db_, store_->cfs_);
    rocksdb::FlushOptions flush;
    flush.wait = true;
    Status s = FromRocks(store_->db_->Flush(flush, store_->cfs_), "bulk load: flush");
    if (finish_status_.ok()) finish_status_ = s;
    lock_.unlock();
    return finish_status_;
  }

 private:
  static constexpr size_t kSideBytes = 128u << 20;  // buffered index bytes before an ingest

  RocksGraphStore* store_;
  std::unique_lock<std::mutex> lock_;  // write_mu_ until Finish()
  GraphId g_;
  rocksdb::WriteOptions write_options_;
  SideTables side_;
  Status finish_status_;
};

Result<std::unique_ptr<BulkWriter>> RocksGraphStore::NewBulkWriter(std::string_view graph) {
  std::unique_lock<std::mutex> lock(write_mu_);
  KG_ASSIGN_OR_RETURN(GraphId g, RequireGraph(graph));
  return std::unique_ptr<BulkWriter>(std::make_unique<RocksBulkWriter>(this, std::move(lock), g));
}

Status RocksGraphStore::BulkLoad(std::string_view graph, const std::vector<FactBatch>& batches) {
  KG_ASSIGN_OR_RETURN(std::unique_ptr<BulkWriter> writer, NewBulkWriter(graph));
  for (const FactBatch& b : batches) {
    Status s = writer->Add(b);
    if (!s.ok()) {
      Status f = writer->Finish();
      return f.ok() ? s : f;
    }
  }
  return writer->Finish();
}

Status RocksGraphStore::DeleteFile(std::string_view graph, std::string_view path) {
  std::lock_guard<std::mutex> lock(write_mu_);
  KG_ASSIGN_OR_RETURN(GraphId g, RequireGraph(graph));
  if (path.empty()) return Status::InvalidArgument("empty file path");
  FactWriter writer(this, &write_state_[g], g, path, nullptr);
  KG_RETURN_IF_ERROR(writer.Build());
  return Write(writer.wb(), "delete file");
}

Result<std::unique_ptr<Snapshot>> RocksGraphStore::GetSnapshot(std::string_view graph) {
  auto ctx = std::make_shared<const ReadContext>(db_, cfs_);
  KG_ASSIGN_OR_RETURN(std::optional<GraphId> g, LookupGraph(graph, ctx->Options().snapshot));
  if (!g) return Status::NotFound("graph '" + std::string(graph) + "' not found");
  return std::unique_ptr<Snapshot>(std::make_unique<SnapshotImpl>(ctx, *g, std::string(graph)));
}

Result<uint64_t> RocksGraphStore::CountGraphKeys(GraphId g) {
  ReadContext ctx(db_, cfs_);
  uint64_t n = 0;
  for (size_t i = 0; i < kNumCfs; ++i) {
    std::string prefix;
    if (static_cast<Cf>(i) == Cf::kMeta) {
      EncodeMetaGraphCounterPrefix(&prefix, g);
    } else {
      EncodeGraphPrefix(&prefix, g);
    }
    PrefixIterator it(ctx, static_cast<Cf>(i), prefix);
    while (it.Advance()) ++n;
    KG_RETURN_IF_ERROR(it.status());
  }
  return n;
}

Status RocksGraphStore::CheckFormatVersion() {
  std::string key;
  EncodeMetaFormatVersionKey(&key);
  rocksdb::PinnableSlice v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kMeta), ToSlice(key), &v);
  if (s.ok()) {
    uint32_t version = 0;
    if (!DecodeU32Value(ToView(v), &version)) {
      return Status::Corruption("corrupt format version entry (" + std::to_string(v.size()) +
                                " bytes, expected 4)");
    }
    if (version > kFormatVersion) {
      return Status::Corruption("database format version " + std::to_string(version) +
                                " is newer than this build supports (" +
                                std::to_string(kFormatVersion) + "); upgrade codekg");
    }
    if (version != kFormatVersion) {
      return Status::Corruption("unknown database format version " + std::to_string(version) +
                                " (this build reads version " + std::to_string(kFormatVersion) +
                                ")");
    }
    return Status::OK();
  }
  if (!s.IsNotFound()) return FromRocks(s, "read format version");
  // No version: only a brand-new, empty database may be stamped.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kMeta)));
  it->SeekToFirst();
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "read meta"));
  if (it->Valid()) return Status::Corruption("database has data but no format version");
  rocksdb::WriteBatch wb;
  wb.Put(cf(Cf::kMeta), ToSlice(key), ToSlice(U32Value(kFormatVersion)));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &wb), "write format version");
}

Status RocksGraphStore::LoadDictionaries() {
  std::unique_lock<std::shared_mutex> lock(dict_mu_);
  ReadContext ctx(db_, cfs_);
  for (int i = 0; i < 2; ++i) {
    const bool labels = i == 0;
    Dictionary& dict = labels ? labels_ : types_;
    std::string prefix;
    EncodeMetaDictPrefix(&prefix, labels);
    PrefixIterator it(ctx, Cf::kMeta, prefix);
    while (it.Advance()) {
      KeyReader r(it.key());
      uint16_t id = 0;
      if (!r.Skip(1) || !r.ReadU16(&id) || !r.done() || id < schema::kFirstUserId) {
        return Status::Corruption("malformed dictionary entry in meta");
      }
      std::string name(it.value());
      dict.by_lower.emplace(schema::ToLowerAscii(name), id);
      dict.names.emplace(id, std::move(name));
      dict.next = std::max<uint32_t>(dict.next, uint32_t{id} + 1);
    }
    KG_RETURN_IF_ERROR(it.status());
  }
  return Status::OK();
}

rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.format_version = 5;
  // Freshly flushed data is what readers ask for next (a load, then queries): keep its blocks
  // in the cache instead of reading them back from the file.
  table.prepopulate_block_cache =
      rocksdb::BlockBasedTableOptions::PrepopulateBlockCache::kFlushOnly;
  switch (cf) {
    case Cf::kMeta:
    case Cf::kNodes:
    case Cf::kIds:
    case Cf::kFiles:
    case Cf::kFileTexts:
    case Cf::kFileFacts:
    case Cf::kCounts:
      // Point lookups: whole-key bloom filters make misses (new ids, absent nodes) cheap.
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      // ... and a hash index inside each data block finds a key without a binary search.
      table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
      o.memtable_prefix_bloom_size_ratio = 0.05;  // ... and in the memtable too
      o.memtable_whole_key_filtering = true;
      break;
    default:
      break;  // scan-only column families
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

Result<std::unique_ptr<GraphStore>> RocksGraphStore::OpenImpl(const std::string& dir,
                                                              const Options& options) {
  std::error_code ec;
  bool exists = std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec);
  if (!exists && !options.create_if_missing) {
    return Status::InvalidArgument("no codekg database in '" + dir +
                                   "' and create_if_missing is false");
  }
  auto cache = rocksdb::NewLRUCache(std::max<size_t>(options.block_cache_bytes, 1u << 20));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (size_t i = 0; i < kNumCfs; ++i) {
    Cf c = static_cast<Cf>(i);
    descriptors.emplace_back(std::string(CfName(c)), CfOptions(c, cache));
  }
  if (exists) {
    std::vector<std::string> names;
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
    if (!s.ok()) return FromRocks(s, "open '" + dir + "'");
    for (const std::string& n : names) {
      bool known = std::any_of(descriptors.begin(), descriptors.end(),
                               [&](const auto& d) { return d.name == n; });
      if (!known) {
        return Status::Corruption("database '" + dir + "' has unknown column family '" + n +
                                  "' (written by a newer codekg?)");
      }
    }
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // Twelve column families with 64 MiB memtables each could pin gigabytes; flush the largest
  // memtable once all of them together pass this.
  db_options.db_write_buffer_size = 512u << 20;
  db_options.keep_log_file_num = 4;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "open '" + dir + "'");

  std::unique_ptr<RocksGraphStore> store(new RocksGraphStore());
  store->db_ = raw;
  // Drop the default column family handle (unused); keep ours indexed by Cf.
  raw->DestroyColumnFamilyHandle(handles[0]);
  store->cfs_.assign(handles.begin() + 1, handles.end());
  store->cache_ = cache;
  store->write_options_.sync = options.sync_writes;
  KG_RETURN_IF_ERROR(store->CheckFormatVersion().WithContext("open '" + dir + "'"));
  KG_RETURN_IF_ERROR(store->LoadDictionaries().WithContext("open '" + dir + "'"));
  return std::unique_ptr<GraphStore>(std::move(store));
}

}  // namespace

Result<std::unique_ptr<GraphStore>> GraphStore::Open(const std::string& dir,
                                                     const Options& options) {
  return RocksGraphStore::OpenImpl(dir, options);
}

// ---- test_hooks.h ----

namespace test_hooks {

Result<uint64_t> CountGraphKeys(GraphStore& store, GraphId graph) {
  return static_cast<RocksGraphStore&>(store).CountGraphKeys(graph);
}

std::string EncodeFormatVersion(uint32_t version) { return U32Value(version); }

Status OverwriteFormatVersion(const std::string& dir, std::string_view raw_value) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok()) return FromRocks(s, "list column families");
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "open");
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == CfName(Cf::kMeta)) meta = handles[i];
  }
  Status result = Status::IOError("no meta column family");
  if (meta != nullptr) {
    std::string key;
    EncodeMetaFormatVersionKey(&key);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    result = FromRocks(db->Put(wo, meta, ToSlice(key), ToSlice(raw_value)), "write");
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return result;
}

}  // namespace test_hooks
}  // namespace kg::storage
