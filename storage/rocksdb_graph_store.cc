// GraphStore on RocksDB. The only file of codekg that includes RocksDB.
//
// Layout: storage/key_codec.h (column families and keys), storage/value_codec.h (values),
// storage/FORMAT.md (prose). Writers are serialized by write_mu_; every write is one
// rocksdb::WriteBatch. Readers use rocksdb::Snapshot and never take write_mu_.

#include <fcntl.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <shared_mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/system.h"
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
// out_edges / in_edges keys: graph u32, a u64, type u16, b u64, seq u32 (b at bytes 14..21).
constexpr size_t kEdgeKeyBytes = 26;
// Temporary folders of bulk loads inside the database folder: kBulkTmpPrefix + graph id.
constexpr char kBulkTmpPrefix[] = "bulk-tmp-";
// Bytes a fresh bulk load buffers in memory before it spills a sorted run (test_hooks.h).
std::atomic<size_t> fresh_spill_bytes{128u << 20};
// A fresh load that spilled nothing and buffers less than this is stored with one WriteBatch.
constexpr size_t kSmallFreshLoadBytes = 16u << 20;

// Writes `path`'s data to disk (fdatasync) and waits for it; fills `*st` (fstat) when given.
Status SyncFile(const std::string& path, struct stat* st = nullptr) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 || ::fdatasync(fd.get()) != 0 || (st != nullptr && ::fstat(fd.get(), st) != 0)) {
    return Status::IOError("sync '" + path + "': " + std::strerror(errno));
  }
  return Status::OK();
}

// The file system of a fresh load's SST files (RocksBulkWriter::Materialize): their writer's
// syncs do nothing. IngestExternalFiles links each file into the database and syncs the link
// (the same inode) and the folder before it commits the files to the MANIFEST, so the writer's
// own sync bought nothing but a wait per file on the writing thread; the load syncs each
// finished file on a thread of its own instead (DiskWaits), so that the ingestion's syncs find
// nothing left to write.
class UnsyncedWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  using FSWritableFileOwnerWrapper::FSWritableFileOwnerWrapper;
  rocksdb::IOStatus Sync(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus RangeSync(uint64_t, uint64_t, const rocksdb::IOOptions&,
                              rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::OK();
  }
};

class UnsyncedFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  UnsyncedFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  static const char* kClassName() { return "CodekgUnsyncedFileSystem"; }
  const char* Name() const override { return kClassName(); }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, dbg);
    if (s.ok()) *file = std::make_unique<UnsyncedWritableFile>(std::move(*file));
    return s;
  }
};

// The Env of UnsyncedFileSystem (lives as long as the process).
rocksdb::Env* UnsyncedEnv() {
  static rocksdb::Env* env =
      rocksdb::NewCompositeEnv(std::make_shared<UnsyncedFileSystem>()).release();
  return env;
}

// The file system of an open database: RocksDB's default, except that while a new database's
// column families are created (OpenImpl) the syncs of its MANIFEST are deferred to one at the
// end. RocksDB syncs the MANIFEST after each column family it adds (eighteen on a new
// database: most of the time of creating one). A process killed before the one sync leaves the
// MANIFEST cut short anywhere in those records; RocksDB reads a MANIFEST up to a record cut at
// its end (it is not a corruption: the writer died mid-write), so the next open sees some
// column families and creates the rest, as after a kill between two of them.
class DbFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  DbFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  static const char* kClassName() { return "CodekgDbFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    NotOnlyLinks();
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, dbg);
    if (s.ok() && std::filesystem::path(name).filename().string().rfind("MANIFEST-", 0) == 0) {
      *file = std::make_unique<ManifestFile>(std::move(*file), this, name);
    }
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->ReopenWritableFile(name, options, file, dbg);
    if (s.ok() && IsSyncedIngestFile(name)) {
      *file = std::make_unique<UnsyncedWritableFile>(std::move(*file));
    }
    return s;
  }
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& target_name,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
    NotOnlyLinks();
    return target()->RenameFile(src, target_name, options, dbg);
  }
  rocksdb::IOStatus NewRandomRWFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    NotOnlyLinks();
    return target()->NewRandomRWFile(name, options, file, dbg);
  }
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* dir,
                                 rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewDirectory(name, options, dir, dbg);
    if (s.ok()) *dir = std::make_unique<Directory>(std::move(*dir), this);
    return s;
  }

  // The syncs of a fresh load's ingestion (RocksBulkWriter::Materialize), batched. Between
  // BeginIngest() and EndIngest() on the calling thread:
  //  * a file reopened through ReopenWritableFile whose inode is in `synced` (the load synced its
  //    data and has not written it since) gets syncs that do nothing: IngestExternalFiles links
  //    each file into the database and syncs it, but a link changes no data;
  //  * a directory sync made by that thread while it has only linked files since BeginIngest()
  //    is deferred: it is made before the next append to a MANIFEST (the record that makes the
  //    linked files part of the database), before that thread creates, renames or rewrites a
  //    file, or at EndIngest(), whichever comes first. So a crash can never leave a MANIFEST
  //    that names a file whose link is not on disk.
  // Other threads' syncs are never touched. On Django this turns the ingestion's 16 file and 16
  // directory syncs (a journal commit each: ~50 ms) into one directory sync.
  void BeginIngest(std::set<std::pair<uint64_t, uint64_t>> synced) {
    std::lock_guard<std::mutex> lock(mu_);
    ingest_thread_ = std::this_thread::get_id();
    only_links_ = true;
    synced_ = std::move(synced);
  }
  Status EndIngest() {
    std::lock_guard<std::mutex> lock(mu_);
    ingest_thread_ = std::thread::id();
    synced_.clear();
    rocksdb::IOStatus s = SyncPendingDirLocked();
    return s.ok() ? Status::OK() : Status::IOError("sync database folder: " + s.ToString());
  }
  using IngestSyncStats = test_hooks::IngestSyncStats;
  IngestSyncStats ingest_sync_stats() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

  // From now on, a MANIFEST sync only notes the file.
  void DeferManifestSyncs() {
    std::lock_guard<std::mutex> lock(mu_);
    defer_ = true;
  }
  // Ends the deferral: syncs each MANIFEST whose sync was deferred.
  Status SyncDeferred() {
    std::set<std::string> pending;
    {
      std::lock_guard<std::mutex> lock(mu_);
      defer_ = false;
      pending.swap(pending_);
    }
    for (const std::string& path : pending) KG_RETURN_IF_ERROR(SyncFile(path));
    return Status::OK();
  }

 private:
  class ManifestFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    ManifestFile(std::unique_ptr<rocksdb::FSWritableFile> file, DbFileSystem* fs, std::string path)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
      return fs_->Deferred(path_) ? rocksdb::IOStatus::OK() : target()->Sync(o, d);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
      return fs_->Deferred(path_) ? rocksdb::IOStatus::OK() : target()->Fsync(o, d);
    }
    // A deferred directory sync is made before any MANIFEST byte is written (BeginIngest).
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* d) override {
      rocksdb::IOStatus s = fs_->SyncPendingDirBeforeManifest();
      return s.ok() ? target()->Append(data, o, d) : s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* d) override {
      rocksdb::IOStatus s = fs_->SyncPendingDirBeforeManifest();
      return s.ok() ? target()->Append(data, o, info, d) : s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* d) override {
      rocksdb::IOStatus s = fs_->SyncPendingDirBeforeManifest();
      return s.ok() ? target()->PositionedAppend(data, offset, o, d) : s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& o,
                                       const rocksdb::DataVerificationInfo& info,
                                       rocksdb::IODebugContext* d) override {
      rocksdb::IOStatus s = fs_->SyncPendingDirBeforeManifest();
      return s.ok() ? target()->PositionedAppend(data, offset, o, info, d) : s;
    }

   private:
    DbFileSystem* fs_;
    std::string path_;
  };

  // A directory whose syncs the ingesting thread may defer (BeginIngest).
  class Directory final : public rocksdb::FSDirectoryWrapper {
   public:
    Directory(std::unique_ptr<rocksdb::FSDirectory> dir, DbFileSystem* fs)
        : FSDirectoryWrapper(std::move(dir)), fs_(fs) {}
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
      if (fs_->DeferDirSync(this)) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = FSDirectoryWrapper::Fsync(o, d);
      if (s.ok()) fs_->DirSynced(this);
      return s;
    }
    rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& o, rocksdb::IODebugContext* d,
                                          const rocksdb::DirFsyncOptions& options) override {
      if (fs_->DeferDirSync(this)) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = FSDirectoryWrapper::FsyncWithDirOptions(o, d, options);
      if (s.ok()) fs_->DirSynced(this);
      return s;
    }
    // The real sync, for a deferred one.
    rocksdb::IOStatus SyncNow() { return FSDirectoryWrapper::Fsync(rocksdb::IOOptions(), nullptr); }

   private:
    DbFileSystem* fs_;
  };

  bool OnIngestThreadLocked() const {
    return ingest_thread_ != std::thread::id() && ingest_thread_ == std::this_thread::get_id();
  }
  // The ingesting thread makes a file change other than a link: a deferred directory sync is
  // made first, and directory syncs are no longer deferred.
  void NotOnlyLinks() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!OnIngestThreadLocked()) return;
    only_links_ = false;
    // A failed sync stays pending: the next MANIFEST append or EndIngest() tries it again and
    // reports the error.
    (void)SyncPendingDirLocked();
  }
  bool IsSyncedIngestFile(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!OnIngestThreadLocked() || synced_.empty()) return false;
    struct stat st {};
    if (::stat(name.c_str(), &st) != 0) return false;
    if (synced_.count({static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)}) == 0) {
      only_links_ = false;  // a file the load did not sync: nothing is deferred from now on
      return false;
    }
    ++stats_.skipped_file_syncs;
    return true;
  }
  bool DeferDirSync(Directory* dir) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!OnIngestThreadLocked() || !only_links_) return false;
    if (pending_dir_ != nullptr && pending_dir_ != dir) return false;  // one folder at a time
    pending_dir_ = dir;
    ++stats_.deferred_dir_syncs;
    return true;
  }
  void DirSynced(Directory* dir) {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_dir_ == dir) pending_dir_ = nullptr;
  }
  rocksdb::IOStatus SyncPendingDirBeforeManifest() {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_dir_ != nullptr) ++stats_.made_before_manifest_append;
    return SyncPendingDirLocked();
  }
  rocksdb::IOStatus SyncPendingDirLocked() {
    if (pending_dir_ == nullptr) return rocksdb::IOStatus::OK();
    rocksdb::IOStatus s = pending_dir_->SyncNow();
    if (s.ok()) {
      pending_dir_ = nullptr;
      ++stats_.deferred_dir_syncs_made;
    }
    return s;
  }

  // Whether a sync of `path` is deferred (then noted).
  bool Deferred(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    if (defer_) pending_.insert(path);
    return defer_;
  }

  mutable std::mutex mu_;
  bool defer_ = false;             // GUARDED_BY(mu_)
  std::set<std::string> pending_;  // GUARDED_BY(mu_)
  // BeginIngest() ... EndIngest(), all GUARDED_BY(mu_):
  std::thread::id ingest_thread_;                   // none outside
  bool only_links_ = false;                         // the thread has only linked files
  std::set<std::pair<uint64_t, uint64_t>> synced_;  // (st_dev, st_ino) of synced files
  Directory* pending_dir_ = nullptr;                // a deferred directory sync
  IngestSyncStats stats_;
};

