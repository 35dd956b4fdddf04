#pragma once
// What C and C++ share in codekg: module names (the file's path), include resolution and test
// naming. Header-only so that both languages/c/language.cc and languages/cpp/language.cc use it
// (each language folder compiles only its language.cc).
//
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/language.h"

namespace kg::ingest::languages::c_family {

// The module of a C/C++ file is its repository-relative path ("src/util.c").
inline ModuleInfo ModuleForPath(std::string_view path) {
  ModuleInfo info;
  info.name = std::string(path);
  return info;
}

// The include path without its delimiters: `"x/y.h"` -> `x/y.h`, `<stdio.h>` -> `stdio.h`;
// nullopt for a computed include (`#include MACRO`).
inline std::optional<std::string> IncludePath(std::string_view written) {
  if (written.size() >= 2 && ((written.front() == '"' && written.back() == '"') ||
                              (written.front() == '<' && written.back() == '>'))) {
    std::string_view inner = written.substr(1, written.size() - 2);
    if (!inner.empty()) return std::string(inner);
  }
  return std::nullopt;
}

// "a/./b/../c.h" -> "a/c.h"; nullopt when it climbs above the root.
inline std::optional<std::string> NormalizePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out.push_back('/');
    out.append(p);
  }
  return out;
}

// The repository file named by `#include "x.h"` in `importer`: relative to the including file's
// folder, then to each of its ancestor folders up to the repository root, then under the common
// include folders `include/` and `src/` of the root. System includes (`<x.h>`) resolve the same
// way, without the including file's folder first (they are External when no repository file
// matches).
inline std::optional<std::string> ResolveInclude(std::string_view written,
                                                 std::string_view importer,
                                                 const FileExists& exists) {
  std::optional<std::string> path = IncludePath(written);
  if (!path) return std::nullopt;
  bool quoted = written.front() == '"';
  std::string_view folder =
      importer.substr(0, importer.rfind('/') == std::string_view::npos ? 0 : importer.rfind('/'));
  std::vector<std::string> candidates;
  if (quoted) {
    // The including file's folder and its ancestors.
    std::string_view dir = folder;
    while (true) {
      candidates.push_back(dir.empty() ? *path : std::string(dir) + "/" + *path);
      if (dir.empty()) break;
      size_t slash = dir.rfind('/');
      dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
    }
  } else {
    candidates.push_back(*path);
  }
  candidates.push_back("include/" + *path);
  candidates.push_back("src/" + *path);
  for (const std::string& c : candidates) {
    std::optional<std::string> normal = NormalizePath(c);
    if (normal && !normal->empty() && exists(*normal)) return normal;
  }
  return std::nullopt;
}

// Test code by path: a folder named test/tests/testing/unittest(s), or a file named test_*,
// *_test.*, *_unittest.*, *-test.*, *Test.* (gtest, CTest, Check and cmocka layouts).
inline bool IsTestPath(std::string_view path) {
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    std::string_view dir = path.substr(start, slash - start);
    if (dir == "test" || dir == "tests" || dir == "testing" || dir == "unittest" ||
        dir == "unittests") {
      return true;
    }
    start = slash + 1;
  }
  std::string_view file = path.substr(start);
  std::string_view stem = file.substr(0, file.rfind('.'));
  return stem.starts_with("test_") || stem.ends_with("_test") || stem.ends_with("_unittest") ||
         stem.ends_with("-test") || stem.ends_with("Test") || stem.ends_with("_tests");
}

// Whether `word` looks like an attribute-like macro: upper case letters, digits and `_` with
// at least one `_` and one letter, e.g. FMT_CONSTEXPR, GTEST_API_, _GL_ATTRIBUTE_PURE.
inline bool IsMacroLikeName(std::string_view word) {
  bool underscore = false, letter = false;
  for (char c : word) {
    if (c == '_') {
      underscore = true;
    } else if (c >= 'A' && c <= 'Z') {
      letter = true;
    } else if (!(c >= '0' && c <= '9')) {
      return false;
    }
  }
  return underscore && letter && word.size() >= 4;
}

// Blanks (with spaces) the attribute-like macros the grammar cannot parse without their
// definitions, keeping every offset: a macro-like name (IsMacroLikeName) alone on its line
// (`FMT_BEGIN_NAMESPACE`, `FMT_INLINE`), or directly followed, on the same line, by a name or
// keyword (`FMT_CONSTEXPR auto f()`, `class GTEST_API_ Foo`, `static _GL_ATTRIBUTE_PURE int`)
// unless that name ends a declaration (`SIZE_T n;`, `= `, `,`, `[`, `:` after it: a caps type
// name and its declarator). A name followed by `(`, `*`, an operator or nothing else on a line
// with other code is kept (function-like macros, constants, `T* p`). Preprocessor lines (`#`)
// are kept whole. Returns `text` when nothing was blanked, else a view of `*scratch`.
inline std::string_view BlankAttributeMacros(std::string_view text, std::string* scratch) {
  auto is_ident = [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  bool copied = false;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    size_t first = text.find_first_not_of(" \t", line_start);
    bool directive = first < line_end && text[first] == '#';
    size_t i = line_start;
    while (!directive && i < line_end) {
      if (!is_ident(text[i]) || (i > line_start && is_ident(text[i - 1]))) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < line_end && is_ident(text[end])) ++end;
      std::string_view word = text.substr(i, end - i);
      size_t next = end;
      while (next < line_end && (text[next] == ' ' || text[next] == '\t')) ++next;
      bool alone = i == first && (next == line_end || text[next] == '\r');
      bool before_name = next > end && next < line_end && is_ident(text[next]) &&
                         !(text[next] >= '0' && text[next] <= '9');
      if (before_name) {  // `SIZE_T n;`, `HANDLE h = 0;`: a caps type and its declarator
        size_t after = next;
        while (after < line_end && is_ident(text[after])) ++after;
        while (after < line_end && (text[after] == ' ' || text[after] == '\t')) ++after;
        if (after < line_end &&
            std::string_view(";=,[:").find(text[after]) != std::string_view::npos) {
          before_name = false;
        }
      }
      if (IsMacroLikeName(word) && (alone || before_name)) {
        if (!copied) {
          scratch->assign(text);
          copied = true;
        }
        for (size_t k = i; k < end; ++k) (*scratch)[k] = ' ';
      }
      i = end;
    }
    line_start = line_end + 1;
  }
  return copied ? std::string_view(*scratch) : text;
}

// The hooks C and C++ share: module = path, includes resolved to repository files, attribute
// macros blanked before parsing. Each language adds its name, extensions, grammar, queries and
// test naming.
class CFamilyLanguage : public Language {
 public:
  ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const override {
    (void)exists;
    return c_family::ModuleForPath(path);
  }

  // The include path without quotes or brackets (`<stdio.h>` -> External `stdio.h`).
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const ModuleInfo& module) const override {
    (void)module;
    return IncludePath(written);
  }

  std::optional<std::string> ResolveImportFile(std::string_view written, std::string_view importer,
                                               const FileExists& exists) const override {
    return ResolveInclude(written, importer, exists);
  }

  std::string_view PrepareSource(std::string_view text, std::string* scratch) const override {
    return BlankAttributeMacros(text, scratch);
  }
};

}  // namespace kg::ingest::languages::c_family
