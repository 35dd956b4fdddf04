// JavaScript (ES modules, CommonJS, JSX): module names from paths, relative import resolution
// with extension/index probing (ingest/languages/script_modules.h), JSDoc through the default
// doc comment cleaning.

#include "ingest/languages/language.h"
#include "ingest/languages/script_modules.h"

extern "C" const TSLanguage* tree_sitter_javascript(void);

namespace kg::ingest::languages::javascript {

extern const std::string_view kTagsScm;   // languages/javascript/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/javascript/edges.scm

namespace {

class JavaScriptLanguage final : public Language {
 public:
  std::string_view name() const override { return "javascript"; }
  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".js", ".mjs", ".cjs", ".jsx"};
    return kExtensions;
  }
  const TSLanguage* grammar() const override { return tree_sitter_javascript(); }
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
    static const std::vector<std::string_view> kProbe = {".js",  ".jsx", ".mjs",
                                                         ".cjs", ".ts",  ".tsx"};
    return script::ImportFile(written, importer, exists, kProbe);
  }
  std::optional<SuperCall> ParseSuperCall(std::string_view callee) const override {
    return ParseSuperDotCall(callee);  // super.m()
  }

  bool IsTest(std::string_view kind, std::string_view, std::string_view path) const override {
    (void)kind;
    return script::IsTestPath(path);
  }
};

}  // namespace

const Language& GetLanguage() {
  static const JavaScriptLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::javascript
