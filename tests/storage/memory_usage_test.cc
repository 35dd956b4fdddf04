// GraphStore::GetMemoryUsage and the memory bounds of Options: memtables stay within
// write_buffer_bytes (RocksDB flushes past it), adjacency indexes of all graphs together stay
// within adjacency_index_bytes (least recently used dropped first), and the accounting sees the
// bytes.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "storage/graph_store.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

std::unique_ptr<GraphStore> OpenWith(const std::string& dir, const Options& o) {
  auto store = GraphStore::Open(dir, o);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Writes `files` batches of one node each with a `text_bytes` file text (file texts are the
// bulk of what a batch puts in memtables).
void WriteFiles(GraphStore& store, const std::string& graph, int files, size_t text_bytes) {
  for (int i = 0; i < files; ++i) {
    FactBatch b;
    b.path = "pkg/m" + std::to_string(i) + ".py";
    b.text.assign(text_bytes, static_cast<char>('a' + i % 26));
    b.nodes.push_back(Sym(b.path + ":f", "Function", {{"name", Value("f" + std::to_string(i))}}));
    ASSERT_TRUE(store.ApplyBatch(graph, b).ok());
  }
}

// Polls until the memtables hold at most `bound` bytes (flushes run in the background), or 30 s.
uint64_t SettledMemtableBytes(GraphStore& store, uint64_t bound) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  uint64_t m = store.GetMemoryUsage().memtable_bytes;
  while (m > bound && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m = store.GetMemoryUsage().memtable_bytes;
  }
  return m;
}

TEST(MemoryUsageTest, MemtablesStayWithinTheWriteBuffer) {
  constexpr int kFiles = 64;
  constexpr size_t kText = 256u << 10;  // 16 MiB of file texts in all
  TempDir dir;
  // A budget larger than the writes: every byte stays in the memtables, and is counted.
  Options roomy = testing::FastOptions();
  roomy.write_buffer_bytes = 256u << 20;
  auto big = OpenWith(dir.sub("roomy"), roomy);
  ASSERT_NE(big, nullptr);
  ASSERT_TRUE(big->CreateGraph("g").ok());
  const uint64_t before = big->GetMemoryUsage().memtable_bytes;
  WriteFiles(*big, "g", kFiles, kText);
  EXPECT_GE(big->GetMemoryUsage().memtable_bytes, before + kFiles * kText);

  // A 1 MiB budget: RocksDB flushes, so the memtables fall back under a few MiB.
  Options tight = testing::FastOptions();
  tight.write_buffer_bytes = 1u << 20;
  auto small = OpenWith(dir.sub("tight"), tight);
  ASSERT_NE(small, nullptr);
  ASSERT_TRUE(small->CreateGraph("g").ok());
  WriteFiles(*small, "g", kFiles, kText);
  EXPECT_LE(SettledMemtableBytes(*small, 4u << 20), 4u << 20);
  // Nothing was lost by flushing: every file is there.
  auto snap = small->GetSnapshot("g");
  ASSERT_TRUE(snap.ok());
  for (int i = 0; i < kFiles; i += 9) {
    auto n = (*snap)->FindNode("pkg/m" + std::to_string(i) + ".py:f");
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_TRUE(n->has_value()) << i;
  }
}

TEST(MemoryUsageTest, RefusesAWriteBufferUnderOneMiB) {
  TempDir dir;
  Options o = testing::FastOptions();
  o.write_buffer_bytes = 1000;
  auto store = GraphStore::Open(dir.sub("db"), o);
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsInvalidArgument()) << store.status().ToString();
  EXPECT_NE(store.status().ToString().find("write_buffer_bytes"), std::string::npos);
}

// A chain of `n` calls in graph `graph`: n nodes, n - 1 edges.
void WriteChain(GraphStore& store, const std::string& graph, int n) {
  FactBatch b;
  b.path = "chain.py";
  for (int i = 0; i < n; ++i) {
    b.nodes.push_back(Sym("f" + std::to_string(i), "Function", {{"name", Value("f")}}));
    if (i > 0)
      b.edges.push_back({"f" + std::to_string(i - 1), "CALLS", "f" + std::to_string(i), {}});
  }
  ASSERT_TRUE(store.ApplyBatch(graph, b).ok());
}

TEST(MemoryUsageTest, AdjacencyIndexesOfAllGraphsShareOneBudget) {
  TempDir dir;
  Options probe_options = testing::FastOptions();
  probe_options.adjacency_index_bytes = 64u << 20;
  uint64_t one = 0;  // the bytes of one graph's index
  {
    auto probe = OpenWith(dir.sub("probe"), probe_options);
    ASSERT_NE(probe, nullptr);
    ASSERT_TRUE(probe->CreateGraph("g").ok());
    WriteChain(*probe, "g", 5000);
    auto info = test_hooks::BuildAdjacencyIndex(*probe, "g");
    ASSERT_TRUE(info.ok() && info->ready);
    one = info->bytes;
    EXPECT_EQ(probe->GetMemoryUsage().adjacency_index_bytes, one);
  }
  ASSERT_GT(one, 0u);

  // Room for one index and a half: the second graph's index drops the first one's.
  Options o = testing::FastOptions();
  o.adjacency_index_bytes = one + one / 2;
  auto store = OpenWith(dir.sub("db"), o);
  ASSERT_NE(store, nullptr);
  for (const char* g : {"a", "b"}) {
    ASSERT_TRUE(store->CreateGraph(g).ok());
    WriteChain(*store, g, 5000);
  }
  auto a = test_hooks::BuildAdjacencyIndex(*store, "a");
  ASSERT_TRUE(a.ok() && a->ready);
  EXPECT_EQ(store->GetMemoryUsage().adjacency_index_bytes, one);
  auto b = test_hooks::BuildAdjacencyIndex(*store, "b");
  ASSERT_TRUE(b.ok() && b->ready);
  EXPECT_EQ(store->GetMemoryUsage().adjacency_index_bytes, one);  // a's was dropped
  {
    auto snap = store->GetSnapshot("a");
    ASSERT_TRUE(snap.ok());
    EXPECT_FALSE(test_hooks::SnapshotUsesAdjacencyIndex(**snap));
    // Hops of the graph without an index are still answered, from RocksDB.
    auto key = (*snap)->FindNode("f10");
    ASSERT_TRUE(key.ok() && key->has_value());
  }
  // And back: rebuilding a's index drops b's; the total never passes the budget.
  auto a2 = test_hooks::BuildAdjacencyIndex(*store, "a");
  ASSERT_TRUE(a2.ok() && a2->ready);
  EXPECT_LE(store->GetMemoryUsage().adjacency_index_bytes, o.adjacency_index_bytes);
  {
    auto snap_b = store->GetSnapshot("b");
    ASSERT_TRUE(snap_b.ok());
    EXPECT_FALSE(test_hooks::SnapshotUsesAdjacencyIndex(**snap_b));
  }

  // With room for both, both stay.
  Options roomy = testing::FastOptions();
  roomy.adjacency_index_bytes = 3 * one;
  store.reset();
  auto both = OpenWith(dir.sub("db"), roomy);
  ASSERT_NE(both, nullptr);
  ASSERT_TRUE(test_hooks::BuildAdjacencyIndex(*both, "a").ok());
  ASSERT_TRUE(test_hooks::BuildAdjacencyIndex(*both, "b").ok());
  EXPECT_EQ(both->GetMemoryUsage().adjacency_index_bytes, 2 * one);
}

}  // namespace
}  // namespace kg::storage
