#pragma once
// GraphStore: codekg's durable, multi-graph property-graph store on RocksDB.
//
// This header is the contract of storage/. Only storage/rocksdb_graph_store.cc includes RocksDB.
// On-disk layout: storage/FORMAT.md.
//
// Model. A database holds many named graphs (one per repository). A graph holds nodes and
// directed, typed edges. A node has a string id unique in its graph (codekg convention:
// `path:Qualified.Name`), zero or more labels, and properties. A node without labels (the
// openCypher TCK creates them) is visible through ScanAll, GetNode, FindNode and Expand and counted
// by CountNodes, but is in no label index (ScanLabel, ScanLabelName, CountLabel). An edge has a
// source, a type, a target and properties; several edges of one type may join the same pair (e.g.
// two IMPORTS with different aliases). Internally nodes are addressed by a dense NodeKey allocated
// once per string id and never reused, so a node re-created with the same id keeps its NodeKey and
// edges from other files into it stay valid.
//
// Ownership of facts (how incremental re-ingest stays correct). Every write is a FactBatch. A
// batch with a non-empty `path` is the complete set of facts of that file: ReplaceFile() deletes
// every node and edge the previous batch of the same path wrote and writes the new ones, in one
// atomic RocksDB WriteBatch. Nodes marked `shared` (Repo, Directory, External, targets that many
// files point at) are upserted and belong to no file: replacing or deleting a file never deletes
// them; their properties are merged (new keys win). Edges always belong to the batch that wrote
// them. Edges whose target node does not exist (yet, or any more) are stored but skipped by every
// read (a "dangling" edge), so a reader never sees a half-resolved node.
// Details: nodes of a graph-level batch (empty path) are upserted like shared nodes, whether marked
// shared or not. A non-shared node of a file batch whose id currently belongs to no file (shared or
// graph-level) is taken over by that file. Labels of upserted nodes are united. Edges of
// graph-level batches are only ever added: applying the same graph-level batch twice stores its
// edges twice (as parallel edges), so facts that must stay idempotent across re-ingest belong in
// a file's batch.
//
// Thread-safety. GraphStore is safe for concurrent use: writes are serialized internally; reads
// go through Snapshot objects that see one consistent point in time and never a half-applied
// batch. A Snapshot may be used by one thread at a time; create one per thread. Snapshots and
// cursors must be destroyed before the GraphStore that made them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/schema.h"
#include "common/status.h"
#include "common/value.h"

namespace kg::storage {

using NodeKey = uint64_t;  // dense per graph, starts at 1; 0 is never a valid key
using GraphId = uint32_t;
using schema::EdgeTypeId;
using schema::LabelId;

// ---- Facts written by ingest (and tests, CREATE, bulk load) ----

struct NodeFact {
  std::string id;                   // unique in the graph; must not be empty
  std::vector<std::string> labels;  // may be empty; canonical or user label names (LabelIdFor)
  Properties props;                 // `id` is implied; do not put it here
  bool shared = false;              // upsert, owned by no file (see header comment)
};

struct EdgeFact {
  std::string src_id;  // node id (in this batch, already stored, or stored later)
  std::string type;    // edge type name (canonical or user)
  std::string dst_id;
  Properties props;
};

// Everything one file contributes to a graph. An empty `path` means graph-level facts that belong
// to no file (used for Repo/Directory skeletons, tests and CREATE); those are only ever added,
// never replaced, by ApplyBatch().
struct FactBatch {
  std::string path;          // repository-relative file path, '/'-separated; or empty
  std::string content_hash;  // hex digest of the file's bytes (for incremental re-ingest)
  std::string language;      // e.g. "python", "markdown"
  std::string text;          // the file's text (for `code` materialization); may be empty
  std::vector<NodeFact> nodes;
  std::vector<EdgeFact> edges;
};

// ---- Records read back ----

struct NodeRecord {
  NodeKey key = 0;
  std::string id;
  std::vector<LabelId> labels;
  Properties props;
};

struct EdgeRecord {
  NodeKey src = 0;
  EdgeTypeId type = 0;
  NodeKey dst = 0;
  uint32_t seq = 0;  // distinguishes parallel edges of one (src, type, dst)
  Properties props;
};

struct FileRecord {
  std::string path;
  std::string content_hash;
  std::string language;
  uint64_t size = 0;  // bytes of text stored
  uint64_t node_count = 0;
  uint64_t edge_count = 0;
};

struct GraphInfo {
  std::string name;
  GraphId id = 0;
  uint64_t node_count = 0;
  uint64_t edge_count = 0;
  uint64_t file_count = 0;
};

// What GraphStore::Fsck checked and found.
struct FsckReport {
  std::string graph;
  // What was checked: node records, stored edges (out_edges entries, dangling ones included),
  // index entries (label, name, qualified-name, path, line and trigram indexes) and files.
  uint64_t nodes = 0, edges = 0, index_entries = 0, files = 0;
  // One line per problem found, e.g. "label_name: entry for missing node 42". At most
  // kMaxFsckProblems lines; the last then says how many more were found.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};
inline constexpr size_t kMaxFsckProblems = 1000;

enum class Direction : uint8_t { kOut = 0, kIn = 1, kBoth = 2 };

// Forward-only cursors over snapshot data. Usage:
//   while (cursor->Next(&x)) { ... }  then check cursor->status().
// Next() returns false at the end or on error; status() tells which (OK at a clean end).
class NodeCursor {
 public:
  virtual ~NodeCursor() = default;
  virtual bool Next(NodeKey* key) = 0;
  virtual Status status() const = 0;
};

class EdgeCursor {
 public:
  virtual ~EdgeCursor() = default;
  // For Direction::kIn the record still reads src -> dst as stored (src is the neighbour).
  virtual bool Next(EdgeRecord* edge) = 0;
  virtual Status status() const = 0;
};

// A consistent, read-only view of one graph at one point in time.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  virtual const std::string& graph_name() const = 0;

