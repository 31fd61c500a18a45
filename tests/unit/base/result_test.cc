#include "base/result.h"

#include <gtest/gtest.h>

namespace ovnx {
namespace {

Result<int> parse_positive(int x) {
  if (x <= 0) return make_error("syntax error", "not positive");
  return x;
}

Result<int> doubled(int x) {
  OVNX_ASSIGN_OR_RETURN(int v, parse_positive(x));
  return v * 2;
}

Status check(int x) {
  OVNX_RETURN_IF_ERROR(parse_positive(x));
  return {};
}

TEST(Result, ValueAndError) {
  auto good = doubled(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 8);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().tag, "syntax error");
  EXPECT_EQ(bad.error().to_string(), "syntax error: not positive");
}

TEST(Result, StatusPropagates) {
  EXPECT_TRUE(check(1).ok());
  Status s = check(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details, "not positive");
}

}  // namespace
}  // namespace ovnx
