#include "storage/value_codec.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace kg::storage {
namespace {

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

Status Truncated(std::string_view what) {
  return Status::Corruption(std::string("truncated ") + std::string(what));
}

// Reads a varint count and checks that at least `min_bytes_each` bytes per element remain, so a
// corrupt count cannot make us reserve or loop unboundedly.
bool GetCount(std::string_view* in, size_t min_bytes_each, uint64_t* count) {
  if (!GetVarint64(in, count)) return false;
  return *count <= in->size() / min_bytes_each;
}

Status DecodeValueAt(std::string_view* in, Value* out, int depth);

Status DecodeMapEntries(std::string_view* in, ValueMap* out, int depth) {
  uint64_t n = 0;
  // Each entry needs at least a key length byte and a value tag byte.
  if (!GetCount(in, 2, &n)) return Status::Corruption("bad map entry count in stored value");
  out->clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key;
    if (!GetLengthPrefixed(in, &key)) return Truncated("map key in stored value");
    Value v;
    KG_RETURN_IF_ERROR(DecodeValueAt(in, &v, depth));
    auto [it, inserted] = out->emplace(std::string(key), std::move(v));
    if (!inserted) return Status::Corruption("duplicate map key in stored value");
  }
  return Status::OK();
}

Status DecodeValueAt(std::string_view* in, Value* out, int depth) {
  if (in->empty()) return Truncated("value");
  uint8_t tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  switch (static_cast<ValueTag>(tag)) {
    case ValueTag::kNull:
      *out = Value();
      return Status::OK();
    case ValueTag::kFalse:
      *out = Value(false);
      return Status::OK();
    case ValueTag::kTrue:
      *out = Value(true);
      return Status::OK();
    case ValueTag::kInt: {
      uint64_t u = 0;
      if (!GetVarint64(in, &u)) return Truncated("integer value");
      *out = Value(UnZigZag(u));
      return Status::OK();
    }
    case ValueTag::kDouble: {
      uint64_t bits = 0;
      if (!GetFixed64(in, &bits)) return Truncated("double value");
      double d;
      std::memcpy(&d, &bits, sizeof d);
      *out = Value(d);
      return Status::OK();
    }
    case ValueTag::kString: {
      std::string_view s;
      if (!GetLengthPrefixed(in, &s)) return Truncated("string value");
      *out = Value(s);
      return Status::OK();
    }
    case ValueTag::kList: {
      if (depth >= kMaxValueDepth) return Status::Corruption("stored value nests too deep");
      uint64_t n = 0;
      if (!GetCount(in, 1, &n)) return Status::Corruption("bad list length in stored value");
      ValueList list;
      list.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        list.emplace_back();
        KG_RETURN_IF_ERROR(DecodeValueAt(in, &list.back(), depth + 1));
      }
      *out = Value(std::move(list));
      return Status::OK();
    }
    case ValueTag::kMap: {
      if (depth >= kMaxValueDepth) return Status::Corruption("stored value nests too deep");
      ValueMap map;
      KG_RETURN_IF_ERROR(DecodeMapEntries(in, &map, depth + 1));
      *out = Value(std::move(map));
      return Status::OK();
    }
  }
  return Status::Corruption("unknown value tag " + std::to_string(tag) + " in stored value");
}

}  // namespace

void PutVarint64(std::string* out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < 10 && i < in->size(); ++i) {
    uint64_t byte = static_cast<uint8_t>((*in)[i]);
    if (i == 9 && byte > 1) return false;  // overflows 64 bits
    result |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *v = result;
      return true;
    }
  }
  return false;
}

void PutFixed64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  out->append(buf, 8);
}

bool GetFixed64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | static_cast<uint8_t>((*in)[i]);
  *v = x;
  in->remove_prefix(8);
  return true;
}

void PutLengthPrefixed(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s);
}

