// cpt_corpus: import order (pure function and on an ingested package), chunking bound, file text
// reassembled from the graph, determinism, and the text-only format rule.
#include "synth/walks/cpt_corpus/cpt_corpus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "synth/job.h"
#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;
using cpt_corpus::ChunkFile;
using cpt_corpus::FileText;
using cpt_corpus::ImportOrder;
using Imports = std::vector<std::pair<std::string, std::string>>;

TEST(CptCorpusOrderTest, ImportedFilesComeFirstAndCyclesBreakByPath) {
  struct Case {
    const char* name;
    std::vector<std::string> files;
    Imports imports;  // (importer, imported)
    std::vector<std::string> want;
    size_t cycles;
  };
  const std::vector<Case> cases = {
      {"no imports: path order", {"c", "a", "b"}, {}, {"a", "b", "c"}, 0},
      {"chain", {"a", "b", "c"}, {{"a", "b"}, {"b", "c"}}, {"c", "b", "a"}, 0},
      {"diamond: ready files by path",
       {"app", "base", "html", "text"},
       {{"app", "html"}, {"app", "text"}, {"html", "base"}, {"text", "base"}},
       {"base", "html", "text", "app"},
       0},
      {"two-file cycle by path, then its importer",
       {"x", "b", "a"},
       {{"a", "b"}, {"b", "a"}, {"x", "a"}},
       {"a", "b", "x"},
       1},
      {"cycle after its own dependency",
       {"a", "b", "z"},
       {{"a", "b"}, {"b", "a"}, {"b", "z"}},
       {"z", "a", "b"},
       1},
      {"three-file cycle and a separate pair",
       {"c", "b", "a", "d", "e"},
       {{"a", "b"}, {"b", "c"}, {"c", "a"}, {"d", "e"}},
       {"a", "b", "c", "e", "d"},
       1},
      {"self imports, duplicates and unknown paths ignored",
       {"b", "a", "a"},
       {{"a", "a"}, {"a", "zzz"}, {"zzz", "b"}, {"a", "b"}, {"a", "b"}},
       {"b", "a"},
       0},
  };
  for (const Case& c : cases) {
    size_t cycles = 99;
    EXPECT_EQ(ImportOrder(c.files, c.imports, &cycles), c.want) << c.name;
    EXPECT_EQ(cycles, c.cycles) << c.name;
  }
}

TEST(CptCorpusOrderTest, LongChainDoesNotRecurse) {
  std::vector<std::string> files;
  Imports imports;
  for (int i = 0; i < 200000; ++i) {
    files.push_back("f" + std::to_string(1000000 + i));
    if (i > 0) imports.emplace_back(files[i - 1], files[i]);  // each imports the next
  }
  std::vector<std::string> order = ImportOrder(files, imports);
  ASSERT_EQ(order.size(), files.size());
  EXPECT_EQ(order.front(), files.back());
  EXPECT_EQ(order.back(), files.front());
}

std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n') out.push_back(c);
  }
  return out;
}

TEST(CptCorpusChunkTest, EveryRecordFitsAndKeepsTheText) {
  FileText text;
  text.pieces = {"\"\"\"Module doc.\"\"\"", "import os\nfrom pkg.base import Base"};
  text.separators = {"", "\n\n"};
  for (int i = 0; i < 30; ++i) {
    std::string def = "def f" + std::to_string(i) + "(x):\n";
    for (int k = 0; k < i % 7 + 1; ++k) def += "    x = x + " + std::to_string(k) + "\n";
    def += "    return x";
    text.pieces.push_back(def);
    text.separators.push_back("\n\n\n");
  }
  std::string huge = "class Big:\n";
  for (int k = 0; k < 200; ++k) huge += "    attr_" + std::to_string(k) + " = 'é€😀'\n";
  huge += "    line = '" + std::string(900, 'z') + "ü'";  // one line longer than any part
  text.pieces.push_back(huge);
  text.separators.push_back("\n\n\n");
  std::string whole;
  for (size_t i = 0; i < text.pieces.size(); ++i) whole += text.separators[i] + text.pieces[i];

  for (size_t max : {256u, 300u, 1000u, 4096u}) {
    std::vector<std::string> chunks = ChunkFile("#", "pkg/mod.py", text, max);
    ASSERT_GT(chunks.size(), 1u) << max;
    std::string joined;
    for (size_t k = 0; k < chunks.size(); ++k) {
      const std::string& c = chunks[k];
      EXPECT_LE(c.size(), max) << "chunk " << k << " of max " << max;
      std::string header = "# pkg/mod.py (part " + std::to_string(k + 1) + "/" +
                           std::to_string(chunks.size()) + ")\n";
      ASSERT_EQ(c.substr(0, header.size()), header) << c;
      EXPECT_NO_THROW(Json(c).dump()) << "invalid UTF-8 in chunk " << k;
      joined += c.substr(header.size());
    }
    // Nothing lost or repeated (cuts drop only separators and newlines).
    EXPECT_EQ(Squeeze(joined), Squeeze(whole)) << max;
  }
  // Small enough: one record, no part marker.
  FileText small;
  small.pieces = {"X = 1"};
  small.separators = {""};
  EXPECT_EQ(ChunkFile("//", "src/a.js", small, 256),
            std::vector<std::string>{"// src/a.js\nX = 1"});
}

