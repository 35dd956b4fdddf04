// The property indexes of Snapshot (qualified name exact and suffix, label+name prefix, path
// prefix, entity at line, name trigrams): semantics on a small graph, and exactness under
// replace, delete, drop and bulk load checked against a brute-force scan of every node.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/schema.h"
#include "storage/graph_store.h"
#include "storage/test_hooks.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

using testing::Sym;

Properties Def(std::string name, std::string qn, std::string path, int64_t start, int64_t end) {
  return {{"name", name},
          {"qualified_name", qn},
          {"path", path},
          {"start_line", start},
          {"end_line", end}};
}

FactBatch ShapesFile() {
  FactBatch b;
  b.path = "pkg/shapes.py";
  b.nodes = {
      Sym("pkg/shapes.py", "File", {{"name", "shapes.py"}, {"path", "pkg/shapes.py"}}),
      Sym("pkg/shapes.py:pkg.shapes", "Module",
          Def("shapes", "pkg.shapes", "pkg/shapes.py", 1, 40)),
      Sym("pkg/shapes.py:Shape", "Class", Def("Shape", "pkg.shapes.Shape", "pkg/shapes.py", 3, 20)),
      Sym("pkg/shapes.py:Shape.area", "Method",
          Def("area", "pkg.shapes.Shape.area", "pkg/shapes.py", 5, 9)),
      Sym("pkg/shapes.py:Shape.get_area", "Method",
          Def("get_area", "pkg.shapes.Shape.get_area", "pkg/shapes.py", 10, 12)),
      Sym("pkg/shapes.py:area", "Function",
          Def("area", "pkg.shapes.area", "pkg/shapes.py", 22, 30)),
      Sym("pkg/shapes.py:ShapeArea", "Class",
          Def("ShapeArea", "pkg.shapes.ShapeArea", "pkg/shapes.py", 22, 25)),  // same start
  };
  return b;
}

class IndexScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = GraphStore::Open(dir_.sub("db"), testing::FastOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    store_ = std::move(r).value();
    ASSERT_TRUE(store_->CreateGraph("g").ok());
  }

  std::unique_ptr<Snapshot> Snap(std::string_view g = "g") {
    auto r = store_->GetSnapshot(g);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  // Ids in cursor order.
  std::vector<std::string> Scan(Snapshot& s, std::unique_ptr<NodeCursor> c) {
    std::vector<std::string> ids;
    NodeKey k = 0;
    while (c->Next(&k)) {
      auto n = s.GetNode(k);
      EXPECT_TRUE(n.ok() && n->has_value()) << "index names missing node " << k;
      if (n.ok() && n->has_value()) ids.push_back((*n)->id);
    }
    EXPECT_TRUE(c->status().ok()) << c->status().ToString();
    return ids;
  }
  std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  LabelId L(std::string_view name) { return *store_->LabelIdFor(name); }

  TempDir dir_;
  std::unique_ptr<GraphStore> store_;
};

using Ids = std::vector<std::string>;

TEST_F(IndexScanTest, QualifiedNameExactAndSuffix) {
  ASSERT_TRUE(store_->ApplyBatch("g", ShapesFile()).ok());
  auto s = Snap();
  EXPECT_EQ(Scan(*s, s->ScanQualifiedName("pkg.shapes.Shape")), Ids{"pkg/shapes.py:Shape"});
  EXPECT_EQ(Scan(*s, s->ScanQualifiedName("pkg.shapes.Sha")), Ids{});  // exact only
  EXPECT_EQ(Scan(*s, s->ScanQualifiedName("pkg.shapes.Shape", L("Method"))), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanQualifiedName("pkg.shapes.Shape", L("Class"))),
            Ids{"pkg/shapes.py:Shape"});
  EXPECT_EQ(Sorted(Scan(*s, s->ScanQualifiedNameSuffix(".area"))),
            (Ids{"pkg/shapes.py:Shape.area", "pkg/shapes.py:area"}));
  EXPECT_EQ(Sorted(Scan(*s, s->ScanQualifiedNameSuffix("area"))),
            (Ids{"pkg/shapes.py:Shape.area", "pkg/shapes.py:Shape.get_area",
                 "pkg/shapes.py:area"}));  // ShapeArea ends with "Area": case matters
  EXPECT_EQ(Scan(*s, s->ScanQualifiedNameSuffix(".area", L("Function"))),
            Ids{"pkg/shapes.py:area"});
  EXPECT_EQ(Scan(*s, s->ScanQualifiedNameSuffix("")).size(), 6u);  // all with a qualified_name
}

