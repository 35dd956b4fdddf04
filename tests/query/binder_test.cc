#include "query/bind/binder.h"

#include <gtest/gtest.h>

#include "query/parse/parser.h"
#include "tests/query/code_graph.h"

namespace kg::query::bind {
namespace {

class BinderTest : public testing::CodeGraphSuite<::testing::Test> {
 protected:
  static Result<BoundQuery> BindText(const std::string& text, const ValueMap& params = {},
                                     int64_t max_var_hops = 10) {
    auto ast = parse::ParseQuery(text);
    if (!ast.ok()) return ast.status();
    return Bind(*ast, graph_->store(), params, max_var_hops);
  }
};

TEST_F(BinderTest, UnknownLabelsAndTypesWarnWithSuggestions) {
  struct Case {
    const char* query;
    const char* warning;
  } cases[] = {
      {"MATCH (c:Clas) RETURN c", "unknown label 'Clas'; did you mean 'Class'?"},
      {"MATCH (c:Functon) RETURN c", "unknown label 'Functon'; did you mean 'Function'?"},
      {"MATCH (c:Mehtod) RETURN c", "unknown label 'Mehtod'; did you mean 'Method'?"},
      {"MATCH (c:DocSecton) RETURN c", "unknown label 'DocSecton'; did you mean 'DocSection'?"},
      {"MATCH (c:Zzzzzzzzzzzz) RETURN c", "unknown label 'Zzzzzzzzzzzz' (known labels: "},
      {"MATCH ()-[:CALS]->() RETURN 1", "unknown relationship type 'CALS'; did you mean 'CALLS'?"},
      {"MATCH ()-[:INHERIT_FROM]->() RETURN 1", "unknown relationship type 'INHERIT_FROM'"},
      {"MATCH ()-[:HAS_METHD]->() RETURN 1",
       "unknown relationship type 'HAS_METHD'; did you mean 'HAS_METHOD'?"},
      {"MATCH (n) WHERE n:Clss RETURN n", "unknown label 'Clss'; did you mean 'Class'?"},
  };
  for (const auto& c : cases) {
    auto bound = BindText(c.query);
    ASSERT_TRUE(bound.ok()) << c.query << ": " << bound.status().ToString();
    ASSERT_EQ(bound->warnings.size(), 1u) << c.query;
    EXPECT_NE(bound->warnings[0].find(c.warning), std::string::npos)
        << c.query << ": " << bound->warnings[0];
  }
}

TEST_F(BinderTest, KnownNamesResolveWithoutWarnings) {
  for (const char* q :
       {"MATCH (c:class)-[:has_method]->(m:METHOD) RETURN c", "MATCH (v:GLOBAL_VARIABLE) RETURN v",
        "MATCH ()-[:CALL]->() RETURN 1", "MATCH (p:Package)-[:extends]->() RETURN p"}) {
    auto bound = BindText(q);
    ASSERT_TRUE(bound.ok()) << q << ": " << bound.status().ToString();
    EXPECT_TRUE(bound->warnings.empty()) << q << ": " << bound->warnings[0];
  }
}

TEST_F(BinderTest, UnknownLabelMakesAnImpossibleLabelGroup) {
  auto bound = BindText("MATCH (n:Class|Clas) WHERE n:Nope RETURN n");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  ASSERT_EQ(bound->clauses.size(), 1u);
  const auto& preds = bound->clauses[0].match.predicates;
  ASSERT_EQ(preds.size(), 2u);
  ASSERT_EQ(preds[0]->kind, BoundExprKind::kHasLabels);
  ASSERT_EQ(preds[0]->label_groups.size(), 1u);
  EXPECT_EQ(preds[0]->label_groups[0],
            std::vector<storage::LabelId>{static_cast<storage::LabelId>(schema::Label::kClass)});
  ASSERT_EQ(preds[1]->kind, BoundExprKind::kHasLabels);
  EXPECT_TRUE(preds[1]->label_groups.at(0).empty());
  EXPECT_EQ(bound->warnings.size(), 2u);
}

TEST_F(BinderTest, PatternConstraintsBecomePredicates) {
  auto bound = BindText(
      "MATCH (c:Class {name: $n})-[r:CALLS {line: 3}]->(f) WHERE f.x = 1 AND f.y = 2 RETURN c",
      ValueMap{{"n", Value("User")}});
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const auto& m = bound->clauses.at(0).match;
  std::vector<std::string> texts;
  for (const auto& p : m.predicates) texts.push_back(p->text);
  EXPECT_EQ(texts, (std::vector<std::string>{"c:Class", "(c.name = 'User')", "(r.line = 3)",
                                             "(f.x = 1)", "(f.y = 2)"}));
  const BoundRel& rel = m.patterns.at(0).rels.at(0);
  EXPECT_FALSE(rel.any_type);
  EXPECT_EQ(rel.types, (std::vector<storage::EdgeTypeId>{
                           static_cast<storage::EdgeTypeId>(schema::EdgeType::kCALLS)}));
  EXPECT_TRUE(rel.properties.empty());

  // A variable-length relationship keeps its map: it applies to every edge of the path.
  bound = BindText("MATCH (a)-[r:CALLS*1..2 {line: $l}]->(b) RETURN a", ValueMap{{"l", 3}});
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const BoundRel& var_rel = bound->clauses.at(0).match.patterns.at(0).rels.at(0);
  ASSERT_EQ(var_rel.properties.size(), 1u);
  EXPECT_EQ(var_rel.properties[0].first, "line");
  EXPECT_EQ(var_rel.properties[0].second->constant, Value(3));
}

TEST_F(BinderTest, VariableLengthBoundsAndClamping) {
  struct Case {
    const char* rel;
    int64_t min, max;
    bool clamped;
  } cases[] = {{"*", 1, 5, true},     {"*2", 2, 2, false},  {"*1..3", 1, 3, false},
               {"*..4", 1, 4, false}, {"*2..", 2, 5, true}, {"*0..1", 0, 1, false},
               {"*1..9", 1, 5, true}};
  for (const auto& c : cases) {
    std::string q = std::string("MATCH (a)-[") + c.rel + "]->(b) RETURN a";
    auto bound = BindText(q, {}, /*max_var_hops=*/5);
    ASSERT_TRUE(bound.ok()) << q << ": " << bound.status().ToString();
    const BoundRel& rel = bound->clauses[0].match.patterns[0].rels[0];
    EXPECT_EQ(rel.min_hops, c.min) << q;
    EXPECT_EQ(rel.max_hops, c.max) << q;
    EXPECT_EQ(bound->var_hops_clamped, c.clamped) << q;
    EXPECT_EQ(bound->warnings.size(), c.clamped ? 1u : 0u) << q;
  }
}

// Semantic errors: InvalidArgument at (line, column) with a message containing `message`.
TEST_F(BinderTest, SemanticErrorsHavePositions) {
  struct Case {
    const char* query;
    int line, column;
    const char* message;
  } cases[] = {
      {"MATCH (n) RETURN m", 1, 18, "unknown variable 'm'"},
      {"MATCH (node) RETURN nod.name", 1, 21, "unknown variable 'nod'; did you mean 'node'?"},
      {"MATCH (n)\nWHERE x.name = 1 RETURN n", 2, 7, "unknown variable 'x'"},
      {"MATCH (n)-[n]->(m) RETURN n", 1, 12, "variable 'n' is a node, not a relationship"},
      {"MATCH (a)-[r]->(b)-[r]->(c) RETURN a", 1, 21,
       "relationship variable 'r' is used more than once"},
      {"MATCH (a)-[r]->(r) RETURN a", 1, 17, "variable 'r' is a relationship, not a node"},
      {"MATCH (n) WHERE count(*) > 1 RETURN n", 1, 17, "not allowed in WHERE"},
      {"MATCH (n) RETURN count(count(n))", 1, 24, "aggregate functions cannot be nested"},
      {"MATCH (n) RETURN n.name, n.name + count(*)", 1, 26,
       "mixes an aggregate with a non-aggregated value"},
      {"MATCH (n) RETURN nosuch(n)", 1, 18, "unknown function 'nosuch'"},
      {"MATCH (n) RETURN tolowr(n.name)", 1, 18,
       "unknown function 'tolowr'; did you mean 'toLower'?"},
      {"MATCH (n) RETURN toLower(n.name, 1)", 1, 18, "toLower() expects 1 argument, got 2"},
      {"MATCH (n) RETURN substring(n.name)", 1, 18, "substring() expects 2 to 3 arguments"},
      {"MATCH (n) RETURN toLower(DISTINCT n.name)", 1, 18, "DISTINCT is only allowed"},
      {"MATCH (n {name: $nope}) RETURN n", 1, 17, "missing parameter $nope"},
      {"MATCH (n) WHERE n.name =~ 'a(' RETURN n", 1, 27, "invalid regular expression 'a('"},
      {"MATCH (n) RETURN n LIMIT -1", 1, 26, "LIMIT expects a non-negative integer"},
      {"MATCH (n) RETURN n SKIP 'x'", 1, 25, "SKIP expects a non-negative integer"},
      {"MATCH (n) RETURN n LIMIT n.x", 1, 26, "LIMIT expects a non-negative integer"},
      {"MATCH (n) RETURN n.name, n.name", 1, 26, "duplicate column name 'n.name'"},
      {"MATCH (n) RETURN n.a AS x, n.b AS x", 1, 35, "duplicate column name 'x'"},
      {"MATCH (n) RETURN DISTINCT n.name ORDER BY n.kind", 1, 43,
       "variable 'n' is not available in ORDER BY after DISTINCT"},
      {"MATCH (n) RETURN n.name, count(*) ORDER BY n.kind", 1, 44,
       "variable 'n' is not available in ORDER BY"},
      {"MATCH (n) RETURN n.name ORDER BY count(*)", 1, 34,
       "aggregate 'count(*)' in ORDER BY must also be returned"},
      {"MATCH (a)-[*20]->(b) RETURN a", 1, 10, "exceeds the maximum of 10 hops"},
      {"RETURN *", 1, 1, "RETURN * needs at least one named variable"},
  };
  for (const auto& c : cases) {
    auto bound = BindText(c.query);
    ASSERT_FALSE(bound.ok()) << c.query;
    const Status& s = bound.status();
    EXPECT_TRUE(s.IsInvalidArgument()) << c.query << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.message), std::string::npos)
        << c.query << ": got '" << s.message() << "'";
    ASSERT_TRUE(s.position().has_value()) << c.query << ": " << s.ToString();
    EXPECT_EQ(s.position()->line, c.line) << c.query << ": " << s.ToString();
    EXPECT_EQ(s.position()->column, c.column) << c.query << ": " << s.ToString();
  }
}

