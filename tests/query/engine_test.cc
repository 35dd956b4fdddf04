// End-to-end tests of ExecuteQuery that need more than a table of rows: limits, errors,
// EXPLAIN, statistics, `code` materialization, concurrency. Row-level behaviour is covered by
// the scripts in tests/query/data (script_test.cc).

#include "query/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include "tests/query/code_graph.h"
#include "tests/testing/temp_dir.h"

namespace kg::query {
namespace {

class EngineTest : public testing::CodeGraphSuite<::testing::Test> {
 protected:
  static Result<QueryResult> Run(const std::string& q, const QueryOptions& options = {}) {
    return ExecuteQuery(graph_->store(), testing::kGraph, q, options);
  }
};

TEST_F(EngineTest, CodeIsMaterializedFromTheFileText) {
  auto r =
      Run("MATCH (m:Method) WHERE m.qualified_name IN ['Base.save', 'User.get_name'] "
          "RETURN m.qualified_name, m.code ORDER BY m.qualified_name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0][1], Value("def save(self):\n        return True\n"));
  EXPECT_EQ(r->rows[1][1], Value("def get_name(self):\n        return self.name\n"));

  r = Run("MATCH (f:Function {name: 'helper'}) RETURN f.code");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0), Value("def helper(n):\n    return helper(n - 1) if n else 0\n"));

  // No byte range (File, External): null. `code` is not part of the node map.
  r = Run("MATCH (n) WHERE n:File OR n:External RETURN DISTINCT n.code");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_TRUE(r->rows[0][0].is_null());
  r = Run("MATCH (f:Function {name: 'main'}) RETURN f");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0).as_map().count("code"), 0u);
}

TEST_F(EngineTest, MaxRowsTruncates) {
  QueryOptions options;
  options.max_rows = 5;
  auto r = Run("MATCH (n) RETURN n.name", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 5u);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->limit_hit, "max_rows");
  EXPECT_EQ(r->stats.rows, 5u);

  options.max_rows = 16;  // exactly the number of nodes: nothing is cut
  r = Run("MATCH (n) RETURN n.name", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 16u);
  EXPECT_FALSE(r->truncated);
  EXPECT_EQ(r->limit_hit, "");
}