TEST_F(IndexScanTest, LabelNamePrefixExactAndCaseInsensitive) {
  ASSERT_TRUE(store_->ApplyBatch("g", ShapesFile()).ok());
  auto s = Snap();
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Class"), "Shape")),
            (Ids{"pkg/shapes.py:Shape", "pkg/shapes.py:ShapeArea"}));  // name order
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Class"), "shape")), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Class"), "sHAPEa", true)),
            Ids{"pkg/shapes.py:ShapeArea"});
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Method"), "")),
            (Ids{"pkg/shapes.py:Shape.area", "pkg/shapes.py:Shape.get_area"}));
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Function"), "area")), Ids{"pkg/shapes.py:area"});
  EXPECT_EQ(Scan(*s, s->ScanLabelNamePrefix(L("Function"), "areas")), Ids{});
}

TEST_F(IndexScanTest, PathPrefix) {
  ASSERT_TRUE(store_->ApplyBatch("g", ShapesFile()).ok());
  FactBatch other;
  other.path = "pkgx/other.py";
  other.nodes = {
      Sym("pkgx/other.py:f", "Function", Def("f", "pkgx.other.f", "pkgx/other.py", 1, 2)),
      Sym("nopath", "Function", {{"name", "nopath"}})};
  ASSERT_TRUE(store_->ApplyBatch("g", other).ok());
  auto s = Snap();
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("pkg/")).size(), 7u);
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("pkgx/")), Ids{"pkgx/other.py:f"});
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("pkg")).size(), 8u);
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("")).size(), 8u);  // "nopath" has no path
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("pkg/shapes.py")).size(), 7u);
  EXPECT_EQ(Scan(*s, s->ScanPathPrefix("pkg/shapes.pyc")), Ids{});
}

TEST_F(IndexScanTest, AtLineIsInnermostFirst) {
  ASSERT_TRUE(store_->ApplyBatch("g", ShapesFile()).ok());
  auto s = Snap();
  const std::string p = "pkg/shapes.py";
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 6)),
            (Ids{p + ":Shape.area", p + ":Shape", p + ":pkg.shapes"}));
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 3)), (Ids{p + ":Shape", p + ":pkg.shapes"}));
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 21)), (Ids{p + ":pkg.shapes"}));
  // Equal starts: the smaller span first.
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 23)),
            (Ids{p + ":ShapeArea", p + ":area", p + ":pkg.shapes"}));
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 28)), (Ids{p + ":area", p + ":pkg.shapes"}));
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 41)), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, 0)), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanAtLine(p, -5)), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanAtLine("pkg/shapes.p", 6)), Ids{});
  EXPECT_EQ(Scan(*s, s->ScanAtLine("pkg/shapes.pyx", 6)), Ids{});
}

