#pragma once
// Language: what codekg knows about one programming language, as data plus a few hooks.
//
// The generic extractor (ingest/extractor.h) runs the language's tags query (an embedded .scm
// file whose capture names follow ingest/languages/CAPTURES.md) and maps captures to facts. What a
// query cannot express lives in the hooks below: how a file path becomes a module name, how a
// relative import is resolved, how a docstring literal is cleaned, what counts as a test.
//
// Adding a language = a folder languages/<lang>/ with tags.scm and language.cc defining a
// Language, plus one line in languages/registry.cc.
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
  // The tags query source (embedded at build time).
  virtual std::string_view tags_query() const = 0;

  // The module defined by the file at repository-relative `path` ('/'-separated). `exists`
  // answers for other paths of the repository (e.g. to find package markers).
  virtual ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const = 0;

  // The absolute module named by an import's source as written (`written`, e.g. "..models" or
  // "os.path") inside `module`. nullopt when a relative import climbs above the top package.
  virtual std::optional<std::string> ResolveImportSource(std::string_view written,
                                                         const ModuleInfo& module) const = 0;

  // The documentation text of a string literal captured as @doc (quotes removed, escapes
  // applied, indentation cleaned), or nullopt when the literal is not a docstring (e.g. bytes).
  virtual std::optional<std::string> CleanDocstring(std::string_view literal) const = 0;

  // Whether a definition (kind "class"/"function"/"method", or "file" for the file itself) is
  // test code, from its name and file path.
  virtual bool IsTest(std::string_view kind, std::string_view name,
                      std::string_view path) const = 0;
};

}  // namespace kg::ingest::languages
