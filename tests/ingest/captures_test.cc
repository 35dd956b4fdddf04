// The capture vocabulary of ingest/languages/CAPTURES.md that is not Python's: edges.scm,
// @reference.implements, @doc.comment + CleanDocComment, @method.receiver, @scope, @module.name,
// file imports (includes) and the "name" call resolution. Each test runs the real extractor,
// resolver and batch builder on a small query written here over a real grammar, so the
// vocabulary is checked independently of any one language folder.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/batch_builder.h"
#include "ingest/extractor.h"
#include "ingest/languages/language.h"
#include "ingest/languages/registry.h"
#include "ingest/resolver.h"
#include "tests/ingest/test_util.h"

extern "C" const TSLanguage* tree_sitter_go(void);
extern "C" const TSLanguage* tree_sitter_cpp(void);
extern "C" const TSLanguage* tree_sitter_java(void);
extern "C" const TSLanguage* tree_sitter_c(void);

namespace kg::ingest {
namespace {

// A language made of a grammar and two query strings; module = path without extension.
class QueryLanguage : public languages::Language {
 public:
  QueryLanguage(const TSLanguage* grammar, std::string tags, std::string edges = "")
      : grammar_(grammar), tags_(std::move(tags)), edges_(std::move(edges)) {}

  std::string_view name() const override { return "testlang"; }
  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kNone;
    return kNone;
  }
  const TSLanguage* grammar() const override { return grammar_; }
  std::string_view tags_query() const override { return tags_; }
  std::string_view edges_query() const override { return edges_; }
  languages::ModuleInfo ModuleForPath(std::string_view path,
                                      const languages::FileExists&) const override {
    std::string name(path.substr(0, path.rfind('.')));
    for (char& c : name) c = c == '/' ? '.' : c;
    return {name, false};
  }

 private:
  const TSLanguage* grammar_;
  std::string tags_, edges_;
};

FileFacts ExtractWith(const languages::Language& lang, std::string_view path,
                      std::string_view text) {
  auto extractor = Extractor::Create(lang);
  EXPECT_TRUE(extractor.ok()) << extractor.status().ToString();
  if (!extractor.ok()) return {};
  languages::ModuleInfo module = lang.ModuleForPath(path, [](std::string_view) { return false; });
  auto facts = extractor.value()->Extract(path, text, module);
  EXPECT_TRUE(facts.ok()) << facts.status().ToString();
  return facts.ok() ? std::move(facts).value() : FileFacts{};
}

const Definition* Find(const FileFacts& facts, std::string_view qualified) {
  for (const Definition& d : facts.definitions) {
    if (d.qualified_path == qualified) return &d;
  }
  return nullptr;
}

std::vector<std::string> Edges(const storage::FactBatch& batch, std::string_view type) {
  std::vector<std::string> out;
  for (const storage::EdgeFact& e : batch.edges) {
    if (e.type != type) continue;
    std::string line = e.src_id + " -> " + e.dst_id;
    if (auto it = e.props.find("index"); it != e.props.end()) {
      line += " #" + it->second.DebugString();
    }
    out.push_back(line);
  }
  return out;
}

// ---- Every registered language's queries compile (a typo in any .scm fails here) ----

TEST(CapturesTest, EveryRegisteredLanguageCompiles) {
  for (const languages::Language* lang : languages::AllLanguages()) {
    auto e = Extractor::ForLanguage(*lang);
    EXPECT_TRUE(e.ok()) << lang->name() << ": " << e.status().ToString();
  }
  for (std::string_view name : {"python", "javascript", "typescript", "tsx", "java"}) {
    EXPECT_NE(languages::LanguageByName(name), nullptr) << name;
  }
  EXPECT_EQ(languages::LanguageForPath("a/b.tsx")->name(), "tsx");
  EXPECT_EQ(languages::LanguageForPath("a/b.mjs")->name(), "javascript");
}

// ---- edges.scm ----

TEST(CapturesTest, EdgesQueryIsCompiledWithTheTagsQuery) {
  QueryLanguage lang(tree_sitter_go(),
                     "(function_declaration name: (identifier) @name) @definition.function",
                     "(call_expression function: (identifier) @reference.call)");
  FileFacts f = ExtractWith(lang, "a.go", "package a\nfunc f() { g() }\nfunc g() {}\n");
  ASSERT_EQ(f.definitions.size(), 2u);
  ASSERT_EQ(f.calls.size(), 1u);
  EXPECT_EQ(f.calls[0].callee, "g");
  EXPECT_EQ(f.definitions[f.calls[0].caller].name, "f");

  // An error in edges.scm is reported against edges.scm, with its own line numbers.
  QueryLanguage broken(tree_sitter_go(), "(function_declaration) @definition.function",
                       "; ok\n(call_expression nosuchfield: (identifier) @reference.call)");
  auto e = Extractor::Create(broken);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("edges query"), std::string::npos) << e.status().ToString();
  EXPECT_NE(e.status().ToString().find("line 2,"), std::string::npos) << e.status().ToString();
}

