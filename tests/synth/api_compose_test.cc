// api_compose: bundles chosen by the coverage search, template answers, and the teacher path
// against a local chat-completions server.
#include "synth/walks/api_compose/api_compose.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "synth/check/api_check.h"
#include "synth/job.h"
#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;
using api_compose::FirstCodeBlock;
using api_compose::ParseRequiredParams;

TEST(ApiComposeTest, RequiredParamsFromSignatures) {
  auto p = ParseRequiredParams("def f(a, b: int, c=1, *args, d, e: str = 'x', **kw):");
  ASSERT_TRUE(p.valid);
  EXPECT_EQ(p.positional, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.keyword_only, (std::vector<std::string>{"d"}));
  auto q = ParseRequiredParams("def g(x: Dict[str, int], /, *, y, z=(1, 2)) -> None:");
  EXPECT_EQ(q.positional, (std::vector<std::string>{"x"}));
  EXPECT_EQ(q.keyword_only, (std::vector<std::string>{"y"}));
  EXPECT_FALSE(ParseRequiredParams("f").valid);
  EXPECT_TRUE(ParseRequiredParams("def h():").positional.empty());
}

TEST(ApiComposeTest, FirstCodeBlock) {
  EXPECT_EQ(FirstCodeBlock("Here:\n```python\nimport a\n```\nok"), "import a\n");
  EXPECT_EQ(FirstCodeBlock("```\nx = 1\n```"), "x = 1\n");
  EXPECT_EQ(FirstCodeBlock("```js\nx\n```"), "");
  EXPECT_EQ(FirstCodeBlock("no code"), "");
  EXPECT_EQ(FirstCodeBlock("```python\nunterminated"), "");
}

class Lines : public SynthObserver {
 public:
  void OnProgress(uint64_t, uint64_t) override {}
  Status OnRecord(std::string_view line) override {
    lines.push_back(Json::parse(line));
    return Status::OK();
  }
  bool Cancelled() override { return false; }
  std::vector<Json> lines;
};

class ApiComposeJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    fs::create_directories(dir_.path() + "/src/pkg");
    auto write = [&](const std::string& rel, const std::string& text) {
      std::ofstream(dir_.path() + "/src/" + rel) << text;
    };
    write("pkg/__init__.py", "");
    write("pkg/text.py",
          "def slug(value):\n    \"\"\"Make a slug.\"\"\"\n    return value.lower()\n\n\n"
          "def title(value, *, sep):\n    return value.title()\n\n\n"
          "def pad(value, width=4):\n    return value\n");
    write("pkg/html.py",
          "from pkg.text import slug\n\n\n"
          "def escape(text):\n    return slug(text)\n\n\n"
          "def render(template, context):\n    return escape(template)\n\n\n"
          "def strip(text):\n    return text\n");
    write("pkg/nums.py",
          "def add(a, b):\n    return a + b\n\n\n"
          "def neg(a):\n    return -a\n\n\n"
          "def _private(a):\n    return a\n\n\n"
          "def twice(a):\n    return add(a, a)\n");
    auto store = storage::GraphStore::Open(dir_.path() + "/db", storage::Options{});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto report = ingest::IngestPath(*store_, "g", dir_.path() + "/src");
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }

  Json Run(const SynthSpec& spec, Lines* out) {
    auto r = RunSynthJob(*store_, "g", spec, out);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Json();
  }

  fixture::TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(ApiComposeJobTest, TemplateBundlesCoverEveryPublicFunctionAndPassTheCheck) {
  SynthSpec spec;
  spec.mix = {{"api_compose", 1}};
  Lines out;
  Json summary = Run(spec, &out);
  ASSERT_GE(out.lines.size(), 3u) << summary.dump(1);
  EXPECT_EQ(summary["api_check"]["rejected"], 0) << summary.dump(1);
  EXPECT_EQ(summary["api_check"]["checked"].get<size_t>(), out.lines.size());
  std::set<std::string> covered;
  ApiChecker checker(*store_, "g");
  for (const auto& j : out.lines) {
    std::string subject = j["meta"]["subject"];
    size_t n = 1;
    for (size_t at = 0; (at = subject.find('+', at)) != std::string::npos; ++at) ++n;
    EXPECT_TRUE(n == 2 || n == 3) << subject;
    EXPECT_EQ(j["meta"]["direction"], "bundle" + std::to_string(n));
    for (size_t start = 0;;) {
      size_t plus = subject.find('+', start);
      covered.insert(subject.substr(start, plus - start));
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
    std::string code = FirstCodeBlock(j["output"].get<std::string>());
    ASSERT_FALSE(code.empty()) << j.dump(1);
    auto check = checker.Check(code);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE((*check)["ok"].get<bool>()) << code << check->dump(1);
    EXPECT_EQ((*check)["counts"]["resolved"].get<int>() >= static_cast<int>(n), true) << code;
  }
  for (const char* qn :
       {"pkg.text.slug", "pkg.text.title", "pkg.text.pad", "pkg.html.escape", "pkg.html.render",
        "pkg.html.strip", "pkg.nums.add", "pkg.nums.neg", "pkg.nums.twice"}) {
    EXPECT_TRUE(covered.count(qn)) << qn << " not covered";
  }
  EXPECT_FALSE(covered.count("pkg.nums._private"));
  EXPECT_EQ(summary["walk_stats"]["api_compose.template_used"].get<size_t>(), out.lines.size());
}

TEST_F(ApiComposeJobTest, TeacherAnswersAreCheckedAndFailuresFallBackToTemplates) {
  httplib::Server server;
  std::atomic<int> requests{0};
  std::atomic<int> bad_requests{0};
  server.Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
    int n = ++requests;
    Json body = Json::parse(req.body, nullptr, false);
    if (!body.is_object() || body.value("model", "") != "tiny" || !body["messages"].is_array() ||
        body["messages"].size() != 2 || req.get_header_value("Authorization") != "Bearer sekret") {
      ++bad_requests;
    }
    auto reply = [&](const std::string& content) {
      Json r = {{"id", "x"},
                {"object", "chat.completion"},
                {"choices",
                 {{{"index", 0},
                   {"message", {{"role", "assistant"}, {"content", content}}},
                   {"finish_reason", "stop"}}}}};
      res.set_content(r.dump(), "application/json");
    };
    if (n == 1) {
      reply("Like this:\n```python\nfrom pkg.nums import add\n\nprint(add(1, 2))\n```\nDone.");
    } else if (n == 2) {
      reply("```python\nfrom pkg.nums import multiply\n\nmultiply(1, 2)\n```");  // no such API
    } else if (n == 3) {
      res.status = 500;
      res.set_content("overloaded", "text/plain");
    } else {
      res.set_content("{\"not\": \"a completion\"}", "application/json");
    }
  });
  int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });
  setenv("CODEKG_TEST_TEACHER_KEY", "sekret", 1);

  Json body = {{"strategy", "api_compose"},
               {"teacher",
                {{"url", "http://127.0.0.1:" + std::to_string(port) + "/v1"},
                 {"model", "tiny"},
                 {"api_key_env", "CODEKG_TEST_TEACHER_KEY"},
                 {"timeout_ms", 5000}}}};
  auto spec = ParseSynthSpec(body);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  Lines out;
  Json summary = Run(*spec, &out);
  server.stop();
  thread.join();

  const Json& stats = summary["walk_stats"];
  int n = requests.load();
  ASSERT_GE(n, 3) << summary.dump(1);
  EXPECT_EQ(bad_requests.load(), 0);
  EXPECT_EQ(stats["api_compose.teacher_requests"].get<int>(), n);
  EXPECT_EQ(stats["api_compose.teacher_used"].get<int>(), 1);
  EXPECT_EQ(stats["api_compose.teacher_rejected"].get<int>(), 1);
  EXPECT_EQ(stats["api_compose.teacher_failed"].get<int>(), n - 2);
  EXPECT_EQ(stats["api_compose.template_used"].get<int>(), n - 1);
  EXPECT_EQ(summary["api_check"]["rejected"], 0);
  size_t teacher_records = 0;
  for (const auto& j : out.lines) {
    if (j["output"].get<std::string>().rfind("Like this:", 0) == 0) ++teacher_records;
    EXPECT_EQ(j["output"].get<std::string>().find("multiply"), std::string::npos);
  }
  EXPECT_EQ(teacher_records, 1u);

  // An unreachable teacher: every request fails, every record still comes from templates.
  SynthSpec down = *spec;
  down.teacher.url = "http://127.0.0.1:" + std::to_string(port) + "/v1";  // server stopped
  down.teacher.timeout_ms = 500;
  Lines out2;
  Json s2 = Run(down, &out2);
  EXPECT_EQ(s2["walk_stats"]["api_compose.teacher_failed"],
            s2["walk_stats"]["api_compose.teacher_requests"]);
  EXPECT_EQ(out2.lines.size(), out.lines.size());
}

TEST(ApiComposeSpecTest, TeacherFieldsAreValidated) {
  EXPECT_TRUE(ParseSynthSpec(Json{{"teacher", {{"url", "ftp://x"}}}}).status().IsInvalidArgument());
  EXPECT_TRUE(ParseSynthSpec(Json{{"teacher", {{"model", "m"}}}}).status().IsInvalidArgument());
  EXPECT_TRUE(ParseSynthSpec(Json{{"teacher", {{"url", "http://h"}, {"bogus", 1}}}})
                  .status()
                  .IsInvalidArgument());
  EXPECT_TRUE(ParseSynthSpec(Json{{"teacher", {{"url", "http://h"}, {"timeout_ms", 0}}}})
                  .status()
                  .IsInvalidArgument());
  auto ok = ParseSynthSpec(Json{{"teacher", {{"url", "http://h:1/v1"}, {"model", "m"}}}});
  ASSERT_TRUE(ok.ok());
  auto back = ParseSynthSpec(SynthSpecToJson(*ok));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->teacher.url, "http://h:1/v1");
  EXPECT_EQ(back->teacher.model, "m");
}

}  // namespace
}  // namespace kg::synth