TEST_F(IndexScanTest, NameTrigramsAndEstimate) {
  ASSERT_TRUE(store_->ApplyBatch("g", ShapesFile()).ok());
  auto s = Snap();
  EXPECT_EQ(Sorted(Scan(*s, s->ScanNameTrigrams({"AREA"}))),
            (Ids{"pkg/shapes.py:Shape.area", "pkg/shapes.py:Shape.get_area",
                 "pkg/shapes.py:ShapeArea", "pkg/shapes.py:area"}));
  EXPECT_EQ(Sorted(Scan(*s, s->ScanNameTrigrams({"area", "shape"}))),
            Ids{"pkg/shapes.py:ShapeArea"});
  EXPECT_EQ(Sorted(Scan(*s, s->ScanNameTrigrams({"area", "sh"}))).size(), 4u);  // "sh" ignored
  EXPECT_EQ(Sorted(Scan(*s, s->ScanNameTrigrams({"area"}, L("Method")))),
            (Ids{"pkg/shapes.py:Shape.area", "pkg/shapes.py:Shape.get_area"}));
  EXPECT_EQ(Scan(*s, s->ScanNameTrigrams({"zzz"})), Ids{});
  auto bad = s->ScanNameTrigrams({"ab", ""});
  NodeKey k = 0;
  EXPECT_FALSE(bad->Next(&k));
  EXPECT_TRUE(bad->status().IsInvalidArgument()) << bad->status().ToString();
  EXPECT_TRUE(s->EstimateNameTrigrams({"ab"}).status().IsInvalidArgument());
  auto est = s->EstimateNameTrigrams({"area"});
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est, 4u);
  est = s->EstimateNameTrigrams({"area", "shape"});
  ASSERT_TRUE(est.ok());
  // The smallest posting list: every trigram of "area" and of "shape" is in 4 names.
  EXPECT_EQ(*est, 4u);
  est = s->EstimateNameTrigrams({"get_"});  // "get", "et_": only get_area
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est, 1u);
  est = s->EstimateNameTrigrams({"qqq"});
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est, 0u);
}

// ---- Exactness under writes, against brute force ----

struct Truth {
  std::string id;
  std::vector<LabelId> labels;
  Properties props;
};

const std::string* Str(const Properties& p, const char* k) {
  auto it = p.find(k);
  return it != p.end() && it->second.is_string() ? &it->second.as_string() : nullptr;
}

class IndexExactnessTest : public IndexScanTest {
 protected:
  std::vector<Truth> AllNodes(Snapshot& s) {
    std::vector<Truth> out;
    auto c = s.ScanAll();
    NodeKey k = 0;
    while (c->Next(&k)) {
      auto n = s.GetNode(k);
      EXPECT_TRUE(n.ok() && n->has_value());
      out.push_back(Truth{(*n)->id, (*n)->labels, (*n)->props});
    }
    return out;
  }
  Ids Brute(const std::vector<Truth>& all, const std::function<bool(const Truth&)>& pred) {
    Ids ids;
    for (const Truth& t : all) {
      if (pred(t)) ids.push_back(t.id);
    }
    return Sorted(ids);
  }
  static bool Has(const Truth& t, LabelId l) {
    return std::find(t.labels.begin(), t.labels.end(), l) != t.labels.end();
  }

