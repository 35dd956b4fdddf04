// TypeScript and TSX (two grammars, one pair of queries): module names from paths, relative
// import resolution with extension/index probing (ingest/languages/script_modules.h), TSDoc
// through the default doc comment cleaning. Declaration files (.d.ts) are TypeScript files like
// any other.

#include "ingest/languages/language.h"
#include "ingest/languages/script_modules.h"

extern "C" const TSLanguage* tree_sitter_typescript(void);
extern "C" const TSLanguage* tree_sitter_tsx(void);

namespace kg::ingest::languages::typescript {

extern const std::string_view kTagsScm;   // languages/typescript/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/typescript/edges.scm

namespace {

class TypeScriptLanguage final : public Language {
 public:
  TypeScriptLanguage(std::string_view name, const TSLanguage* grammar,
                     std::vector<std::string_view> extensions)
      : name_(name), grammar_(grammar), extensions_(std::move(extensions)) {}

  std::string_view name() const override { return name_; }
  const std::vector<std::string_view>& extensions() const override { return extensions_; }
  const TSLanguage* grammar() const override { return grammar_; }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  ModuleInfo ModuleForPath(std::string_view path, const FileExists&) const override {
    return script::ModuleForPath(path);
  }
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const ModuleInfo& module) const override {
    return script::ImportSource(written, module);
  }
  std::optional<std::string> ResolveImportFile(std::string_view written, std::string_view importer,
                                               const FileExists& exists) const override {
    static const std::vector<std::string_view> kProbe = {".ts", ".tsx", ".d.ts", ".js", ".jsx"};
    return script::ImportFile(written, importer, exists, kProbe);
  }
  std::optional<SuperCall> ParseSuperCall(std::string_view callee) const override {
    return ParseSuperDotCall(callee);  // super.m()
  }

  bool IsTest(std::string_view kind, std::string_view, std::string_view path) const override {
    (void)kind;
    return script::IsTestPath(path);
  }

 private:
  std::string_view name_;
  const TSLanguage* grammar_;
  std::vector<std::string_view> extensions_;
};

}  // namespace

const Language& GetLanguage() {
  static const TypeScriptLanguage kLanguage("typescript", tree_sitter_typescript(),
                                            {".ts", ".mts", ".cts"});
  return kLanguage;
}

const Language& GetTsxLanguage() {
  static const TypeScriptLanguage kLanguage("tsx", tree_sitter_tsx(), {".tsx"});
  return kLanguage;
}

}  // namespace kg::ingest::languages::typescript