bool GetLengthPrefixed(std::string_view* in, std::string_view* s) {
  uint64_t n = 0;
  if (!GetVarint64(in, &n) || n > in->size()) return false;
  *s = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

void EncodeValue(const Value& v, std::string* out) {
  switch (v.type()) {
    case Value::Type::kNull:
      out->push_back(static_cast<char>(ValueTag::kNull));
      return;
    case Value::Type::kBool:
      out->push_back(static_cast<char>(v.as_bool() ? ValueTag::kTrue : ValueTag::kFalse));
      return;
    case Value::Type::kInt:
      out->push_back(static_cast<char>(ValueTag::kInt));
      PutVarint64(out, ZigZag(v.as_int()));
      return;
    case Value::Type::kDouble: {
      out->push_back(static_cast<char>(ValueTag::kDouble));
      double d = v.as_double();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      PutFixed64(out, bits);
      return;
    }
    case Value::Type::kString:
      out->push_back(static_cast<char>(ValueTag::kString));
      PutLengthPrefixed(out, v.as_string());
      return;
    case Value::Type::kList:
      out->push_back(static_cast<char>(ValueTag::kList));
      PutVarint64(out, v.as_list().size());
      for (const Value& e : v.as_list()) EncodeValue(e, out);
      return;
    case Value::Type::kMap:
      out->push_back(static_cast<char>(ValueTag::kMap));
      EncodeProperties(v.as_map(), out);
      return;
  }
}

Status DecodeValue(std::string_view* in, Value* out) { return DecodeValueAt(in, out, 0); }

void EncodeProperties(const Properties& props, std::string* out) {
  PutVarint64(out, props.size());
  for (const auto& [k, v] : props) {
    PutLengthPrefixed(out, k);
    EncodeValue(v, out);
  }
}

Status DecodeProperties(std::string_view* in, Properties* out) {
  return DecodeMapEntries(in, out, 0);
}

bool WithinDepth(const Value& v, int max_depth) {
  if (v.is_list()) {
    if (max_depth <= 0) return false;
    for (const Value& e : v.as_list()) {
      if (!WithinDepth(e, max_depth - 1)) return false;
    }
  } else if (v.is_map()) {
    if (max_depth <= 0) return false;
    return WithinDepth(v.as_map(), max_depth - 1);
  }
  return true;
}

bool WithinDepth(const Properties& props, int max_depth) {
  for (const auto& [k, v] : props) {
    if (!WithinDepth(v, max_depth)) return false;
  }
  return true;
}

void EncodeStoredNode(const StoredNode& node, std::string* out) {
  EncodeStoredNode(node.id, node.owner, node.labels, node.props, out);
}

void EncodeStoredNode(std::string_view id, std::string_view owner,
                      const std::vector<LabelId>& labels, const Properties& props,
                      std::string* out) {
  out->push_back(static_cast<char>(kNodeRecordV1));
  PutLengthPrefixed(out, id);
  PutLengthPrefixed(out, owner);
  PutVarint64(out, labels.size());
  for (LabelId l : labels) PutVarint64(out, l);
  EncodeProperties(props, out);
}

Status DecodeStoredNode(std::string_view in, StoredNode* out) {
  if (in.empty()) return Truncated("node record");
  if (static_cast<uint8_t>(in[0]) != kNodeRecordV1) {
    return Status::Corruption("unknown node record version " +
                              std::to_string(static_cast<uint8_t>(in[0])));
  }
  in.remove_prefix(1);
  std::string_view id, owner;
  if (!GetLengthPrefixed(&in, &id) || !GetLengthPrefixed(&in, &owner)) {
    return Truncated("node record");
  }
  out->id.assign(id);
  out->owner.assign(owner);
  uint64_t n = 0;
  if (!GetCount(&in, 1, &n)) return Status::Corruption("bad label count in node record");
  out->labels.clear();
  out->labels.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t l = 0;
    if (!GetVarint64(&in, &l)) return Truncated("node record labels");
    if (l > std::numeric_limits<LabelId>::max()) {
      return Status::Corruption("label id out of range in node record");
    }
    out->labels.push_back(static_cast<LabelId>(l));
  }
  KG_RETURN_IF_ERROR(DecodeProperties(&in, &out->props));
  if (!in.empty()) return Status::Corruption("trailing bytes after node record");
  return Status::OK();
}

