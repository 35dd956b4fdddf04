// Tests of synth/dedup.h (near duplicates) and synth/export.h (every format loads back).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "synth/dedup.h"
#include "synth/export.h"
#include "synth/prng.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;

TEST(LevenshteinTest, SimilarityAndBandedCheckAgree) {
  const std::tuple<std::string, std::string, double> cases[] = {
      {"", "", 1.0},
      {"abc", "abc", 1.0},
      {"kitten", "sitting", 1.0 - 3.0 / 7.0},
      {"abcdefghij", "abcdefghiX", 0.9},
      {"abc", "", 0.0},
      {"flaw", "lawn", 0.5},
  };
  for (const auto& [a, b, want] : cases) {
    EXPECT_NEAR(LevenshteinSimilarity(a, b), want, 1e-9) << a << " / " << b;
    for (double t : {0.3, 0.5, 0.8, 0.9, 1.0}) {
      EXPECT_EQ(SimilarAtLeast(a, b, t), want >= t - 1e-12) << a << " / " << b << " t=" << t;
    }
  }
  // Random strings: the banded check equals the full computation.
  uint64_t x = 1;
  auto next = [&] { return (x = Mix64(x)); };
  for (int i = 0; i < 300; ++i) {
    std::string a, b;
    size_t n = 5 + next() % 40;
    for (size_t k = 0; k < n; ++k) a.push_back(static_cast<char>('a' + next() % 3));
    b = a;
    for (size_t e = next() % 6; e > 0; --e) {
      size_t at = next() % (b.size() + 1);
      switch (next() % 3) {
        case 0:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), 'z');
          break;
        case 1:
          if (at < b.size()) b.erase(at, 1);
          break;
        default:
          if (at < b.size()) b[at] = 'y';
      }
    }
    double sim = LevenshteinSimilarity(a, b);
    for (double t : {0.7, 0.85, 0.9}) EXPECT_EQ(SimilarAtLeast(a, b, t), sim >= t) << a << " " << b;
  }
}

TEST(LevenshteinTest, BitParallelCheckMatchesTheFullTableOnLongTexts) {
  // Texts of 60..400 bytes span several 64-bit words of the bit-vector check; the edits cross
  // word boundaries. Thresholds around the true similarity must flip exactly there.
  uint64_t x = 7;
  auto next = [&] { return (x = Mix64(x)); };
  for (int i = 0; i < 120; ++i) {
    std::string a;
    size_t n = 60 + next() % 340;
    for (size_t k = 0; k < n; ++k) a.push_back(static_cast<char>('a' + next() % 4));
    std::string b = a;
    for (size_t e = next() % (n / 6); e > 0; --e) {
      size_t at = next() % (b.size() + 1);
      switch (next() % 3) {
        case 0:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), 'q');
          break;
        case 1:
          if (at < b.size()) b.erase(at, 1);
          break;
        default:
          if (at < b.size()) b[at] = 'r';
      }
    }
    double sim = LevenshteinSimilarity(a, b);
    for (double t : {0.75, 0.9, 0.95, sim, sim + 1e-6, sim - 1e-6}) {
      if (t <= 0 || t > 1) continue;
      EXPECT_EQ(SimilarAtLeast(a, b, t), sim >= t) << "i=" << i << " sim=" << sim << " t=" << t;
      EXPECT_EQ(SimilarAtLeast(b, a, t), sim >= t) << "i=" << i << " sim=" << sim << " t=" << t;
    }
  }
}

TEST(NearDedupTest, FindsEditedCopiesAndKeepsDistinctTexts) {
  std::vector<std::string> texts = {
      "which methods does the class `shop.cart.cart` define? it has add, remove and total.",
      "which methods does the class `shop.cart.cart` define? it has add, remove and totals.",
      "which classes inherit from `shop.models.product`? physicalproduct and digitalproduct.",
      "what does `shop.checkout.checkout.pay` call? it calls gateway.charge and order.close.",
      "which methods does the class `shop.cart.cart` define?  it has add, remove, and total.",
  };
  std::vector<size_t> dups = FindNearDuplicates(texts, {0.9, 5});
  EXPECT_EQ(dups, (std::vector<size_t>{1, 4}));
  // A stricter threshold keeps the 2-edit copy.
  EXPECT_EQ(FindNearDuplicates(texts, {0.99, 5}), (std::vector<size_t>{}));
}

