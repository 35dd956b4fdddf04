// GraphStore over a real RocksDB in a fresh temporary folder per test.

#include "storage/graph_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/key_codec.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

NodeFact N(std::string id, std::vector<std::string> labels, Properties props = {},
           bool shared = false) {
  NodeFact n;
  n.id = std::move(id);
  n.labels = std::move(labels);
  n.props = std::move(props);
  n.shared = shared;
  return n;
}

NodeFact Shared(std::string id, std::vector<std::string> labels, Properties props = {}) {
  return N(std::move(id), std::move(labels), std::move(props), true);
}

EdgeFact E(std::string src, std::string type, std::string dst, Properties props = {}) {
  EdgeFact e;
  e.src_id = std::move(src);
  e.type = std::move(type);
  e.dst_id = std::move(dst);
  e.props = std::move(props);
  return e;
}

FactBatch Batch(std::string path, std::vector<NodeFact> nodes, std::vector<EdgeFact> edges = {},
                std::string text = "") {
  FactBatch b;
  b.path = std::move(path);
  b.content_hash = "hash-of-" + b.path;
  b.language = "python";
  b.text = std::move(text);
  b.nodes = std::move(nodes);
  b.edges = std::move(edges);
  return b;
}

Options TestOptions() { return testing::FastOptions(); }

class GraphStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }

  void OpenStore(Options options = TestOptions()) {
    auto r = GraphStore::Open(db_path_, options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    store_ = std::move(r).value();
  }

  void Reopen() {
    store_.reset();
    OpenStore();
  }

  void Apply(std::string_view graph, const FactBatch& b) {
    Status s = store_->ApplyBatch(graph, b);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<Snapshot> Snap(std::string_view graph) {
    auto r = store_->GetSnapshot(graph);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      return nullptr;
    }
    return std::move(r).value();
  }

  // 0 when the node does not exist.
  NodeKey KeyOf(Snapshot& s, std::string_view id) {
    auto r = s.FindNode(id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->has_value() ? **r : 0;
  }

  std::vector<std::string> IdsOf(Snapshot& s, std::unique_ptr<NodeCursor> c) {
    std::vector<std::string> ids;
    NodeKey k = 0;
    while (c->Next(&k)) {
      auto n = s.GetNode(k);
      EXPECT_TRUE(n.ok() && n->has_value()) << "node " << k;
      if (n.ok() && n->has_value()) ids.push_back((*n)->id);
    }
    EXPECT_TRUE(c->status().ok()) << c->status().ToString();
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  LabelId Label(std::string_view name) {
    auto r = store_->LabelIdFor(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : 0;
  }

  EdgeTypeId Type(std::string_view name) {
    auto r = store_->EdgeTypeIdFor(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : 0;
  }

  // "src-TYPE->dst" strings of the edges Expand yields, sorted.
  std::vector<std::string> Edges(Snapshot& s, std::string_view id, Direction dir,
                                 std::optional<std::string> type = std::nullopt) {
    NodeKey k = KeyOf(s, id);
    if (k == 0) {
      // A missing node: still expand its would-be key to check nothing leaks; use FindNode only.
      return {};
    }
    std::optional<EdgeTypeId> t;
    if (type) t = Type(*type);
    auto c = s.Expand(k, dir, t);
    std::vector<std::string> out;
    EdgeRecord e;
    while (c->Next(&e)) {
      auto src = s.GetNode(e.src);
      auto dst = s.GetNode(e.dst);
      EXPECT_TRUE(src.ok() && src->has_value() && dst.ok() && dst->has_value());
      if (!src.ok() || !src->has_value() || !dst.ok() || !dst->has_value()) continue;
      auto tn = store_->EdgeTypeNameOf(e.type);
      out.push_back((*src)->id + "-" + (tn.ok() ? *tn : "?") + "->" + (*dst)->id);
    }
    EXPECT_TRUE(c->status().ok()) << c->status().ToString();
    std::sort(out.begin(), out.end());
    return out;
  }

  uint64_t Count(Result<uint64_t> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ~0ULL;
  }

  // Recomputes every statistic by scanning and checks it against the stored counts; checks that
  // every node is found through each of its labels and names, and that in- and out-edges agree.
  // Runs body(one, bulk) on two new graphs twice: with a fresh load held in memory, and spilling
  // runs every `small_spill` bytes; the spill setting is restored afterwards.
  void ForEachSpillSetting(
      size_t small_spill, const std::function<void(const std::string&, const std::string&)>& body) {
    for (size_t spill : {size_t{1} << 30, small_spill}) {
      SCOPED_TRACE("spill bytes " + std::to_string(spill));
      const size_t old = test_hooks::SetFreshLoadSpillBytes(spill);
      const std::string one = "one" + std::to_string(spill), bulk = "bulk" + std::to_string(spill);
      ASSERT_TRUE(store_->CreateGraph(one).ok());
      ASSERT_TRUE(store_->CreateGraph(bulk).ok());
      body(one, bulk);
      test_hooks::SetFreshLoadSpillBytes(old);
    }
  }

  void ExpectConsistent(std::string_view graph) {
    SCOPED_TRACE("consistency of graph " + std::string(graph));
    auto s = Snap(graph);
    ASSERT_NE(s, nullptr);
    std::map<LabelId, uint64_t> label_counts;
    std::map<EdgeTypeId, uint64_t> type_counts;
    uint64_t nodes = 0, out_edges = 0, in_edges = 0;
    auto all = s->ScanAll();
    NodeKey k = 0;
    while (all->Next(&k)) {
      ++nodes;
      auto n = s->GetNode(k);
      ASSERT_TRUE(n.ok() && n->has_value());
      const NodeRecord& rec = **n;
      EXPECT_EQ(KeyOf(*s, rec.id), k) << rec.id;
      for (LabelId l : rec.labels) {
        ++label_counts[l];
        auto it = rec.props.find("name");
        if (it != rec.props.end() && it->second.is_string()) {
          for (bool ci : {false, true}) {
            std::string name =
                ci ? schema::ToLowerAscii(it->second.as_string()) : it->second.as_string();
            auto c = s->ScanLabelName(l, name, ci);
            bool found = false;
            NodeKey m = 0;
            while (c->Next(&m)) found |= (m == k);
            EXPECT_TRUE(found) << rec.id << " by name " << name;
          }
        }
      }
      auto out = s->Expand(k, Direction::kOut);
      EdgeRecord e;
      while (out->Next(&e)) {
        ++out_edges;
        ++type_counts[e.type];
        EXPECT_EQ(e.src, k);
      }
      EXPECT_TRUE(out->status().ok());
      auto in = s->Expand(k, Direction::kIn);
      while (in->Next(&e)) {
        ++in_edges;
        EXPECT_EQ(e.dst, k);
      }
      EXPECT_TRUE(in->status().ok());
    }
    ASSERT_TRUE(all->status().ok()) << all->status().ToString();
    EXPECT_EQ(Count(s->CountNodes()), nodes);
    EXPECT_EQ(Count(s->CountEdges()), out_edges);
    EXPECT_EQ(in_edges, out_edges);
    std::set<LabelId> labels;
    for (const auto& e : schema::Labels()) labels.insert(e.id);
    for (const auto& [l, n] : label_counts) labels.insert(l);
    for (LabelId l : labels) {
      EXPECT_EQ(Count(s->CountLabel(l)), label_counts[l]) << "label " << l;
      auto c = s->ScanLabel(l);
      uint64_t scanned = 0;
      NodeKey m = 0;
      while (c->Next(&m)) ++scanned;
      EXPECT_EQ(scanned, label_counts[l]) << "label " << l;
    }
    std::set<EdgeTypeId> types;
    for (const auto& e : schema::EdgeTypes()) types.insert(e.id);
    for (const auto& [t, n] : type_counts) types.insert(t);
    for (EdgeTypeId t : types) {
      EXPECT_EQ(Count(s->CountEdgeType(t)), type_counts[t]) << "type " << t;
    }
    auto info = store_->GetGraph(graph);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->node_count, nodes);
    EXPECT_EQ(info->edge_count, out_edges);
    auto files = s->ListFiles();
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(info->file_count, files->size());
    // And the integrity checker agrees (it checks every index and manifest exactly).
    auto report = store_->Fsck(graph);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok()) << report->problems.front();
    EXPECT_EQ(report->nodes, nodes);
  }

  TempDir dir_;
  std::string db_path_ = dir_.sub("db");
  std::unique_ptr<GraphStore> store_;
};

using Ids = std::vector<std::string>;

// A small two-file graph used by several tests.
FactBatch FileA() {
  return Batch(
      "pkg/a.py",
      {N("pkg/a.py", {"File"}, {{"name", "a.py"}, {"path", "pkg/a.py"}}),
       N("pkg/a.py:Shape", {"Class"}, {{"name", "Shape"}, {"start_line", 1}}),
       N("pkg/a.py:Shape.area", {"Method"}, {{"name", "area"}, {"start_line", 2}}),
       N("pkg/a.py:helper", {"Function"}, {{"name", "helper"}, {"is_async", false}})},
      {E("pkg/a.py", "CONTAINS", "pkg/a.py:Shape"), E("pkg/a.py", "CONTAINS", "pkg/a.py:helper"),
       E("pkg/a.py:Shape", "HAS_METHOD", "pkg/a.py:Shape.area"),
       E("pkg/a.py:Shape.area", "CALLS", "pkg/a.py:helper", {{"line", 3}})},
      "class Shape:\n  def area(self): return helper()\n");
}

TEST_F(GraphStoreTest, CreateListAndDropGraphs) {
  EXPECT_TRUE(store_->CreateGraph("alpha").ok());
  EXPECT_TRUE(store_->CreateGraph("beta-1.x_y").ok());
  EXPECT_TRUE(store_->CreateGraph("alpha").IsAlreadyExists());
  EXPECT_TRUE(store_->EnsureGraph("alpha").ok());
  EXPECT_TRUE(store_->EnsureGraph("gamma").ok());
  for (std::string bad :
       std::vector<std::string>{"", "has space", "slash/name", std::string(65, 'x'), "ü"}) {
    EXPECT_TRUE(store_->CreateGraph(bad).IsInvalidArgument()) << bad;
    EXPECT_TRUE(store_->EnsureGraph(bad).IsInvalidArgument()) << bad;
  }
  EXPECT_TRUE(store_->CreateGraph(std::string(64, 'x')).ok());

  Apply("alpha", FileA());
  auto graphs = store_->ListGraphs();
  ASSERT_TRUE(graphs.ok());
  std::map<std::string, GraphInfo> by_name;
  for (const auto& g : *graphs) by_name[g.name] = g;
  ASSERT_EQ(by_name.size(), 4u);
  EXPECT_EQ(by_name["alpha"].node_count, 4u);
  EXPECT_EQ(by_name["alpha"].edge_count, 4u);
  EXPECT_EQ(by_name["alpha"].file_count, 1u);
  EXPECT_EQ(by_name["gamma"].node_count, 0u);
  EXPECT_NE(by_name["alpha"].id, by_name["gamma"].id);

  GraphId alpha = by_name["alpha"].id;
  auto before = test_hooks::CountGraphKeys(*store_, alpha);
  ASSERT_TRUE(before.ok());
  EXPECT_GT(*before, 20u);

  ASSERT_TRUE(store_->DropGraph("alpha").ok());
  auto after = test_hooks::CountGraphKeys(*store_, alpha);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 0u);
  EXPECT_TRUE(store_->GetGraph("alpha").status().IsNotFound());
  EXPECT_TRUE(store_->GetSnapshot("alpha").status().IsNotFound());
  EXPECT_TRUE(store_->DropGraph("alpha").IsNotFound());
  EXPECT_TRUE(store_->ApplyBatch("alpha", FileA()).IsNotFound());
  graphs = store_->ListGraphs();
  ASSERT_TRUE(graphs.ok());
  EXPECT_EQ(graphs->size(), 3u);

  // The name can be reused; the new graph starts empty.
  ASSERT_TRUE(store_->CreateGraph("alpha").ok());
  auto info = store_->GetGraph("alpha");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->node_count, 0u);
  auto s = Snap("alpha");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(KeyOf(*s, "pkg/a.py:Shape"), 0u);
  s.reset();  // snapshots must not outlive the store
  // Dropping still leaves no keys after a reopen (range deletes are durable).
  Reopen();
  auto reopened = test_hooks::CountGraphKeys(*store_, alpha);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened, 0u);
}

