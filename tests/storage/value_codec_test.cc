#include "storage/value_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace kg::storage {
namespace {

using namespace std::string_literals;

// Bitwise equality, so NaN and -0.0 are checked exactly (Value::operator== is numeric).
bool SameValue(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kDouble: {
      double x = a.as_double(), y = b.as_double();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Value::Type::kList: {
      if (a.as_list().size() != b.as_list().size()) return false;
      for (size_t i = 0; i < a.as_list().size(); ++i) {
        if (!SameValue(a.as_list()[i], b.as_list()[i])) return false;
      }
      return true;
    }
    case Value::Type::kMap: {
      if (a.as_map().size() != b.as_map().size()) return false;
      auto it = b.as_map().begin();
      for (const auto& [k, v] : a.as_map()) {
        if (k != it->first || !SameValue(v, it->second)) return false;
        ++it;
      }
      return true;
    }
    default:
      return a == b;
  }
}

const std::vector<Value>& SampleValues() {
  static const std::vector<Value> kValues = {
      Value(),
      Value(true),
      Value(false),
      Value(0),
      Value(-1),
      Value(int64_t{-123456789012345}),
      Value(std::numeric_limits<int64_t>::min()),
      Value(std::numeric_limits<int64_t>::max()),
      Value(0.0),
      Value(-0.0),
      Value(3.25),
      Value(-1e300),
      Value(std::numeric_limits<double>::infinity()),
      Value(std::nan("")),
      Value(""),
      Value("hello"),
      Value("nul\0inside"s),
      Value("\xff\xfe binary"s),
      Value(ValueList{}),
      Value(ValueList{Value(1), Value("two"), Value(3.0), Value()}),
      Value(ValueList{Value(ValueList{Value(ValueList{})}), Value(ValueMap{})}),
      Value(ValueMap{}),
      Value(ValueMap{{"", Value("empty key")}, {"a", Value(ValueList{Value(-5)})}}),
      Value(ValueMap{
          {"nested",
           Value(ValueMap{
               {"x", Value(ValueList{Value(true), Value(ValueMap{{"y", Value(-0.5)}})})}})}}),
  };
  return kValues;
}

TEST(ValueCodecTest, ValuesRoundTrip) {
  for (const Value& v : SampleValues()) {
    std::string enc;
    EncodeValue(v, &enc);
    std::string_view in = enc;
    Value out;
    ASSERT_TRUE(DecodeValue(&in, &out).ok()) << v.DebugString();
    EXPECT_TRUE(in.empty()) << v.DebugString();
    EXPECT_TRUE(SameValue(v, out)) << v.DebugString() << " vs " << out.DebugString();
  }
}

TEST(ValueCodecTest, PropertiesRoundTrip) {
  Properties props;
  for (size_t i = 0; i < SampleValues().size(); ++i)
    props["p" + std::to_string(i)] = SampleValues()[i];
  for (const Properties& p : {Properties{}, props}) {
    std::string enc;
    EncodeProperties(p, &enc);
    std::string_view in = enc;
    Properties out;
    ASSERT_TRUE(DecodeProperties(&in, &out).ok());
    EXPECT_TRUE(in.empty());
    EXPECT_TRUE(SameValue(Value(p), Value(out)));
  }
}

TEST(ValueCodecTest, EveryTruncationIsCorruption) {
  for (const Value& v : SampleValues()) {
    std::string enc;
    EncodeValue(v, &enc);
    for (size_t n = 0; n < enc.size(); ++n) {
      std::string_view in(enc.data(), n);
      Value out;
      Status s = DecodeValue(&in, &out);
      EXPECT_TRUE(s.IsCorruption()) << v.DebugString() << " cut at " << n << ": " << s.ToString();
    }
  }
}

TEST(ValueCodecTest, MalformedInputsAreCorruption) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"empty", ""},
      {"unknown tag", "\x09"s},
      {"unterminated varint", "\x03\x80\x80"s},
      {"varint over 10 bytes", "\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"s},
      {"short double", "\x04\x01\x02\x03"s},
      {"string longer than input",
       "\x05\x10"
       "abc"s},
      {"huge list count", "\x06\xff\xff\xff\xff\x0f"s},
      {"huge map count", "\x07\xff\xff\xff\xff\x0f"s},
      {"map key longer than input", "\x07\x01\x09k"s},
      {"duplicate map key", "\x07\x02\x01k\x00\x01k\x00"s},
  };
  for (const auto& c : cases) {
    std::string_view in = c.bytes;
    Value out;
    EXPECT_TRUE(DecodeValue(&in, &out).IsCorruption()) << c.name;
  }
}

