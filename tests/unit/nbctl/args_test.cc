// Argument parsers shared by the command families, with ovn-nbctl's error messages.
#include "nbctl/args.h"

#include <gtest/gtest.h>

namespace ovnx::nbctl {
namespace {

TEST(Args, Priority) {
  EXPECT_EQ(*parse_priority("100"), 100);
  EXPECT_EQ(*parse_priority(" 302"), 302);
  EXPECT_EQ(*parse_priority("303 "), 303);
  EXPECT_EQ(*parse_priority("+301"), 301);
  EXPECT_EQ(*parse_priority("00300"), 300);
  EXPECT_EQ(*parse_priority("32767"), 32767);
  auto bad = parse_priority("32768");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "32768: priority must in range 0...32767");
  EXPECT_FALSE(parse_priority("x").ok());
  EXPECT_FALSE(parse_priority("-1").ok());
}

TEST(Args, EnabledState) {
  EXPECT_TRUE(*parse_enabled_state("enabled"));
  EXPECT_TRUE(*parse_enabled_state("ENABLED"));
  EXPECT_FALSE(*parse_enabled_state("Disabled"));
  auto bad = parse_enabled_state("on");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "on: state must be \"enabled\" or \"disabled\"");
}

TEST(Args, KeyValues) {
  auto m = parse_key_values({"cmd", "port", "foo", "=x", "x=", "a b=c d", "x=2", "k=v=w"}, 2);
  EXPECT_EQ(m, (std::map<std::string, std::string>{{"", "x"}, {"x", ""}, {"a b", "c d"},
                                                   {"k", "v=w"}}));
}

TEST(Args, IntInRange) {
  EXPECT_EQ(parse_int_in_range("4294967295", 0, 4294967295LL), 4294967295LL);
  EXPECT_FALSE(parse_int_in_range("4294967296", 0, 4294967295LL));
  EXPECT_FALSE(parse_int_in_range("12a", 0, 100));
  EXPECT_FALSE(parse_int_in_range("", 0, 100));
}

}  // namespace
}  // namespace ovnx::nbctl