TEST_F(GraphStoreTest, ApplyBatchThenReadBack) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", FileA());
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->graph_name(), "g");

  NodeKey shape = KeyOf(*s, "pkg/a.py:Shape");
  ASSERT_NE(shape, 0u);
  auto node = s->GetNode(shape);
  ASSERT_TRUE(node.ok() && node->has_value());
  EXPECT_EQ((*node)->key, shape);
  EXPECT_EQ((*node)->id, "pkg/a.py:Shape");
  EXPECT_EQ((*node)->labels, std::vector<LabelId>{Label("Class")});
  EXPECT_EQ((*node)->props.at("name"), Value("Shape"));
  EXPECT_EQ((*node)->props.at("start_line"), Value(1));
  EXPECT_EQ((*node)->props.count("id"), 0u);
  EXPECT_EQ(KeyOf(*s, "pkg/a.py:Nope"), 0u);
  auto missing = s->GetNode(999999);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  EXPECT_EQ(IdsOf(*s, s->ScanAll()),
            (Ids{"pkg/a.py", "pkg/a.py:Shape", "pkg/a.py:Shape.area", "pkg/a.py:helper"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(Label("Method"))), (Ids{"pkg/a.py:Shape.area"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(Label("Variable"))), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "helper")), (Ids{"pkg/a.py:helper"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "help")), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Class"), "helper")), Ids{});

  // Edges in every direction, with and without a type filter.
  EXPECT_EQ(Edges(*s, "pkg/a.py", Direction::kOut),
            (Ids{"pkg/a.py-CONTAINS->pkg/a.py:Shape", "pkg/a.py-CONTAINS->pkg/a.py:helper"}));
  EXPECT_EQ(
      Edges(*s, "pkg/a.py:helper", Direction::kIn),
      (Ids{"pkg/a.py-CONTAINS->pkg/a.py:helper", "pkg/a.py:Shape.area-CALLS->pkg/a.py:helper"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py:helper", Direction::kIn, "CALLS"),
            (Ids{"pkg/a.py:Shape.area-CALLS->pkg/a.py:helper"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py:helper", Direction::kOut), Ids{});
  EXPECT_EQ(Edges(*s, "pkg/a.py:Shape.area", Direction::kBoth),
            (Ids{"pkg/a.py:Shape-HAS_METHOD->pkg/a.py:Shape.area",
                 "pkg/a.py:Shape.area-CALLS->pkg/a.py:helper"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py:Shape.area", Direction::kBoth, "CALLS"),
            (Ids{"pkg/a.py:Shape.area-CALLS->pkg/a.py:helper"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py:Shape.area", Direction::kBoth, "CONTAINS"), Ids{});

  // Edge properties are returned in both directions.
  auto c = s->Expand(KeyOf(*s, "pkg/a.py:helper"), Direction::kIn, Type("CALLS"));
  EdgeRecord e;
  ASSERT_TRUE(c->Next(&e));
  EXPECT_EQ(e.src, KeyOf(*s, "pkg/a.py:Shape.area"));
  EXPECT_EQ(e.dst, KeyOf(*s, "pkg/a.py:helper"));
  EXPECT_EQ(e.props.at("line"), Value(3));
  EXPECT_FALSE(c->Next(&e));
  EXPECT_TRUE(c->status().ok());

  // Counts and the file.
  EXPECT_EQ(Count(s->CountNodes()), 4u);
  EXPECT_EQ(Count(s->CountEdges()), 4u);
  EXPECT_EQ(Count(s->CountLabel(Label("Class"))), 1u);
  EXPECT_EQ(Count(s->CountEdgeType(Type("CONTAINS"))), 2u);
  EXPECT_EQ(Count(s->CountEdgeType(Type("IMPORTS"))), 0u);
  auto file = s->GetFile("pkg/a.py");
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_EQ((*file)->path, "pkg/a.py");
  EXPECT_EQ((*file)->content_hash, "hash-of-pkg/a.py");
  EXPECT_EQ((*file)->language, "python");
  EXPECT_EQ((*file)->node_count, 4u);
  EXPECT_EQ((*file)->edge_count, 4u);
  EXPECT_EQ((*file)->size, FileA().text.size());
  auto text = s->GetFileText("pkg/a.py");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, FileA().text);
  EXPECT_TRUE(s->GetFileText("pkg/zzz.py").status().IsNotFound());
  auto nofile = s->GetFile("pkg/zzz.py");
  ASSERT_TRUE(nofile.ok());
  EXPECT_FALSE(nofile->has_value());
  auto files = s->ListFiles();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "pkg/a.py");
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, CaseInsensitiveNameLookupAndAliases) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("m.py",
                   {N("m.py:HTTPClient", {"Class"}, {{"name", "HTTPClient"}}),
                    N("m.py:httpclient", {"Function"}, {{"name", "httpclient"}}),
                    N("m.py:G", {"GLOBAL_VARIABLE"}, {{"name", "G"}}),
                    N("m.py:Multi", {"Class", "Struct", "external"}, {{"name", "Multi"}})},
                   {E("m.py:httpclient", "call", "m.py:HTTPClient")}));
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  LabelId cls = Label("class");
  EXPECT_EQ(cls, static_cast<LabelId>(schema::Label::kClass));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(cls, "httpclient")), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(cls, "httpclient", true)), (Ids{"m.py:HTTPClient"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(cls, "HttpClient", true)), (Ids{"m.py:HTTPClient"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(cls, "HTTPClient")), (Ids{"m.py:HTTPClient"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "HTTPCLIENT", true)),
            (Ids{"m.py:httpclient"}));
  // Aliases resolve to the canonical label / type; duplicate labels collapse.
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(Label("Variable"))), (Ids{"m.py:G"}));
  auto multi = s->GetNode(KeyOf(*s, "m.py:Multi"));
  ASSERT_TRUE(multi.ok() && multi->has_value());
  EXPECT_EQ((*multi)->labels, (std::vector<LabelId>{cls, Label("External")}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("External"), "multi", true)), (Ids{"m.py:Multi"}));
  EXPECT_EQ(Edges(*s, "m.py:httpclient", Direction::kOut, "CALLS"),
            (Ids{"m.py:httpclient-CALLS->m.py:HTTPClient"}));
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, ReplacingAFileRemovesItsOldFacts) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", FileA());
  NodeKey shape_before = 0;
  {
    auto s = Snap("g");
    shape_before = KeyOf(*s, "pkg/a.py:Shape");
  }
  // Version 2: helper is gone, Shape lost its method and got a new one; `area` renamed.
  Apply("g", Batch("pkg/a.py",
                   {N("pkg/a.py", {"File"}, {{"name", "a.py"}}),
                    N("pkg/a.py:Shape", {"Class"}, {{"name", "Shape"}, {"start_line", 5}}),
                    N("pkg/a.py:Shape.perimeter", {"Method"}, {{"name", "perimeter"}})},
                   {E("pkg/a.py", "CONTAINS", "pkg/a.py:Shape"),
                    E("pkg/a.py:Shape", "HAS_METHOD", "pkg/a.py:Shape.perimeter")},
                   "v2"));
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(IdsOf(*s, s->ScanAll()),
            (Ids{"pkg/a.py", "pkg/a.py:Shape", "pkg/a.py:Shape.perimeter"}));
  EXPECT_EQ(KeyOf(*s, "pkg/a.py:helper"), 0u);
  EXPECT_EQ(KeyOf(*s, "pkg/a.py:Shape.area"), 0u);
  EXPECT_EQ(KeyOf(*s, "pkg/a.py:Shape"), shape_before);  // same id keeps its key
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(Label("Function"))), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "helper")), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Method"), "area", true)), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Method"), "PERIMETER", true)),
            (Ids{"pkg/a.py:Shape.perimeter"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py:Shape", Direction::kBoth),
            (Ids{"pkg/a.py-CONTAINS->pkg/a.py:Shape",
                 "pkg/a.py:Shape-HAS_METHOD->pkg/a.py:Shape.perimeter"}));
  auto shape = s->GetNode(shape_before);
  ASSERT_TRUE(shape.ok() && shape->has_value());
  EXPECT_EQ((*shape)->props.at("start_line"), Value(5));
  EXPECT_EQ(Count(s->CountNodes()), 3u);
  EXPECT_EQ(Count(s->CountEdges()), 2u);
  EXPECT_EQ(Count(s->CountEdgeType(Type("CALLS"))), 0u);
  EXPECT_EQ(Count(s->CountEdgeType(Type("CONTAINS"))), 1u);
  EXPECT_EQ(Count(s->CountLabel(Label("Method"))), 1u);
  auto text = s->GetFileText("pkg/a.py");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "v2");
  auto info = store_->GetGraph("g");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->file_count, 1u);
  ExpectConsistent("g");

  // Re-applying the identical batch is idempotent.
  FactBatch v2 = Batch("pkg/a.py", {N("pkg/a.py", {"File"})}, {});
  Apply("g", v2);
  Apply("g", v2);
  auto s2 = Snap("g");
  EXPECT_EQ(Count(s2->CountNodes()), 1u);
  EXPECT_EQ(Count(s2->CountEdges()), 0u);
  ExpectConsistent("g");

  // Deleting the file removes everything it wrote.
  ASSERT_TRUE(store_->DeleteFile("g", "pkg/a.py").ok());
  auto s3 = Snap("g");
  EXPECT_EQ(Count(s3->CountNodes()), 0u);
  EXPECT_EQ(Count(s3->CountEdges()), 0u);
  EXPECT_EQ(Count(s3->CountLabel(Label("File"))), 0u);
  EXPECT_EQ(IdsOf(*s3, s3->ScanAll()), Ids{});
  EXPECT_TRUE(s3->GetFileText("pkg/a.py").status().IsNotFound());
  auto files = s3->ListFiles();
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  EXPECT_TRUE(store_->DeleteFile("g", "pkg/a.py").IsNotFound());
  EXPECT_TRUE(store_->DeleteFile("nope", "pkg/a.py").IsNotFound());
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, SharedNodesSurviveFileReplaceAndMergeProperties) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("",
                   {Shared("repo:", {"Repo"}, {{"name", "demo"}}),
                    Shared("dir:/", {"Directory"}, {{"path", "/"}})},
                   {E("repo:", "CONTAINS", "dir:/")}));
  Apply("g", Batch("a.py",
                   {N("a.py", {"File"}, {{"name", "a.py"}}),
                    Shared("dir:/", {"Directory"}, {{"name", "root"}}),
                    Shared("external:os.path", {"External"}, {{"name", "os.path"}, {"v", 1}})},
                   {E("dir:/", "CONTAINS", "a.py"), E("a.py", "IMPORTS", "external:os.path")}));
  Apply("g", Batch("b.py",
                   {N("b.py", {"File"}, {{"name", "b.py"}}),
                    Shared("external:os.path", {"External", "Module"}, {{"v", 2}, {"w", 3}})},
                   {E("b.py", "IMPORTS", "external:os.path")}));
  {
    auto s = Snap("g");
    auto ext = s->GetNode(KeyOf(*s, "external:os.path"));
    ASSERT_TRUE(ext.ok() && ext->has_value());
    EXPECT_EQ((*ext)->props.at("name"), Value("os.path"));  // kept
    EXPECT_EQ((*ext)->props.at("v"), Value(2));             // new keys win
    EXPECT_EQ((*ext)->props.at("w"), Value(3));
    EXPECT_EQ((*ext)->labels, (std::vector<LabelId>{Label("External"), Label("Module")}));
    auto dir = s->GetNode(KeyOf(*s, "dir:/"));
    ASSERT_TRUE(dir.ok() && dir->has_value());
    EXPECT_EQ((*dir)->props.at("path"), Value("/"));
    EXPECT_EQ((*dir)->props.at("name"), Value("root"));
    EXPECT_EQ(Count(s->CountNodes()), 5u);
    EXPECT_EQ(Count(s->CountEdges()), 4u);
  }
  ExpectConsistent("g");
  // a.py no longer mentions the shared nodes: they stay; its edges go.
  Apply("g", Batch("a.py", {N("a.py", {"File"})}));
  ASSERT_TRUE(store_->DeleteFile("g", "b.py").ok());
  auto s = Snap("g");
  EXPECT_EQ(IdsOf(*s, s->ScanAll()), (Ids{"a.py", "dir:/", "external:os.path", "repo:"}));
  EXPECT_EQ(Edges(*s, "external:os.path", Direction::kIn), Ids{});
  EXPECT_EQ(Edges(*s, "dir:/", Direction::kBoth), (Ids{"repo:-CONTAINS->dir:/"}));
  EXPECT_EQ(Count(s->CountNodes()), 4u);
  EXPECT_EQ(Count(s->CountEdges()), 1u);
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Module"), "os.path")), (Ids{"external:os.path"}));
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, CrossFileEdgeSurvivesReingestAndHidesWhileTargetMissing) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  // a.py calls b.py:g before b.py was ever ingested: the edge dangles (stored, not visible).
  Apply("g", Batch("a.py", {N("a.py:f", {"Function"}, {{"name", "f"}})},
                   {E("a.py:f", "CALLS", "b.py:g", {{"line", 7}})}));
  {
    auto s = Snap("g");
    EXPECT_EQ(Edges(*s, "a.py:f", Direction::kOut), Ids{});
    EXPECT_EQ(Count(s->CountEdges()), 0u);
    EXPECT_EQ(Count(s->CountEdgeType(Type("CALLS"))), 0u);
  }
  ExpectConsistent("g");
  FactBatch b = Batch("b.py", {N("b.py:g", {"Function"}, {{"name", "g"}})});
  Apply("g", b);
  NodeKey g_key = 0;
  {
    auto s = Snap("g");
    g_key = KeyOf(*s, "b.py:g");
    EXPECT_EQ(Edges(*s, "a.py:f", Direction::kOut), (Ids{"a.py:f-CALLS->b.py:g"}));
    EXPECT_EQ(Edges(*s, "b.py:g", Direction::kIn), (Ids{"a.py:f-CALLS->b.py:g"}));
    EXPECT_EQ(Count(s->CountEdges()), 1u);
  }
  ExpectConsistent("g");
  // Re-ingest of the target keeps its NodeKey, so the edge from a.py stays valid.
  Apply("g", b);
  {
    auto s = Snap("g");
    EXPECT_EQ(KeyOf(*s, "b.py:g"), g_key);
    EXPECT_EQ(Edges(*s, "a.py:f", Direction::kOut), (Ids{"a.py:f-CALLS->b.py:g"}));
    EXPECT_EQ(Count(s->CountEdges()), 1u);
  }
  ExpectConsistent("g");
  // While b.py is deleted the edge is hidden from every read, in both directions.
  ASSERT_TRUE(store_->DeleteFile("g", "b.py").ok());
  {
    auto s = Snap("g");
    EXPECT_EQ(KeyOf(*s, "b.py:g"), 0u);
    EXPECT_EQ(Edges(*s, "a.py:f", Direction::kBoth), Ids{});
    auto c = s->Expand(g_key, Direction::kIn);
    EdgeRecord e;
    EXPECT_FALSE(c->Next(&e));
    EXPECT_TRUE(c->status().ok());
    EXPECT_EQ(Count(s->CountEdges()), 0u);
    EXPECT_EQ(Count(s->CountEdgeType(Type("CALLS"))), 0u);
  }
  ExpectConsistent("g");
  // Back again, same key, edge visible with its properties.
  Apply("g", b);
  {
    auto s = Snap("g");
    EXPECT_EQ(KeyOf(*s, "b.py:g"), g_key);
    auto c = s->Expand(g_key, Direction::kIn);
    EdgeRecord e;
    ASSERT_TRUE(c->Next(&e));
    EXPECT_EQ(e.props.at("line"), Value(7));
    EXPECT_EQ(Count(s->CountEdges()), 1u);
  }
  ExpectConsistent("g");
  // Deleting the source file removes the edge itself.
  ASSERT_TRUE(store_->DeleteFile("g", "a.py").ok());
  {
    auto s = Snap("g");
    EXPECT_EQ(Edges(*s, "b.py:g", Direction::kIn), Ids{});
    EXPECT_EQ(Count(s->CountEdges()), 0u);
  }
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, ParallelEdgesGetDistinctSeqsAcrossBatches) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("", {Shared("x", {"Module"}), Shared("y", {"Module"})}));
  // Two IMPORTS x->y in one batch, and another from a second batch: three distinct edges.
  Apply("g", Batch("f1.py", {N("f1.py", {"File"})},
                   {E("x", "IMPORTS", "y", {{"alias", "a"}}),
                    E("x", "IMPORTS", "y", {{"alias", "b"}})}));
  Apply("g", Batch("f2.py", {N("f2.py", {"File"})}, {E("x", "IMPORTS", "y", {{"alias", "c"}})}));
  auto aliases = [&]() {
    auto s = Snap("g");
    std::vector<std::pair<uint32_t, std::string>> out;
    auto c = s->Expand(KeyOf(*s, "x"), Direction::kOut, Type("IMPORTS"));
    EdgeRecord e;
    while (c->Next(&e)) out.emplace_back(e.seq, e.props.at("alias").as_string());
    EXPECT_TRUE(c->status().ok());
    return out;
  };
  auto got = aliases();
  ASSERT_EQ(got.size(), 3u);
  std::set<uint32_t> seqs;
  for (const auto& [seq, alias] : got) seqs.insert(seq);
  EXPECT_EQ(seqs.size(), 3u);
  // Re-ingesting f1 keeps f2's edge and replaces f1's two by one.
  Apply("g", Batch("f1.py", {N("f1.py", {"File"})}, {E("x", "IMPORTS", "y", {{"alias", "d"}})}));
  got = aliases();
  std::vector<std::string> names;
  for (const auto& [seq, alias] : got) names.push_back(alias);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"c", "d"}));
  ExpectConsistent("g");
  // Deleting f2 leaves f1's edge.
  ASSERT_TRUE(store_->DeleteFile("g", "f2.py").ok());
  got = aliases();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].second, "d");
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, InvalidBatchesChangeNothing) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", FileA());
  Apply("g", Batch("b.py", {N("b.py:owned", {"Function"}, {{"name", "owned"}})}));
  auto info = store_->GetGraph("g");
  ASSERT_TRUE(info.ok());
  auto keys_before = test_hooks::CountGraphKeys(*store_, info->id);
  ASSERT_TRUE(keys_before.ok());
  std::vector<std::string> labels_before = store_->KnownLabels();

  struct Case {
    const char* name;
    FactBatch batch;
  };
  std::vector<Case> cases = {
      {"duplicate id",
       Batch("pkg/a.py", {N("pkg/a.py:x", {"Function"}, {{"name", "x"}}),
                          N("NewLabelNode", {"BrandNewLabel"}), N("pkg/a.py:x", {"Function"})})},
      {"empty id", Batch("pkg/a.py", {N("pkg/a.py:ok", {"Function"}), N("", {"Function"})})},
      {"owned by another file", Batch("pkg/a.py", {N("b.py:owned", {"Function"})})},
      {"graph-level redefines owned", Batch("", {N("b.py:owned", {"Function"})})},
      {"id property", Batch("c.py", {N("c.py:x", {"Function"}, {{"id", "c.py:x"}})})},
      {"empty edge endpoint",
       Batch("c.py", {N("c.py:x", {"Function"})}, {E("c.py:x", "CALLS", "")})},
      {"empty edge type", Batch("c.py", {N("c.py:x", {"Function"})}, {E("c.py:x", "", "c.py:x")})},
      {"over-long label", Batch("c.py", {N("c.py:x", {std::string(200, 'L')})})},
  };
  for (const auto& c : cases) {
    Status s = store_->ApplyBatch("g", c.batch);
    EXPECT_TRUE(s.IsInvalidArgument()) << c.name << ": " << s.ToString();
    EXPECT_FALSE(s.message().empty()) << c.name;
  }
  EXPECT_TRUE(store_->ApplyBatch("missing", FileA()).IsNotFound());

  auto keys_after = test_hooks::CountGraphKeys(*store_, info->id);
  ASSERT_TRUE(keys_after.ok());
  EXPECT_EQ(*keys_after, *keys_before);
  EXPECT_EQ(store_->KnownLabels(), labels_before);  // no half-created label either
  EXPECT_TRUE(store_->LabelIdFor("BrandNewLabel").status().IsNotFound());
  auto s = Snap("g");
  EXPECT_EQ(IdsOf(*s, s->ScanAll()), (Ids{"b.py:owned", "pkg/a.py", "pkg/a.py:Shape",
                                          "pkg/a.py:Shape.area", "pkg/a.py:helper"}));
  auto owned = s->GetNode(KeyOf(*s, "b.py:owned"));
  ASSERT_TRUE(owned.ok() && owned->has_value());
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, SnapshotIsolation) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("a.py", {N("a.py:one", {"Function"}, {{"name", "one"}})}));
  auto old_snap = Snap("g");
  ASSERT_NE(old_snap, nullptr);
  auto old_cursor = old_snap->ScanAll();  // created before the write, read after it
  Apply("g", Batch("a.py", {N("a.py:two", {"Function"}, {{"name", "two"}})},
                   {E("a.py:two", "CALLS", "a.py:two")}));
  Apply("g", Batch("b.py", {N("b.py:three", {"Class"})}));

  EXPECT_EQ(IdsOf(*old_snap, std::move(old_cursor)), (Ids{"a.py:one"}));
  EXPECT_EQ(IdsOf(*old_snap, old_snap->ScanLabelName(Label("Function"), "two")), Ids{});
  EXPECT_EQ(KeyOf(*old_snap, "a.py:two"), 0u);
  EXPECT_EQ(Count(old_snap->CountNodes()), 1u);
  EXPECT_EQ(Count(old_snap->CountEdges()), 0u);
  auto files = old_snap->ListFiles();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);

  auto now = Snap("g");
  EXPECT_EQ(IdsOf(*now, now->ScanAll()), (Ids{"a.py:two", "b.py:three"}));
  EXPECT_EQ(Edges(*now, "a.py:two", Direction::kBoth),
            (Ids{"a.py:two-CALLS->a.py:two", "a.py:two-CALLS->a.py:two"}));  // self-loop twice
  EXPECT_EQ(Count(now->CountEdges()), 1u);

  // A snapshot survives the drop of its graph.
  ASSERT_TRUE(store_->DropGraph("g").ok());
  EXPECT_EQ(IdsOf(*now, now->ScanAll()), (Ids{"a.py:two", "b.py:three"}));
  EXPECT_TRUE(store_->GetSnapshot("g").status().IsNotFound());
}

