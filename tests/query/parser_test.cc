#include "query/parse/parser.h"

#include <gtest/gtest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "query/parse/grammar.h"

namespace kg::query::parse {
namespace {

TEST(GrammarTest, AnalyzeReportsNoIssues) {
  EXPECT_EQ(tao::pegtl::analyze<grammar::Statement>(1), 0u);
}

// Accepted statements and their canonical rendering (ast::Query::ToString, newlines as " | ").
struct AcceptCase {
  const char* query;
  const char* canonical;
};

std::string OneLine(std::string s) {
  for (size_t pos = s.find('\n'); pos != std::string::npos; pos = s.find('\n', pos)) {
    s.replace(pos, 1, " | ");
  }
  return s;
}

TEST(ParserTest, AcceptsAndRendersCanonically) {
  const AcceptCase cases[] = {
      {"MATCH (n) RETURN n", "MATCH (n) | RETURN n"},
      {"match (n:Class) return n.name", "MATCH (n:Class) | RETURN n.name"},
      {"MATCH (n:Class {name: 'x', kind: \"class\"}) RETURN n",
       "MATCH (n:Class {name: 'x', kind: 'class'}) | RETURN n"},
      {"MATCH (a)-[r:CALLS]->(b) RETURN a", "MATCH (a)-[r:CALLS]->(b) | RETURN a"},
      {"MATCH (a)<-[:CALLS]-(b) RETURN a", "MATCH (a)<-[:CALLS]-(b) | RETURN a"},
      {"MATCH (a)-[:CALLS]-(b) RETURN a", "MATCH (a)-[:CALLS]-(b) | RETURN a"},
      {"MATCH (a)-->(b)<--(c)--(d) RETURN a", "MATCH (a)-->(b)<--(c)--(d) | RETURN a"},
      {"MATCH (a) - [ r : CALLS ] -> (b) RETURN a", "MATCH (a)-[r:CALLS]->(b) | RETURN a"},
      {"MATCH (a)<-[r]->(b) RETURN a", "MATCH (a)-[r]-(b) | RETURN a"},
      {"MATCH (n:Function|Method) RETURN n", "MATCH (n:Function|Method) | RETURN n"},
      {"MATCH (n:Function|:Method:Doc) RETURN n", "MATCH (n:Function|Method:Doc) | RETURN n"},
      {"MATCH ()-[:CALLS|USES]->() RETURN 1", "MATCH ()-[:CALLS|USES]->() | RETURN 1"},
      {"MATCH ()-[:CALLS|:USES]->() RETURN 1", "MATCH ()-[:CALLS|USES]->() | RETURN 1"},
      {"MATCH (a)-[*]->(b) RETURN a", "MATCH (a)-[*]->(b) | RETURN a"},
      {"MATCH (a)-[*2]->(b) RETURN a", "MATCH (a)-[*2]->(b) | RETURN a"},
      {"MATCH (a)-[*1..3]->(b) RETURN a", "MATCH (a)-[*1..3]->(b) | RETURN a"},
      {"MATCH (a)-[*..3]->(b) RETURN a", "MATCH (a)-[*..3]->(b) | RETURN a"},
      {"MATCH (a)-[r:CALLS*2.. {line: 1}]->(b) RETURN a",
       "MATCH (a)-[r:CALLS*2.. {line: 1}]->(b) | RETURN a"},
      {"MATCH (a), (b) RETURN a, b", "MATCH (a), (b) | RETURN a, b"},
      {"MATCH (a) MATCH (b) RETURN a", "MATCH (a) | MATCH (b) | RETURN a"},
      {"MATCH (n) WHERE n.a = 1 AND n.b <> 2 OR NOT n.c < 3 XOR n.d >= 4 RETURN n",
       "MATCH (n) | WHERE (((n.a = 1) AND (n.b <> 2)) OR ((NOT (n.c < 3)) XOR (n.d >= 4))) | "
       "RETURN n"},
      {"MATCH (n) WHERE n.name STARTS WITH 'a' AND n.name ENDS WITH 'b' AND n.name CONTAINS 'c' "
       "RETURN n",
       "MATCH (n) | WHERE (((n.name STARTS WITH 'a') AND (n.name ENDS WITH 'b')) AND (n.name "
       "CONTAINS 'c')) | RETURN n"},
      {"MATCH (n) WHERE n.x IS NULL OR n.y IS NOT NULL RETURN n",
       "MATCH (n) | WHERE ((n.x IS NULL) OR (n.y IS NOT NULL)) | RETURN n"},
      {"MATCH (n) WHERE n.x IN [1, 2.5, 'a', true, null] RETURN n",
       "MATCH (n) | WHERE (n.x IN [1, 2.5, 'a', true, null]) | RETURN n"},
      {"MATCH (n) WHERE n.name =~ 'a.*' RETURN n",
       "MATCH (n) | WHERE (n.name =~ 'a.*') | RETURN n"},
      {"MATCH (n) WHERE n:Class|Method RETURN n", "MATCH (n) | WHERE n:Class|Method | RETURN n"},
      {"MATCH (n) WHERE 1 < n.x <= 3 RETURN n",
       "MATCH (n) | WHERE ((1 < n.x) AND (n.x <= 3)) | RETURN n"},
      {"MATCH (n) WHERE n.a != 1 RETURN n", "MATCH (n) | WHERE (n.a <> 1) | RETURN n"},
      {"RETURN 1 + 2 * 3 - -4 % 2 / 1", "RETURN ((1 + (2 * 3)) - ((-4 % 2) / 1))"},
      {"RETURN -(1 + 2), +3", "RETURN (-(1 + 2)), 3"},
      {"RETURN $name, $`odd name`, $0", "RETURN $name, $odd name, $0"},
      {"RETURN [1, [2]][0], {a: {b: 1}}.a.b", "RETURN [1, [2]][0], {a: {b: 1}}.a.b"},
      {"RETURN count(*), COUNT(DISTINCT x), collect(x) AS xs",
       "RETURN count(*), count(DISTINCT x), collect(x) AS xs"},
      {"RETURN toLower(x), coalesce(a, b, c)", "RETURN tolower(x), coalesce(a, b, c)"},
      {"RETURN 0x1F, 1e3, .5, 2.5e-1", "RETURN 31, 1000.0, 0.5, 0.25"},
      {"RETURN -9223372036854775808", "RETURN -9223372036854775808"},
      {"RETURN 'a\\'b', \"c\\\"d\", 'tab\\t', '\\u0041'", "RETURN 'a\\'b', 'c\"d', 'tab\t', 'A'"},
      {"MATCH (n) RETURN DISTINCT n.a AS a ORDER BY a DESC, n.b SKIP 1 LIMIT 2",
       "MATCH (n) | RETURN DISTINCT n.a AS a | ORDER BY a DESC, n.b | SKIP 1 | LIMIT 2"},
      {"MATCH (n) RETURN n ORDER BY n.a ASCENDING, n.b DESCENDING",
       "MATCH (n) | RETURN n | ORDER BY n.a, n.b DESC"},
      {"MATCH (n) RETURN *", "MATCH (n) | RETURN *"},
      {"EXPLAIN MATCH (n) RETURN n", "EXPLAIN | MATCH (n) | RETURN n"},
      {"  // comment\n MATCH /* c */ (n) // x\n RETURN n ; ", "MATCH (n) | RETURN n"},
      {"MATCH (`my node`:`My Label`) RETURN `my node`.`a b`",
       "MATCH (my node:My Label) | RETURN my node.a b"},
      {"MATCH (n)-[:CONTAINS]->(m) RETURN n.end_line, n.contains",
       "MATCH (n)-[:CONTAINS]->(m) | RETURN n.end_line, n.contains"},
      {"MATCH (notes) RETURN notes.order", "MATCH (notes) | RETURN notes.order"},
  };
  for (const auto& c : cases) {
    auto r = ParseQuery(c.query);
    ASSERT_TRUE(r.ok()) << c.query << "\n" << r.status().ToString();
    EXPECT_EQ(OneLine(r->ToString()), c.canonical) << c.query;
  }
}

TEST(ParserTest, RecordsSourceTextAndPositions) {
  auto r = ParseQuery("MATCH (c:Class)\nRETURN c.name,  count(*) AS n,\n  toLower( c.name )");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& items = r->ret.items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].expr->text, "c.name");
  EXPECT_EQ(items[0].expr->pos.line, 2);
  EXPECT_EQ(items[0].expr->pos.column, 8);
  EXPECT_EQ(items[1].expr->text, "count(*)");
  EXPECT_EQ(items[1].alias, "n");
  EXPECT_EQ(items[2].expr->text, "toLower( c.name )");
  EXPECT_EQ(items[2].expr->pos.line, 3);
  EXPECT_EQ(items[2].expr->pos.column, 3);
  EXPECT_EQ(items[2].expr->pos.offset, 49);
  const auto& node = r->clauses.at(0).match.patterns.at(0).nodes.at(0);
  EXPECT_EQ(node.variable, "c");
  EXPECT_EQ(node.pos.column, 7);
}

