// Tests of synth/job.h: spec parsing, progress, cancel and resume over the real store and engine.
#include "synth/job.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;

// Collects records and progress; cancels after `cancel_after` records (or never).
class Collector : public SynthObserver {
 public:
  void OnProgress(uint64_t done, uint64_t total) override {
    EXPECT_GE(done, last_done) << "progress went backwards";
    EXPECT_LE(done, total);
    last_done = done;
    last_total = total;
    ++progress_calls;
  }
  Status OnRecord(std::string_view line) override {
    lines.emplace_back(line);
    return fail_on_record ? Status::IOError("disk full") : Status::OK();
  }
  bool Cancelled() override {
    ++polls;
    return lines.size() >= cancel_after;
  }

  std::vector<std::string> lines;
  uint64_t last_done = 0, last_total = 0, progress_calls = 0, polls = 0;
  size_t cancel_after = SIZE_MAX;
  bool fail_on_record = false;
};

class JobTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(fixture::BuildZoo(dir_.path(), &store_)); }

  std::vector<std::string> RunAll(const SynthSpec& spec, Json* summary = nullptr) {
    Collector c;
    auto r = RunSynthJob(*store_, "zoo", spec, &c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok() && summary != nullptr) *summary = *r;
    return c.lines;
  }

  fixture::TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(JobTest, ProgressReachesTotalAndSummaryCounts) {
  SynthSpec spec;
  Collector c;
  auto r = RunSynthJob(*store_, "zoo", spec, &c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(c.lines.empty());
  EXPECT_GT(c.progress_calls, 0u);
  EXPECT_EQ(c.last_done, c.last_total);
  EXPECT_EQ((*r)["records"].get<uint64_t>(), c.lines.size());
  EXPECT_EQ((*r)["delivered"].get<uint64_t>(), c.lines.size());
  EXPECT_EQ((*r)["per_strategy"]["relation_qa"].get<uint64_t>(), c.lines.size());
  EXPECT_EQ((*r)["graph"], "zoo");
  for (const auto& l : c.lines) EXPECT_TRUE(Json::accept(l)) << l;
}

TEST_F(JobTest, ResumeAfterYieldsExactlyTheTail) {
  SynthSpec spec;
  spec.seed = 9;
  std::vector<std::string> full = RunAll(spec);
  ASSERT_GT(full.size(), 5u);
  for (uint64_t k :
       {uint64_t{0}, uint64_t{1}, uint64_t{5}, uint64_t{full.size()}, uint64_t{full.size() + 3}}) {
    Collector c;
    auto r = RunSynthJob(*store_, "zoo", spec, &c, k);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> tail(
        full.begin() + static_cast<std::ptrdiff_t>(std::min<uint64_t>(k, full.size())), full.end());
    EXPECT_EQ(c.lines, tail) << "resume_after=" << k;
    EXPECT_EQ((*r)["records"].get<uint64_t>(), full.size());
    EXPECT_EQ((*r)["delivered"].get<uint64_t>(), tail.size());
  }
}

TEST_F(JobTest, CancelStopsPromptly) {
  SynthSpec spec;
  Collector c;
  c.cancel_after = 2;
  auto r = RunSynthJob(*store_, "zoo", spec, &c);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCancelled()) << r.status().ToString();
  EXPECT_EQ(c.lines.size(), 2u) << "no record after the cancel was observed";

  Collector before;
  before.cancel_after = 0;  // cancelled from the start: no query result is used
  r = RunSynthJob(*store_, "zoo", spec, &before);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCancelled());
  EXPECT_TRUE(before.lines.empty());
}

TEST_F(JobTest, ObserverErrorAbortsTheJob) {
  Collector c;
  c.fail_on_record = true;
  auto r = RunSynthJob(*store_, "zoo", SynthSpec{}, &c);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsIOError());
  EXPECT_EQ(c.lines.size(), 1u);
}

TEST_F(JobTest, DeterministicForASeedAndCountIsHonoured) {
  SynthSpec spec;
  spec.seed = 4;
  EXPECT_EQ(RunAll(spec), RunAll(spec));
  spec.count = 3;
  Json summary;
  auto capped = RunAll(spec, &summary);
  EXPECT_EQ(capped.size(), 3u);
  EXPECT_EQ(summary["records"], 3);
  EXPECT_EQ(capped, RunAll(spec));
}

