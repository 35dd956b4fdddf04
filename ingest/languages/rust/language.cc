// Rust: what the queries cannot express -- module paths from the crate layout, `use` paths
// (`crate::`, `self::`, `super::`) resolved against the file's module, and test naming.
//
// Module names are dotted (codekg's convention): the crate is the folder holding `src/` (its name
// with `-` as `_` and a trailing `-<version>` of a registry folder dropped, e.g.
// `serde-1.0.152` -> `serde`), then the folders below `src/` and the file stem; `lib.rs`,
// `main.rs` are the crate root and `mod.rs` is its folder's module:
//   serde-1.0.152/src/lib.rs -> serde;  src/de/mod.rs -> <crate>.de;  src/de/value.rs ->
//   <crate>.de.value. Files outside a `src/` folder (tests/, examples/, build.rs) are named by
// their path. Inline `mod m { }` blocks are scopes of the query (languages/rust/tags.scm).

#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_rust(void);

namespace kg::ingest::languages::rust {

extern const std::string_view kTagsScm;   // languages/rust/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/rust/edges.scm

namespace {

std::vector<std::string_view> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + sep.size();
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out.push_back('.');
    out += p;
  }
  return out;
}

// "serde-1.0.152" -> "serde", "regex-syntax" -> "regex_syntax".
std::string CrateName(std::string_view folder) {
  std::string name;
  std::vector<std::string_view> parts = Split(folder, "-");
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 && !parts[i].empty() && parts[i][0] >= '0' && parts[i][0] <= '9') break;
    if (!name.empty()) name.push_back('_');
    name += parts[i];
  }
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name.empty() ? "crate" : name;
}

class RustLanguage final : public Language {
 public:
  std::string_view name() const override { return "rust"; }

  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".rs"};
    return kExtensions;
  }

  const TSLanguage* grammar() const override { return tree_sitter_rust(); }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const override {
    (void)exists;
    std::vector<std::string_view> parts = Split(path, "/");
    std::string_view file = parts.back();
    std::string stem(file.substr(0, file.rfind('.')));
    parts.pop_back();
    // The last `src` folder is the crate's source root.
    size_t src = parts.size();
    for (size_t i = parts.size(); i > 0; --i) {
      if (parts[i - 1] == "src") {
        src = i - 1;
        break;
      }
    }
    std::vector<std::string> names;
    ModuleInfo info;
    if (src < parts.size()) {
      names.push_back(src > 0 ? CrateName(parts[src - 1]) : "crate");
      for (size_t i = src + 1; i < parts.size(); ++i) names.emplace_back(parts[i]);
      bool root = src + 1 == parts.size() && (stem == "lib" || stem == "main");
      info.is_package = root || stem == "mod";
      if (!info.is_package) names.push_back(stem);
    } else {
      for (std::string_view p : parts) names.push_back(CrateName(p));
      info.is_package = stem == "mod";
      if (!info.is_package) names.push_back(stem);
    }
    info.name = Join(names);
    if (info.name.empty()) info.name = stem;
    return info;
  }

  // `crate::de` -> `<crate>.de`, `self::x` -> `<module>.x`, `super::x` -> `<parent>.x`,
  // `std::fmt` -> `std.fmt`.
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const ModuleInfo& module) const override {
    std::string clean;
    for (char c : written) {
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r') clean.push_back(c);
    }
    if (clean.starts_with("::")) clean.erase(0, 2);
    std::vector<std::string_view> parts = Split(clean, "::");
    std::vector<std::string> current;
    for (std::string_view p : Split(module.name, ".")) current.emplace_back(p);
    std::vector<std::string> out;
    size_t i = 0;
    if (!parts.empty() && parts[0] == "crate") {
      out.push_back(current.front());
      i = 1;
    } else if (!parts.empty() && (parts[0] == "self" || parts[0] == "super")) {
      out = current;
      for (; i < parts.size() && (parts[i] == "self" || parts[i] == "super"); ++i) {
        if (parts[i] == "super") {
          if (out.size() <= 1) return std::nullopt;  // above the crate root
          out.pop_back();
        }
      }
    }
    for (; i < parts.size(); ++i) out.emplace_back(parts[i]);
    std::string joined = Join(out);
    if (joined.empty()) return std::nullopt;
    return joined;
  }

  // Integration tests (a `tests/` folder), benches and files named tests.rs / *_test(s).rs /
  // test_*.rs.
  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    (void)kind;
    (void)name;
    std::vector<std::string_view> parts = Split(path, "/");
    std::string_view file = parts.back();
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i] == "tests" || parts[i] == "benches") return true;
    }
    return file == "tests.rs" || file == "test.rs" || file.ends_with("_test.rs") ||
           file.ends_with("_tests.rs") || file.starts_with("test_");
  }

  bool IsSelfName(std::string_view name) const override { return name == "self"; }

  // tree-sitter-rust's `///` comment nodes end with their newline, so the joined run has an empty
  // line after each of them; those are dropped before the default cleaning (a real blank line
  // ends a run, so none is lost).
  std::optional<std::string> CleanDocComment(std::string_view raw) const override {
    std::string joined;
    bool after_line_comment = false;
    for (std::string_view line : Split(raw, "\n")) {
      std::string_view trimmed = line;
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
        trimmed.remove_prefix(1);
      }
      if (line.empty() && after_line_comment) {
        after_line_comment = false;
        continue;
      }
      after_line_comment = trimmed.starts_with("//");
      if (!joined.empty()) joined.push_back('\n');
      joined.append(line);
    }
    return Language::CleanDocComment(joined);
  }
};

}  // namespace

const Language& GetLanguage() {
  static const RustLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::rust