  // Node by key / by string id. Success with nullopt when absent; IOError/Corruption on failure.
  virtual Result<std::optional<NodeRecord>> GetNode(NodeKey key) = 0;
  virtual Result<std::optional<NodeKey>> FindNode(std::string_view id) = 0;
  // Many nodes at once, faster than GetNode per key (one batched RocksDB read): on success
  // (*out)[i] is the node of keys[i] or nullopt when absent; *out is resized to keys.size().
  // IOError/Corruption on failure (then *out is unspecified).
  virtual Status GetNodes(const std::vector<NodeKey>& keys,
                          std::vector<std::optional<NodeRecord>>* out) = 0;

  // A projection of many nodes (added in session 3; much cheaper than GetNodes when a query
  // needs a few properties, e.g. RETURN n.name, n.start_line): on success (*out)[i] is nullopt
  // when keys[i] is absent, else one Value per entry of `names`, in that order: the property's
  // value, or null when the node lacks it; the name "id" yields the node's string id. *out is
  // resized to keys.size(). One batched read, like GetNodes. IOError/Corruption on failure.
  virtual Status GetNodeValues(const std::vector<NodeKey>& keys,
                               const std::vector<std::string>& names,
                               std::vector<std::optional<std::vector<Value>>>* out) = 0;
  // GetNodeValues plus each node's label ids, from the same single read (added in session 5 for
  // the query engine's batched label checks and projections): on success (*labels)[i] holds the
  // label ids of keys[i] as stored (empty when absent or unlabelled) and (*values)[i] is as
  // GetNodeValues' (*out)[i]; both are resized to keys.size(). Errors as GetNodeValues.
  virtual Status GetNodeLabelsAndValues(const std::vector<NodeKey>& keys,
                                        const std::vector<std::string>& names,
                                        std::vector<std::vector<LabelId>>* labels,
                                        std::vector<std::optional<std::vector<Value>>>* values) = 0;

  // All nodes (key order), nodes with a label, nodes with a label and exact name property, or
  // with lower-cased name equal to ToLowerAscii(name) when case_insensitive.
  virtual std::unique_ptr<NodeCursor> ScanAll() = 0;
  virtual std::unique_ptr<NodeCursor> ScanLabel(LabelId label) = 0;
  virtual std::unique_ptr<NodeCursor> ScanLabelName(LabelId label, std::string_view name,
                                                    bool case_insensitive = false) = 0;

  // ---- Property indexes (kept exact by every write: ApplyBatch, DeleteFile, DropGraph, bulk
  // loads). Each returns a lazy cursor that yields each matching node once; an error shows in
  // cursor->status(). Order: as stated per scan; otherwise unspecified. A cursor created with
  // bad arguments yields nothing and reports InvalidArgument. ----

