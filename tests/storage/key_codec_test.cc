#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace kg::storage {
namespace {

using namespace std::string_literals;

// (graph, string, u64): the shape of ids / label_name keys.
using StrTuple = std::tuple<uint32_t, std::string, uint64_t>;

std::string EncodeStrTuple(const StrTuple& t) {
  std::string out;
  AppendU32(&out, std::get<0>(t));
  AppendString(&out, std::get<1>(t));
  AppendU64(&out, std::get<2>(t));
  return out;
}

TEST(KeyCodecTest, StringTuplesSortLikeTheirEncodings) {
  const std::vector<std::string> strings = {"",       "a",      "a\0"s,      "a\0\0"s,  "a\0b"s,
                                            "a\x01"s, "a\xff"s, "ab",        "abc",     "b",
                                            "\0"s,    "\xff"s,  "\xff\xff"s, "\x01"s,   "Z",
                                            "z",      "zz",     "a\0\xff"s,  "a\0\x01"s};
  const std::vector<uint32_t> graphs = {0, 1, 2, 255, 256, 0xfffffffe};
  const std::vector<uint64_t> nums = {0, 1, 255, 256, 0xffffffffULL, ~0ULL};
  std::vector<StrTuple> tuples;
  for (uint32_t g : graphs) {
    for (const auto& s : strings) {
      for (uint64_t n : nums) tuples.emplace_back(g, s, n);
    }
  }
  std::mt19937 rng(42);
  std::shuffle(tuples.begin(), tuples.end(), rng);

  std::vector<std::pair<std::string, StrTuple>> encoded;
  for (const auto& t : tuples) encoded.emplace_back(EncodeStrTuple(t), t);
  std::sort(encoded.begin(), encoded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(tuples.begin(), tuples.end());
  ASSERT_EQ(encoded.size(), tuples.size());
  for (size_t i = 0; i < tuples.size(); ++i) {
    EXPECT_EQ(encoded[i].second, tuples[i]) << "position " << i;
  }
  // Distinct tuples never share an encoding.
  for (size_t i = 1; i < encoded.size(); ++i) {
    if (encoded[i].second != encoded[i - 1].second) {
      EXPECT_NE(encoded[i].first, encoded[i - 1].first);
    }
  }
}

TEST(KeyCodecTest, StringTuplesRoundTrip) {
  for (const std::string& s : {""s, "abc"s, "\0"s, "a\0b\0"s, "\xff\0\xff"s, "\0\x01"s}) {
    StrTuple t{7, s, 99};
    std::string enc = EncodeStrTuple(t);
    KeyReader r(enc);
    uint32_t g = 0;
    std::string got;
    uint64_t n = 0;
    ASSERT_TRUE(r.ReadU32(&g) && r.ReadString(&got) && r.ReadU64(&n)) << s.size();
    EXPECT_TRUE(r.done());
    EXPECT_EQ(StrTuple(g, got, n), t);
  }
}

TEST(KeyCodecTest, EdgeKeysSortLikeTheirTuples) {
  using EdgeTuple = std::tuple<uint32_t, uint64_t, uint16_t, uint64_t, uint32_t>;
  std::vector<EdgeTuple> tuples;
  for (uint32_t g : {1u, 2u, 300u}) {
    for (uint64_t a : {1ULL, 2ULL, 256ULL, 1ULL << 40}) {
      for (uint16_t t : {uint16_t{1}, uint16_t{10}, uint16_t{1000}, uint16_t{65535}}) {
        for (uint64_t b : {1ULL, 3ULL, 70000ULL}) {
          for (uint32_t s : {0u, 1u, 256u, 0xffffffffu}) tuples.emplace_back(g, a, t, b, s);
        }
      }
    }
  }
  std::mt19937 rng(7);
  std::shuffle(tuples.begin(), tuples.end(), rng);
  std::vector<std::pair<std::string, EdgeTuple>> encoded;
  for (const auto& t : tuples) {
    std::string k;
    EncodeEdgeKey(&k, std::get<0>(t), std::get<1>(t), std::get<2>(t), std::get<3>(t),
                  std::get<4>(t));
    encoded.emplace_back(k, t);
  }
  std::sort(encoded.begin(), encoded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(tuples.begin(), tuples.end());
  for (size_t i = 0; i < tuples.size(); ++i) {
    ASSERT_EQ(encoded[i].second, tuples[i]) << "position " << i;
    GraphId g = 0;
    NodeKey a = 0, b = 0;
    EdgeTypeId t = 0;
    uint32_t s = 0;
    ASSERT_TRUE(DecodeEdgeKey(encoded[i].first, &g, &a, &t, &b, &s));
    EXPECT_EQ(EdgeTuple(g, a, t, b, s), tuples[i]);
  }
}

TEST(KeyCodecTest, PrefixesBoundTheirKeys) {
  // Every key of a node's edges lies in [prefix, PrefixSuccessor(prefix)), and no other node's.
  std::string prefix;
  EncodeEdgePrefix(&prefix, 3, 42);
  std::string upper = PrefixSuccessor(prefix);
  std::string inside, before, after;
  EncodeEdgeKey(&inside, 3, 42, 65535, ~0ULL, 0xffffffffu);
  EncodeEdgeKey(&before, 3, 41, 65535, ~0ULL, 0xffffffffu);
  EncodeEdgeKey(&after, 3, 43, 0, 0, 0);
  EXPECT_LE(prefix, inside);
  EXPECT_LT(inside, upper);
  EXPECT_LT(before, prefix);
  EXPECT_GE(after, upper);

  // A name prefix matches the exact name only, not longer names.
  std::string name_prefix, exact, longer;
  EncodeLabelNamePrefix(&name_prefix, 1, 6, "foo");
  EncodeLabelNameKey(&exact, 1, 6, "foo", 9);
  EncodeLabelNameKey(&longer, 1, 6, "foobar", 9);
  EXPECT_EQ(exact.compare(0, name_prefix.size(), name_prefix), 0);
  EXPECT_NE(longer.compare(0, name_prefix.size(), name_prefix), 0);
  NodeKey k = 0;
  ASSERT_TRUE(DecodeTrailingNodeKey(exact, &k));
  EXPECT_EQ(k, 9u);
}

TEST(KeyCodecTest, PrefixSuccessor) {
  struct Case {
    std::string in, want;
  };
  const std::vector<Case> cases = {{"a", "b"},    {"a\xff"s, "b"}, {"\x01\xff\xff"s, "\x02"s},
                                   {"\xff"s, ""}, {"", ""},        {"ab\0"s, "ab\x01"s}};
  for (const auto& c : cases) EXPECT_EQ(PrefixSuccessor(c.in), c.want);
}

TEST(KeyCodecTest, MalformedKeysAreRejected) {
  std::string s;
  AppendString(&s, "abc");
  for (size_t n = 0; n < s.size(); ++n) {
    KeyReader r(std::string_view(s).substr(0, n));
    std::string out;
    EXPECT_FALSE(r.ReadString(&out)) << "prefix of length " << n;
  }
  const std::string bad_escape = "a\0\x07"s;  // 0x00 followed by neither 0x01 nor 0xFF
  KeyReader bad(bad_escape);
  std::string out;
  EXPECT_FALSE(bad.ReadString(&out));
  const std::string two_bytes = "\x01\x02"s;
  KeyReader shorty(two_bytes);
  uint32_t v = 0;
  EXPECT_FALSE(shorty.ReadU32(&v));
  GraphId g = 0;
  NodeKey a = 0, b = 0;
  EdgeTypeId t = 0;
  uint32_t seq = 0;
  std::string edge;
  EncodeEdgeKey(&edge, 1, 2, 3, 4, 5);
  EXPECT_FALSE(DecodeEdgeKey(edge.substr(0, edge.size() - 1), &g, &a, &t, &b, &seq));
  EXPECT_FALSE(DecodeEdgeKey(edge + "x", &g, &a, &t, &b, &seq));
}

TEST(KeyCodecTest, ColumnFamilyNamesAreStable) {
  // On disk: renaming a column family makes existing databases unreadable.
  EXPECT_EQ(CfName(Cf::kMeta), "meta");
  EXPECT_EQ(CfName(Cf::kNodes), "nodes");
  EXPECT_EQ(CfName(Cf::kIds), "ids");
  EXPECT_EQ(CfName(Cf::kOutEdges), "out_edges");
  EXPECT_EQ(CfName(Cf::kInEdges), "in_edges");
  EXPECT_EQ(CfName(Cf::kLabelIndex), "label_index");
  EXPECT_EQ(CfName(Cf::kLabelName), "label_name");
  EXPECT_EQ(CfName(Cf::kLabelNameCi), "label_name_ci");
  EXPECT_EQ(CfName(Cf::kFiles), "files");
  EXPECT_EQ(CfName(Cf::kFileTexts), "file_texts");
  EXPECT_EQ(CfName(Cf::kFileFacts), "file_facts");
  EXPECT_EQ(CfName(Cf::kCounts), "counts");
}

}  // namespace
}  // namespace kg::storage
