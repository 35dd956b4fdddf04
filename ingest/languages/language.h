#pragma once
// Language: what codekg knows about one programming language, as data plus a few hooks.
//
// The generic extractor (ingest/extractor.h) runs the language's queries (embedded .scm files
// whose capture names follow ingest/languages/CAPTURES.md) and maps captures to facts. What a
// query cannot express lives in the hooks below: how a file path (and a declared package) becomes
// a module name, how an import is resolved, how a docstring or doc comment is cleaned, what
// counts as test code.
//
// Adding a language = a folder languages/<lang>/ with tags.scm (definitions and their details),
// edges.scm (imports, bases, calls, accesses) and language.cc defining a Language, plus one line
// in languages/registry.cc. Hooks with a default implementation may be left alone.
//
// Thread-safety: Language objects are immutable singletons; every hook is a pure function and may
// be called from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct TSLanguage;

namespace kg::ingest::languages {

// The module a file defines.
struct ModuleInfo {
  std::string name;         // dotted module name, e.g. "shop.models"; never empty
  bool is_package = false;  // the file is a package's own module (Python: __init__.py)
};

// Tells whether a repository-relative path is one of the files being ingested.
using FileExists = std::function<bool(std::string_view path)>;

class Language {
 public:
  virtual ~Language() = default;

  // Stable lower-case name stored on File nodes and file records, e.g. "python".
  virtual std::string_view name() const = 0;
  // File name suffixes handled by this language, with the dot, e.g. ".py".
  virtual const std::vector<std::string_view>& extensions() const = 0;
  // The tree-sitter grammar (static, never null).
  virtual const TSLanguage* grammar() const = 0;
  // The tags query source: definitions and their details (languages/<lang>/tags.scm, embedded
  // at build time as kTagsScm).
  virtual std::string_view tags_query() const = 0;
  // The edges query source: imports, bases/implements, calls, reads/writes (languages/<lang>/
  // edges.scm, embedded as kEdgesScm). The extractor compiles tags + edges as one query, so each
  // file is walked once. Default: empty (everything lives in tags.scm).
  virtual std::string_view edges_query() const { return {}; }

  // The module defined by the file at repository-relative `path` ('/'-separated). `exists`
  // answers for other paths of the repository (e.g. to find package markers).
  virtual ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const = 0;

  // The module of a file that declares its package or namespace in its text (captured as
  // @module.name, e.g. Java `package a.b;`, Go `package x`): `declared` is that text
  // (whitespace removed), `by_path` is ModuleForPath's answer. Called by the extractor; the
  // result becomes FileFacts::module. Default: `by_path`.
  virtual ModuleInfo ModuleForDeclaration(std::string_view path, std::string_view declared,
                                          const ModuleInfo& by_path) const {
    (void)path;
    (void)declared;
    return by_path;
  }

  // The absolute module named by an import's source as written (`written`, e.g. "..models" or
  // "os.path") inside `module`. nullopt when it cannot be named as a module (a relative import
  // climbing above the top package, an include path): the import then stays unresolved unless
  // ResolveImportFile finds a repository file. Default: `written` unchanged.
  virtual std::optional<std::string> ResolveImportSource(std::string_view written,
                                                         const ModuleInfo& module) const {
    (void)module;
    return std::string(written);
  }

  // The repository file an import names, for languages that import files rather than module
  // names (C/C++ `#include "x.h"`, JS/TS `import ... from './x'`): `written` is the
  // @import.module / @import.from text as written (quotes and brackets included), `importer` the
  // importing file's repository-relative path, `exists` answers for repository files. Returns
  // the repository-relative path, or nullopt (not a file of the repository: the import resolves
  // by module name, else External). Called after extraction, once every file's path is known.
  // Default: nullopt.
  virtual std::optional<std::string> ResolveImportFile(std::string_view written,
                                                       std::string_view importer,
                                                       const FileExists& exists) const {
    (void)written;
    (void)importer;
    (void)exists;
    return std::nullopt;
  }