Status DecodeStoredNodeValues(std::string_view in, const std::vector<std::string>& names,
                              std::vector<Value>* out) {
  out->assign(names.size(), Value());
  if (in.empty()) return Truncated("node record");
  if (static_cast<uint8_t>(in[0]) != kNodeRecordV1) {
    return Status::Corruption("unknown node record version " +
                              std::to_string(static_cast<uint8_t>(in[0])));
  }
  in.remove_prefix(1);
  std::string_view id, owner;
  if (!GetLengthPrefixed(&in, &id) || !GetLengthPrefixed(&in, &owner)) {
    return Truncated("node record");
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "id") (*out)[i] = Value(std::string(id));
  }
  uint64_t n = 0;
  if (!GetCount(&in, 1, &n)) return Status::Corruption("bad label count in node record");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t l = 0;
    if (!GetVarint64(&in, &l)) return Truncated("node record labels");
    if (l > std::numeric_limits<LabelId>::max()) {
      return Status::Corruption("label id out of range in node record");
    }
  }
  // Properties, as DecodeProperties reads them (writers store keys in ascending order, so a
  // duplicate is adjacent).
  if (!GetCount(&in, 2, &n)) return Status::Corruption("bad property count");
  std::string_view prev;
  Value scratch;
  for (uint64_t p = 0; p < n; ++p) {
    std::string_view key;
    if (!GetLengthPrefixed(&in, &key)) return Truncated("property key");
    if (p > 0 && key == prev) return Status::Corruption("duplicate map key in stored value");
    prev = key;
    size_t want = names.size();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == key && names[i] != "id") want = i;
    }
    KG_RETURN_IF_ERROR(DecodeValue(&in, want < names.size() ? &(*out)[want] : &scratch));
  }
  if (!in.empty()) return Status::Corruption("trailing bytes after node record");
  return Status::OK();
}

void EncodeEdgeValue(bool dangling, std::string_view encoded_props, std::string* out) {
  out->push_back(static_cast<char>(dangling ? kEdgeDangling : 0));
  out->append(encoded_props);
}

Status SplitEdgeValue(std::string_view in, bool* dangling, std::string_view* props_bytes) {
  if (in.empty()) return Truncated("edge value");
  uint8_t flags = static_cast<uint8_t>(in[0]);
  if ((flags & ~kEdgeDangling) != 0) {
    return Status::Corruption("unknown edge flags " + std::to_string(flags));
  }
  *dangling = (flags & kEdgeDangling) != 0;
  *props_bytes = in.substr(1);
  return Status::OK();
}

void EncodeFileRecord(const FileRecord& file, std::string* out) {
  out->push_back(static_cast<char>(kFileRecordV1));
  PutLengthPrefixed(out, file.content_hash);
  PutLengthPrefixed(out, file.language);
  PutVarint64(out, file.size);
  PutVarint64(out, file.node_count);
  PutVarint64(out, file.edge_count);
}

Status DecodeFileRecord(std::string_view in, FileRecord* out) {
  if (in.empty()) return Truncated("file record");
  if (static_cast<uint8_t>(in[0]) != kFileRecordV1) {
    return Status::Corruption("unknown file record version " +
                              std::to_string(static_cast<uint8_t>(in[0])));
  }
  in.remove_prefix(1);
  std::string_view hash, lang;
  if (!GetLengthPrefixed(&in, &hash) || !GetLengthPrefixed(&in, &lang) ||
      !GetVarint64(&in, &out->size) || !GetVarint64(&in, &out->node_count) ||
      !GetVarint64(&in, &out->edge_count)) {
    return Truncated("file record");
  }
  if (!in.empty()) return Status::Corruption("trailing bytes after file record");
  out->content_hash.assign(hash);
  out->language.assign(lang);
  return Status::OK();
}

