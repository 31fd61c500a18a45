// The order in which the real ovn-nbctl prints string maps (options, DHCP options): it walks
// an OVS hash map (smap) built by inserting the keys in sorted order, so the output order is a
// function of the keys alone. We reproduce it so that our output is byte-identical: the hash
// is MurmurHash3-style 32-bit mixing with OVS's seed and tail handling, and the table grows as
// OVS's does (bucket count doubling when entries exceed twice the buckets, head insertion, and
// a rehash that walks old buckets in order).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ovnx::nbctl {

// OVS's hash_string(S, BASIS).
uint32_t ovs_hash_string(std::string_view s, uint32_t basis = 0);

// Given the hashes of entries in insertion order, the insertion indexes in iteration order.
std::vector<size_t> hmap_iteration_order(const std::vector<uint32_t>& hashes);

// The pairs of a string map (sorted by key, as a database map is) in the order the real tool
// iterates them.
std::vector<std::pair<std::string, std::string>> smap_order(
    std::vector<std::pair<std::string, std::string>> sorted_pairs);

}  // namespace ovnx::nbctl