TEST(ValueCodecTest, DeepNestingIsRejectedNotACrash) {
  // 100000 nested list headers: decoding must stop at kMaxValueDepth, not overflow the stack.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "\x06\x01"s;
  deep += "\x00"s;
  std::string_view in = deep;
  Value out;
  Status s = DecodeValue(&in, &out);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();

  // Writers check the same limit.
  Value v = Value(1);
  for (int i = 0; i < kMaxValueDepth; ++i) v = Value(ValueList{v});
  EXPECT_TRUE(WithinDepth(v));
  std::string enc;
  EncodeValue(v, &enc);
  in = enc;
  EXPECT_TRUE(DecodeValue(&in, &out).ok());
  Value deeper = Value(ValueList{v});
  EXPECT_FALSE(WithinDepth(deeper));
}

TEST(ValueCodecTest, RandomBytesNeverCrash) {
  std::mt19937 rng(1234);
  int ok = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes(rng() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 12 < 8 ? rng() % 9 : rng() % 256);
    std::string_view in = bytes;
    Value out;
    Status s = DecodeValue(&in, &out);
    if (s.ok()) {
      ++ok;
    } else {
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    }
    StoredNode node;
    Status n = DecodeStoredNode(bytes, &node);
    EXPECT_TRUE(n.ok() || n.IsCorruption());
    Manifest m;
    Status ms = DecodeManifest(bytes, &m);
    EXPECT_TRUE(ms.ok() || ms.IsCorruption());
  }
  EXPECT_GT(ok, 0);  // the generator does hit valid encodings too
}

TEST(ValueCodecTest, NodeRecordRoundTripAndCorruption) {
  StoredNode node;
  node.id = "pkg/a.py:Foo.bar";
  node.owner = "pkg/a.py";
  node.labels = {7, 1000, 65535};
  node.props = {{"name", Value("bar")},
                {"start_line", Value(10)},
                {"params", Value(ValueList{Value("self")})}};
  std::string enc;
  EncodeStoredNode(node, &enc);
  StoredNode out;
  ASSERT_TRUE(DecodeStoredNode(enc, &out).ok());
  EXPECT_EQ(out.id, node.id);
  EXPECT_EQ(out.owner, node.owner);
  EXPECT_EQ(out.labels, node.labels);
  EXPECT_TRUE(SameValue(Value(out.props), Value(node.props)));

  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_TRUE(DecodeStoredNode(std::string_view(enc).substr(0, n), &out).IsCorruption()) << n;
  }
  EXPECT_TRUE(DecodeStoredNode(enc + "x", &out).IsCorruption());
  std::string bad_version = enc;
  bad_version[0] = 9;
  Status s = DecodeStoredNode(bad_version, &out);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("version"), std::string::npos) << s.message();
}

TEST(ValueCodecTest, FileRecordAndManifestRoundTrip) {
  FileRecord f;
  f.content_hash = "abc123";
  f.language = "python";
  f.size = 1u << 20;
  f.node_count = 17;
  f.edge_count = 42;
  std::string enc;
  EncodeFileRecord(f, &enc);
  FileRecord fo;
  ASSERT_TRUE(DecodeFileRecord(enc, &fo).ok());
  EXPECT_EQ(fo.content_hash, f.content_hash);
  EXPECT_EQ(fo.language, f.language);
  EXPECT_EQ(fo.size, f.size);
  EXPECT_EQ(fo.node_count, f.node_count);
  EXPECT_EQ(fo.edge_count, f.edge_count);
  EXPECT_TRUE(DecodeFileRecord(enc.substr(0, enc.size() - 1), &fo).IsCorruption());

  Manifest m;
  m.nodes = {1, 2, 1ULL << 40};
  m.edges = {EdgeId{1, 10, 2, 0}, EdgeId{1, 10, 2, 1}, EdgeId{~0ULL, 65535, 5, 0xffffffffu}};
  enc.clear();
  EncodeManifest(m, &enc);
  Manifest mo;
  ASSERT_TRUE(DecodeManifest(enc, &mo).ok());
  EXPECT_EQ(mo.nodes, m.nodes);
  EXPECT_EQ(mo.edges, m.edges);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_TRUE(DecodeManifest(std::string_view(enc).substr(0, n), &mo).IsCorruption()) << n;
  }
}

