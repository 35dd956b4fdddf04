// End to end for JavaScript, TypeScript and Java: IngestPath into a real RocksDB GraphStore, then
// the cross-file edges each language's hooks make possible (relative imports probed to files,
// Java packages and imports naming classes, IMPLEMENTS, doc comments), incremental re-ingest of
// a Java file that is not parsed (its declared module is kept).

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

using testing::TempDir;

class LanguagesE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8u << 20;
    auto store = storage::GraphStore::Open((db_dir_.path() / "db").string(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  IngestReport Ingest() {
    IngestOptions options;
    options.threads = 2;
    auto report = IngestPath(*store_, "g", repo_.path().string(), options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : IngestReport{};
  }

  // "TYPE -> dst [key=value...]" of the out-edges of `id` of `type`, sorted; only the named
  // properties are shown.
  std::vector<std::string> Out(const std::string& id, const std::string& type,
                               const std::vector<std::string>& keys = {}) {
    auto snap = std::move(store_->GetSnapshot("g")).value();
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return {"<no node " + id + ">"};
    auto cursor = snap->Expand(**key, storage::Direction::kOut, *store_->EdgeTypeIdFor(type));
    std::vector<std::string> out;
    storage::EdgeRecord e;
    while (cursor->Next(&e)) {
      std::string line = type + " -> " + (*snap->GetNode(e.dst))->id;
      for (const std::string& k : keys) {
        auto it = e.props.find(k);
        if (it != e.props.end()) line += " " + k + "=" + it->second.DebugString();
      }
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::optional<storage::NodeRecord> Node(const std::string& id) {
    auto snap = std::move(store_->GetSnapshot("g")).value();
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return std::nullopt;
    return *snap->GetNode(**key);
  }

  TempDir db_dir_;
  TempDir repo_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(LanguagesE2ETest, JavaScriptRelativeImportsResolveToFiles) {
  repo_.Write("src/util/index.js", "export function slug(s) { return s; }\n");
  repo_.Write("src/models.js",
              "/** A base model. */\nexport class Model {}\n"
              "export function save(m) { return m; }\n");
  repo_.Write("src/app.js",
              "import { Model, save as persist } from './models';\n"
              "import * as util from './util';\n"
              "import React from 'react';\n"
              "export class Post extends Model {\n"
              "  publish() { persist(this); return util.slug('x'); }\n"
              "}\n");
  IngestReport report = Ingest();
  EXPECT_EQ(report.files_parsed, 3u);
  EXPECT_TRUE(report.flagged.empty());
  EXPECT_EQ(Out("src/app.js", "IMPORTS"),
            (std::vector<std::string>{"IMPORTS -> external:react", "IMPORTS -> module:src.util",
                                      "IMPORTS -> src/models.js:Model",
                                      "IMPORTS -> src/models.js:save"}));
  EXPECT_EQ(Out("src/app.js:Post", "INHERITS"),
            (std::vector<std::string>{"INHERITS -> src/models.js:Model"}));
  EXPECT_EQ(Out("src/app.js:Post.publish", "CALLS", {"resolution"}),
            (std::vector<std::string>{
                "CALLS -> src/models.js:save resolution='import'",
                "CALLS -> src/util/index.js:slug resolution='import'",
            }));
  auto model = Node("src/models.js:Model");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->props.at("docstring"), Value("A base model."));
  auto module = Node("module:src.util");
  ASSERT_TRUE(module);
  EXPECT_EQ(module->props.at("is_package"), Value(true));
}

TEST_F(LanguagesE2ETest, JavaPackagesImportsAndImplements) {
  repo_.Write("src/main/java/com/acme/model/Item.java",
              "package com.acme.model;\n"
              "public interface Item { int price(); }\n");
  repo_.Write("src/main/java/com/acme/Base.java",
              "package com.acme;\npublic class Base { void log() {} }\n");
  repo_.Write("src/main/java/com/acme/Shop.java",
              "package com.acme;\n"
              "import com.acme.model.Item;\n"
              "import java.util.List;\n"
              "/** Sells {@link Item}s. */\n"
              "public class Shop extends Base implements Item, Comparable<Shop> {\n"
              "  public int price() { log(); total(); return 0; }\n"
              "  int total() { return new Base().hashCode(); }\n"
              "}\n");
  IngestReport report = Ingest();
  EXPECT_EQ(report.files_parsed, 3u);
  const std::string shop = "src/main/java/com/acme/Shop.java:Shop";
  auto node = Node(shop);
  ASSERT_TRUE(node);
  EXPECT_EQ(node->props.at("qualified_name"), Value("com.acme.Shop.Shop"));
  EXPECT_EQ(node->props.at("docstring"), Value("Sells {@link Item}s."));
  // The base class is found in the file's own package without an import.
  EXPECT_EQ(Out(shop, "INHERITS"),
            (std::vector<std::string>{"INHERITS -> src/main/java/com/acme/Base.java:Base"}));
  EXPECT_EQ(Out(shop, "IMPLEMENTS", {"index"}),
            (std::vector<std::string>{
                "IMPLEMENTS -> external:Comparable index=1",
                "IMPLEMENTS -> src/main/java/com/acme/model/Item.java:Item index=0"}));
  EXPECT_EQ(Out("src/main/java/com/acme/Shop.java", "IMPORTS"),
            (std::vector<std::string>{"IMPORTS -> external:java.util.List",
                                      "IMPORTS -> src/main/java/com/acme/model/Item.java:Item"}));
  // Unqualified calls find methods of the class and of its base; construction finds the class
  // (through the implicit import of the file's own package).
  EXPECT_EQ(Out(shop + ".price", "CALLS", {"resolution"}),
            (std::vector<std::string>{
                "CALLS -> src/main/java/com/acme/Base.java:Base.log resolution='scope'",
                "CALLS -> src/main/java/com/acme/Shop.java:Shop.total resolution='scope'"}));
  std::vector<std::string> total = Out(shop + ".total", "CALLS", {"resolution"});
  EXPECT_NE(std::find(total.begin(), total.end(),
                      "CALLS -> src/main/java/com/acme/Base.java:Base resolution='import'"),
            total.end())
      << ::testing::PrintToString(total);

  // Re-ingest after editing only Base.java: Shop.java is not parsed, yet its module (from its
  // `package`, stored) still resolves, and its edges into Base survive.
  repo_.Write("src/main/java/com/acme/Base.java",
              "package com.acme;\npublic class Base { void log() {} void extra() {} }\n");
  report = Ingest();
  EXPECT_EQ(report.files_unchanged + report.files_parsed, 3u);
  EXPECT_EQ(Out(shop, "INHERITS"),
            (std::vector<std::string>{"INHERITS -> src/main/java/com/acme/Base.java:Base"}));
  auto module = Node("module:com.acme.Shop");
  ASSERT_TRUE(module);
}

TEST_F(LanguagesE2ETest, CppAndRustCallsThroughPathsAndArrowsResolve) {
  repo_.Write("cc/shape.cc",
              "namespace geo {\n"
              "struct Shape { int area() { return this->sides(); } int sides() { return 3; } };\n"
              "int helper() { return 1; }\n"
              "template <typename T> T twice(T x) { return x; }\n"
              "int run(Shape* s) { return s->area() + geo::helper() + twice<int>(2); }\n"
              "}  // namespace geo\n");
  repo_.Write("rs/src/lib.rs",
              "pub struct Point;\n"
              "impl Point { pub fn new() -> Point { Point } pub fn norm(&self) -> i32 { 0 } }\n"
              "pub fn make() -> Point { let p = Point::new(); p }\n"
              "pub fn parse<T>() -> i32 { 1 }\n"
              "pub fn go() -> i32 { parse::<u8>() }\n");
  Ingest();
  EXPECT_EQ(Out("cc/shape.cc:geo.Shape.area", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> cc/shape.cc:geo.Shape.sides resolution='scope'"}));
  EXPECT_EQ(Out("cc/shape.cc:geo.run", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> cc/shape.cc:geo.Shape.area resolution='name'",
                                      "CALLS -> cc/shape.cc:geo.helper resolution='name'",
                                      "CALLS -> cc/shape.cc:geo.twice resolution='name'"}));
  EXPECT_EQ(Out("rs/src/lib.rs:make", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> rs/src/lib.rs:Point.new resolution='exact'"}));
  EXPECT_EQ(Out("rs/src/lib.rs:go", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> rs/src/lib.rs:parse resolution='exact'"}));
}

// `super.m()` (Java, JavaScript) calls m of the superclass, however many classes have an m.
TEST_F(LanguagesE2ETest, SuperCallsReachTheSuperclassMethod) {
  repo_.Write("src/com/acme/Shapes.java",
              "package com.acme;\n"
              "class Base { void save() {} void delete() {} }\n"
              "class Child extends Base { void save() { super.save(); super.delete(); } }\n"
              "class Other extends Base { void save() {} }\n");
  repo_.Write("lib/shapes.js",
              "class Base { save() {} }\n"
              "class Child extends Base { save() { super.save(); super.gone(); } }\n"
              "class Other extends Base { save() {} }\n");
  Ingest();
  EXPECT_EQ(
      Out("src/com/acme/Shapes.java:Child.save", "CALLS", {"resolution"}),
      (std::vector<std::string>{"CALLS -> src/com/acme/Shapes.java:Base.delete resolution='super'",
                                "CALLS -> src/com/acme/Shapes.java:Base.save resolution='super'"}));
  EXPECT_EQ(Out("lib/shapes.js:Child.save", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> external:super.gone resolution='none'",
                                      "CALLS -> lib/shapes.js:Base.save resolution='super'"}));
}

TEST_F(LanguagesE2ETest, RustImplTraitForTypeIsImplementsOfTheTypesClass) {
  repo_.Write("rs/src/lib.rs",
              "pub trait Shape { fn area(&self) -> i32; }\n"
              "pub struct Sq;\n"
              "impl Shape for Sq { fn area(&self) -> i32 { 4 } }\n"
              "impl std::fmt::Debug for Sq {}\n"
              "impl Sq { fn side(&self) -> i32 { 2 } }\n"
              "impl Shape for Elsewhere {}\n"
              "mod geo {\n"
              "    pub struct Tri;\n"
              "    impl crate::Shape for Tri { fn area(&self) -> i32 { 1 } }\n"
              "}\n");
  repo_.Write("rs/src/other.rs", "impl crate::Shape for super::Sq {}\n");
  Ingest();
  EXPECT_EQ(Out("rs/src/lib.rs:Sq", "IMPLEMENTS", {"index", "written"}),
            (std::vector<std::string>{
                "IMPLEMENTS -> external:std::fmt::Debug index=1 written='std::fmt::Debug'",
                "IMPLEMENTS -> rs/src/lib.rs:Shape index=0 written='Shape'"}));
  std::vector<std::string> tri = Out("rs/src/lib.rs:geo.Tri", "IMPLEMENTS", {"written"});
  ASSERT_EQ(tri.size(), 1u);
  EXPECT_NE(tri[0].find("written='crate::Shape'"), std::string::npos) << tri[0];
  EXPECT_EQ(Out("rs/src/lib.rs:Sq", "HAS_METHOD"),
            (std::vector<std::string>{"HAS_METHOD -> rs/src/lib.rs:Sq.area",
                                      "HAS_METHOD -> rs/src/lib.rs:Sq.side"}));
}

TEST_F(LanguagesE2ETest, RustGlobImportCyclesResolveOnce) {
  // Twelve child modules each glob-import their parent and two siblings, and the parent
  // glob-re-exports every child: a name missing everywhere is looked up through cycles of
  // wildcards. Followed naively to the re-export hop limit that is millions of lookups per call
  // site (minutes); each candidate name once, it is a few hundred.
  std::string lib = "pub fn root_helper() {}\n";
  for (int i = 0; i < 12; ++i) {
    std::string m = "m" + std::to_string(i);
    lib += "pub mod " + m + ";\npub use self::" + m + "::*;\n";
    repo_.Write("crate/src/" + m + ".rs",
                "use super::*;\nuse crate::m" + std::to_string((i + 1) % 12) +
                    "::*;\nuse crate::m" + std::to_string((i + 5) % 12) + "::*;\n" + "pub fn f" +
                    std::to_string(i) + "() { root_helper(); nowhere(); missing::x(); }\n");
  }
  repo_.Write("crate/src/lib.rs", lib + "pub fn top() { f3(); }\n");
  IngestReport report = Ingest();
  EXPECT_EQ(report.files_parsed, 13u);
  // Through `use super::*` in the child, and through `pub use self::m3::*` in the root.
  EXPECT_EQ(Out("crate/src/m5.rs:f5", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> crate/src/lib.rs:root_helper resolution='import'",
                                      "CALLS -> external:missing::x resolution='none'",
                                      "CALLS -> external:nowhere resolution='none'"}));
  EXPECT_EQ(Out("crate/src/lib.rs:top", "CALLS", {"resolution"}),
            (std::vector<std::string>{"CALLS -> crate/src/m3.rs:f3 resolution='import'"}));
}

}  // namespace
}  // namespace kg::ingest