TEST_F(GraphStoreTest, ConcurrentReadersSeeWholeBatches) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  std::atomic<bool> stop{false};
  std::atomic<int> checks{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&]() {
      while (!stop.load()) {
        auto r = store_->GetSnapshot("g");
        if (!r.ok()) {
          ADD_FAILURE() << r.status().ToString();
          return;
        }
        auto& s = **r;
        // Every batch writes 10 nodes and 10 edges; a snapshot never sees part of one.
        uint64_t n = 0;
        auto c = s.ScanAll();
        NodeKey k;
        while (c->Next(&k)) ++n;
        auto counted = s.CountNodes();
        auto edges = s.CountEdges();
        if (!counted.ok() || !edges.ok() || *counted != n || n % 10 != 0 || *edges != n) {
          ADD_FAILURE() << "torn read: scanned " << n;
          return;
        }
        ++checks;
      }
    });
  }
  for (int i = 0; i < 40; ++i) {
    std::vector<NodeFact> nodes;
    std::vector<EdgeFact> edges;
    std::string path = "f" + std::to_string(i % 7) + ".py";
    for (int j = 0; j < 10; ++j) {
      std::string id = path + ":n" + std::to_string(j);
      nodes.push_back(N(id, {"Function"}, {{"name", "n" + std::to_string(j)}}));
      edges.push_back(E(id, "CALLS", path + ":n" + std::to_string((j + 1) % 10)));
    }
    Apply("g", Batch(path, std::move(nodes), std::move(edges)));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(checks.load(), 0);
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, ConcurrentWritersAreSerialized) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t]() {
      for (int i = 0; i < 15; ++i) {
        // Every writer links into the others' nodes and creates a user type concurrently.
        std::string path = "w" + std::to_string(t) + "_" + std::to_string(i % 4) + ".py";
        std::string other = "w" + std::to_string((t + 1) % 3) + "_" + std::to_string(i % 4) + ".py";
        Status s = store_->ApplyBatch(
            "g", Batch(path, {N(path + ":f", {"Function", "T" + std::to_string(i % 3)})},
                       {E(path + ":f", "CALLS", other + ":f"),
                        E(path + ":f", "REL_" + std::to_string(i % 2), other + ":f")}));
        if (!s.ok()) {
          ADD_FAILURE() << s.ToString();
          return;
        }
      }
    });
  }
  for (auto& w : writers) w.join();
  auto s = Snap("g");
  EXPECT_EQ(Count(s->CountNodes()), 12u);
  EXPECT_EQ(Count(s->CountEdges()), 24u);
  auto t0 = store_->LabelIdFor("t0");
  auto t1 = store_->LabelIdFor("T1");
  ASSERT_TRUE(t0.ok() && t1.ok());
  EXPECT_NE(*t0, *t1);
  s.reset();
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, EverythingSurvivesReopen) {
  Reopen();  // close/open an empty database once too
  store_.reset();
  Options sync = TestOptions();
  sync.sync_writes = true;
  OpenStore(sync);
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", FileA());
  Apply("g", Batch("", {Shared("repo:", {"Repo"}, {{"name", "r"}})},
                   {E("repo:", "CONTAINS", "pkg/a.py")}));
  Reopen();
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(IdsOf(*s, s->ScanAll()),
            (Ids{"pkg/a.py", "pkg/a.py:Shape", "pkg/a.py:Shape.area", "pkg/a.py:helper", "repo:"}));
  EXPECT_EQ(Edges(*s, "pkg/a.py", Direction::kBoth),
            (Ids{"pkg/a.py-CONTAINS->pkg/a.py:Shape", "pkg/a.py-CONTAINS->pkg/a.py:helper",
                 "repo:-CONTAINS->pkg/a.py"}));
  auto text = s->GetFileText("pkg/a.py");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, FileA().text);
  EXPECT_EQ(Count(s->CountEdges()), 5u);
  s.reset();
  ExpectConsistent("g");
  // Node keys continue after the reopen: a new node does not reuse an existing key.
  NodeKey max_key = 0;
  {
    auto s2 = Snap("g");
    auto c = s2->ScanAll();
    NodeKey k;
    while (c->Next(&k)) max_key = std::max(max_key, k);
  }
  Apply("g", Batch("new.py", {N("new.py", {"File"})}));
  auto s3 = Snap("g");
  EXPECT_GT(KeyOf(*s3, "new.py"), max_key);
}