TEST(ParserTest, VariableLengthBounds) {
  struct Case {
    const char* rel;
    std::optional<int64_t> min, max;
    bool dots;
  } cases[] = {{"*", std::nullopt, std::nullopt, false},
               {"*3", 3, std::nullopt, false},
               {"*1..3", 1, 3, true},
               {"*..4", std::nullopt, 4, true},
               {"*2..", 2, std::nullopt, true},
               {"* 1 .. 2", 1, 2, true}};
  for (const auto& c : cases) {
    std::string q = std::string("MATCH (a)-[") + c.rel + "]->(b) RETURN a";
    auto r = ParseQuery(q);
    ASSERT_TRUE(r.ok()) << q << "\n" << r.status().ToString();
    const auto& rel = r->clauses[0].match.patterns[0].rels[0];
    EXPECT_TRUE(rel.var_length) << q;
    EXPECT_EQ(rel.min_hops, c.min) << q;
    EXPECT_EQ(rel.max_hops, c.max) << q;
    EXPECT_EQ(rel.has_range_dots, c.dots) << q;
  }
}

// Rejected statements: the error is InvalidArgument at (line, column) with a message that
// contains `message`.
struct RejectCase {
  const char* query;
  int line;
  int column;
  const char* message;
};

TEST(ParserTest, RejectsWithPosition) {
  const RejectCase cases[] = {
      {"MATCH (n:Class RETURN n", 1, 16, "expected ')' but found 'RETURN'"},
      {"MATCH (n:Class)", 1, 16, "expected MATCH or RETURN but reached the end of the query"},
      {"", 1, 1, "expected MATCH or RETURN"},
      {"SELECT * FROM t", 1, 1, "expected MATCH or RETURN but found 'SELECT'"},
      {"MATCH n RETURN n", 1, 7, "expected a pattern"},
      {"MATCH (n)-[:CALLS]->  RETURN n", 1, 23, "expected a node pattern"},
      {"MATCH (n)-[:CALLS>(m) RETURN n", 1, 18, "expected ']'"},
      {"MATCH (n)-[:CALLS](m) RETURN n", 1, 19, "expected '-'"},
      {"MATCH (n:) RETURN n", 1, 10, "expected a label name"},
      {"MATCH (n:A|) RETURN n", 1, 12, "expected a label name"},
      {"MATCH ()-[:]->() RETURN 1", 1, 12, "expected a relationship type name"},
      {"MATCH (n {name 'x'}) RETURN n", 1, 16, "expected ':'"},
      {"MATCH (n {name: 'x') RETURN n", 1, 20, "expected '}'"},
      {"MATCH (n) WHERE RETURN n", 1, 17, "expected an expression"},
      {"MATCH (n) WHERE n.name = RETURN n", 1, 26, "expected an expression"},
      {"MATCH (n) WHERE n.name = 'x' AND RETURN n", 1, 34, "expected an expression"},
      {"MATCH (n) WHERE n. = 1 RETURN n", 1, 20, "expected a property name after '.'"},
      {"MATCH (n) WHERE n.x IS 1 RETURN n", 1, 24, "expected NULL"},
      {"MATCH (n) WHERE n.x STARTS 'a' RETURN n", 1, 28, "expected WITH"},
      {"MATCH (n) RETURN n ORDER n.x", 1, 26, "expected BY after ORDER"},
      {"MATCH (n) RETURN n AS", 1, 22, "expected a column name after AS"},
      {"MATCH (n) RETURN", 1, 17, "expected an expression or '*'"},
      {"MATCH (n) RETURN n,", 1, 20, "expected an expression to return"},
      {"MATCH (n) RETURN n LIMIT", 1, 25, "expected an expression"},
      {"MATCH (n) RETURN n n", 1, 20, "expected end of query but found 'n'"},
      {"MATCH (n) RETURN n LIMIT 1 SKIP 1", 1, 28, "expected end of query"},
      {"MATCH (n)\nWHERE n.name = 'x\nRETURN n", 2, 16, "unterminated string literal"},
      {"RETURN \"abc", 1, 8, "unterminated string literal"},
      {"RETURN 'ends with escape\\", 1, 8, "unterminated string literal"},
      {"MATCH (n) /* never closed RETURN n", 1, 11, "unterminated comment"},
      {"MATCH (`n) RETURN n", 1, 8, "unterminated quoted name"},
      {"RETURN $", 1, 9, "expected a parameter name"},
      {"RETURN [1, 2", 1, 13, "expected ']'"},
      {"RETURN f(1,", 1, 12, "expected an expression"},
      {"RETURN (1 + 2", 1, 14, "expected ')'"},
      {"RETURN 'bad \\q escape'", 1, 13, "invalid escape sequence '\\q'"},
      {"RETURN '\\u12'", 1, 9, "invalid unicode escape"},
      {"RETURN 9223372036854775808", 1, 8, "integer literal out of range"},
      {"MATCH (n)\n  RETURN n.name AS", 2, 19, "expected a column name"},
      {"MATCH (match) RETURN 1", 1, 8, "expected ')'"},
      {"RETURN 1abc", 1, 8, "expected an expression"},
      {"MATCH (\xC3\xB1) RETURN 1", 1, 8, "expected ')' but found '\xC3\xB1'"},
  };
  for (const auto& c : cases) {
    auto r = ParseQuery(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    const Status& s = r.status();
    EXPECT_TRUE(s.IsInvalidArgument()) << c.query << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.message), std::string::npos)
        << c.query << ": got '" << s.message() << "', want '" << c.message << "'";
    ASSERT_TRUE(s.position().has_value()) << c.query;
    EXPECT_EQ(s.position()->line, c.line) << c.query << ": " << s.ToString();
    EXPECT_EQ(s.position()->column, c.column) << c.query << ": " << s.ToString();
  }
}

