#include "ingest/resolver.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "ingest/batch_builder.h"
#include "ingest/extractor.h"
#include "ingest/languages/registry.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

// A repository of in-memory Python files, extracted and registered like IngestPath does.
class MiniRepo {
 public:
  explicit MiniRepo(std::map<std::string, std::string> files) : files_(std::move(files)) {
    const languages::Language& py = *languages::LanguageByName("python");
    extractor_ = std::move(Extractor::Create(py)).value();
    auto exists = [this](std::string_view p) { return files_.count(std::string(p)) > 0; };
    std::map<std::string, languages::ModuleInfo> modules;
    for (const auto& [path, text] : files_) modules[path] = py.ModuleForPath(path, exists);
    for (const auto& [path, text] : files_) {
      auto facts = extractor_->Extract(path, text, modules[path]);
      EXPECT_TRUE(facts.ok()) << facts.status().ToString();
      facts_[path] = std::move(facts).value();
    }
    symbols_ = std::make_unique<RepoSymbols>(modules, nullptr);
    for (const auto& [path, f] : facts_) symbols_->AddParsed(&f);
    resolver_ = std::make_unique<Resolver>(*symbols_);
  }

  const FileFacts& facts(const std::string& path) { return facts_.at(path); }
  Resolver& resolver() { return *resolver_; }
  RepoSymbols& symbols() { return *symbols_; }

  // "kind:id" of the target of base `index` of class `qualified` in `path`.
  std::string Base(const std::string& path, const std::string& qualified, size_t index) {
    const FileFacts& f = facts(path);
    for (size_t i = 0; i < f.definitions.size(); ++i) {
      const Definition& d = f.definitions[i];
      if (d.qualified_path != qualified) continue;
      if (index >= d.bases.size()) return "no such base";
      return Describe(resolver_->ResolveInFile(f, d.parent, d.bases[index]));
    }
    return "no such class";
  }

  // "kind:id" of the target of the import of `name` (or module, for `import x`) in `path`.
  std::string Import(const std::string& path, const std::string& name_or_module) {
    for (const ImportFact& imp : facts(path).imports) {
      if ((imp.from ? imp.name : imp.module) == name_or_module) {
        return Describe(resolver_->ResolveImport(imp));
      }
    }
    return "no such import";
  }

  static std::string Describe(const Target& t) {
    switch (t.kind) {
      case Target::Kind::kDefinition:
        return "def:" + t.id;
      case Target::Kind::kModule:
        return "module:" + t.id;
      case Target::Kind::kModuleMember:
        return "member:" + t.id;
      case Target::Kind::kExternal:
        return "ext:" + t.id;
    }
    return "?";
  }

 private:
  std::map<std::string, std::string> files_;
  std::unique_ptr<Extractor> extractor_;
  std::map<std::string, FileFacts> facts_;
  std::unique_ptr<RepoSymbols> symbols_;
  std::unique_ptr<Resolver> resolver_;
};

MiniRepo& Repo() {
  static MiniRepo repo({
      {"shop/__init__.py", "from .models import Product as Product, Money\nfrom . import utils\n"},
      {"shop/models.py", R"py(import abc
from abc import ABC
from typing import Generic, TypeVar
T = TypeVar("T")
CONST = 1
class Base(ABC): pass
class Product(Base):
    class Meta: pass
    class Variant(Meta): pass
class Box(abc.ABC, Generic[T], Product.Meta): pass
class Tuple3(namedtuple("P", "x y z")): pass
)py"},
      {"shop/helpers.py", "class Helper: pass\n"},
      {"shop/utils.py", "def fmt(): pass\n"},
      {"shop/cart.py", R"py(from .models import Product, CONST, Missing
from . import Product as P2
from shop import Product as P3, utils, nothing
import shop.models as m
import shop.models
import os.path
from .helpers import *
from .utils import fmt as format_price
class Cart(m.Product, P2, Helper, Unknown, shop.models.Base): pass
)py"},
      {"conftest.py", "def fixture(): pass\n"},
      {"tests/conftest.py", "def other(): pass\n"},
  });
  return repo;
}