TEST_F(JobTest, FiltersByPathAndLabel) {
  SynthSpec spec;
  spec.paths = {"zoo/robots.py"};
  Json summary;
  auto lines = RunAll(spec, &summary);
  ASSERT_FALSE(lines.empty());
  EXPECT_GT(summary["filtered_out"].get<uint64_t>(), 0u);
  for (const auto& l : lines) {
    EXPECT_NE(l.find("zoo/robots.py"), std::string::npos) << l;
    EXPECT_EQ(l.find("zoo/animals.py"), std::string::npos) << l;
  }
  spec.paths.clear();
  spec.labels = {"NoSuchLabel"};
  EXPECT_TRUE(RunAll(spec).empty());
}

TEST_F(JobTest, UnknownGraphIsNotFound) {
  auto r = RunSynthJob(*store_, "nope", SynthSpec{}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
}

TEST(SynthSpecTest, ParsesEveryFieldAndRoundTrips) {
  Json body = {{"mix", {{"relation_qa", 3}}},
               {"seed", 7},
               {"count", 100},
               {"format", "sharegpt"},
               {"filters", {{"paths", {"django/db/"}}, {"labels", "Class"}}},
               {"negatives", false},
               {"check_api", false},
               {"dedup", {{"near", true}, {"threshold", 0.85}, {"shingle", 4}}}};
  auto spec = ParseSynthSpec(body);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->mix.at("relation_qa"), 3.0);
  EXPECT_EQ(spec->seed, 7u);
  EXPECT_EQ(spec->count, 100u);
  EXPECT_EQ(spec->format, "sharegpt");
  EXPECT_EQ(spec->paths, std::vector<std::string>{"django/db/"});
  EXPECT_EQ(spec->labels, std::vector<std::string>{"Class"});
  EXPECT_FALSE(spec->negatives);
  EXPECT_FALSE(spec->check_api);
  EXPECT_DOUBLE_EQ(spec->near_dedup.threshold, 0.85);
  EXPECT_EQ(spec->near_dedup.shingle, 4);
  Json again = SynthSpecToJson(*spec);
  auto back = ParseSynthSpec(again);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(SynthSpecToJson(*back), again);

  auto simple = ParseSynthSpec(Json{{"strategy", "relation_qa"}, {"max_pairs", 5}});
  ASSERT_TRUE(simple.ok());
  EXPECT_EQ(simple->count, 5u);
  EXPECT_EQ(simple->mix.size(), 1u);
  auto empty = ParseSynthSpec(Json::object());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->mix.count("relation_qa"), 1u);
}

TEST(SynthSpecTest, BadFieldsAreNamed) {
  const std::pair<Json, std::string> cases[] = {
      {Json::array(), "object"},
      {Json{{"stratgy", "relation_qa"}}, "stratgy"},
      {Json{{"strategy", "walk_the_dog"}}, "walk_the_dog"},
      {Json{{"strategy", 3}}, "strategy"},
      {Json{{"strategy", "relation_qa"}, {"mix", {{"relation_qa", 1}}}}, "mix"},
      {Json{{"mix", {{"relation_qa", -1}}}}, "mix.relation_qa"},
      {Json{{"mix", Json::object()}}, "mix"},
      {Json{{"seed", -1}}, "seed"},
      {Json{{"seed", "seven"}}, "seed"},
      {Json{{"count", 1.5}}, "count"},
      {Json{{"format", "csv"}}, "csv"},
      {Json{{"filters", {{"path", "x"}}}}, "filters.path"},
      {Json{{"filters", {{"paths", {1}}}}}, "filters.paths"},
      {Json{{"negatives", "yes"}}, "negatives"},
      {Json{{"dedup", {{"threshold", 1.5}}}}, "dedup.threshold"},
      {Json{{"dedup", {{"shingle", 1}}}}, "dedup.shingle"},
  };
  for (const auto& [body, needle] : cases) {
    auto r = ParseSynthSpec(body);
    ASSERT_FALSE(r.ok()) << body.dump();
    EXPECT_TRUE(r.status().IsInvalidArgument()) << body.dump();
    EXPECT_NE(r.status().message().find(needle), std::string::npos)
        << body.dump() << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace kg::synth
