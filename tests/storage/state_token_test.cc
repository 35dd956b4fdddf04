// Snapshot::State: equal tokens only for snapshots that read the same state of the same graph of
// the same store instance; writes, other graphs, other stores and re-opened folders all differ;
// no token without adjacency indexes.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "storage/graph_store.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;
using Token = Snapshot::StateToken;

std::unique_ptr<GraphStore> OpenAt(const std::string& dir, size_t adjacency_bytes = 1u << 20) {
  Options o = testing::FastOptions();
  o.adjacency_index_bytes = adjacency_bytes;
  auto store = GraphStore::Open(dir, o);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

FactBatch File(const std::string& path, const std::string& name) {
  FactBatch b;
  b.path = path;
  b.nodes.push_back(Sym(path + ":" + name, "Function", {{"name", Value(name)}}));
  return b;
}

std::optional<Token> StateOf(GraphStore& store, const std::string& graph) {
  auto snap = store.GetSnapshot(graph);
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  return snap.ok() ? (*snap)->State() : std::nullopt;
}

TEST(StateTokenTest, EqualExactlyWhileTheGraphIsUnchanged) {
  TempDir dir;
  auto store = OpenAt(dir.sub("db"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateGraph("g").ok());
  ASSERT_TRUE(store->CreateGraph("h").ok());
  ASSERT_TRUE(store->ApplyBatch("g", File("a.py", "f")).ok());

  const std::optional<Token> t1 = StateOf(*store, "g");
  ASSERT_TRUE(t1.has_value());
  EXPECT_EQ(StateOf(*store, "g"), t1);  // no write in between: same state
  // Another graph of the same store never shares the token, nor does its write change g's.
  EXPECT_NE(StateOf(*store, "h"), t1);
  ASSERT_TRUE(store->ApplyBatch("h", File("b.py", "x")).ok());
  EXPECT_EQ(StateOf(*store, "g"), t1);

  // Every kind of write of g gives a new token, never an earlier one.
  std::optional<Token> last = t1;
  auto expect_changed = [&](const Status& s, const char* what) {
    ASSERT_TRUE(s.ok()) << what << ": " << s.ToString();
    std::optional<Token> now = StateOf(*store, "g");
    ASSERT_TRUE(now.has_value()) << what;
    EXPECT_NE(now, last) << what;
    EXPECT_NE(now, t1) << what;
    EXPECT_EQ(StateOf(*store, "g"), now) << what;
    last = now;
  };
  expect_changed(store->ApplyBatch("g", File("a.py", "f2")), "ApplyBatch");
  expect_changed(store->DeleteFile("g", "a.py"), "DeleteFile");
  expect_changed(store->BulkLoad("g", {File("c.py", "y")}), "BulkLoad");
  ASSERT_TRUE(store->DropGraph("g").ok());
  expect_changed(store->CreateGraph("g"), "DropGraph + CreateGraph");
}

TEST(StateTokenTest, OtherStoresAndReopenedFoldersNeverShareATokenAndNoIndexMeansNone) {
  TempDir dir;
  std::optional<Token> first;
  {
    auto store = OpenAt(dir.sub("db"));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateGraph("g").ok());
    ASSERT_TRUE(store->ApplyBatch("g", File("a.py", "f")).ok());
    first = StateOf(*store, "g");
    ASSERT_TRUE(first.has_value());
    // A second store with the same graph name and writes.
    auto other = OpenAt(dir.sub("other"));
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(other->CreateGraph("g").ok());
    ASSERT_TRUE(other->ApplyBatch("g", File("a.py", "f")).ok());
    const std::optional<Token> o = StateOf(*other, "g");
    ASSERT_TRUE(o.has_value());
    EXPECT_NE(o, first);
  }
  // The same folder opened again: its snapshots have tokens of their own.
  auto reopened = OpenAt(dir.sub("db"));
  ASSERT_NE(reopened, nullptr);
  StateOf(*reopened, "g");  // the first snapshot since Open may not know its state
  const std::optional<Token> again = StateOf(*reopened, "g");
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again, first);
  reopened.reset();

  auto plain = OpenAt(dir.sub("db"), /*adjacency_bytes=*/0);
  ASSERT_NE(plain, nullptr);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(StateOf(*plain, "g"), std::nullopt);
}

}  // namespace
}  // namespace kg::storage
