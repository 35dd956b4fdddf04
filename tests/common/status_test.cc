#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace kg {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, NamedConstructorsAndPredicates) {
  struct Case {
    Status status;
    bool (Status::*pred)() const;
    std::string_view name;
  };
  const Case cases[] = {
      {Status::NotFound("x"), &Status::IsNotFound, "not_found"},
      {Status::InvalidArgument("x"), &Status::IsInvalidArgument, "invalid_argument"},
      {Status::Corruption("x"), &Status::IsCorruption, "corruption"},
      {Status::IOError("x"), &Status::IsIOError, "io_error"},
      {Status::NotSupported("x"), &Status::IsNotSupported, "not_supported"},
      {Status::AlreadyExists("x"), &Status::IsAlreadyExists, "already_exists"},
      {Status::ResourceExhausted("x"), &Status::IsResourceExhausted, "resource_exhausted"},
      {Status::Timeout("x"), &Status::IsTimeout, "timeout"},
      {Status::Cancelled("x"), &Status::IsCancelled, "cancelled"},
      {Status::Internal("x"), &Status::IsInternal, "internal"},
      {Status::PermissionDenied("x"), &Status::IsPermissionDenied, "permission_denied"},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(c.status.ok());
    EXPECT_TRUE((c.status.*c.pred)()) << c.name;
    EXPECT_EQ(Status::CodeName(c.status.code()), c.name);
    EXPECT_EQ(c.status.message(), "x");
  }
}

TEST(StatusTest, SyntaxErrorCarriesPosition) {
  Status s = Status::SyntaxError("expected ')'", {3, 14, 40});
  EXPECT_TRUE(s.IsInvalidArgument());
  ASSERT_TRUE(s.position().has_value());
  EXPECT_EQ(s.position()->line, 3);
  EXPECT_EQ(s.position()->column, 14);
  EXPECT_EQ(s.ToString(), "invalid_argument: expected ')' (line 3, column 14)");
}

TEST(StatusTest, WithContextPrefixesMessage) {
  EXPECT_EQ(Status::IOError("disk full").WithContext("write a.py").message(),
            "write a.py: disk full");
  EXPECT_TRUE(Status::OK().WithContext("ignored").ok());
}

TEST(StatusTest, WithPositionWorksForAnyCode) {
  Status s = Status::NotSupported("WITH is not supported yet").WithPosition({1, 11, 10});
  EXPECT_TRUE(s.IsNotSupported());
  ASSERT_TRUE(s.position().has_value());
  EXPECT_EQ(s.position()->column, 11);
  EXPECT_EQ(s.ToString(), "not_supported: WITH is not supported yet (line 1, column 11)");
  EXPECT_FALSE(Status::OK().WithPosition({1, 1, 0}).position().has_value());
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  KG_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, ValueOrError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_TRUE(Quarter(6).status().IsInvalidArgument());
  EXPECT_TRUE(Quarter(3).status().IsInvalidArgument());
}

TEST(ResultTest, OkStatusIsRejected) {
  Result<int> r(Status::OK());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInternal());
}

}  // namespace
}  // namespace kg
