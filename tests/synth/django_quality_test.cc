// Quality of the synthesized data on real code: a subset of the Django source (the system
// package), ingested once for the suite. Skipped when Django is not installed.
//   - every emitted code answer passes the API check;
//   - no two records ask the same (normalized) question;
//   - under 0.5% of records have a near-duplicate (similarity >= 0.9), estimated exactly on a
//     sample against all records;
//   - every relation_qa answer is re-derived by running its verification query (all of them);
//   - path_qa has 3-hop compositions with one hop per <think> line;
//   - every record loads back as valid JSONL in each export format.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "synth/check/api_check.h"
#include "synth/dedup.h"
#include "synth/export.h"
#include "synth/job.h"
#include "synth/strategies.h"
#include "synth/walk_query.h"
#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const char* kDjango = CODEKG_DJANGO_DIR;

class Collector : public SynthObserver {
 public:
  void OnProgress(uint64_t, uint64_t) override {}
  Status OnRecord(std::string_view line) override {
    lines.push_back(Json::parse(line));
    return Status::OK();
  }
  bool Cancelled() override { return false; }
  std::vector<Json> lines;
};

class DjangoQualityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kDjango)) return;
    dir_ = new fixture::TempDir();
    // The package skeleton plus a few subpackages, so module names are django.*.
    fs::path src = dir_->path() + "/src";
    auto copy = [&](const std::string& rel) {
      std::error_code ec;
      fs::create_directories((src / rel).parent_path(), ec);
      fs::copy(fs::path(kDjango) / rel, src / rel,
               fs::copy_options::recursive | fs::copy_options::skip_existing, ec);
    };
    copy("__init__.py");
    copy("utils");
    copy("dispatch");
    copy("core/exceptions.py");
    copy("core/__init__.py");
    auto store = storage::GraphStore::Open(dir_->path() + "/db", storage::Options{});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value().release();
    auto report = ingest::IngestPath(*store_, "django", src.string());
    ASSERT_TRUE(report.ok()) << report.status().ToString();

    SynthSpec spec;
    spec.mix = {{"relation_qa", 1}, {"path_qa", 1}, {"usage", 1}, {"fn_complete", 1}};
    spec.seed = 17;
    Collector c;
    auto r = RunSynthJob(*store_, "django", spec, &c);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    summary_ = new Json(*r);
    lines_ = new std::vector<Json>(std::move(c.lines));
  }
  static void TearDownTestSuite() {
    delete lines_;
    delete summary_;
    delete store_;
    delete dir_;
  }
  void SetUp() override {
    // scripts/install-deps.sh installs python3-django: its absence is a broken setup, not a skip.
    ASSERT_NE(store_, nullptr) << "Django sources not found at " << kDjango
                               << " (install python3-django or set CODEKG_DJANGO_DIR)";
  }

  static std::vector<TrainingPair> WalkOf(const std::string& name) {
    const StrategyEntry* s = FindStrategy(name);
    EXPECT_NE(s, nullptr);
    WalkContext ctx{*store_, "django", 17, true, {}};
    auto pairs = s->walk(ctx);
    EXPECT_TRUE(pairs.ok()) << pairs.status().ToString();
    return pairs.ok() ? *pairs : std::vector<TrainingPair>{};
  }

  static fixture::TempDir* dir_;
  static storage::GraphStore* store_;
  static Json* summary_;
  static std::vector<Json>* lines_;
};

fixture::TempDir* DjangoQualityTest::dir_ = nullptr;
storage::GraphStore* DjangoQualityTest::store_ = nullptr;
Json* DjangoQualityTest::summary_ = nullptr;
std::vector<Json>* DjangoQualityTest::lines_ = nullptr;

TEST_F(DjangoQualityTest, EveryStrategyProducesRecords) {
  for (const char* s : {"relation_qa", "path_qa", "usage", "fn_complete"}) {
    EXPECT_GT((*summary_)["per_strategy"].value(s, 0), 20) << s << " " << summary_->dump(1);
  }
  EXPECT_GT((*summary_)["negatives"].get<uint64_t>(), 100u);
  EXPECT_GT((*summary_)["api_check"]["checked"].get<uint64_t>(), 50u);
  std::cout << "[ django ] summary " << summary_->dump() << "\n";
}