// SyncFile(path), then adds the file's (st_dev, st_ino) to `*synced`.
Status SyncFileData(const std::string& path, std::set<std::pair<uint64_t, uint64_t>>* synced) {
  struct stat st {};
  KG_RETURN_IF_ERROR(SyncFile(path, &st).WithContext("bulk load"));
  synced->insert({static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
  return Status::OK();
}

// Runs tasks that wait on the disk (syncs) one after another on a thread of its own, in the
// order added, so that the thread adding them goes on with CPU work meanwhile. Finish() (or the
// destructor) waits for all of them; Finish() returns the first error, and after an error the
// remaining tasks are skipped. Thread-safety: Add() from any threads; Finish() once, after the
// last Add().
class DiskWaits {
 public:
  using Task = std::function<Status()>;
  DiskWaits() : thread_([this] { Run(); }) {}
  ~DiskWaits() { (void)Finish(); }
  DiskWaits(const DiskWaits&) = delete;
  DiskWaits& operator=(const DiskWaits&) = delete;

  void Add(Task task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }
  Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return done_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // done_ and nothing left
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      if (!status_.ok()) continue;
      lock.unlock();
      Status s;
      try {
        s = task();
      } catch (const std::exception& e) {  // e.g. allocation failures
        s = Status::Internal(std::string("bulk load: ") + e.what());
      }
      lock.lock();
      if (status_.ok()) status_ = std::move(s);
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;  // GUARDED_BY(mu_)
  bool done_ = false;       // GUARDED_BY(mu_)
  Status status_;           // GUARDED_BY(mu_) while the thread runs
  std::thread thread_;
};

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Whether every key of the column family starts with the graph id (all but meta and jobs).
bool GraphScoped(Cf c) { return c != Cf::kMeta && c != Cf::kJobs; }

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

// A string property, or nullptr.
const std::string* StringProp(const Properties& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end() || !it->second.is_string()) return nullptr;
  return &it->second.as_string();
}

// The [start_line, end_line] of a node (end_line defaults to start_line) when start_line is an
// integer (what line_index indexes).
bool LineSpan(const Properties& props, int64_t* start, int64_t* end) {
  auto s = props.find("start_line");
  if (s == props.end() || !s->second.is_int()) return false;
  *start = s->second.as_int();
  auto e = props.find("end_line");
  *end = (e != props.end() && e->second.is_int()) ? e->second.as_int() : *start;
  return true;
}

// Whether two property sets imply the same property-index and label-name entries (name,
// qualified_name, path and line span, as PropertyIndexEntries and WriteNode derive them).
bool SameIndexedProps(const Properties& a, const Properties& b) {
  auto same = [](const std::string* x, const std::string* y) {
    return x == nullptr ? y == nullptr : y != nullptr && *x == *y;
  };
  if (!same(NameOf(a), NameOf(b)) ||
      !same(StringProp(a, "qualified_name"), StringProp(b, "qualified_name")) ||
      !same(StringProp(a, "path"), StringProp(b, "path"))) {
    return false;
  }
  int64_t a_start = 0, a_end = 0, b_start = 0, b_end = 0;
  const bool a_span = LineSpan(a, &a_start, &a_end);
  const bool b_span = LineSpan(b, &b_start, &b_end);
  return a_span == b_span && (!a_span || (a_start == b_start && a_end == b_end));
}

// What a node's label and property index entries derive from: its labels, string `name`,
// `qualified_name` and `path`, and line span. Views into the node's labels and properties.
struct IndexedFields {
  const std::vector<LabelId>* labels = nullptr;
  const std::string* name = nullptr;  // each nullptr when absent or not a string
  const std::string* qn = nullptr;
  const std::string* path = nullptr;
  bool has_span = false;
  int64_t start = 0, end = 0;

  static IndexedFields Of(const std::vector<LabelId>& labels, const Properties& props) {
    IndexedFields f;
    f.labels = &labels;
    f.name = NameOf(props);
    f.qn = StringProp(props, "qualified_name");
    f.path = StringProp(props, "path");
    f.has_span = f.path != nullptr && LineSpan(props, &f.start, &f.end);
    return f;
  }
};

// Calls emit(cf, key, value, del) for every label and property index entry of node k (label
// index, label_name, label_name_ci, qname, qname_rev, path_index, line_index): puts, or deletes
// when !put; for name_trigrams, emit(kNameTrigrams, block key, item, false) with the put or
// delete item of the node in its posting block, to be merged into the block (see
// MergeTrigramBlock; the items of one block key are applied in the order emitted); and
// count(kind, id, delta) for its label and trigram counts. `key_buf` is scratch (each key is a
// view of it, valid during the emit call). `trigram(t, labels_value)` is called for each trigram
// entry instead of `emit` when given (a fresh load's index thread collects them in
// TrigramPostings); labels_value is empty for a delete.
template <typename Emit, typename Count, typename Trigram = std::nullptr_t>
void IndexEntries(GraphId g, NodeKey k, const IndexedFields& f, bool put, std::string* key_buf,
                  Emit&& emit, Count&& count, Trigram&& trigram = nullptr) {
  std::string labels_value;
  if (put) EncodeLabelList(&labels_value, *f.labels);
  auto out = [&](Cf c, std::string_view value) { emit(c, *key_buf, value, !put); };
  if (f.qn != nullptr) {
    key_buf->clear();
    EncodeStringIndexKey(key_buf, g, *f.qn, k);
    out(Cf::kQualifiedName, labels_value);
    key_buf->clear();
    EncodeStringIndexKey(key_buf, g, Reversed(*f.qn), k);
    out(Cf::kQualifiedNameRev, labels_value);
  }
  if (f.path != nullptr) {
    key_buf->clear();
    EncodeStringIndexKey(key_buf, g, *f.path, k);
    out(Cf::kPathIndex, {});
    if (f.has_span) {
      key_buf->clear();
      EncodeLineIndexKey(key_buf, g, *f.path, f.start, f.end, k);
      out(Cf::kLineIndex, {});
    }
  }
  if (f.name != nullptr) {
    std::string item;
    if constexpr (std::is_same_v<std::decay_t<Trigram>, std::nullptr_t>) {
      AppendTrigramItem(&item, put, k - TrigramBucketOf(k), labels_value);
    }
    for (TrigramId t : TrigramsOf(*f.name)) {
      if constexpr (std::is_same_v<std::decay_t<Trigram>, std::nullptr_t>) {
        key_buf->clear();
        EncodeTrigramKey(key_buf, g, t, TrigramBucketOf(k));
        emit(Cf::kNameTrigrams, *key_buf, item, false);
      } else {
        trigram(t, std::string_view(labels_value));
      }
      count(CountKind::kTrigram, t, put ? 1 : -1);
    }
  }
  const std::string lower = f.name != nullptr ? schema::ToLowerAscii(*f.name) : std::string();
  for (LabelId l : *f.labels) {
    key_buf->clear();
    EncodeLabelIndexKey(key_buf, g, l, k);
    out(Cf::kLabelIndex, {});
    if (f.name != nullptr) {
      key_buf->clear();
      EncodeLabelNameKey(key_buf, g, l, *f.name, k);
      out(Cf::kLabelName, {});
      key_buf->clear();
      EncodeLabelNameKey(key_buf, g, l, lower, k);
      out(Cf::kLabelNameCi, {});
    }
    count(CountKind::kLabel, l, put ? 1 : -1);
  }
}

// The column families IndexEntries writes.
bool IndexCf(Cf c) {
  switch (c) {
    case Cf::kLabelIndex:
    case Cf::kLabelName:
    case Cf::kLabelNameCi:
    case Cf::kQualifiedName:
    case Cf::kQualifiedNameRev:
    case Cf::kPathIndex:
    case Cf::kLineIndex:
    case Cf::kNameTrigrams:
      return true;
    default:
      return false;
  }
}

// IndexedFields with their own copies of the strings: what a fresh load's index thread needs.
struct IndexTask {
  NodeKey key = 0;
  bool put = false, has_name = false, has_qn = false, has_path = false, has_span = false;
  int64_t start = 0, end = 0;
  std::vector<LabelId> labels;
  std::string name, qn, path;

  static IndexTask Of(NodeKey k, bool put, const IndexedFields& f) {
    IndexTask t;
    t.key = k;
    t.put = put;
    t.labels = *f.labels;
    t.has_name = f.name != nullptr;
    t.has_qn = f.qn != nullptr;
    t.has_path = f.path != nullptr;
    if (t.has_name) t.name = *f.name;
    if (t.has_qn) t.qn = *f.qn;
    if (t.has_path) t.path = *f.path;
    t.has_span = f.has_span;
    t.start = f.start;
    t.end = f.end;
    return t;
  }
  IndexedFields Fields() const {
    IndexedFields f;
    f.labels = &labels;
    f.name = has_name ? &name : nullptr;
    f.qn = has_qn ? &qn : nullptr;
    f.path = has_path ? &path : nullptr;
    f.has_span = has_span;
    f.start = start;
    f.end = end;
    return f;
  }
};

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
// With `label`, only keys whose value (a label list, see EncodeLabelList) holds the label.
class KeyNodeCursor final : public NodeCursor {
 public:
  KeyNodeCursor(std::shared_ptr<const ReadContext> ctx, Cf cf, std::string prefix,
                std::optional<LabelId> label = std::nullopt)
      : ctx_(std::move(ctx)), it_(*ctx_, cf, std::move(prefix)), label_(label) {}

  bool Next(NodeKey* key) override {
    while (!done_) {
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
      if (!label_ || LabelListHas(it_.value(), *label_)) return true;
    }
    return false;
  }
  Status status() const override { return status_; }

 private:
  std::shared_ptr<const ReadContext> ctx_;  // outlives it_
  PrefixIterator it_;
  std::optional<LabelId> label_;
  Status status_;
  bool done_ = false;
};

// Yields nothing; reports `status`.
class FailedNodeCursor final : public NodeCursor {
 public:
  explicit FailedNodeCursor(Status status) : status_(std::move(status)) {}
  bool Next(NodeKey*) override { return false; }
  Status status() const override { return status_; }

 private:
  Status status_;
};

// line_index entries of one path, scanned backwards from start_line <= line: latest start first.
class AtLineCursor final : public NodeCursor {
 public:
  AtLineCursor(std::shared_ptr<const ReadContext> ctx, GraphId g, std::string_view path,
               int64_t line)
      : ctx_(std::move(ctx)), line_(line) {
    EncodeStringIndexPrefix(&prefix_, g, path);
    lower_ = rocksdb::Slice(prefix_);
    rocksdb::ReadOptions ro = ctx_->Options();
    ro.iterate_lower_bound = &lower_;
    it_.reset(ctx_->db()->NewIterator(ro, ctx_->cf(Cf::kLineIndex)));
  }

  bool Next(NodeKey* key) override {
    while (!done_) {
      if (!started_) {
        started_ = true;
        std::string target = prefix_;
        AppendI64(&target, line_);
        target.append(16, '\xff');  // past every (~end, nodekey) of start == line
        it_->SeekForPrev(ToSlice(target));
      } else {
        it_->Prev();
      }
      if (!it_->Valid() || !it_->key().starts_with(ToSlice(prefix_))) {
        status_ = FromRocks(it_->status(), "scan line_index");
        done_ = true;
        return false;
      }
      int64_t start = 0, end = 0;
      if (!DecodeLineIndexTail(ToView(it_->key()).substr(prefix_.size()), &start, &end, key)) {
        status_ = Status::Corruption("malformed line_index key");
        done_ = true;
        return false;
      }
      if (start <= line_ && line_ <= end) return true;
    }
    return false;
  }
  Status status() const override { return status_; }

 private:
  std::shared_ptr<const ReadContext> ctx_;
  int64_t line_;
  std::string prefix_;
  rocksdb::Slice lower_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool started_ = false;
  bool done_ = false;
  Status status_;
};

// Intersection of trigram posting lists (leapfrog join over NodeKey order). The first list is
// the shortest (by the exact trigram counts); the others are probed with seeks. A list is read a
// posting block at a time (FORMAT.md "name_trigrams"): a seek lands on the block of the node
// key's bucket and continues inside the decoded block.
class TrigramCursor final : public NodeCursor {
 public:
  TrigramCursor(std::shared_ptr<const ReadContext> ctx, GraphId g, std::vector<TrigramId> trigrams,
                std::optional<LabelId> label)
      : ctx_(std::move(ctx)), g_(g), trigrams_(std::move(trigrams)), label_(label) {}
  ~TrigramCursor() override {
    for (auto& l : lists_) ctx_->ReturnIterator(Cf::kNameTrigrams, std::move(l.it));
  }

  bool Next(NodeKey* key) override {
    if (done_) return false;
    if (!started_) {
      started_ = true;
      if (!Fail(Open())) return false;
      if (done_) return false;
      Seek(0, 0);
    } else {
      Advance(0);
    }
    while (true) {
      NodeKey cand = 0;
      if (!At(0, &cand)) return false;
      bool all = true;
      for (size_t i = 1; i < lists_.size(); ++i) {
        Seek(i, cand);
        NodeKey k = 0;
        if (!At(i, &k)) return false;
        if (k != cand) {
          Seek(0, k);
          all = false;
          break;
        }
      }
      if (!all) continue;
      const List& first = lists_[0];
      if (!label_ || LabelListHas(first.entries[first.pos].labels, *label_)) {
        *key = cand;
        return true;
      }
      Advance(0);
    }
  }
  Status status() const override { return status_; }

 private:
  struct List {
    std::string prefix;  // (graph, trigram)
    std::unique_ptr<BoundedIterator> it;
    NodeKey base = 0;                  // of the block at `it`, decoded into `entries`
    std::vector<TrigramItem> entries;  // views into it's value
    size_t pos = 0;                    // the current entry; entries.size() when none
  };

  Status Open() {
    // Shortest posting list first; an empty one means no result at all.
    std::vector<std::pair<uint64_t, TrigramId>> sized;
    for (TrigramId t : trigrams_) {
      KG_ASSIGN_OR_RETURN(uint64_t n, ctx_->GetCount(g_, CountKind::kTrigram, t));
      if (n == 0) {
        done_ = true;
        return Status::OK();
      }
      sized.emplace_back(n, t);
    }
    std::sort(sized.begin(), sized.end());
    for (const auto& [n, t] : sized) {
      List& l = lists_.emplace_back();
      EncodeTrigramPrefix(&l.prefix, g_, t);
      l.it = ctx_->TakeIterator(Cf::kNameTrigrams);
      l.it->upper = PrefixSuccessor(l.prefix);  // never empty: the prefix starts with a graph id
      l.it->upper_slice = rocksdb::Slice(l.it->upper);
    }
    return Status::OK();
  }
  // Decodes blocks from the iterator's position on until one has an entry (a block whose
  // entries were all deleted has none); entries.size() == pos == 0 at the end of the list.
  void Load(List& l) {
    l.entries.clear();
    l.pos = 0;
    for (rocksdb::Iterator* it = l.it->it.get(); it->Valid(); it->Next()) {
      if (!DecodeTrailingNodeKey(ToView(it->key()), &l.base) ||
          !DecodeTrigramItems(ToView(it->value()), &l.entries) ||
          std::any_of(l.entries.begin(), l.entries.end(),
                      [](const TrigramItem& e) { return !e.put; })) {
        Fail(Status::Corruption("malformed name_trigrams block"));
        l.entries.clear();
        return;
      }
      if (!l.entries.empty()) return;
    }
  }
  // Moves list i to its first entry with a node key >= from.
  void Seek(size_t i, NodeKey from) {
    List& l = lists_[i];
    const NodeKey base = TrigramBucketOf(from);
    if (l.pos >= l.entries.size() || l.base != base) {  // another block
      seek_buf_ = l.prefix;
      AppendU64(&seek_buf_, base);
      l.it->it->Seek(ToSlice(seek_buf_));
      Load(l);
      if (l.entries.empty() || l.base != base) return;  // a later block: all keys > from
    }
    auto at = std::lower_bound(
        l.entries.begin() + static_cast<std::ptrdiff_t>(l.pos), l.entries.end(), from - base,
        [](const TrigramItem& e, uint64_t offset) { return e.offset < offset; });
    l.pos = static_cast<size_t>(at - l.entries.begin());
    if (l.pos == l.entries.size()) {  // past this block: the next one's keys are all > from
      l.it->it->Next();
      Load(l);
    }
  }
  void Advance(size_t i) {
    List& l = lists_[i];
    if (++l.pos < l.entries.size()) return;
    l.it->it->Next();
    Load(l);
  }
  // The NodeKey at list i; false (and the cursor done) at its end or on error.
  bool At(size_t i, NodeKey* key) {
    const List& l = lists_[i];
    if (l.pos >= l.entries.size()) {
      Fail(FromRocks(l.it->it->status(), "scan name_trigrams"));
      done_ = true;
      return false;
    }
    *key = l.base + l.entries[l.pos].offset;
    return true;
  }
  bool Fail(const Status& s) {
    if (s.ok()) return true;
    if (status_.ok()) status_ = s;
    done_ = true;
    return false;
  }

  std::shared_ptr<const ReadContext> ctx_;
  GraphId g_;
  std::vector<TrigramId> trigrams_;
  std::optional<LabelId> label_;
  std::vector<List> lists_;
  std::string seek_buf_;
  bool started_ = false;
  bool done_ = false;
  Status status_;
};

// The distinct trigrams of all needles; InvalidArgument if no needle has 3 bytes.
Result<std::vector<TrigramId>> NeedleTrigrams(const std::vector<std::string>& needles) {
  std::vector<TrigramId> all;
  for (const std::string& n : needles) {
    std::vector<TrigramId> t = TrigramsOf(n);
    all.insert(all.end(), t.begin(), t.end());
  }
  if (all.empty()) {
    return Status::InvalidArgument(
        "trigram scan needs a needle of at least 3 bytes (shorter ones cannot use the index)");
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

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

// ---------------------------------------------------------------------------------------------
// The adjacency index: an immutable in-memory copy of one graph's visible edges (CSR per
// direction), so that hops need no LSM seeks. It reflects exactly one version of its graph.
//
// Versions. Every graph name has an AdjacencySlot with a seqlock counter: a writer of the graph
// makes it odd before its write and even again after (GraphWriteFence), so an even value read
// both before and after taking a RocksDB snapshot names the state that snapshot sees. A Snapshot
// uses the index only when the index was built for its version; every other Snapshot (taken
// during or after a later write) reads RocksDB until a rebuild for its version is published.
// Rebuilds are lazy: the first hop read of a version without an index starts one on the store's
// builder thread (one build at a time) and falls back to RocksDB meanwhile. Graphs whose index
// would exceed Options::adjacency_index_bytes are never indexed (declined per version).

// Encoded label lists (EncodeLabelList) interned as small ids: in-memory indexes hold an entry
// per node, but a graph has only a handful of distinct label lists. Thread-safety: none.
class LabelListIds {
 public:
  explicit LabelListIds(size_t limit) : limit_(limit) {}
  // The id of `list`; nullopt when it would be the limit-th distinct list.
  std::optional<uint32_t> Intern(std::string_view list) {
    if (!lists_.empty() && lists_[last_] == list) return last_;  // runs of one list are common
    auto it = ids_.find(list);
    if (it == ids_.end()) {
      if (lists_.size() >= limit_) return std::nullopt;
      it = ids_.emplace(std::string(list), static_cast<uint32_t>(lists_.size())).first;
      lists_.emplace_back(list);
    }
    last_ = it->second;
    return last_;
  }
  const std::string& operator[](uint32_t id) const { return lists_[id]; }
  // Frees the lookup once nothing more is interned (operator[] keeps working).
  void Seal() { ids_.clear(); }
  uint64_t Bytes() const {
    uint64_t b = 0;
    for (const std::string& l : lists_) b += sizeof(std::string) + l.capacity();
    return b;
  }

 private:
  size_t limit_;
  std::map<std::string, uint32_t, std::less<>> ids_;
  std::vector<std::string> lists_;
  uint32_t last_ = 0;
};

// Exact qualified_name lookups from memory (ScanQualifiedName without a RocksDB seek): the
// graph's qname entries grouped by name, found by hash. A name is kept as its key bytes between
// the graph id and the NodeKey (the escaped string with its terminator), which is what a lookup
// encodes anyway; each name's entries are in NodeKey order, as in the column family.
struct QualifiedNameTable {
  struct Name {
    uint32_t off, len;      // in `bytes`
    uint32_t first, count;  // entries [first, first + count)
  };
  std::string bytes;
  std::vector<Name> names;
  std::vector<NodeKey> keys;     // per entry
  std::vector<uint16_t> labels;  // per entry: its label list's id
  LabelListIds label_lists{size_t{std::numeric_limits<uint16_t>::max()} + 1};
  std::vector<uint32_t> table;  // open addressing: 0 = empty, else index into names + 1

  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // Adds an entry; entries must come in key order (names grouped). False when a limit is
  // passed (2^32 bytes or entries, 2^16 distinct label lists).
  bool Add(std::string_view name, NodeKey key, std::string_view label_list) {
    if (bytes.size() + name.size() >= std::numeric_limits<uint32_t>::max() ||
        keys.size() >= std::numeric_limits<uint32_t>::max() - 1) {
      return false;
    }
    if (names.empty() ||
        std::string_view(bytes).substr(names.back().off, names.back().len) != name) {
      names.push_back(Name{static_cast<uint32_t>(bytes.size()), static_cast<uint32_t>(name.size()),
                           static_cast<uint32_t>(keys.size()), 0});
      bytes.append(name);
    }
    const std::optional<uint32_t> list = label_lists.Intern(label_list);
    if (!list) return false;
    keys.push_back(key);
    labels.push_back(static_cast<uint16_t>(*list));
    ++names.back().count;
    return true;
  }
  // Makes the hash table once every entry is added.
  void Seal() {
    label_lists.Seal();
    size_t size = 16;
    while (size < 2 * names.size()) size *= 2;
    table.assign(size, 0);
    for (uint32_t i = 0; i < names.size(); ++i) {
      size_t slot = Hash(Of(names[i])) & (size - 1);
      while (table[slot] != 0) slot = (slot + 1) & (size - 1);
      table[slot] = i + 1;
    }
    bytes.shrink_to_fit();
    names.shrink_to_fit();
    keys.shrink_to_fit();
    labels.shrink_to_fit();
  }
  uint64_t Bytes() const {
    uint64_t b = bytes.capacity() + names.capacity() * sizeof(Name) +
                 keys.capacity() * sizeof(NodeKey) + labels.capacity() * sizeof(uint16_t) +
                 table.capacity() * sizeof(uint32_t) + label_lists.Bytes();
    return b;
  }
  std::string_view Of(const Name& n) const { return std::string_view(bytes).substr(n.off, n.len); }
  // The entries of the name whose key bytes are `name`: [first, end).
  std::pair<uint32_t, uint32_t> Find(std::string_view name) const {
    if (table.empty()) return {0, 0};
    const size_t mask = table.size() - 1;
    for (size_t slot = Hash(name) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
      const Name& n = names[table[slot] - 1];
      if (Of(n) == name) return {n.first, n.first + n.count};
    }
    return {0, 0};
  }
};

struct AdjacencyIndex {
  struct Dir {
    // Edges of node k: [offsets[k], offsets[k + 1]) in stored key order (type, other, seq); keys
    // past the end of offsets have no edges.
    std::vector<uint32_t> offsets;
    std::vector<uint32_t> other;
    std::vector<EdgeTypeId> type;
    std::vector<uint32_t> seq;
  };
  uint64_t version = 0;
  std::array<Dir, 2> dirs;        // [0] out_edges, [1] in_edges
  std::vector<uint64_t> present;  // bit k: node k exists (FindNode needs no node read)
  // The qname entries, when they fit in the budget after the edges (else lookups read RocksDB).
  std::optional<QualifiedNameTable> qnames;
  uint64_t bytes = 0;

  bool HasNode(NodeKey k) const {
    return k / 64 < present.size() && (present[k / 64] >> (k % 64) & 1) != 0;
  }
  double build_seconds = 0;

  // The range of node k's edges in direction d, only those of `type` if given.
  std::pair<uint32_t, uint32_t> Range(int d, NodeKey k, std::optional<EdgeTypeId> type) const {
    const Dir& dir = dirs[static_cast<size_t>(d)];
    if (dir.offsets.size() < 2 || k >= dir.offsets.size() - 1) return {0, 0};
    uint32_t lo = dir.offsets[k], hi = dir.offsets[k + 1];
    if (type && lo != hi) {
      const EdgeTypeId* base = dir.type.data();
      auto [a, b] = std::equal_range(base + lo, base + hi, *type);
      lo = static_cast<uint32_t>(a - base);
      hi = static_cast<uint32_t>(b - base);
    }
    return {lo, hi};
  }
};

// A number no other AdjacencySlot of this process has had (Snapshot::State's `instance`).
uint64_t NextSlotInstance() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

struct AdjacencySlot {
  const uint64_t instance = NextSlotInstance();
  std::atomic<uint64_t> seq{0};  // odd while a write of the graph is in progress
  std::mutex mu;
  std::condition_variable cv;                   // notified when a build ends
  std::shared_ptr<const AdjacencyIndex> index;  // GUARDED_BY(mu); may be of an older version
  std::optional<uint64_t> declined;             // GUARDED_BY(mu); over budget at this version
  bool building = false;                        // GUARDED_BY(mu)
  std::atomic<uint64_t> last_used{0};           // AdjacencyIndexer's epoch at the last index hit
  // The graph's id as GetSnapshot looked it up at version graph_id_version (a version names one
  // state of the graph, CreateGraph and DropGraph included), reused by later snapshots of it.
  std::optional<uint64_t> graph_id_version;  // GUARDED_BY(mu)
  GraphId graph_id = 0;                      // GUARDED_BY(mu)
  // The read context (RocksDB snapshot and its pooled iterators) of a snapshot taken at version
  // context_version: later snapshots of the same version share it for up to kShareReadContextFor
  // (every key a Snapshot reads belongs to its graph, and the graph has not changed since), so
  // they skip taking a RocksDB snapshot and creating iterators. Bounded in time so that an old
  // RocksDB snapshot does not keep other graphs' overwritten data alive for long; and every write
  // of any graph drops all shared contexts (AdjacencyIndexer::DropReadContexts), so that an old
  // RocksDB snapshot never pins data a write made obsolete.
  std::shared_ptr<const ReadContext> context;             // GUARDED_BY(mu)
  uint64_t context_version = 0;                           // GUARDED_BY(mu)
  std::chrono::steady_clock::time_point context_created;  // GUARDED_BY(mu)
};
constexpr std::chrono::milliseconds kShareReadContextFor{1000};

// Marks a graph as being written for its lifetime (see AdjacencySlot::seq).
class GraphWriteFence {
 public:
  explicit GraphWriteFence(std::shared_ptr<AdjacencySlot> slot) : slot_(std::move(slot)) {
    slot_->seq.fetch_add(1);
    std::lock_guard<std::mutex> lock(slot_->mu);
    slot_->index.reset();  // stale from now on; snapshots that hold it keep it alive
  }
  ~GraphWriteFence() {
    if (slot_) slot_->seq.fetch_add(1);
  }
  GraphWriteFence(GraphWriteFence&& other) noexcept : slot_(std::move(other.slot_)) {}
  GraphWriteFence(const GraphWriteFence&) = delete;
  GraphWriteFence& operator=(const GraphWriteFence&) = delete;

 private:
  std::shared_ptr<AdjacencySlot> slot_;
};

// Owns the slots and the builder thread of one store. Thread-safe.
class AdjacencyIndexer {
 public:
  AdjacencyIndexer(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> cfs, size_t budget)
      : db_(db), cfs_(std::move(cfs)), budget_(budget) {}
  ~AdjacencyIndexer() {
    stop_ = true;
    std::thread t;
    {
      std::lock_guard<std::mutex> lock(mu_);
      t = std::move(thread_);
    }
    if (t.joinable()) t.join();
  }

  bool enabled() const { return budget_ > 0; }

  // The slot of graph `name`; created when `create`, else nullptr if it has none yet.
  std::shared_ptr<AdjacencySlot> Slot(std::string_view name, bool create) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(std::string(name));
    if (it != slots_.end()) return it->second;
    if (!create) return nullptr;
    auto slot = std::make_shared<AdjacencySlot>();
    slots_.emplace(std::string(name), slot);
    return slot;
  }
  // Bytes held by the current index of every graph (stale ones are dropped when a write starts).
  uint64_t Bytes() {
    uint64_t total = 0;
    for (const auto& slot : AllSlots()) {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->index) total += slot->index->bytes;
    }
    return total;
  }
  // Drops every slot's shared read context (see AdjacencySlot::context).
  void DropReadContexts() {
    for (const auto& slot : AllSlots()) {
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->context.reset();
    }
  }
  std::vector<std::shared_ptr<AdjacencySlot>> AllSlots() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::shared_ptr<AdjacencySlot>> out;
    for (auto& [name, slot] : slots_) out.push_back(slot);
    return out;
  }

  // The index of `slot` for `version`, or nullptr; without one, starts a background build
  // unless one is running or the version was declined.
  std::shared_ptr<const AdjacencyIndex> Get(const std::shared_ptr<AdjacencySlot>& slot,
                                            const std::string& name, uint64_t version) {
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->index && slot->index->version == version) {
        Touch(*slot);
        return slot->index;
      }
      if (slot->building || slot->declined == version || slot->seq.load() != version) {
        return nullptr;
      }
    }
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock() || busy_ || stop_) return nullptr;
    {
      std::lock_guard<std::mutex> slot_lock(slot->mu);
      if (slot->building) return nullptr;
      slot->building = true;
    }
    if (thread_.joinable()) thread_.join();  // finished: busy_ is false
    busy_ = true;
    thread_ = std::thread([this, slot, name] {
      Build(slot, name);
      std::lock_guard<std::mutex> l(mu_);
      busy_ = false;
    });
    return nullptr;
  }

  // Builds the index of `slot` for its current version in this thread unless present, declined
  // or a write is in progress. For tests and benchmarks (test_hooks::WaitForAdjacencyIndex).
  std::shared_ptr<const AdjacencyIndex> BuildNow(const std::shared_ptr<AdjacencySlot>& slot,
                                                 const std::string& name) {
    {
      std::unique_lock<std::mutex> lock(slot->mu);
      slot->cv.wait(lock, [&] { return !slot->building; });
      if (slot->index && slot->index->version == slot->seq.load()) {
        Touch(*slot);
        return slot->index;
      }
      slot->building = true;
    }
    Build(slot, name);
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->index && slot->index->version == slot->seq.load()) return slot->index;
    return nullptr;
  }

 private:
  // Marks the index of `slot` as used in the current epoch (a relaxed store, skipped when equal).
  void Touch(AdjacencySlot& slot) {
    const uint64_t e = epoch_.load(std::memory_order_relaxed);
    if (slot.last_used.load(std::memory_order_relaxed) != e) {
      slot.last_used.store(e, std::memory_order_relaxed);
    }
  }

  // The budget is for all graphs together: makes room for `bytes` of `slot`'s new index by
  // dropping the indexes of other graphs, least recently used first. False if it cannot fit.
  // Snapshots that hold a dropped index keep it alive; the graph's next hop read rebuilds it.
  bool Admit(const std::shared_ptr<AdjacencySlot>& slot, uint64_t bytes) {
    slot->last_used.store(epoch_.fetch_add(1) + 1);
    std::vector<std::pair<uint64_t, std::shared_ptr<AdjacencySlot>>> others;  // (last used, slot)
    uint64_t held = 0;
    for (auto& other : AllSlots()) {
      if (other == slot) continue;
      std::lock_guard<std::mutex> lock(other->mu);
      if (!other->index) continue;
      held += other->index->bytes;
      others.emplace_back(other->last_used.load(), other);
    }
    std::sort(others.begin(), others.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [used, other] : others) {
      if (held + bytes <= budget_) break;
      std::lock_guard<std::mutex> lock(other->mu);
      if (other->index) {
        held -= std::min<uint64_t>(held, other->index->bytes);
        other->index.reset();
      }
    }
    return held + bytes <= budget_;
  }

  // Scans the graph's edge column families at one snapshot and publishes the index if the graph
  // was not written meanwhile and it fits in the budget beside the other graphs' indexes (see
  // Admit). Clears slot->building.
  void Build(const std::shared_ptr<AdjacencySlot>& slot, const std::string& name) {
    auto t0 = std::chrono::steady_clock::now();
    std::shared_ptr<AdjacencyIndex> index;
    bool declined = false;
    const uint64_t v1 = slot->seq.load();
    const rocksdb::Snapshot* snap = db_->GetSnapshot();
    const uint64_t v2 = slot->seq.load();
    if (v1 == v2 && v1 % 2 == 0) {
      index = std::make_shared<AdjacencyIndex>();
      index->version = v1;
      if (!Scan(name, snap, index.get(), &declined)) index.reset();
    }
    db_->ReleaseSnapshot(snap);
    if (index) {
      index->build_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!Admit(slot, index->bytes)) {
        index.reset();
        declined = true;
      }
    }
    std::lock_guard<std::mutex> lock(slot->mu);
    slot->building = false;
    if (declined) slot->declined = v1;
    if (index && slot->seq.load() == v1) slot->index = std::move(index);
    slot->cv.notify_all();
  }

  // Fills `index` from the snapshot; false (and *declined when over budget) if not possible.
  bool Scan(const std::string& name, const rocksdb::Snapshot* snap, AdjacencyIndex* index,
            bool* declined) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    std::string key;
    EncodeMetaGraphByNameKey(&key, name);
    rocksdb::PinnableSlice v;
    rocksdb::ColumnFamilyHandle* meta = cfs_[static_cast<size_t>(Cf::kMeta)];
    GraphId g = 0;
    if (!db_->Get(ro, meta, ToSlice(key), &v).ok() || !DecodeU32Value(ToView(v), &g)) return false;
    v.Reset();
    key.clear();
    EncodeCountKey(&key, g, CountKind::kEdges, 0);
    uint64_t edges = 0;
    rocksdb::ColumnFamilyHandle* counts = cfs_[static_cast<size_t>(Cf::kCounts)];
    rocksdb::Status s = db_->Get(ro, counts, ToSlice(key), &v);
    if (s.ok()) {
      std::string_view in = ToView(v);
      if (!GetFixed64(&in, &edges)) return false;
    } else if (!s.IsNotFound()) {
      return false;
    }
    constexpr uint64_t kEdgeBytes = 2 * (sizeof(uint32_t) * 3 + sizeof(EdgeTypeId));
    if (edges * kEdgeBytes > budget_ || edges >= std::numeric_limits<uint32_t>::max()) {
      *declined = true;
      return false;
    }
    std::string begin, end;
    EncodeGraphPrefix(&begin, g);
    end = PrefixSuccessor(begin);
    rocksdb::Slice upper(end);
    ro.iterate_upper_bound = &upper;
    ro.fill_cache = false;
    ro.readahead_size = 4u << 20;
    std::vector<uint32_t> firsts;  // the node of each edge, before offsets are made
    uint64_t bytes = 0;
    for (int d = 0; d < 2; ++d) {
      AdjacencyIndex::Dir& dir = index->dirs[static_cast<size_t>(d)];
      dir.other.reserve(edges);
      dir.type.reserve(edges);
      dir.seq.reserve(edges);
      firsts.clear();
      firsts.reserve(edges);
      std::unique_ptr<rocksdb::Iterator> it(
          db_->NewIterator(ro, cfs_[static_cast<size_t>(d == 0 ? Cf::kOutEdges : Cf::kInEdges)]));
      uint64_t n = 0;
      for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
        if ((++n & 0xffff) == 0 && stop_) return false;
        const rocksdb::Slice k = it->key(), val = it->value();
        GraphId kg = 0;
        NodeKey a = 0, b = 0;
        EdgeTypeId type = 0;
        uint32_t seq = 0;
        if (val.empty() || !DecodeEdgeKey(ToView(k), &kg, &a, &type, &b, &seq)) {
          *declined = true;  // corrupt: the RocksDB path reports it
          return false;
        }
        const uint8_t flags = static_cast<uint8_t>(val[0]);
        if ((flags & ~kEdgeDangling) != 0) {  // corrupt: the RocksDB path reports it
          *declined = true;
          return false;
        }
        if (flags != 0) continue;  // dangling
        if (a >= std::numeric_limits<uint32_t>::max() - 1 ||
            b >= std::numeric_limits<uint32_t>::max() - 1 ||
            dir.other.size() >= std::numeric_limits<uint32_t>::max() - 1) {
          *declined = true;
          return false;
        }
        firsts.push_back(static_cast<uint32_t>(a));
        dir.other.push_back(static_cast<uint32_t>(b));
        dir.type.push_back(type);
        dir.seq.push_back(seq);
      }
      if (!it->status().ok()) return false;
      const size_t nodes = firsts.empty() ? 0 : firsts.back() + 2u;
      dir.offsets.assign(nodes, 0);
      for (uint32_t a : firsts) ++dir.offsets[a + 1];
      for (size_t i = 1; i < nodes; ++i) dir.offsets[i] += dir.offsets[i - 1];
      dir.other.shrink_to_fit();
      dir.type.shrink_to_fit();
      dir.seq.shrink_to_fit();
      bytes += dir.offsets.capacity() * sizeof(uint32_t) + dir.other.capacity() * sizeof(uint32_t) +
               dir.seq.capacity() * sizeof(uint32_t) + dir.type.capacity() * sizeof(EdgeTypeId);
      if (bytes > budget_) {
        *declined = true;
        return false;
      }
    }
    // Which nodes exist: keys of the nodes column family (values are not decoded).
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(ro, cfs_[static_cast<size_t>(Cf::kNodes)]));
    uint64_t n = 0;
    for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
      if ((++n & 0xffff) == 0 && stop_) return false;
      GraphId kg = 0;
      NodeKey k = 0;
      if (!DecodeNodeRecordKey(ToView(it->key()), &kg, &k) || k >= (uint64_t{1} << 40)) {
        *declined = true;
        return false;
      }
      if (k / 64 >= index->present.size()) index->present.resize(k / 64 + 1);
      index->present[k / 64] |= uint64_t{1} << (k % 64);
    }
    if (!it->status().ok()) return false;
    bytes += index->present.capacity() * sizeof(uint64_t);
    if (bytes > budget_) {
      *declined = true;
      return false;
    }
    // The qualified names, unless they would take the index over the budget: the hops matter
    // more, so the edges stay indexed either way.
    it.reset(db_->NewIterator(ro, cfs_[static_cast<size_t>(Cf::kQualifiedName)]));
    QualifiedNameTable& qn = index->qnames.emplace();
    bool fits = true;
    for (it->Seek(ToSlice(begin)); fits && it->Valid(); it->Next()) {
      if ((++n & 0xffff) == 0 && stop_) return false;
      const std::string_view k = ToView(it->key());
      NodeKey node = 0;
      if (k.size() < 4 + 2 + 8 || !DecodeTrailingNodeKey(k, &node)) {
        *declined = true;  // corrupt: the RocksDB path reports it
        return false;
      }
      fits = qn.Add(k.substr(4, k.size() - 12), node, ToView(it->value())) &&
             ((qn.keys.size() & 0xfff) != 0 || bytes + qn.Bytes() <= budget_);
    }
    if (!it->status().ok()) return false;
    if (fits) {
      qn.Seal();
      fits = bytes + qn.Bytes() <= budget_;
    }
    if (fits) {
      bytes += qn.Bytes();
    } else {
      index->qnames.reset();
    }
    index->bytes = bytes;
    return true;
  }

  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  const size_t budget_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;  // guards the members below
  std::unordered_map<std::string, std::shared_ptr<AdjacencySlot>> slots_;
  std::atomic<uint64_t> epoch_{1};  // advanced by each admitted build (Admit)
  std::thread thread_;
  bool busy_ = false;  // thread_ is building
};