// ---- @reference.implements, @module.name, @doc.comment (Java) ----

class JavaLike : public QueryLanguage {
 public:
  JavaLike()
      : QueryLanguage(tree_sitter_java(), R"scm(
(class_declaration name: (identifier) @name body: (class_body) @signature.end) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(method_declaration name: (identifier) @name) @definition.method
((block_comment) @doc.comment . (class_declaration) @definition.class)
((line_comment) @doc.comment . (class_declaration) @definition.class)
((block_comment) @doc.comment . (method_declaration) @definition.method)
(package_declaration (_) @module.name)
)scm",
                      R"scm(
(class_declaration superclass: (superclass (_) @reference.base)) @definition.class
(class_declaration
  interfaces: (super_interfaces (type_list (_) @reference.implements))) @definition.class
)scm") {}
  // Module = package + "." + file stem.
  languages::ModuleInfo ModuleForDeclaration(std::string_view path, std::string_view declared,
                                             const languages::ModuleInfo&) const override {
    std::string_view file = path.substr(path.rfind('/') + 1);
    return {std::string(declared) + "." + std::string(file.substr(0, file.find('.'))), false};
  }
};

TEST(CapturesTest, ImplementsModuleNameAndDocComments) {
  JavaLike lang;
  FileFacts f = ExtractWith(lang, "src/Shop.java", R"java(package com.acme;

/**
 * A shop.
 *
 *   Indented detail.
 */
public class Shop extends Base implements Runnable, Comparable<Shop> {
  /** Runs. */
  public void run() {}

  /* not directly above */

  public int size() { return 0; }
}

// Line one.
// Line two.
class Local {}

int x; // trailing comment
class Trailing {}
)java");
  EXPECT_EQ(f.declared_module, "com.acme");
  EXPECT_EQ(f.module.name, "com.acme.Shop");
  const Definition* shop = Find(f, "Shop");
  ASSERT_NE(shop, nullptr);
  EXPECT_EQ(shop->bases, (std::vector<std::string>{"Base"}));
  EXPECT_EQ(shop->implements, (std::vector<std::string>{"Runnable", "Comparable<Shop>"}));
  EXPECT_EQ(shop->docstring, "A shop.\n\n  Indented detail.");
  ASSERT_NE(Find(f, "Shop.run"), nullptr);
  EXPECT_EQ(Find(f, "Shop.run")->docstring, "Runs.");
  ASSERT_NE(Find(f, "Shop.size"), nullptr);
  EXPECT_FALSE(Find(f, "Shop.size")->docstring) << *Find(f, "Shop.size")->docstring;
  ASSERT_NE(Find(f, "Local"), nullptr);
  EXPECT_EQ(Find(f, "Local")->docstring, "Line one.\nLine two.");

  // IMPLEMENTS edges, in order, resolved like bases (External when outside the repository).
  RepoSymbols symbols({{f.path, f.module}}, nullptr);
  symbols.AddParsed(&f);
  Resolver resolver(symbols);
  storage::FactBatch batch = BuildFileBatch(f, {"h", "", 0}, symbols.ModuleId(f.path), resolver);
  EXPECT_EQ(Edges(batch, "IMPLEMENTS"),
            (std::vector<std::string>{"src/Shop.java:Shop -> external:Runnable #0",
                                      "src/Shop.java:Shop -> external:Comparable #1"}));
  EXPECT_EQ(Edges(batch, "INHERITS"),
            (std::vector<std::string>{"src/Shop.java:Shop -> external:Base #0"}));
}