// The offsets and label lists of a stored block, as "offset:labels" strings.
std::vector<std::string> BlockEntries(std::string_view block) {
  std::vector<TrigramItem> items;
  EXPECT_TRUE(DecodeTrigramItems(block, &items));
  std::vector<std::string> out;
  for (const TrigramItem& i : items) {
    EXPECT_TRUE(i.put);
    out.push_back(std::to_string(i.offset) + ":" + std::string(i.labels));
  }
  return out;
}

TEST(ValueCodecTest, TrigramBlockMergeAppliesItemsInOrder) {
  std::string existing;
  AppendTrigramItem(&existing, true, 3, "L3");
  AppendTrigramItem(&existing, true, 700, "L700");
  std::string a, b;
  AppendTrigramItem(&a, true, 5, "L5");       // a new entry between two
  AppendTrigramItem(&a, false, 700, "");      // removed
  AppendTrigramItem(&a, true, 1, "L1");       // before the first
  AppendTrigramItem(&b, true, 3, "L3b");      // relabelled: the last item wins
  AppendTrigramItem(&b, false, 999, "");      // removing an absent entry changes nothing
  AppendTrigramItem(&b, true, 1023, "Lmax");  // the bucket's last key
  std::string_view ev = existing;
  std::string out;
  ASSERT_TRUE(MergeTrigramBlock(&ev, {a, b}, &out));
  EXPECT_EQ(BlockEntries(out), (std::vector<std::string>{"1:L1", "3:L3b", "5:L5", "1023:Lmax"}));
  // Operands alone (no stored block), and their concatenation (a partial merge) as one operand.
  std::string without;
  ASSERT_TRUE(MergeTrigramBlock(nullptr, {a, b}, &without));
  EXPECT_EQ(BlockEntries(without),
            (std::vector<std::string>{"1:L1", "3:L3b", "5:L5", "1023:Lmax"}));
  std::string joined;
  ASSERT_TRUE(MergeTrigramBlock(nullptr, {a + b}, &joined));
  EXPECT_EQ(joined, without);
  // Deleting every entry leaves an empty block.
  std::string del;
  for (uint64_t o : {1, 3, 5, 1023}) AppendTrigramItem(&del, false, o, "");
  std::string_view ov = out;
  std::string empty = "x";
  ASSERT_TRUE(MergeTrigramBlock(&ov, {del}, &empty));
  EXPECT_TRUE(empty.empty());
}

TEST(ValueCodecTest, MalformedTrigramBlocksAreRejected) {
  std::string ok;
  AppendTrigramItem(&ok, true, 2, "L");
  std::string out;
  for (const std::string& bad : {std::string("\x02\x01", 2),          // unknown kind
                                 std::string("\x01\x80\x08\x00", 4),  // offset 1024: beyond
                                 ok.substr(0, ok.size() - 1),         // truncated labels
                                 std::string("\x01", 1)}) {           // no offset
    std::vector<TrigramItem> items;
    EXPECT_FALSE(DecodeTrigramItems(bad, &items));
    EXPECT_FALSE(MergeTrigramBlock(nullptr, {bad}, &out));
    std::string_view view = bad;
    EXPECT_FALSE(MergeTrigramBlock(&view, {ok}, &out));
  }
  // A stored block must hold puts in increasing order, once each.
  std::string unsorted;
  AppendTrigramItem(&unsorted, true, 9, "L");
  AppendTrigramItem(&unsorted, true, 4, "L");
  std::string_view view = unsorted;
  EXPECT_FALSE(MergeTrigramBlock(&view, {}, &out));
  EXPECT_TRUE(MergeTrigramBlock(nullptr, {unsorted}, &out));  // as an operand it is fine
}

}  // namespace
}  // namespace kg::storage
