#include "ingest/extractor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ingest/languages/registry.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

const languages::Language& Python() { return *languages::LanguageByName("python"); }

const Extractor& PythonExtractor() {
  static const std::unique_ptr<Extractor> kExtractor = [] {
    auto e = Extractor::Create(Python());
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(e).value();
  }();
  return *kExtractor;
}

FileFacts Extract(std::string_view source, std::string_view path = "pkg/mod.py",
                  languages::ModuleInfo module = {"pkg.mod", false}) {
  Result<FileFacts> facts = PythonExtractor().Extract(path, source, module);
  EXPECT_TRUE(facts.ok()) << facts.status().ToString();
  return facts.ok() ? std::move(facts).value() : FileFacts{};
}

const Definition* Find(const FileFacts& facts, std::string_view id) {
  for (const Definition& d : facts.definitions) {
    if (d.id == id) return &d;
  }
  ADD_FAILURE() << "no definition " << id;
  return nullptr;
}

// ---- Properties of definitions ----

TEST(ExtractorTest, ClassAndMethodProperties) {
  FileFacts f = Extract(R"py(import abc


@dataclass(frozen=True)
class Product(Base, abc.ABC, Generic[T], metaclass=Meta):
    """A product.

        Indented detail.
    """

    def price(self, qty: int = 1) -> float:
        'Unit price times qty.'
        return 1.0 * qty

    async def fetch(self, *args, key=None, **kw):
        r"""Raw \n doc."""

    @property
    @functools.cache
    def slug(self): return "x"

    def build(
        self,
        a,
    ) -> "Product":
        b"""bytes are not docstrings"""
)py",
                        "shop/models.py", {"shop.models", false});
  ASSERT_EQ(f.definitions.size(), 5u);
  const Definition* cls = Find(f, "shop/models.py:Product");
  ASSERT_NE(cls, nullptr);
  EXPECT_EQ(cls->label, "Class");
  EXPECT_EQ(cls->kind, "class");
  EXPECT_EQ(cls->start_line, 5);  // the `class` line, not the decorator
  EXPECT_EQ(cls->end_line, 26);
  EXPECT_EQ(cls->signature, "class Product(Base, abc.ABC, Generic[T], metaclass=Meta)");
  EXPECT_EQ(cls->docstring, "A product.\n\nIndented detail.");  // inspect.cleandoc
  EXPECT_EQ(cls->decorators, std::vector<std::string>{"dataclass(frozen=True)"});
  EXPECT_EQ(cls->bases, (std::vector<std::string>{"Base", "abc.ABC", "Generic[T]"}));
  EXPECT_EQ(cls->parent, -1);

  const Definition* price = Find(f, "shop/models.py:Product.price");
  ASSERT_NE(price, nullptr);
  EXPECT_EQ(price->label, "Method");
  EXPECT_EQ(price->qualified_path, "Product.price");
  EXPECT_EQ(price->signature, "def price(self, qty: int = 1) -> float");
  EXPECT_EQ(price->params, (std::vector<std::string>{"self", "qty"}));
  EXPECT_EQ(price->return_type, "float");
  EXPECT_EQ(price->docstring, "Unit price times qty.");
  EXPECT_FALSE(price->is_async);
  EXPECT_EQ(price->start_line, 11);
  EXPECT_EQ(price->end_line, 13);
  EXPECT_EQ(f.definitions[price->parent].id, cls->id);

  const Definition* fetch = Find(f, "shop/models.py:Product.fetch");
  ASSERT_NE(fetch, nullptr);
  EXPECT_TRUE(fetch->is_async);
  EXPECT_EQ(fetch->signature, "async def fetch(self, *args, key=None, **kw)");
  EXPECT_EQ(fetch->params, (std::vector<std::string>{"self", "*args", "key", "**kw"}));
  EXPECT_EQ(fetch->docstring, "Raw \\n doc.");
  EXPECT_FALSE(fetch->return_type);

  const Definition* slug = Find(f, "shop/models.py:Product.slug");
  ASSERT_NE(slug, nullptr);
  EXPECT_EQ(slug->decorators, (std::vector<std::string>{"property", "functools.cache"}));
  EXPECT_EQ(slug->signature, "def slug(self)");

  const Definition* build = Find(f, "shop/models.py:Product.build");
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->signature, "def build(\n        self,\n        a,\n    ) -> \"Product\"");
  EXPECT_EQ(build->return_type, "\"Product\"");
  EXPECT_FALSE(build->docstring);  // bytes literal

  // Byte ranges cover the definition text exactly.
  std::string src(R"py(def f(a):
    return a
)py");
  FileFacts g = Extract(src);
  ASSERT_EQ(g.definitions.size(), 1u);
  EXPECT_EQ(src.substr(g.definitions[0].start_byte,
                       g.definitions[0].end_byte - g.definitions[0].start_byte),
            "def f(a):\n    return a");
}

