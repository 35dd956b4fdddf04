// Snapshot::Degrees: for every node (and an absent key, and a key given twice), each direction
// and each type filter, the degree equals the length of the node's ExpandNeighbors list; on a
// graph with self-loops, parallel edges, several types and a dangling edge, served both by the
// adjacency index and by RocksDB (index disabled). Also: snapshots taken after a graph is dropped
// and re-created read the new graph (GetSnapshot reuses the graph id per graph version), and
// snapshots sharing one read context still each see their own state.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/graph_store.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

EdgeFact Edge(std::string src, std::string type, std::string dst, int64_t line) {
  EdgeFact e;
  e.src_id = std::move(src);
  e.type = std::move(type);
  e.dst_id = std::move(dst);
  e.props["line"] = Value(line);  // parallel edges differ by their properties
  return e;
}

FactBatch Graph() {
  FactBatch b;
  for (const char* id : {"a", "b", "c", "d"}) b.nodes.push_back(Sym(id, "Function", {}));
  int64_t line = 0;
  b.edges.push_back(Edge("a", "CALLS", "b", ++line));
  b.edges.push_back(Edge("a", "CALLS", "b", ++line));  // parallel
  b.edges.push_back(Edge("a", "CALLS", "a", ++line));  // self-loop
  b.edges.push_back(Edge("a", "CALLS", "a", ++line));  // parallel self-loop
  b.edges.push_back(Edge("b", "CALLS", "a", ++line));
  b.edges.push_back(Edge("b", "CALLS", "c", ++line));
  b.edges.push_back(Edge("c", "IMPORTS", "a", ++line));
  b.edges.push_back(Edge("a", "IMPORTS", "c", ++line));
  b.edges.push_back(Edge("c", "CALLS", "missing", ++line));  // dangling: never visible
  return b;
}

void CheckDegrees(GraphStore& store, bool want_index) {
  if (want_index) {
    auto info = test_hooks::BuildAdjacencyIndex(store, "g");
    ASSERT_TRUE(info.ok() && info->ready);
  }
  auto snap = store.GetSnapshot("g");
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(test_hooks::SnapshotUsesAdjacencyIndex(**snap), want_index);
  std::vector<NodeKey> keys;
  for (const char* id : {"a", "b", "c", "d"}) {
    auto k = (*snap)->FindNode(id);
    ASSERT_TRUE(k.ok() && k->has_value());
    keys.push_back(**k);
  }
  keys.push_back(keys[0]);  // repeated
  keys.push_back(9999);     // absent
  std::vector<std::optional<EdgeTypeId>> types = {std::nullopt, *store.EdgeTypeIdFor("CALLS"),
                                                  *store.EdgeTypeIdFor("IMPORTS")};
  uint64_t total = 0;
  for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    for (const auto& type : types) {
      std::vector<NodeKey> neighbors;
      std::vector<size_t> offsets;
      ASSERT_TRUE((*snap)->ExpandNeighbors(keys, dir, type, &neighbors, &offsets).ok());
      std::vector<uint64_t> degrees = {42};  // replaced
      ASSERT_TRUE((*snap)->Degrees(keys, dir, type, &degrees).ok());
      ASSERT_EQ(degrees.size(), keys.size());
      for (size_t i = 0; i < keys.size(); ++i) {
        EXPECT_EQ(degrees[i], offsets[i + 1] - offsets[i])
            << "node " << keys[i] << " dir " << static_cast<int>(dir) << " type "
            << (type ? static_cast<int>(*type) : -1);
        total += degrees[i];
      }
    }
  }
  EXPECT_GT(total, 0u);
  // a: out CALLS b, b, a, a; in CALLS a, a, b. kBoth counts each self-loop twice.
  std::vector<uint64_t> degrees;
  ASSERT_TRUE((*snap)->Degrees({keys[0]}, Direction::kBoth, types[1], &degrees).ok());
  EXPECT_EQ(degrees, std::vector<uint64_t>{7});
  ASSERT_TRUE((*snap)->Degrees({}, Direction::kOut, std::nullopt, &degrees).ok());
  EXPECT_TRUE(degrees.empty());
}