// `n` lower-case letters drawn from the Mix64 sequence that *x seeds (and advances).
std::string RandomWord(uint64_t* x, size_t n) {
  std::string w;
  for (size_t k = 0; k < n; ++k) w.push_back(static_cast<char>('a' + (*x = Mix64(*x)) % 26));
  return w;
}

TEST(NearDedupTest, TemplatedPairsWithDifferentAnswersSurvive) {
  // Same question template, different entities and answers: not duplicates of each other.
  uint64_t x = 7;
  auto word = [&](size_t n) { return RandomWord(&x, n); };
  std::vector<TrainingPair> pairs;
  for (int i = 0; i < 200; ++i) {
    TrainingPair p;
    std::string method = word(10), cls = word(9);
    p.instruction = "Which class defines the method `" + method + "`?";
    p.output = "The method `" + method + "` is defined in class `pkg." + word(6) + "." + cls +
               "` with the signature `" + method + "(self, " + word(7) + ")`.";
    pairs.push_back(p);
  }
  std::vector<TrainingPair> copy = pairs;
  EXPECT_EQ(DedupNear(&copy, {0.9, 5}), 0u);
  EXPECT_EQ(copy.size(), pairs.size());
  // Add near-copies (one character changed): each is removed.
  for (int i = 0; i < 50; ++i) {
    TrainingPair p = pairs[static_cast<size_t>(i)];
    p.output += "!";
    pairs.push_back(p);
  }
  EXPECT_EQ(DedupNear(&pairs, {0.9, 5}), 50u);
  EXPECT_EQ(pairs.size(), 200u);
}

// The second half of the texts is compared ahead on a second thread, as if no text had been
// removed; the result must still be the sequential scan's: a text is a duplicate only of a kept
// text. Here c is similar to b but not to a, and b (a copy of a) is removed, so c is kept.
TEST(NearDedupTest, TwoThreadScanComparesOnlyWithKeptTexts) {
  uint64_t x = 11;
  auto word = [&](size_t n) { return RandomWord(&x, n); };
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i) texts.push_back("text " + word(60) + " " + word(60));
  const std::string a = "which methods does the class `" + word(20) + "` define? " + word(160);
  std::string b = a, c = a;
  b.replace(60, 15, "XXXXXXXXXXXXXXX");  // similarity to a: 1 - 15/200
  c.replace(60, 15, "XXXXXXXXXXXXXXX");
  c.replace(150, 15, "YYYYYYYYYYYYYYY");  // to b: 1 - 15/200; to a: 1 - 30/200
  ASSERT_TRUE(SimilarAtLeast(a, b, 0.9));
  ASSERT_TRUE(SimilarAtLeast(b, c, 0.9));
  ASSERT_FALSE(SimilarAtLeast(a, c, 0.9));
  texts[10] = a;
  texts.push_back(b);  // 1000
  texts.push_back(c);  // 1001
  std::vector<size_t> want = {1000};
  for (size_t i = 0; i < 500; ++i) {  // one-character copies of the first texts: removed
    texts.push_back(texts[20 + i] + "!");
    want.push_back(texts.size() - 1);
  }
  for (int i = 0; i < 498; ++i) texts.push_back("text " + word(60) + " " + word(60));
  ASSERT_EQ(texts.size(), 2000u);  // a is in the first half, b and c in the second
  EXPECT_EQ(FindNearDuplicates(texts, {0.9, 5}), want);
}

TEST(NearDedupTest, CancelStopsEarly) {
  std::vector<std::string> texts(20000, "the same text over and over again");
  int polls = 0;
  auto r = FindNearDuplicates(texts, {0.9, 5}, [&] { return ++polls > 1; });
  EXPECT_LT(r.size(), texts.size() - 1);
}

