// The adjacency index (Options::adjacency_index_bytes): hops served from it equal the RocksDB
// path's, on a randomized graph, after replace/delete batches, across snapshots taken before and
// after writes, after drop and re-create and bulk loads; a stale index is never used; graphs over
// the memory budget fall back; readers racing writers see their own snapshot.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "storage/graph_store.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

constexpr const char* kTypes[] = {"CALLS", "IMPORTS", "REFERENCES"};

// File f of a random graph at `round`: nodes f_0..f_k, edges to random nodes of any file (some
// never created, so dangling), parallel edges included.
FactBatch RandomFile(std::mt19937_64& rng, int f, int files) {
  FactBatch b;
  b.path = "f" + std::to_string(f) + ".py";
  const int nodes = 1 + static_cast<int>(rng() % 12);
  for (int i = 0; i < nodes; ++i) {
    // Qualified names shared across files (some by nodes of another label), with a byte the
    // key encoding escapes, and some nodes without one.
    Properties props = {{"name", "n" + std::to_string(i)}};
    if (rng() % 5 != 0) {
      props["qualified_name"] =
          "m" + std::to_string(rng() % 6) + std::string(1, '\0') + ".q" + std::to_string(i % 4);
    }
    b.nodes.push_back(Sym("f" + std::to_string(f) + "_" + std::to_string(i),
                          rng() % 3 == 0 ? "Class" : "Function", std::move(props)));
  }
  const int edges = static_cast<int>(rng() % 30);
  for (int e = 0; e < edges; ++e) {
    EdgeFact ef;
    ef.src_id = b.nodes[rng() % b.nodes.size()].id;
    ef.type = kTypes[rng() % 3];
    ef.dst_id = "f" + std::to_string(rng() % (files + 2)) + "_" + std::to_string(rng() % 12);
    if (rng() % 4 == 0) ef.props["line"] = static_cast<int64_t>(rng() % 100);
    b.edges.push_back(ef);
    if (rng() % 8 == 0) b.edges.push_back(ef);  // parallel
  }
  return b;
}

using EdgeTuple = std::tuple<NodeKey, EdgeTypeId, NodeKey, uint32_t>;

struct Hops {
  std::vector<std::vector<EdgeTuple>> keys;  // ExpandKeys per (node, dir, type)
  std::vector<NodeKey> neighbors;            // ExpandNeighbors of all nodes per (dir, type)
  std::vector<size_t> offsets;
  std::vector<std::optional<NodeKey>> found;    // FindNode of every id the generator can make
  std::vector<std::vector<NodeKey>> qualified;  // ScanQualifiedName of each name and label
  std::vector<NodeKey> all_nodes;               // ScanAll
  bool operator==(const Hops& o) const {
    return keys == o.keys && neighbors == o.neighbors && offsets == o.offsets && found == o.found &&
           qualified == o.qualified && all_nodes == o.all_nodes;
  }
};

