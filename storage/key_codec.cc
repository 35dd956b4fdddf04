#include "storage/key_codec.h"

#include <algorithm>
#include <array>

namespace kg::storage {

std::string_view CfName(Cf cf) {
  // On disk: DO NOT CHANGE.
  static constexpr std::array<std::string_view, kNumCfs> kNames = {
      "meta",       "nodes",         "ids",       "out_edges",  "in_edges",   "label_index",
      "label_name", "label_name_ci", "files",     "file_texts", "file_facts", "counts",
      "jobs",       "qname",         "qname_rev", "path_index", "line_index", "name_trigrams"};
  return kNames[static_cast<size_t>(cf)];
}

namespace {
// The low `n` bytes of v, most significant first, at `at`.
inline void PutBigEndian(char* at, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) at[i] = static_cast<char>(v >> (8 * (n - 1 - i)));
}
}  // namespace

void AppendU8(std::string* out, uint8_t v) { out->push_back(static_cast<char>(v)); }

void AppendU16(std::string* out, uint16_t v) {
  char buf[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(buf, 2);
}

void AppendU32(std::string* out, uint32_t v) {
  char buf[4];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (24 - 8 * i));
  out->append(buf, 4);
}

void AppendU64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (56 - 8 * i));
  out->append(buf, 8);
}

void AppendString(std::string* out, std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\0') {
      out->append(s.data() + start, i - start);
      out->push_back('\0');
      out->push_back('\xff');
      start = i + 1;
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('\0');
  out->push_back('\x01');
}

bool KeyReader::Skip(size_t n) {
  if (in_.size() < n) {
    in_ = {};
    return false;
  }
  in_.remove_prefix(n);
  return true;
}

bool KeyReader::ReadU8(uint8_t* v) {
  if (in_.empty()) return false;
  *v = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  return true;
}

bool KeyReader::ReadU16(uint16_t* v) {
  if (in_.size() < 2) return Skip(2);
  *v = static_cast<uint16_t>((static_cast<uint8_t>(in_[0]) << 8) | static_cast<uint8_t>(in_[1]));
  in_.remove_prefix(2);
  return true;
}

bool KeyReader::ReadU32(uint32_t* v) {
  if (in_.size() < 4) return Skip(4);
  uint32_t x = 0;
  for (int i = 0; i < 4; ++i) x = (x << 8) | static_cast<uint8_t>(in_[i]);
  *v = x;
  in_.remove_prefix(4);
  return true;
}

bool KeyReader::ReadU64(uint64_t* v) {
  if (in_.size() < 8) return Skip(8);
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<uint8_t>(in_[i]);
  *v = x;
  in_.remove_prefix(8);
  return true;
}

bool KeyReader::ReadString(std::string* s) {
  s->clear();
  size_t i = 0;
  while (i + 1 < in_.size()) {
    if (in_[i] != '\0') {
      s->push_back(in_[i]);
      ++i;
      continue;
    }
    char next = in_[i + 1];
    if (next == '\x01') {  // terminator
      in_.remove_prefix(i + 2);
      return true;
    }
    if (next != '\xff') break;  // malformed escape
    s->push_back('\0');
    i += 2;
  }
  in_ = {};
  return false;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xff) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

void EncodeGraphPrefix(std::string* out, GraphId graph) { AppendU32(out, graph); }

void EncodeNodeRecordKey(std::string* out, GraphId graph, NodeKey key) {
  AppendU32(out, graph);
  AppendU64(out, key);
}

bool DecodeNodeRecordKey(std::string_view key, GraphId* graph, NodeKey* node) {
  KeyReader r(key);
  return r.ReadU32(graph) && r.ReadU64(node) && r.done();
}

void EncodeIdKey(std::string* out, GraphId graph, std::string_view id) {
  AppendU32(out, graph);
  AppendString(out, id);
}