TEST(ExtractorTest, DocstringForms) {
  struct Case {
    std::string body;
    std::optional<std::string> doc;
  };
  const Case cases[] = {
      {"    \"\"\"One line.\"\"\"", "One line."},
      {"    '''\n    Leading blank line.\n\n    Para.\n    '''", "Leading blank line.\n\nPara."},
      {"    \"Tab\\tand \\u00e9 escape.\"",
       "Tab     and \xC3\xA9 escape."},  // cleandoc expands tabs
      {"    R'C:\\path'", "C:\\path"},
      {"    f\"not {1} a doc\"", std::nullopt},
      {"    x = 1\n    \"\"\"too late\"\"\"", std::nullopt},
      {"    \"\"\"Cont\\\n    inued.\"\"\"", "Cont    inued."},
  };
  for (const Case& c : cases) {
    FileFacts f = Extract("def f():\n" + c.body + "\n");
    ASSERT_EQ(f.definitions.size(), 1u) << c.body;
    EXPECT_EQ(f.definitions[0].docstring, c.doc) << c.body;
  }
  EXPECT_EQ(Extract("\"\"\"Module doc.\n\n  Indented.\n\"\"\"\nx = 1\n").module_docstring,
            "Module doc.\n\nIndented.");
  EXPECT_FALSE(Extract("x = 1\n\"\"\"Not first.\"\"\"\n").module_docstring);
}

TEST(ExtractorTest, RepeatedDefinitionsGetSuffixes) {
  FileFacts f = Extract(R"py(
if PY2:
    class Compat:
        def run(self): pass
else:
    class Compat:
        def run(self): pass
def Compat(): pass
)py");
  std::vector<std::string> ids;
  for (const Definition& d : f.definitions) ids.push_back(d.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"pkg/mod.py:Compat", "pkg/mod.py:Compat.run",
                                           "pkg/mod.py:Compat#2", "pkg/mod.py:Compat.run#2",
                                           "pkg/mod.py:Compat#3"}));
  // Both repeats keep their own parents and the same qualified path.
  EXPECT_EQ(f.definitions[3].parent, 2);
  EXPECT_EQ(f.definitions[3].qualified_path, "Compat.run");
  EXPECT_EQ(f.definitions[4].label, "Function");
}

TEST(ExtractorTest, TestDetection) {
  FileFacts f = Extract(R"py(
def test_total(): pass
def testing_helper(): pass
class TestCart:
    def test_add(self): pass
    def helper(self): pass
class Cart: pass
)py");
  std::map<std::string, bool> is_test;
  for (const Definition& d : f.definitions) is_test[d.qualified_path] = d.is_test;
  EXPECT_EQ(is_test, (std::map<std::string, bool>{{"test_total", true},
                                                  {"testing_helper", false},
                                                  {"TestCart", true},
                                                  {"TestCart.test_add", true},
                                                  {"TestCart.helper", false},
                                                  {"Cart", false}}));
  EXPECT_FALSE(f.is_test);
  FileFacts t = Extract("def helper(): pass\n", "tests/conftest.py", {"conftest", false});
  EXPECT_TRUE(t.is_test);
  EXPECT_TRUE(t.definitions[0].is_test);
}