TEST_F(GraphStoreTest, UserLabelsAndTypesGetIdsFromFirstUserIdAndPersist) {
  EXPECT_TRUE(store_->LabelIdFor("Widget").status().IsNotFound());
  auto widget = store_->LabelIdFor("Widget", true);
  ASSERT_TRUE(widget.ok());
  EXPECT_GE(*widget, schema::kFirstUserId);
  auto again = store_->LabelIdFor("WIDGET", true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *widget);  // case-insensitive, like built-ins
  auto builtin = store_->LabelIdFor("folder", true);
  ASSERT_TRUE(builtin.ok());
  EXPECT_EQ(*builtin, static_cast<LabelId>(schema::Label::kDirectory));
  auto calls = store_->EdgeTypeIdFor("Call");
  ASSERT_TRUE(calls.ok());
  EXPECT_EQ(*calls, static_cast<EdgeTypeId>(schema::EdgeType::kCALLS));
  EXPECT_TRUE(store_->EdgeTypeIdFor("KNOWS").status().IsNotFound());
  EXPECT_TRUE(store_->LabelIdFor("", true).status().IsInvalidArgument());

  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("", {N("p1", {"Person"}, {{"name", "Ann"}}), N("p2", {"Person", "Widget"})},
                   {E("p1", "KNOWS", "p2", {{"since", 2020}})}));
  auto person = store_->LabelIdFor("person");
  ASSERT_TRUE(person.ok());
  EXPECT_GE(*person, schema::kFirstUserId);
  EXPECT_NE(*person, *widget);
  auto knows = store_->EdgeTypeIdFor("knows");
  ASSERT_TRUE(knows.ok());
  EXPECT_GE(*knows, schema::kFirstUserId);
  EXPECT_EQ(*store_->LabelNameOf(*person), "Person");
  EXPECT_EQ(*store_->EdgeTypeNameOf(*knows), "KNOWS");
  EXPECT_EQ(*store_->LabelNameOf(static_cast<LabelId>(schema::Label::kClass)), "Class");
  EXPECT_TRUE(store_->LabelNameOf(4321).status().IsNotFound());
  EXPECT_TRUE(store_->EdgeTypeNameOf(999).status().IsNotFound());

  Reopen();
  EXPECT_EQ(*store_->LabelIdFor("Person"), *person);
  EXPECT_EQ(*store_->LabelIdFor("widget"), *widget);
  EXPECT_EQ(*store_->EdgeTypeIdFor("KNOWS"), *knows);
  EXPECT_EQ(*store_->EdgeTypeNameOf(*knows), "KNOWS");
  auto labels = store_->KnownLabels();
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Person"), labels.end());
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Widget"), labels.end());
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Class"), labels.end());
  auto types = store_->KnownEdgeTypes();
  EXPECT_NE(std::find(types.begin(), types.end(), "KNOWS"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "CALLS"), types.end());
  // A new name after reopen does not reuse an id.
  auto gadget = store_->LabelIdFor("Gadget", true);
  ASSERT_TRUE(gadget.ok());
  EXPECT_NE(*gadget, *person);
  EXPECT_NE(*gadget, *widget);

  auto s = Snap("g");
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(*person)), (Ids{"p1", "p2"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(*person, "ann", true)), (Ids{"p1"}));
  EXPECT_EQ(Edges(*s, "p1", Direction::kOut, "Knows"), (Ids{"p1-KNOWS->p2"}));
  EXPECT_EQ(Count(s->CountEdgeType(*knows)), 1u);
  s.reset();
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, GraphLevelFactsAreUpserted) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("", {N("n", {"Function"}, {{"name", "old"}, {"keep", 1}})}));
  Apply("g", Batch("", {N("n", {"Method"}, {{"name", "new"}})}));
  auto s = Snap("g");
  auto n = s->GetNode(KeyOf(*s, "n"));
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ((*n)->props.at("name"), Value("new"));
  EXPECT_EQ((*n)->props.at("keep"), Value(1));
  EXPECT_EQ((*n)->labels, (std::vector<LabelId>{Label("Function"), Label("Method")}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "old")), Ids{});
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "new")), (Ids{"n"}));
  s.reset();
  ExpectConsistent("g");
  // A file may take over a node owned by no file; from then on the file's replace governs it.
  Apply("g", Batch("f.py", {N("n", {"Class"}, {{"name", "claimed"}})}));
  {
    auto s2 = Snap("g");
    auto c = s2->GetNode(KeyOf(*s2, "n"));
    ASSERT_TRUE(c.ok() && c->has_value());
    EXPECT_EQ((*c)->labels, std::vector<LabelId>{Label("Class")});
    EXPECT_EQ((*c)->props.count("keep"), 0u);
  }
  ExpectConsistent("g");
  ASSERT_TRUE(store_->DeleteFile("g", "f.py").ok());
  auto s3 = Snap("g");
  EXPECT_EQ(KeyOf(*s3, "n"), 0u);
  s3.reset();
  ExpectConsistent("g");
}

TEST_F(GraphStoreTest, MultiGraphIsolation) {
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("two").ok());
  Apply("one", FileA());
  FactBatch other = FileA();
  other.nodes[1].props["start_line"] = 99;
  other.edges.pop_back();
  Apply("two", other);
  {
    auto s1 = Snap("one");
    auto s2 = Snap("two");
    auto n1 = s1->GetNode(KeyOf(*s1, "pkg/a.py:Shape"));
    auto n2 = s2->GetNode(KeyOf(*s2, "pkg/a.py:Shape"));
    ASSERT_TRUE(n1.ok() && n1->has_value() && n2.ok() && n2->has_value());
    EXPECT_EQ((*n1)->props.at("start_line"), Value(1));
    EXPECT_EQ((*n2)->props.at("start_line"), Value(99));
    EXPECT_EQ(Count(s1->CountEdges()), 4u);
    EXPECT_EQ(Count(s2->CountEdges()), 3u);
  }
  ASSERT_TRUE(store_->DeleteFile("one", "pkg/a.py").ok());
  {
    auto s1 = Snap("one");
    auto s2 = Snap("two");
    EXPECT_EQ(IdsOf(*s1, s1->ScanAll()), Ids{});
    EXPECT_EQ(IdsOf(*s2, s2->ScanAll()).size(), 4u);
    EXPECT_EQ(Edges(*s2, "pkg/a.py", Direction::kOut).size(), 2u);
  }
  ASSERT_TRUE(store_->DropGraph("one").ok());
  auto s2 = Snap("two");
  EXPECT_EQ(IdsOf(*s2, s2->ScanAll()).size(), 4u);
  s2.reset();
  ExpectConsistent("two");
}

class FormatVersionTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(FormatVersionTest, OpenRefusesUnknownVersions) {
  std::string path = dir_.sub("db");
  {
    auto r = GraphStore::Open(path, TestOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE((*r)->CreateGraph("g").ok());
  }
  struct Case {
    const char* name;
    std::string raw;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {"newer", test_hooks::EncodeFormatVersion(99), "newer"},
      {"unknown older", test_hooks::EncodeFormatVersion(0), "unknown"},
      {"corrupt", std::string("\x01\x02\x03", 3), "corrupt"},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(test_hooks::OverwriteFormatVersion(path, c.raw).ok()) << c.name;
    auto r = GraphStore::Open(path, TestOptions());
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_TRUE(r.status().IsCorruption()) << c.name << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos) << r.status().message();
  }
  // Restoring the right version makes the data readable again.
  ASSERT_TRUE(
      test_hooks::OverwriteFormatVersion(path, test_hooks::EncodeFormatVersion(kFormatVersion))
          .ok());
  auto r = GraphStore::Open(path, TestOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)->GetGraph("g").ok());
}