TEST(ExportTest, EveryFormatLoadsBackAsJsonl) {
  TrainingPair p;
  p.instruction = "Which methods does `a.B` define?";
  p.input = "File: a.py";
  p.output = "<think>\n`a.B` is a class.\n</think>\n\n`a.B` defines `f`.";
  p.relation = "HAS_METHOD";
  p.direction = "methods";
  p.subject = "a.py:a.B";
  p.strategy = "relation_qa";
  p.negative = true;
  ExportContext ctx{"", "g"};
  for (auto format : ExportFormats()) {
    auto line = ExportLine(format, p, ctx);
    ASSERT_TRUE(line.ok()) << format;
    EXPECT_EQ(line->find('\n'), std::string::npos) << "one record per line: " << format;
    Json j = Json::parse(*line);
    EXPECT_EQ(j["meta"]["strategy"], "relation_qa") << format;
    EXPECT_EQ(j["meta"]["graph"], "g");
    EXPECT_EQ(j["meta"]["negative"], true);
    std::string user = "Which methods does `a.B` define?\n\nFile: a.py";
    if (format == "alpaca") {
      EXPECT_EQ(j["instruction"], p.instruction);
      EXPECT_EQ(j["input"], p.input);
      EXPECT_EQ(j["output"], p.output);
    } else if (format == "sharegpt") {
      ASSERT_EQ(j["conversations"].size(), 2u);
      EXPECT_EQ(j["conversations"][0]["from"], "human");
      EXPECT_EQ(j["conversations"][0]["value"], user);
      EXPECT_EQ(j["conversations"][1]["from"], "gpt");
      EXPECT_EQ(j["conversations"][1]["value"], p.output);
    } else if (format == "messages") {
      EXPECT_EQ(j["messages"][0]["role"], "user");
      EXPECT_EQ(j["messages"][0]["content"], user);
      EXPECT_EQ(j["messages"][1]["role"], "assistant");
    } else if (format == "trl") {
      EXPECT_EQ(j["prompt"], user);
      EXPECT_EQ(j["completion"], p.output);
    } else if (format == "text") {
      EXPECT_EQ(j["text"], user + "\n\n" + p.output);
    } else {
      ADD_FAILURE() << "untested format " << format;
    }
  }
  // Invalid UTF-8 is replaced, never an invalid line.
  p.output = std::string("bad \xff byte");
  auto line = ExportLine("alpaca", p, ctx);
  ASSERT_TRUE(line.ok());
  EXPECT_TRUE(Json::accept(*line));
  auto bad = ExportLine("csv", p, ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
}

TEST(ExportTest, DatasetInfoEntries) {
  auto alpaca = DatasetInfoEntry("alpaca", "codekg_shop", "shop.jsonl");
  ASSERT_TRUE(alpaca.ok());
  EXPECT_EQ((*alpaca)["codekg_shop"]["file_name"], "shop.jsonl");
  EXPECT_EQ((*alpaca)["codekg_shop"]["formatting"], "alpaca");
  EXPECT_EQ((*alpaca)["codekg_shop"]["columns"]["prompt"], "instruction");
  auto sharegpt = DatasetInfoEntry("sharegpt", "d", "d.jsonl");
  ASSERT_TRUE(sharegpt.ok());
  EXPECT_EQ((*sharegpt)["d"]["formatting"], "sharegpt");
  EXPECT_EQ((*sharegpt)["d"]["columns"]["messages"], "conversations");
  EXPECT_EQ((*sharegpt)["d"]["tags"]["user_tag"], "human");
  auto messages = DatasetInfoEntry("messages", "d", "d.jsonl");
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ((*messages)["d"]["tags"]["role_tag"], "role");
  EXPECT_FALSE(DatasetInfoEntry("trl", "d", "d.jsonl").ok());
  EXPECT_FALSE(DatasetInfoEntry("csv", "d", "d.jsonl").ok());
}

}  // namespace
}  // namespace kg::synth
