// QueryMatcher against tree-sitter's own query cursor: for every language's tags + edges query,
// on real source files of that language, both must return the same matches in the same order.
// Plus the compile errors and the semantics of the features the .scm files use, on small
// queries (anchors, quantifiers, alternations, fields, negated fields, groups of siblings).

#include "ingest/query_matcher.h"

#include <gtest/gtest.h>
#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/languages/language.h"
#include "ingest/languages/registry.h"

extern "C" const TSLanguage* tree_sitter_python(void);
extern "C" const TSLanguage* tree_sitter_go(void);
extern "C" const TSLanguage* tree_sitter_c(void);

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using Tree = std::unique_ptr<TSTree, TreeDeleter>;

Tree Parse(const TSLanguage* grammar, std::string_view text) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, grammar);
  Tree tree(
      ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size())));
  ts_parser_delete(parser);
  return tree;
}

std::string Describe(const TSQueryMatch& m, const std::vector<std::string>& names) {
  std::ostringstream out;
  out << "pattern " << m.pattern_index << ":";
  for (uint16_t i = 0; i < m.capture_count; ++i) {
    const TSQueryCapture& c = m.captures[i];
    TSPoint p = ts_node_start_point(c.node);
    out << " @" << (c.index < names.size() ? names[c.index] : "?") << "=" << ts_node_type(c.node)
        << "[" << p.row + 1 << ":" << p.column + 1 << "-" << ts_node_end_byte(c.node) << "]";
  }
  return out.str();
}

// tree-sitter's matches of `query` under `root`, described.
std::vector<std::string> CursorMatches(const TSQuery* query, TSNode root,
                                       const std::vector<std::string>& names) {
  std::vector<std::string> out;
  TSQueryCursor* cursor = ts_query_cursor_new();
  ts_query_cursor_exec(cursor, query, root);
  TSQueryMatch m;
  while (ts_query_cursor_next_match(cursor, &m)) out.push_back(Describe(m, names));
  ts_query_cursor_delete(cursor);
  return out;
}

std::vector<std::string> OwnMatches(const QueryMatcher& matcher, TSNode root) {
  auto scratch = QueryMatcher::NewScratch();
  std::vector<std::string> out;
  for (const TSQueryMatch& m : matcher.Match(root, *scratch)) {
    out.push_back(Describe(m, matcher.capture_names()));
  }
  return out;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Source files to compare on, by language: the annotated test sources, the grammar packages'
// own sources (C scanners, Rust/Go/C++ bindings, JavaScript grammars), and for Python two
// installed packages when present.
std::map<std::string, std::vector<fs::path>> Corpus() {
  std::map<std::string, std::vector<fs::path>> by_language;
  std::vector<fs::path> roots = {fs::path(CODEKG_SOURCE_DIR) / "tests" / "ingest",
                                 fs::path(CODEKG_SOURCE_DIR) / "node_modules",
                                 "/usr/lib/python3/dist-packages/requests",
                                 "/usr/lib/python3/dist-packages/flask"};
  if (const char* extra = std::getenv("KG_MATCHER_CORPUS")) roots = {extra};  // ad-hoc runs
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec) || it->file_size(ec) > (256u << 10)) continue;
      const languages::Language* lang = languages::LanguageForPath(it->path().string());
      if (lang != nullptr) by_language[std::string(lang->name())].push_back(it->path());
    }
  }
  for (auto& [name, files] : by_language) std::sort(files.begin(), files.end());
  return by_language;
}