TEST_F(FormatVersionTest, MissingDatabaseWithoutCreateIsInvalidArgument) {
  Options o = TestOptions();
  o.create_if_missing = false;
  auto r = GraphStore::Open(dir_.sub("absent"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
}

TEST_F(FormatVersionTest, SecondOpenOfALockedDatabaseIsIOError) {
  auto first = GraphStore::Open(dir_.sub("db"), TestOptions());
  ASSERT_TRUE(first.ok());
  auto second = GraphStore::Open(dir_.sub("db"), TestOptions());
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsIOError()) << second.status().ToString();
}

// A randomized workload checked after every step against a plain in-memory model of the
// ownership rules: file batches replace their file's nodes and edges, deletes remove them,
// shared nodes persist, and an edge is visible exactly when both ends exist.
class ModelTest : public GraphStoreTest {};

TEST_F(ModelTest, RandomWorkloadMatchesModel) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  std::mt19937 rng(20240601);
  const int kFiles = 6, kIdsPerFile = 10;
  const std::vector<std::string> labels = {"Function", "Class", "Widget"};
  const std::vector<std::string> types = {"CALLS", "CONTAINS", "LINKS_TO"};
  const std::vector<std::string> shared_ids = {"ext:a", "ext:b", "ext:c"};
  auto file_path = [](int f) { return "f" + std::to_string(f) + ".py"; };
  auto file_id = [&](int f, int i) { return file_path(f) + ":n" + std::to_string(i); };
  std::vector<std::string> all_ids = shared_ids;
  for (int f = 0; f < kFiles; ++f) {
    for (int i = 0; i < kIdsPerFile; ++i) all_ids.push_back(file_id(f, i));
  }
  all_ids.push_back("ghost:1");  // never defined: edges to it always dangle
  all_ids.push_back("ghost:2");

  std::map<std::string, FactBatch> files;  // model: the last batch of each live file
  std::set<std::string> shared_written;
  auto model_nodes = [&]() {
    std::map<std::string, std::set<std::string>> nodes;  // id -> canonical labels
    for (const auto& id : shared_written) nodes[id] = {"External"};
    for (const auto& [path, b] : files) {
      for (const auto& n : b.nodes) {
        if (!n.shared) nodes[n.id] = std::set<std::string>(n.labels.begin(), n.labels.end());
      }
    }
    return nodes;
  };
  auto check = [&](int step) {
    SCOPED_TRACE("step " + std::to_string(step));
    auto nodes = model_nodes();
    std::map<std::string, std::vector<std::string>> out;  // src -> "TYPE>dst#k", visible only
    for (const auto& [path, b] : files) {
      for (const auto& e : b.edges) {
        if (nodes.count(e.src_id) && nodes.count(e.dst_id)) {
          out[e.src_id].push_back(e.type + ">" + e.dst_id + "#" +
                                  std::to_string(e.props.at("k").as_int()));
        }
      }
    }
    auto s = Snap("g");
    ASSERT_NE(s, nullptr);
    std::vector<std::string> want_ids;
    for (const auto& [id, l] : nodes) want_ids.push_back(id);
    ASSERT_EQ(IdsOf(*s, s->ScanAll()), want_ids);
    for (const auto& [id, want_labels] : nodes) {
      auto rec = s->GetNode(KeyOf(*s, id));
      ASSERT_TRUE(rec.ok() && rec->has_value()) << id;
      std::set<std::string> got_labels;
      for (LabelId l : (*rec)->labels) got_labels.insert(*store_->LabelNameOf(l));
      EXPECT_EQ(got_labels, want_labels) << id;
      std::vector<std::string> got;
      auto c = s->Expand((*rec)->key, Direction::kOut);
      EdgeRecord e;
      while (c->Next(&e)) {
        auto dst = s->GetNode(e.dst);
        ASSERT_TRUE(dst.ok() && dst->has_value());
        got.push_back(*store_->EdgeTypeNameOf(e.type) + ">" + (*dst)->id + "#" +
                      std::to_string(e.props.at("k").as_int()));
      }
      ASSERT_TRUE(c->status().ok());
      std::vector<std::string> want = out[id];
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, want) << id;
    }
    s.reset();
    ExpectConsistent("g");
  };

  for (int step = 0; step < 120; ++step) {
    int f = static_cast<int>(rng() % kFiles);
    std::string path = file_path(f);
    if (rng() % 5 == 0) {
      Status st = store_->DeleteFile("g", path);
      if (files.count(path)) {
        ASSERT_TRUE(st.ok()) << st.ToString();
        files.erase(path);
      } else {
        ASSERT_TRUE(st.IsNotFound()) << st.ToString();
      }
    } else {
      FactBatch b = Batch(path, {});
      std::vector<std::string> mine;
      for (int i = 0; i < kIdsPerFile; ++i) {
        if (rng() % 2) continue;
        mine.push_back(file_id(f, i));
        std::vector<std::string> ls = {labels[rng() % labels.size()]};
        if (rng() % 4 == 0) ls.push_back(labels[rng() % labels.size()]);
        b.nodes.push_back(N(mine.back(), ls, {{"name", "n" + std::to_string(i)}}));
      }
      for (const auto& id : shared_ids) {
        if (rng() % 3 == 0) {
          b.nodes.push_back(Shared(id, {"External"}, {{"name", id}}));
          mine.push_back(id);
        }
      }
      int edges = static_cast<int>(rng() % 15);
      for (int i = 0; i < edges; ++i) {
        std::string src = !mine.empty() && rng() % 4 != 0 ? mine[rng() % mine.size()]
                                                          : all_ids[rng() % all_ids.size()];
        std::string dst = all_ids[rng() % all_ids.size()];
        b.edges.push_back(
            E(src, types[rng() % types.size()], dst, {{"k", static_cast<int64_t>(rng() % 3)}}));
      }
      Apply("g", b);
      for (const auto& n : b.nodes) {
        if (n.shared) shared_written.insert(n.id);
      }
      files[path] = std::move(b);
    }
    check(step);
    if (::testing::Test::HasFatalFailure()) return;
    if (step == 60) Reopen();
  }
}

// The openCypher TCK creates nodes without labels: they are ordinary nodes in every way except
// that no label index lists them.
TEST_F(GraphStoreTest, NodesWithoutLabels) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  Apply("g", Batch("", {N("a", {}, {{"name", "a"}}), N("b", {}), N("c", {"Function"})},
                   {E("a", "KNOWS", "b"), E("b", "KNOWS", "c")}));
  Apply("g", Batch("f.py", {N("f.py:x", {}, {{"name", "x"}})}, {E("f.py:x", "CALLS", "a")}));
  {
    auto s = Snap("g");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(IdsOf(*s, s->ScanAll()), (Ids{"a", "b", "c", "f.py:x"}));
    EXPECT_EQ(Count(s->CountNodes()), 4u);
    EXPECT_EQ(Count(s->CountEdges()), 3u);
    EXPECT_EQ(Count(s->CountLabel(Label("Function"))), 1u);
    NodeKey a = KeyOf(*s, "a");
    ASSERT_NE(a, 0u);
    auto rec = s->GetNode(a);
    ASSERT_TRUE(rec.ok() && rec->has_value());
    EXPECT_TRUE((*rec)->labels.empty());
    EXPECT_EQ((*rec)->props.at("name").as_string(), "a");
    auto out = s->Expand(a, Direction::kOut);
    EdgeRecord e;
    ASSERT_TRUE(out->Next(&e));
    EXPECT_EQ(e.dst, KeyOf(*s, "b"));
    EXPECT_FALSE(out->Next(&e));
    auto in = s->Expand(a, Direction::kIn);
    ASSERT_TRUE(in->Next(&e));
    EXPECT_EQ(e.src, KeyOf(*s, "f.py:x"));
  }
  ExpectConsistent("g");
  // An upsert adds labels to a label-less node; replacing the file drops its label-less node.
  Apply("g", Batch("", {N("b", {"Class"}, {{"name", "b"}})}));
  Apply("g", Batch("f.py", {}));
  Reopen();
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(IdsOf(*s, s->ScanAll()), (Ids{"a", "b", "c"}));
  EXPECT_EQ(IdsOf(*s, s->ScanLabel(Label("Class"))), (Ids{"b"}));
  EXPECT_EQ(Count(s->CountNodes()), 3u);
  EXPECT_EQ(Count(s->CountEdges()), 2u);
  ExpectConsistent("g");
}

// Cursors of one snapshot share pooled RocksDB iterators; many open at once, nested and reused
// with other prefixes must each see exactly their own keys. ExpandKeys = Expand without props.
TEST_F(GraphStoreTest, ManyCursorsPerSnapshotAndExpandKeys) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  ASSERT_TRUE(store_->CreateGraph("h").ok());
  constexpr int kNodes = 40;
  FactBatch b = Batch("", {});
  for (int i = 0; i < kNodes; ++i) {
    b.nodes.push_back(
        N("n" + std::to_string(i), {"Function"}, {{"name", "f" + std::to_string(i % 3)}}));
  }
  // Node i calls i+1 .. i+(i%4) (mod kNodes), with a line property.
  for (int i = 0; i < kNodes; ++i) {
    for (int d = 1; d <= i % 4; ++d) {
      b.edges.push_back(E("n" + std::to_string(i), "CALLS", "n" + std::to_string((i + d) % kNodes),
                          {{"line", i * 10 + d}}));
    }
  }
  Apply("g", b);
  Apply("h", b);  // the same keys in the next graph: a cursor must not run into them
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  std::vector<NodeKey> keys;
  for (int i = 0; i < kNodes; ++i) keys.push_back(KeyOf(*s, "n" + std::to_string(i)));
  const EdgeTypeId calls = Type("CALLS");
  for (int round = 0; round < 3; ++round) {
    // All cursors open at once (more than the pool keeps), advanced in lockstep.
    std::vector<std::unique_ptr<EdgeCursor>> cursors;
    for (int i = 0; i < kNodes; ++i) {
      cursors.push_back(round == 1 ? s->Expand(keys[i], Direction::kOut, calls)
                                   : s->ExpandKeys(keys[i], Direction::kOut));
    }
    std::vector<std::vector<EdgeRecord>> got(kNodes);
    for (bool any = true; any;) {
      any = false;
      for (int i = 0; i < kNodes; ++i) {
        EdgeRecord e;
        if (cursors[i]->Next(&e)) {
          got[i].push_back(e);
          any = true;
        }
      }
    }
    for (int i = 0; i < kNodes; ++i) {
      EXPECT_TRUE(cursors[i]->status().ok());
      ASSERT_EQ(got[i].size(), static_cast<size_t>(i % 4)) << "node " << i;
      for (const EdgeRecord& e : got[i]) {
        EXPECT_EQ(e.src, keys[i]);
        EXPECT_EQ(e.type, calls);
        int j = static_cast<int>(std::find(keys.begin(), keys.end(), e.dst) - keys.begin());
        int d = (j - i + kNodes) % kNodes;  // edges come in dst key order, which may wrap
        EXPECT_TRUE(d >= 1 && d <= i % 4) << "node " << i << " -> " << j;
        if (round == 1) {
          EXPECT_EQ(e.props.at("line").as_int(), i * 10 + d);
        } else {
          EXPECT_TRUE(e.props.empty());
        }
      }
    }
  }
  // Reused iterators with other prefixes: in-edges and name lookups after the expansions.
  for (int i = 0; i < kNodes; ++i) {
    auto in = s->ExpandKeys(keys[i], Direction::kIn, calls);
    EdgeRecord e;
    int n = 0;
    while (in->Next(&e)) {
      EXPECT_EQ(e.dst, keys[i]);
      ++n;
    }
    int expected = 0;
    for (int j = 0; j < kNodes; ++j) {
      for (int d = 1; d <= j % 4; ++d) expected += (j + d) % kNodes == i;
    }
    EXPECT_EQ(n, expected) << "node " << i;
  }
  EXPECT_EQ(IdsOf(*s, s->ScanLabelName(Label("Function"), "f1")).size(), 13u);
  EXPECT_EQ(IdsOf(*s, s->ScanAll()).size(), static_cast<size_t>(kNodes));
}