// Every hop read of nodes 0..max_key (with a repeated key and absent ones) in every direction
// and type (none, each used type, an unused one).
Hops ReadAll(Snapshot& snap, GraphStore& store, NodeKey max_key) {
  Hops h;
  std::vector<std::optional<EdgeTypeId>> types = {std::nullopt, EdgeTypeId{999}};
  for (const char* t : kTypes) types.push_back(store.EdgeTypeIdFor(t).value());
  std::vector<NodeKey> all;
  for (NodeKey k = 0; k <= max_key; ++k) all.push_back(k);
  all.push_back(max_key / 2);
  all.push_back(1'000'000);
  all.push_back(std::numeric_limits<NodeKey>::max());
  for (int f = 0; f < 50; ++f) {
    for (int i = 0; i < 12; ++i) {
      auto k = snap.FindNode("f" + std::to_string(f) + "_" + std::to_string(i));
      EXPECT_TRUE(k.ok());
      h.found.push_back(k.ok() ? k.value() : std::nullopt);
    }
  }
  {
    auto c = snap.ScanAll();
    NodeKey k = 0;
    while (c->Next(&k)) h.all_nodes.push_back(k);
    EXPECT_TRUE(c->status().ok()) << c->status().ToString();
  }
  std::vector<std::optional<LabelId>> labels = {std::nullopt, LabelId{999}};
  for (const char* l : {"Function", "Class"}) labels.push_back(store.LabelIdFor(l).value());
  for (int m = 0; m < 7; ++m) {
    for (int q = 0; q < 5; ++q) {
      for (const auto& label : labels) {
        auto c = snap.ScanQualifiedName(
            "m" + std::to_string(m) + std::string(1, '\0') + ".q" + std::to_string(q), label);
        std::vector<NodeKey> keys;
        NodeKey k = 0;
        while (c->Next(&k)) keys.push_back(k);
        EXPECT_TRUE(c->status().ok()) << c->status().ToString();
        h.qualified.push_back(std::move(keys));
      }
    }
  }
  for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    for (const auto& type : types) {
      for (NodeKey k : all) {
        auto c = snap.ExpandKeys(k, d, type);
        std::vector<EdgeTuple> edges;
        EdgeRecord r;
        while (c->Next(&r)) {
          edges.emplace_back(r.src, r.type, r.dst, r.seq);
          EXPECT_TRUE(r.props.empty());
        }
        EXPECT_TRUE(c->status().ok()) << c->status().ToString();
        h.keys.push_back(std::move(edges));
      }
      std::vector<NodeKey> n;
      std::vector<size_t> o;
      Status s = snap.ExpandNeighbors(all, d, type, &n, &o);
      EXPECT_TRUE(s.ok()) << s.ToString();
      h.neighbors.insert(h.neighbors.end(), n.begin(), n.end());
      h.offsets.insert(h.offsets.end(), o.begin(), o.end());
    }
  }
  return h;
}

class AdjacencyIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options with = testing::FastOptions();
    Options without = testing::FastOptions();
    without.adjacency_index_bytes = 0;
    auto a = GraphStore::Open(dir_.sub("indexed"), with);
    auto b = GraphStore::Open(dir_.sub("plain"), without);
    ASSERT_TRUE(a.ok() && b.ok());
    indexed_ = std::move(a).value();
    plain_ = std::move(b).value();
  }
  // Applies the same write to both stores.
  void Both(const std::function<Status(GraphStore&)>& write) {
    Status a = write(*indexed_), b = write(*plain_);
    ASSERT_TRUE(a.ok()) << a.ToString();
    ASSERT_TRUE(b.ok()) << b.ToString();
  }
  std::unique_ptr<Snapshot> Snap(GraphStore& s, const std::string& g = "g") {
    auto r = s.GetSnapshot(g);
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  }
  // Builds the index; returns its size.
  uint64_t ExpectBuilt(const std::string& g = "g") {
    auto info = test_hooks::BuildAdjacencyIndex(*indexed_, g);
    EXPECT_TRUE(info.ok());
    EXPECT_TRUE(info.ok() && info.value().ready);
    return info.ok() ? info.value().bytes : 0;
  }

  TempDir dir_;
  std::unique_ptr<GraphStore> indexed_, plain_;
};

