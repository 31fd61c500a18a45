#include "nbctl/hash_order.h"

#include <cstring>

namespace ovnx::nbctl {

namespace {

uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

uint32_t mix(uint32_t hash, uint32_t data) {
  data *= 0xcc9e2d51;
  data = rotl(data, 15);
  data *= 0x1b873593;
  hash ^= data;
  hash = rotl(hash, 13);
  return hash * 5 + 0xe6546b64;
}

uint32_t finish(uint32_t hash) {
  hash ^= hash >> 16;
  hash *= 0x85ebca6b;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35;
  hash ^= hash >> 16;
  return hash;
}

// Smallest 2^k - 1 that is at least CAPACITY / 2, but at least 3 once it is not 0.
size_t grow_mask(size_t capacity) {
  size_t mask = capacity / 2;
  for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
  mask |= (mask & 1) << 1;
  return mask;
}

}  // namespace

uint32_t ovs_hash_string(std::string_view s, uint32_t basis) {
  uint32_t hash = basis;
  size_t n = s.size();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t word;
    std::memcpy(&word, s.data() + i, 4);  // little-endian hosts, as the real tool runs on
    hash = mix(hash, word);
  }
  if (i < n) {
    uint32_t word = 0;
    std::memcpy(&word, s.data() + i, n - i);
    hash = mix(hash, word);
  }
  return finish(hash ^ static_cast<uint32_t>(n));
}

std::vector<size_t> hmap_iteration_order(const std::vector<uint32_t>& hashes) {
  // Buckets hold entry indexes, head first.
  size_t mask = 0;
  std::vector<std::vector<size_t>> buckets(1);
  size_t count = 0;
  auto insert_head = [&](size_t entry) {
    auto& b = buckets[hashes[entry] & mask];
    b.insert(b.begin(), entry);
  };
  for (size_t e = 0; e < hashes.size(); ++e) {
    insert_head(e);
    ++count;
    if (count / 2 > mask) {
      size_t new_mask = grow_mask(count);
      if (new_mask > mask) {
        std::vector<std::vector<size_t>> old = std::move(buckets);
        mask = new_mask;
        buckets.assign(mask + 1, {});
        for (const auto& b : old) {
          for (size_t entry : b) insert_head(entry);
        }
      }
    }
  }
  std::vector<size_t> order;
  order.reserve(hashes.size());
  for (const auto& b : buckets) order.insert(order.end(), b.begin(), b.end());
  return order;
}

std::vector<std::pair<std::string, std::string>> smap_order(
    std::vector<std::pair<std::string, std::string>> sorted_pairs) {
  std::vector<uint32_t> hashes;
  hashes.reserve(sorted_pairs.size());
  for (const auto& [k, v] : sorted_pairs) hashes.push_back(ovs_hash_string(k));
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(sorted_pairs.size());
  for (size_t i : hmap_iteration_order(hashes)) out.push_back(std::move(sorted_pairs[i]));
  return out;
}

}  // namespace ovnx::nbctl