// Everything a reader can see of a graph, in terms of string ids (independent of NodeKeys).
std::string DumpGraph(GraphStore& store, Snapshot& s) {
  std::string out;
  auto all = s.ScanAll();
  NodeKey k = 0;
  auto id_of = [&](NodeKey key) {
    auto n = s.GetNode(key);
    return n.ok() && n->has_value() ? (*n)->id : std::string("?");
  };
  while (all->Next(&k)) {
    auto n = s.GetNode(k);
    if (!n.ok() || !n->has_value()) return "missing node";
    const NodeRecord& rec = **n;
    std::set<std::string> labels;
    for (LabelId l : rec.labels) labels.insert(*store.LabelNameOf(l));
    out += "node " + rec.id + " :";
    for (const auto& l : labels) out += " " + l;
    for (const auto& [name, v] : rec.props) out += " " + name + "=" + v.DebugString();
    out += "\n";
    for (Direction dir : {Direction::kOut, Direction::kIn}) {
      std::vector<std::string> edges;
      auto c = s.Expand(k, dir);
      EdgeRecord e;
      while (c->Next(&e)) {
        std::string line = std::string(dir == Direction::kOut ? "  out " : "  in ") +
                           *store.EdgeTypeNameOf(e.type) + " " + id_of(e.src) + " -> " +
                           id_of(e.dst) + " #" + std::to_string(e.seq);
        for (const auto& [name, v] : e.props) line += " " + name + "=" + v.DebugString();
        edges.push_back(line);
      }
      std::sort(edges.begin(), edges.end());
      for (const auto& line : edges) out += line + "\n";
    }
  }
  for (const std::string& name : store.KnownLabels()) {
    LabelId l = *store.LabelIdFor(name);
    out += "label " + name + " " + std::to_string(*s.CountLabel(l)) + ":";
    std::vector<std::string> ids;
    auto c = s.ScanLabel(l);
    while (c->Next(&k)) ids.push_back(id_of(k));
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) out += " " + id;
    out += "\n";
  }
  out += "nodes " + std::to_string(*s.CountNodes()) + " edges " + std::to_string(*s.CountEdges());
  for (const std::string& name : store.KnownEdgeTypes()) {
    out += " " + name + "=" + std::to_string(*s.CountEdgeType(*store.EdgeTypeIdFor(name)));
  }
  out += "\n";
  auto files = s.ListFiles();
  if (!files.ok()) return "no files";
  for (const FileRecord& f : *files) {
    out += "file " + f.path + " " + f.content_hash + " " + f.language + " " +
           std::to_string(f.size) + " " + std::to_string(f.node_count) + " " +
           std::to_string(f.edge_count) + " text=" + *s.GetFileText(f.path) + "\n";
  }
  return out;
}

// Random batches with everything ApplyBatch distinguishes: files replaced within the load,
// shared nodes upserted by many files, graph-level batches, label-less nodes, user labels and
// types, cross-file and dangling edges, parallel edges.
std::vector<FactBatch> RandomBatches(std::mt19937* rng, int count, int round) {
  const std::vector<std::string> labels = {"Function", "Class", "Gadget" + std::to_string(round)};
  const std::vector<std::string> types = {"CALLS", "CONTAINS", "WIRES_" + std::to_string(round)};
  auto id = [](int f, int i) { return "f" + std::to_string(f) + ".py:n" + std::to_string(i); };
  std::vector<FactBatch> out;
  for (int b = 0; b < count; ++b) {
    int f = static_cast<int>((*rng)() % 12);
    bool graph_level = (*rng)() % 10 == 0;
    FactBatch batch = Batch(graph_level ? "" : "f" + std::to_string(f) + ".py", {}, {},
                            "text " + std::to_string(b) + " of round " + std::to_string(round));
    std::vector<std::string> mine;
    for (int i = 0; i < 8; ++i) {
      if ((*rng)() % 3 == 0) continue;
      std::string nid = graph_level ? "g:n" + std::to_string(i) : id(f, i);
      std::vector<std::string> ls;
      if ((*rng)() % 5 != 0) ls.push_back(labels[(*rng)() % labels.size()]);
      batch.nodes.push_back(N(nid, ls, {{"name", "Nm" + std::to_string(i % 3)}}));
      mine.push_back(nid);
    }
    if ((*rng)() % 2 == 0) {
      std::string ext = "ext:" + std::to_string((*rng)() % 4);
      batch.nodes.push_back(Shared(ext, {"External"}, {{"name", ext}, {"b", b}}));
    }
    int edges = static_cast<int>((*rng)() % 12);
    for (int i = 0; i < edges && !mine.empty(); ++i) {
      std::string dst = (*rng)() % 4 == 0 ? "ext:" + std::to_string((*rng)() % 5)
                                          : id(static_cast<int>((*rng)() % 12), (*rng)() % 8);
      batch.edges.push_back(E(mine[(*rng)() % mine.size()], types[(*rng)() % types.size()], dst,
                              {{"line", static_cast<int64_t>((*rng)() % 3)}}));
    }
    out.push_back(std::move(batch));
  }
  return out;
}

TEST_F(GraphStoreTest, BulkLoadEqualsApplyBatch) {
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::mt19937 rng(77);
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Round 0 loads into an empty graph, later rounds over existing facts.
    std::vector<FactBatch> batches = RandomBatches(&rng, 60, round);
    for (const FactBatch& b : batches) Apply("one", b);
    ASSERT_TRUE(store_->BulkLoad("bulk", batches).ok());
    auto a = Snap("one");
    auto b = Snap("bulk");
    ASSERT_TRUE(a && b);
    std::string want = DumpGraph(*store_, *a);
    EXPECT_GT(want.size(), 1000u);
    EXPECT_EQ(DumpGraph(*store_, *b), want);
    ExpectConsistent("bulk");
  }
  // Durable without a write-ahead log: the data survives reopening.
  std::string want = DumpGraph(*store_, *Snap("one"));
  Reopen();
  EXPECT_EQ(DumpGraph(*store_, *Snap("bulk")), want);
  ExpectConsistent("bulk");
}

TEST_F(GraphStoreTest, BulkLoadStopsAtTheFirstBadBatch) {
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::mt19937 rng(5);
  std::vector<FactBatch> batches = RandomBatches(&rng, 10, 0);
  batches.insert(batches.begin() + 6, Batch("bad.py", {N("bad.py:x", {"Function"}, {{"id", 1}})}));
  for (size_t i = 0; i < 6; ++i) Apply("one", batches[i]);
  Status s = store_->BulkLoad("bulk", batches);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find("bad.py"), std::string::npos) << s.ToString();
  EXPECT_EQ(DumpGraph(*store_, *Snap("bulk")), DumpGraph(*store_, *Snap("one")));

  EXPECT_TRUE(store_->BulkLoad("missing", batches).IsNotFound());
  EXPECT_TRUE(store_->NewBulkWriter("missing").status().IsNotFound());
  auto writer = store_->NewBulkWriter("bulk");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(batches[7]).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_TRUE((*writer)->Finish().ok());
  EXPECT_TRUE((*writer)->Add(batches[8]).IsInvalidArgument());
  writer->reset();
  Apply("bulk", batches[8]);  // the write lock is free again
  ExpectConsistent("bulk");
}

// Batches for a load into an empty graph: every file once, in an order where many edges point
// at nodes of files that come later (dangling until then), shared nodes upserted by many files,
// graph-level batches (one applied twice: parallel edges), label-less nodes, user labels/types
// and trigram-heavy names.
std::vector<FactBatch> FreshBatches(int files) {
  std::vector<FactBatch> out;
  auto id = [](int f, int i) { return "pkg/f" + std::to_string(f) + ".py:n" + std::to_string(i); };
  FactBatch tree = Batch("", {Shared("repo", {"Repository"}, {{"name", "repo"}})});
  for (int f = 0; f < files; ++f) {
    tree.edges.push_back(E("repo", "CONTAINS", "pkg/f" + std::to_string(f) + ".py"));
  }
  out.push_back(tree);
  for (int f = 0; f < files; ++f) {
    FactBatch b =
        Batch("pkg/f" + std::to_string(f) + ".py", {}, {}, "text of " + std::to_string(f));
    b.nodes.push_back(N("pkg/f" + std::to_string(f) + ".py", {"File"},
                        {{"name", "f" + std::to_string(f) + ".py"},
                         {"path", "pkg/f" + std::to_string(f) + ".py"}}));
    for (int i = 0; i < 6; ++i) {
      std::vector<std::string> labels;
      if (i % 5 != 4) labels.push_back(i % 3 == 0 ? "Function" : (i % 3 == 1 ? "Class" : "Widget"));
      b.nodes.push_back(N(id(f, i), labels,
                          {{"name", "handle_request_" + std::to_string((f + i) % 7)},
                           {"qualified_name", "f" + std::to_string(f) + ".n" + std::to_string(i)},
                           {"path", b.path},
                           {"start_line", int64_t{i * 10 + 1}},
                           {"end_line", int64_t{i * 10 + 9}}}));
      b.edges.push_back(E(b.path, "CONTAINS", id(f, i)));
    }
    // Forward and backward references, a parallel pair, and a target that never exists.
    b.edges.push_back(E(id(f, 1), "CALLS", id((f + 3) % files, 2), {{"line", int64_t{f}}}));
    b.edges.push_back(E(id(f, 1), "CALLS", id((f + 3) % files, 2), {{"line", int64_t{f + 1}}}));
    b.edges.push_back(E(id(f, 2), "CALLS", id((f + files - 1) % files, 0)));
    b.edges.push_back(E(id(f, 3), "WIRES", "nowhere:" + std::to_string(f % 4)));
    b.edges.push_back(E(id(f, 0), "IMPORTS", "ext:os"));
    // Shared nodes: upserted by many files, with merged properties and united labels.
    b.nodes.push_back(Shared("ext:os", {f % 2 == 0 ? "External" : "Module"},
                             {{"name", "os"}, {"seen_by_" + std::to_string(f % 3), true}}));
    out.push_back(std::move(b));
    if (f == files / 2) {
      FactBatch g = Batch("", {N("g:hub", {"Gadget"}, {{"name", "hub"}})},
                          {E("g:hub", "CALLS", id(0, 1)), E("g:hub", "CALLS", id(files - 1, 1))});
      out.push_back(g);
      out.push_back(g);  // twice: parallel edges
    }
  }
  return out;
}

// A fresh load's SST files are synced while it merges; the ingestion's syncs of the linked
// files are then skipped and its folder syncs made once, before the MANIFEST names the files
// (crash safety: a MANIFEST never names a file whose link is not on disk).
TEST_F(GraphStoreTest, FreshBulkLoadSyncsTheFolderOnceBeforeTheManifest) {
  const test_hooks::IngestSyncStats before = test_hooks::GetIngestSyncStats(*store_);
  // A small load (one WriteBatch, no files) ingests nothing.
  ASSERT_TRUE(store_->CreateGraph("small").ok());
  ASSERT_TRUE(store_->BulkLoad("small", FreshBatches(20)).ok());
  test_hooks::IngestSyncStats after = test_hooks::GetIngestSyncStats(*store_);
  EXPECT_EQ(after.skipped_file_syncs, before.skipped_file_syncs);
  EXPECT_EQ(after.deferred_dir_syncs_made, before.deferred_dir_syncs_made);
  // A spilled load writes and ingests one file per column family.
  const size_t old = test_hooks::SetFreshLoadSpillBytes(4096);
  ASSERT_TRUE(store_->CreateGraph("large").ok());
  std::vector<FactBatch> batches = FreshBatches(150);
  ASSERT_TRUE(store_->BulkLoad("large", batches).ok());
  test_hooks::SetFreshLoadSpillBytes(old);
  after = test_hooks::GetIngestSyncStats(*store_);
  EXPECT_GE(after.skipped_file_syncs - before.skipped_file_syncs, 10u);  // nodes, ids, edges...
  EXPECT_GE(after.deferred_dir_syncs - before.deferred_dir_syncs, 1u);
  EXPECT_EQ(after.deferred_dir_syncs_made - before.deferred_dir_syncs_made, 1u);
  EXPECT_EQ(after.made_before_manifest_append - before.made_before_manifest_append, 1u);
  // Later writes sync as usual (nothing deferred outside a load's ingestion).
  Apply("large", Batch("late.py", {N("late:node", {"Function"}, {{"name", "late"}})}));
  const test_hooks::IngestSyncStats later = test_hooks::GetIngestSyncStats(*store_);
  EXPECT_EQ(later.deferred_dir_syncs, after.deferred_dir_syncs);
  EXPECT_EQ(later.skipped_file_syncs, after.skipped_file_syncs);
  // Durable and complete.
  ASSERT_TRUE(store_->CreateGraph("ref").ok());
  for (const FactBatch& b : batches) Apply("ref", b);
  Apply("ref", Batch("late.py", {N("late:node", {"Function"}, {{"name", "late"}})}));
  const std::string want = DumpGraph(*store_, *Snap("ref"));
  Reopen();
  EXPECT_EQ(DumpGraph(*store_, *Snap("large")), want);
  ExpectConsistent("large");
}