  // Nodes (any label, or only those with `label`) whose string `qualified_name` property equals
  // `qn` exactly. Ascending NodeKey order.
  virtual std::unique_ptr<NodeCursor> ScanQualifiedName(
      std::string_view qn, std::optional<LabelId> label = std::nullopt) = 0;
  // Nodes whose string `qualified_name` ENDS WITH `suffix` (bytewise; "" matches every node with
  // a qualified_name). Served by a reversed-string index.
  virtual std::unique_ptr<NodeCursor> ScanQualifiedNameSuffix(
      std::string_view suffix, std::optional<LabelId> label = std::nullopt) = 0;
  // Nodes with `label` whose string `name` STARTS WITH `prefix`; with case_insensitive, those
  // whose ToLowerAscii(name) starts with ToLowerAscii(prefix). Ordered by name, then NodeKey.
  virtual std::unique_ptr<NodeCursor> ScanLabelNamePrefix(LabelId label, std::string_view prefix,
                                                          bool case_insensitive = false) = 0;
  // Nodes whose string `path` property starts with `prefix` ("" = every node that has a path).
  // Ordered by path, then NodeKey.
  virtual std::unique_ptr<NodeCursor> ScanPathPrefix(std::string_view prefix) = 0;
  // Nodes whose string `path` equals `path` and whose [start_line, end_line] (integer
  // properties; a missing end_line counts as start_line) contains `line`: innermost first, i.e.
  // latest start_line first and, among equal starts, smallest end_line first.
  virtual std::unique_ptr<NodeCursor> ScanAtLine(std::string_view path, int64_t line) = 0;
  // A SUPERSET of the nodes (optionally only those with `label`) whose ToLowerAscii(name)
  // contains every needle lower-cased: the nodes whose lower-cased string `name` contains every
  // 3-byte window (trigram) of every needle. The caller re-checks. Needles shorter than 3 bytes
  // contribute nothing; if no needle has 3 bytes the cursor yields nothing and its status is
  // InvalidArgument. Ascending NodeKey order.
  virtual std::unique_ptr<NodeCursor> ScanNameTrigrams(
      const std::vector<std::string>& needles, std::optional<LabelId> label = std::nullopt) = 0;
  // An upper bound of the number of nodes ScanNameTrigrams(needles) yields without a label: the
  // size of the smallest posting list (exact counts, one read per trigram). InvalidArgument if
  // no needle has 3 bytes; IOError/Corruption on failure.
  virtual Result<uint64_t> EstimateNameTrigrams(const std::vector<std::string>& needles) = 0;

  // Edges incident to `node` in `dir`, optionally only of `type`. Dangling edges are skipped.
  // kBoth yields out-edges then in-edges (a self-loop appears in both).
  virtual std::unique_ptr<EdgeCursor> Expand(NodeKey node, Direction dir,
                                             std::optional<EdgeTypeId> type = std::nullopt) = 0;
  // Like Expand, but leaves EdgeRecord::props empty without decoding them: the fast path for
  // traversals that need only endpoints, types and seqs.
  virtual std::unique_ptr<EdgeCursor> ExpandKeys(NodeKey node, Direction dir,
                                                 std::optional<EdgeTypeId> type = std::nullopt) = 0;
  // One traversal step for many nodes at once (added in session 3; the fastest way to expand a
  // frontier): for each i, the neighbours of nodes[i] over its visible (non-dangling) edges in
  // `dir`, optionally only of `type`, are (*neighbors)[(*offsets)[i] .. (*offsets)[i+1]), in the
  // order ExpandKeys yields the edges (kOut: targets; kIn: sources; kBoth: targets then sources;
  // a neighbour appears once per edge, so parallel edges repeat it). *offsets gets
  // nodes.size() + 1 entries; both vectors are replaced. A key repeated in `nodes` is read once.
  // Keys of absent nodes yield nothing. IOError/Corruption on failure (then the outputs are
  // unspecified). Edge properties and seqs are not read.
  virtual Status ExpandNeighbors(const std::vector<NodeKey>& nodes, Direction dir,
                                 std::optional<EdgeTypeId> type, std::vector<NodeKey>* neighbors,
                                 std::vector<size_t>* offsets) = 0;

  // Exact statistics for the planner (kept up to date by every write). Edges count only visible
  // (non-dangling) edges, i.e. what Expand yields.
  virtual Result<uint64_t> CountNodes() = 0;
  virtual Result<uint64_t> CountLabel(LabelId label) = 0;
  virtual Result<uint64_t> CountEdges() = 0;
  virtual Result<uint64_t> CountEdgeType(EdgeTypeId type) = 0;