TEST(ResolverTest, BaseClasses) {
  MiniRepo& r = Repo();
  EXPECT_EQ(r.Base("shop/models.py", "Base", 0), "ext:external:abc.ABC");        // via from-import
  EXPECT_EQ(r.Base("shop/models.py", "Product", 0), "def:shop/models.py:Base");  // same file
  // A nested class names its sibling through the enclosing class scope.
  EXPECT_EQ(r.Base("shop/models.py", "Product.Variant", 0), "def:shop/models.py:Product.Meta");
  EXPECT_EQ(r.Base("shop/models.py", "Box", 0), "ext:external:abc.ABC");         // via `import abc`
  EXPECT_EQ(r.Base("shop/models.py", "Box", 1), "ext:external:typing.Generic");  // subscript
  EXPECT_EQ(r.Base("shop/models.py", "Box", 2), "def:shop/models.py:Product.Meta");
  EXPECT_EQ(r.Base("shop/models.py", "Tuple3", 0), "ext:external:namedtuple");
  EXPECT_EQ(r.Base("shop/cart.py", "Cart", 0), "def:shop/models.py:Product");  // module alias
  EXPECT_EQ(r.Base("shop/cart.py", "Cart", 1), "def:shop/models.py:Product");  // re-export
  EXPECT_EQ(r.Base("shop/cart.py", "Cart", 2), "def:shop/helpers.py:Helper");  // wildcard
  EXPECT_EQ(r.Base("shop/cart.py", "Cart", 3), "ext:external:Unknown");
  EXPECT_EQ(r.Base("shop/cart.py", "Cart", 4), "def:shop/models.py:Base");  // dotted module
}

TEST(ResolverTest, Imports) {
  MiniRepo& r = Repo();
  EXPECT_EQ(r.Import("shop/cart.py", "Product"), "def:shop/models.py:Product");
  EXPECT_EQ(r.Import("shop/cart.py", "CONST"), "def:shop/models.py:CONST");  // a Variable
  EXPECT_EQ(r.Import("shop/cart.py", "Missing"), "member:module:shop.models");
  EXPECT_EQ(r.Import("shop/cart.py", "utils"), "module:module:shop.utils");  // a submodule
  EXPECT_EQ(r.Import("shop/cart.py", "nothing"), "member:module:shop");
  EXPECT_EQ(r.Import("shop/cart.py", "shop.models"), "module:module:shop.models");
  EXPECT_EQ(r.Import("shop/cart.py", "os.path"), "ext:external:os.path");
  EXPECT_EQ(r.Import("shop/cart.py", "*"), "module:module:shop.helpers");
  EXPECT_EQ(r.Import("shop/cart.py", "fmt"), "def:shop/utils.py:fmt");
  EXPECT_EQ(r.Import("shop/models.py", "ABC"), "ext:external:abc.ABC");
  EXPECT_EQ(r.Import("shop/__init__.py", "Money"), "member:module:shop.models");
}

TEST(ResolverTest, ModuleNamesAndCollisions) {
  MiniRepo& r = Repo();
  EXPECT_EQ(r.facts("shop/__init__.py").module.name, "shop");
  EXPECT_TRUE(r.facts("shop/__init__.py").module.is_package);
  EXPECT_EQ(r.facts("shop/cart.py").module.name, "shop.cart");
  EXPECT_EQ(r.symbols().ModuleId("conftest.py"), "module:conftest");
  // tests/ has no __init__.py: its conftest is module "conftest" too, and gets a distinct id.
  EXPECT_EQ(r.symbols().ModuleId("tests/conftest.py"), "module:conftest#tests/conftest.py");
  EXPECT_EQ(r.symbols().ModulePath("conftest"), "conftest.py");
}

TEST(ResolverTest, ReexportCyclesTerminate) {
  MiniRepo r({{"a.py", "from b import X\n"}, {"b.py", "from a import X\nclass C(X): pass\n"}});
  EXPECT_EQ(r.Import("a.py", "X"), "member:module:b");
  EXPECT_EQ(r.Base("b.py", "C", 0), "member:module:a");
}

