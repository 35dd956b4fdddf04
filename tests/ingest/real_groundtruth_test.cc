// Ground truth on real code: codekg's graph of the Debian-installed sources of requests and flask
// (python3-requests, python3-flask) against the shared reference extractor
// ../shared/tools/py_groundtruth.py (Python's own `ast`). Precision and recall per kind:
//   definitions  (path, qualname, kind, line) of every Class / Function / Method node
//   bases        (path, class qualname, index, base as written) of every INHERITS edge
//   imports      (path, line, imported module, name, alias) of every IMPORTS edge
// Targets (the issue's): definitions >= 0.99 precision and recall; bases and imports >= 0.97.
// The package is copied into a temporary folder first, so module names are `requests.api` etc.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;

using Facts = std::map<std::string, std::set<std::string>>;  // kind -> records

std::string Join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "|") + p;
  return out;
}

// The reference extractor's records for `root`, as facts.
Facts RunGroundTruth(const fs::path& tool, const fs::path& root, const fs::path& out) {
  std::string cmd =
      "python3 '" + tool.string() + "' '" + root.string() + "' -o '" + out.string() + "' 2>&1";
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  Facts facts;
  std::ifstream in(out);
  EXPECT_TRUE(in) << "no output from " << cmd;
  for (std::string line; std::getline(in, line);) {
    json r = json::parse(line);
    std::string type = r["type"];
    if (type == "def") {
      facts["definitions"].insert(
          Join({r["path"], r["qualname"], r["kind"], std::to_string(r["line"].get<int>())}));
      if (r["kind"] == "class") {
        int i = 0;
        for (const json& b : r["bases"]) {
          facts["bases"].insert(
              Join({r["path"], r["qualname"], std::to_string(i++), b.get<std::string>()}));
        }
      }
    } else if (type == "import") {
      for (const json& n : r["names"]) {
        std::string alias = n["asname"].is_null() ? "" : n["asname"].get<std::string>();
        std::string name = r["from"].get<bool>() ? n["name"].get<std::string>() : "";
        std::string module =
            r["from"].get<bool>() ? r["imported"].get<std::string>() : n["name"].get<std::string>();
        facts["imports"].insert(
            Join({r["path"], std::to_string(r["line"].get<int>()), module, name, alias}));
      }
    } else if (type == "error") {
      ADD_FAILURE() << "reference extractor: " << line;
    }
  }
  return facts;
}

std::string Str(const Properties& props, const std::string& key) {
  auto it = props.find(key);
  if (it == props.end()) return "";
  if (it->second.is_string()) return it->second.as_string();
  return it->second.DebugString();
}

// The same facts read back from codekg's graph.
Facts ReadGraph(storage::GraphStore& store, std::string_view graph) {
  Facts facts;
  auto snap = std::move(store.GetSnapshot(graph)).value();
  for (const char* label : {"Class", "Function", "Method"}) {
    storage::LabelId id = *store.LabelIdFor(label);
    std::string kind = label;
    kind[0] = static_cast<char>(std::tolower(kind[0]));
    auto cursor = snap->ScanLabel(id);
    storage::NodeKey key;
    while (cursor->Next(&key)) {
      storage::NodeRecord n = **snap->GetNode(key);
      std::string path = Str(n.props, "path"), qualname = Str(n.props, "qualified_name");
      facts["definitions"].insert(Join({path, qualname, kind, Str(n.props, "start_line")}));
      if (kind != "class") continue;
      auto edges = snap->Expand(key, storage::Direction::kOut, *store.EdgeTypeIdFor("INHERITS"));
      storage::EdgeRecord e;
      while (edges->Next(&e)) {
        facts["bases"].insert(
            Join({path, qualname, Str(e.props, "index"), Str(e.props, "written")}));
      }
    }
  }
  auto files = *snap->ListFiles();
  for (const storage::FileRecord& f : files) {
    auto key = *snap->FindNode(f.path);
    if (!key) continue;
    auto edges = snap->Expand(*key, storage::Direction::kOut, *store.EdgeTypeIdFor("IMPORTS"));
    storage::EdgeRecord e;
    while (edges->Next(&e)) {
      facts["imports"].insert(Join({f.path, Str(e.props, "line"), Str(e.props, "module"),
                                    Str(e.props, "symbol"), Str(e.props, "alias")}));
    }
  }
  return facts;
}

struct Score {
  size_t want = 0, got = 0, both = 0;
  double precision() const { return got ? static_cast<double>(both) / got : 1.0; }
  double recall() const { return want ? static_cast<double>(both) / want : 1.0; }
};

void CheckPackage(const std::string& package) {
  const fs::path tool =
      fs::path(CODEKG_SOURCE_DIR) / ".." / "shared" / "tools" / "py_groundtruth.py";
  ASSERT_TRUE(fs::exists(tool)) << "reference extractor not found at " << tool
                                << " (expected in the shared folder next to the repository)";
  const fs::path installed = fs::path("/usr/lib/python3/dist-packages") / package;
  ASSERT_TRUE(fs::exists(installed / "__init__.py"))
      << installed << " missing: apt-get install python3-" << package
      << " (scripts/install-deps.sh)";
  TempDir dir;
  fs::path root = dir.path() / "src";
  fs::create_directories(root / package);
  for (const auto& entry : fs::recursive_directory_iterator(installed)) {
    fs::path rel = fs::relative(entry.path(), installed);
    if (rel.string().find("__pycache__") != std::string::npos) continue;
    if (entry.is_directory()) fs::create_directories(root / package / rel);
    if (entry.is_regular_file() && entry.path().extension() == ".py") {
      fs::copy_file(entry.path(), root / package / rel);
    }
  }
  Facts want = RunGroundTruth(tool, root, dir.path() / "truth.jsonl");

  storage::Options options;
  options.sync_writes = false;
  auto store = std::move(storage::GraphStore::Open((dir.path() / "db").string(), options)).value();
  auto report = IngestPath(*store, "g", root.string());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->skipped.empty())
      << report->skipped[0].path << ": " << report->skipped[0].reason;
  Facts got = ReadGraph(*store, "g");

  std::ostringstream table;
  table << package << " (" << report->files_parsed << " files)\n"
        << "  kind         truth  codekg  match  precision  recall\n";
  for (const auto& [kind, target] :
       std::map<std::string, double>{{"definitions", 0.99}, {"bases", 0.97}, {"imports", 0.97}}) {
    Score s;
    s.want = want[kind].size();
    s.got = got[kind].size();
    for (const std::string& r : got[kind]) s.both += want[kind].count(r);
    table << "  " << std::left << std::setw(12) << kind << std::right << std::setw(6) << s.want
          << std::setw(8) << s.got << std::setw(7) << s.both << std::fixed << std::setprecision(4)
          << std::setw(11) << s.precision() << std::setw(8) << s.recall() << "\n";
    EXPECT_GT(s.want, 0u) << kind;
    EXPECT_GE(s.precision(), target) << kind;
    EXPECT_GE(s.recall(), target) << kind;
    int shown = 0;
    for (const std::string& r : want[kind]) {
      if (!got[kind].count(r) && shown++ < 5) table << "    missing: " << r << "\n";
    }
    shown = 0;
    for (const std::string& r : got[kind]) {
      if (!want[kind].count(r) && shown++ < 5) table << "    extra:   " << r << "\n";
    }
  }
  std::cout << table.str();
  ::testing::Test::RecordProperty("table", table.str());
}

TEST(RealGroundTruthTest, Requests) { CheckPackage("requests"); }
TEST(RealGroundTruthTest, Flask) { CheckPackage("flask"); }

}  // namespace
}  // namespace kg::ingest