// Valid Cypher outside the subset: NotSupported naming the feature and its position.
TEST(ParserTest, UnsupportedCypherIsNotSupported) {
  struct Case {
    const char* query;
    const char* message;
  } cases[] = {
      {"MERGE (n:Class) RETURN n", "MERGE is not supported yet"},
      {"MATCH (n)\nDETACH DELETE n RETURN 1", "DELETE is not supported yet (line 2, column 1)"},
      {"MATCH (n) SET n.x = 1 RETURN n", "SET is not supported yet"},
      {"MATCH (n) REMOVE n.x RETURN n", "REMOVE is not supported yet"},
      {"MATCH (n) RETURN n UNION MATCH (m) RETURN m",
       "UNION is not supported yet (line 1, column 20)"},
  };
  for (const auto& c : cases) {
    auto r = ParseQuery(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_TRUE(r.status().IsNotSupported()) << c.query << ": " << r.status().ToString();
    // The position is carried by the Status (ToString appends it), not baked into the message.
    EXPECT_TRUE(r.status().position().has_value()) << c.query;
    EXPECT_NE(r.status().ToString().find(c.message), std::string::npos)
        << c.query << ": " << r.status().ToString();
  }
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "RETURN " + std::string(5000, '(') + "1" + std::string(5000, ')');
  auto r = ParseQuery(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos);

  std::string fine = "RETURN " + std::string(20, '(') + "1" + std::string(20, ')');
  EXPECT_TRUE(ParseQuery(fine).ok());
}

TEST(ParserTest, LongOperatorChainsAreBounded) {
  std::string chain = "RETURN 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  auto r = ParseQuery(chain);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos);

  std::string ors = "MATCH (n) WHERE n.a = 0";
  for (int i = 1; i < 100; ++i) ors += " OR n.a = " + std::to_string(i);
  EXPECT_TRUE(ParseQuery(ors + " RETURN n").ok());
}

TEST(ParserTest, OverlongQueryIsRejected) {
  std::string huge = "RETURN '" + std::string(kMaxQueryBytes, 'x') + "'";
  auto r = ParseQuery(huge);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("too long"), std::string::npos);
}

TEST(ParserTest, PositionAtCountsLinesAndColumns) {
  const std::string text = "ab\ncd\n\nef";
  struct Case {
    size_t offset;
    int line, column;
  } cases[] = {{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {99, 4, 3}};
  for (const auto& c : cases) {
    TextPosition p = PositionAt(text, c.offset);
    EXPECT_EQ(p.line, c.line) << c.offset;
    EXPECT_EQ(p.column, c.column) << c.offset;
  }
}

}  // namespace
}  // namespace kg::query::parse
