// The annotated-source runner (tree-sitter `test/tags` style): every file under
// tests/ingest/<folder>/ whose language is registered (by file extension) and that holds at least
// one annotation is extracted, and its facts are compared with the annotations. The format is
// described in tests/ingest/README.md. Folders are discovered at run time, so a new language's
// folder needs no edit here.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/extractor.h"
#include "ingest/languages/registry.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;

// The line-comment marker annotations are written with, per language.
std::string CommentPrefix(std::string_view language) {
  if (language == "python") return "#";
  return "//";
}

struct Annotation {
  int line = 0;      // 1-based line of the source line annotated
  int column = 0;    // 1-based column of the caret
  int at = 0;        // 1-based line of the annotation itself (for messages)
  std::string fact;  // e.g. "definition.method"
  std::string arg;   // the rest, trimmed
};

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Annotations of `lines`; `is_annotation[i]` tells which lines are annotations.
std::vector<Annotation> ParseAnnotations(const std::vector<std::string>& lines,
                                         const std::string& prefix,
                                         std::vector<bool>* is_annotation) {
  std::vector<Annotation> out;
  is_annotation->assign(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    size_t start = l.find_first_not_of(" \t");
    if (start == std::string_view::npos || l.compare(start, prefix.size(), prefix) != 0) continue;
    size_t caret = l.find_first_not_of(" \t", start + prefix.size());
    if (caret == std::string_view::npos) continue;
    // `^` points at its own column; `<-` at the column of the comment marker (column 1 names).
    bool arrow = l.compare(caret, 2, "<-") == 0;
    if (!arrow && l[caret] != '^') continue;
    size_t marker_end = caret + (arrow ? 2 : 1);
    if (arrow) caret = start;
    (*is_annotation)[i] = true;
    size_t target = i;
    while (target > 0 && (*is_annotation)[target - 1]) --target;
    if (target == 0) continue;  // nothing above: reported by the caller as a bad annotation
    Annotation a;
    a.line = static_cast<int>(target);  // the line above the run of annotations, 1-based
    a.column = static_cast<int>(caret) + 1;
    a.at = static_cast<int>(i) + 1;
    std::string rest = Trim(l.substr(marker_end));
    size_t space = rest.find(' ');
    a.fact = rest.substr(0, space);
    a.arg = space == std::string::npos ? "" : Trim(rest.substr(space + 1));
    out.push_back(a);
  }
  return out;
}

// The group a fact belongs to; a file annotating any fact of a group must annotate all of them.
std::string GroupOf(const std::string& fact) {
  if (fact.starts_with("definition.")) return "definition";
  if (fact == "reference.call") return "call";
  if (fact == "reference.import") return "import";
  if (fact == "reference.base" || fact == "reference.implements") return "base";
  return fact;
}

// One fact the extractor produced, as the runner compares it.
struct Produced {
  std::string group;
  std::string description;  // for "unexpected" messages
  int line = 0;
  bool matched = false;
};

