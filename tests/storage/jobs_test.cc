// Durable job records (GraphStore::PutJob/GetJob/ListJobs/DeleteJob) and the format-version
// rules for databases written before the jobs column family existed.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "storage/graph_store.h"
#include "storage/key_codec.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

std::unique_ptr<GraphStore> OpenOrDie(const std::string& dir) {
  auto r = GraphStore::Open(dir, testing::FastOptions());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(JobsTest, PutGetListDeleteAndReopen) {
  TempDir dir;
  auto store = OpenOrDie(dir.sub("db"));
  ASSERT_TRUE(store);
  auto none = store->GetJob("j1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store->PutJob("j2", R"({"state":"running"})").ok());
  ASSERT_TRUE(store->PutJob("j1", R"({"state":"queued"})").ok());
  ASSERT_TRUE(store->PutJob("j1", R"({"state":"done"})").ok());  // replaces
  std::string binary("a\0b\xff", 4);
  ASSERT_TRUE(store->PutJob(binary, binary).ok());

  auto got = store->GetJob("j1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, R"({"state":"done"})");
  auto got_binary = store->GetJob(binary);
  ASSERT_TRUE(got_binary.ok() && got_binary->has_value());
  EXPECT_EQ(**got_binary, binary);

  auto list = store->ListJobs();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].first, binary);  // bytewise id order
  EXPECT_EQ((*list)[1].first, "j1");
  EXPECT_EQ((*list)[2].first, "j2");
  EXPECT_EQ((*list)[2].second, R"({"state":"running"})");

  ASSERT_TRUE(store->DeleteJob("j2").ok());
  ASSERT_TRUE(store->DeleteJob("never-existed").ok());
  store.reset();

  store = OpenOrDie(dir.sub("db"));
  ASSERT_TRUE(store);
  list = store->ListJobs();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].first, "j1");
  EXPECT_EQ((*list)[1].second, R"({"state":"done"})");
}

TEST(JobsTest, BadIdsAreInvalidArgument) {
  TempDir dir;
  auto store = OpenOrDie(dir.sub("db"));
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->PutJob("", "x").IsInvalidArgument());
  EXPECT_TRUE(store->DeleteJob("").IsInvalidArgument());
  EXPECT_TRUE(store->PutJob(std::string(2000, 'x'), "x").IsInvalidArgument());
  auto absent = store->GetJob("");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(JobsTest, JobsAreDatabaseWideAndSurviveDropGraph) {
  TempDir dir;
  auto store = OpenOrDie(dir.sub("db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateGraph("g").ok());
  ASSERT_TRUE(store->PutJob("job-of-g", "{}").ok());
  // Graph id 1 as a raw prefix: a job id that looks like a graph-scoped key survives too.
  ASSERT_TRUE(store->PutJob(std::string("\0\0\0\x01zz", 6), "{}").ok());
  ASSERT_TRUE(store->DropGraph("g").ok());
  auto list = store->ListJobs();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  auto keys = test_hooks::CountGraphKeys(*store, 1);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, 0u);
}

TEST(JobsTest, ConcurrentJobWritersAndAGraphBulkLoad) {
  TempDir dir;
  auto store = OpenOrDie(dir.sub("db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateGraph("g").ok());
  auto writer = store->NewBulkWriter("g");  // holds the graph writer lock
  ASSERT_TRUE(writer.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(store->PutJob(id, id).ok());  // must not wait for the bulk writer
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE((*writer)->Finish().ok());
  auto list = store->ListJobs();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 100u);
  for (const auto& [id, record] : *list) EXPECT_EQ(id, record);
}

TEST(FormatV1Test, AFormat1DatabaseIsRefusedWithAReingestMessage) {
  TempDir dir;
  std::string path = dir.sub("db");
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->CreateGraph("g").ok());
  }
  // Make it look like format 1: version 1 and none of the column families added by version 2.
  std::vector<std::string> v2_cfs;
  for (size_t i = kNumCfsV1; i < kNumCfs; ++i) {
    v2_cfs.emplace_back(CfName(static_cast<Cf>(i)));
  }
  ASSERT_TRUE(test_hooks::DropColumnFamilies(path, v2_cfs).ok());
  ASSERT_TRUE(test_hooks::OverwriteFormatVersion(path, test_hooks::EncodeFormatVersion(1)).ok());
  auto r = GraphStore::Open(path, testing::FastOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("format version 1"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("Re-ingest"), std::string::npos) << r.status().message();
  // Refusing did not modify it: still refused the same way.
  auto again = GraphStore::Open(path, testing::FastOptions());
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsCorruption());
}

// A new database is created in two steps (RocksDB's Open with the default column family, then
// all of codekg's at once); a process killed in between, or part-way through the second, leaves
// some of them and no format version. The next open completes it into a working database.
TEST(FormatCreateTest, ACreationCutShortIsCompletedByTheNextOpen) {
  std::vector<std::string> all;
  for (size_t i = 0; i < kNumCfs; ++i) all.emplace_back(CfName(static_cast<Cf>(i)));
  // Dropped: every column family (killed right after RocksDB's Open), or all but the edges.
  std::vector<std::string> all_but_edges;
  for (const std::string& n : all) {
    if (n != CfName(Cf::kOutEdges) && n != CfName(Cf::kInEdges)) all_but_edges.push_back(n);
  }
  for (const auto& drop : {all, all_but_edges}) {
    TempDir dir;
    std::string path = dir.sub("db");
    { ASSERT_TRUE(OpenOrDie(path)); }
    ASSERT_TRUE(test_hooks::DropColumnFamilies(path, drop).ok());
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->CreateGraph("g").ok());
    FactBatch batch;
    batch.path = "a.py";
    batch.content_hash = "h";
    NodeFact n;
    n.id = "function:a.f";
    n.labels = {"Function"};
    n.props["name"] = Value(std::string("f"));
    batch.nodes.push_back(n);
    ASSERT_TRUE(store->ApplyBatch("g", batch).ok());
    store.reset();
    // Reopened: stamped with the current format version, the graph and its node kept.
    auto again = OpenOrDie(path);
    ASSERT_TRUE(again);
    auto info = again->GetGraph("g");
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->node_count, 1u);
  }
}

}  // namespace
}  // namespace kg::storage