TEST(CapturesTest, DefaultDocCommentCleaning) {
  QueryLanguage lang(tree_sitter_go(), "(function_declaration) @definition.function");
  struct Case {
    std::string raw;
    std::optional<std::string> want;
  };
  std::vector<Case> cases = {
      {"/** Short. */", "Short."},
      {"/**\n * Javadoc.\n *\n * @param x the x\n */", "Javadoc.\n\n@param x the x"},
      {"/*\n   Plain block,\n     indented.\n*/", "Plain block,\n  indented."},
      {"/* First line,\n     second. */", "First line,\nsecond."},
      {"/// Rust doc.\n/// More.", "Rust doc.\nMore."},
      {"//! Inner doc.", "Inner doc."},
      {"// Go doc.\n//\n// Second paragraph.", "Go doc.\n\nSecond paragraph."},
      {"# Shell-like.\n## two", "Shell-like.\ntwo"},
      {"/**< Doxygen member. */", "Doxygen member."},
      {"/*****/", std::nullopt},
      {"//", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(lang.CleanDocComment(c.raw), c.want) << c.raw;
  }
}

// ---- @method.receiver (Go) ----

class GoLike : public QueryLanguage {
 public:
  GoLike()
      : QueryLanguage(tree_sitter_go(), R"scm(
(type_declaration (type_spec name: (type_identifier) @name type: (struct_type))) @definition.struct
(function_declaration name: (identifier) @name) @definition.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @method.receiver))
  name: (field_identifier) @name) @definition.method
)scm",
                      R"scm(
(call_expression function: (selector_expression) @reference.call)
(call_expression function: (identifier) @reference.call)
)scm") {}
  // Module = the folder (a Go package).
  languages::ModuleInfo ModuleForPath(std::string_view path,
                                      const languages::FileExists&) const override {
    size_t slash = path.rfind('/');
    return {slash == std::string_view::npos ? "root" : std::string(path.substr(0, slash)), false};
  }
  bool IsSelfName(std::string_view name) const override { return name == "s"; }
};