TEST(CptCorpusChunkTest, DefinitionsThatFitAreNotSplit) {
  FileText text;
  for (int i = 0; i < 12; ++i) {
    text.pieces.push_back("def g" + std::to_string(i) + "():\n" + std::string(60, '#') +
                          "\n    return " + std::to_string(i));
    text.separators.push_back("\n\n\n");
  }
  std::vector<std::string> chunks = ChunkFile("#", "p.py", text, 300);
  ASSERT_GT(chunks.size(), 2u);
  for (int i = 0; i < 12; ++i) {
    std::string def = text.pieces[i];
    int holders = 0;
    for (const auto& c : chunks) holders += c.find(def) != std::string::npos;
    EXPECT_EQ(holders, 1) << def;
  }
}

class Lines : public SynthObserver {
 public:
  void OnProgress(uint64_t, uint64_t) override {}
  Status OnRecord(std::string_view line) override {
    lines.emplace_back(line);
    return Status::OK();
  }
  bool Cancelled() override { return false; }
  std::vector<std::string> lines;
};

// A small package in the style of a real one: a base module, modules importing it (absolute and
// relative imports), an import cycle, a package __init__ re-exporting, and a large module.
class CptCorpusJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    fs::create_directories(dir_.path() + "/src/pkg/util");
    auto write = [&](const std::string& rel, const std::string& text) {
      std::ofstream(dir_.path() + "/src/" + rel) << text;
    };
    write("pkg/__init__.py", "\"\"\"The package.\"\"\"\nfrom pkg.app import main\n");
    write(
        "pkg/base.py",
        "\"\"\"Base classes.\"\"\"\nimport os\n\nDEFAULT = 3\n\n\n"
        "class Base:\n    \"\"\"A base.\"\"\"\n\n    def run(self):\n        return os.getcwd()\n");
    write("pkg/text.py",
          "from pkg.base import Base\n\n\n"
          "class Text(Base):\n    def run(self):\n        return 'text'\n\n\n"
          "def slug(value):\n    return value.lower()\n");
    write("pkg/html.py",
          "from .text import slug\nfrom pkg import base\n\n\n"
          "def escape(s):\n    return slug(s)\n");
    write("pkg/util/__init__.py", "");
    write("pkg/util/a_cycle.py",
          "from pkg.util import b_cycle\n\n\ndef ping(n):\n    return b_cycle.pong(n - 1)\n");
    write("pkg/util/b_cycle.py",
          "from pkg.util import a_cycle\n\n\ndef pong(n):\n    return a_cycle.ping(n)\n");
    write("pkg/app.py",
          "from pkg.html import escape\nfrom pkg.util.a_cycle import ping\n\n\n"
          "def main():\n    return escape(str(ping(3)))\n");
    std::string big = "from pkg.base import DEFAULT\n";
    for (int i = 0; i < 40; ++i) {
      big += "\n\ndef step_" + std::to_string(i) + "(x):\n    \"\"\"Step " + std::to_string(i) +
             ".\"\"\"\n    return x + DEFAULT + " + std::to_string(i) + "\n";
    }
    write("pkg/steps.py", big);
    auto store = storage::GraphStore::Open(dir_.path() + "/db", storage::Options{});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto report = ingest::IngestPath(*store_, "g", dir_.path() + "/src");
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }

  Json Run(SynthSpec spec, Lines* out) {
    auto r = RunSynthJob(*store_, "g", spec, out);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Json();
  }

  static SynthSpec Spec() {
    SynthSpec spec;
    spec.mix = {{"cpt_corpus", 1}};
    spec.format = "text";
    return spec;
  }

  fixture::TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(CptCorpusJobTest, FilesComeAfterTheFilesTheyImport) {
  Lines out;
  Json summary = Run(Spec(), &out);
  std::vector<std::string> order;
  std::map<std::string, std::string> text;
  for (const auto& line : out.lines) {
    Json j = Json::parse(line);
    ASSERT_TRUE(j.contains("text")) << line;
    EXPECT_EQ(j["meta"]["strategy"], "cpt_corpus");
    EXPECT_EQ(j["meta"]["relation"], "File");
    if (j["meta"]["direction"] != "whole") continue;
    std::string path = j["meta"]["subject"];
    order.push_back(path);
    text[path] = j["text"];
  }
  auto pos = [&](const std::string& p) {
    return std::find(order.begin(), order.end(), p) - order.begin();
  };
  // Every source file with content, once (the empty util/__init__.py is skipped).
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()),
            (std::set<std::string>{"pkg/__init__.py", "pkg/base.py", "pkg/text.py", "pkg/html.py",
                                   "pkg/util/a_cycle.py", "pkg/util/b_cycle.py", "pkg/app.py",
                                   "pkg/steps.py"}))
      << summary.dump(1);
  EXPECT_EQ(order.size(), 8u);
  EXPECT_LT(pos("pkg/base.py"), pos("pkg/text.py"));
  EXPECT_LT(pos("pkg/text.py"), pos("pkg/html.py"));  // relative import
  EXPECT_LT(pos("pkg/base.py"), pos("pkg/html.py"));
  EXPECT_LT(pos("pkg/html.py"), pos("pkg/app.py"));
  EXPECT_LT(pos("pkg/app.py"), pos("pkg/__init__.py"));
  // The cycle: by path, and both before their importer.
  EXPECT_EQ(pos("pkg/util/a_cycle.py") + 1, pos("pkg/util/b_cycle.py"));
  EXPECT_LT(pos("pkg/util/b_cycle.py"), pos("pkg/app.py"));
  EXPECT_EQ(summary["walk_stats"]["cpt_corpus.cycles"], 1) << summary.dump(1);
  EXPECT_EQ(summary["walk_stats"]["cpt_corpus.skipped_empty"], 1) << summary.dump(1);

  // The text: header, docstring, rebuilt imports, then the definitions as written.
  EXPECT_EQ(
      text["pkg/base.py"],
      "# pkg/base.py\n\"\"\"Base classes.\"\"\"\n\nimport os\n\nDEFAULT = 3\n\n\n"
      "class Base:\n    \"\"\"A base.\"\"\"\n\n    def run(self):\n        return os.getcwd()");
  EXPECT_EQ(text["pkg/text.py"],
            "# pkg/text.py\nfrom pkg.base import Base\n\n\n"
            "class Text(Base):\n    def run(self):\n        return 'text'\n\n\n"
            "def slug(value):\n    return value.lower()");
  EXPECT_NE(text["pkg/html.py"].find("from pkg.text import slug\n"), std::string::npos)
      << text["pkg/html.py"];
}

