#pragma once
// Shared fixtures of the synth tests: a temporary directory and a small hand-built graph.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"

namespace kg::synth::fixture {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "codekg_synth_test_XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    if (p != nullptr) path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline storage::NodeFact ClassNode(const std::string& path, const std::string& module,
                                   const std::string& name, int line) {
  storage::NodeFact n;
  n.id = path + ":" + name;
  n.labels = {"Class"};
  n.props = {{"name", name},
             {"qualified_name", module + "." + name},
             {"path", path},
             {"start_line", line},
             {"kind", "class"}};
  return n;
}

inline storage::NodeFact MethodNode(const std::string& path, const std::string& module,
                                    const std::string& cls, const std::string& name,
                                    const std::string& signature, const std::string& doc,
                                    int line) {
  storage::NodeFact n;
  n.id = path + ":" + cls + "." + name;
  n.labels = {"Method"};
  n.props = {{"name", name},
             {"qualified_name", module + "." + cls + "." + name},
             {"path", path},
             {"signature", signature},
             {"start_line", line}};
  if (!doc.empty()) n.props["docstring"] = doc;
  return n;
}

inline storage::EdgeFact Edge(const std::string& src, const std::string& type,
                              const std::string& dst, Properties props = {}) {
  return storage::EdgeFact{src, type, dst, std::move(props)};
}

// A small zoo graph "zoo": Animal <- Dog <- Puppy (also <- external mixins.Playful),
// Animal <- Cat, and Robot (another file) <- external abc.ABC. Methods with signatures and
// docstrings. Call as ASSERT_NO_FATAL_FAILURE(BuildZoo(dir, &store)).
inline void BuildZoo(const std::string& dir, std::unique_ptr<storage::GraphStore>* out) {
  ASSERT_FALSE(dir.empty());
  auto store = storage::GraphStore::Open(dir + "/db", storage::Options{});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::unique_ptr<storage::GraphStore> store_ = std::move(store).value();
  ASSERT_TRUE(store_->CreateGraph("zoo").ok());

  storage::FactBatch animals;
  animals.path = "zoo/animals.py";
  animals.language = "python";
  const std::string p = animals.path, m = "zoo.animals";
  animals.nodes = {
      ClassNode(p, m, "Animal", 1),
      MethodNode(p, m, "Animal", "__init__", "def __init__(self, name: str)", "", 2),
      MethodNode(p, m, "Animal", "speak", "def speak(self) -> str",
                 "Makes the animal's sound.\n\nSubclasses override it.", 5),
      ClassNode(p, m, "Dog", 10),
      MethodNode(p, m, "Dog", "speak", "def speak(self) -> str", "", 11),
      MethodNode(p, m, "Dog", "fetch", "async def fetch(self, thing: str) -> None",
                 "Brings `thing` back.", 14),
      ClassNode(p, m, "Cat", 20),
      MethodNode(p, m, "Cat", "speak", "def speak(self) -> str", "", 21),
      MethodNode(p, m, "Cat", "create", "def create(cls, name: str) -> \"Cat\"", "Builds a cat.",
                 24),
      ClassNode(p, m, "Puppy", 30),
  };
  storage::NodeFact playful;
  playful.id = "external:mixins.Playful";
  playful.labels = {"External"};
  playful.props = {{"name", "mixins.Playful"}};
  playful.shared = true;
  animals.nodes.push_back(playful);
  animals.edges = {
      Edge(p + ":Dog", "INHERITS", p + ":Animal", {{"index", 0}}),
      Edge(p + ":Cat", "INHERITS", p + ":Animal", {{"index", 0}}),
      Edge(p + ":Puppy", "INHERITS", p + ":Dog", {{"index", 0}}),
      Edge(p + ":Puppy", "INHERITS", "external:mixins.Playful", {{"index", 1}}),
  };
  for (const auto& [cls, method] :
       std::vector<std::pair<std::string, std::string>>{{"Animal", "__init__"},
                                                        {"Animal", "speak"},
                                                        {"Dog", "speak"},
                                                        {"Dog", "fetch"},
                                                        {"Cat", "speak"},
                                                        {"Cat", "create"}}) {
    animals.edges.push_back(Edge(p + ":" + cls, "HAS_METHOD", p + ":" + cls + "." + method));
  }
  for (auto& n : animals.nodes) {
    if (n.id == p + ":Cat.create") n.props["decorators"] = ValueList{"classmethod"};
  }
  ASSERT_TRUE(store_->ApplyBatch("zoo", animals).ok());

  storage::FactBatch robots;
  robots.path = "zoo/robots.py";
  robots.language = "python";
  storage::NodeFact abc;
  abc.id = "external:abc.ABC";
  abc.labels = {"External"};
  abc.props = {{"name", "abc.ABC"}};
  abc.shared = true;
  robots.nodes = {ClassNode("zoo/robots.py", "zoo.robots", "Robot", 3), abc};
  robots.edges = {Edge("zoo/robots.py:Robot", "INHERITS", "external:abc.ABC", {{"index", 0}})};
  ASSERT_TRUE(store_->ApplyBatch("zoo", robots).ok());
  *out = std::move(store_);
}

}  // namespace kg::synth::fixture