  // Files of the graph.
  virtual Result<std::optional<FileRecord>> GetFile(std::string_view path) = 0;
  virtual Result<std::vector<FileRecord>> ListFiles() = 0;
  // The stored text of a file; NotFound if the file is unknown.
  virtual Result<std::string> GetFileText(std::string_view path) = 0;

  // Names the exact state of the graph this snapshot reads (added in session 6 for the query
  // engine's caches of decoded reads): two snapshots with equal tokens, of any stores of this
  // process, read identical data, so what was read through one may be reused for the other.
  // Any write of the graph (ApplyBatch, DeleteFile, bulk loads, DropGraph, CreateGraph) gives
  // later snapshots another token; another store (or the same folder opened again) never shares
  // a token. nullopt when the store cannot tell: adjacency indexes disabled
  // (Options::adjacency_index_bytes == 0), the first snapshot of a graph since Open, or a write of
  // the graph in progress while it was taken; then nothing read through it may be reused.
  struct StateToken {
    uint64_t instance = 0;
    uint64_t version = 0;
    bool operator==(const StateToken&) const = default;
  };
  virtual std::optional<StateToken> State() const { return std::nullopt; }

  // Nodes with `label` whose string `path` property equals `path` exactly (added in session 6:
  // `(:File {path: 'x'})` without reading every node of the file). Ascending NodeKey order; an
  // error shows in cursor->status(). Costs a few index seeks per node yielded.
  virtual std::unique_ptr<NodeCursor> ScanPathLabel(std::string_view path, LabelId label) = 0;

  // The number of neighbours ExpandNeighbors(nodes, dir, type) would yield for each node (added
  // in session 7 for the query engine's count-only expansions: count(*) over a last hop needs
  // the degrees, not the neighbours): on success (*degrees)[i] == offsets[i + 1] - offsets[i] of
  // that call, i.e. the visible edges of nodes[i] in `dir` (of `type` if given; kBoth counts a
  // self-loop twice); 0 for absent nodes. *degrees is resized to nodes.size(). Served without
  // reading the neighbours when the adjacency index is in use. IOError/Corruption on failure.
  virtual Status Degrees(const std::vector<NodeKey>& nodes, Direction dir,
                         std::optional<EdgeTypeId> type, std::vector<uint64_t>* degrees);

 protected:
  Snapshot() = default;
};

// Loads many files' facts fast: the first ingest of a repository, imports, benchmarks. Made by
// GraphStore::NewBulkWriter. Each Add() has exactly the effect of ApplyBatch() with the same
// batch (same validation and errors, same resulting graph: the same NodeKeys, seqs, index
// entries and counts), but is much cheaper. Two modes, chosen by NewBulkWriter:
//  - Fresh load (the graph is empty: no node key ever allocated and no file stored). Add() reads
//    nothing from RocksDB: the writer keeps the graph's ids, the records of nodes no file owns
//    and edge endpoints in memory and buffers every key it writes, spilling sorted runs to a
//    temporary folder inside the database folder (memory stays bounded: about 100 bytes per node
//    and 20 per edge, plus four 64 MiB buffers: the label and property index entries are made by a
//    second thread into buffers of their own; of each pair, one fills while a background thread
//    sorts and spills the other). Finish() merges the runs into one sorted SST file per column
//    family, sets every dangling flag and count from the final node set, and ingests all files in
//    one atomic step (a small load: one synced WriteBatch, as atomic). Readers see the graph empty
//    until then. A crash or kill before Finish() returns leaves the graph EMPTY (as it was;
//    leftover run files are deleted at the next Open), never partial. If a batch replaces a file
//    added earlier in the same load, or upserts a node owned by a file of the load, the writer
//    first stores what it holds (as Finish() would) and continues in the general mode.
//  - General (the graph has content): facts skip the write-ahead log and the indexes and file
//    texts are written as sorted files; nothing is durable until Finish() returns OK: a crash
//    before it may leave any part of what was added since the writer was made (never older
//    data) missing, so the graph may be inconsistent; drop it and load it again. Readers may see
//    the graph half-loaded (e.g. nodes not yet in their label index) until Finish() returns.
// The writer holds the store's write lock from NewBulkWriter until Finish() or destruction:
// every other write of the store waits meanwhile. Not thread-safe; use it from one thread.
// REQUIRES: the thread that owns a BulkWriter does not write through the GraphStore directly.
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;  // finishes (errors are lost) if Finish() was not called
  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  // Applies one batch as ApplyBatch() would (errors likewise; on error nothing of that batch
  // is applied and earlier batches stay). InvalidArgument after Finish().
  virtual Status Add(const FactBatch& batch) = 0;
  // Completes and persists everything added and releases the write lock: a fresh load ingests
  // its sorted files (one per column family, so reads find one sorted run); a general load
  // writes the buffered indexes, flushes memtables to synced files and compacts the graph's key
  // range. IOError/Corruption on failure (a fresh load then leaves the graph empty). Idempotent.
  virtual Status Finish() = 0;

