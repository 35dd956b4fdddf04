#include "common/schema.h"

#include <gtest/gtest.h>

#include <set>

namespace kg::schema {
namespace {

TEST(SchemaTest, LabelsResolveCaseInsensitivelyAndByAlias) {
  struct Case {
    std::string_view spelling;
    std::string_view canonical;
  } cases[] = {{"Class", "Class"},
               {"class", "Class"},
               {"CLASS", "Class"},
               {"GLOBAL_VARIABLE", "Variable"},
               {"global_variable", "Variable"},
               {"docsection", "DocSection"},
               {"Package", "Module"}};
  for (const auto& c : cases) {
    auto e = FindLabel(c.spelling);
    ASSERT_TRUE(e.has_value()) << c.spelling;
    EXPECT_EQ(e->name, c.canonical);
  }
  EXPECT_FALSE(FindLabel("Klass").has_value());
}

TEST(SchemaTest, EdgeTypesResolveCaseInsensitivelyAndByAlias) {
  EXPECT_EQ(FindEdgeType("calls")->name, "CALLS");
  EXPECT_EQ(FindEdgeType("CALL")->name, "CALLS");
  EXPECT_EQ(FindEdgeType("extends")->name, "INHERITS");
  EXPECT_EQ(FindEdgeType("has_method")->id, static_cast<EdgeTypeId>(EdgeType::kHAS_METHOD));
  EXPECT_FALSE(FindEdgeType("CALLZ_NOPE").has_value());
}

TEST(SchemaTest, IdsAreUniqueAndBelowUserRange) {
  for (const auto* entries : {&Labels(), &EdgeTypes()}) {
    std::set<uint16_t> ids;
    for (const auto& e : *entries) {
      EXPECT_TRUE(ids.insert(e.id).second) << e.name;
      EXPECT_GT(e.id, 0);
      EXPECT_LT(e.id, kFirstUserId);
    }
  }
  EXPECT_EQ(LabelName(Label::kMethod), "Method");
  EXPECT_EQ(EdgeTypeName(EdgeType::kINHERITS), "INHERITS");
}

TEST(SchemaTest, ClosestNamesSuggestTypos) {
  EXPECT_EQ(ClosestNames("Clas", /*labels=*/true, 1).front(), "Class");
  EXPECT_EQ(ClosestNames("CALS", /*labels=*/false, 1).front(), "CALLS");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace kg::schema
