#pragma once
// The on-disk layout of codekg's RocksDB database: its column families, declared once, and the
// order-preserving binary encoding of every key. storage/FORMAT.md describes the same in prose.
//
// Key encoding. Keys are tuples of fields, each encoded so that comparing two encoded keys
// bytewise (RocksDB's default comparator) orders them exactly like comparing the tuples field by
// field:
//   u8/u16/u32/u64  fixed width, big-endian.
//   string          bytes with 0x00 escaped as 0x00 0xFF, then the terminator 0x00 0x01. A string
//                   that is a prefix of another sorts first, and fields after it stay aligned.
// Every key except those of `meta` starts with the u32 graph id, so one graph is one contiguous
// key range in each column family, and many graphs (repositories) share one database.
//
// Thread-safety: all functions are pure. Encoders append to `out` (they never clear it).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/graph_store.h"

namespace kg::storage {

// ---- Column families. Names and numbering are on disk: DO NOT CHANGE; append only. ----
// Values are described in storage/value_codec.h.
enum class Cf : uint8_t {
  // cf: meta: (tag u8, ...) -> see MetaTag. Format version, graph names -> ids, per-graph
  //     counters, label and edge-type dictionaries (shared by all graphs).
  kMeta = 0,
  // cf: nodes: (graph u32, nodekey u64) -> StoredNode (id, owner file, labels, props).
  kNodes = 1,
  // cf: ids: (graph u32, id string) -> nodekey u64 (fixed 8 bytes, big-endian). Never deleted
  //     except by DropGraph, so an id keeps its NodeKey forever.
  kIds = 2,
  // cf: out_edges: (graph u32, src u64, type u16, dst u64, seq u32) -> edge value (dangling
  //     flag + Properties).
  kOutEdges = 3,
  // cf: in_edges: (graph u32, dst u64, type u16, src u64, seq u32) -> edge value (the same bytes
  //     as the out_edges record).
  kInEdges = 4,
  // cf: label_index: (graph u32, label u16, nodekey u64) -> empty.
  kLabelIndex = 5,
  // cf: label_name: (graph u32, label u16, name string, nodekey u64) -> empty. Exact `name`.
  kLabelName = 6,
  // cf: label_name_ci: (graph u32, label u16, ToLowerAscii(name) string, nodekey u64) -> empty.
  kLabelNameCi = 7,
  // cf: files: (graph u32, path string) -> StoredFile (hash, language, sizes, counts).
  kFiles = 8,
  // cf: file_texts: (graph u32, path string) -> the file's text, raw bytes.
  kFileTexts = 9,
  // cf: file_facts: (graph u32, path string) -> Manifest (node keys and edge keys the file's
  //     last batch wrote; what the next replace deletes).
  kFileFacts = 10,
  // cf: counts: (graph u32, kind u8, id u32) -> uint64 (fixed 8 bytes, little-endian).
  kCounts = 11,
  // ---- Added in format version 2. ----
  // cf: jobs: (id, raw bytes to the end) -> job record (opaque bytes, JSON by convention).
  //     Database-wide: the only column family besides meta whose keys have no graph prefix.
  kJobs = 12,
  // cf: qname: (graph u32, qualified_name string, nodekey u64) -> labels (u16 each).
  kQualifiedName = 13,
  // cf: qname_rev: (graph u32, reversed qualified_name string, nodekey u64) -> labels (u16 each).
  //     Byte-reversed, so ENDS WITH is a prefix scan.
  kQualifiedNameRev = 14,
  // cf: path_index: (graph u32, path string, nodekey u64) -> empty. The `path` property.
  kPathIndex = 15,
  // cf: line_index: (graph u32, path string, start_line i64, ~end_line i64, nodekey u64) -> empty.
  //     Signed fields as u64 with the sign bit flipped; end_line also bit-inverted so that a
  //     backward scan yields the latest start first and, among equal starts, the smallest end.
  kLineIndex = 16,
  // cf: name_trigrams: (graph u32, trigram 3 bytes, bucket nodekey u64) -> posting block (the
  //     entries of the bucket's nodes: value_codec.h). Every distinct 3-byte window of
  //     ToLowerAscii(name). Written by merges (format version 3).
  kNameTrigrams = 17,
};
inline constexpr size_t kNumCfs = 18;
// The column families of format version 1 (a database without the others is a v1 database).
inline constexpr size_t kNumCfsV1 = 12;

// The RocksDB name of a column family, e.g. "out_edges".
std::string_view CfName(Cf cf);

// The layout version written to meta at create and checked at open. Bump it on any incompatible
// change to this file or value_codec.h; a database with another version is refused (Corruption).
inline constexpr uint32_t kFormatVersion = 3;

// First byte of every `meta` key. DO NOT CHANGE.
enum class MetaTag : uint8_t {
  kFormatVersion = 0x01,  // () -> fixed32 big-endian format version
  kGraphByName = 0x02,    // (name, raw bytes to the end) -> u32 graph id (big-endian)
  kNextGraphId = 0x03,    // () -> u32 next graph id (big-endian)
  kGraphCounter = 0x04,   // (graph u32, GraphCounter u8) -> u64 (big-endian)
  // Dictionaries of user label / edge-type names (built-ins live in common/schema.def and are
  // never stored). Names resolve case-insensitively: the name -> id map is rebuilt in memory at
  // open from these entries, keyed by ToLowerAscii(name).
  kLabelName = 0x10,  // (label u16) -> name as first spelled, raw bytes
  kTypeName = 0x11,   // (type u16) -> name as first spelled, raw bytes
};

// Per-graph counters in meta. DO NOT CHANGE.
enum class GraphCounter : uint8_t {
  kNextNodeKey = 0,  // the next NodeKey to allocate (starts at 1)
};

// Kinds of the `counts` column family. DO NOT CHANGE.
enum class CountKind : uint8_t {
  kNodes = 0,     // id 0: nodes of the graph
  kLabel = 1,     // id = LabelId: nodes carrying the label
  kEdges = 2,     // id 0: visible (non-dangling) edges of the graph
  kEdgeType = 3,  // id = EdgeTypeId: visible edges of the type
  kFiles = 4,     // id 0: files of the graph
  kTrigram = 5,   // id = TrigramId: nodes whose lower-cased name contains the trigram
};

// The identity of one stored edge (the key of out_edges minus the graph).
struct EdgeId {
  NodeKey src = 0;
  EdgeTypeId type = 0;
  NodeKey dst = 0;
  uint32_t seq = 0;
  bool operator==(const EdgeId&) const = default;
};

// ---- Field encoders ----
void AppendU8(std::string* out, uint8_t v);
void AppendU16(std::string* out, uint16_t v);
void AppendU32(std::string* out, uint32_t v);
void AppendU64(std::string* out, uint64_t v);
void AppendString(std::string* out, std::string_view s);  // escaped + terminated

// Reads fields back in order. Every Read* returns false (and leaves the reader unusable) when the
// input is too short or malformed; it never reads out of bounds.
class KeyReader {
 public:
  explicit KeyReader(std::string_view in) : in_(in) {}
  bool ReadU8(uint8_t* v);
  bool ReadU16(uint16_t* v);
  bool ReadU32(uint32_t* v);
  bool ReadU64(uint64_t* v);
  bool ReadString(std::string* s);
  bool Skip(size_t n);
  bool done() const { return in_.empty(); }
  std::string_view rest() const { return in_; }