TEST_F(BinderTest, UnsupportedFeaturesAreNotSupported) {
  struct Case {
    const char* query;
    const char* message;
  } cases[] = {
      {"CREATE p = (a)-[:T]->(b)", "path variables in CREATE"},
      {"MATCH (a)-[r*1..2]->(b) MATCH (b)-[r*1..2]->(c) RETURN a",
       "reusing variable-length relationship variable 'r'"},
      {"MATCH (a) RETURN startNode(a)",
       "function 'startNode' is not supported yet (line 1, column 18)"},
      {"MATCH (a)-[*1..2 {line: a.line}]->(b) RETURN a",
       "property values of a variable-length relationship must be literals or parameters (line 1, "
       "column 25)"},
  };
  for (const auto& c : cases) {
    auto bound = BindText(c.query);
    ASSERT_FALSE(bound.ok()) << c.query;
    EXPECT_TRUE(bound.status().IsNotSupported()) << c.query << ": " << bound.status().ToString();
    EXPECT_NE(bound.status().message().find(c.message), std::string::npos)
        << c.query << ": " << bound.status().message();
  }
}

TEST_F(BinderTest, VeryLongPatternsAreRejected) {
  std::string q = "MATCH (n0)";
  for (int i = 1; i < 2000; ++i) q += "-->(n" + std::to_string(i) + ")";
  auto bound = BindText(q + " RETURN n0");
  ASSERT_FALSE(bound.ok());
  EXPECT_TRUE(bound.status().IsInvalidArgument()) << bound.status().ToString();
  EXPECT_NE(bound.status().message().find("too many pattern elements"), std::string::npos);
}