// Every node of an adjacency index (its `present` bitmap), in NodeKey order.
class IndexNodeCursor final : public NodeCursor {
 public:
  explicit IndexNodeCursor(std::shared_ptr<const AdjacencyIndex> index)
      : index_(std::move(index)) {}
  bool Next(NodeKey* key) override {
    const std::vector<uint64_t>& words = index_->present;
    while (word_ < words.size()) {
      const uint64_t rest = words[word_] & (~uint64_t{0} << bit_);
      if (rest != 0) {
        const int b = std::countr_zero(rest);
        *key = word_ * 64 + static_cast<NodeKey>(b);
        bit_ = b + 1;
        if (bit_ == 64) {
          ++word_;
          bit_ = 0;
        }
        return true;
      }
      ++word_;
      bit_ = 0;
    }
    return false;
  }
  Status status() const override { return Status::OK(); }

 private:
  std::shared_ptr<const AdjacencyIndex> index_;
  size_t word_ = 0;
  int bit_ = 0;  // next bit of words[word_] to look at, 0..63
};

// The nodes of one qualified name from an adjacency index's QualifiedNameTable (with `label`,
// only those whose label list holds it), in NodeKey order.
class IndexQualifiedNameCursor final : public NodeCursor {
 public:
  IndexQualifiedNameCursor(std::shared_ptr<const AdjacencyIndex> index, std::string_view name,
                           std::optional<LabelId> label)
      : index_(std::move(index)), label_(label) {
    std::tie(pos_, end_) = index_->qnames->Find(name);
  }
  bool Next(NodeKey* key) override {
    const QualifiedNameTable& t = *index_->qnames;
    while (pos_ < end_) {
      const uint32_t i = pos_++;
      if (!label_ || LabelListHas(t.label_lists[t.labels[i]], *label_)) {
        *key = t.keys[i];
        return true;
      }
    }
    return false;
  }
  Status status() const override { return Status::OK(); }

 private:
  std::shared_ptr<const AdjacencyIndex> index_;
  std::optional<LabelId> label_;
  uint32_t pos_ = 0, end_ = 0;
};

// Edges of one node from an adjacency index (ExpandKeys' order and records).
class IndexExpandCursor final : public EdgeCursor {
 public:
  IndexExpandCursor(std::shared_ptr<const AdjacencyIndex> index, NodeKey node, Direction dir,
                    std::optional<EdgeTypeId> type)
      : index_(std::move(index)), node_(node), dir_(dir), type_(type) {
    d_ = dir == Direction::kIn ? 1 : 0;
    std::tie(pos_, end_) = index_->Range(d_, node_, type_);
  }

  bool Next(EdgeRecord* edge) override {
    while (pos_ == end_) {
      if (d_ == 1 || dir_ != Direction::kBoth) return false;
      d_ = 1;
      std::tie(pos_, end_) = index_->Range(d_, node_, type_);
    }
    const AdjacencyIndex::Dir& dir = index_->dirs[static_cast<size_t>(d_)];
    edge->type = dir.type[pos_];
    edge->seq = dir.seq[pos_];
    edge->src = d_ == 1 ? dir.other[pos_] : node_;
    edge->dst = d_ == 1 ? node_ : dir.other[pos_];
    edge->props.clear();
    ++pos_;
    return true;
  }
  Status status() const override { return Status::OK(); }

 private:
  std::shared_ptr<const AdjacencyIndex> index_;
  NodeKey node_;
  Direction dir_;
  std::optional<EdgeTypeId> type_;
  int d_ = 0;
  uint32_t pos_ = 0, end_ = 0;
};

// Nodes with one label whose path is one string: the path_index entries of that exact path
// joined with the label's label_index entries by alternating seeks (both lists are in NodeKey
// order), so a file's few nodes of a label cost a few seeks, not a read per node of the file.
class PathLabelCursor final : public NodeCursor {
 public:
  PathLabelCursor(std::shared_ptr<const ReadContext> ctx, GraphId g, std::string_view path,
                  LabelId label)
      : ctx_(std::move(ctx)) {
    EncodeStringIndexPrefix(&prefix_[0], g, path);
    EncodeLabelPrefix(&prefix_[1], g, label);
    for (int i = 0; i < 2; ++i) {
      its_[i] = ctx_->TakeIterator(i == 0 ? Cf::kPathIndex : Cf::kLabelIndex);
      its_[i]->upper = PrefixSuccessor(prefix_[i]);  // never empty: starts with a graph id
      its_[i]->upper_slice = rocksdb::Slice(its_[i]->upper);
    }
  }
  ~PathLabelCursor() override {
    for (int i = 0; i < 2; ++i) {
      ctx_->ReturnIterator(i == 0 ? Cf::kPathIndex : Cf::kLabelIndex, std::move(its_[i]));
    }
  }

  bool Next(NodeKey* key) override {
    while (!done_) {
      NodeKey in_path = 0, in_label = 0;
      if (!SeekFrom(0, next_, &in_path) || !SeekFrom(1, in_path, &in_label)) return false;
      if (in_label == in_path) {
        *key = in_path;
        next_ = in_path + 1;
        return true;
      }
      next_ = in_label;  // > in_path: no node of the path below it has the label
    }
    return false;
  }
  Status status() const override { return status_; }

 private:
  // The first node >= from of list i (0: path, 1: label); false at its end or on error. A list
  // positioned just before `from` steps there with Next() (a seek costs several times more): the
  // intersection's next candidate is usually the next entry of one of the lists.
  bool SeekFrom(int i, NodeKey from, NodeKey* node) {
    rocksdb::Iterator* it = its_[i]->it.get();
    for (int step = 0; positioned_[i] && at_[i] < from; ++step) {
      if (step == kStepsBeforeSeek) {
        positioned_[i] = false;
        break;
      }
      it->Next();
      if (!Decode(i, node)) return false;
      at_[i] = *node;
    }
    if (positioned_[i]) {
      *node = at_[i];
      return true;
    }
    seek_ = prefix_[i];
    AppendU64(&seek_, from);
    it->Seek(ToSlice(seek_));
    if (!Decode(i, node)) return false;
    positioned_[i] = true;
    at_[i] = *node;
    return true;
  }
  // The node key of list i's current entry; false (done) at the end of its prefix or on error.
  bool Decode(int i, NodeKey* node) {
    rocksdb::Iterator* it = its_[i]->it.get();
    if (!it->Valid() || !it->key().starts_with(ToSlice(prefix_[i]))) {
      status_ = FromRocks(it->status(), "scan path and label");
      done_ = true;
      return false;
    }
    if (it->key().size() != prefix_[i].size() + 8 ||
        !DecodeTrailingNodeKey(ToView(it->key()), node)) {
      status_ = Status::Corruption("malformed index key");
      done_ = true;
      return false;
    }
    return true;
  }

  static constexpr int kStepsBeforeSeek = 4;
  std::shared_ptr<const ReadContext> ctx_;
  std::array<std::string, 2> prefix_;
  std::array<std::unique_ptr<BoundedIterator>, 2> its_;
  std::array<bool, 2> positioned_{};  // its_[i] is at a valid entry of node at_[i]
  std::array<NodeKey, 2> at_{};
  std::string seek_;
  NodeKey next_ = 0;
  Status status_;
  bool done_ = false;
};

class SnapshotImpl final : public Snapshot {
 public:
  SnapshotImpl(std::shared_ptr<const ReadContext> ctx, GraphId g, std::string name,
               AdjacencyIndexer* adj, std::shared_ptr<AdjacencySlot> slot,
               std::optional<uint64_t> version)
      : ctx_(std::move(ctx)),
        g_(g),
        name_(std::move(name)),
        adj_(adj),
        slot_(std::move(slot)),
        version_(version) {}