TEST_F(CptCorpusJobTest, ChunksHonourTheBoundAndStayInOrder) {
  SynthSpec spec = Spec();
  spec.chunk_bytes = 256;
  Lines out;
  Json summary = Run(spec, &out);
  std::vector<std::string> parts;
  for (const auto& line : out.lines) {
    Json j = Json::parse(line);
    std::string t = j["text"];
    EXPECT_LE(t.size(), 256u) << t;
    if (j["meta"]["direction"] == "part") parts.push_back(j["meta"]["subject"]);
  }
  ASSERT_GE(parts.size(), 4u) << summary.dump(1);
  for (size_t k = 0; k < parts.size(); ++k) {
    EXPECT_EQ(parts[k], "pkg/steps.py#" + std::to_string(k + 1));
  }
  EXPECT_EQ(summary["walk_stats"]["cpt_corpus.split_files"], 1) << summary.dump(1);
  // A `def` starts each part after the first (splits fall between definitions).
  for (const auto& line : out.lines) {
    Json j = Json::parse(line);
    if (j["meta"]["subject"] == "pkg/steps.py#2") {
      std::string t = j["text"];
      EXPECT_EQ(t.substr(t.find('\n') + 1, 9), "def step_") << t;
    }
  }
}

TEST_F(CptCorpusJobTest, DeterministicAndSeedIndependent) {
  Lines a, b;
  SynthSpec spec = Spec();
  Run(spec, &a);
  spec.seed = 12345;
  Run(spec, &b);
  EXPECT_FALSE(a.lines.empty());
  EXPECT_EQ(a.lines, b.lines);
}

TEST_F(CptCorpusJobTest, OnlyTheTextFormat) {
  auto parsed = ParseSynthSpec(Json{{"strategy", "cpt_corpus"}, {"format", "alpaca"}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  EXPECT_NE(parsed.status().ToString().find("only format 'text'"), std::string::npos)
      << parsed.status().ToString();
  // Mixed with a question strategy, `text` is accepted and both write text records.
  auto mixed = ParseSynthSpec(Json{
      {"mix", {{"cpt_corpus", 1}, {"relation_qa", 1}}}, {"format", "text"}, {"chunk_bytes", 512}});
  ASSERT_TRUE(mixed.ok()) << mixed.status().ToString();
  EXPECT_EQ(mixed->chunk_bytes, 512u);
  EXPECT_FALSE(
      ParseSynthSpec(Json{{"strategy", "cpt_corpus"}, {"format", "text"}, {"chunk_bytes", 100}})
          .ok());
  SynthSpec spec = Spec();
  spec.format = "sharegpt";
  auto run = RunSynthJob(*store_, "g", spec, nullptr);
  ASSERT_FALSE(run.ok());
  EXPECT_TRUE(run.status().IsInvalidArgument());
}

}  // namespace
}  // namespace kg::synth