TEST_F(GraphStoreTest, FreshBulkLoadEqualsApplyBatch) {
  for (size_t spill : {size_t{1} << 30, size_t{4096}}) {  // in memory; many spilled runs
    SCOPED_TRACE("spill bytes " + std::to_string(spill));
    const size_t old = test_hooks::SetFreshLoadSpillBytes(spill);
    const std::string one = "one" + std::to_string(spill), bulk = "bulk" + std::to_string(spill);
    ASSERT_TRUE(store_->CreateGraph(one).ok());
    ASSERT_TRUE(store_->CreateGraph(bulk).ok());
    // 150 files: over 1000 ids, so the load's id table grows past its first size.
    std::vector<FactBatch> batches = FreshBatches(150);
    for (const FactBatch& b : batches) Apply(one, b);
    auto writer = store_->NewBulkWriter(bulk);
    ASSERT_TRUE(writer.ok());
    for (size_t i = 0; i < batches.size(); ++i) {
      ASSERT_TRUE((*writer)->Add(batches[i]).ok()) << i;
      if (i == batches.size() / 2) {
        // Readers see nothing of a fresh load before Finish().
        auto mid = Snap(bulk);
        ASSERT_NE(mid, nullptr);
        EXPECT_EQ(Count(mid->CountNodes()), 0u);
        NodeKey k = 0;
        EXPECT_FALSE(mid->ScanAll()->Next(&k));
      }
    }
    ASSERT_TRUE((*writer)->Finish().ok());
    writer->reset();
    test_hooks::SetFreshLoadSpillBytes(old);
    auto a = Snap(one);
    auto b = Snap(bulk);
    ASSERT_TRUE(a && b);
    const std::string want = DumpGraph(*store_, *a);
    EXPECT_GT(want.size(), 5000u);
    EXPECT_EQ(DumpGraph(*store_, *b), want);
    ExpectConsistent(bulk);
    // The same keys in every column family (same key allocation, same index entries).
    auto ga = store_->GetGraph(one);
    auto gb = store_->GetGraph(bulk);
    ASSERT_TRUE(ga.ok() && gb.ok());
    EXPECT_EQ(*test_hooks::CountGraphKeys(*store_, gb->id),
              *test_hooks::CountGraphKeys(*store_, ga->id));
    // Index scans answer alike.
    EXPECT_EQ(IdsOf(*b, b->ScanQualifiedNameSuffix(".n3")),
              IdsOf(*a, a->ScanQualifiedNameSuffix(".n3")));
    EXPECT_EQ(IdsOf(*b, b->ScanNameTrigrams({"request_3"})),
              IdsOf(*a, a->ScanNameTrigrams({"request_3"})));
    EXPECT_EQ(IdsOf(*b, b->ScanAtLine("pkg/f7.py", 25)), IdsOf(*a, a->ScanAtLine("pkg/f7.py", 25)));
    // Later writes keep working on a bulk-loaded graph (counts, seqs, dangling flags).
    FactBatch again = batches[5];
    again.edges.push_back(E(again.nodes[1].id, "CALLS", "late:node"));
    Apply(one, again);
    Apply(bulk, again);
    Apply(one, Batch("late.py", {N("late:node", {"Function"}, {{"name", "late"}})}));
    Apply(bulk, Batch("late.py", {N("late:node", {"Function"}, {{"name", "late"}})}));
    ASSERT_TRUE(store_->DeleteFile(one, batches[7].path).ok());
    ASSERT_TRUE(store_->DeleteFile(bulk, batches[7].path).ok());
    a = Snap(one);
    b = Snap(bulk);
    EXPECT_EQ(DumpGraph(*store_, *b), DumpGraph(*store_, *a));
    ExpectConsistent(bulk);
  }
  // Durable: the data survives reopening, and no temporary files are left behind.
  std::string want = DumpGraph(*store_, *Snap("one4096"));
  Reopen();
  EXPECT_EQ(DumpGraph(*store_, *Snap("bulk4096")), want);
  for (const auto& entry : std::filesystem::directory_iterator(db_path_)) {
    EXPECT_EQ(entry.path().filename().string().rfind("bulk-tmp", 0), std::string::npos)
        << entry.path();
  }
}

// A fresh load writes the graph's node-key counter just before it ingests its files: a load
// killed in between leaves the graph empty with an advanced counter. The next load into it is
// then not a fresh one (the counter says keys were handed out) and goes through the general
// path, with the same outcome as ApplyBatch.
TEST_F(GraphStoreTest, ABulkLoadIntoAnEmptyGraphWithAnAdvancedCounterEqualsApplyBatch) {
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  auto info = store_->GetGraph("bulk");
  ASSERT_TRUE(info.ok());
  std::string key, value;
  EncodeMetaGraphCounterKey(&key, info->id, GraphCounter::kNextNodeKey);
  AppendU64(&value, 5000);  // as a killed load of ~5000 keys left it
  ASSERT_TRUE(test_hooks::RawWrite(*store_, CfName(Cf::kMeta), key, value).ok());
  std::vector<FactBatch> batches = FreshBatches(40);
  for (const FactBatch& b : batches) Apply("one", b);
  auto writer = store_->NewBulkWriter("bulk");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  for (size_t i = 0; i < batches.size(); ++i) ASSERT_TRUE((*writer)->Add(batches[i]).ok()) << i;
  ASSERT_TRUE((*writer)->Finish().ok());
  writer->reset();
  auto a = Snap("one");
  auto b = Snap("bulk");
  ASSERT_TRUE(a && b);
  const std::string want = DumpGraph(*store_, *a);
  EXPECT_GT(want.size(), 1000u);
  EXPECT_EQ(DumpGraph(*store_, *b), want);
  ExpectConsistent("bulk");
  // Its keys come after the counter's value.
  auto n = b->FindNode(batches[0].nodes[0].id);
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_GE(**n, NodeKey{5000});
}

// A fresh load keeps in memory only the records of nodes no file owns. A batch that upserts a
// node a file of the load owns (as a shared fact), or claims it for another file (an error),
// makes the load store what it holds and go on against RocksDB: the outcome is ApplyBatch's.
TEST_F(GraphStoreTest, FreshBulkLoadUpsertingAnOwnedNodeEqualsApplyBatch) {
  ForEachSpillSetting(2048, [&](const std::string& one, const std::string& bulk) {
    std::vector<FactBatch> batches;
    for (int f = 0; f < 6; ++f) {  // files that own their functions
      const std::string path = "pkg/o" + std::to_string(f) + ".py";
      const std::string fn = "pkg.o" + std::to_string(f) + ".run";
      batches.push_back(Batch(path,
                              {N(path, {"File"}, {{"name", "o" + std::to_string(f) + ".py"}}),
                               N(fn, {"Function"}, {{"name", "run"}, {"start_line", int64_t{f}}})},
                              {E(path, "CONTAINS", fn), E(fn, "CALLS", "pkg.o0.run")}));
    }
    // A shared upsert of pkg.o1.run (owned by pkg/o1.py): a label and a property added.
    batches.push_back(Batch("pkg/user.py",
                            {N("pkg/user.py", {"File"}, {{"name", "user.py"}}),
                             Shared("pkg.o1.run", {"Function", "Tested"}, {{"doc", "runs"}})},
                            {E("pkg/user.py", "IMPORTS", "pkg.o1.run")}));
    // Another file claiming pkg.o2.run: refused, as ApplyBatch refuses it.
    const FactBatch thief = Batch("pkg/thief.py", {N("pkg.o2.run", {"Function"}, {{"name", "x"}})});
    batches.push_back(Batch("pkg/after.py", {N("pkg/after.py", {"File"}, {{"name", "after.py"}})},
                            {E("pkg/after.py", "CALLS", "pkg.o1.run")}));
    for (const FactBatch& b : batches) Apply(one, b);
    Status refused = store_->ApplyBatch(one, thief);
    EXPECT_TRUE(refused.IsInvalidArgument()) << refused.ToString();
    auto writer = store_->NewBulkWriter(bulk);
    ASSERT_TRUE(writer.ok());
    for (size_t i = 0; i < batches.size(); ++i) {
      Status s = (*writer)->Add(batches[i]);
      ASSERT_TRUE(s.ok()) << i << ": " << s.ToString();
      if (i == 6) {  // just after the shared upsert
        Status t = (*writer)->Add(thief);
        EXPECT_TRUE(t.IsInvalidArgument()) << t.ToString();
        EXPECT_NE(t.message().find("owned by file 'pkg/o2.py'"), std::string::npos) << t.message();
      }
    }
    ASSERT_TRUE((*writer)->Finish().ok());
    writer->reset();
    auto a = Snap(one);
    auto b = Snap(bulk);
    ASSERT_TRUE(a && b);
    const std::string want = DumpGraph(*store_, *a);
    EXPECT_NE(want.find("Tested"), std::string::npos);
    EXPECT_EQ(DumpGraph(*store_, *b), want);
    ExpectConsistent(bulk);
  });
}

// A fresh load rewrites only the record of a re-upserted node whose labels and indexed
// properties stay the same, and removes and re-puts its entries when they change: each upsert
// below is unchanged, adds a plain property, renames, moves lines, or adds a label.
TEST_F(GraphStoreTest, FreshBulkLoadReupsertsSharedNodesLikeApplyBatch) {
  ForEachSpillSetting(2048, [&](const std::string& one, const std::string& bulk) {
    const std::vector<Properties> props = {
        {{"name", "shared_thing"}, {"path", "lib/x.py"}, {"start_line", int64_t{3}}},
        {{"name", "shared_thing"}, {"path", "lib/x.py"}, {"start_line", int64_t{3}}},
        {{"name", "shared_thing"}, {"doc", "more"}},
        {{"name", "renamed_thing"}, {"qualified_name", "lib.x.renamed_thing"}},
        {{"start_line", int64_t{7}}, {"end_line", int64_t{9}}},
        {{"name", "renamed_thing"}},
        {{"name", "renamed_thing"}, {"qualified_name", "lib.x.renamed_thing"}},
        {{"path", "lib/y.py"}},
    };
    std::vector<FactBatch> batches;
    for (size_t f = 0; f < props.size(); ++f) {
      const std::string path = "pkg/u" + std::to_string(f) + ".py";
      std::vector<std::string> labels = {"External"};
      if (f == 5 || f == 6) labels.push_back(f == 5 ? "Module" : "Gadget");
      batches.push_back(Batch(path,
                              {N(path, {"File"}, {{"name", "u" + std::to_string(f) + ".py"}}),
                               Shared("ext:thing", labels, props[f])},
                              {E(path, "IMPORTS", "ext:thing")}));
    }
    for (const FactBatch& b : batches) Apply(one, b);
    ASSERT_TRUE(store_->BulkLoad(bulk, batches).ok());
    auto a = Snap(one);
    auto b = Snap(bulk);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(DumpGraph(*store_, *b), DumpGraph(*store_, *a));
    ExpectConsistent(bulk);
    auto ga = store_->GetGraph(one);
    auto gb = store_->GetGraph(bulk);
    ASSERT_TRUE(ga.ok() && gb.ok());
    EXPECT_EQ(*test_hooks::CountGraphKeys(*store_, gb->id),
              *test_hooks::CountGraphKeys(*store_, ga->id));
    EXPECT_EQ(IdsOf(*b, b->ScanNameTrigrams({"renamed"})),
              IdsOf(*a, a->ScanNameTrigrams({"renamed"})));
    EXPECT_TRUE(IdsOf(*b, b->ScanNameTrigrams({"shared"})).empty());
    EXPECT_EQ(IdsOf(*b, b->ScanAtLine("lib/y.py", 8)), IdsOf(*a, a->ScanAtLine("lib/y.py", 8)));
    EXPECT_EQ(IdsOf(*b, b->ScanAtLine("lib/y.py", 8)).size(), 1u);
  });
}