  // The adjacency index of this snapshot's version, if built (see AdjacencyIndexer).
  const AdjacencyIndex* Index() {
    if (index_) return index_.get();
    if (!version_ || !slot_) return nullptr;
    index_ = adj_->Get(slot_, name_, *version_);
    return index_.get();
  }

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
    return ForEachStoredNode(keys, [&](size_t i, std::string_view value) -> Status {
      StoredNode stored;
      KG_RETURN_IF_ERROR(
          DecodeStoredNode(value, &stored)
              .WithContext("node " + std::to_string(keys[i]) + " of graph " + name_));
      NodeRecord& rec = (*out)[i].emplace();
      rec.key = keys[i];
      rec.id = std::move(stored.id);
      rec.labels = std::move(stored.labels);
      rec.props = std::move(stored.props);
      return Status::OK();
    });
  }

  Status GetNodeValues(const std::vector<NodeKey>& keys, const std::vector<std::string>& names,
                       std::vector<std::optional<std::vector<Value>>>* out) override {
    out->clear();
    out->resize(keys.size());
    return ForEachStoredNode(keys, [&](size_t i, std::string_view value) -> Status {
      return DecodeStoredNodeValues(value, names, &(*out)[i].emplace())
          .WithContext("node " + std::to_string(keys[i]) + " of graph " + name_);
    });
  }

  Status GetNodeLabelsAndValues(const std::vector<NodeKey>& keys,
                                const std::vector<std::string>& names,
                                std::vector<std::vector<LabelId>>* labels,
                                std::vector<std::optional<std::vector<Value>>>* values) override {
    labels->clear();
    labels->resize(keys.size());
    values->clear();
    values->resize(keys.size());
    return ForEachStoredNode(keys, [&](size_t i, std::string_view value) -> Status {
      KG_RETURN_IF_ERROR(
          DecodeStoredNodeValues(value, names, &(*values)[i].emplace())
              .WithContext("node " + std::to_string(keys[i]) + " of graph " + name_));
      // The header was validated by DecodeStoredNodeValues: version, id, owner, labels.
      std::string_view in = value.substr(1), skip;
      uint64_t n = 0, l = 0;
      GetLengthPrefixed(&in, &skip);
      GetLengthPrefixed(&in, &skip);
      GetVarint64(&in, &n);
      std::vector<LabelId>& out = (*labels)[i];
      out.reserve(n);
      for (uint64_t j = 0; j < n && GetVarint64(&in, &l); ++j)
        out.push_back(static_cast<LabelId>(l));
      return Status::OK();
    });
  }

  // Reads the stored records of `keys` with chunked MultiGets and calls fn(i, record bytes) for
  // each keys[i] that exists, in order; stops at the first error (of RocksDB or of fn).
  template <typename Fn>
  Status ForEachStoredNode(const std::vector<NodeKey>& keys, Fn fn) {
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
        KG_RETURN_IF_ERROR(fn(start + i, ToView(values[i])));
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
    if (const AdjacencyIndex* index = Index()) {
      if (!index->HasNode(key)) return std::optional<NodeKey>();
      return std::optional<NodeKey>(key);
    }
    bool exists = false;
    KG_RETURN_IF_ERROR(NodeExists(*ctx_, g_, key, &k, &v, &exists));
    if (!exists) return std::optional<NodeKey>();
    return std::optional<NodeKey>(key);
  }

  std::unique_ptr<NodeCursor> ScanAll() override {
    // The adjacency index knows which nodes exist: no pass over every node record's bytes.
    if (Index() != nullptr) return std::make_unique<IndexNodeCursor>(index_);
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

  std::unique_ptr<NodeCursor> ScanQualifiedName(std::string_view qn,
                                                std::optional<LabelId> label) override {
    std::string prefix;
    EncodeStringIndexPrefix(&prefix, g_, qn);
    if (const AdjacencyIndex* index = Index(); index != nullptr && index->qnames) {
      return std::make_unique<IndexQualifiedNameCursor>(index_, std::string_view(prefix).substr(4),
                                                        label);
    }
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kQualifiedName, std::move(prefix), label);
  }

  std::unique_ptr<NodeCursor> ScanQualifiedNameSuffix(std::string_view suffix,
                                                      std::optional<LabelId> label) override {
    std::string prefix;
    EncodeStringIndexStartsWith(&prefix, g_, Reversed(suffix));
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kQualifiedNameRev, std::move(prefix), label);
  }

  std::unique_ptr<NodeCursor> ScanLabelNamePrefix(LabelId label, std::string_view prefix,
                                                  bool case_insensitive) override {
    std::string key;
    std::string lower;
    if (case_insensitive) {
      lower = schema::ToLowerAscii(prefix);
      prefix = lower;
    }
    EncodeLabelNamePrefix(&key, g_, label, prefix);
    key.resize(key.size() - 2);  // without the terminator: every name starting with `prefix`
    return std::make_unique<KeyNodeCursor>(
        ctx_, case_insensitive ? Cf::kLabelNameCi : Cf::kLabelName, std::move(key));
  }

  std::unique_ptr<NodeCursor> ScanPathPrefix(std::string_view prefix) override {
    std::string key;
    EncodeStringIndexStartsWith(&key, g_, prefix);
    return std::make_unique<KeyNodeCursor>(ctx_, Cf::kPathIndex, std::move(key));
  }

  std::unique_ptr<NodeCursor> ScanAtLine(std::string_view path, int64_t line) override {
    return std::make_unique<AtLineCursor>(ctx_, g_, path, line);
  }

  std::unique_ptr<NodeCursor> ScanNameTrigrams(const std::vector<std::string>& needles,
                                               std::optional<LabelId> label) override {
    Result<std::vector<TrigramId>> trigrams = NeedleTrigrams(needles);
    if (!trigrams.ok()) return std::make_unique<FailedNodeCursor>(trigrams.status());
    return std::make_unique<TrigramCursor>(ctx_, g_, std::move(trigrams).value(), label);
  }

  Result<uint64_t> EstimateNameTrigrams(const std::vector<std::string>& needles) override {
    KG_ASSIGN_OR_RETURN(std::vector<TrigramId> trigrams, NeedleTrigrams(needles));
    uint64_t best = std::numeric_limits<uint64_t>::max();
    for (TrigramId t : trigrams) {
      KG_ASSIGN_OR_RETURN(uint64_t n, ctx_->GetCount(g_, CountKind::kTrigram, t));
      best = std::min(best, n);
      if (best == 0) break;
    }
    return best;
  }

  std::unique_ptr<EdgeCursor> Expand(NodeKey node, Direction dir,
                                     std::optional<EdgeTypeId> type) override {
    return std::make_unique<ExpandCursor>(ctx_, g_, node, dir, type, /*with_props=*/true);
  }

  std::unique_ptr<EdgeCursor> ExpandKeys(NodeKey node, Direction dir,
                                         std::optional<EdgeTypeId> type) override {
    if (Index()) return std::make_unique<IndexExpandCursor>(index_, node, dir, type);
    return std::make_unique<ExpandCursor>(ctx_, g_, node, dir, type, /*with_props=*/false);
  }

  // Sorted, deduplicated seeks on one iterator per direction: consecutive keys often share a
  // data block, which RocksDB then re-seeks without searching the index.
  Status ExpandNeighbors(const std::vector<NodeKey>& nodes, Direction dir,
                         std::optional<EdgeTypeId> type, std::vector<NodeKey>* neighbors,
                         std::vector<size_t>* offsets) override {
    if (const AdjacencyIndex* index = Index()) {
      neighbors->clear();
      offsets->assign(1, 0);
      offsets->reserve(nodes.size() + 1);
      for (NodeKey key : nodes) {
        for (int d = 0; d < 2; ++d) {
          if (d == 0 ? dir == Direction::kIn : dir == Direction::kOut) continue;
          auto [lo, hi] = index->Range(d, key, type);
          const uint32_t* other = index->dirs[static_cast<size_t>(d)].other.data();
          neighbors->insert(neighbors->end(), other + lo, other + hi);
        }
        offsets->push_back(neighbors->size());
      }
      return Status::OK();
    }
    std::vector<std::pair<NodeKey, uint32_t>> order(nodes.size());  // (key, input position)
    for (size_t i = 0; i < nodes.size(); ++i) order[i] = {nodes[i], static_cast<uint32_t>(i)};
    std::sort(order.begin(), order.end());
    // Per distinct key: its neighbours in `found`, from found_start[d] to found_start[d + 1].
    std::vector<NodeKey> found;
    std::vector<size_t> found_start;
    std::vector<uint32_t> distinct_of(nodes.size());
    std::vector<NodeKey> distinct;
    for (const auto& [key, i] : order) {
      if (distinct.empty() || distinct.back() != key) distinct.push_back(key);
      distinct_of[i] = static_cast<uint32_t>(distinct.size() - 1);
    }
    std::array<std::unique_ptr<BoundedIterator>, 2> its;
    const bool out = dir != Direction::kIn, in = dir != Direction::kOut;
    std::string graph_prefix, prefix;
    EncodeGraphPrefix(&graph_prefix, g_);
    for (int d = 0; d < 2; ++d) {
      if (d == 0 ? !out : !in) continue;
      its[d] = ctx_->TakeIterator(d == 0 ? Cf::kOutEdges : Cf::kInEdges);
      its[d]->upper = PrefixSuccessor(graph_prefix);
      its[d]->upper_slice = rocksdb::Slice(its[d]->upper);
    }
    Status status;
    found_start.reserve(distinct.size() + 1);
    for (NodeKey key : distinct) {
      found_start.push_back(found.size());
      for (int d = 0; d < 2 && status.ok(); ++d) {
        if (!its[d]) continue;
        rocksdb::Iterator* it = its[d]->it.get();
        prefix.clear();
        if (type) {
          EncodeEdgePrefix(&prefix, g_, key, *type);
        } else {
          EncodeEdgePrefix(&prefix, g_, key);
        }
        for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(ToSlice(prefix));
             it->Next()) {
          const rocksdb::Slice k = it->key(), v = it->value();
          if (k.size() != kEdgeKeyBytes || v.empty()) {
            status = Status::Corruption("malformed edge record");
            break;
          }
          const uint8_t flags = static_cast<uint8_t>(v[0]);
          if ((flags & ~kEdgeDangling) != 0) {
            status = Status::Corruption("unknown edge flags " + std::to_string(flags));
            break;
          }
          if (flags != 0) continue;  // dangling
          NodeKey other = 0;
          for (size_t b = 14; b < 22; ++b) other = other << 8 | static_cast<uint8_t>(k[b]);
          found.push_back(other);
        }
        if (status.ok()) status = FromRocks(it->status(), "expand");
      }
      if (!status.ok()) break;
    }
    found_start.push_back(found.size());
    for (int d = 0; d < 2; ++d) {
      if (its[d]) ctx_->ReturnIterator(d == 0 ? Cf::kOutEdges : Cf::kInEdges, std::move(its[d]));
    }
    KG_RETURN_IF_ERROR(status);
    neighbors->clear();
    offsets->assign(1, 0);
    offsets->reserve(nodes.size() + 1);
    for (size_t i = 0; i < nodes.size(); ++i) {
      const uint32_t d = distinct_of[i];
      neighbors->insert(neighbors->end(), found.begin() + static_cast<ptrdiff_t>(found_start[d]),
                        found.begin() + static_cast<ptrdiff_t>(found_start[d + 1]));
      offsets->push_back(neighbors->size());
    }
    return Status::OK();
  }

  Status Degrees(const std::vector<NodeKey>& nodes, Direction dir, std::optional<EdgeTypeId> type,
                 std::vector<uint64_t>* degrees) override {
    const AdjacencyIndex* index = Index();
    if (index == nullptr) return Snapshot::Degrees(nodes, dir, type, degrees);
    degrees->assign(nodes.size(), 0);
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (int d = 0; d < 2; ++d) {
        if (d == 0 ? dir == Direction::kIn : dir == Direction::kOut) continue;
        auto [lo, hi] = index->Range(d, nodes[i], type);
        (*degrees)[i] += hi - lo;
      }
    }
    return Status::OK();
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

  std::unique_ptr<NodeCursor> ScanPathLabel(std::string_view path, LabelId label) override {
    return std::make_unique<PathLabelCursor>(ctx_, g_, path, label);
  }

  std::optional<StateToken> State() const override {
    if (!version_ || !slot_) return std::nullopt;
    return StateToken{slot_->instance, *version_};
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
  AdjacencyIndexer* adj_;
  std::shared_ptr<AdjacencySlot> slot_;          // nullptr: no adjacency index
  std::optional<uint64_t> version_;              // the slot version this snapshot sees, if known
  std::shared_ptr<const AdjacencyIndex> index_;  // of version_, once found
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
  // The value of every `counts` key this session has read or written, as stored (0 = absent):
  // counts change only through the writer, so this cache saves a read per count per batch
  // (a batch touches a count per trigram of every name). Updated only after a write succeeds;
  // cleared when one fails.
  std::unordered_map<uint64_t, uint64_t> counts;  // (kind << 32 | id) -> value
  static uint64_t CountSlot(uint8_t kind, uint32_t id) { return uint64_t{kind} << 32 | id; }

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
  // (name_trigrams' merges go into the batch: SST files would carry merge operands.)
  static bool Takes(Cf c) { return (IndexCf(c) && c != Cf::kNameTrigrams) || c == Cf::kFileTexts; }
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

// ---- Bulk loads into an empty graph ("fresh" loads, see FORMAT.md "Bulk loads") ----

// Memory for the large buffers of a fresh load that are filled front to back (operation
// vectors, arena blocks, the id table, per-node arrays), in transparent huge pages where the
// kernel offers them (THP "madvise" mode): touching such memory then faults in 2 MiB at a time
// instead of 4 KiB. Page faults were ~11% of a bulk load's CPU (each one costly in a VM); the
// resident size stays within 2 MiB of what is touched, as the buffers are filled in order.
// Allocations below 2 MiB are plain operator new; larger ones are mmap'd (std::bad_alloc when
// mmap fails, as operator new would throw) and unmapped when freed.
constexpr size_t kHugePage = kHugePageBytes;
void* AllocateLarge(size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes);
  void* p = MapHugePageAligned((bytes + kHugePage - 1) & ~(kHugePage - 1));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void FreeLarge(void* p, size_t bytes) {
  if (p == nullptr) return;
  if (bytes < kHugePage) return ::operator delete(p);
  munmap(p, (bytes + kHugePage - 1) & ~(kHugePage - 1));
}

// A std::allocator for the large buffers above (see AllocateLarge).
template <typename T>
struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <typename U>
  LargeAllocator(const LargeAllocator<U>&) {}  // NOLINT: converting, as allocators are
  T* allocate(size_t n) { return static_cast<T*>(AllocateLarge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeLarge(p, n * sizeof(T)); }
  bool operator==(const LargeAllocator&) const { return true; }
};
template <typename T>
using LargeVector = std::vector<T, LargeAllocator<T>>;

// An uninitialized block of AllocateLarge memory, freed with it.
class LargeBlock {
 public:
  explicit LargeBlock(size_t bytes) : p_(static_cast<char*>(AllocateLarge(bytes))), n_(bytes) {}
  LargeBlock(LargeBlock&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(o.n_) {}
  LargeBlock& operator=(LargeBlock&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    return *this;
  }
  ~LargeBlock() { FreeLarge(p_, n_); }
  char* get() const { return p_; }

 private:
  char* p_;
  size_t n_;
};

// Append-only bytes in blocks that never move: growing copies nothing (a std::string arena
// that doubles moves every byte again and faults in fresh pages each time). Blocks start small
// (small loads stay small) and grow to kMaxBlock; a larger item gets a block of its own.
// Thread-safety: none.
class BlockArena {
 public:
  // Copies a then b next to each other; the bytes stay valid (and the caller's to change) until
  // the arena is destroyed.
  char* Append(std::string_view a, std::string_view b = {}) {
    const size_t n = a.size() + b.size();
    if (blocks_.empty() || n > cap_ - used_) {
      next_block_ = std::min(next_block_ * 2, kMaxBlock);
      cap_ = std::max(next_block_, n);
      blocks_.push_back(NewBlock(cap_));
      caps_.push_back(cap_);
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    if (!a.empty()) std::memcpy(at, a.data(), a.size());
    if (!b.empty()) std::memcpy(at + a.size(), b.data(), b.size());
    used_ += n;
    return at;
  }

  // Forgets every byte appended (pointers into the arena become invalid); full-size blocks are
  // kept and filled again, so an arena refilled after each spill faults in no fresh pages.
  void Reset() {
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (caps_[i] == kMaxBlock) spare_.push_back(std::move(blocks_[i]));
    }
    blocks_.clear();
    caps_.clear();
    cap_ = used_ = 0;
  }

 private:
  static constexpr size_t kMaxBlock = 4u << 20;
  LargeBlock NewBlock(size_t cap) {
    if (cap == kMaxBlock && !spare_.empty()) {
      LargeBlock b = std::move(spare_.back());
      spare_.pop_back();
      return b;
    }
    return LargeBlock(cap);
  }

  std::vector<LargeBlock> blocks_, spare_;
  std::vector<size_t> caps_;       // per block
  size_t next_block_ = 32u << 10;  // doubled before the first block: 64 KiB
  size_t cap_ = 0, used_ = 0;
};

// Key-value operations per column family buffered in memory, or spilled to sorted run files,
// until a fresh load is materialized. Later operations on a key win over earlier ones.
// REQUIRES: all keys of one column family start with the same 4 bytes (one graph's id).
// Thread-safety: Merge() may run concurrently for different column families; nothing else may.
// (Spill() writes in a thread of its own, on a buffer nothing else touches until it is joined.)
class RunBuffer {
 public:
  explicit RunBuffer(std::string dir) : dir_(std::move(dir)) {}
  ~RunBuffer() { RemoveFiles(); }
  RunBuffer(const RunBuffer&) = delete;
  RunBuffer& operator=(const RunBuffer&) = delete;

  void Add(Cf c, std::string_view key, std::string_view value, bool del) {
    Buffer& b = mem_;
    // Room for a whole spill's operations up front: growing a vector of millions of operations
    // copies them all again and faults in fresh pages at every doubling. (Address space only:
    // pages are touched as operations arrive.)
    if (b.ops.capacity() == 0) {
      b.ops.reserve(std::min<size_t>(fresh_spill_bytes.load() / 2, 64u << 20) / sizeof(Op));
    }
    b.ops.push_back(Op{Hint(key, 4), Hint(key, 12), Hint(key, 20), b.arena.Append(key, value),
                       static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size()),
                       static_cast<uint32_t>(b.ops.size()), static_cast<uint8_t>(c), del});
    bytes_ += key.size() + value.size() + sizeof(Op);
    prepared_ = false;
  }
  size_t bytes() const { return bytes_; }

  // What Rollback() returns to: the operations added since are dropped (their bytes stay in
  // the arena until the next Spill()). Valid until the next Spill().
  struct Mark {
    size_t ops;
    size_t bytes;
  };
  Mark GetMark() const { return Mark{mem_.ops.size(), bytes_}; }
  void Rollback(const Mark& m) {
    mem_.ops.resize(m.ops);
    bytes_ = m.bytes;
  }

  // Hands what is in memory to a background thread that sorts it and writes it as one run file
  // per column family; Add() goes on meanwhile into a second buffer (so up to twice the spill
  // size is buffered). Waits for the previous spill first and returns its error, if any.
  Status Spill() {
    KG_RETURN_IF_ERROR(WaitForSpill());
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return Status::IOError("bulk load: create '" + dir_ + "': " + ec.message());
    std::swap(mem_, spilling_);  // mem_ is now the other, empty buffer
    bytes_ = 0;
    std::array<bool, kNumCfs> present{};
    for (const Op& op : spilling_.ops) present[op.cf] = true;
    std::array<std::string, kNumCfs> files;  // named now: runs_ lists runs oldest first
    for (size_t c = 0; c < kNumCfs; ++c) {
      if (!present[c]) continue;
      files[c] = dir_ + "/run-" + std::to_string(c) + "-" + std::to_string(runs_[c].size());
      runs_[c].push_back(files[c]);
    }
    spiller_ = std::thread([this, files = std::move(files)] { spill_status_ = WriteRuns(files); });
    return Status::OK();
  }
  // Waits until the background spill (if any) is written; returns its status (a failed spill
  // stays failed: its operations are lost).
  Status WaitForSpill() {
    if (spiller_.joinable()) spiller_.join();
    return spill_status_;
  }

  // Readies Merge(): waits for the spill, then groups what is in memory by column family (in
  // place, one pass). Each family's operations are sorted by the Merge() of that family, so
  // that threads materializing several families sort one while another writes its file.
  Status PrepareMerge() {
    KG_RETURN_IF_ERROR(WaitForSpill());
    GroupByCf(&mem_.ops, &cf_begin_);
    sorted_.fill(false);
    prepared_ = true;
    return Status::OK();
  }

  // Calls fn(key, value) for the final state of every key of column family `c` (deleted keys
  // are left out), in key order. `fn` may change the value's bytes in place; both views are
  // valid only during the call.
  // REQUIRES: PrepareMerge() returned OK after the last Add(). Calls for different column
  // families may run concurrently; for one family, one at a time.
  using MergeFn = std::function<Status(std::string_view, char*, size_t)>;
  Status Merge(Cf c, const MergeFn& fn) {
    struct Source {
      std::unique_ptr<Reader> reader;  // a run file; null for the sorted operations in memory
      // The current operation: views into the reader's buffer or into the arena.
      std::string_view key;
      char* value = nullptr;
      size_t value_len = 0;
      uint64_t hint = 0;  // Hint(key, 4): settles most comparisons without a memcmp
      bool del = false;
      size_t pos = 0;  // in memory: the next position in mem_.ops
    };
    if (!prepared_) return Status::Internal("bulk load: merge before PrepareMerge");
    LargeVector<Op>& ops = mem_.ops;
    const size_t mem_end = cf_begin_[static_cast<size_t>(c) + 1];
    if (!sorted_[static_cast<size_t>(c)]) {  // Merge() of other families may run meanwhile
      SortOps(ops.data() + cf_begin_[static_cast<size_t>(c)], ops.data() + mem_end);
      sorted_[static_cast<size_t>(c)] = true;
    }
    const std::vector<std::string>& files = runs_[static_cast<size_t>(c)];
    if (files.empty()) {  // nothing spilled: one sorted source, no heap and no key copies
      for (size_t i = cf_begin_[static_cast<size_t>(c)]; i < mem_end; ++i) {
        Op& op = ops[i];
        if (i + kPrefetch < mem_end) __builtin_prefetch(ops[i + kPrefetch].data);
        if (i + 1 < mem_end && SameKey(ops[i + 1], op)) continue;  // a later op wins
        if (op.del) continue;
        KG_RETURN_IF_ERROR(fn(KeyOf(op), op.data + op.key_len, op.val_len));
      }
      return Status::OK();
    }
    std::vector<Source> src(files.size() + 1);
    src.back().pos = cf_begin_[static_cast<size_t>(c)];
    Status status;
    // Moves source i to its next operation: false at the end or on error. Invalidates the
    // views of source i's previous operation.
    auto advance = [&](size_t i) -> bool {
      Source& s = src[i];
      if (s.reader != nullptr) {
        if (!s.reader->Next(&s.key, &s.value, &s.value_len, &s.del)) {
          if (!s.reader->status().ok()) status = s.reader->status();
          return false;
        }
        s.hint = Hint(s.key, 4);
        return true;
      }
      // The last operation on a key survives (equal keys are sorted in the order made).
      while (s.pos + 1 < mem_end && SameKey(ops[s.pos + 1], ops[s.pos])) ++s.pos;
      if (s.pos >= mem_end) return false;
      if (s.pos + kPrefetch < mem_end) __builtin_prefetch(ops[s.pos + kPrefetch].data);
      Op& op = ops[s.pos++];
      s.key = KeyOf(op);
      s.value = op.data + op.key_len;
      s.value_len = op.val_len;
      s.del = op.del;
      s.hint = op.hint1;
      return true;
    };
    // A min-heap of sources by (key, newest source first).
    auto later = [&](size_t a, size_t b) {
      if (src[a].hint != src[b].hint) return src[a].hint > src[b].hint;
      int cmp = src[a].key.compare(src[b].key);
      return cmp != 0 ? cmp > 0 : a < b;
    };
    std::vector<size_t> heap;
    for (size_t i = 0; i < src.size() && status.ok(); ++i) {
      if (i < files.size()) {
        std::FILE* f = std::fopen(files[i].c_str(), "rb");
        if (f == nullptr) {
          status = Status::IOError("bulk load: cannot read run file");
          break;
        }
        src[i].reader = std::make_unique<Reader>(f);
      }
      if (advance(i)) heap.push_back(i);
    }
    std::make_heap(heap.begin(), heap.end(), later);
    // Moves the source at the top of the heap to its next operation and restores the heap in
    // one sift-down (a pop and a push cost about twice as much per operation merged).
    auto advance_top = [&] {
      if (!advance(heap.front())) {
        heap.front() = heap.back();
        heap.pop_back();
      }
      const size_t n = heap.size();
      for (size_t i = 0;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && later(heap[c], heap[c + 1])) ++c;
        if (!later(heap[i], heap[c])) break;
        std::swap(heap[i], heap[c]);
        i = c;
      }
    };
    std::string last_key;  // of the operation just merged: older operations on it lose
    while (status.ok() && !heap.empty()) {
      Source& s = src[heap.front()];
      if (!s.del) status = fn(s.key, s.value, s.value_len);
      if (!status.ok()) break;
      last_key.assign(s.key);
      const uint64_t last_hint = s.hint;
      advance_top();  // s's next key is larger: a source holds one operation per key
      while (status.ok() && !heap.empty() && src[heap.front()].hint == last_hint &&
             src[heap.front()].key == last_key) {
        advance_top();
      }
    }
    return status;
  }

  const std::string& dir() const { return dir_; }
  bool spilled() const {
    return std::any_of(runs_.begin(), runs_.end(), [](const auto& r) { return !r.empty(); });
  }
  // Whether operations of column family `c` were spilled to run files.
  bool Spilled(Cf c) const { return !runs_[static_cast<size_t>(c)].empty(); }
  void RemoveFiles() {
    (void)WaitForSpill();  // its files go too
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    for (auto& r : runs_) r.clear();
  }

 private:
  struct Op {
    uint64_t hint1, hint2, hint3;  // key bytes 4..11, 12..19 and 20..27, see Hint()
    char* data;                    // key_len key bytes, then val_len value bytes, in Buffer::arena
    uint32_t key_len, val_len;
    uint32_t seq;  // position when added: orders operations on one key as made
    uint8_t cf;
    bool del;
  };
  struct Buffer {
    BlockArena arena;
    LargeVector<Op> ops;  // every column family's, in the order made
  };

  static std::string_view KeyOf(const Op& op) { return std::string_view(op.data, op.key_len); }
  // How many operations ahead a pass over sorted operations prefetches their bytes.
  static constexpr size_t kPrefetch = 16;
  static constexpr size_t kHinted = 28;  // key bytes the hints cover (0..3: the graph id)
  // Compares the keys of two operations of one column family: <0, 0 or >0.
  static int CompareKeys(const Op& a, const Op& b) {
    if (a.hint1 != b.hint1) return a.hint1 < b.hint1 ? -1 : 1;
    if (a.hint2 != b.hint2) return a.hint2 < b.hint2 ? -1 : 1;
    if (a.hint3 != b.hint3) return a.hint3 < b.hint3 ? -1 : 1;
    // Equal hints: bytes 0..27 are equal as far as both keys reach (zero padding matches only
    // zero bytes), so a key of up to 28 bytes is a prefix of the other; only the bytes after
    // byte 28 of two longer keys (ids, names) need comparing.
    if (a.key_len > kHinted && b.key_len > kHinted) {
      const int cmp =
          std::memcmp(a.data + kHinted, b.data + kHinted, std::min(a.key_len, b.key_len) - kHinted);
      if (cmp != 0) return cmp;
    }
    return a.key_len == b.key_len ? 0 : (a.key_len < b.key_len ? -1 : 1);
  }
  static bool SameKey(const Op& a, const Op& b) {
    return a.key_len == b.key_len && a.hint1 == b.hint1 && a.hint2 == b.hint2 &&
           a.hint3 == b.hint3 &&
           (a.key_len <= kHinted ||
            std::memcmp(a.data + kHinted, b.data + kHinted, a.key_len - kHinted) == 0);
  }
  // Operations of one column family by key, then the order made (a total order: std::sort is
  // stable here).
  static bool Less(const Op& a, const Op& b) {
    const int cmp = CompareKeys(a, b);
    return cmp != 0 ? cmp < 0 : a.seq < b.seq;
  }
  // Sorts operations of one column family by Less: an in-place radix pass on the 8 bits of
  // hint1 below its highest bit that differs within the range (keys share their leading bytes:
  // big-endian node keys are mostly zeros, names share prefixes), recursing into each of the
  // 256 groups, and std::sort for small groups or equal hint1s. Each pass moves an operation
  // at most once; fewer comparisons than std::sort over the whole range (a third of a bulk
  // load's CPU was sorting).
  static void SortOps(Op* first, Op* last) {
    constexpr size_t kSmall = 2048;
    const size_t n = static_cast<size_t>(last - first);
    uint64_t diff = 0;
    if (n >= kSmall) {
      for (const Op* p = first; p != last; ++p) diff |= p->hint1 ^ first->hint1;
    }
    if (diff == 0) {  // small, or hint1 alone orders nothing here
      std::sort(first, last, Less);
      return;
    }
    const int shift = std::max(0, 63 - std::countl_zero(diff) - 7);
    std::array<size_t, 257> begin;
    Partition<256>(
        first, last, [shift](const Op& op) { return (op.hint1 >> shift) & 0xff; }, &begin);
    for (size_t d = 0; d < 256; ++d) {
      if (begin[d + 1] - begin[d] > 1) SortOps(first + begin[d], first + begin[d + 1]);
    }
  }
  // Reorders first..last in place so that the operations of each bucket (bucket_of(op) <
  // kBuckets) are adjacent, buckets in order; (*begin)[b] .. (*begin)[b + 1] is then bucket b's
  // range, as offsets from first. One counting pass and one pass of swaps (each operation moves
  // at most once, to its bucket), no second buffer.
  template <size_t kBuckets, typename BucketOf>
  static void Partition(Op* first, Op* last, BucketOf bucket_of,
                        std::array<size_t, kBuckets + 1>* begin) {
    std::array<size_t, kBuckets> next{};
    for (const Op* p = first; p != last; ++p) ++next[bucket_of(*p)];
    (*begin)[0] = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      (*begin)[b + 1] = (*begin)[b] + next[b];
      next[b] = (*begin)[b];  // now: the first slot of bucket b not yet known to hold b
    }
    for (size_t b = 0; b < kBuckets; ++b) {
      for (const size_t end = (*begin)[b + 1]; next[b] < end;) {
        Op& op = first[next[b]];
        const size_t to = bucket_of(op);
        if (to == b) {
          ++next[b];
        } else {
          std::swap(op, first[next[to]++]);
        }
      }
    }
  }
  // Groups *ops by column family, families in order; (*begin)[c] .. (*begin)[c + 1] is then
  // family c's range.
  static void GroupByCf(LargeVector<Op>* ops, std::array<size_t, kNumCfs + 1>* begin) {
    Partition<kNumCfs>(
        ops->data(), ops->data() + ops->size(), [](const Op& op) { return size_t{op.cf}; }, begin);
  }

  // Sorts spilling_ and writes each column family's last operation per key to files[cf], then
  // empties spilling_ (keeping its memory for the next run).
  Status WriteRuns(const std::array<std::string, kNumCfs>& files) {
    LargeVector<Op>& ops = spilling_.ops;
    std::array<size_t, kNumCfs + 1> range;
    GroupByCf(&ops, &range);
    Status status;
    std::string buf;
    for (size_t c = 0; c < kNumCfs && status.ok(); ++c) {
      const size_t begin = range[c], end = range[c + 1];
      if (begin == end) continue;
      SortOps(ops.data() + begin, ops.data() + end);
      const std::string& file = files[c];
      std::FILE* f = std::fopen(file.c_str(), "wb");
      if (f == nullptr) {
        status = Status::IOError("bulk load: cannot create '" + file + "'");
        break;
      }
      buf.clear();
      bool ok = true;
      for (size_t i = begin; i < end; ++i) {
        const Op& op = ops[i];
        // Sorted operations point all over the arena: fetch the bytes of later ones early.
        if (i + kPrefetch < end) __builtin_prefetch(ops[i + kPrefetch].data);
        if (i + 1 < end && SameKey(ops[i + 1], op)) continue;  // a later op wins
        PutVarint64(&buf, op.key_len);
        buf.append(op.data, op.key_len);
        buf.push_back(op.del ? 1 : 0);
        PutVarint64(&buf, op.val_len);
        buf.append(op.data + op.key_len, op.val_len);
        if (buf.size() >= (1u << 20)) {
          ok = ok && std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
          buf.clear();
        }
      }
      ok = ok && std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
      ok = std::fclose(f) == 0 && ok;
      if (!ok) status = Status::IOError("bulk load: cannot write '" + file + "'");
    }
    ops.clear();  // keeps the capacity and the arena's blocks for the next run
    spilling_.arena.Reset();
    return status;
  }

  // Key bytes from..from+7, big-endian, zero-padded. Ordering by the bytes after the graph id
  // (which every key here starts with) first settles most comparisons without a memcmp: all
  // of an edge key's distinguishing bytes (4..25) are in the three hints.
  static uint64_t Hint(std::string_view key, size_t from) {
    if (key.size() >= from + 8) {  // one unaligned load
      uint64_t h;
      std::memcpy(&h, key.data() + from, 8);
      if constexpr (std::endian::native == std::endian::little) h = __builtin_bswap64(h);
      return h;
    }
    uint64_t h = 0;
    for (size_t i = from; i < from + 8; ++i) {
      h = h << 8 | (i < key.size() ? static_cast<uint8_t>(key[i]) : 0);
    }
    return h;
  }

  // Sequential reads of a run file's operations, as views into a buffer (no copy per
  // operation). Owns the file.
  class Reader {
   public:
    explicit Reader(std::FILE* f) : f_(f) {}
    ~Reader() { std::fclose(f_); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // The next operation; its views stay valid until the next call. False at the end of the
    // file or on an error (then status() says which).
    bool Next(std::string_view* key, char** value, size_t* value_len, bool* del) {
      for (;;) {
        size_t at = pos_;
        uint64_t klen = 0, vlen = 0;
        if (Varint(&at, &klen) && klen < len_ - at) {
          const size_t key_at = at;
          at += klen;
          const uint8_t d = static_cast<uint8_t>(buf_[at++]);
          if (Varint(&at, &vlen) && vlen <= len_ - at) {
            *key = std::string_view(buf_.get() + key_at, klen);
            *del = d != 0;
            *value = buf_.get() + at;
            *value_len = vlen;
            pos_ = at + vlen;
            return true;
          }
        }
        // The operation is not wholly buffered: keep its start, read more behind it.
        if (!Fill()) {
          if (pos_ != len_) status_ = Status::IOError("bulk load: truncated run file");
          return false;
        }
      }
    }
    const Status& status() const { return status_; }

   private:
    bool Varint(size_t* at, uint64_t* v) const {
      *v = 0;
      for (int shift = 0; shift < 64 && *at < len_; shift += 7) {
        const uint8_t b = static_cast<uint8_t>(buf_[(*at)++]);
        *v |= uint64_t{b & 0x7fu} << shift;
        if ((b & 0x80) == 0) return true;
      }
      return false;
    }
    // Moves the unread bytes to the front and appends what the file has next (growing the
    // buffer when one operation fills it). False when nothing more could be read.
    bool Fill() {
      if (pos_ > 0) {
        std::memmove(buf_.get(), buf_.get() + pos_, len_ - pos_);
        len_ -= pos_;
        pos_ = 0;
      }
      if (len_ == cap_) {
        std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(cap_ * 2);
        std::memcpy(bigger.get(), buf_.get(), len_);
        buf_ = std::move(bigger);
        cap_ *= 2;
      }
      const size_t n = std::fread(buf_.get() + len_, 1, cap_ - len_, f_);
      len_ += n;
      return n > 0;
    }
    std::FILE* f_;
    // Not zeroed: a merge opens a reader per run file and column family.
    size_t cap_ = 256u << 10;
    std::unique_ptr<char[]> buf_ = std::make_unique_for_overwrite<char[]>(cap_);
    size_t pos_ = 0, len_ = 0;
    Status status_;
  };

  std::string dir_;
  Buffer mem_;
  Buffer spilling_;  // written by spiller_; empty when it is not running
  std::thread spiller_;
  Status spill_status_;  // of the last spill; set by spiller_, read after joining it
  std::array<std::vector<std::string>, kNumCfs> runs_;
  std::array<size_t, kNumCfs + 1> cf_begin_{};  // after PrepareMerge: mem_.ops range per cf
  std::array<bool, kNumCfs> sorted_{};          // after PrepareMerge: that range is sorted
  bool prepared_ = false;
  size_t bytes_ = 0;
};