TEST_F(EngineTest, TimeoutOnACrossProduct) {
  QueryOptions options;
  options.timeout_ms = 1;
  const auto start = std::chrono::steady_clock::now();
  // 16^6 = 16.7M combinations: far more than 1 ms of work.
  auto r = Run("MATCH (a), (b), (c), (d), (e), (f) RETURN count(*)", options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsTimeout()) << r.status().ToString();
  EXPECT_EQ(r.status().message(), "query exceeded timeout of 1 ms");
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(EngineTest, MaxExpansionsStopsTheWalk) {
  QueryOptions options;
  options.max_expansions = 10;
  auto r = Run("MATCH (a)-[*1..3]-(b) RETURN a.name, b.name", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->limit_hit, "max_expansions");
  EXPECT_EQ(r->stats.edges_expanded, 10u);
  EXPECT_LE(r->rows.size(), 10u);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings.back().find("max_expansions"), std::string::npos);

  // The same query with the default budget completes.
  r = Run("MATCH (a)-[*1..3]-(b) RETURN count(*)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->truncated);
  EXPECT_GT(r->rows.at(0).at(0).as_int(), 10);
}

TEST_F(EngineTest, StatsCountWork) {
  auto r = Run("MATCH (c:Class {name: 'User'})-[:HAS_METHOD]->(m) RETURN m.name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stats.rows, 2u);
  EXPECT_EQ(r->stats.nodes_scanned, 1u);  // the label+name index found exactly one node
  EXPECT_EQ(r->stats.edges_expanded, 2u);
  EXPECT_GE(r->stats.parse_ms, 0.0);
  EXPECT_GE(r->stats.plan_ms, 0.0);
  EXPECT_GE(r->stats.exec_ms, 0.0);

  r = Run("MATCH (n) RETURN count(*)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stats.nodes_scanned, 16u);
  EXPECT_EQ(r->stats.edges_expanded, 0u);
}

std::vector<std::string> PlanLines(const QueryResult& r) {
  std::vector<std::string> lines;
  for (const auto& row : r.rows) lines.push_back(row.at(0).as_string());
  return lines;
}

TEST_F(EngineTest, ExplainShowsAnchorsAndPushedFilters) {
  struct Case {
    const char* query;
    std::vector<std::string> plan;
  } cases[] = {
      {"EXPLAIN MATCH (f:File)-[:CONTAINS]->(c:Class {name: 'User'}) RETURN f.name",
       {"Project f.name AS f.name", "  Filter f:File", "    Expand (c)<-[:CONTAINS]-(f)",
        "      NodeScan (c:Class) by label+name name in ['User'] ~1 rows", "        Start"}},
      {"EXPLAIN MATCH (m:Method)<-[:HAS_METHOD]-(c:Class) RETURN m",
       {"Project m AS m", "  Filter m:Method", "    Expand (c)-[:HAS_METHOD]->(m)",
        "      NodeScan (c:Class) by label ~3 rows", "        Start"}},
      {"EXPLAIN MATCH (c:Class)-[r:HAS_METHOD]->(m) WHERE c.start_line > 1 AND m.name = 'save' "
       "RETURN c.name, count(*) AS n ORDER BY n DESC LIMIT 1",
       {"Limit 1", "  Sort n DESC", "    Project count(*) AS n",
        "      Aggregate [count(*)] group by [c.name]", "        Project c.name AS c.name",
        "          Filter (m.name = 'save')", "            Expand (c)-[r:HAS_METHOD]->(m)",
        "              Filter (c.start_line > 1)",
        "                NodeScan (c:Class) by label ~3 rows", "                  Start"}},
      {"EXPLAIN MATCH (n) WHERE toLower(n.name) = 'user' RETURN DISTINCT n.name",
       {"Distinct [n.name]", "  Project n.name AS n.name", "    Filter (tolower(n.name) = 'user')",
        "      NodeScan (n) all nodes ~16 rows", "        Start"}},
      {"EXPLAIN MATCH (n:Class) WHERE toLower(n.name) = 'user' RETURN n.name",
       {"Project n.name AS n.name", "  Filter (tolower(n.name) = 'user')",
        "    NodeScan (n:Class) by label+name (case-insensitive) name in ['user'] ~1 rows",
        "      Start"}},
      {"EXPLAIN MATCH (a)-[:CALLS]->(b) WHERE id(b) = 'models.py:User' RETURN a.name",
       {"Project a.name AS a.name", "  Expand (b)<-[:CALLS]-(a)",
        "    Filter (id(b) = 'models.py:User')",
        "      NodeScan (b) by id in ['models.py:User'] ~1 rows", "        Start"}},
      {"EXPLAIN MATCH (n:Nope)-[:CALLS*]->(m) RETURN m SKIP 2",
       {"Skip 2", "  Project m AS m", "    Expand (n)-[:CALLS*1..10]->(m)",
        "      NodeScan (n) empty (unknown label)", "        Start"}},
  };
  for (const auto& c : cases) {
    auto r = Run(c.query);
    ASSERT_TRUE(r.ok()) << c.query << ": " << r.status().ToString();
    EXPECT_EQ(r->columns, std::vector<std::string>{"plan"});
    EXPECT_EQ(PlanLines(*r), c.plan) << c.query;
  }
}

TEST_F(EngineTest, RuntimeErrorsHavePositions) {
  struct Case {
    const char* query;
    int column;
    const char* message;
  } cases[] = {
      {"MATCH (c:Class) WHERE c.name OR false RETURN c", 23, "OR expects boolean operands"},
      {"MATCH (c:Class) WHERE c.name RETURN c", 23, "WHERE expects a boolean, got string"},
      {"RETURN 1 / 0", 8, "division by zero"},
      {"RETURN 9223372036854775807 + 1", 8, "integer overflow"},
      {"MATCH (c:Class) RETURN c.start_line.x", 24, "cannot read property 'x' of integer"},
      {"MATCH (c:Class) WHERE c.name =~ c.kind + '(' RETURN c", 23,
       "invalid regular expression 'class('"},
      {"MATCH (c:Class) RETURN sum(c.name)", 28, "sum() expects numbers"},
      {"MATCH (c:Class) RETURN toUpper(c.start_line)", 24, "toUpper() expects a string"},
      {"RETURN 1 IN 'abc'", 8, "IN expects a list"},
  };
  for (const auto& c : cases) {
    auto r = Run(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << c.query << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.query << ": " << r.status().message();
    ASSERT_TRUE(r.status().position().has_value()) << c.query;
    EXPECT_EQ(r.status().position()->line, 1) << c.query;
    EXPECT_EQ(r.status().position()->column, c.column) << c.query << ": " << r.status().ToString();
  }
}

TEST_F(EngineTest, ErrorsBeforeExecution) {
  auto r = ExecuteQuery(graph_->store(), "no_such_graph", "MATCH (n) RETURN n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();

  r = Run("MATCH (n:Class RETURN n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_EQ(r.status().ToString(),
            "invalid_argument: expected ')' but found 'RETURN' (line 1, column 16)");

  r = Run("MATCH (n) MERGE (m) RETURN n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  ASSERT_TRUE(r.status().position().has_value());
  EXPECT_EQ(r.status().position()->column, 11);

  QueryOptions bad;
  bad.timeout_ms = 0;
  r = Run("RETURN 1", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  bad = QueryOptions();
  bad.max_rows = -1;
  EXPECT_TRUE(Run("RETURN 1", bad).status().IsInvalidArgument());
  bad = QueryOptions();
  bad.max_var_hops = 0;
  EXPECT_TRUE(Run("RETURN 1", bad).status().IsInvalidArgument());
}

// Scoping rules of WITH and UNWIND are compile-time errors with positions.
TEST_F(EngineTest, WithAndUnwindScopingErrors) {
  struct Case {
    const char* query;
    const char* message;
    int column;
  } cases[] = {
      {"MATCH (c:Class), (m:Method) WITH c RETURN m", "unknown variable 'm'", 43},
      {"MATCH (c:Class) WITH c.name RETURN 1", "must be aliased", 22},
      {"UNWIND [1] AS x UNWIND [2] AS x RETURN x", "already defined", 31},
      {"MATCH (c:Class) WITH c AS x RETURN c", "unknown variable 'c'", 36},
  };
  for (const auto& c : cases) {
    auto r = Run(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << c.query << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.query << ": " << r.status().ToString();
    ASSERT_TRUE(r.status().position().has_value()) << c.query;
    EXPECT_EQ(r.status().position()->column, c.column) << c.query;
  }
}

TEST_F(EngineTest, ExplainShowsOptionalUnwindAndWith) {
  auto r =
      Run("EXPLAIN UNWIND ['User'] AS n MATCH (c:Class {name: n}) "
          "OPTIONAL MATCH (c)-[:INHERITS]->(p) WITH c, p WHERE p IS NULL RETURN c.name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string plan;
  for (const auto& row : r->rows) plan += row.at(0).as_string() + "\n";
  EXPECT_NE(plan.find("Optional [p]"), std::string::npos) << plan;
  EXPECT_NE(plan.find("| Expand (c)-[:INHERITS]->(p)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("|   Argument"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Unwind ['User'] AS n"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter (p IS NULL)"), std::string::npos) << plan;
}

TEST_F(EngineTest, MaxVarHopsOptionClamps) {
  QueryOptions options;
  options.max_var_hops = 1;
  auto r = Run("MATCH (a:Class {name: 'Admin'})-[:INHERITS*]->(b) RETURN b.name", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], Value("User"));
  EXPECT_EQ(r->limit_hit, "max_var_hops");
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("clamped to max_var_hops = 1"), std::string::npos);
}

TEST_F(EngineTest, ProfileReportsRowsPerOperator) {
  auto r = Run("PROFILE MATCH (c:Class)-[:HAS_METHOD]->(m:Method) RETURN c.name, m.name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 4u);  // the query's own rows
  ASSERT_GE(r->profile.size(), 3u);
  EXPECT_EQ(r->profile[0].depth, 0);
  EXPECT_EQ(r->profile[0].rows, 4u);  // the root passes up every result row
  bool saw_scan = false, saw_expand = false;
  for (const auto& op : r->profile) {
    EXPECT_GE(op.time_ms, 0.0);
    if (op.op.rfind("NodeScan", 0) == 0) {
      saw_scan = true;
      EXPECT_EQ(op.rows, 3u) << op.op;  // three classes (or the four methods, if anchored there)
    }
    if (op.op.rfind("Expand", 0) == 0) {
      saw_expand = true;
      EXPECT_EQ(op.rows, 4u) << op.op;
    }
  }
  EXPECT_TRUE(saw_scan);
  EXPECT_TRUE(saw_expand);
  // Without PROFILE there is no profile.
  r = Run("MATCH (c:Class) RETURN c.name");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->profile.empty());
}

TEST_F(EngineTest, CreateWritesAGraphLevelBatch) {
  storage::GraphStore& store = graph_->store();
  ASSERT_TRUE(store.CreateGraph("create_test").ok());
  auto run = [&](const std::string& q) { return ExecuteQuery(store, "create_test", q); };
  auto r = run("CREATE (a:Person {name: 'x', id: 7})-[:KNOWS {since: 1}]->(b:Person {name: 'y'})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->columns.empty());
  EXPECT_TRUE(r->rows.empty());
  r = run("MATCH (a)-[r:KNOWS]->(b) RETURN a.name, a.id, r.since, b.name, b.id IS NULL");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  // The user property `id` reads back as written; a created node without one has no id.
  EXPECT_EQ(r->rows[0], (ValueList{Value("x"), Value(7), Value(1), Value("y"), Value(true)}));
  r = run("MATCH (a:Person {name: 'x'}) RETURN a");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0).as_map().at("id"), Value(7));

  // One node per input row; created entities are visible to RETURN as maps.
  r = run("UNWIND range(1, 3) AS i CREATE (n:N {i: i}) RETURN n.i, labels(n)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[2], (ValueList{Value(3), Value(ValueList{Value("N")})}));
  // Relationships between matched and created nodes, across two CREATE clauses.
  r = run("MATCH (p:Person {name: 'y'}) CREATE (q:Person {name: 'z'}) CREATE (p)-[:KNOWS]->(q)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  r = run("MATCH (:Person {name: 'x'})-[:KNOWS*2]->(c) RETURN c.name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], Value("z"));

  // Bad CREATE: clear errors, nothing written.
  for (const char* bad :
       {"CREATE (a)-[:T]-(b)", "CREATE (a)-[:T|U]->(b)", "CREATE (a)-[*1..2]->(b)",
        "MATCH (n:N) CREATE (n:Extra)", "CREATE (a {m: {x: 1}})"}) {
    auto e = run(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_TRUE(e.status().IsInvalidArgument()) << bad << ": " << e.status().ToString();
  }
  r = run("MATCH (n) RETURN count(n)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0][0], Value(6));
  // A statement without RETURN must end with CREATE.
  auto e = run("MATCH (n)");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("expected MATCH or RETURN"), std::string::npos)
      << e.status().ToString();
}

TEST_F(EngineTest, LimitsHoldForNewConstructs) {
  // range() is capped; a comprehension over it cannot run away.
  auto r = Run("RETURN size([x IN range(1, 100000000) | x]) AS n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("range()"), std::string::npos);
  // A comprehension is bounded by the timeout.
  QueryOptions fast;
  fast.timeout_ms = 50;
  r = Run("UNWIND range(1, 1000000) AS i RETURN size([x IN range(1, 1000) WHERE x > i]) AS n",
          fast);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsTimeout()) << r.status().ToString();
  // A var-length pattern predicate counts its edges against max_expansions.
  QueryOptions few;
  few.max_expansions = 3;
  r = Run("MATCH (f:Function) WHERE (f)-[:CALLS*1..5]->(:External) RETURN f.name", few);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->limit_hit, "max_expansions");
  // The variable-length bound of a pattern predicate is clamped like MATCH's.
  QueryOptions hops;
  hops.max_var_hops = 2;
  r = Run("MATCH (f:Function) WHERE (f)-[:CALLS*]->(:External) RETURN f.name", hops);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->limit_hit, "max_var_hops");
}

TEST_F(EngineTest, PatternPredicateErrors) {
  auto r = Run("MATCH (f:Function) WHERE (f)-[:CALLS]->(g) RETURN f");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("pattern predicate cannot introduce"), std::string::npos)
      << r.status().ToString();
  // Subtraction of parenthesised expressions still parses.
  r = Run("WITH 3 AS a, 1 AS b RETURN (a) - (b) AS d, (a)-(b) AS e");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0), (ValueList{Value(2), Value(2)}));
}

TEST_F(EngineTest, SearchRanksNamesAndSplitsIdentifiers) {
  auto r = Run("CALL db.search('get name') YIELD node, score RETURN node.qualified_name, score");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 2u);
  // Equal scores: ties broken by id.
  EXPECT_EQ(r->rows[0][0], Value("Admin.get_name"));
  EXPECT_EQ(r->rows[1][0], Value("User.get_name"));
  EXPECT_EQ(r->rows[0][1], r->rows[1][1]);
  // camelCase input matches snake_case names; an exact name ranks first.
  r = Run("CALL db.search('formatName') YIELD node RETURN node.name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], Value("format_name"));
  r = Run("CALL db.search('helper') YIELD node, score RETURN node.name, score");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], Value("helper"));
  // WHERE after YIELD, aliases, and a limit argument.
  r =
      Run("CALL db.search('save') YIELD node AS n WHERE n:Method RETURN n.qualified_name AS q "
          "ORDER BY q");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0][0], Value("Base.save"));
  r = Run("CALL db.search('save', 1) YIELD node RETURN count(node)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0), Value(1));
  // Errors.
  r = Run("CALL db.search('!!') YIELD node RETURN node");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  r = Run("CALL db.search('x', 0) YIELD node RETURN node");
  ASSERT_FALSE(r.ok());
  r = Run("CALL db.labels() YIELD label RETURN label");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  r = Run("CALL db.search('x') YIELD nope RETURN nope");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  r = Run("EXPLAIN CALL db.search('save') YIELD node RETURN node");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  bool saw_search = false;
  for (const auto& row : r->rows) {
    saw_search = saw_search || row[0].as_string().find("Search db.search") != std::string::npos;
  }
  EXPECT_TRUE(saw_search);
}

TEST_F(EngineTest, RepeatedQueriesReuseTheirPlan) {
  const std::string q =
      "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) WHERE c.name = $name RETURN m.name "
      "ORDER BY m.name";
  QueryOptions options;
  options.params["name"] = Value("User");
  auto first = Run(q, options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Run(q, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->stats.plan_cached);
  EXPECT_EQ(second->rows, first->rows);
  EXPECT_EQ(second->columns, first->columns);
  ASSERT_FALSE(first->rows.empty());

  // Other parameter values are other plans (they are bound as constants): other rows.
  options.params["name"] = Value("Base");
  auto base = Run(q, options);
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  EXPECT_FALSE(base->stats.plan_cached);
  EXPECT_NE(base->rows, first->rows);

  // The cache can be bypassed; EXPLAIN of a cached text is still the plan.
  options.use_plan_cache = false;
  auto fresh = Run(q, options);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->stats.plan_cached);
  auto explain = Run("EXPLAIN MATCH (c:Class) RETURN c.name");
  ASSERT_TRUE(explain.ok());
  explain = Run("EXPLAIN MATCH (c:Class) RETURN c.name");
  ASSERT_TRUE(explain.ok());
  EXPECT_TRUE(explain->stats.plan_cached);
  ASSERT_EQ(explain->columns, std::vector<std::string>{"plan"});
  EXPECT_NE(explain->rows.at(0).at(0).as_string().find("Project"), std::string::npos);
}

TEST_F(EngineTest, PlansWithUnknownNamesAreNotCached) {
  storage::GraphStore& store = graph_->store();
  ASSERT_TRUE(store.CreateGraph("plan_cache_test").ok());
  auto run = [&](const std::string& q) { return ExecuteQuery(store, "plan_cache_test", q); };
  const std::string q = "MATCH (w:Widget)-[:PART_OF]->(x) RETURN w.name, x.name";
  for (int i = 0; i < 2; ++i) {
    auto r = run(q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->rows.empty());
    EXPECT_FALSE(r->stats.plan_cached);
    EXPECT_FALSE(r->warnings.empty());
  }
  // Once the names exist, the same text finds the new nodes (no stale empty plan).
  ASSERT_TRUE(run("CREATE (:Widget {name: 'w'})-[:PART_OF]->(:Thing {name: 't'})").ok());
  auto r = run(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->warnings.empty());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0], (ValueList{Value("w"), Value("t")}));
  r = run(q);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->stats.plan_cached);
  EXPECT_EQ(r->rows.size(), 1u);
}