// Loads Graph() into graph "g" of a fresh store opened with `options`, then CheckDegrees.
void LoadAndCheckDegrees(const Options& options, bool want_index) {
  TempDir dir;
  auto opened = GraphStore::Open(dir.sub("db"), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_TRUE((*opened)->CreateGraph("g").ok());
  ASSERT_TRUE((*opened)->ApplyBatch("g", Graph()).ok());
  CheckDegrees(**opened, want_index);
}

TEST(DegreesTest, EqualNeighbourCountsWithTheAdjacencyIndex) {
  LoadAndCheckDegrees(testing::FastOptions(), /*want_index=*/true);
}

TEST(DegreesTest, EqualNeighbourCountsFromRocksDb) {
  Options options = testing::FastOptions();
  options.adjacency_index_bytes = 0;
  LoadAndCheckDegrees(options, /*want_index=*/false);
}

// GetSnapshot reuses the graph id it looked up while the graph's version holds: a dropped graph
// is NotFound, and a graph re-created under the same name (with another id) is read afresh.
TEST(DegreesTest, SnapshotsFollowDropAndCreate) {
  TempDir dir;
  auto opened = GraphStore::Open(dir.sub("db"), testing::FastOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  GraphStore& store = **opened;
  ASSERT_TRUE(store.CreateGraph("g").ok());
  ASSERT_TRUE(store.ApplyBatch("g", Graph()).ok());
  for (int i = 0; i < 3; ++i) {  // the first snapshots make and fill the graph's slot
    auto snap = store.GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    auto a = (*snap)->FindNode("a");
    ASSERT_TRUE(a.ok() && a->has_value());
  }
  ASSERT_TRUE(store.DropGraph("g").ok());
  EXPECT_TRUE(store.GetSnapshot("g").status().IsNotFound());
  ASSERT_TRUE(store.CreateGraph("other").ok());  // takes the next id
  ASSERT_TRUE(store.CreateGraph("g").ok());
  FactBatch b;
  b.nodes.push_back(Sym("z", "Function", {}));
  ASSERT_TRUE(store.ApplyBatch("g", b).ok());
  for (int i = 0; i < 3; ++i) {
    auto snap = store.GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    auto a = (*snap)->FindNode("a");
    auto z = (*snap)->FindNode("z");
    ASSERT_TRUE(a.ok() && z.ok());
    EXPECT_FALSE(a->has_value());
    EXPECT_TRUE(z->has_value());
    auto count = (*snap)->CountNodes();
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, 1u);
  }
  auto other = store.GetSnapshot("other");
  ASSERT_TRUE(other.ok());
  auto count = (*other)->CountNodes();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0u);
}

// Snapshots of an unchanged graph share one read context (AdjacencySlot::context): each still
// sees exactly its graph's state when it was taken, across writes of that graph and of others.
TEST(SharedReadContextTest, SnapshotsSeeTheirOwnState) {
  TempDir dir;
  auto opened = GraphStore::Open(dir.sub("db"), testing::FastOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  GraphStore& store = **opened;
  ASSERT_TRUE(store.CreateGraph("g").ok());
  ASSERT_TRUE(store.CreateGraph("h").ok());
  ASSERT_TRUE(store.ApplyBatch("g", Graph()).ok());
  auto count = [](Snapshot& s) {
    auto n = s.CountNodes();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  };
  std::vector<std::unique_ptr<Snapshot>> before;
  for (int i = 0; i < 4; ++i) {  // the first ones make the slot and the shared context
    auto snap = store.GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    EXPECT_EQ(count(**snap), 4u);
    before.push_back(std::move(snap).value());
  }
  FactBatch more;
  more.nodes.push_back(Sym("e", "Function", {}));
  ASSERT_TRUE(store.ApplyBatch("g", more).ok());
  FactBatch other;
  other.nodes.push_back(Sym("x", "Function", {}));
  ASSERT_TRUE(store.ApplyBatch("h", other).ok());
  for (int i = 0; i < 4; ++i) {
    auto snap = store.GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    EXPECT_EQ(count(**snap), 5u);
    auto e = (*snap)->FindNode("e");
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(e->has_value());
    auto h = store.GetSnapshot("h");
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(count(**h), 1u);
  }
  for (auto& snap : before) {
    EXPECT_EQ(count(*snap), 4u);
    auto e = snap->FindNode("e");
    ASSERT_TRUE(e.ok());
    EXPECT_FALSE(e->has_value());
    auto cursor = snap->ScanAll();  // pooled iterators of a shared context
    NodeKey k = 0;
    int n = 0;
    while (cursor->Next(&k)) ++n;
    EXPECT_TRUE(cursor->status().ok());
    EXPECT_EQ(n, 4);
  }
}

}  // namespace
}  // namespace kg::storage
