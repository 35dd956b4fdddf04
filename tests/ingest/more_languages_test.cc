// The Language hooks of Go, C, C++ and Rust (module names, import resolution, test naming),
// table-driven. Extraction itself is covered by the annotated sources in tests/ingest/<lang>/.

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "ingest/languages/registry.h"

namespace kg::ingest::languages {
namespace {

const Language& Lang(std::string_view name) {
  const Language* lang = LanguageByName(name);
  EXPECT_NE(lang, nullptr) << name;
  return *lang;
}

FileExists Files(std::set<std::string> files) {
  return [files = std::move(files)](std::string_view p) { return files.count(std::string(p)) > 0; };
}

TEST(MoreLanguagesTest, FilesGoToTheirLanguage) {
  struct Case {
    const char* path;
    const char* language;
  } cases[] = {{"cmd/main.go", "go"}, {"src/a.c", "c"},     {"include/a.h", "cpp"},
               {"src/a.cc", "cpp"},   {"src/a.hpp", "cpp"}, {"src/lib.rs", "rust"},
               {"x/y.cxx", "cpp"}};
  for (const Case& c : cases) {
    const Language* lang = LanguageForPath(c.path);
    ASSERT_NE(lang, nullptr) << c.path;
    EXPECT_EQ(lang->name(), c.language) << c.path;
  }
}

TEST(MoreLanguagesTest, GoPackageIsTheFolder) {
  const Language& go = Lang("go");
  auto none = Files({});
  EXPECT_EQ(go.ModuleForPath("cmd/tool/main.go", none).name, "cmd/tool");
  ModuleInfo root = go.ModuleForPath("doc.go", none);
  EXPECT_EQ(go.ModuleForDeclaration("doc.go", "cobra", root).name, "cobra");
  EXPECT_EQ(go.ModuleForDeclaration("a/doc.go", "b", go.ModuleForPath("a/doc.go", none)).name, "a");
  EXPECT_EQ(go.ResolveImportSource("\"github.com/x/y\"", root), "github.com/x/y");
  EXPECT_EQ(go.ResolveImportSource("`fmt`", root), "fmt");
  EXPECT_TRUE(go.IsTest("file", "", "a/b_test.go"));
  EXPECT_FALSE(go.IsTest("file", "", "a/b.go"));
  EXPECT_TRUE(go.IsTest("function", "TestRun", "a/b_test.go"));
  EXPECT_FALSE(go.IsTest("function", "Testing", "a/b_test.go"));
  EXPECT_FALSE(go.IsTest("function", "TestRun", "a/b.go"));
}

TEST(MoreLanguagesTest, IncludesResolveToRepositoryFiles) {
  auto files = Files({"src/util/str.h", "include/api.h", "src/main.c", "lib/x.h", "top.h"});
  struct Case {
    const char* written;
    const char* importer;
    std::optional<std::string> file;
  } cases[] = {
      {"\"str.h\"", "src/util/str.c", "src/util/str.h"},   // the including file's folder
      {"\"util/str.h\"", "src/main.c", "src/util/str.h"},  // relative to it
      {"\"top.h\"", "src/util/str.c", "top.h"},            // an ancestor folder
      {"\"api.h\"", "src/main.c", "include/api.h"},        // include/
      {"\"../lib/x.h\"", "src/main.c", "lib/x.h"},         // .. normalized
      {"<api.h>", "src/main.c", "include/api.h"},          // system form, found in include/
      {"<stdio.h>", "src/main.c", std::nullopt},           // External
      {"\"../../up.h\"", "src/main.c", std::nullopt},      // above the root
      {"MACRO_HEADER", "src/main.c", std::nullopt},        // computed include
  };
  for (const char* name : {"c", "cpp"}) {
    const Language& lang = Lang(name);
    for (const Case& c : cases) {
      EXPECT_EQ(lang.ResolveImportFile(c.written, c.importer, files), c.file)
          << name << " " << c.written;
    }
    EXPECT_EQ(lang.ResolveImportSource("<vector>", {}), "vector");
    EXPECT_EQ(lang.ModuleForPath("src/util/str.c", files).name, "src/util/str.c");
  }
  EXPECT_TRUE(Lang("cpp").IsTest("function", "TEST_F", "src/a.cc"));
  EXPECT_TRUE(Lang("c").IsTest("file", "", "tests/a.c"));
  EXPECT_TRUE(Lang("cpp").IsTest("file", "", "src/str_unittest.cc"));
  EXPECT_FALSE(Lang("cpp").IsTest("file", "", "src/contest.cc"));
}

TEST(MoreLanguagesTest, CFamilyBlanksAttributeMacrosKeepingOffsets) {
  const std::string text =
      "FMT_BEGIN_NAMESPACE\n"
      "class GTEST_API_ Foo {\n"
      "  FMT_CONSTEXPR Foo() : x_(FMT_MAX) {}\n"
      "  FMT_ENABLE_IF(x) int y; SIZE_T z; FILE_T* p;\n"
      "#define FMT_API FMT_VISIBILITY\n"
      "};\n";
  for (std::string_view name : {"c", "cpp"}) {
    std::string scratch;
    std::string_view out = Lang(name).PrepareSource(text, &scratch);
    EXPECT_EQ(out,
              "                   \n"
              "class            Foo {\n"
              "                Foo() : x_(FMT_MAX) {}\n"
              "  FMT_ENABLE_IF(x) int y; SIZE_T z; FILE_T* p;\n"
              "#define FMT_API FMT_VISIBILITY\n"
              "};\n")
        << name;
  }
  std::string scratch;
  EXPECT_EQ(Lang("cpp").PrepareSource("int x;\n", &scratch).data(),
            std::string_view("int x;\n").data())
      << "unchanged text is not copied";
  EXPECT_EQ(Lang("python").PrepareSource("X_Y z\n", &scratch), "X_Y z\n");
}

TEST(MoreLanguagesTest, RustModulesFollowTheCrateLayout) {
  const Language& rust = Lang("rust");
  auto none = Files({});
  struct Case {
    const char* path;
    const char* module;
  } cases[] = {
      {"serde-1.0.152/src/lib.rs", "serde"},
      {"serde-1.0.152/src/de/mod.rs", "serde.de"},
      {"serde-1.0.152/src/de/value.rs", "serde.de.value"},
      {"regex-syntax/src/main.rs", "regex_syntax"},
      {"src/lib.rs", "crate"},
      {"src/ast/parse.rs", "crate.ast.parse"},
  };
  for (const Case& c : cases) EXPECT_EQ(rust.ModuleForPath(c.path, none).name, c.module) << c.path;
  ModuleInfo value = rust.ModuleForPath("serde-1.0.152/src/de/value.rs", none);
  EXPECT_EQ(rust.ResolveImportSource("crate::ser", value), "serde.ser");
  EXPECT_EQ(rust.ResolveImportSource("super::Visitor", value), "serde.de.Visitor");
  EXPECT_EQ(rust.ResolveImportSource("self::inner", value), "serde.de.value.inner");
  EXPECT_EQ(rust.ResolveImportSource("std::collections", value), "std.collections");
  EXPECT_EQ(rust.ResolveImportSource("super::super::super::x", value), std::nullopt);
  EXPECT_TRUE(rust.IsTest("file", "", "anyhow/tests/test_fmt.rs"));
  EXPECT_FALSE(rust.IsTest("file", "", "anyhow/src/fmt.rs"));
  EXPECT_TRUE(rust.IsSelfName("self"));
}

TEST(MoreLanguagesTest, RustdocLinesAreJoinedWithoutBlankLines) {
  // tree-sitter-rust's `///` nodes end with their newline: the joined run has empty lines.
  EXPECT_EQ(Lang("rust").CleanDocComment("/// A point.\n\n/// Two lines.\n"),
            "A point.\nTwo lines.");
  EXPECT_EQ(Lang("rust").CleanDocComment("/**\n * Block.\n *\n * Para.\n */"), "Block.\n\nPara.");
}

}  // namespace
}  // namespace kg::ingest::languages