  // Every scan agrees with brute force for a set of probes.
  void ExpectExact(std::string_view graph) {
    auto report = store_->Fsck(graph);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->ok()) << report->problems.front();
    auto s = Snap(graph);
    ASSERT_TRUE(s);
    std::vector<Truth> all = AllNodes(*s);
    const LabelId fn = L("Function"), cls = L("Class");
    for (const std::string& probe :
         {std::string("ab"), std::string("abc"), std::string("b.c"), std::string("x"),
          std::string("cab"), std::string(""), std::string("ba"), std::string("Ab")}) {
      SCOPED_TRACE("probe '" + probe + "'");
      EXPECT_EQ(Sorted(Scan(*s, s->ScanQualifiedName(probe))), Brute(all, [&](const Truth& t) {
                  const std::string* q = Str(t.props, "qualified_name");
                  return q && *q == probe;
                }));
      EXPECT_EQ(Sorted(Scan(*s, s->ScanQualifiedNameSuffix(probe, fn))),
                Brute(all, [&](const Truth& t) {
                  const std::string* q = Str(t.props, "qualified_name");
                  return q && Has(t, fn) && q->size() >= probe.size() &&
                         q->compare(q->size() - probe.size(), probe.size(), probe) == 0;
                }));
      for (bool ci : {false, true}) {
        EXPECT_EQ(Sorted(Scan(*s, s->ScanLabelNamePrefix(cls, probe, ci))),
                  Brute(all, [&](const Truth& t) {
                    const std::string* n = Str(t.props, "name");
                    if (!n || !Has(t, cls)) return false;
                    std::string name = ci ? schema::ToLowerAscii(*n) : *n;
                    std::string p = ci ? schema::ToLowerAscii(probe) : probe;
                    return name.rfind(p, 0) == 0;
                  }));
      }
      EXPECT_EQ(Sorted(Scan(*s, s->ScanPathPrefix(probe))), Brute(all, [&](const Truth& t) {
                  const std::string* p = Str(t.props, "path");
                  return p && p->rfind(probe, 0) == 0;
                }));
      if (probe.size() >= 3) {
        Ids got = Sorted(Scan(*s, s->ScanNameTrigrams({probe})));
        Ids want = Brute(all, [&](const Truth& t) {
          const std::string* n = Str(t.props, "name");
          return n &&
                 schema::ToLowerAscii(*n).find(schema::ToLowerAscii(probe)) != std::string::npos;
        });
        // A superset that contains every true match; with these short names, exactly them
        // whenever the needle is one trigram.
        for (const std::string& id : want) {
          EXPECT_TRUE(std::binary_search(got.begin(), got.end(), id)) << id;
        }
        if (probe.size() == 3) {
          EXPECT_EQ(got, want);
        }
        auto est = s->EstimateNameTrigrams({probe});
        ASSERT_TRUE(est.ok());
        EXPECT_GE(*est, got.size());
      }
    }
    for (const std::string path : {"f0.py", "f1.py", "f2.py"}) {
      for (int64_t line = 0; line <= 12; ++line) {
        Ids got = Scan(*s, s->ScanAtLine(path, line));
        EXPECT_EQ(Sorted(got), Brute(all,
                                     [&](const Truth& t) {
                                       const std::string* p = Str(t.props, "path");
                                       auto st = t.props.find("start_line");
                                       auto en = t.props.find("end_line");
                                       return p && *p == path && st != t.props.end() &&
                                              st->second.is_int() && en != t.props.end() &&
                                              st->second.as_int() <= line &&
                                              line <= en->second.as_int();
                                     }))
            << path << ":" << line;
      }
    }
  }
};

// Random files whose nodes draw names, qualified names and paths from a tiny alphabet, so
// that probes hit many of them and replaces change index keys.
FactBatch RandomFile(std::mt19937* rng, int file) {
  auto pick = [&](int n) { return static_cast<int>((*rng)() % n); };
  auto word = [&](int len) {
    std::string w;
    for (int i = 0; i < len; ++i) w.push_back("abcAB.x"[pick(7)]);
    return w;
  };
  FactBatch b;
  b.path = "f" + std::to_string(file) + ".py";
  int n = 1 + pick(6);
  for (int i = 0; i < n; ++i) {
    Properties p;
    if (pick(5) != 0) p["name"] = word(1 + pick(5));
    if (pick(4) != 0) p["qualified_name"] = word(1 + pick(6));
    if (pick(4) != 0) p["path"] = pick(3) == 0 ? word(2) : b.path;
    if (pick(3) != 0) {
      int64_t start = pick(10);
      p["start_line"] = start;
      p["end_line"] = start + pick(4);
    }
    if (pick(8) == 0) p["name"] = int64_t{7};  // not a string: in no name index
    b.nodes.push_back(Sym(b.path + ":n" + std::to_string(i), pick(2) ? "Function" : "Class", p));
  }
  return b;
}

TEST_F(IndexExactnessTest, ReplaceDeleteAndDropKeepIndexesExact) {
  std::mt19937 rng(42);
  for (int step = 0; step < 40; ++step) {
    int file = static_cast<int>(rng() % 3);
    if (rng() % 5 == 0) {
      Status st = store_->DeleteFile("g", "f" + std::to_string(file) + ".py");
      ASSERT_TRUE(st.ok() || st.IsNotFound()) << st.ToString();
    } else {
      ASSERT_TRUE(store_->ApplyBatch("g", RandomFile(&rng, file)).ok());
    }
    if (step % 8 == 7) {
      SCOPED_TRACE("step " + std::to_string(step));
      ExpectExact("g");
    }
  }
  ExpectExact("g");
  // Drop removes every index key of the graph.
  auto info = store_->GetGraph("g");
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(store_->DropGraph("g").ok());
  auto keys = test_hooks::CountGraphKeys(*store_, info->id);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, 0u);
}