TEST(QueryMatcher, MatchesLikeTreeSittersCursorOnEveryLanguageQuery) {
  auto corpus = Corpus();
  size_t compared_files = 0, compared_matches = 0;
  for (const languages::Language* lang : languages::AllLanguages()) {
    SCOPED_TRACE(std::string(lang->name()));
    std::string source(lang->tags_query());
    if (!lang->edges_query().empty()) source += "\n" + std::string(lang->edges_query());
    uint32_t offset = 0;
    TSQueryError error = TSQueryErrorNone;
    TSQuery* query = ts_query_new(lang->grammar(), source.data(),
                                  static_cast<uint32_t>(source.size()), &offset, &error);
    ASSERT_NE(query, nullptr) << "offset " << offset;
    auto matcher = QueryMatcher::Compile(lang->grammar(), source);
    ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
    ASSERT_EQ((*matcher)->pattern_count(), ts_query_pattern_count(query));
    std::vector<std::string> names;
    for (uint32_t i = 0; i < ts_query_capture_count(query); ++i) {
      uint32_t len = 0;
      const char* n = ts_query_capture_name_for_id(query, i, &len);
      names.emplace_back(n, len);
    }
    ASSERT_EQ((*matcher)->capture_names(), names);
    const auto& files = corpus[std::string(lang->name())];
    EXPECT_FALSE(files.empty()) << "no " << lang->name() << " sources to compare on";
    for (const fs::path& f : files) {
      std::string text = ReadFile(f);
      Tree tree = Parse(lang->grammar(), text);
      ASSERT_TRUE(tree);
      TSNode root = ts_tree_root_node(tree.get());
      std::vector<std::string> want = CursorMatches(query, root, names);
      std::vector<std::string> got = OwnMatches(**matcher, root);
      if (const char* dump = std::getenv("KG_MATCHER_DUMP");
          dump != nullptr && f.string().find(dump) != std::string::npos) {
        for (const auto& w : want) std::fprintf(stderr, "TS  %s\n", w.c_str());
        for (const auto& g : got) std::fprintf(stderr, "OWN %s\n", g.c_str());
      }
      // The one deliberate difference (CAPTURES.md): this annotated source has `const Low, High`,
      // whose second name tree-sitter's cursor misses. Checked to still differ by that one match.
      if (f == fs::path(CODEKG_SOURCE_DIR) / "tests/ingest/go/server/server.go") {
        std::string high = "@name=identifier[68:12-";
        auto extra = std::find_if(got.begin(), got.end(), [&](const std::string& m) {
          return m.find(high) != std::string::npos;
        });
        ASSERT_NE(extra, got.end()) << "server.go's `const Low, High` moved: update this check";
        got.erase(extra);
      }
      size_t i = 0;
      while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
      if (i < want.size() || i < got.size()) {
        ADD_FAILURE() << f << ": first difference at match " << i << " of " << want.size()
                      << " (tree-sitter) / " << got.size()
                      << " (ours)\n  tree-sitter: " << (i < want.size() ? want[i] : "(none)")
                      << "\n  ours:        " << (i < got.size() ? got[i] : "(none)");
      }
      ++compared_files;
      compared_matches += want.size();
    }
    ts_query_delete(query);
  }
  std::printf("compared %zu files, %zu matches\n", compared_files, compared_matches);
  EXPECT_GT(compared_files, 20u);
  EXPECT_GT(compared_matches, 10000u);
}

// ---- The features the .scm files use, on small queries, against tree-sitter's cursor ----

// Both matchers on `query` over `source`; returns ours (after checking it equals tree-sitter's).
std::vector<std::string> Same(const TSLanguage* grammar, const std::string& query,
                              const std::string& source) {
  uint32_t offset = 0;
  TSQueryError error = TSQueryErrorNone;
  TSQuery* ts =
      ts_query_new(grammar, query.data(), static_cast<uint32_t>(query.size()), &offset, &error);
  EXPECT_NE(ts, nullptr) << query;
  auto ours = QueryMatcher::Compile(grammar, query);
  EXPECT_TRUE(ours.ok()) << ours.status().ToString();
  if (ts == nullptr || !ours.ok()) return {};
  Tree tree = Parse(grammar, source);
  TSNode root = ts_tree_root_node(tree.get());
  std::vector<std::string> got = OwnMatches(**ours, root);
  EXPECT_EQ(got, CursorMatches(ts, root, (*ours)->capture_names())) << query;
  ts_query_delete(ts);
  return got;
}

TEST(QueryMatcher, OneMatchPerAssignmentOfCapturedNodes) {
  // One match per parameter; two captured children give every ordered pair.
  auto m = Same(tree_sitter_python(), "(parameters (identifier) @p)", "def f(a, b, c): pass\n");
  EXPECT_EQ(m.size(), 3u);
  m = Same(tree_sitter_python(), "(parameters (identifier) @a (identifier) @b)",
           "def f(a, b, c): pass\n");
  EXPECT_EQ(m.size(), 3u);  // (a,b) (a,c) (b,c)
  // Uncaptured nodes do not multiply matches.
  m = Same(tree_sitter_python(), "(parameters (identifier) (identifier) @b)",
           "def f(a, b, c): pass\n");
  EXPECT_EQ(m.size(), 2u);  // b, c
}

TEST(QueryMatcher, AnchorsFieldsAndNegatedFields) {
  const std::string py = "def f(a, b=1, *c):\n  '''doc'''\n  x = 1\n";
  EXPECT_EQ(Same(tree_sitter_python(), "(parameters . (identifier) @first)", py).size(), 1u);
  EXPECT_EQ(Same(tree_sitter_python(), "(parameters (_) @last .)", py).size(), 1u);
  EXPECT_EQ(
      Same(tree_sitter_python(), "(parameters (identifier) . (default_parameter) @d)", py).size(),
      1u);
  EXPECT_EQ(Same(tree_sitter_python(), "(block . (expression_statement (string) @doc))", py).size(),
            1u);
  EXPECT_EQ(Same(tree_sitter_python(), "(default_parameter name: (_) @n value: (_) @v)", py).size(),
            1u);
  Same(tree_sitter_python(), "(function_definition !return_type name: (identifier) @n)", py);
  Same(tree_sitter_python(), "(function_definition !parameters) @f", py);
  // Anonymous nodes, both wildcards.
  Same(tree_sitter_python(), "(parameters \",\" @comma)", py);
  Same(tree_sitter_python(), "(parameters _ @any)", py);
  Same(tree_sitter_python(), "(parameters (_) @named)", py);
}