// A fresh load's name_trigrams entries (one per distinct 3-byte window of each node's name:
// the most numerous entries of a load), kept compactly instead of as RunBuffer operations: per
// trigram, a list of 8-byte entries (node key, label-list id, delete flag) in the order they were
// made. Key order in name_trigrams is trigram, then node key, so ForEach() only sorts each list
// (stably, when a node key came out of order: the last operation on a node wins) and walks the
// trigrams in order. Nothing spills: 8 bytes per entry stay in memory until the load is
// materialized. Thread-safety: none.
class TrigramPostings {
 public:
  // Records a put (labels = the node's encoded label list) or a delete of node k's entry for t.
  // InvalidArgument if k or the number of distinct label lists is beyond what an entry holds
  // (2^40 node keys, 2^23 label lists).
  Status Add(TrigramId t, NodeKey k, std::string_view labels, bool del) {
    if (k >= (uint64_t{1} << kKeyBits)) {
      return Status::InvalidArgument("bulk load: node key " + std::to_string(k) +
                                     " is beyond a fresh load's trigram index");
    }
    uint64_t label_id = 0;
    if (!del) {
      const std::optional<uint32_t> list = labels_.Intern(labels);
      if (!list) return Status::InvalidArgument("bulk load: too many distinct label lists");
      label_id = *list;
    }
    List(t).push_back(k << (64 - kKeyBits) | label_id << 1 | uint64_t{del});
    ++entries_;
    return Status::OK();
  }
  // Bytes the entries take in name_trigrams' posting blocks (kind, offset, label list), about.
  size_t bytes() const { return entries_ * 6; }

  // Calls fn(t, node key, labels) for every entry that is put at the end, in key order; stops at
  // and returns fn's first error. Sorts the lists in place (call once).
  template <typename Fn>
  Status ForEach(Fn fn) {
    std::vector<uint32_t> order(lists_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return trigram_of_[a] < trigram_of_[b]; });
    auto key_of = [](uint64_t e) { return e >> (64 - kKeyBits); };
    for (uint32_t i : order) {
      std::vector<uint64_t>& list = lists_[i];
      if (!std::is_sorted(list.begin(), list.end(),
                          [&](uint64_t a, uint64_t b) { return key_of(a) < key_of(b); })) {
        std::stable_sort(list.begin(), list.end(),
                         [&](uint64_t a, uint64_t b) { return key_of(a) < key_of(b); });
      }
      for (size_t j = 0; j < list.size(); ++j) {
        const uint64_t e = list[j];
        if (j + 1 < list.size() && key_of(list[j + 1]) == key_of(e)) continue;  // a later op wins
        if (e & 1) continue;                                                    // deleted
        KG_RETURN_IF_ERROR(
            fn(trigram_of_[i], key_of(e), labels_[static_cast<uint32_t>((e >> 1) & kLabelMask)]));
      }
      std::vector<uint64_t>().swap(list);
    }
    return Status::OK();
  }

 private:
  static constexpr int kKeyBits = 40, kLabelBits = 23;
  static constexpr uint64_t kLabelMask = (uint64_t{1} << kLabelBits) - 1;

  // The list of trigram t: open addressing over slots_ (list index + 1; 0 = empty).
  std::vector<uint64_t>& List(TrigramId t) {
    if (2 * (lists_.size() + 1) > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = (t * 0x9E3779B1u) & mask;; i = (i + 1) & mask) {
      const uint32_t s = slots_[i];
      if (s == 0) {
        slots_[i] = static_cast<uint32_t>(lists_.size() + 1);
        trigram_of_.push_back(t);
        return lists_.emplace_back();
      }
      if (trigram_of_[s - 1] == t) return lists_[s - 1];
    }
  }
  void Grow() {
    std::vector<uint32_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    const size_t mask = slots_.size() - 1;
    for (uint32_t s : old) {
      if (s == 0) continue;
      size_t i = (trigram_of_[s - 1] * 0x9E3779B1u) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<uint32_t> slots_;
  std::vector<TrigramId> trigram_of_;         // per list
  std::vector<std::vector<uint64_t>> lists_;  // per trigram (in first-seen order)
  LabelListIds labels_{size_t{1} << kLabelBits};
  size_t entries_ = 0;
};

// A fresh load's second thread while batches are added: makes the label and property index
// entries of the nodes written (IndexEntries; these families outnumber the rest, with one
// trigram entry per distinct 3-byte window of each name) into a RunBuffer of its own (the
// IndexCf families), in the order the batches committed, while the adding thread goes on with
// the next batch. Only committed batches' work is pushed, so nothing here is ever rolled back.
class IndexWorker {
 public:
  IndexWorker(std::string dir, GraphId g) : runs_(std::move(dir)), g_(g) {}
  ~IndexWorker() { Stop(); }
  IndexWorker(const IndexWorker&) = delete;
  IndexWorker& operator=(const IndexWorker&) = delete;

  // Queues the index entries of one committed batch's nodes. Batches are handed over a few
  // thousand nodes at a time (one wake-up of the thread each, not one per batch); waits while
  // too many are queued.
  // REQUIRES: calls from one thread, which also calls Finish().
  void Push(std::vector<IndexTask>&& tasks) {
    if (pending_.empty()) {
      pending_ = std::move(tasks);
    } else {
      std::move(tasks.begin(), tasks.end(), std::back_inserter(pending_));
    }
    if (pending_.size() >= kHandOver) HandOver();
  }
  // Waits until every queued entry is in runs() and stops the thread; returns the first error
  // (a failed spill). runs() is then the caller's.
  Status Finish() {
    HandOver();
    Stop();
    return status_;
  }
  RunBuffer& runs() { return runs_; }
  TrigramPostings& trigrams() { return trigrams_; }

 private:
  // (Nodes only: a Django load's batches average 3.6 edges per node, which these limits counted
  // too before in_edges left this thread.)
  static constexpr size_t kMaxQueued = 1u << 15;  // nodes
  static constexpr size_t kHandOver = 1u << 10;   // nodes
  using Work = std::vector<IndexTask>;

  void HandOver() {
    const size_t n = pending_.size();
    if (n == 0) return;
    std::unique_lock<std::mutex> lock(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    room_.wait(lock, [&] { return queued_ < kMaxQueued; });
    queued_ += n;
    queue_.push_back(std::move(pending_));
    pending_ = Work{};
    work_.notify_one();
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
    stop_ = false;
  }
  void Run() {
    std::string key_buf;
    for (;;) {
      Work work;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopped, and everything is done
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      if (status_.ok()) {
        for (const IndexTask& t : work) {
          IndexEntries(
              g_, t.key, t.Fields(), t.put, &key_buf,
              [&](Cf c, std::string_view key, std::string_view value, bool del) {
                runs_.Add(c, key, value, del);
              },
              [](CountKind, uint32_t, int64_t) {},  // a fresh load counts at the end
              [&](TrigramId tri, std::string_view labels) {
                if (status_.ok()) status_ = trigrams_.Add(tri, t.key, labels, !t.put);
              });
        }
        if (runs_.bytes() > fresh_spill_bytes.load() / 2) status_ = runs_.Spill();
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        queued_ -= work.size();
      }
      room_.notify_one();
    }
  }

  RunBuffer runs_;
  TrigramPostings trigrams_;  // the name_trigrams entries, which never go to runs_
  GraphId g_;
  Status status_;  // written by the thread; read after it is joined
  std::mutex mu_;
  std::condition_variable work_, room_;
  Work pending_;            // what Push() gathered since the last hand-over; the caller's
  std::deque<Work> queue_;  // guarded by mu_
  size_t queued_ = 0;       // tasks in queue_; guarded by mu_
  bool stop_ = false;       // guarded by mu_
  std::thread thread_;
};

// The string ids of a fresh load and their NodeKeys: open addressing over 24-byte slots, the id
// bytes in an arena (no allocation and no string per id; the hash is computed once per lookup).
// Entries of a batch that failed are removed again (Erase leaves a tombstone: probes go on past
// it). Thread-safety: none.
class IdTable {
 public:
  // Eight bytes at a time, each word folded in with a 64x64->128-bit multiply (the high and
  // low halves xored): about a third of std::hash's time on the 20-40 byte ids a load hashes
  // once or twice per edge endpoint, and well mixed in the low bits the table indexes by.
  // In memory only (never stored), so it may change.
  static uint64_t Hash(std::string_view id) {
    auto fold = [](uint64_t a, uint64_t b) {
      const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
      return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
    };
    uint64_t h = 0x9E3779B97F4A7C15ull ^ id.size();
    const char* p = id.data();
    size_t n = id.size();
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      h = fold(h ^ w, 0xBF58476D1CE4E5B9ull);
    }
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = fold(h ^ w, 0x94D049BB133111EBull);
    return fold(h, 0x9E3779B97F4A7C15ull);
  }

  // The key of `id`, or 0 when absent.
  NodeKey Find(std::string_view id, uint64_t hash) const {
    if (slots_.empty()) return 0;
    const uint32_t tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == 0) return 0;
      if (s.key != kTomb && s.tag == tag && s.len == id.size() &&
          std::memcmp(s.data, id.data(), id.size()) == 0) {
        return s.key;
      }
    }
  }
  // Starts loading the memory Find(id, hash) reads first (the slot; with `deep`, also the id
  // bytes of the entry in it), so that lookups made after a batch of Prefetch calls overlap
  // their cache misses instead of waiting for each in turn.
  void Prefetch(uint64_t hash, bool deep) const {
    if (slots_.empty()) return;
    const Slot& s = slots_[hash & mask_];
    if (!deep) {
      __builtin_prefetch(&s);
    } else if (s.data != nullptr) {
      __builtin_prefetch(s.data);
    }
  }
  // Adds `id` -> key. REQUIRES: `id` absent, key not 0; hash == Hash(id).
  void Insert(std::string_view id, uint64_t hash, NodeKey key) {
    if ((used_ + 1) * 10 > slots_.size() * 7) Grow();
    const char* data = arena_.Append(id);
    ++used_;
    Place(Slot{data, static_cast<uint32_t>(id.size()), static_cast<uint32_t>(hash >> 32), key},
          hash);
  }
  // Removes `id` if present (its slot becomes a tombstone until the table grows).
  void Erase(std::string_view id, uint64_t hash) {
    const uint32_t tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == 0) return;
      if (s.key != kTomb && s.tag == tag && s.len == id.size() &&
          std::memcmp(s.data, id.data(), id.size()) == 0) {
        s.key = kTomb;
        return;
      }
    }
  }

 private:
  static constexpr NodeKey kTomb = std::numeric_limits<NodeKey>::max();
  struct Slot {
    const char* data;
    uint32_t len;
    uint32_t tag;  // high half of the hash
    NodeKey key;   // 0: empty; kTomb: erased
  };
  void Place(const Slot& slot, uint64_t hash) {
    size_t i = hash & mask_;
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
  void Grow() {
    LargeVector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{nullptr, 0, 0, 0});
    mask_ = slots_.size() - 1;
    used_ = 0;
    for (const Slot& s : old) {
      if (s.key == 0 || s.key == kTomb) continue;
      Place(s, Hash(std::string_view(s.data, s.len)));
      ++used_;
    }
  }

  LargeVector<Slot> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;  // slots holding an entry or a tombstone
  BlockArena arena_;
};

// What a fresh load knows about the graph it is loading: everything in it, since the graph was
// empty when the load began and nothing else writes meanwhile. FactWriter answers its reads from
// here instead of RocksDB, and its writes go to `runs`.
struct FreshGraph {
  FreshGraph(const std::string& run_dir, GraphId g) : runs(run_dir), indexer(run_dir + "-idx", g) {}

  static constexpr uint32_t kAbsent = std::numeric_limits<uint32_t>::max();
  static constexpr uint32_t kNotKept = kAbsent - 1;

  NodeKey next_key = 1;
  IdTable ids;
  // The stored record of each node (index = NodeKey): bytes in `arena`; kNotKept for a node a
  // file owns (only what no file owns -- Directory, External and other shared nodes -- is
  // upserted again by later batches of a load, which need the record to merge into; the rest
  // would be a second copy of every record, the RunBuffer holding the first); or kAbsent.
  BlockArena arena;
  LargeVector<const char*> rec_data;
  LargeVector<uint32_t> rec_len;
  std::unordered_set<std::string> paths;  // files loaded so far
  // Every stored edge, listed per source (for the seq of the next parallel edge).
  struct OutEdge {
    NodeKey dst;
    uint32_t next;  // index + 1 of the source's previous edge; 0 ends the list
    EdgeTypeId type;
  };
  LargeVector<OutEdge> edges;
  LargeVector<uint32_t> last_edge;  // per NodeKey: index + 1 of its latest out-edge, or 0
  RunBuffer runs;       // every operation but the index thread's (IndexCf) and in_edges (derived)
  IndexWorker indexer;  // index entries (last: its thread stops before the rest goes)

  bool Exists(NodeKey k) const { return k < rec_len.size() && rec_len[k] != kAbsent; }
  bool HasRecord(NodeKey k) const { return Exists(k) && rec_len[k] != kNotKept; }
  // REQUIRES: HasRecord(k).
  std::string_view Record(NodeKey k) const { return std::string_view(rec_data[k], rec_len[k]); }
  void SetRecord(NodeKey k, std::string_view rec) {
    Grow(k);
    rec_data[k] = arena.Append(rec);
    rec_len[k] = static_cast<uint32_t>(rec.size());
  }
  // Node k exists, its record not kept here (a file owns it).
  void SetOwned(NodeKey k) {
    Grow(k);
    rec_data[k] = nullptr;
    rec_len[k] = kNotKept;
  }
  void Grow(NodeKey k) {
    if (k >= rec_len.size()) {
      rec_len.resize(k + 1 + k / 4, kAbsent);
      rec_data.resize(rec_len.size(), nullptr);
    }
  }
  // Stored edges of (src, type, dst); the next seq of the triple (seqs are dense: a fresh load
  // never deletes an edge).
  uint64_t CountTriple(NodeKey src, EdgeTypeId type, NodeKey dst) const {
    uint64_t n = 0;
    for (uint32_t i = src < last_edge.size() ? last_edge[src] : 0; i != 0; i = edges[i - 1].next) {
      n += edges[i - 1].dst == dst && edges[i - 1].type == type;
    }
    return n;
  }
  void AddEdge(NodeKey src, EdgeTypeId type, NodeKey dst) {
    if (src >= last_edge.size()) last_edge.resize(src + 1 + src / 4, 0);
    edges.push_back(OutEdge{dst, last_edge[src], type});
    last_edge[src] = static_cast<uint32_t>(edges.size());
  }
};

// The writes of one batch, buffered per column family and handed to RocksDB sorted by key, with
// only the last operation per key kept (the semantics of applying them in order). Sorted inserts
// are much cheaper for RocksDB's skiplist memtable than the interleaved order facts come in.
// Keys and values live in one arena per column family: no allocation per operation.
// With a sink (a fresh load), every operation goes straight to it instead, in the order made.
class SortedOps {
 public:
  void set_sink(RunBuffer* sink) { sink_ = sink; }
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
      if (static_cast<Cf>(c) == Cf::kNameTrigrams) {  // item lists: all merged, in order
        std::string operand;
        for (size_t i = 0; i < p.ops.size(); ++i) {
          const Op& op = p.ops[i];
          operand.append(p.arena.data() + op.val_off, op.val_len);
          if (i + 1 < p.ops.size() && key(p.ops[i + 1]) == key(op)) continue;
          wb->Merge(cfs[c], rocksdb::Slice(p.arena.data() + op.key_off, op.key_len), operand);
          operand.clear();
        }
        continue;
      }
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
    if (sink_ != nullptr) {
      // A fresh load derives in_edges from its final out_edges when it is materialized.
      if (cf != Cf::kInEdges) sink_->Add(cf, key, value, del);
      return;
    }
    PerCf& p = per_cf_[static_cast<size_t>(cf)];
    Op op{p.arena.size(), key.size(), p.arena.size() + key.size(), value.size(), order_++, del};
    p.arena.append(key);
    p.arena.append(value);
    p.ops.push_back(op);
  }

  std::array<PerCf, kNumCfs> per_cf_;
  uint32_t order_ = 0;
  RunBuffer* sink_ = nullptr;
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
  // Makes the writer read and write `fresh` (a fresh bulk load) instead of RocksDB: Build() then
  // leaves wb() without graph data and CommitFresh() applies the batch to `fresh`.
  // REQUIRES: on failure after this call, the caller rolls fresh->runs back (see
  // RunBuffer::Mark): the writes go straight there.
  void set_fresh(FreshGraph* fresh) {
    fresh_ = fresh;
    ops_.set_sink(&fresh->runs);
  }
  void CommitFresh();
  // After Build() failed: whether it failed only because the batch upserts a node that a file
  // of this fresh load owns, whose record the load does not keep in memory (FreshGraph). The
  // caller then materializes the load and builds the batch again against RocksDB. (No ingest
  // does this: a file's batch upserts only nodes no file owns.)
  bool needs_stored_records() const { return needs_stored_records_; }
  // Undoes what a failed batch put into the fresh load's id table (the caller rolls back runs).
  void AbortFresh() {
    for (const auto& [id, hash] : fresh_new_ids_) fresh_->ids.Erase(id, hash);
    fresh_new_ids_.clear();
  }
  PendingNames* pending() { return &pending_; }
  // Records in the graph's write state what the batch wrote, once wb() is durable; or, when the
  // write failed (ok false), forgets the cached counts.
  void Finished(bool ok) {
    if (!ok) {
      state_->counts.clear();
      return;
    }
    for (const auto& [slot, value] : new_counts_) state_->counts[slot] = value;
  }

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
  // Puts (or deletes) the label and property index entries of node k (see IndexEntries); a
  // fresh load queues them for its index thread instead.
  void NodeIndexEntries(NodeKey k, const std::vector<LabelId>& labels, const Properties& props,
                        bool put);
  void WriteNode(NodeKey k, std::string_view id, std::string_view owner,
                 const std::vector<LabelId>& labels, const Properties& props);
  Status WriteMergedNodes();
  Result<uint64_t> NextSeq(NodeKey src, EdgeTypeId type, NodeKey dst);
  Status WriteEdges();
  Status AdjustExternalEdges();
  Status WriteCountsAndFile();
  void AddCount(CountKind kind, uint32_t id, int64_t delta) {
    // A fresh load counts everything once, when it is materialized.
    if (delta != 0 && fresh_ == nullptr) count_deltas_[{static_cast<uint8_t>(kind), id}] += delta;
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
  std::vector<std::pair<uint64_t, uint64_t>> new_counts_;  // slot -> value after the batch
  std::string key_buf_, val_buf_;
  rocksdb::PinnableSlice pin_;

  FreshGraph* fresh_ = nullptr;
  // Records this batch wrote that the fresh load keeps (no file owns the node): (key, end offset
  // in fresh_record_bytes_), in order; and the nodes written that a file owns.
  std::vector<std::pair<NodeKey, size_t>> fresh_records_;
  std::string fresh_record_bytes_;
  std::vector<NodeKey> fresh_owned_;
  // Set when the batch needs the record of a node the fresh load did not keep (see LoadNode).
  bool needs_stored_records_ = false;
  std::vector<Triple> fresh_edges_;  // edges this batch wrote
  // Ids this batch added to fresh_->ids (with their hashes), for AbortFresh().
  std::vector<std::pair<std::string_view, uint64_t>> fresh_new_ids_;
  std::vector<NodeKey> edge_keys_;      // fresh load: source and target key of each batch edge
  std::vector<IndexTask> index_tasks_;  // fresh load: for the index thread, at CommitFresh()
  std::vector<uint64_t> id_hashes_;     // fresh load: IdTable::Hash of each id ResolveKeys looks up
  // Allocates the key of an id new to the fresh load, puts its ids entry.
  NodeKey FreshKey(std::string_view id, uint64_t hash) {
    const NodeKey key = next_key_++;
    fresh_->ids.Insert(id, hash, key);
    fresh_new_ids_.emplace_back(id, hash);
    key_buf_.clear();
    EncodeIdKey(&key_buf_, g_, id);
    ops_.Put(Cf::kIds, key_buf_, U64Value(key));
    return key;
  }
};

class RocksGraphStore final : public GraphStore {
 public:
  static Result<std::unique_ptr<GraphStore>> OpenImpl(const std::string& dir,
                                                      const Options& options);

