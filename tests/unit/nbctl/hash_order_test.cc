// The order of string maps in the real tool's output (its hash table order), as observed by
// running ovn-nbctl 23.03 (lsp-get-options, dhcp-options-get-options, lr-policy-list).
#include "nbctl/hash_order.h"

#include <gtest/gtest.h>

namespace ovnx::nbctl {
namespace {

std::vector<std::string> keys_in_order(std::vector<std::string> sorted_keys) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto& k : sorted_keys) pairs.emplace_back(k, "");
  std::vector<std::string> out;
  for (auto& [k, v] : smap_order(pairs)) out.push_back(k);
  return out;
}

TEST(HashOrder, MatchesTheRealTool) {
  EXPECT_EQ(keys_in_order({"lease_time", "router", "server_id", "server_mac"}),
            (std::vector<std::string>{"server_mac", "router", "server_id", "lease_time"}));
  EXPECT_EQ(keys_in_order({"aa", "lease_time", "router", "server_id", "server_mac", "zz"}),
            (std::vector<std::string>{"server_mac", "router", "aa", "server_id", "zz",
                                      "lease_time"}));
  EXPECT_EQ(keys_in_order({"a", "b", "c", "d", "e", "f", "g"}),
            (std::vector<std::string>{"e", "a", "b", "g", "d", "c", "f"}));
  EXPECT_EQ(keys_in_order({"foo", "pkt_mark"}), (std::vector<std::string>{"foo", "pkt_mark"}));
  EXPECT_TRUE(keys_in_order({}).empty());
  EXPECT_EQ(keys_in_order({"x"}), (std::vector<std::string>{"x"}));
}

TEST(HashOrder, EqualHashesAlternateWithEachGrowth) {
  // Entries with one hash share a bucket: newest first, reversed by every rehash.
  EXPECT_EQ(hmap_iteration_order({7, 7}), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(hmap_iteration_order({7}), (std::vector<size_t>{0}));
  EXPECT_EQ(hmap_iteration_order({0, 1, 2, 3}), (std::vector<size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace ovnx::nbctl