void EncodeEdgeKey(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type, NodeKey b,
                   uint32_t seq) {
  // One append of the whole key (a bulk load encodes two per edge).
  char buf[26];
  PutBigEndian(buf, graph, 4);
  PutBigEndian(buf + 4, a, 8);
  PutBigEndian(buf + 12, type, 2);
  PutBigEndian(buf + 14, b, 8);
  PutBigEndian(buf + 22, seq, 4);
  out->append(buf, sizeof(buf));
}

void EncodeOutEdgeKey(std::string* out, GraphId graph, const EdgeId& e) {
  EncodeEdgeKey(out, graph, e.src, e.type, e.dst, e.seq);
}

void EncodeInEdgeKey(std::string* out, GraphId graph, const EdgeId& e) {
  EncodeEdgeKey(out, graph, e.dst, e.type, e.src, e.seq);
}

void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a) {
  AppendU32(out, graph);
  AppendU64(out, a);
}

void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type) {
  EncodeEdgePrefix(out, graph, a);
  AppendU16(out, type);
}

void EncodeEdgePrefix(std::string* out, GraphId graph, NodeKey a, EdgeTypeId type, NodeKey b) {
  EncodeEdgePrefix(out, graph, a, type);
  AppendU64(out, b);
}

bool DecodeEdgeKey(std::string_view key, GraphId* graph, NodeKey* a, EdgeTypeId* type, NodeKey* b,
                   uint32_t* seq) {
  KeyReader r(key);
  return r.ReadU32(graph) && r.ReadU64(a) && r.ReadU16(type) && r.ReadU64(b) && r.ReadU32(seq) &&
         r.done();
}

void EncodeLabelIndexKey(std::string* out, GraphId graph, LabelId label, NodeKey node) {
  EncodeLabelPrefix(out, graph, label);
  AppendU64(out, node);
}

void EncodeLabelPrefix(std::string* out, GraphId graph, LabelId label) {
  AppendU32(out, graph);
  AppendU16(out, label);
}

void EncodeLabelNameKey(std::string* out, GraphId graph, LabelId label, std::string_view name,
                        NodeKey node) {
  EncodeLabelNamePrefix(out, graph, label, name);
  AppendU64(out, node);
}

void EncodeLabelNamePrefix(std::string* out, GraphId graph, LabelId label, std::string_view name) {
  EncodeLabelPrefix(out, graph, label);
  AppendString(out, name);
}

bool DecodeTrailingNodeKey(std::string_view key, NodeKey* node) {
  if (key.size() < 4 + 8) return false;
  KeyReader r(key.substr(key.size() - 8));
  return r.ReadU64(node);
}

void EncodeFileKey(std::string* out, GraphId graph, std::string_view path) {
  AppendU32(out, graph);
  AppendString(out, path);
}

bool DecodeFileKey(std::string_view key, GraphId* graph, std::string* path) {
  KeyReader r(key);
  return r.ReadU32(graph) && r.ReadString(path) && r.done();
}

void EncodeCountKey(std::string* out, GraphId graph, CountKind kind, uint32_t id) {
  AppendU32(out, graph);
  AppendU8(out, static_cast<uint8_t>(kind));
  AppendU32(out, id);
}

void EncodeJobKey(std::string* out, std::string_view id) { out->append(id); }

void EncodeStringIndexKey(std::string* out, GraphId graph, std::string_view s, NodeKey node) {
  EncodeStringIndexPrefix(out, graph, s);
  AppendU64(out, node);
}

void EncodeStringIndexPrefix(std::string* out, GraphId graph, std::string_view s) {
  AppendU32(out, graph);
  AppendString(out, s);
}

void EncodeStringIndexStartsWith(std::string* out, GraphId graph, std::string_view prefix) {
  AppendU32(out, graph);
  AppendString(out, prefix);
  out->resize(out->size() - 2);  // drop the terminator: escaping is per byte, so this prefixes
                                 // the encoding of every string that starts with `prefix`
}

std::string Reversed(std::string_view s) { return std::string(s.rbegin(), s.rend()); }

