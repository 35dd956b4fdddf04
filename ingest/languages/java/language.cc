// Java: a file is a class of a package. The module of a file is `<package>.<file stem>` (from
// `package a.b;`, captured as @module.name; the default package gives the stem alone), so
// `import a.b.C;` names class C of module a.b.C. Classes of the file's own package are visible
// without an import; `foo()` inside a class calls a method of that class; Javadoc comes through
// the default doc comment cleaning.

#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_java(void);

namespace kg::ingest::languages::java {

extern const std::string_view kTagsScm;   // languages/java/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/java/edges.scm

namespace {

std::string_view Stem(std::string_view path) {
  std::string_view file = path.substr(path.rfind('/') + 1);
  return file.substr(0, file.rfind('.'));
}

class JavaLanguage final : public Language {
 public:
  std::string_view name() const override { return "java"; }
  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".java"};
    return kExtensions;
  }
  const TSLanguage* grammar() const override { return tree_sitter_java(); }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  // Until the file's `package` is read: the default package (the file stem).
  ModuleInfo ModuleForPath(std::string_view path, const FileExists&) const override {
    return {std::string(Stem(path)), false};
  }
  ModuleInfo ModuleForDeclaration(std::string_view path, std::string_view declared,
                                  const ModuleInfo&) const override {
    return {std::string(declared) + "." + std::string(Stem(path)), false};
  }
  bool ModuleNamesItsClass() const override { return true; }
  std::vector<std::string> ImplicitWildcardImports(const ModuleInfo& module) const override {
    size_t dot = module.name.rfind('.');
    if (dot == std::string::npos) return {};
    return {module.name.substr(0, dot)};
  }
  bool CallsSiblingsUnqualified() const override { return true; }

  std::optional<SuperCall> ParseSuperCall(std::string_view callee) const override {
    return ParseSuperDotCall(callee);  // super.m()
  }

  // Maven/Gradle layout (src/test/...) and JUnit naming (FooTest, FooTests, TestFoo).
  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    bool test_file = path.find("src/test/") != std::string_view::npos ||
                     path.starts_with("test/") || path.find("/test/") != std::string_view::npos;
    std::string_view stem = Stem(path);
    test_file =
        test_file || stem.ends_with("Test") || stem.ends_with("Tests") || stem.starts_with("Test");
    if (test_file || kind == "file") return test_file;
    if (kind == "class") return name.ends_with("Test") || name.ends_with("Tests");
    return false;
  }
};

}  // namespace

const Language& GetLanguage() {
  static const JavaLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::java