 protected:
  BulkWriter() = default;
};

struct Options {
  bool create_if_missing = true;
  // Sync the WAL on every batch (a killed process or machine loses nothing acknowledged).
  bool sync_writes = true;
  size_t block_cache_bytes = 256u << 20;
  // Memory for the adjacency indexes of all graphs together. A graph's index is an in-memory
  // copy of its visible edges (about 28 bytes per edge plus 8 per NodeKey ever allocated) that
  // serves ExpandKeys, ExpandNeighbors and FindNode's existence check without RocksDB reads, and
  // of its qualified names for ScanQualifiedName (about 40 bytes plus the name per node that has
  // one; left out when only the edges fit). Built
  // in a background thread on the first hop read after a write (reads use RocksDB meanwhile) and
  // used only by snapshots of exactly the state it was built from, so results never differ. A new
  // index that does not fit beside the others drops the least recently used ones; a graph that
  // would need more than all of it is read from RocksDB. 0 disables the index.
  size_t adjacency_index_bytes = 256u << 20;
  // Memory for memtables (recent writes not yet flushed to SST files), all column families
  // together: once they pass it, RocksDB flushes the largest. Bulk loads write SST files and use
  // none of it. Must be at least 1 MiB (InvalidArgument from Open otherwise).
  size_t write_buffer_bytes = 128u << 20;
};

// Where a store's memory goes, in bytes (GraphStore::GetMemoryUsage). Figures come from RocksDB's
// own accounting and are estimates of what each part holds at the moment of the call.
struct MemoryUsage {
  uint64_t memtable_bytes = 0;            // all memtables, active and being flushed
  uint64_t block_cache_bytes = 0;         // block cache in use (at most Options::block_cache_bytes)
  uint64_t block_cache_pinned_bytes = 0;  // of which pinned by open iterators or snapshots
  uint64_t table_readers_bytes = 0;       // SST index and filter blocks held outside the cache
  uint64_t adjacency_index_bytes = 0;     // adjacency indexes of all graphs
};

class GraphStore {
 public:
  // Opens (creating if allowed) the database in folder `dir`. Errors: IOError (cannot open or
  // locked by another process), Corruption (unreadable or a newer/unknown format version),
  // InvalidArgument (missing and !create_if_missing). The caller owns the returned store.
  static Result<std::unique_ptr<GraphStore>> Open(const std::string& dir, const Options& options);

  virtual ~GraphStore() = default;
  GraphStore(const GraphStore&) = delete;
  GraphStore& operator=(const GraphStore&) = delete;

  // ---- Graphs. Names: 1-64 chars of [A-Za-z0-9_.-]; InvalidArgument otherwise. ----
  // AlreadyExists if present.
  virtual Status CreateGraph(std::string_view name) = 0;
  // Creates the graph if it does not exist; OK either way.
  virtual Status EnsureGraph(std::string_view name) = 0;
  // Removes every key of the graph. NotFound if absent.
  virtual Status DropGraph(std::string_view name) = 0;
  virtual Result<std::vector<GraphInfo>> ListGraphs() = 0;
  virtual Result<GraphInfo> GetGraph(std::string_view name) = 0;  // NotFound if absent

  // ---- Writes (serialized; each call is one atomic RocksDB WriteBatch) ----

  // Replaces all facts of batch.path (see header comment), or adds graph-level facts when
  // batch.path is empty. Returns OK only once the batch is durable (per Options::sync_writes).
  // Errors: NotFound (no such graph), InvalidArgument (empty node id, the
  // same non-shared id twice in the batch, an id owned by another file, over-long name or
  // label, a property named `id`, property values nested deeper than 64 lists/maps, an edge with
  // an empty endpoint or type), ResourceExhausted (label/type ids used up), IOError, Corruption.
  // On error nothing of the batch is applied.
  virtual Status ApplyBatch(std::string_view graph, const FactBatch& batch) = 0;