TEST_F(EngineTest, BatchedExpansionKeepsRelationshipUniqueness) {
  storage::GraphStore& store = graph_->store();
  ASSERT_TRUE(store.CreateGraph("loops").ok());
  auto run = [&](const std::string& q) { return ExecuteQuery(store, "loops", q); };
  // One self-loop: a 2-hop walk may not use the same edge twice.
  ASSERT_TRUE(run("CREATE (a:Loop {name: 'one'}) CREATE (a)-[:R]->(a)").ok());
  auto r = run("MATCH (a:Loop {name: 'one'})-[:R]->(b)-[:R]->(c) RETURN count(*)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0), Value(0));
  // Two parallel self-loops: each order of the two edges is one path.
  ASSERT_TRUE(run("CREATE (a:Loop {name: 'two'}) CREATE (a)-[:R]->(a) CREATE (a)-[:R]->(a)").ok());
  r = run("MATCH (a:Loop {name: 'two'})-[:R]->(b)-[:R]->(c) RETURN count(*)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0), Value(2));
  // A chain fanning out: batched (anonymous last hop) and unbatched (named, read) agree.
  ASSERT_TRUE(run("CREATE (h:Hub {name: 'h'}) WITH h UNWIND range(1, 300) AS i "
                  "CREATE (h)-[:R]->(:Mid {i: i})-[:R]->(:Leaf {i: i})")
                  .ok());
  auto batched = run("MATCH (:Hub)-[:R]->(m)-[:R]->(l) RETURN m.i, l.i");
  ASSERT_TRUE(batched.ok()) << batched.status().ToString();
  auto exact = run("MATCH (:Hub)-[:R]->(m)-[r:R]->(l) RETURN m.i, l.i, r IS NULL");
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  ASSERT_EQ(batched->rows.size(), 300u);
  ASSERT_EQ(exact->rows.size(), 300u);
  for (size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(batched->rows[i][0], exact->rows[i][0]);
    EXPECT_EQ(batched->rows[i][1], exact->rows[i][1]);
  }
}

// A variable-length expansion below a DISTINCT whose relationship nothing reads walks each
// reachable node once (LogicalExpand::frontier). Its rows must equal the per-path walk's, which
// a named relationship forces (same pattern, same DISTINCT), including self-loops (the recursive
// helper), cycles back to the start, zero-length and bound targets.
std::string JoinedPlan(const QueryResult& r) {
  std::string out;
  for (const auto& line : PlanLines(r)) out += line + "\n";
  return out;
}

TEST_F(EngineTest, FrontierExpansionMatchesPerPathWalk) {
  const std::vector<std::pair<std::string, std::string>> patterns = {
      {"(a)-[", ":CALLS*1..3]->(b)"},
      {"(a)-[", ":CALLS*0..2]->(b)"},
      {"(a)<-[", ":CALLS*1..5]-(b)"},
      {"(a:File)-[", ":CONTAINS|HAS_METHOD*1..2]->(b)"},
      {"(a)-[", ":INHERITS*1..3]->(b:Class)"},
      {"(a)-[", "*1..3]->(b)"},
      {"(a:Function {name: 'helper'})-[", ":CALLS*1..2]->(b:Function {name: 'helper'})"},
  };
  for (const auto& [left, right] : patterns) {
    const std::string fast = "MATCH " + left + right + " RETURN DISTINCT a.id, b.id";
    const std::string slow = "MATCH " + left + "r" + right + " RETURN DISTINCT a.id, b.id";
    auto plan = Run("EXPLAIN " + fast);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    const std::string text = JoinedPlan(*plan);
    EXPECT_NE(text.find("(each node once)"), std::string::npos) << fast << "\n" << text;
    auto a = Run(fast);
    auto b = Run(slow);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    auto sorted = [](std::vector<std::vector<Value>> rows) {
      std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
        return x[0].as_string() + "|" + (x[1].is_null() ? "" : x[1].as_string()) <
               y[0].as_string() + "|" + (y[1].is_null() ? "" : y[1].as_string());
      });
      return rows;
    };
    EXPECT_FALSE(a->rows.empty()) << fast;
    EXPECT_EQ(sorted(a->rows), sorted(b->rows)) << fast;
  }
  // Row multiplicity matters without DISTINCT, and an undirected walk may reuse an edge: per path.
  for (const std::string q : {"EXPLAIN MATCH (a)-[:CALLS*1..3]->(b) RETURN a.id, b.id",
                              "EXPLAIN MATCH (a)-[:CALLS*1..3]-(b) RETURN DISTINCT b.id",
                              "EXPLAIN MATCH (a)-[:CALLS*2..3]->(b) RETURN DISTINCT b.id",
                              "EXPLAIN MATCH (a)-[:CALLS*1..3]->(b) WITH b LIMIT 3 "
                              "RETURN DISTINCT b.id"}) {
    auto plan = Run(q);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    const std::string text = JoinedPlan(*plan);
    EXPECT_EQ(text.find("(each node once)"), std::string::npos) << q << "\n" << text;
  }
}

