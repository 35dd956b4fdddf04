#pragma once
// A small code-like graph in a real GraphStore (RocksDB in a temp folder), for query tests.
//
//   app/models.py   class Base { save }, class User(Base) { get_name, save },
//                   class Admin(User) { get_name }
//   app/service.py  create_user(), main(), helper() (recursive)
//   app/util.py     format_name(), parse_args(); External os.path.join (shared)
//
// Edges: File -CONTAINS-> Class/Function; Class -HAS_METHOD-> Method; User -INHERITS-> Base,
// Admin -INHERITS-> User; Method -OVERRIDES-> Method; CALLS: main->create_user,
// main->parse_args, create_user->format_name, create_user->User (construction),
// format_name->os.path.join, User.save->Base.save, helper->helper (self-loop), with `line`.
// Nodes carry name, qualified_name, path, language, start_line, end_line, start_byte, end_byte
// (byte ranges point at the definitions in the stored file texts).

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"

namespace kg::query::testing {

using kg::testing::TempDir;

inline constexpr char kGraph[] = "g";

inline const char kModelsPy[] =
    "class Base:\n"
    "    def save(self):\n"
    "        return True\n"
    "\n"
    "class User(Base):\n"
    "    def get_name(self):\n"
    "        return self.name\n"
    "\n"
    "    def save(self):\n"
    "        return super().save()\n"
    "\n"
    "class Admin(User):\n"
    "    def get_name(self):\n"
    "        return 'admin'\n";

inline const char kServicePy[] =
    "from app.models import User\n"
    "from app.util import format_name, parse_args\n"
    "\n"
    "def create_user(name):\n"
    "    return User(format_name(name))\n"
    "\n"
    "def main():\n"
    "    args = parse_args()\n"
    "    create_user(args.name)\n"
    "\n"
    "def helper(n):\n"
    "    return helper(n - 1) if n else 0\n";

inline const char kUtilPy[] =
    "import os\n"
    "\n"
    "def format_name(name):\n"
    "    return os.path.join('users', name.title())\n"
    "\n"
    "def parse_args():\n"
    "    return None\n";

// Owns the temp folder and the open store with graph kGraph populated.
class CodeGraph {
 public:
  // Aborts the test (via the returned Status) if anything fails.
  Status Build() {
    auto store = storage::GraphStore::Open(dir_.path(), Options());
    if (!store.ok()) return store.status();
    store_ = std::move(store).value();
    KG_RETURN_IF_ERROR(store_->CreateGraph(kGraph));
    KG_RETURN_IF_ERROR(store_->ApplyBatch(kGraph, Models()));
    KG_RETURN_IF_ERROR(store_->ApplyBatch(kGraph, Service()));
    KG_RETURN_IF_ERROR(store_->ApplyBatch(kGraph, Util()));
    return Status::OK();
  }

  storage::GraphStore& store() { return *store_; }

 private:
  static storage::Options Options() {
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8 << 20;
    return options;
  }

  // A symbol node whose byte range is the first occurrence of `definition` in `text`.
  static storage::NodeFact Symbol(const std::string& path, const std::string& text,
                                  const std::string& label, const std::string& qualified,
                                  const std::string& definition, const std::string& end_marker) {
    storage::NodeFact n;
    n.id = path + ":" + qualified;
    n.labels = {label};
    std::string name =
        qualified.substr(qualified.rfind('.') == std::string::npos ? 0 : qualified.rfind('.') + 1);
    size_t start = text.find(definition);
    size_t end = text.find(end_marker, start);
    end = end == std::string::npos ? text.size() : end + end_marker.size();
    auto line_of = [&text](size_t offset) {
      return static_cast<int64_t>(std::count(text.begin(), text.begin() + offset, '\n') + 1);
    };
    n.props = {{"name", Value(name)},
               {"qualified_name", Value(qualified)},
               {"path", Value(path)},
               {"language", Value("python")},
               {"start_line", Value(line_of(start))},
               {"end_line", Value(line_of(end - 1))},
               {"start_byte", Value(static_cast<int64_t>(start))},
               {"end_byte", Value(static_cast<int64_t>(end))}};
    if (label == "Class") n.props["kind"] = Value("class");
    return n;
  }

 public:
  // Fact helpers, also for tests that build their own graphs.
  static storage::NodeFact File(const std::string& path) {
    storage::NodeFact n;
    n.id = path;
    n.labels = {"File"};
    n.props = {{"name", Value(path.substr(path.rfind('/') + 1))},
               {"path", Value(path)},
               {"language", Value("python")}};
    return n;
  }

  static storage::EdgeFact Edge(const std::string& src, const std::string& type,
                                const std::string& dst, Properties props = {}) {
    return storage::EdgeFact{src, type, dst, std::move(props)};
  }

