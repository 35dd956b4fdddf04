#pragma once
// Compact binary encodings of the values stored in codekg's column families (keys:
// storage/key_codec.h; prose: storage/FORMAT.md).
//
// Primitives: varint = unsigned LEB128 (7 bits per byte, low bits first, at most 10 bytes);
// zigzag maps signed to unsigned (0,-1,1,-2.. -> 0,1,2,3..); fixed64 = 8 bytes little-endian.
//
// Value: a tag byte (ValueTag) then the payload:
//   null, false, true  nothing
//   int                zigzag varint
//   double             fixed64 of the IEEE-754 bit pattern (NaN and -0.0 round-trip)
//   string             varint length, bytes
//   list               varint count, that many Values
//   map                varint count, then per entry: varint key length, key bytes, Value
// Properties (a map) are stored without the leading tag: varint count, entries.
//
// Decoding never trusts the input: truncated data, unknown tags, counts larger than the bytes
// left, trailing bytes and nesting deeper than kMaxValueDepth return Status::Corruption; they never
// read out of bounds or crash. Encoders append to `out`.
// Thread-safety: all functions are pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/value.h"
#include "storage/graph_store.h"
#include "storage/key_codec.h"

namespace kg::storage {

// Tags of encoded Values. On disk: DO NOT CHANGE; append only.
enum class ValueTag : uint8_t {
  kNull = 0,
  kFalse = 1,
  kTrue = 2,
  kInt = 3,
  kDouble = 4,
  kString = 5,
  kList = 6,
  kMap = 7,
};

// Lists and maps may nest at most this deep (a scalar has depth 0, [1] depth 1). Writers check
// it with WithinDepth() so nothing is stored that could not be read back.
inline constexpr int kMaxValueDepth = 64;

// ---- Primitives ----
void PutVarint64(std::string* out, uint64_t v);
bool GetVarint64(std::string_view* in, uint64_t* v);  // false if truncated or > 10 bytes
void PutFixed64(std::string* out, uint64_t v);
bool GetFixed64(std::string_view* in, uint64_t* v);
void PutLengthPrefixed(std::string* out, std::string_view s);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);

// ---- Values and properties ----
void EncodeValue(const Value& v, std::string* out);
// Consumes one Value from the front of *in.
Status DecodeValue(std::string_view* in, Value* out);
void EncodeProperties(const Properties& props, std::string* out);
// Consumes a Properties encoding from the front of *in.
Status DecodeProperties(std::string_view* in, Properties* out);
// True when no list/map in `v` (or in the values of `props`) nests deeper than max_depth.
bool WithinDepth(const Value& v, int max_depth = kMaxValueDepth);
bool WithinDepth(const Properties& props, int max_depth = kMaxValueDepth);

// ---- Records. Each starts with a format tag byte (DO NOT CHANGE) so it can evolve. ----

// out_edges and in_edges value: u8 edge flags, then the edge's Properties. Both records of an
// edge hold the same bytes, so Expand reads either direction without a second lookup.
// kEdgeDangling is set exactly when the source or the target node record is missing; writers keep
// it up to date (see FORMAT.md), so readers skip dangling edges without looking nodes up.
enum EdgeFlag : uint8_t {
  kEdgeDangling = 0x01,  // DO NOT CHANGE
};
void EncodeEdgeValue(bool dangling, std::string_view encoded_props, std::string* out);
// Splits an edge value into its dangling flag and the encoded Properties (for DecodeProperties).
// Corruption on an empty value or unknown flag bits.
Status SplitEdgeValue(std::string_view in, bool* dangling, std::string_view* props_bytes);

// nodes cf value.
//   u8 kNodeRecordV1, length-prefixed id, length-prefixed owner path ("" = owned by no file),
//   varint label count, varint label ids, Properties.
inline constexpr uint8_t kNodeRecordV1 = 1;  // DO NOT CHANGE
struct StoredNode {
  std::string id;
  std::string owner;  // path of the file whose batch owns the node; "" for shared/graph-level
  std::vector<LabelId> labels;
  Properties props;
};
void EncodeStoredNode(const StoredNode& node, std::string* out);
// The same encoding from parts (avoids copying properties into a StoredNode).
void EncodeStoredNode(std::string_view id, std::string_view owner,
                      const std::vector<LabelId>& labels, const Properties& props,
                      std::string* out);
Status DecodeStoredNode(std::string_view in, StoredNode* out);  // whole input
// A projection of a node record (whole input): (*out)[i] is the value of property names[i], or
// null when the node has none; the name "id" yields the node's id. Corruption on a malformed
// record, as DecodeStoredNode (a duplicate property key is detected when adjacent, as writers
// store keys in ascending order). Builds no Properties map: the cheap path for a few properties.
Status DecodeStoredNodeValues(std::string_view in, const std::vector<std::string>& names,
                              std::vector<Value>* out);

// files cf value.
//   u8 kFileRecordV1, length-prefixed content_hash, length-prefixed language, varint size,
//   varint node_count, varint edge_count. (The path is the key.)
inline constexpr uint8_t kFileRecordV1 = 1;  // DO NOT CHANGE
void EncodeFileRecord(const FileRecord& file, std::string* out);
Status DecodeFileRecord(std::string_view in, FileRecord* out);  // leaves out->path unchanged

// file_facts cf value: what one file's batch wrote.
//   u8 kManifestV1, varint node count, varint NodeKeys; varint edge count, per edge: varint src,
//   varint type, varint dst, varint seq.
inline constexpr uint8_t kManifestV1 = 1;  // DO NOT CHANGE
struct Manifest {
  std::vector<NodeKey> nodes;  // nodes the file owns
  std::vector<EdgeId> edges;   // edges the file's batch wrote
};
void EncodeManifest(const Manifest& m, std::string* out);
Status DecodeManifest(std::string_view in, Manifest* out);

// name_trigrams posting blocks (FORMAT.md "name_trigrams"). The block of (trigram, base) holds
// the trigram's entries for the node keys [base, base + 2^kTrigramBucketBits); base is a node key
// with those low bits zero. A block value, and every merge operand written to one, is a list of
// items: u8 kind (1 put, 0 delete), varint (node key - base), and for a put the node's label list
// (varint byte length, then EncodeLabelList's bytes). A stored block (its operands merged) holds
// only puts, one per node key, in increasing node-key order.
inline constexpr int kTrigramBucketBits = 10;
inline constexpr NodeKey TrigramBucketOf(NodeKey k) {
  return k & ~((NodeKey{1} << kTrigramBucketBits) - 1);
}
struct TrigramItem {
  uint64_t offset = 0;  // node key - base
  bool put = false;
  std::string_view labels;  // a put's label list (a view into the block)
};
void AppendTrigramItem(std::string* out, bool put, uint64_t offset, std::string_view labels);
// Appends the items of `block` to *out, in order; false when it is malformed (an offset beyond
// the bucket, a truncated item, an unknown kind).
bool DecodeTrigramItems(std::string_view block, std::vector<TrigramItem>* out);
// The stored block that results from applying `operands` (item lists, oldest first) to
// `existing` (a stored block; null when the key had none): one put per node key, the last item
// of each node key wins and deletes drop it. False when an input is malformed. The result may be
// empty (every entry deleted), which readers treat as no block.
bool MergeTrigramBlock(const std::string_view* existing,
                       const std::vector<std::string_view>& operands, std::string* out);

}  // namespace kg::storage