// Cases found by comparing with Python's ast on the standard library.
TEST(ExtractorTest, CommentsDoNotChangeFacts) {
  FileFacts f = Extract(R"py(# Copyright header
# more header
"""Module doc after comments."""


class A(B if flag else object, *mixins, metaclass=M):
    # a comment before the docstring
    """Class doc."""

    @functools.lru_cache()  # type: ignore
    def m(self):
        return 1
        # trailing comment, inside the block for tree-sitter

    # a comment between methods


def last():
    pass
    # trailing


# trailing module comment
)py");
  EXPECT_EQ(f.module_docstring, "Module doc after comments.");
  const Definition* a = Find(f, "pkg/mod.py:A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->docstring, "Class doc.");
  EXPECT_EQ(a->bases, (std::vector<std::string>{"B if flag else object", "*mixins"}));
  EXPECT_EQ(a->end_line, 12);  // the last statement, not the comments after it
  const Definition* m = Find(f, "pkg/mod.py:A.m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->decorators, std::vector<std::string>{"functools.lru_cache()"});
  EXPECT_EQ(m->end_line, 12);
  const Definition* last = Find(f, "pkg/mod.py:last");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->end_line, 19);
}

// ---- Imports ----

TEST(ExtractorTest, ImportForms) {
  FileFacts f = Extract(R"py(from __future__ import annotations
import os, os.path as osp
import shop.models
from . import cart, utils as u
from ..base import Base as B, other
from .payments.card import *
from typing import (
    Dict,
    List as L,
)
def lazy():
    import json
)py",
                        "shop/sub/mod.py", {"shop.sub.mod", false});
  struct Row {
    int line;
    bool from;
    std::string module, written, name, alias;
  };
  std::vector<Row> expected = {
      {1, true, "__future__", "__future__", "annotations", ""},
      {2, false, "os", "os", "", ""},
      {2, false, "os.path", "os.path", "", "osp"},
      {3, false, "shop.models", "shop.models", "", ""},
      {4, true, "shop.sub", ".", "cart", ""},
      {4, true, "shop.sub", ".", "utils", "u"},
      {5, true, "shop.base", "..base", "Base", "B"},
      {5, true, "shop.base", "..base", "other", ""},
      {6, true, "shop.sub.payments.card", ".payments.card", "*", ""},
      {7, true, "typing", "typing", "Dict", ""},
      {7, true, "typing", "typing", "List", "L"},
      {12, false, "json", "json", "", ""},
  };
  ASSERT_EQ(f.imports.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ImportFact& got = f.imports[i];
    const Row& want = expected[i];
    EXPECT_EQ(got.line, want.line) << i;
    EXPECT_EQ(got.from, want.from) << i;
    EXPECT_EQ(got.module, want.module) << i;
    EXPECT_EQ(got.written, want.written) << i;
    EXPECT_EQ(got.name, want.name) << i;
    EXPECT_EQ(got.alias, want.alias) << i;
  }
  // In a package's own module, `.` is the package itself.
  FileFacts pkg =
      Extract("from . import models\nfrom .. import up\n", "shop/__init__.py", {"shop", true});
  ASSERT_EQ(pkg.imports.size(), 2u);
  EXPECT_EQ(pkg.imports[0].module, "shop");
  EXPECT_EQ(pkg.imports[1].module, "");  // climbs above the top package, as Python reports it
}

// ---- Bad input ----