TEST(CapturesTest, MethodReceiversAttachToTheirClassAcrossFilesOfAModule) {
  GoLike lang;
  FileFacts types = ExtractWith(lang, "srv/types.go", "package srv\ntype Server struct{}\n");
  FileFacts run = ExtractWith(lang, "srv/run.go", R"go(package srv
func (s *Server) Run() { s.stop() }
func (s Server[T]) stop() {}
func (c *Client) Dial() {}
func helper() {}
)go");
  const Definition* method = Find(run, "Server.Run");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->label, "Method");
  EXPECT_EQ(method->receiver, "Server");
  EXPECT_EQ(method->id, "srv/run.go:Server.Run");
  ASSERT_NE(Find(run, "Server.stop"), nullptr);
  EXPECT_EQ(Find(run, "Server.stop")->receiver, "Server");
  ASSERT_NE(Find(run, "helper"), nullptr);
  EXPECT_EQ(Find(run, "helper")->label, "Function");

  std::map<std::string, languages::ModuleInfo> modules = {
      {types.path, types.module}, {run.path, run.module}, {"other/x.go", {"other", false}}};
  RepoSymbols symbols(modules, nullptr);
  symbols.AddParsed(&types);
  symbols.AddParsed(&run);
  Resolver resolver(symbols);
  EXPECT_EQ(resolver.FindReceiverClass(run, *method), "srv/types.go:Server");
  EXPECT_EQ(resolver.FindReceiverClass(run, *Find(run, "Client.Dial")), std::nullopt);
  // The class's members include methods attached from other files of its package.
  EXPECT_EQ(resolver.FindMember("srv/types.go:Server", "Run"), "srv/run.go:Server.Run");

  storage::FactBatch batch =
      BuildFileBatch(run, {"h", "", 0}, symbols.ModuleId(run.path), resolver);
  std::vector<std::string> has_method = Edges(batch, "HAS_METHOD");
  EXPECT_EQ(has_method,
            (std::vector<std::string>{"srv/types.go:Server -> srv/run.go:Server.Run",
                                      "srv/types.go:Server -> srv/run.go:Server.stop"}));
  // Client is not in the package: its method hangs off the module.
  std::vector<std::string> contains = Edges(batch, "CONTAINS");
  EXPECT_NE(std::find(contains.begin(), contains.end(), "module:srv -> srv/run.go:Client.Dial"),
            contains.end());
  // `s.stop()` is looked up on the receiver's class.
  std::vector<std::string> calls = Edges(batch, "CALLS");
  EXPECT_NE(
      std::find(calls.begin(), calls.end(), "srv/run.go:Server.Run -> srv/run.go:Server.stop"),
      calls.end());
}

// ---- @scope (C++ namespaces) and receivers written as Class::method ----

TEST(CapturesTest, OverloadSignaturesMergeIntoOneDefinition) {
  // C prototypes stand in for TypeScript overload signatures: a run of @definition.overload
  // nodes and the implementation right after them with the same name are one definition.
  QueryLanguage lang(tree_sitter_c(), R"scm(
(declaration declarator: (function_declarator declarator: (identifier) @name)) @definition.overload
(function_definition
  declarator: (function_declarator declarator: (identifier) @name)) @definition.function
(call_expression function: (identifier) @reference.call)
)scm");
  FileFacts f = ExtractWith(lang, "m.c", R"c(int f(int);
int f(int);
int f(int x) {
  return g(x);
}
int lone(void);
int h(void) { return f(1); }
int h2(void);
)c");
  std::vector<std::string> defs;
  for (const Definition& d : f.definitions) {
    defs.push_back(d.label + " " + d.kind + " " + d.id + " " + std::to_string(d.start_line) + "-" +
                   std::to_string(d.end_line));
  }
  EXPECT_EQ(defs, (std::vector<std::string>{
                      "Function function m.c:f 1-5", "Function function m.c:lone 6-6",
                      "Function function m.c:h 7-7", "Function function m.c:h2 8-8"}));
  ASSERT_EQ(f.calls.size(), 2u);
  EXPECT_EQ(f.calls[0].callee, "g");
  EXPECT_EQ(f.calls[0].caller, 0);  // the implementation's body belongs to the merged f
  EXPECT_EQ(f.calls[1].caller, 2);
}

TEST(CapturesTest, ScopesPrefixQualifiedPaths) {
  QueryLanguage lang(tree_sitter_cpp(), R"scm(
(namespace_definition name: (_) @name) @scope
(class_specifier name: (type_identifier) @name body: (_)) @definition.class
(function_definition
  declarator: (function_declarator declarator: (identifier) @name)) @definition.function
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier scope: (_) @method.receiver name: (identifier) @name)))
  @definition.method