// A graph with self-loops (one and two parallel), parallel edges, cycles and two types, for the
// count-only and list-walk tests below.
void CreateLoopyGraph(storage::GraphStore& store, const std::string& graph) {
  ASSERT_TRUE(store.CreateGraph(graph).ok());
  auto r = ExecuteQuery(store, graph,
                        "CREATE (a:N {name: 'a'}) CREATE (b:N {name: 'b'}) "
                        "CREATE (c:N {name: 'c'}) CREATE (d:N {name: 'd'}) "
                        "CREATE (a)-[:R]->(a) CREATE (a)-[:R]->(a) CREATE (a)-[:R]->(b) "
                        "CREATE (a)-[:R]->(b) CREATE (b)-[:R]->(a) CREATE (b)-[:S]->(c) "
                        "CREATE (c)-[:R]->(a) CREATE (c)-[:S]->(c) CREATE (b)-[:R]->(c) "
                        "CREATE (c)-[:R]->(d) CREATE (d)-[:R]->(d) CREATE (d)-[:S]->(a)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

// count(*) over a last hop whose rows are not read is counted from degrees
// (PhysicalExpand::CountRows): it must equal the number of rows the same pattern produces
// (count(b) and RETURN a, b make them), with relationship uniqueness against self-loops walked
// by earlier hops, parallel edges, and the same stop under max_expansions.
TEST_F(EngineTest, CountOnlyExpansionEqualsTheRows) {
  storage::GraphStore& store = graph_->store();
  CreateLoopyGraph(store, "countonly");
  auto run = [&](const std::string& q, const QueryOptions& options = {}) {
    return ExecuteQuery(store, "countonly", q, options);
  };
  const std::vector<std::string> patterns = {
      "(x:N)-[:R]->(a)-[:R]->(b)",
      "(x:N)<-[:R]-(a)<-[:R]-(b)",
      "(x:N {name: 'a'})-[:R]->(a)-[:R]->(b)",
      "(x:N {name: 'a'})<-[:R]-(a)<-[:R]-(b)",
      "(x:N)-[:R]->(a)-[:R]->(m)-[:R]->(b)",
      "(x:N)-[]->(a)-[]->(b)",
      "(x:N)-[:R|S]->(a)-[:S]->(b)",
      "(x:N)-[:R*1..2]->(a)-[:R]->(b)",
      "(x:N) WITH x, x AS b MATCH (x)-[:R]->(a)-[:R]->(b)",  // bound target: from rows
      "(x:N)-[:R]-(a)-[:R]-(b)",                             // undirected: counted from rows
      "(x:N)-[:R]->(a), (a)-[:R]->(b)",
  };
  for (const auto& p : patterns) {
    auto counted = run("MATCH " + p + " RETURN count(*)");
    auto by_rows = run("MATCH " + p + " RETURN count(b)");
    auto rows = run("MATCH " + p + " RETURN x, b");
    ASSERT_TRUE(counted.ok()) << p << ": " << counted.status().ToString();
    ASSERT_TRUE(by_rows.ok()) << p << ": " << by_rows.status().ToString();
    ASSERT_TRUE(rows.ok()) << p << ": " << rows.status().ToString();
    EXPECT_EQ(counted->rows.at(0).at(0), Value(static_cast<int64_t>(rows->rows.size()))) << p;
    EXPECT_EQ(counted->rows.at(0).at(0), by_rows->rows.at(0).at(0)) << p;
    EXPECT_EQ(counted->stats.edges_expanded, by_rows->stats.edges_expanded) << p;
    EXPECT_GT(rows->rows.size(), 0u) << p;
    // The same stop under every max_expansions up to the whole walk.
    for (int64_t limit = 0; limit <= static_cast<int64_t>(by_rows->stats.edges_expanded); ++limit) {
      QueryOptions options;
      options.max_expansions = limit;
      auto c = run("MATCH " + p + " RETURN count(*)", options);
      auto b = run("MATCH " + p + " RETURN count(b)", options);
      ASSERT_TRUE(c.ok() && b.ok()) << p;
      EXPECT_EQ(c->rows.at(0).at(0), b->rows.at(0).at(0)) << p << " limit " << limit;
      EXPECT_EQ(c->truncated, b->truncated) << p << " limit " << limit;
      EXPECT_EQ(c->stats.edges_expanded, b->stats.edges_expanded) << p << " limit " << limit;
    }
  }
  // Two parallel self-loops on a: a-[e1]->a-[e2]->a uses each order of the two once.
  auto r = run("MATCH (x:N {name: 'a'})-[:R]->(a:N {name: 'a'})-[:R]->(b) RETURN count(*)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.at(0).at(0), Value(2 + 2 + 2));  // e1 or e2 first, then the other, b, b
  // PROFILE counts the expansion's rows as the count.
  auto profiled = run("PROFILE MATCH (x:N)<-[:R]-(a)<-[:R]-(b) RETURN count(*)");
  ASSERT_TRUE(profiled.ok()) << profiled.status().ToString();
  auto plain = run("MATCH (x:N)<-[:R]-(a)<-[:R]-(b) RETURN count(*)");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(profiled->rows, plain->rows);
}

// A variable-length expansion whose relationships nothing reads walks neighbour lists
// (PhysicalExpand's list walk); naming the relationship forces the edge-cursor walk. Both must
// yield the same rows in the same order (no ORDER BY), the same edge counts, and the same
// prefix under max_expansions, on self-loops, parallel edges, cycles and several types.
TEST_F(EngineTest, ListWalkEqualsTheCursorWalk) {
  storage::GraphStore& store = graph_->store();
  CreateLoopyGraph(store, "listwalk");
  auto run = [&](const std::string& q, const QueryOptions& options = {}) {
    return ExecuteQuery(store, "listwalk", q, options);
  };
  const std::vector<std::pair<std::string, std::string>> patterns = {
      {"(x:N)-[", ":R*1..3]->(b)"},
      {"(x:N)-[", ":R*0..2]->(b)"},
      {"(x:N)-[", ":R*2..4]->(b)"},
      {"(x:N)<-[", ":R*1..3]-(b)"},
      {"(x:N)-[", ":R|S*1..3]->(b)"},
      {"(x:N)-[", "*1..3]->(b)"},
      {"(x:N)-[", ":S|R*1..2]->(b)"},
      {"(x:N) WITH x, x AS b MATCH (x)-[", ":R*1..3]->(b)"},  // bound target
      {"(b)-[", ":R*1..2]->(x:N {name: 'a'})"},
  };
  for (const auto& [left, right] : patterns) {
    const std::string fast = "MATCH " + left + right + " RETURN x.name, b.name";
    const std::string slow = "MATCH " + left + "r" + right + " RETURN x.name, b.name";
    auto a = run(fast);
    auto b = run(slow);
    ASSERT_TRUE(a.ok()) << fast << ": " << a.status().ToString();
    ASSERT_TRUE(b.ok()) << slow << ": " << b.status().ToString();
    EXPECT_FALSE(a->rows.empty()) << fast;
    EXPECT_EQ(a->rows, b->rows) << fast;
    EXPECT_EQ(a->stats.edges_expanded, b->stats.edges_expanded) << fast;
    for (int64_t limit = 0; limit <= static_cast<int64_t>(b->stats.edges_expanded); ++limit) {
      QueryOptions options;
      options.max_expansions = limit;
      auto fa = run(fast, options);
      auto sb = run(slow, options);
      ASSERT_TRUE(fa.ok() && sb.ok()) << fast;
      EXPECT_EQ(fa->rows, sb->rows) << fast << " limit " << limit;
      EXPECT_EQ(fa->truncated, sb->truncated) << fast << " limit " << limit;
    }
  }
}

TEST_F(EngineTest, ConcurrentQueriesAgree) {
  const std::string q =
      "MATCH (f:File)-[:CONTAINS]->(x)-[:CALLS*0..3]->(y) RETURN f.name, count(DISTINCT y) AS n "
      "ORDER BY f.name";
  auto expected = Run(q);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  ASSERT_EQ(expected->rows.size(), 3u);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto r = Run(q);
        if (!r.ok() || r->rows != expected->rows) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// A store in `dir`/`name` without synced writes (these tests never crash it), graph "g" not yet
// created.
std::unique_ptr<storage::GraphStore> OpenStore(::kg::testing::TempDir& dir,
                                               const std::string& name) {
  storage::Options options;
  options.sync_writes = false;
  auto store = storage::GraphStore::Open(dir.sub(name), options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Node records are shared between queries (exec/node_cache.h) only at the exact graph state they
// were read at: after a write, or on another store with the same graph name and node ids, the
// same query text sees that store's current data.
TEST(SharedNodeCacheTest, NeverServesARecordOfAnotherStateOrStore) {
  ::kg::testing::TempDir dir;
  auto batch = [](const std::string& name) {
    storage::FactBatch b;
    b.path = "a.py";
    storage::NodeFact file;
    file.id = "a.py";
    file.labels = {"File"};
    file.props["path"] = Value("a.py");
    storage::NodeFact fn;
    fn.id = "a.py:f";
    fn.labels = {"Function"};
    fn.props["path"] = Value("a.py");
    fn.props["name"] = Value(name);
    b.nodes = {file, fn};
    storage::EdgeFact e;
    e.src_id = "a.py";
    e.type = "CONTAINS";
    e.dst_id = "a.py:f";
    b.edges = {e};
    return b;
  };
  const std::string q =
      "MATCH (:File {path: 'a.py'})-[:CONTAINS]->(f) RETURN f.name, f.id, labels(f), f";
  auto first = OpenStore(dir, "one");
  ASSERT_TRUE(first->CreateGraph("g").ok());
  ASSERT_TRUE(first->ApplyBatch("g", batch("before")).ok());
  for (int i = 0; i < 3; ++i) {  // the first run fills the cache, the others read it
    auto r = ExecuteQuery(*first, "g", q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->rows.size(), 1u);
    EXPECT_EQ(r->rows[0][0], Value("before"));
  }
  ASSERT_TRUE(first->ApplyBatch("g", batch("after")).ok());
  for (int i = 0; i < 3; ++i) {
    auto r = ExecuteQuery(*first, "g", q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->rows.size(), 1u);
    EXPECT_EQ(r->rows[0][0], Value("after"));
    EXPECT_EQ(r->rows[0][3].as_map().at("name"), Value("after"));
  }
  // Another store: same graph name, ids and (fresh) node keys, other data.
  auto second = OpenStore(dir, "two");
  ASSERT_TRUE(second->CreateGraph("g").ok());
  ASSERT_TRUE(second->ApplyBatch("g", batch("other")).ok());
  for (int i = 0; i < 3; ++i) {
    auto r = ExecuteQuery(*second, "g", q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->rows.size(), 1u);
    EXPECT_EQ(r->rows[0][0], Value("other"));
  }
}

// One query that reads thousands of distinct nodes: every row's properties belong to its own node
// (the per-query record map grows through several rehashes), on the first run (no shared cache
// yet) and on later runs (records from the shared cache), with the user property `id` of some
// nodes shown instead of the stored id.
TEST(ManyNodesOneQueryTest, EveryRowReadsItsOwnNode) {
  ::kg::testing::TempDir dir;
  auto store = OpenStore(dir, "db");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateGraph("g").ok());
  constexpr int kNodes = 3000;
  storage::FactBatch b;
  b.path = "m.py";
  for (int i = 0; i < kNodes; ++i) {
    storage::NodeFact fn;
    fn.id = "m.py:f" + std::to_string(i);
    fn.labels = {"Function"};
    fn.props["name"] = Value("f" + std::to_string(i));
    fn.props["n"] = Value(int64_t{(i * 7919) % kNodes});  // a permutation: ORDER BY reorders
    if (i % 100 == 0) fn.props[kUserIdProperty] = Value("user" + std::to_string(i));
    b.nodes.push_back(std::move(fn));
  }
  ASSERT_TRUE(store->ApplyBatch("g", b).ok());
  std::vector<int> node_of(kNodes);  // node_of[n]: the i whose property n is n
  for (int i = 0; i < kNodes; ++i) node_of[static_cast<size_t>((i * 7919) % kNodes)] = i;
  for (int run = 0; run < 3; ++run) {
    auto r = ExecuteQuery(*store, "g", "MATCH (f:Function) RETURN f.n, f.name, f.id ORDER BY f.n");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->rows.size(), static_cast<size_t>(kNodes));
    for (int64_t n = 0; n < kNodes; ++n) {
      const ValueList& row = r->rows[static_cast<size_t>(n)];
      ASSERT_EQ(row[0], Value(n));
      const int i = node_of[static_cast<size_t>(n)];
      EXPECT_EQ(row[1], Value("f" + std::to_string(i))) << "run " << run;
      EXPECT_EQ(row[2],
                Value(i % 100 == 0 ? "user" + std::to_string(i) : "m.py:f" + std::to_string(i)))
          << "run " << run;
    }
  }
}

// A two-hop list walk from a file reads its first level's lists in one batch when that level fits
// one prefetch window (a file of 10 classes) and node by node otherwise (150 classes): both emit
// the depth-first order of the edges -- each class, then its methods -- on the first run and on
// cached runs.
TEST(ListWalkTest, TwoLevelsComeInDepthFirstOrderEitherWay) {
  ::kg::testing::TempDir dir;
  auto store = OpenStore(dir, "db");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateGraph("g").ok());
  std::map<std::string, std::vector<std::string>> expected;  // path -> ids in depth-first order
  for (const auto& [path, classes] :
       {std::pair<std::string, int>{"small.py", 10}, std::pair<std::string, int>{"big.py", 150}}) {
    storage::FactBatch b;
    b.path = path;
    b.nodes.push_back(testing::CodeGraph::File(path));
    for (int c = 0; c < classes; ++c) {
      storage::NodeFact cls;
      cls.id = path + ":C" + std::to_string(c);
      cls.labels = {"Class"};
      b.nodes.push_back(cls);
      b.edges.push_back(testing::CodeGraph::Edge(path, "CONTAINS", cls.id));
      expected[path].push_back(cls.id);
      for (int m = 0; m < c % 4; ++m) {  // 0 to 3 methods
        storage::NodeFact method;
        method.id = cls.id + ".m" + std::to_string(m);
        method.labels = {"Method"};
        b.nodes.push_back(method);
        b.edges.push_back(testing::CodeGraph::Edge(cls.id, "HAS_METHOD", method.id));
        expected[path].push_back(method.id);
      }
    }
    ASSERT_TRUE(store->ApplyBatch("g", b).ok());
  }
  for (int run = 0; run < 3; ++run) {
    for (const auto& [path, ids] : expected) {
      auto r = ExecuteQuery(
          *store, "g",
          "MATCH (:File {path: '" + path + "'})-[:CONTAINS|HAS_METHOD*1..2]->(n) RETURN n.id");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      std::vector<std::string> got;
      for (const auto& row : r->rows) got.push_back(row[0].as_string());
      EXPECT_EQ(got, ids) << path << " run " << run;
    }
  }
}

}  // namespace
}  // namespace kg::query