TEST_F(AdjacencyIndexTest, RandomGraphMatchesRocksPathAcrossWritesAndSnapshots) {
  constexpr int kFiles = 40;
  constexpr NodeKey kMaxKey = kFiles * 12 + 20;
  std::mt19937_64 rng(7);
  Both([](GraphStore& s) { return s.CreateGraph("g"); });
  std::vector<FactBatch> batches;
  for (int f = 0; f < kFiles; ++f) batches.push_back(RandomFile(rng, f, kFiles));
  Both([&](GraphStore& s) { return s.BulkLoad("g", batches); });
  EXPECT_GT(ExpectBuilt(), 0u);

  auto a0 = Snap(*indexed_), b0 = Snap(*plain_);
  EXPECT_TRUE(test_hooks::SnapshotUsesAdjacencyIndex(*a0));
  EXPECT_FALSE(test_hooks::SnapshotUsesAdjacencyIndex(*b0));
  const Hops before = ReadAll(*b0, *plain_, kMaxKey);
  EXPECT_FALSE(before.neighbors.empty());
  size_t qualified = 0, shared = 0;
  for (const auto& keys : before.qualified) {
    qualified += !keys.empty();
    shared += keys.size() > 1;
  }
  EXPECT_GT(qualified, 20u);
  EXPECT_GT(shared, 10u);
  EXPECT_GT(before.all_nodes.size(), 100u);
  EXPECT_TRUE(ReadAll(*a0, *indexed_, kMaxKey) == before);

  for (int round = 0; round < 4; ++round) {
    // A snapshot taken before the write that had not fetched the index yet: after the write the
    // index (of its version) is gone, so it must read RocksDB, and still see its own state.
    ExpectBuilt();
    auto a_old = Snap(*indexed_), b_old = Snap(*plain_);
    for (int i = 0; i < 5; ++i) {
      const int f = static_cast<int>(rng() % kFiles);
      if (rng() % 3 == 0) {
        // Deleting a file leaves edges into its nodes dangling; re-creating it revives them.
        Both([&](GraphStore& s) { return s.DeleteFile("g", "f" + std::to_string(f) + ".py"); });
        if (rng() % 2 == 0) {
          FactBatch b = RandomFile(rng, f, kFiles);
          Both([&](GraphStore& s) { return s.ApplyBatch("g", b); });
        }
      } else {
        FactBatch b = RandomFile(rng, f, kFiles);
        Both([&](GraphStore& s) { return s.ApplyBatch("g", b); });
      }
    }
    FactBatch graph_level;
    graph_level.edges.push_back({"f1_0", "CALLS", "f2_0", {}});
    Both([&](GraphStore& s) { return s.ApplyBatch("g", graph_level); });
    EXPECT_FALSE(test_hooks::SnapshotUsesAdjacencyIndex(*a_old));
    EXPECT_TRUE(ReadAll(*a_old, *indexed_, kMaxKey) == ReadAll(*b_old, *plain_, kMaxKey));

    // A new snapshot: equal before (RocksDB or a background build) and after the rebuild.
    auto a1 = Snap(*indexed_), b1 = Snap(*plain_);
    const Hops now = ReadAll(*b1, *plain_, kMaxKey);
    EXPECT_TRUE(ReadAll(*a1, *indexed_, kMaxKey) == now);
    ExpectBuilt();
    auto a2 = Snap(*indexed_);
    EXPECT_TRUE(test_hooks::SnapshotUsesAdjacencyIndex(*a2));
    EXPECT_TRUE(ReadAll(*a2, *indexed_, kMaxKey) == now);
  }
  // The first snapshot kept its index (of its version) through every write.
  EXPECT_TRUE(test_hooks::SnapshotUsesAdjacencyIndex(*a0));
  EXPECT_TRUE(ReadAll(*a0, *indexed_, kMaxKey) == before);
}

TEST_F(AdjacencyIndexTest, DropAndRecreateNeverServesTheOldGraph) {
  std::mt19937_64 rng(11);
  Both([](GraphStore& s) { return s.CreateGraph("g"); });
  for (int f = 0; f < 10; ++f) {
    FactBatch b = RandomFile(rng, f, 10);
    Both([&](GraphStore& s) { return s.ApplyBatch("g", b); });
  }
  ExpectBuilt();
  Both([](GraphStore& s) { return s.DropGraph("g"); });
  Both([](GraphStore& s) { return s.CreateGraph("g"); });
  FactBatch b = RandomFile(rng, 3, 10);
  Both([&](GraphStore& s) { return s.ApplyBatch("g", b); });
  auto a = Snap(*indexed_), p = Snap(*plain_);
  const Hops expected = ReadAll(*p, *plain_, 200);
  EXPECT_TRUE(ReadAll(*a, *indexed_, 200) == expected);
  ExpectBuilt();
  auto a2 = Snap(*indexed_);
  EXPECT_TRUE(test_hooks::SnapshotUsesAdjacencyIndex(*a2));
  EXPECT_TRUE(ReadAll(*a2, *indexed_, 200) == expected);
}