TEST_F(DjangoQualityTest, EveryEmittedCodeAnswerPassesTheApiCheck) {
  // The exported code records, by (strategy, subject).
  std::set<std::pair<std::string, std::string>> emitted;
  for (const auto& j : *lines_) {
    emitted.insert(
        {j["meta"]["strategy"].get<std::string>(), j["meta"]["subject"].get<std::string>()});
  }
  ApiChecker checker(*store_, "django");
  size_t checked = 0;
  for (const char* name : {"usage", "fn_complete"}) {
    for (const TrainingPair& p : WalkOf(name)) {
      if (p.code.empty() || !emitted.count({name, p.subject})) continue;
      auto r = checker.Check(p.code);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE((*r)["ok"].get<bool>()) << p.subject << "\n" << p.code << "\n" << r->dump(1);
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
  std::cout << "[ django ] code answers re-checked: " << checked
            << ", rejected by the job: " << (*summary_)["api_check"]["rejected"] << "\n";
}

TEST_F(DjangoQualityTest, NoExactDuplicateQuestions) {
  std::set<std::string> seen;
  for (const auto& j : *lines_) {
    std::string key = NormalizeText(j["instruction"].get<std::string>()) + "\n" +
                      NormalizeText(j["input"].get<std::string>());
    if (key == "\n") key += j["output"].get<std::string>();  // cpt_corpus text
    EXPECT_TRUE(seen.insert(key).second) << "duplicate question: " << key;
  }
}

TEST_F(DjangoQualityTest, FewNearDuplicates) {
  std::vector<std::string> texts;
  for (const auto& j : *lines_) {
    TrainingPair p;
    p.instruction = j["instruction"];
    p.input = j["input"];
    p.output = j["output"];
    texts.push_back(NearDedupText(p));
  }
  ASSERT_GT(texts.size(), 1000u);
  // Byte histograms give a lower bound of the edit distance (half the L1 difference).
  std::vector<std::array<uint16_t, 64>> hist(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    hist[i].fill(0);
    for (unsigned char c : texts[i]) ++hist[i][c & 63];
  }
  const size_t sample = 400;
  size_t with_near = 0;
  for (size_t s = 0; s < sample; ++s) {
    size_t i = (s * 7919) % texts.size();
    for (size_t k = 0; k < texts.size(); ++k) {
      if (k == i) continue;
      size_t longest = std::max(texts[i].size(), texts[k].size());
      size_t limit = static_cast<size_t>(0.1 * static_cast<double>(longest));
      size_t diff = texts[i].size() > texts[k].size() ? texts[i].size() - texts[k].size()
                                                      : texts[k].size() - texts[i].size();
      if (diff > limit) continue;
      size_t l1 = 0;
      for (int b = 0; b < 64; ++b) l1 += static_cast<size_t>(std::abs(hist[i][b] - hist[k][b]));
      if (l1 / 2 > limit) continue;
      if (SimilarAtLeast(texts[i], texts[k], 0.9)) {
        ++with_near;
        break;
      }
    }
  }
  double rate = static_cast<double>(with_near) / sample;
  std::cout << "[ django ] near-duplicate rate (sample of " << sample << "): " << rate * 100
            << "%\n";
  EXPECT_LT(rate, 0.005);
}

TEST_F(DjangoQualityTest, EveryRelationAnswerIsRederivedByItsQuery) {
  std::vector<TrainingPair> pairs = WalkOf("relation_qa");
  ASSERT_GT(pairs.size(), 500u);
  size_t negatives = 0;
  for (const TrainingPair& p : pairs) {
    ASSERT_FALSE(p.verify_query.empty()) << p.instruction;
    auto r = RunWalkQuery(*store_, "django", p.verify_query);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << p.verify_query;
    std::vector<std::string> got;
    for (const auto& row : r->rows) got.push_back(CellString(row[0]));
    std::sort(got.begin(), got.end());
    got.erase(std::unique(got.begin(), got.end()), got.end());
    EXPECT_EQ(got, p.verify_expect) << p.verify_query;
    if (p.negative) ++negatives;
  }
  EXPECT_GT(negatives, pairs.size() / 4);
  std::cout << "[ django ] relation_qa answers re-derived: " << pairs.size() << " (" << negatives
            << " negatives)\n";
}

TEST_F(DjangoQualityTest, PathQaHasThreeHopTracesOneHopPerLine) {
  size_t three_hop = 0;
  for (const auto& j : *lines_) {
    if (j["meta"]["strategy"] != "path_qa") continue;
    std::string out = j["output"];
    ASSERT_EQ(out.rfind("<think>\n", 0), 0u) << out;
    size_t close = out.find("</think>");
    ASSERT_NE(close, std::string::npos) << out;
    std::string think = out.substr(8, close - 8);
    size_t lines = static_cast<size_t>(std::count(think.begin(), think.end(), '\n'));
    EXPECT_GE(lines, 2u) << think;
    if (j["meta"]["direction"] == "grandparent_methods") {
      EXPECT_EQ(lines % 3, 0u) << "three hops per chain: " << think;
      EXPECT_NE(think.find(" inherits from "), std::string::npos);
      EXPECT_NE(think.find(" defines "), std::string::npos);
      ++three_hop;
    }
  }
  EXPECT_GE(three_hop, 1u);
}

TEST_F(DjangoQualityTest, EveryExportFormatLoadsAsJsonl) {
  for (auto format : ExportFormats()) {
    SynthSpec spec;
    spec.mix = {{"relation_qa", 1}, {"path_qa", 1}};
    spec.seed = 17;
    spec.count = 300;
    spec.format = std::string(format);
    spec.near_dedup.enabled = false;
    class Raw : public SynthObserver {
     public:
      void OnProgress(uint64_t, uint64_t) override {}
      Status OnRecord(std::string_view line) override {
        if (line.find('\n') != std::string_view::npos) ++bad;
        if (!Json::accept(line)) ++bad;
        ++n;
        return Status::OK();
      }
      bool Cancelled() override { return false; }
      size_t n = 0, bad = 0;
    } raw;
    auto r = RunSynthJob(*store_, "django", spec, &raw);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(raw.n, 300u) << format;
    EXPECT_EQ(raw.bad, 0u) << format;
  }
}

}  // namespace
}  // namespace kg::synth