TEST(BatchBuilderTest, FileBatchFacts) {
  MiniRepo r({{"pkg/__init__.py", ""},
              {"pkg/shapes.py", R"py("""Shapes."""
import abc
from .util import helper as h


class Shape(abc.ABC):
    """A shape."""

    def area(self) -> float:
        return 0.0

    class Unit:
        pass


def make(kind: str = "c"):
    def inner():
        pass
    return inner
)py"},
              {"pkg/util.py", "def helper(): pass\n"}});
  storage::FactBatch b = BuildFileBatch(r.facts("pkg/shapes.py"), {"abc123", "text", 4},
                                        r.symbols().ModuleId("pkg/shapes.py"), r.resolver());
  EXPECT_EQ(b.path, "pkg/shapes.py");
  EXPECT_EQ(b.content_hash, "abc123");
  EXPECT_EQ(b.language, "python");
  EXPECT_EQ(b.text, "text");

  std::map<std::string, const storage::NodeFact*> nodes;
  for (const auto& n : b.nodes) nodes[n.id] = &n;
  std::vector<std::string> ids;
  for (const auto& [id, n] : nodes) ids.push_back(id + (n->shared ? " (shared)" : ""));
  EXPECT_EQ(ids,
            (std::vector<std::string>{"external:abc (shared)", "external:abc.ABC (shared)",
                                      "module:pkg.shapes", "pkg/shapes.py", "pkg/shapes.py:Shape",
                                      "pkg/shapes.py:Shape.Unit", "pkg/shapes.py:Shape.area",
                                      "pkg/shapes.py:make", "pkg/shapes.py:make.inner"}));
  EXPECT_EQ(nodes["pkg/shapes.py"]->labels, std::vector<std::string>{"File"});
  EXPECT_EQ(nodes["pkg/shapes.py"]->props.at("size"), Value(4));
  EXPECT_EQ(nodes["pkg/shapes.py"]->props.at("name"), Value("shapes.py"));
  EXPECT_EQ(nodes["module:pkg.shapes"]->props.at("docstring"), Value("Shapes."));
  EXPECT_EQ(nodes["module:pkg.shapes"]->props.at("name"), Value("pkg.shapes"));
  const Properties& area = nodes["pkg/shapes.py:Shape.area"]->props;
  EXPECT_EQ(nodes["pkg/shapes.py:Shape.area"]->labels, std::vector<std::string>{"Method"});
  EXPECT_EQ(area.at("qualified_name"), Value("pkg.shapes.Shape.area"));
  EXPECT_EQ(area.at("signature"), Value("def area(self) -> float"));
  EXPECT_EQ(area.at("params"), Value(ValueList{Value("self")}));
  EXPECT_EQ(area.at("return_type"), Value("float"));
  EXPECT_EQ(area.at("start_line"), Value(9));
  EXPECT_EQ(area.at("end_line"), Value(10));
  EXPECT_EQ(area.at("is_async"), Value(false));
  EXPECT_EQ(area.count("docstring"), 0u);
  EXPECT_EQ(nodes["pkg/shapes.py:Shape"]->props.at("docstring"), Value("A shape."));
  EXPECT_EQ(nodes["pkg/shapes.py:make.inner"]->labels, std::vector<std::string>{"Function"});

  std::vector<std::string> edges;
  for (const auto& e : b.edges) {
    std::string props;
    for (const auto& [k, v] : e.props) props += " " + k + "=" + v.DebugString();
    edges.push_back(e.src_id + " -" + e.type + "-> " + e.dst_id + props);
  }
  std::sort(edges.begin(), edges.end());
  EXPECT_EQ(edges, (std::vector<std::string>{
                       "dir:pkg -CONTAINS-> pkg/shapes.py",
                       "module:pkg.shapes -CONTAINS-> pkg/shapes.py:Shape",
                       "module:pkg.shapes -CONTAINS-> pkg/shapes.py:make",
                       "pkg/shapes.py -CONTAINS-> pkg/shapes.py:Shape",
                       "pkg/shapes.py -CONTAINS-> pkg/shapes.py:make",
                       "pkg/shapes.py -DEFINES_MODULE-> module:pkg.shapes",
                       "pkg/shapes.py -IMPORTS-> external:abc line=2 module='abc'",
                       "pkg/shapes.py -IMPORTS-> pkg/util.py:helper alias='h' line=3 "
                       "module='pkg.util' symbol='helper'",
                       "pkg/shapes.py:Shape -CONTAINS-> pkg/shapes.py:Shape.Unit",
                       "pkg/shapes.py:Shape -HAS_METHOD-> pkg/shapes.py:Shape.area",
                       "pkg/shapes.py:Shape -INHERITS-> external:abc.ABC index=0 written='abc.ABC'",
                       "pkg/shapes.py:make -CONTAINS-> pkg/shapes.py:make.inner",
                   }));
}

// An unresolved call through an expression receiver is an External named by what follows the
// expression, shared by every such call; callees that are names stay as written.
TEST(ResolverTest, CallsThroughExpressionsNameTheirMethod) {
  MiniRepo r(std::map<std::string, std::string>{{"app.py", R"py(import os
def run(rows, handlers, p):
    "a {}".format(1)
    """SELECT * FROM t
       WHERE x = {}""".format(2)
    super().save()
    super(Model, self).save(force=True)
    rows[0].strip().lower()
    handlers[0]()
    make()()
    os.path.join("a", "b")
    p.x.y()
    f"{p}".encode()
)py"}});
  const FileFacts& f = r.facts("app.py");
  std::map<std::string, std::string> target_of;  // callee as written -> External name
  for (const CallFact& call : f.calls) {
    CallTarget t = r.resolver().ResolveCall(f, call);
    EXPECT_EQ(t.target.kind, Target::Kind::kExternal) << call.callee;
    EXPECT_EQ(t.target.id, "external:" + t.target.dotted) << call.callee;
    target_of[call.callee] = t.target.dotted;
  }
  // (Callees are written without whitespace; calls of subscripts and calls are not recorded.)
  EXPECT_EQ(target_of.at("\"a{}\".format"), "(...).format");
  EXPECT_EQ(target_of.at("\"\"\"SELECT*FROMtWHEREx={}\"\"\".format"), "(...).format");
  EXPECT_EQ(target_of.at("super().save"), "(...).save");
  EXPECT_EQ(target_of.at("super(Model,self).save"), "(...).save");
  EXPECT_EQ(target_of.at("rows[0].strip().lower"), "(...).lower");
  EXPECT_EQ(target_of.at("rows[0].strip"), "(...).strip");
  EXPECT_EQ(target_of.at("make"), "make");
  EXPECT_EQ(target_of.at("super"), "super");
  EXPECT_EQ(target_of.at("os.path.join"), "os.path.join");
  EXPECT_EQ(target_of.at("p.x.y"), "p.x.y");
  EXPECT_EQ(target_of.at("f\"{p}\".encode"), "(...).encode");
  EXPECT_EQ(target_of.size(), 11u);
}

// `super().m()` and `super(C, self).m()` in a method resolve to m on the bases of the method's
// class (of C for the two-argument form), depth-first in base order, across files.
TEST(ResolverTest, SuperCallsResolveOnTheBases) {
  MiniRepo r({{"pkg/__init__.py", ""},
              {"pkg/base.py", R"py(class Base:
    def save(self): pass
    def delete(self): pass
class Mixin:
    def clean(self): pass
)py"},
              {"pkg/models.py", R"py(from .base import Base, Mixin
class Child(Mixin, Base):
    def save(self):
        super().save()
        super(Child, self).delete()
        super().clean()
        super().missing()
        super(Base, self).save()
class GrandChild(Child):
    def save(self):
        super().save()
        super(Child, self).save()
def helper():
    super().save()
)py"}});
  const FileFacts& f = r.facts("pkg/models.py");
  std::vector<std::string> got;
  for (const CallFact& call : f.calls) {
    CallTarget t = r.resolver().ResolveCall(f, call);
    if (call.callee == "super") {  // the call of super() itself: the builtin
      EXPECT_EQ(t.target.id, "external:super");
      continue;
    }
    got.push_back(f.definitions[call.caller].qualified_path + " " + call.callee + " -> " +
                  t.target.id + " " + t.resolution);
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "Child.save super().save -> pkg/base.py:Base.save super",
                     "Child.save super(Child,self).delete -> pkg/base.py:Base.delete super",
                     "Child.save super().clean -> pkg/base.py:Mixin.clean super",
                     "Child.save super().missing -> external:(...).missing ",
                     "Child.save super(Base,self).save -> external:(...).save ",
                     "GrandChild.save super().save -> pkg/models.py:Child.save super",
                     "GrandChild.save super(Child,self).save -> pkg/base.py:Base.save super",
                     "helper super().save -> external:(...).save ",
                 }));
}

TEST(BatchBuilderTest, TreeBatch) {
  storage::FactBatch t = BuildTreeBatch("repo", {"a.py", "x/y/z.py", "x/w.py"});
  EXPECT_EQ(t.path, "/");
  std::vector<std::string> ids;
  for (const auto& n : t.nodes) ids.push_back(n.labels[0] + " " + n.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"Repo repo:", "Directory dir:/", "Directory dir:x",
                                           "Directory dir:x/y"}));
  std::vector<std::string> edges;
  for (const auto& e : t.edges) edges.push_back(e.src_id + " -> " + e.dst_id);
  EXPECT_EQ(edges,
            (std::vector<std::string>{"repo: -> dir:/", "dir:/ -> dir:x", "dir:x -> dir:x/y"}));
  // The hash follows the folder set only.
  EXPECT_EQ(t.content_hash, BuildTreeBatch("repo", {"b.py", "x/y/q.py", "x/v.py"}).content_hash);
  EXPECT_NE(t.content_hash, BuildTreeBatch("repo", {"a.py", "x/w.py"}).content_hash);
  EXPECT_NE(t.content_hash, BuildTreeBatch("other", {"a.py", "x/y/z.py"}).content_hash);
}

}  // namespace
}  // namespace kg::ingest
