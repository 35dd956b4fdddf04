// libFuzzer target: the storage key codec (storage/key_codec.h). From the input it takes two
// tuples (graph, a, type, b, seq, string, i64 pair) and checks, for each column family's key:
//   round trip: decoding an encoded key gives the fields back;
//   order: encoded keys compare bytewise exactly as their tuples compare field by field;
// and it decodes the raw input as every kind of key (never reading out of bounds; a key that
// decodes re-encodes to a key that decodes to the same fields).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/key_codec.h"

namespace {

using namespace kg::storage;

void Check(bool ok) {
  if (!ok) std::abort();
}

// Consumes fields from the front of the input (zeros once it runs out).
class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), left_(size) {}
  template <typename T>
  T Int() {
    T v{};
    size_t n = std::min(sizeof(T), left_);
    std::memcpy(&v, p_, n);
    p_ += n;
    left_ -= n;
    return v;
  }
  std::string String() {
    size_t n = std::min<size_t>(Int<uint8_t>() % 24, left_);
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    left_ -= n;
    return s;
  }

 private:
  const uint8_t* p_;
  size_t left_;
};

struct Tuple {
  GraphId graph;
  NodeKey a;
  EdgeTypeId type;
  NodeKey b;
  uint32_t seq;
  std::string s;
  int64_t start, end;
};

Tuple Take(Input& in) {
  Tuple t;
  t.graph = in.Int<uint8_t>() % 3;  // small, so that equal prefixes happen
  t.a = in.Int<uint16_t>() % 5;
  t.type = static_cast<EdgeTypeId>(in.Int<uint8_t>() % 4);
  t.b = in.Int<uint64_t>();
  t.seq = in.Int<uint32_t>();
  t.s = in.String();
  t.start = in.Int<int64_t>();
  t.end = in.Int<int64_t>();
  return t;
}

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

template <typename T>
int Cmp(const T& x, const T& y) {
  return x < y ? -1 : y < x ? 1 : 0;
}

void CheckOrder(const std::string& kx, const std::string& ky, int tuple_cmp) {
  Check(Sign(kx.compare(ky)) == tuple_cmp);
}

void RoundTrips(const Tuple& t) {
  std::string k;
  EncodeEdgeKey(&k, t.graph, t.a, t.type, t.b, t.seq);
  GraphId g;
  NodeKey a, b;
  EdgeTypeId type;
  uint32_t seq;
  Check(DecodeEdgeKey(k, &g, &a, &type, &b, &seq));
  Check(g == t.graph && a == t.a && type == t.type && b == t.b && seq == t.seq);

  k.clear();
  EncodeNodeRecordKey(&k, t.graph, t.b);
  NodeKey node;
  Check(DecodeNodeRecordKey(k, &g, &node) && g == t.graph && node == t.b);

  k.clear();
  EncodeFileKey(&k, t.graph, t.s);
  std::string path;
  Check(DecodeFileKey(k, &g, &path) && g == t.graph && path == t.s);

  k.clear();
  EncodeLabelNameKey(&k, t.graph, t.type, t.s, t.b);
  Check(DecodeTrailingNodeKey(k, &node) && node == t.b);

  // line_index: the tail after the (graph, path) prefix.
  k.clear();
  EncodeLineIndexKey(&k, t.graph, t.s, t.start, t.end, t.b);
  std::string prefix;
  EncodeGraphPrefix(&prefix, t.graph);
  AppendString(&prefix, t.s);
  Check(k.compare(0, prefix.size(), prefix) == 0);
  int64_t start, end;
  Check(DecodeLineIndexTail(std::string_view(k).substr(prefix.size()), &start, &end, &node));
  Check(start == t.start && end == t.end && node == t.b);

  // Field readers.
  std::string f;
  AppendU8(&f, static_cast<uint8_t>(t.seq));
  AppendU16(&f, t.type);
  AppendU32(&f, t.seq);
  AppendU64(&f, t.b);
  AppendString(&f, t.s);
  AppendString(&f, "");
  KeyReader r(f);
  uint8_t u8;
  uint16_t u16;
  uint32_t u32;
  uint64_t u64;
  std::string s1, s2;
  Check(r.ReadU8(&u8) && r.ReadU16(&u16) && r.ReadU32(&u32) && r.ReadU64(&u64) &&
        r.ReadString(&s1) && r.ReadString(&s2) && r.done());
  Check(u8 == static_cast<uint8_t>(t.seq) && u16 == t.type && u32 == t.seq && u64 == t.b &&
        s1 == t.s && s2.empty());

  // Trigrams: sorted, distinct, and every one is a window of the lower-cased string.
  auto tris = TrigramsOf(t.s);
  for (size_t i = 1; i < tris.size(); ++i) Check(tris[i - 1] < tris[i]);
  Check(tris.size() <= (t.s.size() >= 3 ? t.s.size() - 2 : 0));

  // PrefixSuccessor is greater than every extension of the prefix.
  std::string succ = PrefixSuccessor(t.s);
  if (!succ.empty()) {
    Check(succ > t.s);
    Check(succ > t.s + std::string(8, '\xff'));
  }
  Check(Reversed(Reversed(t.s)) == t.s);
}