void AppendI64(std::string* out, int64_t v) {
  AppendU64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

void EncodeLineIndexKey(std::string* out, GraphId graph, std::string_view path, int64_t start,
                        int64_t end, NodeKey node) {
  EncodeStringIndexPrefix(out, graph, path);
  AppendI64(out, start);
  AppendU64(out, ~(static_cast<uint64_t>(end) ^ (uint64_t{1} << 63)));
  AppendU64(out, node);
}

bool DecodeLineIndexTail(std::string_view tail, int64_t* start, int64_t* end, NodeKey* node) {
  KeyReader r(tail);
  uint64_t s = 0, e = 0;
  if (!r.ReadU64(&s) || !r.ReadU64(&e) || !r.ReadU64(node) || !r.done()) return false;
  *start = static_cast<int64_t>(s ^ (uint64_t{1} << 63));
  *end = static_cast<int64_t>(~e ^ (uint64_t{1} << 63));
  return true;
}

void EncodeTrigramKey(std::string* out, GraphId graph, TrigramId t, NodeKey node) {
  char buf[15];  // one append (a bulk load encodes one per trigram of every name)
  PutBigEndian(buf, graph, 4);
  PutBigEndian(buf + 4, t, 3);
  PutBigEndian(buf + 7, node, 8);
  out->append(buf, sizeof(buf));
}

void EncodeTrigramPrefix(std::string* out, GraphId graph, TrigramId t) {
  AppendU32(out, graph);
  char buf[3] = {static_cast<char>(t >> 16), static_cast<char>(t >> 8), static_cast<char>(t)};
  out->append(buf, 3);
}

std::vector<TrigramId> TrigramsOf(std::string_view s) {
  std::vector<TrigramId> out;
  if (s.size() < 3) return out;
  auto lower = [](char c) -> uint32_t {
    unsigned char u = static_cast<unsigned char>(c);
    return (u >= 'A' && u <= 'Z') ? u - 'A' + 'a' : u;
  };
  out.reserve(s.size() - 2);
  for (size_t i = 0; i + 3 <= s.size(); ++i) {
    out.push_back(lower(s[i]) << 16 | lower(s[i + 1]) << 8 | lower(s[i + 2]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void EncodeLabelList(std::string* out, const std::vector<LabelId>& labels) {
  for (LabelId l : labels) AppendU16(out, l);
}

bool LabelListHas(std::string_view value, LabelId label) {
  for (size_t i = 0; i + 2 <= value.size(); i += 2) {
    uint16_t l = static_cast<uint16_t>(static_cast<unsigned char>(value[i]) << 8 |
                                       static_cast<unsigned char>(value[i + 1]));
    if (l == label) return true;
  }
  return false;
}

void EncodeMetaFormatVersionKey(std::string* out) {
  AppendU8(out, static_cast<uint8_t>(MetaTag::kFormatVersion));
}

void EncodeMetaGraphByNameKey(std::string* out, std::string_view name) {
  AppendU8(out, static_cast<uint8_t>(MetaTag::kGraphByName));
  out->append(name);
}

void EncodeMetaNextGraphIdKey(std::string* out) {
  AppendU8(out, static_cast<uint8_t>(MetaTag::kNextGraphId));
}

void EncodeMetaGraphCounterKey(std::string* out, GraphId graph, GraphCounter counter) {
  EncodeMetaGraphCounterPrefix(out, graph);
  AppendU8(out, static_cast<uint8_t>(counter));
}

void EncodeMetaGraphCounterPrefix(std::string* out, GraphId graph) {
  AppendU8(out, static_cast<uint8_t>(MetaTag::kGraphCounter));
  AppendU32(out, graph);
}

void EncodeMetaDictNameKey(std::string* out, bool labels, uint16_t id) {
  EncodeMetaDictPrefix(out, labels);
  AppendU16(out, id);
}

void EncodeMetaDictPrefix(std::string* out, bool labels) {
  AppendU8(out, static_cast<uint8_t>(labels ? MetaTag::kLabelName : MetaTag::kTypeName));
}

}  // namespace kg::storage