TEST(ExtractorTest, SyntaxErrorKeepsPartialFacts) {
  FileFacts f = Extract(R"py(class Good:
    def ok(self):
        return 1

def broken(:
    pass

class After:
    pass
)py");
  ASSERT_TRUE(f.syntax_error);
  EXPECT_EQ(f.syntax_error->line, 5);
  EXPECT_EQ(f.syntax_error->column, 12);  // the ':'
  EXPECT_FALSE(f.syntax_error_detail.empty());
  EXPECT_NE(Find(f, "pkg/mod.py:Good.ok"), nullptr);
  EXPECT_NE(Find(f, "pkg/mod.py:After"), nullptr);
}

TEST(ExtractorTest, MissingTokenIsReported) {
  FileFacts f = Extract("def f(a, b:\n    pass\n");
  ASSERT_TRUE(f.syntax_error);
  EXPECT_EQ(f.syntax_error->line, 1);
}

TEST(ExtractorTest, EmptyAndDeeplyNestedInputs) {
  FileFacts empty = Extract("");
  EXPECT_TRUE(empty.definitions.empty());
  EXPECT_FALSE(empty.syntax_error);
  // Deep nesting must not overflow any stack in extraction. (Python caps indentation at 100
  // levels; the grammar's scanner keeps indent columns below 256.)
  std::string deep = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  std::string body = "def f():\n";
  for (int i = 0; i < 50; ++i) body += std::string(4 * (i + 1), ' ') + "if x:\n";
  body += std::string(4 * 51, ' ') + "def inner(): pass\n";
  FileFacts f = Extract(deep + body);
  EXPECT_NE(Find(f, "pkg/mod.py:f.inner"), nullptr);
}

// ---- Fields, variables and calls ----

std::vector<std::string> MemberLines(const FileFacts& f) {
  std::vector<std::string> out;
  for (const Member& m : f.members) {
    std::string owner = m.owner < 0 ? "-" : f.definitions[m.owner].qualified_path;
    out.push_back(m.label + " " + m.id + " owner=" + owner + " line=" + std::to_string(m.line));
  }
  return out;
}

TEST(ExtractorTest, FieldsAndVariables) {
  FileFacts f = Extract(
      "LIMIT = 10\n"                      // 1 Variable
      "LIMIT = 20\n"                      // 2 rebinding: the first wins
      "a, b = 1, 2\n"                     // 3 tuple targets: not reported
      "if True:\n"                        // 4
      "    MODE: str = 'x'\n"             // 5 Variable (blocks do not count)
      "class C:\n"                        // 6
      "    kind = 'c'\n"                  // 7 Field in a class body
      "    size: int\n"                   // 8 annotated Field without value
      "    def __init__(self, other):\n"  // 9
      "        self.x = 1\n"              // 10 Field via self
      "        other.y = 2\n"             // 11 not self: not a field
      "        local = 3\n"               // 12 a local: not reported
      "        self.kind = 4\n"           // 13 already a Field (line 7)
      "    def f(self):\n"                // 14
      "        self.x = 5\n"              // 15 repeat
      "        self.f = 6\n"              // 16 same name as the method: the method stays
      "def g():\n"                        // 17
      "    self.z = 1\n"                  // 18 not in a method: not a field
      "    y = 2\n");                     // 19 a local
  EXPECT_EQ(MemberLines(f), (std::vector<std::string>{
                                "Variable pkg/mod.py:LIMIT owner=- line=1",
                                "Variable pkg/mod.py:MODE owner=- line=5",
                                "Field pkg/mod.py:C.kind owner=C line=7",
                                "Field pkg/mod.py:C.size owner=C line=8",
                                "Field pkg/mod.py:C.x owner=C line=10",
                            }));
  // Members never change the definitions.
  EXPECT_EQ(f.definitions.size(), 4u);
}

TEST(ExtractorTest, ParameterTypesParallelToParams) {
  FileFacts f = Extract(
      "def f(self, a: Cart, b=1, c: 'Dict[str, X]' = None, *args: int, **kw):\n"
      "    pass\n");
  ASSERT_EQ(f.definitions.size(), 1u);
  EXPECT_EQ(f.definitions[0].params,
            (std::vector<std::string>{"self", "a", "b", "c", "*args", "**kw"}));
  EXPECT_EQ(f.definitions[0].param_types,
            (std::vector<std::string>{"", "Cart", "", "'Dict[str, X]'", "", ""}));
}

TEST(ExtractorTest, CallsInsideFunctionsOnly) {
  FileFacts f = Extract(
      "setup()\n"                        // module level: not recorded
      "class C:\n"                       //
      "    x = make()\n"                 // class body: not recorded
      "    def m(self):\n"               //
      "        self.save( )\n"           // 5
      "        a.b . c(d())\n"           // 6: a.b.c and the argument call d
      "        xs[0]()\n"                // 7: not a name: not recorded
      "        def inner():\n"           //
      "            return helper()\n");  // 9: caller is the nested function
  std::vector<std::string> calls;
  for (const CallFact& c : f.calls) {
    calls.push_back(f.definitions[c.caller].qualified_path + " " + c.callee + " " +
                    std::to_string(c.line) + ":" + std::to_string(c.col));
  }
  EXPECT_EQ(calls, (std::vector<std::string>{"C.m self.save 5:9", "C.m a.b.c 6:9", "C.m d 6:17",
                                             "C.m.inner helper 9:20"}));
}

TEST(ExtractorTest, QueryOutsideTheVocabularyIsRejected) {
  class BadQuery final : public languages::Language {
   public:
    explicit BadQuery(std::string q) : q_(std::move(q)) {}
    std::string_view name() const override { return "bad"; }
    const std::vector<std::string_view>& extensions() const override {
      return Python().extensions();
    }
    const TSLanguage* grammar() const override { return Python().grammar(); }
    std::string_view tags_query() const override { return q_; }
    languages::ModuleInfo ModuleForPath(std::string_view p,
                                        const languages::FileExists& e) const override {
      return Python().ModuleForPath(p, e);
    }
    std::optional<std::string> ResolveImportSource(std::string_view w,
                                                   const languages::ModuleInfo& m) const override {
      return Python().ResolveImportSource(w, m);
    }
    std::optional<std::string> CleanDocstring(std::string_view l) const override {
      return Python().CleanDocstring(l);
    }
    bool IsTest(std::string_view, std::string_view, std::string_view) const override {
      return false;
    }

   private:
    std::string q_;
  };
  BadQuery typo("(class_definition name: (identifier) @nmae) @definition.class");
  auto r = Extractor::Create(typo);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("@nmae"), std::string::npos) << r.status().ToString();

  BadQuery syntax("(class_definition\n  nme: (identifier) @name) @definition.class");
  r = Extractor::Create(syntax);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.status().position());
  EXPECT_EQ(r.status().position()->line, 2);
  EXPECT_NE(r.status().message().find("unknown field"), std::string::npos) << r.status().ToString();

  BadQuery predicate("((identifier) @name (#match? @name \"^x\")) @definition.variable");
  r = Extractor::Create(predicate);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("#match?"), std::string::npos) << r.status().ToString();

  // #not-eq? is evaluated: every function but `skip`.
  BadQuery negated(
      "((function_definition name: (identifier) @name) @definition.function"
      " (#not-eq? @name \"skip\"))");
  r = Extractor::Create(negated);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto facts = (*r)->Extract("m.py", "def keep(): pass\ndef skip(): pass\n", {"m", false});
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->definitions.size(), 1u);
  EXPECT_EQ(facts->definitions[0].name, "keep");
}

// The compiled query is shared process-wide: one Extractor per language, from any thread.
TEST(ExtractorTest, ForLanguageCompilesOnceAndIsShared) {
  const languages::Language* python = languages::LanguageByName("python");
  ASSERT_NE(python, nullptr);
  const Extractor* seen[4] = {};
  std::vector<std::thread> threads;
  for (auto& slot : seen) {
    threads.emplace_back([&slot, python] {
      auto e = Extractor::ForLanguage(*python);
      slot = e.ok() ? *e : nullptr;
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_NE(seen[0], nullptr);
  for (const Extractor* e : seen) EXPECT_EQ(e, seen[0]);
  auto again = Extractor::ForLanguage(*python);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, seen[0]);
  auto facts = (*again)->Extract("m.py", "def f():\n    pass\n", {"m", false});
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->definitions.size(), 1u);
}

}  // namespace
}  // namespace kg::ingest