void EncodeManifest(const Manifest& m, std::string* out) {
  out->push_back(static_cast<char>(kManifestV1));
  PutVarint64(out, m.nodes.size());
  for (NodeKey k : m.nodes) PutVarint64(out, k);
  PutVarint64(out, m.edges.size());
  for (const EdgeId& e : m.edges) {
    PutVarint64(out, e.src);
    PutVarint64(out, e.type);
    PutVarint64(out, e.dst);
    PutVarint64(out, e.seq);
  }
}

Status DecodeManifest(std::string_view in, Manifest* out) {
  if (in.empty()) return Truncated("file manifest");
  if (static_cast<uint8_t>(in[0]) != kManifestV1) {
    return Status::Corruption("unknown file manifest version " +
                              std::to_string(static_cast<uint8_t>(in[0])));
  }
  in.remove_prefix(1);
  uint64_t n = 0;
  if (!GetCount(&in, 1, &n)) return Status::Corruption("bad node count in file manifest");
  out->nodes.clear();
  out->nodes.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t k = 0;
    if (!GetVarint64(&in, &k)) return Truncated("file manifest nodes");
    out->nodes.push_back(k);
  }
  if (!GetCount(&in, 4, &n)) return Status::Corruption("bad edge count in file manifest");
  out->edges.clear();
  out->edges.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t src = 0, type = 0, dst = 0, seq = 0;
    if (!GetVarint64(&in, &src) || !GetVarint64(&in, &type) || !GetVarint64(&in, &dst) ||
        !GetVarint64(&in, &seq)) {
      return Truncated("file manifest edges");
    }
    if (type > std::numeric_limits<EdgeTypeId>::max() ||
        seq > std::numeric_limits<uint32_t>::max()) {
      return Status::Corruption("edge field out of range in file manifest");
    }
    out->edges.push_back(
        EdgeId{src, static_cast<EdgeTypeId>(type), dst, static_cast<uint32_t>(seq)});
  }
  if (!in.empty()) return Status::Corruption("trailing bytes after file manifest");
  return Status::OK();
}

void AppendTrigramItem(std::string* out, bool put, uint64_t offset, std::string_view labels) {
  out->push_back(static_cast<char>(put ? 1 : 0));
  PutVarint64(out, offset);
  if (put) PutLengthPrefixed(out, labels);
}

bool DecodeTrigramItems(std::string_view block, std::vector<TrigramItem>* out) {
  while (!block.empty()) {
    TrigramItem item;
    const uint8_t kind = static_cast<uint8_t>(block[0]);
    block.remove_prefix(1);
    if (kind > 1 || !GetVarint64(&block, &item.offset) ||
        item.offset >= (uint64_t{1} << kTrigramBucketBits)) {
      return false;
    }
    item.put = kind == 1;
    if (item.put && !GetLengthPrefixed(&block, &item.labels)) return false;
    out->push_back(item);
  }
  return true;
}

bool MergeTrigramBlock(const std::string_view* existing,
                       const std::vector<std::string_view>& operands, std::string* out) {
  std::vector<TrigramItem> entries;  // puts by increasing offset
  if (existing != nullptr && !DecodeTrigramItems(*existing, &entries)) return false;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].put || (i > 0 && entries[i].offset <= entries[i - 1].offset)) return false;
  }
  std::vector<TrigramItem> items;
  for (std::string_view operand : operands) {
    items.clear();
    if (!DecodeTrigramItems(operand, &items)) return false;
    for (const TrigramItem& item : items) {
      auto at =
          std::lower_bound(entries.begin(), entries.end(), item.offset,
                           [](const TrigramItem& e, uint64_t offset) { return e.offset < offset; });
      const bool found = at != entries.end() && at->offset == item.offset;
      if (item.put) {
        if (found) {
          *at = item;
        } else {
          entries.insert(at, item);
        }
      } else if (found) {
        entries.erase(at);
      }
    }
  }
  out->clear();
  for (const TrigramItem& e : entries) AppendTrigramItem(out, true, e.offset, e.labels);
  return true;
}

}  // namespace kg::storage
