// GraphStore::Fsck: a clean store reports ok; keys corrupted on purpose behind the store's back
// (test_hooks::RawWrite) are each reported.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/graph_store.h"
#include "storage/key_codec.h"
#include "storage/test_hooks.h"
#include "storage/value_codec.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

class FsckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = GraphStore::Open(dir_.sub("db"), testing::FastOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    store_ = std::move(r).value();
    ASSERT_TRUE(store_->CreateGraph("g").ok());
    FactBatch b;
    b.path = "a.py";
    b.text = "def f(): g()\n";
    b.nodes = {Sym("a.py", "File", {{"name", "a.py"}, {"path", "a.py"}}),
               Sym("a.py:f", "Function",
                   {{"name", "fetch_all"},
                    {"qualified_name", "a.fetch_all"},
                    {"path", "a.py"},
                    {"start_line", 1},
                    {"end_line", 1}})};
    b.edges = {{"a.py", "CONTAINS", "a.py:f", {}}, {"a.py:f", "CALLS", "b.py:g", {}}};
    ASSERT_TRUE(store_->ApplyBatch("g", b).ok());
    auto info = store_->GetGraph("g");
    ASSERT_TRUE(info.ok());
    g_ = info->id;
    auto snap = store_->GetSnapshot("g");
    ASSERT_TRUE(snap.ok());
    f_ = **(*snap)->FindNode("a.py:f");
  }

  FsckReport Check() {
    auto r = store_->Fsck("g");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : FsckReport{};
  }
  // Whether some problem line contains `part`.
  static bool Reports(const FsckReport& r, const std::string& part) {
    for (const std::string& p : r.problems) {
      if (p.find(part) != std::string::npos) return true;
    }
    return false;
  }
  static std::string All(const FsckReport& r) {
    std::string out;
    for (const std::string& p : r.problems) out += p + "\n";
    return out;
  }

  TempDir dir_;
  std::unique_ptr<GraphStore> store_;
  GraphId g_ = 0;
  NodeKey f_ = 0;
};

TEST_F(FsckTest, CleanStoreIsOk) {
  FsckReport r = Check();
  EXPECT_TRUE(r.ok()) << All(r);
  EXPECT_EQ(r.graph, "g");
  EXPECT_EQ(r.nodes, 2u);
  EXPECT_EQ(r.edges, 2u);  // one of them dangling (b.py:g does not exist)
  EXPECT_EQ(r.files, 1u);
  EXPECT_GT(r.index_entries, 10u);
  EXPECT_TRUE(store_->Fsck("nope").status().IsNotFound());
}

TEST_F(FsckTest, StrayIndexEntryForAMissingNode) {
  std::string key;
  EncodeLabelNameKey(&key, g_, static_cast<LabelId>(schema::Label::kFunction), "ghost", 999);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "label_name", key, "").ok());
  FsckReport r = Check();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Reports(r, "label_name: stray entry for missing node 999")) << All(r);
}

TEST_F(FsckTest, EachIndexIsChecked) {
  struct Case {
    const char* cf;
    std::string key;
    const char* expect;
  };
  std::vector<Case> cases;
  std::string k;
  EncodeStringIndexKey(&k, g_, "a.fetch_all", f_);
  cases.push_back({"qname", k, "qname: no entry for node"});
  k.clear();
  EncodeStringIndexKey(&k, g_, Reversed("a.fetch_all"), f_);
  cases.push_back({"qname_rev", k, "qname_rev: no entry for node"});
  k.clear();
  EncodeStringIndexKey(&k, g_, "a.py", f_);
  cases.push_back({"path_index", k, "path_index: no entry for node"});
  k.clear();
  EncodeLineIndexKey(&k, g_, "a.py", 1, 1, f_);
  cases.push_back({"line_index", k, "line_index: no entry for node"});
  k.clear();
  EncodeTrigramKey(&k, g_, TrigramsOf("fet")[0], TrigramBucketOf(f_));  // f_'s posting block
  cases.push_back({"name_trigrams", k, "name_trigrams: no entry for node"});
  k.clear();
  EncodeLabelIndexKey(&k, g_, static_cast<LabelId>(schema::Label::kFunction), f_);
  cases.push_back({"label_index", k, "label_index: no entry for node"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cf);
    auto snap = store_->GetSnapshot("g");  // the value to restore
    ASSERT_TRUE(test_hooks::RawWrite(*store_, c.cf, c.key, std::nullopt).ok());
    FsckReport r = Check();
    EXPECT_TRUE(Reports(r, c.expect)) << All(r);
    EXPECT_TRUE(Reports(r, std::to_string(f_))) << All(r);
  }
}