TEST_F(AdjacencyIndexTest, GraphsOverTheBudgetReadRocksDb) {
  Options tiny = testing::FastOptions();
  tiny.adjacency_index_bytes = 64;
  auto r = GraphStore::Open(dir_.sub("tiny"), tiny);
  ASSERT_TRUE(r.ok());
  auto store = std::move(r).value();
  ASSERT_TRUE(store->CreateGraph("g").ok());
  std::mt19937_64 rng(3);
  for (int f = 0; f < 5; ++f) ASSERT_TRUE(store->ApplyBatch("g", RandomFile(rng, f, 5)).ok());
  auto info = test_hooks::BuildAdjacencyIndex(*store, "g");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info.value().ready);
  auto snap = store->GetSnapshot("g").value();
  EXPECT_FALSE(test_hooks::SnapshotUsesAdjacencyIndex(*snap));
  auto c = snap->ExpandKeys(1, Direction::kBoth);
  EdgeRecord e;
  size_t n = 0;
  while (c->Next(&e)) ++n;
  EXPECT_TRUE(c->status().ok());
  EXPECT_EQ(
      n, 0u + [&] {  // the same edges through ExpandNeighbors
        std::vector<NodeKey> nb;
        std::vector<size_t> off;
        EXPECT_TRUE(snap->ExpandNeighbors({1}, Direction::kBoth, std::nullopt, &nb, &off).ok());
        return nb.size();
      }());
  EXPECT_TRUE(test_hooks::BuildAdjacencyIndex(*store, "missing").status().IsNotFound());
}

// Readers racing a writer (and the background builder) always see a whole batch: every CALLS
// edge leaves the hub, so the hub's out-degree equals the count of CALLS edges in each snapshot.
TEST_F(AdjacencyIndexTest, ReadersRacingWritesSeeTheirSnapshot) {
  ASSERT_TRUE(indexed_->CreateGraph("g").ok());
  FactBatch hub;
  hub.nodes.push_back(Sym("hub", "Function", {}));
  ASSERT_TRUE(indexed_->ApplyBatch("g", hub).ok());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 60; ++i) {
      FactBatch b;
      b.path = "w" + std::to_string(i % 20) + ".py";
      for (int j = 0; j <= i % 5; ++j) {
        std::string id = b.path + ":" + std::to_string(j);
        b.nodes.push_back(Sym(id, "Function", {}));
        b.edges.push_back({"hub", "CALLS", id, {}});
      }
      EXPECT_TRUE(indexed_->ApplyBatch("g", b).ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    done = true;
  });
  const EdgeTypeId calls = indexed_->EdgeTypeIdFor("CALLS").value();
  size_t used = 0, checks = 0;
  while (!done || checks < 50) {
    auto snap = Snap(*indexed_);
    auto hub_key = snap->FindNode("hub").value().value();
    std::vector<NodeKey> n;
    std::vector<size_t> o;
    ASSERT_TRUE(snap->ExpandNeighbors({hub_key}, Direction::kOut, calls, &n, &o).ok());
    ASSERT_EQ(n.size(), snap->CountEdgeType(calls).value());
    used += test_hooks::SnapshotUsesAdjacencyIndex(*snap);
    ++checks;
    if (done && checks % 10 == 0) {
      ASSERT_TRUE(test_hooks::BuildAdjacencyIndex(*indexed_, "g").ok());
    }
  }
  writer.join();
  EXPECT_GT(used, 0u);
}

}  // namespace
}  // namespace kg::storage
