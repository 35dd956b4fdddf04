// Runs the query scripts in tests/query/data/*.test against the sample graph (code_graph.h).
//
// Script format (kuzu/DuckDB-style), one case per block:
//   -CASE <name>                 a test name ([A-Za-z0-9_]+)
//   -PARAM <name> = <literal>    optional, repeatable; the literal is evaluated as `RETURN <lit>`
//   -CHECK_ORDER                 optional: rows must come in this order (else compared sorted)
//   -COLUMNS a|b|c               optional: expected column names
//   -WARNING <substring>         optional, repeatable: some warning contains it
//   -LIMIT_HIT <name>            optional: expected QueryResult::limit_hit
//   -STATEMENT <query>           the query; following lines continue it until "----"
//   ---- <n>                     then n lines, each a row rendered as a list (Value::DebugString)
// Lines starting with '#' and blank lines outside a statement are ignored.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "query/engine.h"
#include "tests/query/code_graph.h"

namespace kg::query {
namespace {

struct ScriptCase {
  std::string file;
  int line = 0;
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;
  bool check_order = false;
  std::optional<std::string> columns;
  std::vector<std::string> warnings;
  std::optional<std::string> limit_hit;
  std::string statement;
  std::vector<std::string> rows;
};

void PrintTo(const ScriptCase& c, std::ostream* os) { *os << c.file << ":" << c.line; }

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::vector<ScriptCase> LoadCases() {
  std::vector<ScriptCase> cases;
  const std::filesystem::path dir = std::filesystem::path(CODEKG_SOURCE_DIR) / "tests/query/data";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int line_no = 0;
    ScriptCase* current = nullptr;
    bool in_statement = false;
    int rows_left = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (rows_left > 0) {
        current->rows.push_back(Trim(line));
        --rows_left;
        continue;
      }
      if (StartsWith(line, "-CASE ")) {
        cases.push_back(ScriptCase{});
        current = &cases.back();
        current->file = path.filename().string();
        current->line = line_no;
        current->name = path.stem().string() + "_" + Trim(line.substr(6));
        in_statement = false;
        continue;
      }
      if (current == nullptr) continue;
      if (StartsWith(line, "----")) {
        in_statement = false;
        rows_left = std::stoi(Trim(line.substr(4)));
      } else if (in_statement) {
        current->statement += "\n" + line;
      } else if (StartsWith(line, "-STATEMENT ")) {
        current->statement = line.substr(11);
        in_statement = true;
      } else if (StartsWith(line, "-PARAM ")) {
        std::string rest = line.substr(7);
        size_t eq = rest.find('=');
        current->params.emplace_back(Trim(rest.substr(0, eq)), Trim(rest.substr(eq + 1)));
      } else if (StartsWith(line, "-CHECK_ORDER")) {
        current->check_order = true;
      } else if (StartsWith(line, "-COLUMNS ")) {
        current->columns = Trim(line.substr(9));
      } else if (StartsWith(line, "-WARNING ")) {
        current->warnings.push_back(Trim(line.substr(9)));
      } else if (StartsWith(line, "-LIMIT_HIT ")) {
        current->limit_hit = Trim(line.substr(11));
      }
    }
  }
  return cases;
}

class QueryScriptTest : public testing::CodeGraphSuite<::testing::TestWithParam<ScriptCase>> {};

std::string RenderRow(const ValueList& row) { return Value(row).DebugString(); }

TEST_P(QueryScriptTest, Runs) {
  const ScriptCase& c = GetParam();
  SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + "\n" + c.statement);
  ASSERT_NE(graph_, nullptr);
  QueryOptions options;
  for (const auto& [name, literal] : c.params) {
    auto v = ExecuteQuery(graph_->store(), testing::kGraph, "RETURN " + literal + " AS v");
    ASSERT_TRUE(v.ok()) << "param " << name << ": " << v.status().ToString();
    options.params[name] = v->rows.at(0).at(0);
  }
  auto result = ExecuteQuery(graph_->store(), testing::kGraph, c.statement, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  if (c.columns) {
    std::string columns;
    for (size_t i = 0; i < result->columns.size(); ++i) {
      columns += (i ? "|" : "") + result->columns[i];
    }
    EXPECT_EQ(columns, *c.columns);
  }
  std::vector<std::string> actual;
  for (const auto& row : result->rows) actual.push_back(RenderRow(row));
  std::vector<std::string> expected = c.rows;
  if (!c.check_order) {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  EXPECT_EQ(actual, expected);
  for (const auto& w : c.warnings) {
    bool found =
        std::any_of(result->warnings.begin(), result->warnings.end(),
                    [&w](const std::string& have) { return have.find(w) != std::string::npos; });
    EXPECT_TRUE(found) << "no warning contains '" << w
                       << "'; warnings: " << ::testing::PrintToString(result->warnings);
  }
  if (c.warnings.empty()) {
    EXPECT_TRUE(result->warnings.empty()) << ::testing::PrintToString(result->warnings);
  }
  EXPECT_EQ(result->limit_hit, c.limit_hit.value_or(""));
  EXPECT_EQ(result->stats.rows, result->rows.size());
}

INSTANTIATE_TEST_SUITE_P(Scripts, QueryScriptTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<ScriptCase>& info) {
                           return info.param.name;
                         });

TEST(QueryScriptFilesTest, CasesWereLoaded) {
  auto cases = LoadCases();
  EXPECT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    EXPECT_FALSE(c.statement.empty()) << c.file << ":" << c.line;
  }
}

}  // namespace
}  // namespace kg::query