TEST_F(IndexExactnessTest, BulkLoadBuildsTheSameIndexes) {
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  std::mt19937 rng(9);
  std::vector<FactBatch> batches;
  for (int i = 0; i < 30; ++i) batches.push_back(RandomFile(&rng, i % 4));
  for (const FactBatch& b : batches) ASSERT_TRUE(store_->ApplyBatch("g", b).ok());
  ASSERT_TRUE(store_->BulkLoad("bulk", batches).ok());
  ExpectExact("bulk");
  auto a = Snap("g");
  auto b = Snap("bulk");
  for (const std::string probe : {"ab", "a", "x", ""}) {
    EXPECT_EQ(Sorted(Scan(*a, a->ScanPathPrefix(probe))),
              Sorted(Scan(*b, b->ScanPathPrefix(probe))));
    EXPECT_EQ(Sorted(Scan(*a, a->ScanQualifiedNameSuffix(probe))),
              Sorted(Scan(*b, b->ScanQualifiedNameSuffix(probe))));
  }
}

// Name trigram postings are blocks of 1024 node keys (value_codec.h), written by merges: with
// thousands of nodes the lists span many blocks, and replaced, renamed and deleted files remove
// entries from blocks (emptying some). Every scan and the intersection of several needles, with
// and without a label, stays exact, through writes and in a bulk load of the same batches.
TEST_F(IndexExactnessTest, TrigramBlocksSpanBucketsThroughEveryWrite) {
  std::mt19937 rng(7);
  auto file = [&](int f, int nodes) {
    FactBatch b;
    b.path = "big" + std::to_string(f) + ".py";
    for (int i = 0; i < nodes; ++i) {
      std::string name;
      for (int j = 0, len = 3 + static_cast<int>(rng() % 6); j < len; ++j) {
        name.push_back("abcAB.x"[rng() % 7]);
      }
      b.nodes.push_back(Sym(b.path + ":n" + std::to_string(i), rng() % 3 ? "Function" : "Class",
                            {{"name", name}}));
    }
    return b;
  };
  std::vector<FactBatch> batches;
  for (int f = 0; f < 8; ++f) batches.push_back(file(f, 400));  // node keys past 3 buckets
  for (int round = 0; round < 3; ++round) {
    batches.push_back(file(static_cast<int>(rng() % 8), 300));  // replaces: new keys, removals
  }
  for (const FactBatch& b : batches) ASSERT_TRUE(store_->ApplyBatch("g", b).ok());
  ASSERT_TRUE(store_->DeleteFile("g", "big3.py").ok());
  ASSERT_TRUE(store_->CreateGraph("bulk").ok());
  ASSERT_TRUE(store_->BulkLoad("bulk", batches).ok());
  ASSERT_TRUE(store_->DeleteFile("bulk", "big3.py").ok());
  const LabelId fn = L("Function");
  for (const std::string graph : {"g", "bulk"}) {
    SCOPED_TRACE(graph);
    ExpectExact(graph);
    auto s = Snap(graph);
    ASSERT_TRUE(s);
    std::vector<Truth> all = AllNodes(*s);
    ASSERT_GT(all.size(), 2500u);
    for (const std::vector<std::string>& needles : std::vector<std::vector<std::string>>{
             {"abc"}, {"b.x"}, {"abc", "cab"}, {"xab", "abx"}, {"aaa", "bbb", "ccc"}}) {
      for (bool label : {false, true}) {
        Ids got = Sorted(
            Scan(*s, label ? s->ScanNameTrigrams(needles, fn) : s->ScanNameTrigrams(needles)));
        // Each needle is one trigram: the intersection is exact.
        Ids want = Brute(all, [&](const Truth& t) {
          const std::string* n = Str(t.props, "name");
          if (n == nullptr || (label && !Has(t, fn))) return false;
          for (const std::string& needle : needles) {
            if (schema::ToLowerAscii(*n).find(needle) == std::string::npos) return false;
          }
          return true;
        });
        EXPECT_EQ(got, want) << needles.size() << " needles from '" << needles[0] << "'";
        EXPECT_FALSE(want.empty() && needles.size() == 1);
      }
    }
  }
}

}  // namespace
}  // namespace kg::storage
