#pragma once
// Scoring codekg's graph of a Python tree against the shared reference extractor
// ../shared/tools/py_groundtruth.py (Python's own `ast`). Shared by the ctest
// (tests/ingest/real_groundtruth_test.cc) and the bench (bench/ingest, --accuracy). No gtest.
//
// Facts compared, as sets of records:
//   definitions  (path, qualname, kind, line) of every Class / Function / Method node
//   bases        (path, class qualname, index, base as written) of every INHERITS edge
//   imports      (path, line, imported module, name, alias) of every IMPORTS edge

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "storage/graph_store.h"

namespace kg::ingest::groundtruth {

using Facts = std::map<std::string, std::set<std::string>>;  // kind -> records

inline std::string Join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "|") + p;
  return out;
}

// Runs the reference extractor over `root` (output to `out`) and reads its records. `errors`
// gets the extractor's "error" records and problems running it.
inline Facts RunReference(const std::filesystem::path& tool, const std::filesystem::path& root,
                          const std::filesystem::path& out, std::vector<std::string>* errors) {
  std::string cmd =
      "python3 '" + tool.string() + "' '" + root.string() + "' -o '" + out.string() + "' 2>&1";
  int rc = std::system(cmd.c_str());
  if (rc != 0) errors->push_back("exit status " + std::to_string(rc) + " from " + cmd);
  Facts facts;
  std::ifstream in(out);
  if (!in) errors->push_back("no output from " + cmd);
  using nlohmann::json;
  for (std::string line; std::getline(in, line);) {
    json r = json::parse(line, nullptr, false);
    if (r.is_discarded()) {
      errors->push_back("bad JSON line: " + line);
      continue;
    }
    std::string type = r.value("type", "");
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
      errors->push_back("reference extractor: " + line);
    }
  }
  return facts;
}

inline std::string Str(const Properties& props, const std::string& key) {
  auto it = props.find(key);
  if (it == props.end()) return "";
  if (it->second.is_string()) return it->second.as_string();
  return it->second.DebugString();
}

// The same facts read back from codekg's graph.
inline Facts ReadGraph(storage::GraphStore& store, std::string_view graph) {
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

// Per kind; `table` gets a printable table with up to `examples` misses and extras per kind.
inline std::map<std::string, Score> Compare(const Facts& want, const Facts& got,
                                            const std::string& title, std::string* table,
                                            int examples = 5) {
  std::map<std::string, Score> scores;
  std::ostringstream out;
  out << title << "\n"
      << "  kind         truth  codekg  match  precision  recall\n";
  static const std::set<std::string> kEmpty;
  for (const char* kind : {"definitions", "bases", "imports"}) {
    auto w = want.find(kind), g = got.find(kind);
    const std::set<std::string>& ws = w == want.end() ? kEmpty : w->second;
    const std::set<std::string>& gs = g == got.end() ? kEmpty : g->second;
    Score& s = scores[kind];
    s.want = ws.size();
    s.got = gs.size();
    for (const std::string& r : gs) s.both += ws.count(r);
    out << "  " << std::left << std::setw(12) << kind << std::right << std::setw(6) << s.want
        << std::setw(8) << s.got << std::setw(7) << s.both << std::fixed << std::setprecision(4)
        << std::setw(11) << s.precision() << std::setw(8) << s.recall() << "\n";
    int shown = 0;
    for (const std::string& r : ws) {
      if (!gs.count(r) && shown++ < examples) out << "    missing: " << r << "\n";
    }
    shown = 0;
    for (const std::string& r : gs) {
      if (!ws.count(r) && shown++ < examples) out << "    extra:   " << r << "\n";
    }
  }
  *table = out.str();
  return scores;
}

// Copies the .py files of `from` (recursively, __pycache__ excluded) into `to`; with `only`
// non-empty, just the files under those sub-folders of `from` (and `from`'s own top-level files).
inline void CopyPython(const std::filesystem::path& from, const std::filesystem::path& to,
                       const std::vector<std::string>& only = {}) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    fs::path rel = fs::relative(entry.path(), from);
    std::string r = rel.generic_string();
    if (r.find("__pycache__") != std::string::npos) continue;
    if (!only.empty() && r.find('/') != std::string::npos) {
      bool wanted = false;
      for (const std::string& o : only) wanted |= r.starts_with(o + "/");
      if (!wanted) continue;
    }
    if (entry.is_directory()) fs::create_directories(to / rel);
    if (entry.is_regular_file() && entry.path().extension() == ".py") {
      fs::create_directories((to / rel).parent_path());
      fs::copy_file(entry.path(), to / rel);
    }
  }
}

}  // namespace kg::ingest::groundtruth