  // A bulk writer for `graph` (see BulkWriter). NotFound if the graph does not exist. Caller owns
  // it; it must be destroyed before the store.
  virtual Result<std::unique_ptr<BulkWriter>> NewBulkWriter(std::string_view graph) = 0;

  // Adds `batches` in order through a BulkWriter and finishes it. Stops at the first batch that
  // fails and returns its error (with the batch's path), after persisting the batches before it.
  virtual Status BulkLoad(std::string_view graph, const std::vector<FactBatch>& batches) = 0;

  // Deletes every fact the file's last batch wrote, and the file record. NotFound if the graph
  // or the file is unknown.
  virtual Status DeleteFile(std::string_view graph, std::string_view path) = 0;

  // ---- Dictionaries (label and edge-type names <-> ids); shared by all graphs ----

  // The id of a label / edge type name; built-in names (any case or alias) map to schema ids;
  // other names get ids >= schema::kFirstUserId, created on first use when `create` is true.
  // NotFound when absent and !create.
  virtual Result<LabelId> LabelIdFor(std::string_view name, bool create = false) = 0;
  virtual Result<EdgeTypeId> EdgeTypeIdFor(std::string_view name, bool create = false) = 0;
  // The name of an id (canonical for built-ins); NotFound if never assigned.
  virtual Result<std::string> LabelNameOf(LabelId id) = 0;
  virtual Result<std::string> EdgeTypeNameOf(EdgeTypeId id) = 0;
  // All label / type names in use by the database (built-ins included).
  virtual std::vector<std::string> KnownLabels() = 0;
  virtual std::vector<std::string> KnownEdgeTypes() = 0;

  // ---- Reads ----

  // A snapshot of `graph` as of now. NotFound if the graph does not exist. Caller owns it.
  virtual Result<std::unique_ptr<Snapshot>> GetSnapshot(std::string_view graph) = 0;

  // ---- Integrity ----

  // Checks, at one snapshot, that every derived entry of `graph` agrees with its node and edge
  // records: ids map each node's id to its key; every index (label_index, label_name,
  // label_name_ci, qname, qname_rev, path_index, line_index, name_trigrams) holds exactly the
  // entries the nodes imply, with the right values; each edge is stored in both directions with
  // identical values and a dangling flag that matches whether both ends exist; file records,
  // texts and manifests agree (manifest nodes exist and are owned by the file, manifest edges
  // exist, owners' files exist); every count equals a recount; node keys are below the graph's
  // key counter. Success (OK) means the check ran; report.ok() says whether the graph is
  // consistent. NotFound for an unknown graph; IOError if reading fails. Record-level
  // corruption (an undecodable value) is reported as a problem, not as an error. Reads the whole
  // graph; memory grows with its largest index. Thread-safe; runs concurrently with writers.
  virtual Result<FsckReport> Fsck(std::string_view graph) = 0;

  // ---- Memory ----
  // The store's memory by part (see MemoryUsage). Cheap (no reads); thread-safe.
  virtual MemoryUsage GetMemoryUsage() = 0;

  // ---- Durable job records (database-wide, not per graph) ----
  // Opaque bytes keyed by job id (the server stores JSON). Every job write is synced to disk
  // before it returns, whatever Options::sync_writes says, so an acknowledged job state survives
  // kill -9 and power loss. Job writes do not take the graph writer lock: they never wait for a
  // bulk load. Thread-safe. Ids and records may hold any bytes; ids are at most 1 KiB.

  // Stores `record` under `id`, replacing any previous record. InvalidArgument for an empty or
  // over-long id; IOError on failure (then the previous record, if any, is unchanged).
  virtual Status PutJob(std::string_view id, std::string_view record) = 0;
  // The record of `id`, or nullopt if there is none. IOError/Corruption on failure.
  virtual Result<std::optional<std::string>> GetJob(std::string_view id) = 0;
  // Every (id, record) pair, in bytewise id order. IOError/Corruption on failure.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListJobs() = 0;
  // Removes the record of `id`; OK if there was none. InvalidArgument for an empty id.
  virtual Status DeleteJob(std::string_view id) = 0;

 protected:
  GraphStore() = default;
};

}  // namespace kg::storage