  // The documentation text of a string literal captured as @doc (quotes removed, escapes
  // applied, indentation cleaned), or nullopt when the literal is not a docstring (e.g. bytes).
  // Default: nullopt (the language has no docstring literals).
  virtual std::optional<std::string> CleanDocstring(std::string_view literal) const {
    (void)literal;
    return std::nullopt;
  }

  // The documentation text of the comment lines captured as @doc.comment above a definition
  // (`raw`: the run of comments as written, joined by '\n'), or nullopt when they are not
  // documentation. The default strips the markers `/**`, `/*!`, `/*`, `*/`, a leading `*` on
  // each line, `///`, `//!`, `//` and `#` (one marker per line, plus one following space), then
  // the indentation common to all non-blank lines and leading/trailing blank lines; nullopt
  // when nothing is left. Javadoc, JSDoc, Go doc, Doxygen and rustdoc all read well with it.
  virtual std::optional<std::string> CleanDocComment(std::string_view raw) const;

  // Whether a definition (kind "class"/"function"/"method", or "file" for the file itself) is
  // test code, from its name and file path. Default: false.
  virtual bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const {
    (void)kind;
    (void)name;
    (void)path;
    return false;
  }

  // Whether `name` written as the object of a call in a method (`this.m()`, `self.m()`) is the
  // instance of the method's class, so `m` is looked up on that class and its bases.
  // Default: "this".
  virtual bool IsSelfName(std::string_view name) const { return name == "this"; }

  // A call through the parent-class proxy of a method: for a callee as written (whitespace
  // removed) such as Python's `super().save` or `super(Child,self).save`, the called member
  // ("save") and the class whose bases are searched, as written ("Child"; empty for the
  // method's own class); nullopt for any other callee. Default: nullopt.
  struct SuperCall {
    std::string_view member;
    std::string_view from_class;
  };
  virtual std::optional<SuperCall> ParseSuperCall(std::string_view callee) const {
    (void)callee;
    return std::nullopt;
  }
  // ParseSuperCall for languages that write it `super.m` (Java, JavaScript, TypeScript).
  static std::optional<SuperCall> ParseSuperDotCall(std::string_view callee) {
    if (!callee.starts_with("super.") || !IsSuperMember(callee.substr(6))) return std::nullopt;
    return SuperCall{callee.substr(6), {}};
  }
  // Whether `member`, what follows a super proxy and its dot, is one member name (not `a.b`,
  // not a call or subscript of the member).
  static bool IsSuperMember(std::string_view member) {
    return !member.empty() && member.find_first_of(".()[]") == std::string_view::npos;
  }

  // Whether naming a module names the class its file declares under the module's last name
  // (Java: `import a.b.C;` -> class C of module a.b.C). Default: false.
  virtual bool ModuleNamesItsClass() const { return false; }

  // Modules whose names a file sees without importing them, as wildcard imports tried before the
  // file's own wildcard imports (Java: the file's package). Default: none.
  virtual std::vector<std::string> ImplicitWildcardImports(const ModuleInfo& module) const {
    (void)module;
    return {};
  }

  // Whether a bare call `foo()` in a method may call a method of the method's class (Java, C++:
  // an implicit `this`); tried before imports. Default: false.
  virtual bool CallsSiblingsUnqualified() const { return false; }

  // Whether a call of a bare name (`foo()`) that neither the file's definitions nor its imports
  // resolve may be resolved by name to the repository's only Function/Method of that name
  // (Resolver::ResolveCall, resolution "name"). True where functions of other files are visible
  // without an import (Go packages, C translation units, JS globals); false for Python, where
  // such a name is a builtin. Dotted calls (`x.foo()`) always may. Default: true.
  virtual bool ResolvesBareCallsByName() const { return true; }

  // The text the extractor parses instead of `text`: same length and line breaks, so every byte
  // offset, line and column still points into `text`. Languages with a preprocessor blank what
  // the grammar cannot parse (C/C++ attribute-like macros). Returns `text` itself, or a view of
  // `*scratch` after filling it. Default: `text`.
  virtual std::string_view PrepareSource(std::string_view text, std::string* scratch) const {
    (void)scratch;
    return text;
  }
};

}  // namespace kg::ingest::languages