TEST_F(FsckTest, WrongLabelListValue) {
  std::string key;
  EncodeStringIndexKey(&key, g_, "a.fetch_all", f_);
  std::string wrong;
  EncodeLabelList(&wrong, {static_cast<LabelId>(schema::Label::kClass)});
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "qname", key, wrong).ok());
  FsckReport r = Check();
  EXPECT_TRUE(Reports(r, "qname: wrong value")) << All(r);
}

TEST_F(FsckTest, MissingMirrorEdgeWrongFlagAndCounts) {
  auto snap = store_->GetSnapshot("g");
  ASSERT_TRUE(snap.ok());
  NodeKey file = **(*snap)->FindNode("a.py");
  EdgeId e{file, static_cast<EdgeTypeId>(schema::EdgeType::kCONTAINS), f_, 0};
  std::string in_key, out_key;
  EncodeInEdgeKey(&in_key, g_, e);
  EncodeOutEdgeKey(&out_key, g_, e);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "in_edges", in_key, std::nullopt).ok());
  FsckReport r = Check();
  EXPECT_TRUE(Reports(r, "in_edges: no entry for edge")) << All(r);
  EXPECT_TRUE(Reports(r, "in_edges: 1 entries for 2 out_edges entries")) << All(r);
  // Flag the visible edge dangling in both directions (readers would hide it).
  std::string dangling("\x01\x00", 2);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "in_edges", in_key, dangling).ok());
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "out_edges", out_key, dangling).ok());
  r = Check();
  EXPECT_TRUE(Reports(r, "has dangling flag 1 but its ends exist")) << All(r);
  EXPECT_FALSE(Reports(r, "in_edges:")) << All(r);
  // A count off by one.
  std::string count_key;
  EncodeCountKey(&count_key, g_, CountKind::kEdges, 0);
  std::string three("\x03\0\0\0\0\0\0\0", 8);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "counts", count_key, three).ok());
  r = Check();
  EXPECT_TRUE(Reports(r, "counts: kind 2 id 0 is 3, recount 1")) << All(r);
}

TEST_F(FsckTest, DeletedNodeRecordLeavesManyProblems) {
  std::string key;
  EncodeNodeRecordKey(&key, g_, f_);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "nodes", key, std::nullopt).ok());
  FsckReport r = Check();
  EXPECT_TRUE(Reports(r, "stray entry for missing node " + std::to_string(f_))) << All(r);
  EXPECT_TRUE(Reports(r, "manifest of file 'a.py' lists 2 nodes, 1 nodes name it as owner"))
      << All(r);
  EXPECT_TRUE(Reports(r, "counts: kind 0 id 0 is 2, recount 1")) << All(r);
  EXPECT_TRUE(Reports(r, "has dangling flag 0 but its ends do not both exist")) << All(r);
}

TEST_F(FsckTest, UndecodableRecordsAreProblemsNotErrors) {
  std::string key;
  EncodeNodeRecordKey(&key, g_, f_);
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "nodes", key, "\x09garbage").ok());
  std::string fkey;
  EncodeFileKey(&fkey, g_, "a.py");
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "file_facts", fkey, "\x01\x05").ok());
  FsckReport r = Check();
  EXPECT_TRUE(Reports(r, "undecodable")) << All(r);
  EXPECT_TRUE(Reports(r, "manifest of file 'a.py' undecodable")) << All(r);
}

TEST_F(FsckTest, FileTextAndOrphanEntries) {
  std::string fkey;
  EncodeFileKey(&fkey, g_, "a.py");
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "file_texts", fkey, "short").ok());
  std::string orphan;
  EncodeFileKey(&orphan, g_, "gone.py");
  ASSERT_TRUE(test_hooks::RawWrite(*store_, "file_facts", orphan, "\x01\x00\x00").ok());
  FsckReport r = Check();
  EXPECT_TRUE(Reports(r, "text of file 'a.py' has 5 bytes")) << All(r);
  EXPECT_TRUE(Reports(r, "file_facts: entry for unknown file 'gone.py'")) << All(r);
}

TEST_F(FsckTest, ProblemListIsCapped) {
  for (NodeKey k = 1000; k < 1000 + kMaxFsckProblems + 50; ++k) {
    std::string key;
    EncodeLabelIndexKey(&key, g_, static_cast<LabelId>(schema::Label::kClass), k);
    ASSERT_TRUE(test_hooks::RawWrite(*store_, "label_index", key, "").ok());
  }
  FsckReport r = Check();
  ASSERT_EQ(r.problems.size(), kMaxFsckProblems);
  EXPECT_NE(r.problems.back().find("more problems"), std::string::npos) << r.problems.back();
}

}  // namespace
}  // namespace kg::storage