(declaration declarator: (init_declarator declarator: (identifier) @name)) @definition.variable
)scm");
  FileFacts f = ExtractWith(lang, "net/server.cc", R"cpp(
    namespace net {
    namespace detail {
    class Pool {};
    int limit = 3;
    }  // namespace detail
    class Server {};
    void Server::run() {}
    void free_fn() {}
    }  // namespace net
    namespace {
    void hidden() {}
    }  // namespace
  )cpp");
  std::vector<std::string> ids;
  for (const Definition& d : f.definitions) ids.push_back(d.label + " " + d.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "Class net/server.cc:net.detail.Pool", "Class net/server.cc:net.Server",
                     "Method net/server.cc:net.Server.run", "Function net/server.cc:net.free_fn",
                     "Function net/server.cc:hidden"}));
  ASSERT_EQ(f.members.size(), 1u);
  EXPECT_EQ(f.members[0].qualified_path, "net.detail.limit");
  EXPECT_EQ(f.members[0].label, "Variable");

  RepoSymbols symbols({{f.path, f.module}}, nullptr);
  symbols.AddParsed(&f);
  Resolver resolver(symbols);
  EXPECT_EQ(resolver.FindReceiverClass(f, *Find(f, "net.Server.run")), "net/server.cc:net.Server");
}

// ---- Includes: imports that name repository files ----

class CLike : public QueryLanguage {
 public:
  CLike()
      : QueryLanguage(tree_sitter_c(), "(function_definition) @definition.function",
                      "(preproc_include path: (_) @import.module) @reference.import") {}
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const languages::ModuleInfo&) const override {
    return std::string(written.substr(1, written.size() - 2));
  }
  // "x.h": the including file's folder, then include/.
  std::optional<std::string> ResolveImportFile(std::string_view written, std::string_view importer,
                                               const languages::FileExists& exists) const override {
    if (!written.starts_with("\"")) return std::nullopt;
    std::string name(written.substr(1, written.size() - 2));
    size_t slash = importer.rfind('/');
    std::string here =
        slash == std::string_view::npos ? name : std::string(importer.substr(0, slash + 1)) + name;
    for (const std::string& p : {here, "include/" + name}) {
      if (exists(p)) return p;
    }
    return std::nullopt;
  }
};

TEST(CapturesTest, IncludesResolveToRepositoryFiles) {
  CLike lang;
  FileFacts f = ExtractWith(lang, "src/main.c",
                            "#include \"util.h\"\n#include \"api.h\"\n#include <stdio.h>\n"
                            "#include \"missing.h\"\n");
  ASSERT_EQ(f.imports.size(), 4u);
  std::map<std::string, languages::ModuleInfo> modules = {
      {"src/main.c", {"src.main", false}},
      {"src/util.h", {"src.util", false}},
      {"include/api.h", {"include.api", false}}};
  ResolveImportFiles(lang, modules, &f);
  EXPECT_EQ(f.imports[0].file, "src/util.h");
  EXPECT_EQ(f.imports[0].module, "src.util");
  EXPECT_EQ(f.imports[1].file, "include/api.h");
  EXPECT_EQ(f.imports[2].file, "");
  EXPECT_EQ(f.imports[3].file, "");

  RepoSymbols symbols(modules, nullptr);
  symbols.AddParsed(&f);
  Resolver resolver(symbols);
  EXPECT_EQ(resolver.ResolveImport(f.imports[0]).id, "module:src.util");
  EXPECT_EQ(resolver.ResolveImport(f.imports[1]).id, "module:include.api");
  EXPECT_EQ(resolver.ResolveImport(f.imports[2]).id, "external:stdio.h");
  EXPECT_EQ(resolver.ResolveImport(f.imports[3]).id, "external:missing.h");
}

// ---- CALLS resolution "name" (issue 4) ----

