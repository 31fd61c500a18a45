// KnownFlows: the SB flow rows a full compare looks up by fingerprint, each taken at most once
// per pass; the rows no pass took are the ones the compare deletes.
#include "northd/known_flows.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

namespace ovnx::northd {
namespace {

Uuid uuid(uint64_t n) { return Uuid{0x1000 + n, n}; }

std::vector<Uuid> untaken(KnownFlows& k, uint64_t pass) {
  std::vector<Uuid> out;
  k.for_each_untaken(pass, [&](const KnownFlows::Slot& s) { out.push_back(s.uuid); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(KnownFlowsTest, ARowIsTakenOncePerPass) {
  KnownFlows k;
  k.add(uuid(1), 42);
  k.add(uuid(2), 43);
  k.build_lookup();
  const KnownFlows::Slot* s = k.take(42, 1);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->uuid, uuid(1));
  EXPECT_EQ(k.take(42, 1), nullptr);
  EXPECT_EQ(k.take(44, 1), nullptr);
  EXPECT_EQ(untaken(k, 1), std::vector<Uuid>{uuid(2)});
  // The next pass starts over.
  ASSERT_NE(k.take(42, 2), nullptr);
  EXPECT_EQ(untaken(k, 2), std::vector<Uuid>{uuid(2)});
}

TEST(KnownFlowsTest, RowsWithTheSameFingerprintAreTakenOneByOne) {
  KnownFlows k;
  k.add(uuid(1), 7);
  k.add(uuid(2), 7);
  k.build_lookup();
  const KnownFlows::Slot* a = k.take(7, 1);
  const KnownFlows::Slot* b = k.take(7, 1);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a->uuid, b->uuid);
  EXPECT_EQ(k.take(7, 1), nullptr);
}

TEST(KnownFlowsTest, AddedRemovedAndReplacedRowsShowAfterBuildLookup) {
  KnownFlows k;
  for (uint64_t i = 0; i < 100; ++i) k.add(uuid(i), i * 1000);
  k.build_lookup();
  k.remove(uuid(5));
  k.add(uuid(6), 123456);  // a changed row: new fingerprint
  k.add(uuid(200), 777);
  k.build_lookup();
  EXPECT_EQ(k.size(), 100u);
  EXPECT_EQ(k.take(5000, 1), nullptr);
  EXPECT_EQ(k.take(6000, 1), nullptr);
  ASSERT_NE(k.take(123456, 1), nullptr);
  ASSERT_NE(k.take(777, 1), nullptr);
  std::vector<Uuid> left = untaken(k, 1);
  EXPECT_EQ(left.size(), 98u);  // 100 rows, two taken
  EXPECT_FALSE(std::binary_search(left.begin(), left.end(), uuid(5)));
}

TEST(KnownFlowsTest, ABuildWithoutChangesKeepsThePassMarks) {
  KnownFlows k;
  k.add(uuid(1), 9);
  k.build_lookup();
  ASSERT_NE(k.take(9, 3), nullptr);
  k.build_lookup();  // nothing changed: the same table
  EXPECT_EQ(k.take(9, 3), nullptr);
}

TEST(KnownFlowsTest, ProbesWrapAroundAFullRunOfCollidingSlots) {
  KnownFlows k;
  // Every fingerprint lands on the table's last slot: probes run around its end.
  const uint64_t n = 5000;
  for (uint64_t i = 0; i < n; ++i) k.add(uuid(i), (i << 32) | 0xffffffffULL);
  k.build_lookup();
  for (uint64_t i = 0; i < n; ++i) {
    k.prefetch((i << 32) | 0xffffffffULL);
    const KnownFlows::Slot* s = k.take((i << 32) | 0xffffffffULL, 1);
    ASSERT_NE(s, nullptr) << i;
    EXPECT_EQ(s->uuid, uuid(i));
  }
  EXPECT_TRUE(untaken(k, 1).empty());
}

TEST(KnownFlowsTest, ClearForgetsEverything) {
  KnownFlows k;
  k.add(uuid(1), 1);
  k.build_lookup();
  k.clear();
  k.build_lookup();
  EXPECT_EQ(k.size(), 0u);
  EXPECT_EQ(k.take(1, 1), nullptr);
  EXPECT_TRUE(untaken(k, 1).empty());
}

}  // namespace
}  // namespace ovnx::northd
