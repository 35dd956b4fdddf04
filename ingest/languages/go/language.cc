// Go: what the queries cannot express -- a package is a directory (the module name is the
// file's folder path, or the declared package name for files at the repository root), import
// paths lose their quotes, and `go test` naming conventions.
//
// Import resolution: an import path names a Module when it equals a repository folder's path,
// which is the case when a GOPATH-style tree (src/<import path>/...) is ingested from its src
// folder; otherwise it stays External (go.mod module prefixes are not read).

#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_go(void);

namespace kg::ingest::languages::go {

extern const std::string_view kTagsScm;   // languages/go/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/go/edges.scm

namespace {

std::string_view Folder(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view FileName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "Test", "TestX", "Test_x" are tests; "Testing" is not (go test's rule: the next rune is not a
// lower-case letter).
bool HasTestPrefix(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return false;
  if (name.size() == prefix.size()) return true;
  char c = name[prefix.size()];
  return !(c >= 'a' && c <= 'z');
}

class GoLanguage final : public Language {
 public:
  std::string_view name() const override { return "go"; }

  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".go"};
    return kExtensions;
  }

  const TSLanguage* grammar() const override { return tree_sitter_go(); }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  // The folder path ("cmd/tool/main.go" -> "cmd/tool"); a file at the root gets its stem until
  // its package clause names it (ModuleForDeclaration).
  ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const override {
    (void)exists;
    ModuleInfo info;
    std::string_view folder = Folder(path);
    if (!folder.empty()) {
      info.name = std::string(folder);
    } else {
      std::string_view file = FileName(path);
      info.name = std::string(file.substr(0, file.rfind('.')));
    }
    info.is_package = true;
    return info;
  }

  // Files at the repository root belong to the package their clause declares.
  ModuleInfo ModuleForDeclaration(std::string_view path, std::string_view declared,
                                  const ModuleInfo& by_path) const override {
    if (!Folder(path).empty() || declared.empty()) return by_path;
    ModuleInfo info = by_path;
    info.name = std::string(declared);
    return info;
  }

  // `"github.com/x/y"` -> `github.com/x/y` (interpreted or raw string literal).
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const ModuleInfo& module) const override {
    (void)module;
    if (written.size() >= 2 && (written.front() == '"' || written.front() == '`') &&
        written.back() == written.front()) {
      written = written.substr(1, written.size() - 2);
    }
    if (written.empty()) return std::nullopt;
    return std::string(written);
  }

  // `go test`: files named *_test.go; in them Test*, Benchmark*, Example* and Fuzz* functions.
  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    bool test_file = FileName(path).ends_with("_test.go");
    if (!test_file || kind == "file") return test_file;
    if (kind == "class") return true;  // helper types of a test file are test code
    return HasTestPrefix(name, "Test") || HasTestPrefix(name, "Benchmark") ||
           HasTestPrefix(name, "Example") || HasTestPrefix(name, "Fuzz") || kind == "method";
  }
};

}  // namespace

const Language& GetLanguage() {
  static const GoLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::go
