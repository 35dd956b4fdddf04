// Snapshot::ScanPathLabel: exactly the nodes with the label whose string path equals the given
// path, in NodeKey order, checked against a brute-force filter of every node, across files whose
// paths share prefixes, graph-level nodes, non-string paths and deletes.

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "storage/graph_store.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

// big.py has many more nodes than the others: the cursor steps along runs of matches and
// seeks over long gaps (both ways of advancing are checked).
const char* const kPaths[] = {"a.py", "a.pyx", "a", "b.py", "dir/a.py", "big.py"};
const char* const kLabels[] = {"File", "Function", "Class", "Method"};

std::vector<NodeKey> Drain(NodeCursor& c) {
  std::vector<NodeKey> out;
  NodeKey k = 0;
  while (c.Next(&k)) out.push_back(k);
  EXPECT_TRUE(c.status().ok()) << c.status().ToString();
  return out;
}

// Every node with `label` whose path is the string `path`, by reading every node.
std::vector<NodeKey> BruteForce(Snapshot& snap, LabelId label, const std::string& path) {
  auto all = snap.ScanAll();
  std::vector<NodeKey> keys = Drain(*all);
  std::vector<std::optional<NodeRecord>> records;
  EXPECT_TRUE(snap.GetNodes(keys, &records).ok());
  std::vector<NodeKey> out;
  for (const auto& r : records) {
    if (!r) continue;
    auto p = r->props.find("path");
    if (p == r->props.end() || !p->second.is_string() || p->second.as_string() != path) continue;
    for (LabelId l : r->labels) {
      if (l == label) {
        out.push_back(r->key);
        break;
      }
    }
  }
  return out;
}

FactBatch FileBatch(const std::string& path, int functions) {
  FactBatch b;
  b.path = path;
  b.nodes.push_back(Sym(path, "File", {{"path", Value(path)}, {"name", Value(path)}}));
  for (int i = 0; i < functions; ++i) {
    b.nodes.push_back(Sym(path + ":f" + std::to_string(i), "Function",
                          {{"path", Value(path)}, {"name", Value("f" + std::to_string(i))}}));
  }
  NodeFact c = Sym(path + ":C", "Class", {{"path", Value(path)}, {"name", Value("C")}});
  c.labels.push_back("Method");  // two labels
  b.nodes.push_back(std::move(c));
  return b;
}

TEST(PathLabelScanTest, MatchesABruteForceFilter) {
  TempDir dir;
  auto opened = GraphStore::Open(dir.sub("db"), testing::FastOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  GraphStore& store = **opened;
  ASSERT_TRUE(store.CreateGraph("g").ok());
  int functions = 0;
  for (const char* path : kPaths)
    ASSERT_TRUE(
        store.ApplyBatch("g", FileBatch(path, path == std::string("big.py") ? 40 : ++functions))
            .ok());
  // Graph-level nodes: another File node of a.py (keys after the files'), and nodes whose path is
  // not a string or is missing.
  FactBatch extra;
  extra.nodes.push_back(Sym("extra", "File", {{"path", Value("a.py")}}));
  extra.nodes.push_back(Sym("int_path", "File", {{"path", Value(int64_t{7})}}));
  extra.nodes.push_back(Sym("no_path", "Function", {{"name", Value("x")}}));
  ASSERT_TRUE(store.ApplyBatch("g", extra).ok());

  auto check = [&](const char* when) {
    auto snap = store.GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    int nonempty = 0;
    for (const char* label_name : kLabels) {
      const LabelId label = *store.LabelIdFor(label_name);
      for (const std::string path :
           {"a.py", "a.pyx", "a", "b.py", "dir/a.py", "big.py", "a.p", "", "7"}) {
        auto cursor = (*snap)->ScanPathLabel(path, label);
        const std::vector<NodeKey> got = Drain(*cursor);
        EXPECT_EQ(got, BruteForce(**snap, label, path)) << when << " " << label_name << " " << path;
        nonempty += got.empty() ? 0 : 1;
      }
    }
    EXPECT_GT(nonempty, 0) << when;
  };
  check("loaded");
  auto snap = store.GetSnapshot("g");
  ASSERT_TRUE(snap.ok());
  auto files = (*snap)->ScanPathLabel("a.py", *store.LabelIdFor("File"));
  EXPECT_EQ(Drain(*files).size(), 2u);  // the file's node and the graph-level one

  ASSERT_TRUE(store.DeleteFile("g", "a.py").ok());
  ASSERT_TRUE(store.ApplyBatch("g", FileBatch("b.py", 0)).ok());
  check("after delete and replace");
}

}  // namespace
}  // namespace kg::storage