TEST(QueryMatcher, QuantifiersAlternationsAndGroups) {
  const std::string py = "# a\n# b\n'''doc'''\nimport os\n";
  auto m =
      Same(tree_sitter_python(), "(module . (comment)* . (expression_statement (string) @d))", py);
  EXPECT_EQ(m.size(), 1u);
  Same(tree_sitter_python(), "(module (comment)+ @c)", py);
  Same(tree_sitter_python(), "((comment) @c . (expression_statement) @e)", py);
  Same(tree_sitter_python(), "(call function: [(identifier) (attribute)] @f)",
       "f(1)\na.b(2)\n(g)(3)\n");
  // An alternation whose branches capture the same nodes: one match.
  Same(tree_sitter_python(), "(call arguments: (argument_list [(identifier) @a (identifier) @a]))",
       "f(x, y)\n");
  // Predicates are parsed, not evaluated (both return the match).
  Same(tree_sitter_python(), "((identifier) @i (#eq? @i \"x\"))", "x + y\n");
  // C doc comments: the comment and the definition after it, siblings.
  Same(tree_sitter_c(), "((comment) @c . (function_definition) @f)",
       "/* f */\nint f(void) { return 0; }\n// g\nint g(void) { return 1; }\n");
}

TEST(QueryMatcher, NoGroupOfSiblingsStartsInsideAnErrorNode) {
  // The whole file is an ERROR (unbalanced braces): tree-sitter starts no multi-node pattern
  // directly inside it; single-node ones still match.
  const std::string c = "/* f */\nint f(void) { return 0; }\n}}\n";
  Same(tree_sitter_c(), "((comment) @c . (function_definition) @f)", c);
  Same(tree_sitter_c(), "(function_definition) @f", c);
}

TEST(QueryMatcher, EachNameOfAFieldInAHiddenRepetitionMatches) {
  // Where this matcher and tree-sitter 0.20 differ, on purpose: `const a, b = 1, 2` gives
  // `name: (identifier)` twice in a hidden repetition; tree-sitter's cursor matches the first
  // only (it believes no later sibling can have the field), this matcher each of them.
  auto m = QueryMatcher::Compile(tree_sitter_go(), "(const_spec name: (identifier) @name)");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Tree tree = Parse(tree_sitter_go(), "package p\nconst a, b = 1, 2\n");
  std::vector<std::string> got = OwnMatches(**m, ts_tree_root_node(tree.get()));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].find("[2:7-"), std::string::npos) << got[0];
  EXPECT_NE(got[1].find("[2:10-"), std::string::npos) << got[1];
}

TEST(QueryMatcher, CompileErrorsNameTheProblemAndItsPosition) {
  struct Case {
    std::string query;
    std::string message;
    int line, column;
  };
  const std::vector<Case> cases = {
      {"(function_definition\n  nme: (identifier))", "unknown field 'nme'", 2, 3},
      {"(functoin_definition)", "unknown node type 'functoin_definition'", 1, 2},
      {"(call \"nosuch\")", "unknown node type \"nosuch\"", 1, 7},
      {"((identifier) @a (#eq? @b \"x\"))", "unknown capture @b", 1, 24},
      {"(call (argument_list)", "unterminated node pattern", 1, 1},
      {"(call \"(", "unterminated string", 1, 7},
      {"(expression/identifier)", "supertype patterns are not supported", 1, 12},
      {"(call ((identifier) (identifier)))", "groups inside a pattern are not supported", 1, 7},
      {"(ERROR) @e", "ERROR patterns are not supported", 1, 2},
      {"(call) @c )", "unexpected ')'", 1, 11},
      {"(call (identifier)* @i)*", "a quantifier on a pattern's first node", 1, 1},
      {"[(call) [(identifier) (string)]]", "nested alternations are not supported", 1, 1},
  };
  for (const Case& c : cases) {
    auto m = QueryMatcher::Compile(tree_sitter_python(), c.query);
    ASSERT_FALSE(m.ok()) << c.query;
    EXPECT_NE(m.status().message().find(c.message), std::string::npos)
        << c.query << " -> " << m.status().ToString();
    ASSERT_TRUE(m.status().position()) << c.query;
    EXPECT_EQ(m.status().position()->line, c.line) << c.query << " -> " << m.status().ToString();
    EXPECT_EQ(m.status().position()->column, c.column)
        << c.query << " -> " << m.status().ToString();
  }
}

}  // namespace
}  // namespace kg::ingest