// Spilled runs larger than the merge's read buffer (256 KiB): operations that straddle a buffer
// boundary, and file texts larger than the whole buffer, read back byte for byte.
TEST_F(GraphStoreTest, FreshBulkLoadMergesRunsLargerThanItsReadBuffer) {
  const size_t old = test_hooks::SetFreshLoadSpillBytes(size_t{2} << 20);
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::vector<FactBatch> batches = FreshBatches(1500);
  std::mt19937 rng(11);
  for (size_t i = 0; i < batches.size(); i += 97) {
    if (batches[i].path.empty()) continue;
    std::string text(300'000 + rng() % 700'000, ' ');  // up to ~1 MB: several buffers
    for (char& c : text) c = static_cast<char>('a' + rng() % 26);
    batches[i].text = std::move(text);
  }
  for (const FactBatch& b : batches) Apply("one", b);
  ASSERT_TRUE(store_->BulkLoad("bulk", batches).ok());
  test_hooks::SetFreshLoadSpillBytes(old);
  auto a = Snap("one");
  auto b = Snap("bulk");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(DumpGraph(*store_, *b), DumpGraph(*store_, *a));
  ExpectConsistent("bulk");
  auto ga = store_->GetGraph("one");
  auto gb = store_->GetGraph("bulk");
  ASSERT_TRUE(ga.ok() && gb.ok());
  EXPECT_EQ(*test_hooks::CountGraphKeys(*store_, gb->id),
            *test_hooks::CountGraphKeys(*store_, ga->id));
  for (size_t i = 0; i < batches.size(); i += 97) {
    if (batches[i].path.empty()) continue;
    auto text = b->GetFileText(batches[i].path);
    ASSERT_TRUE(text.ok()) << batches[i].path;
    EXPECT_EQ(*text, batches[i].text) << batches[i].path;
  }
}

TEST_F(GraphStoreTest, FreshBulkLoadThatReplacesAFileEqualsApplyBatch) {
  // A file added twice in one load ends the fresh path mid-load (what it holds is stored) and
  // the rest goes through the general path; the result is still exactly ApplyBatch's.
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::vector<FactBatch> batches = FreshBatches(12);
  FactBatch replaced = batches[3];
  replaced.nodes.pop_back();
  replaced.nodes[1].props["name"] = "renamed";
  replaced.edges.pop_back();
  batches.push_back(replaced);
  batches.push_back(batches[8]);  // unchanged
  for (const FactBatch& b : batches) Apply("one", b);
  ASSERT_TRUE(store_->BulkLoad("bulk", batches).ok());
  EXPECT_EQ(DumpGraph(*store_, *Snap("bulk")), DumpGraph(*store_, *Snap("one")));
  ExpectConsistent("bulk");
}

TEST_F(GraphStoreTest, FreshBulkLoadErrorsLeaveEarlierBatches) {
  ASSERT_TRUE(store_->CreateGraph("one").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::vector<FactBatch> batches = FreshBatches(8);
  // After the refused batches, later ones allocate keys as if those never were, including for
  // the id the refused batch mentioned first, and for an edge to it made before it exists.
  FactBatch late =
      Batch("late.py", {N("late.py:x", {"Function"})}, {E("late.py:x", "CALLS", "bad.py:fresh")});
  FactBatch later = Batch("later.py", {N("bad.py:fresh", {"Function"}, {{"name", "fresh"}})});
  const std::vector<const FactBatch*> after = {&batches[5], &late, &batches[6], &later,
                                               &batches[7]};
  for (size_t i = 0; i < 5; ++i) Apply("one", batches[i]);
  for (const FactBatch* b : after) Apply("one", *b);
  auto writer = store_->NewBulkWriter("bulk");
  ASSERT_TRUE(writer.ok());
  for (size_t i = 0; i < 5; ++i) ASSERT_TRUE((*writer)->Add(batches[i]).ok());
  // Claims a node another file owns: refused, nothing of it applied (its new id neither).
  FactBatch bad = Batch("bad.py", {N("bad.py:fresh", {"Function"}), N(batches[2].nodes[1].id, {})});
  EXPECT_TRUE((*writer)->Add(bad).IsInvalidArgument());
  EXPECT_TRUE((*writer)->Add(Batch("bad2.py", {N("", {})})).IsInvalidArgument());
  for (const FactBatch* b : after) ASSERT_TRUE((*writer)->Add(*b).ok()) << b->path;
  ASSERT_TRUE((*writer)->Finish().ok());
  writer->reset();
  EXPECT_EQ(DumpGraph(*store_, *Snap("bulk")), DumpGraph(*store_, *Snap("one")));
  auto ga = store_->GetGraph("one");
  auto gb = store_->GetGraph("bulk");
  ASSERT_TRUE(ga.ok() && gb.ok());
  EXPECT_EQ(*test_hooks::CountGraphKeys(*store_, gb->id),
            *test_hooks::CountGraphKeys(*store_, ga->id));
  ExpectConsistent("bulk");
}

// ExpandNeighbors gives, per node, exactly the other ends of what ExpandKeys yields, in the same
// order: parallel edges repeated, dangling edges skipped, self-loops, duplicates and absent keys.
TEST_F(GraphStoreTest, ExpandNeighborsMatchesExpandKeys) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  std::mt19937 rng(11);
  for (int f = 0; f < 6; ++f) {
    FactBatch b = Batch("m" + std::to_string(f) + ".py", {});
    for (int i = 0; i < 10; ++i) {
      b.nodes.push_back(N("m" + std::to_string(f) + ":" + std::to_string(i), {"Function"}));
    }
    for (int e = 0; e < 40; ++e) {
      std::string src = "m" + std::to_string(f) + ":" + std::to_string(rng() % 10);
      std::string dst = "m" + std::to_string(rng() % 7) + ":" + std::to_string(rng() % 10);
      b.edges.push_back(E(src, e % 3 == 0 ? "CALLS" : (e % 3 == 1 ? "IMPORTS" : "WIRES"), dst));
      if (e % 7 == 0) b.edges.push_back(E(src, "CALLS", src));  // self-loop
    }
    Apply("g", b);
  }
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  std::vector<NodeKey> all;
  NodeKey k = 0;
  for (auto c = s->ScanAll(); c->Next(&k);) all.push_back(k);
  ASSERT_EQ(all.size(), 60u);
  std::vector<NodeKey> nodes;
  for (int i = 0; i < 200; ++i) nodes.push_back(all[rng() % all.size()]);  // with repeats
  nodes.push_back(0);
  nodes.push_back(1u << 30);
  nodes.push_back(KeyOf(*s, "m0:0") + 1000);
  size_t total = 0;
  for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    for (std::optional<EdgeTypeId> type :
         {std::optional<EdgeTypeId>(), std::optional<EdgeTypeId>(Type("CALLS"))}) {
      std::vector<NodeKey> neighbors;
      std::vector<size_t> offsets;
      ASSERT_TRUE(s->ExpandNeighbors(nodes, dir, type, &neighbors, &offsets).ok());
      ASSERT_EQ(offsets.size(), nodes.size() + 1);
      ASSERT_EQ(offsets.back(), neighbors.size());
      for (size_t i = 0; i < nodes.size(); ++i) {
        // kBoth = the out-phase (targets) then the in-phase (sources).
        std::vector<NodeKey> want;
        for (Direction phase : {Direction::kOut, Direction::kIn}) {
          if (dir != Direction::kBoth && dir != phase) continue;
          auto c = s->ExpandKeys(nodes[i], phase, type);
          EdgeRecord e;
          while (c->Next(&e)) want.push_back(phase == Direction::kIn ? e.src : e.dst);
          ASSERT_TRUE(c->status().ok());
        }
        std::vector<NodeKey> got(neighbors.begin() + static_cast<ptrdiff_t>(offsets[i]),
                                 neighbors.begin() + static_cast<ptrdiff_t>(offsets[i + 1]));
        EXPECT_EQ(got, want) << "node " << nodes[i] << " dir " << static_cast<int>(dir);
        total += got.size();
      }
    }
  }
  EXPECT_GT(total, 1000u);
  std::vector<NodeKey> neighbors = {1, 2, 3};
  std::vector<size_t> offsets = {7};
  ASSERT_TRUE(s->ExpandNeighbors({}, Direction::kOut, std::nullopt, &neighbors, &offsets).ok());
  EXPECT_TRUE(neighbors.empty());
  EXPECT_EQ(offsets, std::vector<size_t>{0});
}

TEST_F(GraphStoreTest, GetNodeValuesProjectsGetNodes) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  FactBatch b = Batch("a.py", {});
  for (int i = 0; i < 300; ++i) {
    Properties props = {{"name", "n" + std::to_string(i % 7)}, {"i", i}};
    if (i % 3 == 0) props["tags"] = Value(ValueList{Value("x"), Value(int64_t{i})});
    if (i % 5 == 0) props.erase("name");
    b.nodes.push_back(N("a.py:n" + std::to_string(i), {"Function"}, props));
  }
  Apply("g", b);
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  std::vector<NodeKey> keys;
  NodeKey k = 0;
  for (auto c = s->ScanAll(); c->Next(&k);) keys.push_back(k);
  keys.push_back(0);
  keys.push_back(keys[3]);
  keys.push_back(1u << 30);
  const std::vector<std::string> names = {"tags", "id", "name", "missing", "i"};
  std::vector<std::optional<std::vector<Value>>> got;
  ASSERT_TRUE(s->GetNodeValues(keys, names, &got).ok());
  std::vector<std::optional<NodeRecord>> full;
  ASSERT_TRUE(s->GetNodes(keys, &full).ok());
  ASSERT_EQ(got.size(), keys.size());
  size_t present = 0, named = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(got[i].has_value(), full[i].has_value()) << keys[i];
    if (!got[i]) continue;
    ++present;
    testing::ExpectProjectionOf(*full[i], names, *got[i]);
    named += !(*got[i])[2].is_null();
  }
  EXPECT_EQ(present, 301u);
  EXPECT_EQ(named, 241u);  // 300 - 60 without a name, + the repeated key (3 has a name)
  ASSERT_TRUE(s->GetNodeValues({}, names, &got).ok());
  EXPECT_TRUE(got.empty());
}

TEST_F(GraphStoreTest, GetNodesMatchesGetNode) {
  ASSERT_TRUE(store_->CreateGraph("g").ok());
  FactBatch b = Batch("a.py", {});
  for (int i = 0; i < 300; ++i) {
    b.nodes.push_back(N("a.py:n" + std::to_string(i), {"Function"}, {{"name", "n"}, {"i", i}}));
  }
  Apply("g", b);
  Apply("g", Batch("", {N("solo", {})}, {E("solo", "CALLS", "gone")}));  // "gone" has a key only
  auto s = Snap("g");
  ASSERT_NE(s, nullptr);
  std::vector<NodeKey> keys;
  NodeKey k = 0;
  for (auto c = s->ScanAll(); c->Next(&k);) keys.push_back(k);
  ASSERT_EQ(keys.size(), 301u);
  std::reverse(keys.begin(), keys.end());
  keys.push_back(keys[5]);                // duplicates are fine
  keys.push_back(0);                      // never valid
  keys.push_back(1u << 30);               // never allocated
  keys.push_back(KeyOf(*s, "solo") + 1);  // allocated for "gone", no node
  std::vector<std::optional<NodeRecord>> got;
  ASSERT_TRUE(s->GetNodes(keys, &got).ok());
  ASSERT_EQ(got.size(), keys.size());
  size_t present = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto one = s->GetNode(keys[i]);
    ASSERT_TRUE(one.ok());
    ASSERT_EQ(got[i].has_value(), one->has_value()) << "key " << keys[i];
    if (!got[i]) continue;
    ++present;
    EXPECT_EQ(got[i]->key, keys[i]);
    EXPECT_EQ(got[i]->id, (*one)->id);
    EXPECT_EQ(got[i]->labels, (*one)->labels);
    EXPECT_EQ(got[i]->props, (*one)->props);
  }
  EXPECT_EQ(present, 302u);
  ASSERT_TRUE(s->GetNodes({}, &got).ok());
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace kg::storage
