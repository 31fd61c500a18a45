// The lock table: queueing, stealing and handing over (RFC 7047 sections 4.1.8 to 4.1.10).
#include <gtest/gtest.h>

#include <vector>

#include "ovsdb/server/lock.h"

namespace ovnx::ovsdb::server {
namespace {

struct Waiter : LockWaiter {
  std::vector<std::string> events;
  void lock_acquired(const std::string& n) override { events.push_back("locked " + n); }
  void lock_stolen(const std::string& n) override { events.push_back("stolen " + n); }
};

TEST(LockTable, FirstComerOwnsOthersQueue) {
  LockTable t;
  Waiter a, b;
  EXPECT_TRUE(t.lock(&a, "L"));
  EXPECT_FALSE(t.lock(&b, "L"));
  EXPECT_TRUE(t.owns(&a, "L"));
  EXPECT_FALSE(t.owns(&b, "L"));
  t.unlock(&a, "L");
  EXPECT_TRUE(t.owns(&b, "L"));
  EXPECT_EQ(b.events, std::vector<std::string>{"locked L"});
  t.unlock(&b, "L");
  EXPECT_EQ(t.size(), 0u);
}

TEST(LockTable, StealNotifiesTheVictimWhoGetsItBackLater) {
  LockTable t;
  Waiter a, b;
  t.lock(&a, "L");
  t.steal(&b, "L");
  EXPECT_TRUE(t.owns(&b, "L"));
  EXPECT_EQ(a.events, std::vector<std::string>{"stolen L"});
  t.unlock(&b, "L");
  EXPECT_TRUE(t.owns(&a, "L"));
  EXPECT_EQ(a.events.back(), "locked L");
}

TEST(LockTable, LocksAreIndependent) {
  LockTable t;
  Waiter a, b;
  EXPECT_TRUE(t.lock(&a, "x"));
  EXPECT_TRUE(t.lock(&b, "y"));
  t.unlock(&b, "x");  // not a waiter: no effect
  EXPECT_TRUE(t.owns(&a, "x"));
}

}  // namespace
}  // namespace ovnx::ovsdb::server