void CheckFile(const fs::path& file, const std::string& rel, const languages::Language& lang,
               const languages::FileExists& exists, int* checked) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::vector<std::string> lines;
  std::stringstream split(text);
  for (std::string line; std::getline(split, line);) lines.push_back(line);
  std::vector<bool> is_annotation;
  std::vector<Annotation> annotations =
      ParseAnnotations(lines, CommentPrefix(lang.name()), &is_annotation);
  if (annotations.empty()) return;  // not an annotated source
  ++*checked;
  const std::string where = "tests/ingest/" + rel;

  auto extractor = Extractor::ForLanguage(lang);
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  std::string path = rel.substr(rel.find('/') + 1);  // inside the language folder
  // Annotation lines are blanked (same length, so lines and columns stay) before extraction:
  // they are comments, and must not be read as doc comments of the code around them.
  std::string blanked = text;
  {
    size_t offset = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (is_annotation[i]) {
        for (size_t k = 0; k < lines[i].size(); ++k) {
          if (blanked[offset + k] != '\r') blanked[offset + k] = ' ';
        }
      }
      offset += lines[i].size() + 1;
    }
  }
  auto result = extractor.value()->Extract(path, blanked, lang.ModuleForPath(path, exists));
  ASSERT_TRUE(result.ok()) << where << ": " << result.status().ToString();
  const FileFacts& facts = result.value();
  if (facts.syntax_error) {
    ADD_FAILURE() << where << ":" << facts.syntax_error->line << ": syntax error ("
                  << facts.syntax_error_detail << ")";
  }

  // Everything produced, by group.
  std::vector<Produced> produced;
  for (const Definition& d : facts.definitions) {
    produced.push_back(
        {"definition", d.label + " (" + d.kind + ") " + d.qualified_path, d.name_line});
  }
  for (const Member& m : facts.members) {
    produced.push_back({"definition", m.label + " " + m.qualified_path, m.name_line});
  }
  for (const CallFact& c : facts.calls) produced.push_back({"call", "call " + c.callee, c.line});
  for (const ImportFact& i : facts.imports) {
    produced.push_back(
        {"import", "import " + i.module + (i.name.empty() ? "" : " " + i.name), i.line});
  }
  std::set<std::string> annotated_groups;
  for (const Annotation& a : annotations) annotated_groups.insert(GroupOf(a.fact));

  // Marks the first unmatched produced fact of `group` with `description` as expected.
  auto claim = [&produced](const std::string& group, const std::string& description) {
    for (Produced& p : produced) {
      if (!p.matched && p.group == group && p.description == description) {
        p.matched = true;
        return;
      }
    }
  };

  for (const Annotation& a : annotations) {
    std::string at = where + ":" + std::to_string(a.at) + ": ";
    if (a.line == 0) {
      ADD_FAILURE() << at << "annotation with no source line above it";
      continue;
    }
    if (a.fact.starts_with("definition.")) {
      std::string kind = a.fact.substr(11);
      bool found = false;
      for (const Definition& d : facts.definitions) {
        std::string label = d.label;
        std::transform(label.begin(), label.end(), label.begin(), ::tolower);
        if (d.name_line != a.line || d.name_col != a.column || d.qualified_path != a.arg ||
            (kind != d.kind && kind != label)) {
          continue;
        }
        claim("definition", d.label + " (" + d.kind + ") " + d.qualified_path);
        found = true;
        break;
      }
      for (const Member& m : facts.members) {
        if (found) break;
        std::string label = m.label;
        std::transform(label.begin(), label.end(), label.begin(), ::tolower);
        if (m.name_line != a.line || m.name_col != a.column || m.qualified_path != a.arg ||
            kind != label) {
          continue;
        }
        claim("definition", m.label + " " + m.qualified_path);
        found = true;
      }
      EXPECT_TRUE(found) << at << "missing " << a.fact << " " << a.arg << " at line " << a.line
                         << ", column " << a.column;
    } else if (a.fact == "reference.call") {
      bool found = false;
      for (const CallFact& c : facts.calls) {
        if (c.line == a.line && c.col == a.column && c.callee == a.arg) {
          claim("call", "call " + c.callee);
          found = true;
          break;
        }
      }
      EXPECT_TRUE(found) << at << "missing call " << a.arg << " at line " << a.line << ", column "
                         << a.column;
    } else if (a.fact == "reference.import") {
      bool found = false;
      for (const ImportFact& i : facts.imports) {
        std::string full = i.name.empty() ? i.module : i.module + "." + i.name;
        if (i.line == a.line && a.arg == full) {
          claim("import", "import " + i.module + (i.name.empty() ? "" : " " + i.name));
          found = true;
          break;
        }
      }
      EXPECT_TRUE(found) << at << "missing import " << a.arg << " at line " << a.line;
    } else if (a.fact == "reference.base" || a.fact == "reference.implements") {
      bool found = false;
      for (const Definition& d : facts.definitions) {
        const auto& list = a.fact == "reference.base" ? d.bases : d.implements;
        if (d.start_line <= a.line && a.line <= d.end_line &&
            std::find(list.begin(), list.end(), a.arg) != list.end()) {
          found = true;
        }
      }
      EXPECT_TRUE(found) << at << "missing " << a.fact << " " << a.arg << " on a class at line "
                         << a.line;
    } else if (a.fact == "doc") {
      bool found = false;
      for (const Definition& d : facts.definitions) {
        if (d.name_line != a.line || d.name_col != a.column) continue;
        found = true;
        std::string first = d.docstring ? d.docstring->substr(0, d.docstring->find('\n')) : "";
        EXPECT_EQ(first, a.arg) << at << "docstring (first line) of " << d.qualified_path;
      }
      EXPECT_TRUE(found) << at << "no definition named at line " << a.line << ", column "
                         << a.column << " for its doc";
    } else if (a.fact == "module") {
      EXPECT_EQ(facts.module.name, a.arg) << at << "module of the file";
    } else {
      ADD_FAILURE() << at << "unknown annotation fact '" << a.fact
                    << "' (see tests/ingest/README.md)";
    }
  }
  for (const Produced& p : produced) {
    if (!p.matched && annotated_groups.count(p.group)) {
      ADD_FAILURE() << where << ":" << p.line << ": unexpected " << p.description;
    }
  }
}

TEST(AnnotatedSourcesTest, EveryLanguageFolder) {
  fs::path root = fs::path(CODEKG_SOURCE_DIR) / "tests" / "ingest";
  std::vector<fs::path> folders;
  for (const fs::directory_entry& e : fs::directory_iterator(root)) {
    if (e.is_directory() && e.path().filename() != "data") folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  int checked = 0;
  std::set<std::string> languages_checked;
  for (const fs::path& folder : folders) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(folder)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::set<std::string> rels;
    for (const fs::path& f : files) {
      rels.insert(fs::relative(f, folder).generic_string());
    }
    languages::FileExists exists = [&rels](std::string_view p) {
      return rels.count(std::string(p)) > 0;
    };
    for (const fs::path& f : files) {
      std::string rel = fs::relative(f, root).generic_string();
      const languages::Language* lang = languages::LanguageForPath(rel);
      if (lang == nullptr) continue;
      int before = checked;
      CheckFile(f, rel, *lang, exists, &checked);
      if (checked > before) languages_checked.insert(std::string(lang->name()));
    }
  }
  // The runner must not silently find nothing: Python's annotated sources are always there.
  EXPECT_TRUE(languages_checked.count("python")) << "no annotated Python source under " << root;
}

}  // namespace
}  // namespace kg::ingest