  ~RocksGraphStore() override {
    adj_.reset();  // joins the builder thread
    for (auto* h : cfs_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }

  Status CreateGraph(std::string_view name) override {
    if (!ValidGraphName(name)) return InvalidGraphName(name);
    std::lock_guard<std::mutex> lock(write_mu_);
    GraphWriteFence fence = Fence(name);
    return CreateGraphLocked(name);
  }

  Status EnsureGraph(std::string_view name) override {
    if (!ValidGraphName(name)) return InvalidGraphName(name);
    std::lock_guard<std::mutex> lock(write_mu_);
    GraphWriteFence fence = Fence(name);
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

  Result<FsckReport> Fsck(std::string_view graph) override;
  MemoryUsage GetMemoryUsage() override;

  Status PutJob(std::string_view id, std::string_view record) override;
  Result<std::optional<std::string>> GetJob(std::string_view id) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListJobs() override;
  Status DeleteJob(std::string_view id) override;

  // ---- for FactWriter (REQUIRES: write_mu_ held) ----
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs_[static_cast<size_t>(c)]; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs() const { return cfs_; }
  // The id of a label / type name for a write: built-in, known, pending, or newly allocated into
  // `pending` (written by the caller's batch, published after it is durable).
  Result<uint16_t> ResolveForWrite(bool labels, std::string_view name, PendingNames* pending);

  // ---- for test_hooks.h ----
  Result<uint64_t> CountGraphKeys(GraphId g);
  DbFileSystem::IngestSyncStats ingest_sync_stats() const { return fs_->ingest_sync_stats(); }
  AdjacencyIndexer* adjacency() const { return adj_.get(); }
  // Marks graph `name` as being written until the fence is destroyed (see AdjacencySlot).
  GraphWriteFence Fence(std::string_view name) {
    GraphWriteFence fence(adj_->Slot(name, true));
    // Shared read contexts pin RocksDB snapshots: not across writes. After the fence, so that
    // none of the graph's old version is stored again (GetSnapshot re-checks the version).
    adj_->DropReadContexts();
    return fence;
  }

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

  std::unique_ptr<rocksdb::Env> env_;              // db_'s (DbFileSystem); outlives it
  std::shared_ptr<DbFileSystem> fs_;               // env_'s file system
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
  std::unique_ptr<AdjacencyIndexer> adj_;                     // set at open; never null
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
  if (fresh_ != nullptr) {
    // Straight against the load's id table: a new id goes into it at once (AbortFresh() takes
    // it out again if the batch fails), so a later mention in this batch finds it there.
    // Three passes over the batch's ids (hash them and prefetch their slots; prefetch the id
    // bytes those slots point to; look them up), so that the table's cache misses overlap.
    const size_t n_nodes = merged_.size(), n = n_nodes + 2 * batch_.edges.size();
    auto id_at = [&](size_t i) -> std::string_view {
      if (i < n_nodes) return merged_[i].id;
      const EdgeFact& e = batch_.edges[(i - n_nodes) / 2];
      return (i - n_nodes) % 2 == 0 ? e.src_id : e.dst_id;
    };
    id_hashes_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      id_hashes_[i] = IdTable::Hash(id_at(i));
      fresh_->ids.Prefetch(id_hashes_[i], /*deep=*/false);
    }
    for (size_t i = 0; i < n; ++i) fresh_->ids.Prefetch(id_hashes_[i], /*deep=*/true);
    auto key_of = [&](size_t i) {
      const std::string_view id = id_at(i);
      const NodeKey key = fresh_->ids.Find(id, id_hashes_[i]);
      return key != 0 ? key : FreshKey(id, id_hashes_[i]);
    };
    for (size_t i = 0; i < n_nodes; ++i) merged_[i].key = key_of(i);
    edge_keys_.resize(2 * batch_.edges.size());
    for (size_t i = n_nodes; i < n; ++i) edge_keys_[i - n_nodes] = key_of(i);
    return Status::OK();
  }
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
  // (Never called by a fresh load: it reads existence and records from memory directly.)
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
  if (fresh_ != nullptr) {
    const uint64_t hash = IdTable::Hash(id);
    const NodeKey key = fresh_->ids.Find(id, hash);
    return key != 0 ? key : FreshKey(id, hash);
  }
  auto it = keys_.find(id);
  if (it != keys_.end()) return it->second;
  key_buf_.clear();
  EncodeIdKey(&key_buf_, g_, id);
  bool found = false;
  NodeKey key = 0;
  KG_RETURN_IF_ERROR(Get(Cf::kIds, key_buf_, &pin_, &found));
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
  if (fresh_ != nullptr) {
    found = fresh_->Exists(k);
  } else {
    KG_RETURN_IF_ERROR(Get(Cf::kNodes, key_buf_, &pin_, &found));
  }
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
  std::string_view record;
  if (fresh_ != nullptr) {
    found = fresh_->Exists(k);
    if (found && !fresh_->HasRecord(k)) {
      needs_stored_records_ = true;
      return Status::Internal("bulk load: the record of node " + std::to_string(k) +
                              " is not kept in memory");
    }
    if (found) record = fresh_->Record(k);
  } else {
    KG_RETURN_IF_ERROR(Get(Cf::kNodes, key_buf_, &pin_, &found));
    record = ToView(pin_);
  }
  exists_before_[k] = found;
  if (!found) return std::optional<StoredNode>();
  StoredNode node;
  KG_RETURN_IF_ERROR(DecodeStoredNode(record, &node).WithContext("node " + std::to_string(k)));
  return std::optional<StoredNode>(std::move(node));
}

// Deletes a node record and its index entries, and un-counts it.
void FactWriter::RemoveNodeEntries(NodeKey k, const StoredNode& old) {
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  ops_.Delete(Cf::kNodes, key_buf_);
  NodeIndexEntries(k, old.labels, old.props, /*put=*/false);
  AddCount(CountKind::kNodes, 0, -1);
}

void FactWriter::NodeIndexEntries(NodeKey k, const std::vector<LabelId>& labels,
                                  const Properties& props, bool put) {
  const IndexedFields fields = IndexedFields::Of(labels, props);
  if (fresh_ != nullptr) {  // made by the load's index thread (see IndexWorker)
    index_tasks_.push_back(IndexTask::Of(k, put, fields));
    return;
  }
  IndexEntries(
      g_, k, fields, put, &key_buf_,
      [&](Cf c, std::string_view key, std::string_view value, bool del) {
        if (del) {
          ops_.Delete(c, key);
        } else {
          ops_.Put(c, key, value);
        }
      },
      [&](CountKind kind, uint32_t id, int64_t delta) { AddCount(kind, id, delta); });
}

// Puts a node record and its index entries, and counts it.
void FactWriter::WriteNode(NodeKey k, std::string_view id, std::string_view owner,
                           const std::vector<LabelId>& labels, const Properties& props) {
  key_buf_.clear();
  EncodeNodeRecordKey(&key_buf_, g_, k);
  val_buf_.clear();
  EncodeStoredNode(id, owner, labels, props, &val_buf_);
  ops_.Put(Cf::kNodes, key_buf_, val_buf_);
  if (fresh_ != nullptr && !owner.empty()) {
    fresh_owned_.push_back(k);
  } else if (fresh_ != nullptr) {
    fresh_record_bytes_.append(val_buf_);
    fresh_records_.emplace_back(k, fresh_record_bytes_.size());
  }
  NodeIndexEntries(k, labels, props, /*put=*/true);
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
    // The node's old entries go first (a fresh load removes them below, only if they change).
    if (base && fresh_ == nullptr) RemoveNodeEntries(m.key, *base);
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
      // (A fresh load still needs the old properties to compare, or to remove their entries.)
      merged_props = fresh_ != nullptr ? base->props : std::move(base->props);
      for (const NodeFact* f : m.facts) {
        for (const auto& [k, v] : f->props) merged_props.insert_or_assign(k, v);
      }
      props = &merged_props;
    }
    std::string_view owner = claims ? path_ : (base ? std::string_view(base->owner) : "");
    if (base && fresh_ != nullptr && labels == base->labels &&
        SameIndexedProps(base->props, *props)) {
      // A fresh load re-upserting a node (a shared Directory or External node, mentioned by
      // many files) whose labels and indexed properties are unchanged: every index entry it had
      // is still buffered, unchanged, and nothing deletes it (a fresh load replaces no file), so
      // only the record is rewritten, when it changed (later operations on a key win).
      val_buf_.clear();
      EncodeStoredNode(m.id, owner, labels, *props, &val_buf_);
      if (val_buf_ != fresh_->Record(m.key)) {
        key_buf_.clear();
        EncodeNodeRecordKey(&key_buf_, g_, m.key);
        ops_.Put(Cf::kNodes, key_buf_, val_buf_);
        fresh_record_bytes_.append(val_buf_);
        fresh_records_.emplace_back(m.key, fresh_record_bytes_.size());
      }
    } else {
      if (base && fresh_ != nullptr) RemoveNodeEntries(m.key, *base);
      WriteNode(m.key, m.id, owner, labels, *props);
    }
    if (claims) new_manifest_.nodes.push_back(m.key);
  }
  return Status::OK();
}

// The seq for the next edge (src, type, dst) of this batch: its ordinal among the batch's edges
// of that triple, offset past any edge of the triple that other batches stored (see FORMAT.md).
Result<uint64_t> FactWriter::NextSeq(NodeKey src, EdgeTypeId type, NodeKey dst) {
  auto [it, inserted] = next_seq_.try_emplace(Triple{src, type, dst}, 0);
  // No stored edge can have an end allocated by this batch, or a source that never had edges.
  if (inserted && src < first_fresh_ && dst < first_fresh_ && state_->MayHaveOutEdges(src) &&
      fresh_ != nullptr) {
    it->second = fresh_->CountTriple(src, type, dst);  // no old edges: a fresh load replaces none
  } else if (inserted && src < first_fresh_ && dst < first_fresh_ && state_->MayHaveOutEdges(src)) {
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
    if (fresh_ != nullptr) {
      e.src = edge_keys_[2 * i];
      e.dst = edge_keys_[2 * i + 1];
    } else {
      KG_ASSIGN_OR_RETURN(e.src, KeyFor(f.src_id));
      KG_ASSIGN_OR_RETURN(e.dst, KeyFor(f.dst_id));
    }
    KG_ASSIGN_OR_RETURN(uint64_t seq, NextSeq(e.src, e.type, e.dst));
    e.seq = static_cast<uint32_t>(seq);
    // A fresh load sets every dangling flag (and the counts) when it is materialized.
    bool visible = true;
    if (fresh_ == nullptr) {
      KG_ASSIGN_OR_RETURN(bool src_after, ExistsAfter(e.src));
      KG_ASSIGN_OR_RETURN(bool dst_after, ExistsAfter(e.dst));
      visible = src_after && dst_after;
      if (visible) AddEdgeCount(e.type, 1);
    }
    val_buf_.clear();
    val_buf_.push_back(static_cast<char>(visible ? 0 : kEdgeDangling));
    EncodeProperties(f.props, &val_buf_);
    key_buf_.clear();
    EncodeOutEdgeKey(&key_buf_, g_, e);
    ops_.Put(Cf::kOutEdges, key_buf_, val_buf_);
    if (fresh_ == nullptr) {  // a fresh load derives in_edges when it is materialized
      key_buf_.clear();
      EncodeInEdgeKey(&key_buf_, g_, e);
      ops_.Put(Cf::kInEdges, key_buf_, val_buf_);
    }
    if (!path_.empty()) new_manifest_.edges.push_back(e);
    if (fresh_ != nullptr) fresh_edges_.push_back(Triple{e.src, e.type, e.dst});
  }
  // Conservatively (even if this batch fails later): these keys may now have out-edges.
  for (const auto& [t, next] : next_seq_) state_->MarkOutEdges(t.src);
  return Status::OK();
}

// Edges stored by other batches become visible or dangling when this batch creates or deletes one
// of their endpoints. Exactly those edges (incident to a node whose existence changes) are found
// here; their dangling flags are rewritten and the edge counts adjusted.
Status FactWriter::AdjustExternalEdges() {
  // A fresh load sets every dangling flag (and the edge counts) once, when it is materialized.
  if (fresh_ != nullptr) return Status::OK();
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
  // A fresh load counts everything once, when it is materialized.
  if (fresh_ != nullptr) return Status::OK();
  for (const auto& [k, delta] : count_deltas_) {
    if (delta == 0) continue;
    key_buf_.clear();
    EncodeCountKey(&key_buf_, g_, static_cast<CountKind>(k.first), k.second);
    const uint64_t slot = GraphWriteState::CountSlot(k.first, k.second);
    uint64_t current = 0;
    auto cached = state_->counts.find(slot);
    if (cached != state_->counts.end()) {
      current = cached->second;
    } else {
      bool found = false;
      KG_RETURN_IF_ERROR(Get(Cf::kCounts, key_buf_, &pin_, &found));
      if (found) {
        std::string_view in = ToView(pin_);
        if (!GetFixed64(&in, &current) || !in.empty()) {
          return Status::Corruption("corrupt count value");
        }
      }
    }
    if (delta < 0 && current < static_cast<uint64_t>(-delta)) {
      return Status::Corruption("count (kind " + std::to_string(k.first) + ", id " +
                                std::to_string(k.second) + ") would become negative");
    }
    uint64_t next = current + static_cast<uint64_t>(delta);
    new_counts_.emplace_back(slot, next);
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

  // The file's previous facts (a fresh load never replaces a file: see RocksBulkWriter::Add).
  if (!path_.empty() && fresh_ == nullptr) {
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
  if (fresh_ != nullptr) {
    first_fresh_ = fresh_->next_key;
  } else {
    KG_RETURN_IF_ERROR(Get(Cf::kMeta, key_buf_, &pin_, &found));
  }
  if (found && (!DecodeU64Value(ToView(pin_), &first_fresh_) || first_fresh_ == 0)) {
    return Status::Corruption("corrupt node key counter");
  }
  next_key_ = first_fresh_;
  if (state_->session_first_key == 0) state_->session_first_key = first_fresh_;
  KG_RETURN_IF_ERROR(ResolveKeys());
  if (fresh_ == nullptr) {  // a fresh load answers existence and records from memory
    for (MergedNode& m : merged_) {
      KG_ASSIGN_OR_RETURN(m.key, KeyFor(m.id));
      merged_keys_.insert(m.key);
    }
    KG_RETURN_IF_ERROR(PrefetchNodes());
  }

  KG_RETURN_IF_ERROR(WriteMergedNodes());
  KG_RETURN_IF_ERROR(WriteEdges());
  KG_RETURN_IF_ERROR(AdjustExternalEdges());
  KG_RETURN_IF_ERROR(WriteCountsAndFile());
  if (fresh_ == nullptr) ops_.AppendTo(&wb_, store_->cfs(), side);
  return Status::OK();
}

void FactWriter::CommitFresh() {
  fresh_new_ids_.clear();  // they stay in fresh_->ids
  size_t begin = 0;
  for (const auto& [key, end] : fresh_records_) {
    fresh_->SetRecord(key, std::string_view(fresh_record_bytes_).substr(begin, end - begin));
    begin = end;
  }
  for (NodeKey key : fresh_owned_) fresh_->SetOwned(key);
  for (const Triple& t : fresh_edges_) fresh_->AddEdge(t.src, t.type, t.dst);
  if (!path_.empty()) fresh_->paths.emplace(path_);
  fresh_->next_key = next_key_;
  fresh_->indexer.Push(std::move(index_tasks_));
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
  GraphWriteFence fence = Fence(name);
  rocksdb::WriteBatch wb;
  std::string begin, end;
  EncodeGraphPrefix(&begin, g);
  EncodeGraphPrefix(&end, g + 1);
  for (size_t i = 0; i < kNumCfs; ++i) {
    if (!GraphScoped(static_cast<Cf>(i))) continue;
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
  GraphWriteFence fence = Fence(graph);
  FactWriter writer(this, &write_state_[g], g, batch.path, &batch);
  Status s = writer.Build();
  if (!s.ok()) {
    return batch.path.empty() ? s : s.WithContext("batch of '" + batch.path + "'");
  }
  PutPendingNames(writer.wb(), cf(Cf::kMeta), *writer.pending());
  Status written = Write(writer.wb(), "apply batch");
  writer.Finished(written.ok());
  KG_RETURN_IF_ERROR(written);
  Publish(*writer.pending());
  return Status::OK();
}

// ---- Bulk loads ----

class RocksBulkWriter final : public BulkWriter {
 public:
  // With `fresh`, the graph is empty and the load starts as a fresh load (see FORMAT.md).
  RocksBulkWriter(RocksGraphStore* store, std::unique_lock<std::mutex> lock, GraphWriteFence fence,
                  GraphId g, bool fresh)
      : store_(store), lock_(std::move(lock)), fence_(std::move(fence)), g_(g) {
    write_options_.disableWAL = true;  // Finish() flushes the memtables instead
    if (fresh) {
      fresh_ = std::make_unique<FreshGraph>(
          store_->db_->GetName() + "/" + kBulkTmpPrefix + std::to_string(g), g);
      fresh_->runs.RemoveFiles();  // a crashed load's leftovers
      fresh_->indexer.runs().RemoveFiles();
      store_->write_state_.erase(g_);
    }
  }
  ~RocksBulkWriter() override { Finish(); }

  Status Add(const FactBatch& batch) override {
    if (!lock_.owns_lock()) return Status::InvalidArgument("bulk writer already finished");
    if (fresh_ && !batch.path.empty() && fresh_->paths.count(batch.path) != 0) {
      // Replacing a file deletes facts, which only the general path handles: store what the
      // fresh load holds and continue as a load into a non-empty graph.
      KG_RETURN_IF_ERROR(Materialize());
    }
    bool needs_stored_records = false;
    Status s = AddOnce(batch, &needs_stored_records);
    if (needs_stored_records) {
      // The batch upserts a node a file of the fresh load owns, whose record the load does not
      // keep in memory: store the load, and build the batch again against what is stored.
      KG_RETURN_IF_ERROR(Materialize());
      s = AddOnce(batch, &needs_stored_records);
    }
    return s;
  }

  Status Finish() override {
    if (!lock_.owns_lock()) return finish_status_;
    if (fresh_) {
      finish_status_ = Materialize();
      fresh_.reset();
      fence_.reset();
      lock_.unlock();
      return finish_status_;
    }
    finish_status_ = side_.Ingest(store_->db_, store_->cfs_);
    rocksdb::FlushOptions flush;
    flush.wait = true;
    Status s = FromRocks(store_->db_->Flush(flush, store_->cfs_), "bulk load: flush");
    if (finish_status_.ok()) finish_status_ = s;
    // Compact the graph's key range now, while the caller expects to wait, rather than in the
    // background under the first queries: afterwards each column family of the graph is one
    // sorted run (no overlapping level-0 files to probe on every read).
    std::string begin, end;
    EncodeGraphPrefix(&begin, g_);
    EncodeGraphPrefix(&end, g_ + 1);
    rocksdb::Slice b(begin), e(end);
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kSkip;
    for (size_t i = 0; i < kNumCfs && finish_status_.ok(); ++i) {
      if (!GraphScoped(static_cast<Cf>(i))) continue;
      finish_status_ = FromRocks(store_->db_->CompactRange(compact, store_->cfs_[i], &b, &e),
                                 "bulk load: compact");
    }
    fence_.reset();
    lock_.unlock();
    return finish_status_;
  }

 private:
  // One attempt at Add(). Sets *needs_stored_records (and changes nothing) when a fresh load
  // must be materialized before this batch (FactWriter::needs_stored_records).
  Status AddOnce(const FactBatch& batch, bool* needs_stored_records) {
    *needs_stored_records = false;
    FactWriter writer(store_, &store_->write_state_[g_], g_, batch.path, &batch);
    std::optional<RunBuffer::Mark> mark;
    if (fresh_) {
      mark = fresh_->runs.GetMark();
      writer.set_fresh(fresh_.get());
    }
    Status s = writer.Build(fresh_ ? nullptr : &side_);
    if (!s.ok()) {
      if (mark) {
        fresh_->runs.Rollback(*mark);
        writer.AbortFresh();
        *needs_stored_records = writer.needs_stored_records();
      }
      return batch.path.empty() ? s : s.WithContext("batch of '" + batch.path + "'");
    }
    PutPendingNames(writer.wb(), store_->cf(Cf::kMeta), *writer.pending());
    Status written;
    if (!fresh_) {
      written =
          FromRocks(store_->db_->Write(write_options_, writer.wb()), "bulk load: write batch");
    } else if (writer.wb()->Count() > 0) {
      // Only new label and type names: synced now, as the graph that uses them is durable the
      // moment it is ingested.
      rocksdb::WriteOptions names;
      names.sync = true;
      written = FromRocks(store_->db_->Write(names, writer.wb()), "bulk load: write names");
    }
    writer.Finished(written.ok());
    if (!written.ok() && mark) {
      fresh_->runs.Rollback(*mark);
      writer.AbortFresh();
    }
    KG_RETURN_IF_ERROR(written);
    store_->Publish(*writer.pending());
    if (fresh_) {
      writer.CommitFresh();
      // Half the spill budget each: this buffer and the index thread's (IndexWorker).
      if (fresh_->runs.bytes() > fresh_spill_bytes.load() / 2) {
        KG_RETURN_IF_ERROR(fresh_->runs.Spill());
      }
    } else if (side_.bytes() > kSideBytes) {
      KG_RETURN_IF_ERROR(side_.Ingest(store_->db_, store_->cfs_));
    }
    return Status::OK();
  }

  static constexpr size_t kSideBytes = 128u << 20;  // buffered index bytes before an ingest

  // Ends the fresh load: merges each column family's runs into one SST file, with the dangling
  // flags and the counts computed from the final node set, and ingests all of them (and the
  // graph's counts and key counter) in one atomic IngestExternalFiles. Afterwards the writer
  // continues as a load into a non-empty graph.
  Status Materialize() {
    std::unique_ptr<FreshGraph> fresh = std::move(fresh_);
    store_->write_state_.erase(g_);
    FreshGraph& f = *fresh;
    RunBuffer& index_runs = f.indexer.runs();
    KG_RETURN_IF_ERROR(f.indexer.Finish());
    KG_RETURN_IF_ERROR(f.runs.PrepareMerge());
    KG_RETURN_IF_ERROR(index_runs.PrepareMerge());
    const std::string& dir = f.runs.dir();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("bulk load: create '" + dir + "': " + ec.message());
    using Counts = std::map<std::pair<uint8_t, uint32_t>, uint64_t>;
    // Writes column family c's final entries to an SST file; *arg is left without files when
    // there are none.
    // A small load (nothing spilled, little buffered) is stored with one synced WriteBatch
    // instead: as atomic, and without an SST file, fsync and ingestion per column family.
    TrigramPostings& trigrams = f.indexer.trigrams();
    const bool small =
        !f.runs.spilled() && !index_runs.spilled() &&
        f.runs.bytes() + index_runs.bytes() + trigrams.bytes() < kSmallFreshLoadBytes;
    rocksdb::WriteBatch small_batch;
    // A large load waits for the disk on a thread of its own while the merges below run: the
    // node-key counter's synced write first, then the sync of each SST file as it is finished.
    // (IngestExternalFiles syncs each file again as it links it in, which then finds nothing
    // left to write; on Django the syncs took ~60 ms after the merges: the counter ~30, the
    // files ~2 each.)
    std::set<std::pair<uint64_t, uint64_t>> synced;  // written by `disk`'s thread until Finish()
    std::optional<DiskWaits> disk;                   // (declared after: joined first)
    if (!small) disk.emplace();
    // The node-key counter. A small load puts it into its batch. A large one writes it (synced)
    // before the ingestion rather than as a `meta` SST file: CreateGraph's counter sits in the
    // memtable, and an ingested file overlapping a memtable makes RocksDB flush it and rewrite
    // the file's sequence number first (on Django, ~35 ms of waiting for the disk). A load
    // killed between the two leaves the graph empty with its counter advanced, which only makes
    // the next load into it take the general path.
    if (f.next_key != 1) {
      std::string key;
      EncodeMetaGraphCounterKey(&key, g_, GraphCounter::kNextNodeKey);
      if (small) {
        KG_RETURN_IF_ERROR(FromRocks(
            small_batch.Put(store_->cf(Cf::kMeta), ToSlice(key), ToSlice(U64Value(f.next_key))),
            "bulk load: batch"));
      } else {
        disk->Add([this, key, value = U64Value(f.next_key)]() -> Status {
          rocksdb::WriteBatch counter;
          KG_RETURN_IF_ERROR(
              FromRocks(counter.Put(store_->cf(Cf::kMeta), ToSlice(key), ToSlice(value)),
                        "bulk load: batch"));
          rocksdb::WriteOptions sync;
          sync.sync = true;
          return FromRocks(store_->db_->Write(sync, &counter), "bulk load: write node-key counter");
        });
      }
    }
    using Put = std::function<Status(std::string_view, std::string_view)>;
    auto sst = [&](Cf c, rocksdb::IngestExternalFileArg* arg,
                   const std::function<Status(const Put&, bool*)>& fill) {
      bool any = false;
      if (small) {
        return fill(
            [&](std::string_view key, std::string_view value) {
              return FromRocks(small_batch.Put(store_->cf(c), ToSlice(key), ToSlice(value)),
                               "bulk load: batch");
            },
            &any);
      }
      std::string file = dir + "/" + std::string(CfName(c)) + ".sst";
      rocksdb::Options options(store_->db_->GetDBOptions(), store_->db_->GetOptions(store_->cf(c)));
      options.env = UnsyncedEnv();
      // The file's pages stay in the OS page cache (the default drops them every MiB written,
      // a syscall each time): the first queries after the load read them back anyway.
      rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, store_->cf(c),
                                    /*invalidate_page_cache=*/false);
      KG_RETURN_IF_ERROR(FromRocks(writer.Open(file), "bulk load: create sst"));
      KG_RETURN_IF_ERROR(fill(
          [&](std::string_view key, std::string_view value) {
            return FromRocks(writer.Put(ToSlice(key), ToSlice(value)), "bulk load: write sst");
          },
          &any));
      if (!any) return Status::OK();  // nothing to ingest (the file is removed with the dir)
      KG_RETURN_IF_ERROR(FromRocks(writer.Finish(), "bulk load: finish sst"));
      disk->Add([file, &synced] { return SyncFileData(file, &synced); });
      arg->column_family = store_->cf(c);
      arg->external_files.push_back(file);
      arg->options.move_files = true;
      return Status::OK();
    };
    // in_edges mirror the final out_edges (key dst, type, src, seq; the same value): collected
    // while out_edges is merged, then sorted and written by the same thread. A value stays where
    // the merge found it (an operation's bytes, kept until the runs go) unless out_edges was
    // spilled: a run file's read buffer moves on, so it is copied.
    struct InEdge {
      EdgeId edge;
      const char* value;
      uint32_t len;
    };
    std::vector<InEdge> in_edges;
    in_edges.reserve(f.edges.size());  // every edge the load stored (it deletes none)
    BlockArena in_edge_values;
    const bool out_edges_spilled = f.runs.Spilled(Cf::kOutEdges);
    auto write_in_edges = [&](rocksdb::IngestExternalFileArg* arg) {
      std::sort(in_edges.begin(), in_edges.end(), [](const InEdge& x, const InEdge& y) {
        return std::tie(x.edge.dst, x.edge.type, x.edge.src, x.edge.seq) <
               std::tie(y.edge.dst, y.edge.type, y.edge.src, y.edge.seq);
      });
      return sst(Cf::kInEdges, arg, [&](const Put& put, bool* any) -> Status {
        std::string key;
        for (const InEdge& e : in_edges) {
          key.clear();
          EncodeInEdgeKey(&key, g_, e.edge);
          KG_RETURN_IF_ERROR(put(key, std::string_view(e.value, e.len)));
          *any = true;
        }
        return Status::OK();
      });
    };
    auto merge_cf = [&](Cf c, Counts* counts, rocksdb::IngestExternalFileArg* arg) {
      // Keys arrive sorted, so a label's or a trigram's entries are adjacent: counted in a run
      // (`run_id`, `run_n`) that goes to the map when the id changes. Edge types are small
      // dictionary ids, counted in a flat array.
      uint64_t total = 0;
      uint32_t run_id = 0;
      uint64_t run_n = 0;
      std::vector<uint64_t> per_type;
      CountKind kind = CountKind::kNodes;
      switch (c) {
        case Cf::kFiles:
          kind = CountKind::kFiles;
          break;
        case Cf::kLabelIndex:
          kind = CountKind::kLabel;
          break;
        case Cf::kNameTrigrams:
          kind = CountKind::kTrigram;
          break;
        case Cf::kOutEdges:
          kind = CountKind::kEdges;
          break;
        default:
          break;
      }
      auto flush_run = [&] {
        if (run_n != 0) (*counts)[{static_cast<uint8_t>(kind), run_id}] += run_n;
        run_n = 0;
      };
      auto count_id = [&](uint32_t id) {
        if (id != run_id) {
          flush_run();
          run_id = id;
        }
        ++run_n;
      };
      Status st = sst(c, arg, [&](const Put& put, bool* any) {
        if (c == Cf::kNameTrigrams) {  // one posting block per (trigram, bucket), in key order
          std::string key, block;
          TrigramId block_t = 0;
          NodeKey block_base = 0;
          auto put_block = [&]() -> Status {
            if (block.empty()) return Status::OK();
            key.clear();
            EncodeTrigramKey(&key, g_, block_t, block_base);
            Status s = put(key, block);
            block.clear();
            return s;
          };
          KG_RETURN_IF_ERROR(
              trigrams.ForEach([&](TrigramId t, NodeKey k, std::string_view labels) -> Status {
                count_id(t);
                *any = true;
                const NodeKey base = TrigramBucketOf(k);
                if (t != block_t || base != block_base) {
                  KG_RETURN_IF_ERROR(put_block());
                  block_t = t;
                  block_base = base;
                }
                AppendTrigramItem(&block, true, k - base, labels);
                return Status::OK();
              }));
          return put_block();
        }
        RunBuffer& runs = IndexCf(c) ? index_runs : f.runs;
        return runs.Merge(c, [&](std::string_view key, char* value, size_t value_len) -> Status {
          switch (c) {
            case Cf::kNodes:
            case Cf::kFiles:
              ++total;
              break;
            case Cf::kLabelIndex:
              if (key.size() < 6) return Status::Corruption("bulk load: short label key");
              count_id(uint32_t{static_cast<uint8_t>(key[4])} << 8 | static_cast<uint8_t>(key[5]));
              break;
            case Cf::kOutEdges: {
              GraphId g = 0;
              EdgeId e;
              if (!DecodeEdgeKey(key, &g, &e.src, &e.type, &e.dst, &e.seq) || value_len == 0) {
                return Status::Corruption("bulk load: malformed edge");
              }
              const bool visible = f.Exists(e.src) && f.Exists(e.dst);
              value[0] = static_cast<char>(visible ? 0 : kEdgeDangling);
              if (visible) {
                ++total;
                if (e.type >= per_type.size()) per_type.resize(size_t{e.type} + 1, 0);
                ++per_type[e.type];
              }
              const std::string_view v(value, value_len);
              in_edges.push_back(InEdge{e, out_edges_spilled ? in_edge_values.Append(v) : value,
                                        static_cast<uint32_t>(value_len)});
              break;
            }
            default:
              break;
          }
          *any = true;
          return put(key, std::string_view(value, value_len));
        });
      });
      flush_run();
      if (total != 0) (*counts)[{static_cast<uint8_t>(kind), 0}] += total;
      for (size_t type = 0; type < per_type.size(); ++type) {
        if (per_type[type] != 0) {
          (*counts)[{static_cast<uint8_t>(CountKind::kEdgeType), static_cast<uint32_t>(type)}] +=
              per_type[type];
        }
      }
      return st;
    };
    // The column families of the graph's data, merged by two threads, the longest merges first
    // so that the threads end together (on Django: out_edges then in_edges ~40 ms, trigram
    // blocks ~20, nodes ~15, file texts ~13, the name indexes 5-10 each).
    std::vector<Cf> todo = {
        Cf::kOutEdges,      Cf::kNameTrigrams, Cf::kNodes,     Cf::kFileTexts,
        Cf::kLabelNameCi,   Cf::kIds,          Cf::kLabelName, Cf::kQualifiedNameRev,
        Cf::kQualifiedName, Cf::kPathIndex,    Cf::kLineIndex, Cf::kLabelIndex,
        Cf::kFileFacts,     Cf::kFiles};
    std::vector<Counts> counts_of(todo.size());
    // One file per family of `todo`, then in_edges and counts.
    std::vector<rocksdb::IngestExternalFileArg> args(todo.size() + 2);
    std::vector<Status> status_of(todo.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < todo.size();) {
        status_of[i] = merge_cf(todo[i], &counts_of[i], &args[i]);
        if (todo[i] == Cf::kOutEdges && status_of[i].ok()) {
          status_of[i] = write_in_edges(&args[todo.size()]);
        }
      }
    };
    if (small) {
      work();  // one thread: the WriteBatch is not thread-safe
    } else {
      std::thread helper(work);
      work();
      helper.join();
    }
    for (const Status& st : status_of) KG_RETURN_IF_ERROR(st);
    Counts counts;
    for (const Counts& part : counts_of) {
      for (const auto& [k, n] : part) counts[k] += n;
    }
    KG_RETURN_IF_ERROR(
        sst(Cf::kCounts, &args[todo.size() + 1], [&](const Put& put, bool* any) -> Status {
          std::vector<std::pair<std::string, uint64_t>> sorted;
          for (const auto& [k, n] : counts) {
            std::string key;
            EncodeCountKey(&key, g_, static_cast<CountKind>(k.first), k.second);
            sorted.emplace_back(std::move(key), n);
          }
          std::sort(sorted.begin(), sorted.end());
          std::string value;
          for (const auto& [key, n] : sorted) {
            value.clear();
            PutFixed64(&value, n);
            KG_RETURN_IF_ERROR(put(key, value));
            *any = true;
          }
          return Status::OK();
        }));
    if (disk) KG_RETURN_IF_ERROR(disk->Finish());  // the counter and every file are on disk
    args.erase(std::remove_if(args.begin(), args.end(),
                              [](const auto& a) { return a.external_files.empty(); }),
               args.end());
    Status s;
    if (small) {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      s = FromRocks(store_->db_->Write(sync, &small_batch), "bulk load: write");
    } else if (!args.empty()) {
      // Every file is synced: the ingestion's syncs are batched (DbFileSystem::BeginIngest).
      store_->fs_->BeginIngest(std::move(synced));
      s = FromRocks(store_->db_->IngestExternalFiles(args), "bulk load: ingest");
      Status ended = store_->fs_->EndIngest();
      if (s.ok()) s = ended;
    }
    f.runs.RemoveFiles();
    index_runs.RemoveFiles();
    return s;
  }

  RocksGraphStore* store_;
  std::unique_lock<std::mutex> lock_;     // write_mu_ until Finish()
  std::optional<GraphWriteFence> fence_;  // until Finish()
  GraphId g_;
  rocksdb::WriteOptions write_options_;
  SideTables side_;
  std::unique_ptr<FreshGraph> fresh_;  // while the load is a fresh load
  Status finish_status_;
};

Result<std::unique_ptr<BulkWriter>> RocksGraphStore::NewBulkWriter(std::string_view graph) {
  std::unique_lock<std::mutex> lock(write_mu_);
  KG_ASSIGN_OR_RETURN(GraphId g, RequireGraph(graph));
  // Empty: no NodeKey was ever allocated (so no node, edge or id: the counter is absent or 1, as
  // CreateGraph writes it) and no file is stored.
  std::string key;
  EncodeMetaGraphCounterKey(&key, g, GraphCounter::kNextNodeKey);
  rocksdb::PinnableSlice v;
  rocksdb::Status st = db_->Get(rocksdb::ReadOptions(), cf(Cf::kMeta), ToSlice(key), &v);
  if (!st.ok() && !st.IsNotFound()) return FromRocks(st, "read meta");
  uint64_t next_key = 1;
  if (st.ok() && (!DecodeU64Value(ToView(v), &next_key) || next_key == 0)) {
    return Status::Corruption("corrupt node key counter");
  }
  bool fresh = next_key == 1;
  if (fresh) {
    ReadContext ctx(db_, cfs_);
    KG_ASSIGN_OR_RETURN(uint64_t files, ctx.GetCount(g, CountKind::kFiles, 0));
    fresh = files == 0;
  }
  return std::unique_ptr<BulkWriter>(
      std::make_unique<RocksBulkWriter>(this, std::move(lock), Fence(graph), g, fresh));
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
  GraphWriteFence fence = Fence(graph);
  FactWriter writer(this, &write_state_[g], g, path, nullptr);
  KG_RETURN_IF_ERROR(writer.Build());
  Status written = Write(writer.wb(), "delete file");
  writer.Finished(written.ok());
  return written;
}

Result<std::unique_ptr<Snapshot>> RocksGraphStore::GetSnapshot(std::string_view graph) {
  // The slot's version read before and after taking the RocksDB snapshot: equal and even means
  // no write of the graph was in progress or happened in between (see AdjacencySlot).
  std::shared_ptr<AdjacencySlot> slot = adj_->enabled() ? adj_->Slot(graph, false) : nullptr;
  const uint64_t v1 = slot ? slot->seq.load() : 1;
  if (slot && v1 % 2 == 0) {
    // The graph is as it was when the shared read context was made: read through it.
    const auto now = std::chrono::steady_clock::now();
    std::shared_ptr<const ReadContext> shared;
    GraphId g = 0;
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->context && slot->context_version == v1 && slot->graph_id_version == v1 &&
          now - slot->context_created < kShareReadContextFor) {
        shared = slot->context;
        g = slot->graph_id;
      }
    }
    if (shared) {
      return std::unique_ptr<Snapshot>(std::make_unique<SnapshotImpl>(
          std::move(shared), g, std::string(graph), adj_.get(), std::move(slot), v1));
    }
  }
  auto ctx = std::make_shared<const ReadContext>(db_, cfs_);
  const uint64_t v2 = slot ? slot->seq.load() : 1;
  std::optional<uint64_t> version;
  if (v1 == v2 && v1 % 2 == 0) version = v1;
  std::optional<GraphId> g;
  if (slot && version) {
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->graph_id_version == version) g = slot->graph_id;
  }
  if (!g) {
    KG_ASSIGN_OR_RETURN(g, LookupGraph(graph, ctx->Options().snapshot));
    if (!g) return Status::NotFound("graph '" + std::string(graph) + "' not found");
    if (slot && version) {
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->graph_id_version = version;
      slot->graph_id = *g;
    }
  }
  if (slot && version) {
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->seq.load() == *version) {  // else a write began: do not share this context
      slot->context = ctx;
      slot->context_version = *version;
      slot->context_created = std::chrono::steady_clock::now();
    }
  }
  if (!slot && adj_->enabled()) slot = adj_->Slot(graph, true);  // for the next snapshot
  return std::unique_ptr<Snapshot>(std::make_unique<SnapshotImpl>(
      ctx, *g, std::string(graph), adj_.get(), std::move(slot), version));
}