TEST(CapturesTest, CallsResolveByUniqueNameAsALastResort) {
  const languages::Language& py = *languages::LanguageByName("python");
  auto extractor = std::move(Extractor::Create(py)).value();
  std::map<std::string, std::string> files = {
      {"a.py",
       "import os\n"
       "def run(x, y):\n"
       "    x.unique()\n"
       "    y.shared()\n"
       "    os.unique()\n"
       "    unique()\n"},
      {"b.py", "class B:\n    def unique(self): pass\n    def shared(self): pass\n"},
      {"c.py", "class C:\n    def shared(self): pass\n"},
  };
  std::map<std::string, languages::ModuleInfo> modules;
  std::map<std::string, FileFacts> facts;
  for (const auto& [path, text] : files) {
    modules[path] = {path.substr(0, 1), false};
    facts[path] = std::move(extractor->Extract(path, text, modules[path])).value();
  }
  RepoSymbols symbols(modules, nullptr);
  for (const auto& [path, f] : facts) symbols.AddParsed(&f);
  Resolver resolver(symbols);
  const FileFacts& a = facts["a.py"];
  ASSERT_EQ(a.calls.size(), 4u);
  std::vector<std::string> got;
  for (const CallFact& call : a.calls) {
    CallTarget t = resolver.ResolveCall(a, call);
    got.push_back(call.callee + " -> " + t.target.id + " (" + t.resolution + ")");
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "x.unique -> b.py:B.unique (name)",    // one method of that name
                     "y.shared -> external:y.shared ()",    // two: ambiguous
                     "os.unique -> external:os.unique ()",  // bound by an import
                     "unique -> external:unique ()",        // Python: bare names are builtins
                 }));
}

// Issue 4: `value.lower()` inside `def lower(value)` (Django's defaultfilters.lower) resolved by
// name to the function itself, a CALLS self-loop. A call through a receiver of unknown type can
// only reach a Method of the called name (same ambiguity rule), never a module-level Function.
TEST(CapturesTest, ReceiverCallsByNameNeverReachModuleLevelFunctions) {
  const languages::Language& py = *languages::LanguageByName("python");
  auto extractor = std::move(Extractor::Create(py)).value();
  std::map<std::string, std::string> files = {
      {"pkg/defaultfilters.py",
       "from pkg.safestring import mark_safe\n"
       "\n"
       "\n"
       "@stringfilter\n"
       "def lower(value):\n"
       "    \"\"\"Convert a string into all lowercase.\"\"\"\n"
       "    return value.lower()\n"
       "\n"
       "\n"
       "def title(value):\n"
       "    t = value.title()\n"
       "    return mark_safe(t)\n"
       "\n"
       "\n"
       "def slugify(value):\n"
       "    value.strip()\n"
       "    return lower(value)\n"},
      {"pkg/safestring.py",
       "def mark_safe(s):\n"
       "    return s\n"
       "\n"
       "\n"
       "def strip(s):\n"
       "    return s\n"},
      {"pkg/text.py",
       "class Truncator:\n"
       "    def title(self):\n"
       "        return self\n"},
  };
  std::map<std::string, languages::ModuleInfo> modules;
  std::map<std::string, FileFacts> facts;
  for (const auto& [path, text] : files) {
    std::string module = path.substr(0, path.size() - 3);
    std::replace(module.begin(), module.end(), '/', '.');
    modules[path] = {module, false};
    facts[path] = std::move(extractor->Extract(path, text, modules[path])).value();
  }
  RepoSymbols symbols(modules, nullptr);
  for (const auto& [path, f] : facts) symbols.AddParsed(&f);
  Resolver resolver(symbols);
  const FileFacts& filters = facts["pkg/defaultfilters.py"];
  std::vector<std::string> got;
  for (const CallFact& call : filters.calls) {
    CallTarget t = resolver.ResolveCall(filters, call);
    got.push_back(filters.definitions[call.caller].name + ": " + call.callee + " -> " +
                  t.target.id + " (" + t.resolution + ")");
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     // was pkg/defaultfilters.py:lower (name), the caller itself
                     "lower: value.lower -> external:value.lower ()",
                     // the only Method named `title` stays
                     "title: value.title -> pkg/text.py:Truncator.title (name)",
                     "title: mark_safe -> pkg/safestring.py:mark_safe (import)",
                     // `strip` is only a module-level Function: not a candidate
                     "slugify: value.strip -> external:value.strip ()",
                     "slugify: lower -> pkg/defaultfilters.py:lower (exact)",
                 }));
}

}  // namespace
}  // namespace kg::ingest