 private:
  static storage::FactBatch Models() {
    const std::string p = "app/models.py";
    const std::string t = kModelsPy;
    storage::FactBatch b{p, "h-models", "python", t, {}, {}};
    b.nodes = {File(p),
               Symbol(p, t, "Class", "Base", "class Base:", "return True\n"),
               Symbol(p, t, "Method", "Base.save", "def save(self):\n        return True",
                      "return True\n"),
               Symbol(p, t, "Class", "User", "class User(Base):", "super().save()\n"),
               Symbol(p, t, "Method", "User.get_name", "def get_name(self):\n        return self",
                      "self.name\n"),
               Symbol(p, t, "Method", "User.save", "def save(self):\n        return super",
                      "super().save()\n"),
               Symbol(p, t, "Class", "Admin", "class Admin(User):", "'admin'\n"),
               Symbol(p, t, "Method", "Admin.get_name",
                      "def get_name(self):\n        return 'admin'", "'admin'\n")};
    const std::string m = p + ":";
    b.edges = {Edge(p, "CONTAINS", m + "Base"),
               Edge(p, "CONTAINS", m + "User"),
               Edge(p, "CONTAINS", m + "Admin"),
               Edge(m + "Base", "HAS_METHOD", m + "Base.save"),
               Edge(m + "User", "HAS_METHOD", m + "User.get_name"),
               Edge(m + "User", "HAS_METHOD", m + "User.save"),
               Edge(m + "Admin", "HAS_METHOD", m + "Admin.get_name"),
               Edge(m + "User", "INHERITS", m + "Base", {{"index", Value(0)}}),
               Edge(m + "Admin", "INHERITS", m + "User", {{"index", Value(0)}}),
               Edge(m + "User.save", "OVERRIDES", m + "Base.save"),
               Edge(m + "Admin.get_name", "OVERRIDES", m + "User.get_name"),
               Edge(m + "User.save", "CALLS", m + "Base.save", {{"line", Value(10)}})};
    return b;
  }

  static storage::FactBatch Service() {
    const std::string p = "app/service.py";
    const std::string t = kServicePy;
    storage::FactBatch b{p, "h-service", "python", t, {}, {}};
    b.nodes = {File(p), Symbol(p, t, "Function", "create_user", "def create_user", "(name))\n"),
               Symbol(p, t, "Function", "main", "def main", "(args.name)\n"),
               Symbol(p, t, "Function", "helper", "def helper", "else 0\n")};
    const std::string s = p + ":";
    b.edges = {Edge(p, "CONTAINS", s + "create_user"),
               Edge(p, "CONTAINS", s + "main"),
               Edge(p, "CONTAINS", s + "helper"),
               Edge(s + "main", "CALLS", "app/util.py:parse_args", {{"line", Value(8)}}),
               Edge(s + "main", "CALLS", s + "create_user", {{"line", Value(9)}}),
               Edge(s + "create_user", "CALLS", "app/util.py:format_name", {{"line", Value(5)}}),
               Edge(s + "create_user", "CALLS", "app/models.py:User", {{"line", Value(5)}}),
               Edge(s + "helper", "CALLS", s + "helper", {{"line", Value(12)}}),
               Edge(p, "IMPORTS", "app/models.py", {{"symbol", Value("User")}}),
               Edge(p, "IMPORTS", "app/util.py", {{"symbol", Value("format_name")}})};
    return b;
  }

  static storage::FactBatch Util() {
    const std::string p = "app/util.py";
    const std::string t = kUtilPy;
    storage::FactBatch b{p, "h-util", "python", t, {}, {}};
    storage::NodeFact join;
    join.id = "external:os.path.join";
    join.labels = {"External"};
    join.props = {{"name", Value("join")}, {"qualified_name", Value("os.path.join")}};
    join.shared = true;
    b.nodes = {File(p), Symbol(p, t, "Function", "format_name", "def format_name", "title())\n"),
               Symbol(p, t, "Function", "parse_args", "def parse_args", "return None\n"), join};
    const std::string u = p + ":";
    b.edges = {Edge(p, "CONTAINS", u + "format_name"), Edge(p, "CONTAINS", u + "parse_args"),
               Edge(u + "format_name", "CALLS", "external:os.path.join", {{"line", Value(4)}})};
    return b;
  }

  TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

// A gtest fixture base whose suite builds one CodeGraph in SetUpTestSuite and shares it.
// Base is ::testing::Test or ::testing::TestWithParam<T>.
template <typename Base>
class CodeGraphSuite : public Base {
 protected:
  static void SetUpTestSuite() {
    graph_ = new CodeGraph();
    Status s = graph_->Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static void TearDownTestSuite() {
    delete graph_;
    graph_ = nullptr;
  }
  static inline CodeGraph* graph_ = nullptr;
};

}  // namespace kg::query::testing