 private:
  std::string_view in_;
};

// The smallest string greater than every string starting with `prefix` (for upper bounds of
// prefix scans). Returns "" when no such string exists (prefix empty or all 0xFF).
std::string PrefixSuccessor(std::string_view prefix);

// ---- Keys of each column family ----

// (graph): the prefix of every graph-scoped key.
void EncodeGraphPrefix(std::string* out, GraphId graph);

// nodes: (graph, nodekey).
void EncodeNodeRecordKey(std::string* out, GraphId graph, NodeKey key);
bool DecodeNodeRecordKey(std::string_view key, GraphId* graph, NodeKey* node);

// ids: (graph, id).
void EncodeIdKey(std::string* out, GraphId graph, std::string_view id);

// out_edges (a=src, b=dst) and in_edges (a=dst, b=src): (graph, a, type, b, seq).
void EncodeEdgeKey(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type, NodeKey b,
                   uint32_t seq);
void EncodeOutEdgeKey(std::string* out, GraphId graph, const EdgeId& e);
void EncodeInEdgeKey(std::string* out, GraphId graph, const EdgeId& e);
// Prefixes (graph, a), (graph, a, type), (graph, a, type, b).
void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a);
void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type);
void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type, NodeKey b);
// Decodes either edge key into its raw fields (a, type, b, seq).
bool DecodeEdgeKey(std::string_view key, GraphId* graph, NodeKey* a, EdgeTypeId* type, NodeKey* b,
                   uint32_t* seq);

