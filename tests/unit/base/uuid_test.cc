#include "base/uuid.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace ovnx {
namespace {

TEST(Uuid, RoundTripsText) {
  auto u = Uuid::parse("0123abcd-4567-89ef-0123-456789abcdef");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->to_string(), "0123abcd-4567-89ef-0123-456789abcdef");
  EXPECT_EQ(u->prefix32(), 0x0123abcdu);
}

TEST(Uuid, RejectsMalformedText) {
  EXPECT_FALSE(Uuid::parse(""));
  EXPECT_FALSE(Uuid::parse("0123abcd-4567-89ef-0123-456789abcdeg"));
  EXPECT_FALSE(Uuid::parse("0123abcd04567-89ef-0123-456789abcdef"));
  EXPECT_FALSE(Uuid::parse("0123abcd-4567-89ef-0123-456789abcdef0"));
}

TEST(Uuid, GeneratesDistinctVersion4) {
  std::unordered_set<Uuid> seen;
  for (int i = 0; i < 1000; ++i) {
    Uuid u = Uuid::generate();
    EXPECT_EQ(u.to_string()[14], '4');
    EXPECT_TRUE(seen.insert(u).second);
  }
}

}  // namespace
}  // namespace ovnx
