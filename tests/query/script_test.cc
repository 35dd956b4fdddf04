// Runs the query scripts in tests/query/data/*.test against the sample graph (code_graph.h).
//
// Script format (kuzu/DuckDB-style), one case per block:
//   -CASE <name>                 a test name ([A-Za-z0-9_]+)
//   -PARAM <name> = <literal>    optional, repeatable; the literal is evaluated as `RETURN <lit>`
//   -CHECK_ORDER                 optional: rows must come in this order (else compared sorted)
//   -COLUMNS a|b|c               optional: expected column names
//   -WARNING <substring>         optional, repeatable: some warning contains it
//   -LIMIT_HIT <name>            optional: expected QueryResult::limit_hit
//   -PLAN <substring>            optional, repeatable: the first operator line of EXPLAIN that
//                                starts with "NodeScan" contains it (e.g. "by label+name")
//   -STATEMENT <query>           the query; following lines continue it until "----"
//   ---- <n>                     then n lines, each a row rendered as a list (Value::DebugString)
// Lines starting with '#' and blank lines outside a statement are ignored.
// tests/query/data/*.test run on the sample graph of code_graph.h; tests/query/data/agent/*.test
// (the agent workload) run on samples/python/shop ingested with ingest::IngestPath.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ingest.h"
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
  std::vector<std::string> plans;
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

std::vector<ScriptCase> LoadCases(const std::string& subdir = "") {
  std::vector<ScriptCase> cases;
  const std::filesystem::path dir =
      std::filesystem::path(CODEKG_SOURCE_DIR) / "tests/query/data" / subdir;
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
      } else if (StartsWith(line, "-PLAN ")) {
        current->plans.push_back(Trim(line.substr(6)));
      }
    }
  }
  return cases;
}

class QueryScriptTest : public testing::CodeGraphSuite<::testing::TestWithParam<ScriptCase>> {};

std::string RenderRow(const ValueList& row) { return Value(row).DebugString(); }

void RunCase(const ScriptCase& c, storage::GraphStore& store, const std::string& graph) {
  SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + "\n" + c.statement);
  QueryOptions options;
  for (const auto& [name, literal] : c.params) {
    auto v = ExecuteQuery(store, graph, "RETURN " + literal + " AS v");
    ASSERT_TRUE(v.ok()) << "param " << name << ": " << v.status().ToString();
    options.params[name] = v->rows.at(0).at(0);
  }
  if (!c.plans.empty()) {
    auto plan = ExecuteQuery(store, graph, "EXPLAIN " + c.statement, options);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    std::string scan, all;
    for (const auto& row : plan->rows) {
      const std::string line = row.at(0).as_string();
      all += line + "\n";
      const size_t start = line.find_first_not_of(" |");
      if (scan.empty() && start != std::string::npos && line.compare(start, 8, "NodeScan") == 0) {
        scan = line;
      }
    }
    for (const auto& want : c.plans) {
      EXPECT_NE(scan.find(want), std::string::npos) << "plan:\n" << all;
    }
  }
  auto result = ExecuteQuery(store, graph, c.statement, options);
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

TEST_P(QueryScriptTest, Runs) {
  ASSERT_NE(graph_, nullptr);
  RunCase(GetParam(), graph_->store(), testing::kGraph);
}

INSTANTIATE_TEST_SUITE_P(Scripts, QueryScriptTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<ScriptCase>& info) {
                           return info.param.name;
                         });

// The agent workload on a real ingested package: samples/python/shop.
class AgentWorkloadTest : public ::testing::TestWithParam<ScriptCase> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8u << 20;
    auto store = storage::GraphStore::Open(dir_->sub("db"), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value().release();
    ingest::IngestOptions ingest_options;
    ingest_options.threads = 1;
    auto report = ingest::IngestPath(
        *store_, "shop", std::string(CODEKG_SOURCE_DIR) + "/samples/python/shop", ingest_options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_GT(report->files_parsed, 5u);
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  static inline testing::TempDir* dir_ = nullptr;
  static inline storage::GraphStore* store_ = nullptr;
};

TEST_P(AgentWorkloadTest, Runs) {
  ASSERT_NE(store_, nullptr);
  RunCase(GetParam(), *store_, "shop");
}

INSTANTIATE_TEST_SUITE_P(Agent, AgentWorkloadTest, ::testing::ValuesIn(LoadCases("agent")),
                         [](const ::testing::TestParamInfo<ScriptCase>& info) {
                           return info.param.name;
                         });

TEST(QueryScriptFilesTest, AgentWorkloadCasesWereLoaded) {
  auto cases = LoadCases("agent");
  EXPECT_GE(cases.size(), 29u);  // every workload query (27: an empty result on the sample)
  for (const auto& c : cases) EXPECT_FALSE(c.plans.empty()) << c.name << " asserts no plan";
}

TEST(QueryScriptFilesTest, CasesWereLoaded) {
  auto cases = LoadCases();
  EXPECT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    EXPECT_FALSE(c.statement.empty()) << c.file << ":" << c.line;
  }
}

}  // namespace
}  // namespace kg::query