TEST_F(BinderTest, ReturnColumnsAndAggregates) {
  auto bound = BindText(
      "MATCH (c:Class)-[:HAS_METHOD]->(m) RETURN c.name, count(DISTINCT m) AS n, "
      "size(collect(m.name)) ORDER BY n DESC, c.name");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const BoundReturn& r = bound->ret;
  EXPECT_TRUE(r.aggregating);
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_EQ(r.columns[0].name, "c.name");
  EXPECT_FALSE(r.columns[0].aggregating);
  EXPECT_EQ(r.columns[1].name, "n");
  EXPECT_TRUE(r.columns[1].aggregating);
  EXPECT_EQ(r.columns[2].name, "size(collect(m.name))");
  ASSERT_EQ(r.aggregates.size(), 2u);
  EXPECT_EQ(r.aggregates[0].kind, functions::AggregateKind::kCount);
  EXPECT_TRUE(r.aggregates[0].distinct);
  EXPECT_EQ(r.aggregates[1].kind, functions::AggregateKind::kCollect);
  // ORDER BY refers to the returned columns.
  ASSERT_EQ(r.order_by.size(), 2u);
  EXPECT_EQ(r.order_by[0].expr->kind, BoundExprKind::kSlot);
  EXPECT_EQ(r.order_by[0].expr->slot, r.columns[1].slot);
  EXPECT_EQ(r.order_by[1].expr->slot, r.columns[0].slot);
}

}  // namespace
}  // namespace kg::query::bind