// ---- Fsck ----

// Checks one graph at one snapshot (see GraphStore::Fsck). Expected index entries are generated
// from the node records independently of FactWriter and merge-compared with a scan of each
// column family.
class GraphChecker {
 public:
  GraphChecker(const ReadContext& ctx, GraphId g, FsckReport* report)
      : ctx_(ctx), g_(g), report_(report) {
    EncodeGraphPrefix(&graph_prefix_, g);
  }

  Status Run() {
    KG_RETURN_IF_ERROR(LoadNodeCounter());
    KG_RETURN_IF_ERROR(ScanNodes());
    KG_RETURN_IF_ERROR(CheckIds());
    for (Cf c : {Cf::kLabelIndex, Cf::kLabelName, Cf::kLabelNameCi, Cf::kQualifiedName,
                 Cf::kQualifiedNameRev, Cf::kPathIndex, Cf::kLineIndex, Cf::kNameTrigrams}) {
      KG_RETURN_IF_ERROR(CheckIndex(c));
    }
    KG_RETURN_IF_ERROR(CheckEdges());
    KG_RETURN_IF_ERROR(CheckFiles());
    KG_RETURN_IF_ERROR(CheckCounts());
    if (dropped_ > 0) {
      report_->problems.push_back("... and " + std::to_string(dropped_) + " more problems");
    }
    return Status::OK();
  }

 private:
  struct Entry {
    std::string key, value;
    bool operator<(const Entry& o) const { return key < o.key; }
  };

  void Problem(std::string line) {
    if (report_->problems.size() + 1 < kMaxFsckProblems) {
      report_->problems.push_back(std::move(line));
    } else {
      ++dropped_;
    }
  }
  void Count(CountKind kind, uint32_t id) { ++counts_[{static_cast<uint8_t>(kind), id}]; }
  bool Exists(NodeKey k) const { return std::binary_search(keys_.begin(), keys_.end(), k); }

  Status LoadNodeCounter() {
    std::string key;
    EncodeMetaGraphCounterKey(&key, g_, GraphCounter::kNextNodeKey);
    rocksdb::PinnableSlice v;
    bool found = false;
    KG_RETURN_IF_ERROR(ctx_.Get(Cf::kMeta, key, &v, &found));
    if (!found || !DecodeU64Value(ToView(v), &next_key_) || next_key_ == 0) {
      Problem("meta: missing or corrupt node key counter");
      next_key_ = std::numeric_limits<uint64_t>::max();
    }
    return Status::OK();
  }

  // Decodes every node record, remembers keys, ids and owners, and counts labels.
  Status ScanNodes() {
    PrefixIterator it(ctx_, Cf::kNodes, graph_prefix_);
    while (it.Advance()) {
      GraphId g = 0;
      NodeKey k = 0;
      if (!DecodeNodeRecordKey(it.key(), &g, &k)) {
        Problem("nodes: malformed key");
        continue;
      }
      ++report_->nodes;
      StoredNode node;
      Status s = DecodeStoredNode(it.value(), &node);
      if (!s.ok()) {
        Problem("nodes: node " + std::to_string(k) + " undecodable: " + s.message());
        continue;
      }
      if (k == 0 || k >= next_key_) {
        Problem("nodes: node " + std::to_string(k) + " is not below the key counter " +
                std::to_string(next_key_));
      }
      keys_.push_back(k);
      ids_.emplace_back(node.id, k);
      if (!node.owner.empty()) owners_.emplace_back(k, node.owner);
      Count(CountKind::kNodes, 0);
      for (LabelId l : node.labels) Count(CountKind::kLabel, l);
      if (const std::string* name = NameOf(node.props)) {
        for (TrigramId t : TrigramsOf(*name)) Count(CountKind::kTrigram, t);
      }
    }
    return it.status();
  }

  // Every node's id maps to its key; ids entries are below the counter.
  Status CheckIds() {
    std::sort(ids_.begin(), ids_.end());
    std::vector<std::string> enc(ids_.size());
    for (size_t i = 0; i < ids_.size(); ++i) EncodeIdKey(&enc[i], g_, ids_[i].first);
    for (size_t i = 0; i < ids_.size(); ++i) {
      rocksdb::PinnableSlice v;
      bool found = false;
      KG_RETURN_IF_ERROR(ctx_.Get(Cf::kIds, enc[i], &v, &found));
      NodeKey k = 0;
      if (!found || !DecodeU64Value(ToView(v), &k) || k != ids_[i].second) {
        Problem("ids: id '" + ids_[i].first + "' of node " + std::to_string(ids_[i].second) +
                (found ? " maps to another key" : " is missing"));
      }
    }
    PrefixIterator it(ctx_, Cf::kIds, graph_prefix_);
    while (it.Advance()) {
      NodeKey k = 0;
      if (!DecodeU64Value(it.value(), &k) || k == 0 || k >= next_key_) {
        Problem("ids: entry with a bad key value");
      }
    }
    return it.status();
  }

  // The entries `c` must hold according to the node records.
  Status ExpectedEntries(Cf c, std::vector<Entry>* want) {
    PrefixIterator it(ctx_, Cf::kNodes, graph_prefix_);
    while (it.Advance()) {
      GraphId g = 0;
      NodeKey k = 0;
      StoredNode node;
      if (!DecodeNodeRecordKey(it.key(), &g, &k) || !DecodeStoredNode(it.value(), &node).ok()) {
        continue;  // reported by ScanNodes
      }
      std::string labels;
      EncodeLabelList(&labels, node.labels);
      const std::string* name = NameOf(node.props);
      auto add = [&](std::string key, std::string value) {
        want->push_back(Entry{std::move(key), std::move(value)});
      };
      std::string key;
      switch (c) {
        case Cf::kLabelIndex:
          for (LabelId l : node.labels) {
            key.clear();
            EncodeLabelIndexKey(&key, g_, l, k);
            add(key, "");
          }
          break;
        case Cf::kLabelName:
        case Cf::kLabelNameCi:
          if (name == nullptr) break;
          for (LabelId l : node.labels) {
            key.clear();
            EncodeLabelNameKey(&key, g_, l,
                               c == Cf::kLabelName ? *name : schema::ToLowerAscii(*name), k);
            add(key, "");
          }
          break;
        case Cf::kQualifiedName:
        case Cf::kQualifiedNameRev:
          if (const std::string* qn = StringProp(node.props, "qualified_name")) {
            key.clear();
            EncodeStringIndexKey(&key, g_, c == Cf::kQualifiedName ? *qn : Reversed(*qn), k);
            add(key, labels);
          }
          break;
        case Cf::kPathIndex:
        case Cf::kLineIndex:
          if (const std::string* path = StringProp(node.props, "path")) {
            int64_t start = 0, end = 0;
            key.clear();
            if (c == Cf::kPathIndex) {
              EncodeStringIndexKey(&key, g_, *path, k);
              add(key, "");
            } else if (LineSpan(node.props, &start, &end)) {
              EncodeLineIndexKey(&key, g_, *path, start, end, k);
              add(key, "");
            }
          }
          break;
        case Cf::kNameTrigrams:
          if (name == nullptr) break;
          for (TrigramId t : TrigramsOf(*name)) {
            key.clear();
            EncodeTrigramKey(&key, g_, t, k);
            add(key, labels);
          }
          break;
        default:
          break;
      }
    }
    return it.status();
  }

  // Merge-compares the expected entries of an index with its stored entries.
  Status CheckIndex(Cf c) {
    std::vector<Entry> want;
    KG_RETURN_IF_ERROR(ExpectedEntries(c, &want));
    std::sort(want.begin(), want.end());
    const std::string cf_name(CfName(c));
    auto node_of = [](std::string_view key) {
      NodeKey k = 0;
      return DecodeTrailingNodeKey(key, &k) ? std::to_string(k) : std::string("?");
    };
    PrefixIterator it(ctx_, c, graph_prefix_);
    // The stored entries in key order: the column family's entries, or for name_trigrams the
    // entries of its posting blocks as (graph, trigram, node key) -> label list.
    std::vector<Entry> expanded;
    size_t next = 0;
    auto advance = [&]() -> bool {
      if (c != Cf::kNameTrigrams) return it.Advance();
      if (++next < expanded.size()) return true;
      expanded.clear();
      next = 0;
      std::vector<TrigramItem> items;
      while (expanded.empty() && it.Advance()) {  // the next block with entries
        std::string_view key = it.key();
        NodeKey base = 0;
        items.clear();
        if (key.size() != 15 || !DecodeTrailingNodeKey(key, &base) ||
            TrigramBucketOf(base) != base || !DecodeTrigramItems(it.value(), &items)) {
          Problem(cf_name + ": malformed posting block");
          continue;
        }
        for (const TrigramItem& item : items) {
          std::string k(key.substr(0, 7));
          AppendU64(&k, base + item.offset);
          if (!item.put || (!expanded.empty() && k <= expanded.back().key)) {
            Problem(cf_name + ": malformed posting block");
            continue;
          }
          expanded.push_back(Entry{std::move(k), std::string(item.labels)});
        }
      }
      return !expanded.empty();
    };
    auto stored_key = [&]() -> std::string_view {
      return c == Cf::kNameTrigrams ? std::string_view(expanded[next].key) : it.key();
    };
    auto stored_value = [&]() -> std::string_view {
      return c == Cf::kNameTrigrams ? std::string_view(expanded[next].value) : it.value();
    };
    size_t i = 0;
    bool more = advance();
    while (more || i < want.size()) {
      int cmp = !more ? 1 : i == want.size() ? -1 : stored_key().compare(want[i].key);
      if (cmp < 0) {
        NodeKey k = 0;
        bool missing = DecodeTrailingNodeKey(stored_key(), &k) && !Exists(k);
        Problem(cf_name + ": stray entry for " + (missing ? "missing " : "") + "node " +
                node_of(stored_key()));
        ++report_->index_entries;
        more = advance();
      } else if (cmp > 0) {
        Problem(cf_name + ": no entry for node " + node_of(want[i].key));
        ++i;
      } else {
        if (stored_value() != want[i].value) {
          Problem(cf_name + ": wrong value (label list) for node " + node_of(want[i].key));
        }
        ++report_->index_entries;
        ++i;
        more = advance();
      }
    }
    return it.status();
  }