void Orders(const Tuple& x, const Tuple& y) {
  std::string kx, ky;
  EncodeEdgeKey(&kx, x.graph, x.a, x.type, x.b, x.seq);
  EncodeEdgeKey(&ky, y.graph, y.a, y.type, y.b, y.seq);
  CheckOrder(
      kx, ky,
      Cmp(std::tie(x.graph, x.a, x.type, x.b, x.seq), std::tie(y.graph, y.a, y.type, y.b, y.seq)));
  kx.clear();
  ky.clear();
  EncodeStringIndexKey(&kx, x.graph, x.s, x.b);
  EncodeStringIndexKey(&ky, y.graph, y.s, y.b);
  CheckOrder(kx, ky, Cmp(std::tie(x.graph, x.s, x.b), std::tie(y.graph, y.s, y.b)));
  kx.clear();
  ky.clear();
  EncodeFileKey(&kx, x.graph, x.s);
  EncodeFileKey(&ky, y.graph, y.s);
  CheckOrder(kx, ky, Cmp(std::tie(x.graph, x.s), std::tie(y.graph, y.s)));
  // line_index: start ascending, then end descending.
  kx.clear();
  ky.clear();
  EncodeLineIndexKey(&kx, x.graph, x.s, x.start, x.end, x.b);
  EncodeLineIndexKey(&ky, y.graph, y.s, y.start, y.end, y.b);
  int64_t nx = ~x.end, ny = ~y.end;
  CheckOrder(
      kx, ky,
      Cmp(std::tie(x.graph, x.s, x.start, nx, x.b), std::tie(y.graph, y.s, y.start, ny, y.b)));
  // A starts-with prefix sorts before every key whose string extends it.
  kx.clear();
  EncodeStringIndexStartsWith(&kx, x.graph, x.s);
  ky.clear();
  EncodeStringIndexKey(&ky, x.graph, x.s + y.s, y.b);
  Check(ky.compare(0, kx.size(), kx) == 0);
}

void DecodesRaw(std::string_view raw) {
  GraphId g;
  NodeKey a, b;
  EdgeTypeId type;
  uint32_t seq;
  if (DecodeEdgeKey(raw, &g, &a, &type, &b, &seq)) {
    std::string k;
    EncodeEdgeKey(&k, g, a, type, b, seq);
    GraphId g2;
    NodeKey a2, b2;
    EdgeTypeId type2;
    uint32_t seq2;
    Check(DecodeEdgeKey(k, &g2, &a2, &type2, &b2, &seq2));
    Check(g == g2 && a == a2 && type == type2 && b == b2 && seq == seq2);
  }
  std::string path;
  if (DecodeFileKey(raw, &g, &path)) {
    std::string k;
    EncodeFileKey(&k, g, path);
    std::string path2;
    GraphId g2;
    Check(DecodeFileKey(k, &g2, &path2) && g2 == g && path2 == path);
  }
  NodeKey node;
  (void)DecodeNodeRecordKey(raw, &g, &node);
  (void)DecodeTrailingNodeKey(raw, &node);
  int64_t start, end;
  (void)DecodeLineIndexTail(raw, &start, &end, &node);
  (void)LabelListHas(raw, 3);
  KeyReader r(raw);
  std::string s;
  while (r.ReadString(&s)) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DecodesRaw(std::string_view(reinterpret_cast<const char*>(data), size));
  Input in(data, size);
  Tuple x = Take(in);
  Tuple y = Take(in);
  RoundTrips(x);
  RoundTrips(y);
  Orders(x, y);
  Orders(y, x);
  Orders(x, x);
  return 0;
}
