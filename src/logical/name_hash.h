// NameHash: a transparent hash for maps keyed by short names (symbols, ports), looked up by
// string_view while parsing every logical flow.
//
// std::hash<string_view> is a general-purpose byte hash (~1.5% of compiling a flow in symbol
// lookups alone); names are a few to a few dozen bytes, so eight bytes at a time with one
// multiply each spreads them well enough for a hash table and costs a handful of instructions.
// Not for untrusted keys that an attacker could choose to collide.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ovnx::logical {

struct NameHash {
  using is_transparent = void;
  template <size_t N>
  static uint64_t load(const char* p) {
    if constexpr (N == 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      return w;
    } else {
      uint32_t w;
      std::memcpy(&w, p, 4);
      return w;
    }
  }
  size_t operator()(std::string_view s) const {
    constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
    uint64_t h = s.size() * kMul;
    const char* p = s.data();
    size_t n = s.size();
    // Whole words, then the last (partial) word read as fixed-size loads that may overlap
    // bytes already hashed, so no loop or variable-length copy for the tail.
    for (; n > 8; p += 8, n -= 8) h = (h ^ load<8>(p)) * kMul;
    uint64_t tail;
    if (s.size() >= 8) {
      tail = load<8>(s.data() + s.size() - 8);
    } else if (n >= 4) {
      tail = (load<4>(p) << 32) | load<4>(p + n - 4);
    } else if (n > 0) {
      tail =
          (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n / 2])) << 8) | uint8_t(p[n - 1]);
    } else {
      tail = 0;
    }
    h = (h ^ tail) * kMul;
    return size_t(h ^ (h >> 29));
  }
};

}  // namespace ovnx::logical