  // Both directions of every edge, flags and edge counts.
  Status CheckEdges() {
    uint64_t in_count = 0;
    {
      PrefixIterator out(ctx_, Cf::kOutEdges, graph_prefix_);
      std::string mirror;
      while (out.Advance()) {
        ++report_->edges;
        GraphId g = 0;
        EdgeId e;
        if (!DecodeEdgeKey(out.key(), &g, &e.src, &e.type, &e.dst, &e.seq)) {
          Problem("out_edges: malformed key");
          continue;
        }
        const std::string name = "edge " + std::to_string(e.src) + " -" + std::to_string(e.type) +
                                 "-> " + std::to_string(e.dst) + " #" + std::to_string(e.seq);
        bool dangling = false;
        std::string_view props;
        Status s = SplitEdgeValue(out.value(), &dangling, &props);
        Properties decoded;
        if (s.ok()) s = DecodeProperties(&props, &decoded);
        if (!s.ok()) {
          Problem("out_edges: " + name + " undecodable: " + s.message());
          continue;
        }
        const bool visible = Exists(e.src) && Exists(e.dst);
        if (dangling == visible) {
          Problem("out_edges: " + name + " has dangling flag " + (dangling ? "1" : "0") +
                  " but its ends " + (visible ? "exist" : "do not both exist"));
        }
        if (visible) {
          Count(CountKind::kEdges, 0);
          Count(CountKind::kEdgeType, e.type);
        }
        mirror.clear();
        EncodeInEdgeKey(&mirror, g_, e);
        rocksdb::PinnableSlice v;
        bool found = false;
        KG_RETURN_IF_ERROR(ctx_.Get(Cf::kInEdges, mirror, &v, &found));
        if (!found) {
          Problem("in_edges: no entry for " + name);
        } else if (ToView(v) != out.value()) {
          Problem("in_edges: value differs from out_edges for " + name);
        }
        if (e.src >= next_key_ || e.dst >= next_key_) {
          Problem("out_edges: " + name + " has an end not below the key counter");
        }
      }
      KG_RETURN_IF_ERROR(out.status());
    }
    PrefixIterator in(ctx_, Cf::kInEdges, graph_prefix_);
    while (in.Advance()) ++in_count;
    KG_RETURN_IF_ERROR(in.status());
    if (in_count != report_->edges) {
      Problem("in_edges: " + std::to_string(in_count) + " entries for " +
              std::to_string(report_->edges) + " out_edges entries");
    }
    return Status::OK();
  }

  // File records, texts, manifests and node owners.
  Status CheckFiles() {
    std::map<std::string, std::vector<NodeKey>> owned;  // path -> nodes whose owner it is
    for (const auto& [k, owner] : owners_) owned[owner].push_back(k);
    std::set<std::string> paths;
    PrefixIterator it(ctx_, Cf::kFiles, graph_prefix_);
    while (it.Advance()) {
      ++report_->files;
      Count(CountKind::kFiles, 0);
      GraphId g = 0;
      FileRecord rec;
      if (!DecodeFileKey(it.key(), &g, &rec.path)) {
        Problem("files: malformed key");
        continue;
      }
      paths.insert(rec.path);
      const std::string name = "file '" + rec.path + "'";
      Status s = DecodeFileRecord(it.value(), &rec);
      if (!s.ok()) Problem("files: " + name + " undecodable: " + s.message());
      rocksdb::PinnableSlice v;
      bool found = false;
      KG_RETURN_IF_ERROR(ctx_.Get(Cf::kFileTexts, it.key(), &v, &found));
      if (!found) {
        Problem("file_texts: no text for " + name);
      } else if (s.ok() && v.size() != rec.size) {
        Problem("file_texts: text of " + name + " has " + std::to_string(v.size()) +
                " bytes, record says " + std::to_string(rec.size));
      }
      KG_RETURN_IF_ERROR(ctx_.Get(Cf::kFileFacts, it.key(), &v, &found));
      Manifest m;
      if (!found) {
        Problem("file_facts: no manifest for " + name);
        continue;
      }
      s = DecodeManifest(ToView(v), &m);
      if (!s.ok()) {
        Problem("file_facts: manifest of " + name + " undecodable: " + s.message());
        continue;
      }
      std::vector<NodeKey> listed = m.nodes;
      std::sort(listed.begin(), listed.end());
      std::vector<NodeKey>& mine = owned[rec.path];
      std::sort(mine.begin(), mine.end());
      if (listed != mine) {
        Problem("file_facts: manifest of " + name + " lists " + std::to_string(listed.size()) +
                " nodes, " + std::to_string(mine.size()) + " nodes name it as owner");
      }
      std::string ek;
      for (const EdgeId& e : m.edges) {
        ek.clear();
        EncodeOutEdgeKey(&ek, g_, e);
        KG_RETURN_IF_ERROR(ctx_.Get(Cf::kOutEdges, ek, &v, &found));
        if (!found) {
          Problem("file_facts: manifest of " + name + " lists missing edge " +
                  std::to_string(e.src) + " -> " + std::to_string(e.dst));
        }
      }
    }
    KG_RETURN_IF_ERROR(it.status());
    for (const auto& [path, nodes] : owned) {
      if (paths.count(path) == 0) {
        Problem("nodes: " + std::to_string(nodes.size()) + " nodes owned by unknown file '" + path +
                "'");
      }
    }
    for (Cf c : {Cf::kFileTexts, Cf::kFileFacts}) {
      PrefixIterator extra(ctx_, c, graph_prefix_);
      while (extra.Advance()) {
        GraphId g = 0;
        std::string path;
        if (!DecodeFileKey(extra.key(), &g, &path) || paths.count(path) == 0) {
          Problem(std::string(CfName(c)) + ": entry for unknown file '" + path + "'");
        }
      }
      KG_RETURN_IF_ERROR(extra.status());
    }
    return Status::OK();
  }

  Status CheckCounts() {
    PrefixIterator it(ctx_, Cf::kCounts, graph_prefix_);
    std::map<std::pair<uint8_t, uint32_t>, uint64_t> stored;
    while (it.Advance()) {
      KeyReader r(it.key());
      GraphId g = 0;
      uint8_t kind = 0;
      uint32_t id = 0;
      std::string_view in = it.value();
      uint64_t n = 0;
      if (!r.ReadU32(&g) || !r.ReadU8(&kind) || !r.ReadU32(&id) || !r.done() ||
          !GetFixed64(&in, &n) || !in.empty()) {
        Problem("counts: malformed entry");
        continue;
      }
      stored[{kind, id}] = n;
    }
    KG_RETURN_IF_ERROR(it.status());
    for (const auto& [k, n] : counts_) {
      auto s = stored.find(k);
      uint64_t have = s == stored.end() ? 0 : s->second;
      if (have != n) {
        Problem("counts: kind " + std::to_string(k.first) + " id " + std::to_string(k.second) +
                " is " + std::to_string(have) + ", recount " + std::to_string(n));
      }
    }
    for (const auto& [k, n] : stored) {
      if (counts_.count(k) == 0) {
        Problem("counts: kind " + std::to_string(k.first) + " id " + std::to_string(k.second) +
                " is " + std::to_string(n) + ", recount 0");
      }
    }
    return Status::OK();
  }

  const ReadContext& ctx_;
  GraphId g_;
  FsckReport* report_;
  std::string graph_prefix_;
  NodeKey next_key_ = 0;
  std::vector<NodeKey> keys_;                                // sorted (scan order)
  std::vector<std::pair<std::string, NodeKey>> ids_;         // id -> key
  std::vector<std::pair<NodeKey, std::string>> owners_;      // key -> owner path
  std::map<std::pair<uint8_t, uint32_t>, uint64_t> counts_;  // recounted
  uint64_t dropped_ = 0;
};

MemoryUsage RocksGraphStore::GetMemoryUsage() {
  MemoryUsage m;
  for (rocksdb::ColumnFamilyHandle* cf : cfs_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(cf, rocksdb::DB::Properties::kCurSizeAllMemTables, &v)) {
      m.memtable_bytes += v;
    }
    if (db_->GetIntProperty(cf, rocksdb::DB::Properties::kEstimateTableReadersMem, &v)) {
      m.table_readers_bytes += v;
    }
  }
  if (cache_) {
    m.block_cache_bytes = cache_->GetUsage();
    m.block_cache_pinned_bytes = cache_->GetPinnedUsage();
  }
  m.adjacency_index_bytes = adj_->Bytes();
  return m;
}

Result<FsckReport> RocksGraphStore::Fsck(std::string_view graph) {
  ReadContext ctx(db_, cfs_);
  KG_ASSIGN_OR_RETURN(std::optional<GraphId> g, LookupGraph(graph, ctx.Options().snapshot));
  if (!g) return Status::NotFound("graph '" + std::string(graph) + "' not found");
  FsckReport report;
  report.graph = std::string(graph);
  GraphChecker checker(ctx, *g, &report);
  KG_RETURN_IF_ERROR(checker.Run().WithContext("fsck of graph '" + std::string(graph) + "'"));
  return report;
}

// ---- Jobs ----

constexpr size_t kMaxJobIdBytes = 1024;

Status ValidJobId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("empty job id");
  if (id.size() > kMaxJobIdBytes) {
    return Status::InvalidArgument("job id longer than " + std::to_string(kMaxJobIdBytes) +
                                   " bytes");
  }
  return Status::OK();
}

rocksdb::WriteOptions JobWriteOptions() {
  rocksdb::WriteOptions wo;
  wo.sync = true;  // always: an acknowledged job state must survive kill -9 and power loss
  return wo;
}

Status RocksGraphStore::PutJob(std::string_view id, std::string_view record) {
  KG_RETURN_IF_ERROR(ValidJobId(id));
  std::string key;
  EncodeJobKey(&key, id);
  return FromRocks(db_->Put(JobWriteOptions(), cf(Cf::kJobs), ToSlice(key), ToSlice(record)),
                   "put job");
}

Result<std::optional<std::string>> RocksGraphStore::GetJob(std::string_view id) {
  if (id.empty() || id.size() > kMaxJobIdBytes) return std::optional<std::string>();
  std::string key;
  EncodeJobKey(&key, id);
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kJobs), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  KG_RETURN_IF_ERROR(FromRocks(s, "get job"));
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<std::pair<std::string, std::string>>> RocksGraphStore::ListJobs() {
  std::vector<std::pair<std::string, std::string>> jobs;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kJobs)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    jobs.emplace_back(it->key().ToString(), it->value().ToString());
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "list jobs"));
  return jobs;
}

Status RocksGraphStore::DeleteJob(std::string_view id) {
  KG_RETURN_IF_ERROR(ValidJobId(id));
  std::string key;
  EncodeJobKey(&key, id);
  return FromRocks(db_->Delete(JobWriteOptions(), cf(Cf::kJobs), ToSlice(key)), "delete job");
}

Result<uint64_t> RocksGraphStore::CountGraphKeys(GraphId g) {
  ReadContext ctx(db_, cfs_);
  uint64_t n = 0;
  for (size_t i = 0; i < kNumCfs; ++i) {
    std::string prefix;
    if (static_cast<Cf>(i) == Cf::kJobs) continue;
    if (static_cast<Cf>(i) == Cf::kMeta) {
      EncodeMetaGraphCounterPrefix(&prefix, g);
    } else {
      EncodeGraphPrefix(&prefix, g);
    }
    PrefixIterator it(ctx, static_cast<Cf>(i), prefix);
    while (it.Advance()) {
      // A posting block whose entries were all removed holds nothing (no writer reads the index
      // to delete it; see FORMAT.md "name_trigrams").
      n += !(static_cast<Cf>(i) == Cf::kNameTrigrams && it.value().empty());
    }
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
    if (version >= 1 && version < kFormatVersion) {
      return Status::Corruption("database format version " + std::to_string(version) +
                                " is older than this build reads (" +
                                std::to_string(kFormatVersion) +
                                "); re-ingest the repositories into a new data directory");
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

// A database that lacks some of our column families is either a format-1 database (refused:
// its indexes would have to be rebuilt; the user re-ingests) or one whose creation was cut short
// before anything was stored (opened normally: the missing families are created). Reads meta
// read-only to tell which.
Status RefuseOlderFormat(const std::string& dir, const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), std::string(CfName(Cf::kMeta))) == names.end()) {
    return Status::OK();
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "open '" + dir + "'");
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == CfName(Cf::kMeta)) meta = handles[i];
  }
  std::string key;
  EncodeMetaFormatVersionKey(&key);
  std::string value;
  s = db->Get(rocksdb::ReadOptions(), meta, ToSlice(key), &value);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), meta));
  it->SeekToFirst();
  const bool empty = !it->Valid() && it->status().ok();
  it.reset();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  if (empty) return Status::OK();
  uint32_t version = 0;
  std::string what = s.ok() && DecodeU32Value(value, &version)
                         ? "format version " + std::to_string(version)
                         : std::string("an older format");
  return Status::Corruption("database '" + dir + "' was written by " + what +
                            ", which this build (format version " + std::to_string(kFormatVersion) +
                            ") does not read: it lacks the index and job column families. "
                            "Re-ingest the repositories into a new data directory (or delete "
                            "this one)");
}

// name_trigrams' merge operator: writers add and remove a node's entries of a posting block by
// merging item lists into it (no writer reads the index), and RocksDB applies them in order
// when the block is read or compacted (MergeTrigramBlock). Operands combine by concatenation.
class TrigramBlockMerge final : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::string_view existing;
    if (in.existing_value != nullptr) existing = ToView(*in.existing_value);
    std::vector<std::string_view> operands;
    operands.reserve(in.operand_list.size());
    for (const rocksdb::Slice& op : in.operand_list) operands.push_back(ToView(op));
    return MergeTrigramBlock(in.existing_value != nullptr ? &existing : nullptr, operands,
                             &out->new_value);
  }
  bool PartialMergeMulti(const rocksdb::Slice& /*key*/, const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value, rocksdb::Logger* /*logger*/) const override {
    new_value->clear();
    for (const rocksdb::Slice& op : operands) new_value->append(op.data(), op.size());
    return true;
  }
  const char* Name() const override { return "codekg.TrigramBlockMerge"; }
};

rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const std::shared_ptr<rocksdb::Cache>& cache,
                                       size_t write_buffer_bytes) {
  rocksdb::ColumnFamilyOptions o;
  if (cf == Cf::kNameTrigrams) o.merge_operator = std::make_shared<TrigramBlockMerge>();
  // Each column family flushes its own memtable at a quarter of the whole budget (RocksDB's
  // database-wide limit alone flushes the family with the oldest memtable, which let one busy
  // family -- file texts -- hold most of the budget and more).
  o.write_buffer_size = std::clamp<size_t>(write_buffer_bytes / 4, 256u << 10, 64u << 20);
  // LZ4 rather than RocksDB's default Snappy: about the same size (+1% on Django), and faster
  // to compress (a fresh load's SST files: -8% of Finish()'s merge time on Django) and to read.
  o.compression = rocksdb::kLZ4Compression;
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
    case Cf::kJobs:
      // Point lookups: whole-key bloom filters make misses (new ids, absent nodes) cheap.
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      // ... and a hash index inside each data block finds a key without a binary search.
      table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
      // ... and in the memtable too. RocksDB allocates and zeroes the whole filter with each
      // memtable (at open and after every flush, per column family): 0.01 of the 64 MiB write
      // buffer is 5.4M bits, about 10 bits per key at ~120 bytes per entry; 0.05 was 3.2 MiB
      // per memtable, 50 bits per key, and its zeroing was seen at ~16% of an ingest's CPU.
      // Only the two families whose memtables take many keys between flushes and are probed
      // for absent keys (a batch's new ids and nodes) have one: the others' 335 KiB filters
      // (at the default budget), six of them zeroed at every open, bought nothing.
      if (cf == Cf::kNodes || cf == Cf::kIds) {
        o.memtable_prefix_bloom_size_ratio = 0.01;
        o.memtable_whole_key_filtering = true;
      }
      break;
    default:
      break;  // scan-only column families
  }
  switch (cf) {
    case Cf::kNodes:
    case Cf::kIds:
    case Cf::kOutEdges:
    case Cf::kInEdges:
      // Every hop and lookup reads these: a block-cache miss is then served from the OS page
      // cache without a decompression (these keys compress poorly anyway).
      o.compression = rocksdb::kNoCompression;
      if (cf == Cf::kOutEdges || cf == Cf::kInEdges) {
        // A hop seeks to a node's few edges: restart points every 4 keys (default 16) make the
        // seek inside a data block a binary search over more points and a shorter linear scan.
        table.block_restart_interval = 4;
      }
      break;
    default:
      break;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

Result<std::unique_ptr<GraphStore>> RocksGraphStore::OpenImpl(const std::string& dir,
                                                              const Options& options) {
  if (options.write_buffer_bytes < (1u << 20)) {
    return Status::InvalidArgument("write_buffer_bytes must be at least 1 MiB (got " +
                                   std::to_string(options.write_buffer_bytes) + ")");
  }
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
    descriptors.emplace_back(std::string(CfName(c)),
                             CfOptions(c, cache, options.write_buffer_bytes));
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
    if (names.size() < descriptors.size()) KG_RETURN_IF_ERROR(RefuseOlderFormat(dir, names));
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // Opening an existing database loads its table files on up to 16 threads (RocksDB's default).
  // A new one has none to load, yet RocksDB started and joined 15 threads all the same (~20 ms
  // of a fresh open on the CI machines).
  if (!exists) db_options.max_file_opening_threads = 1;
  // Eighteen column families with 64 MiB memtables each could pin gigabytes; flush the largest
  // memtable once all of them together pass Options::write_buffer_bytes.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  // Lightly written column families would otherwise pin old write-ahead logs (RocksDB's default
  // cap is 4x the total memtable size, gigabytes here): past this, RocksDB flushes the column
  // families that hold the oldest log so it can be deleted. Bounds disk use and restart replay.
  db_options.max_total_wal_size = 512u << 20;
  db_options.keep_log_file_num = 4;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  auto fs = std::make_shared<DbFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  db_options.env = env.get();

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (exists) {
    s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  } else {
    // A new database: RocksDB's Open would create the missing column families one at a time,
    // writing, syncing and reading back its OPTIONS file after each (most of the time of a
    // fresh open: 125 -> 82 ms for open + one-file ingest + close). CreateColumnFamilies writes
    // it once. A kill in between leaves some column families and an empty meta, which the next
    // open completes (RefuseOlderFormat lets a database without a format version through).
    // Their MANIFEST records are synced once (DbFileSystem).
    s = rocksdb::DB::Open(db_options, dir, {descriptors[0]}, &handles, &raw);
    if (s.ok()) {
      std::vector<rocksdb::ColumnFamilyHandle*> created;
      fs->DeferManifestSyncs();
      s = raw->CreateColumnFamilies({descriptors.begin() + 1, descriptors.end()}, &created);
      handles.insert(handles.end(), created.begin(), created.end());
      Status synced = fs->SyncDeferred();
      if (s.ok() && !synced.ok()) s = rocksdb::Status::IOError(synced.message());
      if (!s.ok()) {
        for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
        delete raw;
      }
    }
  }
  if (!s.ok()) return FromRocks(s, "open '" + dir + "'");

  std::unique_ptr<RocksGraphStore> store(new RocksGraphStore());
  store->env_ = std::move(env);
  store->fs_ = fs;
  store->db_ = raw;
  // Drop the default column family handle (unused); keep ours indexed by Cf.
  raw->DestroyColumnFamilyHandle(handles[0]);
  store->cfs_.assign(handles.begin() + 1, handles.end());
  store->cache_ = cache;
  store->write_options_.sync = options.sync_writes;
  store->adj_ = std::make_unique<AdjacencyIndexer>(raw, store->cfs_, options.adjacency_index_bytes);
  KG_RETURN_IF_ERROR(store->CheckFormatVersion().WithContext("open '" + dir + "'"));
  // A fresh bulk load killed before Finish() left its run files (never part of the database).
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind(kBulkTmpPrefix, 0) == 0) {
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
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

IngestSyncStats GetIngestSyncStats(GraphStore& store) {
  return static_cast<RocksGraphStore&>(store).ingest_sync_stats();
}

std::string EncodeFormatVersion(uint32_t version) { return U32Value(version); }

// Opens the database in `dir` bypassing every codekg check, with all its column families
// (`names[i]` is the name of `handles[i]`); the caller destroys the handles before `db`.
Status OpenRawWithAllCfs(const std::string& dir, std::vector<std::string>* names,
                         std::vector<rocksdb::ColumnFamilyHandle*>* handles,
                         std::unique_ptr<rocksdb::DB>* db) {
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, names);
  if (!s.ok()) return FromRocks(s, "list column families");
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& n : *names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, handles, &raw);
  if (!s.ok()) return FromRocks(s, "open");
  db->reset(raw);
  return Status::OK();
}

Status OverwriteFormatVersion(const std::string& dir, std::string_view raw_value) {
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<rocksdb::DB> db;
  KG_RETURN_IF_ERROR(OpenRawWithAllCfs(dir, &names, &handles, &db));
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

Status DropColumnFamilies(const std::string& dir, const std::vector<std::string>& drop) {
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<rocksdb::DB> db;
  KG_RETURN_IF_ERROR(OpenRawWithAllCfs(dir, &names, &handles, &db));
  Status result;
  for (size_t i = 0; i < names.size(); ++i) {
    if (result.ok() && std::find(drop.begin(), drop.end(), names[i]) != drop.end()) {
      result = FromRocks(db->DropColumnFamily(handles[i]), "drop column family");
    }
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return result;
}

size_t SetFreshLoadSpillBytes(size_t bytes) { return fresh_spill_bytes.exchange(bytes); }

Status RawWrite(GraphStore& store, std::string_view cf_name, std::string_view key,
                std::optional<std::string_view> value) {
  auto& rocks = static_cast<RocksGraphStore&>(store);
  std::vector<GraphWriteFence> fences;  // behind the store's back: every graph may change
  for (auto& slot : rocks.adjacency()->AllSlots()) fences.emplace_back(slot);
  for (size_t i = 0; i < kNumCfs; ++i) {
    if (CfName(static_cast<Cf>(i)) != cf_name) continue;
    rocksdb::WriteOptions wo;
    wo.sync = true;
    rocksdb::ColumnFamilyHandle* h = rocks.cf(static_cast<Cf>(i));
    return FromRocks(value ? rocks.db()->Put(wo, h, ToSlice(key), ToSlice(*value))
                           : rocks.db()->Delete(wo, h, ToSlice(key)),
                     "raw write");
  }
  return Status::InvalidArgument("unknown column family '" + std::string(cf_name) + "'");
}

Result<AdjacencyIndexInfo> BuildAdjacencyIndex(GraphStore& store, std::string_view graph) {
  auto& rocks = static_cast<RocksGraphStore&>(store);
  KG_RETURN_IF_ERROR(rocks.GetGraph(graph).status());
  AdjacencyIndexInfo info;
  if (!rocks.adjacency()->enabled()) return info;
  auto index =
      rocks.adjacency()->BuildNow(rocks.adjacency()->Slot(graph, true), std::string(graph));
  if (!index) return info;
  info.ready = true;
  info.bytes = index->bytes;
  info.build_seconds = index->build_seconds;
  return info;
}

bool SnapshotUsesAdjacencyIndex(Snapshot& snapshot) {
  return static_cast<SnapshotImpl&>(snapshot).Index() != nullptr;
}

}  // namespace test_hooks
}  // namespace kg::storage

namespace kg::storage {

// The general Degrees: the neighbour lists' lengths (implementations override it where they can
// count without reading the neighbours).
Status Snapshot::Degrees(const std::vector<NodeKey>& nodes, Direction dir,
                         std::optional<EdgeTypeId> type, std::vector<uint64_t>* degrees) {
  std::vector<NodeKey> neighbors;
  std::vector<size_t> offsets;
  KG_RETURN_IF_ERROR(ExpandNeighbors(nodes, dir, type, &neighbors, &offsets));
  degrees->assign(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); ++i) (*degrees)[i] = offsets[i + 1] - offsets[i];
  return Status::OK();
}

}  // namespace kg::storage
