// Unit tests of the CLI's rendering (pure functions): tables, CSV, progress and caret errors.

#include "clients/cli/render.h"

#include <gtest/gtest.h>

#include <sstream>

namespace kg::clients::cli {
namespace {

TEST(CellText, RendersNodesRelationshipsAndScalars) {
  EXPECT_EQ(CellText(Json("x")), "x");
  EXPECT_EQ(CellText(Json()), "null");
  EXPECT_EQ(CellText(Json(42)), "42");
  EXPECT_EQ(CellText(Json::parse(R"({"_id": "a.py:A", "_labels": ["Class"], "name": "A"})")),
            "(:Class a.py:A)");
  EXPECT_EQ(CellText(Json::parse(R"({"_id": "n1", "_labels": []})")), "(n1)");
  EXPECT_EQ(CellText(Json::parse(R"({"_type": "CALLS", "_src": "a", "_dst": "b", "line": 3})")),
            "[:CALLS a->b]");
  EXPECT_EQ(CellText(Json::parse(R"([1, "two"])")), R"([1,"two"])");
}

TEST(RenderTable, AlignsColumnsByDisplayWidth) {
  Json answer = Json::parse(R"({"columns": ["name", "n"],
    "rows": [["Grüße", 1], ["a", 22]], "stats": {"exec_ms": 1.5}})");
  std::ostringstream out;
  RenderTable(answer, {}, out);
  EXPECT_EQ(out.str(),
            " name  | n\n"
            "-------+----\n"
            " Grüße | 1\n"
            " a     | 22\n"
            "(2 rows, 1.50 ms)\n");
}

TEST(RenderTable, CutsLongAndMultiLineCellsAndReportsLimits) {
  Json answer = {{"columns", {"code"}},
                 {"rows", {{"def f():\n    return 1"}, {std::string(100, 'x')}}},
                 {"truncated", true},
                 {"limit_hit", "max_rows"},
                 {"warnings", {"unknown label 'Clas'; did you mean 'Class'?"}}};
  std::ostringstream out;
  TableOptions options;
  options.max_cell_width = 10;
  RenderTable(answer, options, out);
  EXPECT_NE(out.str().find(" def f():...\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find(" xxxxxxx...\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("truncated: max_rows was hit"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("warning: unknown label 'Clas'"), std::string::npos) << out.str();
}

TEST(RenderCsv, QuotesPerRfc4180) {
  Json answer = {{"columns", {"a", "b"}}, {"rows", {{"x,y", "say \"hi\""}, {nullptr, 3}}}};
  std::ostringstream out;
  RenderCsv(answer, out);
  EXPECT_EQ(out.str(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\nnull,3\r\n");
}

TEST(ProgressLine, FillsTheBarAndShowsRateAndEta) {
  EXPECT_EQ(ProgressLine(5, 10, 2.5, 2.0, "files", 10), "[#####.....] 5/10 files  2.5/s  ETA 2s");
  EXPECT_EQ(ProgressLine(10, 10, 0, -1, "files", 4), "[####] 10/10 files");
  EXPECT_EQ(ProgressLine(3, 0, 0, -1, "steps", 4), "[....] 3 steps");
}

TEST(RenderError, PutsACaretUnderThePosition) {
  Status s = Status::SyntaxError("expected ')'", TextPosition{2, 8, -1});
  std::ostringstream out;
  RenderError(s, "MATCH (n)\nRETURN (n", out);
  EXPECT_EQ(out.str(),
            "error: invalid_argument: expected ')'\n"
            "  2 | RETURN (n\n"
            "             ^\n");
  std::ostringstream no_text;
  RenderError(Status::NotFound("graph 'x' does not exist"), "", no_text);
  EXPECT_EQ(no_text.str(), "error: not_found: graph 'x' does not exist\n");
}

}  // namespace
}  // namespace kg::clients::cli