// label_index: (graph, label, nodekey); prefix (graph, label).
void EncodeLabelIndexKey(std::string* out, GraphId graph, LabelId label, NodeKey node);
void EncodeLabelPrefix(std::string* out, GraphId graph, LabelId label);
// label_name / label_name_ci: (graph, label, name, nodekey); prefix (graph, label, name).
void EncodeLabelNameKey(std::string* out, GraphId graph, LabelId label, std::string_view name,
                        NodeKey node);
void EncodeLabelNamePrefix(std::string* out, GraphId graph, LabelId label, std::string_view name);
// The NodeKey at the end of a label_index / label_name / label_name_ci key.
bool DecodeTrailingNodeKey(std::string_view key, NodeKey* node);

// files / file_texts / file_facts: (graph, path).
void EncodeFileKey(std::string* out, GraphId graph, std::string_view path);
bool DecodeFileKey(std::string_view key, GraphId* graph, std::string* path);

// counts: (graph, kind, id).
void EncodeCountKey(std::string* out, GraphId graph, CountKind kind, uint32_t id);

// jobs: (id) raw.
void EncodeJobKey(std::string* out, std::string_view id);

// qname / qname_rev / path_index: (graph, string, nodekey); prefix (graph, string) with the
// terminator; a starts-with prefix (graph, escaped bytes) without it.
void EncodeStringIndexKey(std::string* out, GraphId graph, std::string_view s, NodeKey node);
void EncodeStringIndexPrefix(std::string* out, GraphId graph, std::string_view s);
void EncodeStringIndexStartsWith(std::string* out, GraphId graph, std::string_view prefix);
// The bytes of `s` in reverse order (the qname_rev field).
std::string Reversed(std::string_view s);

// line_index: (graph, path, start, ~end, nodekey); prefix (graph, path).
void EncodeLineIndexKey(std::string* out, GraphId graph, std::string_view path, int64_t start,
                        int64_t end, NodeKey node);
// Decodes the fields after the (graph, path) prefix of a line_index key.
bool DecodeLineIndexTail(std::string_view tail, int64_t* start, int64_t* end, NodeKey* node);
void AppendI64(std::string* out, int64_t v);  // sign bit flipped, big-endian

// name_trigrams: (graph, trigram, nodekey of the block's bucket); prefix (graph, trigram).
using TrigramId = uint32_t;  // the 3 bytes, big-endian, in the low 24 bits
void EncodeTrigramKey(std::string* out, GraphId graph, TrigramId t, NodeKey node);
void EncodeTrigramPrefix(std::string* out, GraphId graph, TrigramId t);
// The distinct trigrams of ToLowerAscii(s), sorted; empty when s is shorter than 3 bytes.
std::vector<TrigramId> TrigramsOf(std::string_view s);
// Index values listing labels: u16 big-endian each.
void EncodeLabelList(std::string* out, const std::vector<LabelId>& labels);
bool LabelListHas(std::string_view value, LabelId label);

// meta keys.
void EncodeMetaFormatVersionKey(std::string* out);
void EncodeMetaGraphByNameKey(std::string* out, std::string_view name);
void EncodeMetaNextGraphIdKey(std::string* out);
void EncodeMetaGraphCounterKey(std::string* out, GraphId graph, GraphCounter counter);
// (tag, graph): prefix of all meta keys of one graph (its counters).
void EncodeMetaGraphCounterPrefix(std::string* out, GraphId graph);
// (tag, id) of a dictionary entry; labels=false for edge types.
void EncodeMetaDictNameKey(std::string* out, bool labels, uint16_t id);
void EncodeMetaDictPrefix(std::string* out, bool labels);

}  // namespace kg::storage
