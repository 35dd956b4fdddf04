#include "common/value.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kg {
namespace {

TEST(ValueTest, CrossTypeOrder) {
  // null < bool < number < string < list < map
  std::vector<Value> ordered = {Value(),
                                Value(false),
                                Value(true),
                                Value(-3),
                                Value(2.5),
                                Value(7),
                                Value("a"),
                                Value("b"),
                                Value(ValueList{Value(1)}),
                                Value(ValueMap{{"k", Value(1)}})};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(Value::Compare(ordered[i], ordered[i + 1]), 0)
        << ordered[i].DebugString() << " vs " << ordered[i + 1].DebugString();
    EXPECT_GT(Value::Compare(ordered[i + 1], ordered[i]), 0);
  }
}

TEST(ValueTest, IntAndDoubleCompareNumerically) {
  EXPECT_EQ(Value(2), Value(2.0));
  EXPECT_LT(Value(2), Value(2.5));
  EXPECT_LT(Value(-1.5), Value(-1));
  Value nan(std::nan(""));
  EXPECT_EQ(Value::Compare(nan, nan), 0);
  EXPECT_GT(Value::Compare(nan, Value(1e300)), 0);
}

TEST(ValueTest, ListsCompareLexicographically) {
  EXPECT_LT(Value(ValueList{1, 2}), Value(ValueList{1, 3}));
  EXPECT_LT(Value(ValueList{1, 2}), Value(ValueList{1, 2, 0}));
  EXPECT_EQ(Value(ValueList{1, "x"}), Value(ValueList{1, "x"}));
}

TEST(ValueTest, DebugString) {
  EXPECT_EQ(Value().DebugString(), "null");
  EXPECT_EQ(Value(3).DebugString(), "3");
  EXPECT_EQ(Value(1.0).DebugString(), "1.0");
  EXPECT_EQ(Value("it's").DebugString(), "'it\\'s'");
  ValueMap m{{"b", Value(ValueList{Value(true), Value()})}, {"a", Value(1)}};
  EXPECT_EQ(Value(m).DebugString(), "{a: 1, b: [true, null]}");
}

}  // namespace
}  // namespace kg
