// Durable job records (GraphStore::PutJob/GetJob/ListJobs/DeleteJob) and the format-version
// rules for databases written before the jobs column family existed.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

// File a.py with one Function node.
FactBatch OneFunctionBatch() {
  FactBatch batch;
  batch.path = "a.py";
  batch.content_hash = "h";
  NodeFact n;
  n.id = "function:a.f";
  n.labels = {"Function"};
  n.props["name"] = Value(std::string("f"));
  batch.nodes.push_back(n);
  return batch;
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
    ASSERT_TRUE(store->ApplyBatch("g", OneFunctionBatch()).ok());
    store.reset();
    // Reopened: stamped with the current format version, the graph and its node kept.
    auto again = OpenOrDie(path);
    ASSERT_TRUE(again);
    auto info = again->GetGraph("g");
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->node_count, 1u);
  }
}

// The column families of a new database are added to its MANIFEST with one sync at the end (not
// one per column family): a process killed before it leaves the MANIFEST cut anywhere in those
// records. Every such cut, at a record's end or inside one, opens into a working database.
TEST(FormatCreateTest, ACreationWhoseManifestLostItsUnsyncedTailOpens) {
  TempDir dir;
  const std::filesystem::path created = dir.sub("created");
  { ASSERT_TRUE(OpenOrDie(created.string())); }
  std::ifstream current(created / "CURRENT");
  std::string manifest_name;
  std::getline(current, manifest_name);
  ASSERT_EQ(manifest_name.rfind("MANIFEST-", 0), 0u) << manifest_name;
  std::ifstream in(created / manifest_name, std::ios::binary);
  const std::string manifest((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  // RocksDB's log format: 32 KiB blocks of records, each a 7-byte header (crc u32, length u16
  // little-endian, type u8) and its payload; a block's tail under 7 bytes is padding.
  constexpr size_t kBlock = 32768, kHeader = 7;
  std::vector<size_t> starts;
  for (size_t at = 0; at + kHeader <= manifest.size();) {
    if (kBlock - at % kBlock < kHeader) {
      at += kBlock - at % kBlock;
      continue;
    }
    starts.push_back(at);
    const size_t length = static_cast<unsigned char>(manifest[at + 4]) |
                          static_cast<size_t>(static_cast<unsigned char>(manifest[at + 5])) << 8;
    at += kHeader + length;
  }
  // The records of codekg's column families come last, one each.
  ASSERT_GT(starts.size(), kNumCfs);
  // One cut per record, in turn: the record lost whole, cut inside its header, inside its
  // payload.
  std::vector<size_t> cuts;
  for (size_t i = starts.size() - kNumCfs; i < starts.size(); ++i) {
    const size_t end = i + 1 < starts.size() ? starts[i + 1] : manifest.size();
    const size_t offsets[] = {0, 3, (end - starts[i]) / 2};
    cuts.push_back(starts[i] + offsets[i % 3]);
  }
  for (size_t cut : cuts) {
    SCOPED_TRACE("MANIFEST cut at " + std::to_string(cut) + " of " +
                 std::to_string(manifest.size()));
    const std::filesystem::path copy = dir.sub("cut-" + std::to_string(cut));
    std::filesystem::copy(created, copy, std::filesystem::copy_options::recursive);
    std::filesystem::resize_file(copy / manifest_name, cut);
    // The kill came before the open wrote anything else: the format version (in the
    // write-ahead log) came after the sync.
    for (const auto& entry : std::filesystem::directory_iterator(copy)) {
      if (entry.path().extension() == ".log") std::filesystem::resize_file(entry.path(), 0);
    }
    auto store = OpenOrDie(copy.string());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->CreateGraph("g").ok());
    ASSERT_TRUE(store->ApplyBatch("g", OneFunctionBatch()).ok());
    ASSERT_TRUE(store->PutJob("j", "{}").ok());
    store.reset();
    auto again = OpenOrDie(copy.string());
    ASSERT_TRUE(again);
    auto info = again->GetGraph("g");
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->node_count, 1u);
    auto job = again->GetJob("j");
    ASSERT_TRUE(job.ok() && job->has_value());
  }
}

}  // namespace
}  // namespace kg::storage
