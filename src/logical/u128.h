// U128: the 128-bit unsigned integer every value of the logical-flow language fits in (the widest
// fields, ip6.src, xxreg0 and ct_label, are 128 bits). A plain value type, cheap to copy.
#pragma once

#include <bit>
#include <compare>
#include <cstdint>
#include <string>

namespace ovnx::logical {

struct U128 {
  uint64_t hi = 0;
  uint64_t lo = 0;

  constexpr U128() = default;
  constexpr U128(uint64_t low) : lo(low) {}  // NOLINT: implicit from small integers by design
  constexpr U128(uint64_t high, uint64_t low) : hi(high), lo(low) {}

  // The value with the low `n` bits set (n in 0..128).
  static constexpr U128 low_bits(int n) {
    if (n <= 0) return {};
    if (n >= 128) return {~0ull, ~0ull};
    if (n >= 64) return {n == 64 ? 0 : (~0ull >> (128 - n)), ~0ull};
    return {0, (1ull << n) - 1};
  }
  // Bits [ofs, ofs + n) set.
  static constexpr U128 bit_range(int ofs, int n) { return low_bits(n) << ofs; }
  static constexpr U128 bit(int i) { return U128(1) << i; }

  constexpr bool is_zero() const { return (hi | lo) == 0; }
  constexpr bool test(int i) const {
    return i < 64 ? ((lo >> i) & 1) != 0 : i < 128 && ((hi >> (i - 64)) & 1) != 0;
  }
  constexpr int popcount() const { return std::popcount(hi) + std::popcount(lo); }
  // Index of the most significant set bit, or -1 when zero.
  constexpr int msb() const {
    if (hi) return 127 - std::countl_zero(hi);
    if (lo) return 63 - std::countl_zero(lo);
    return -1;
  }
  // Index of the least significant set bit, or -1 when zero.
  constexpr int lsb() const {
    if (lo) return std::countr_zero(lo);
    if (hi) return 64 + std::countr_zero(hi);
    return -1;
  }
  // True when the set bits form one contiguous run starting at bit 0 ... or are all zero.
  constexpr bool is_low_mask() const { return ((*this + U128(1)) & *this).is_zero(); }
  // True for a CIDR-style mask: the set bits are the top bits of a `width`-bit field.
  constexpr bool is_prefix_mask(int width) const {
    U128 inv = ~*this & low_bits(width);
    return inv.is_low_mask() && (*this & ~low_bits(width)).is_zero();
  }

  friend constexpr U128 operator&(U128 a, U128 b) { return {a.hi & b.hi, a.lo & b.lo}; }
  friend constexpr U128 operator|(U128 a, U128 b) { return {a.hi | b.hi, a.lo | b.lo}; }
  friend constexpr U128 operator^(U128 a, U128 b) { return {a.hi ^ b.hi, a.lo ^ b.lo}; }
  constexpr U128 operator~() const { return {~hi, ~lo}; }
  friend constexpr U128 operator+(U128 a, U128 b) {
    uint64_t lo = a.lo + b.lo;
    return {a.hi + b.hi + (lo < a.lo ? 1 : 0), lo};
  }
  friend constexpr U128 operator-(U128 a, U128 b) {
    return {a.hi - b.hi - (a.lo < b.lo ? 1 : 0), a.lo - b.lo};
  }
  friend constexpr U128 operator<<(U128 a, int n) {
    if (n <= 0) return a;
    if (n >= 128) return {};
    if (n >= 64) return {a.lo << (n - 64), 0};
    return {(a.hi << n) | (a.lo >> (64 - n)), a.lo << n};
  }
  friend constexpr U128 operator>>(U128 a, int n) {
    if (n <= 0) return a;
    if (n >= 128) return {};
    if (n >= 64) return {0, a.hi >> (n - 64)};
    return {a.hi >> n, (a.lo >> n) | (a.hi << (64 - n))};
  }
  U128& operator&=(U128 b) { return *this = *this & b; }
  U128& operator|=(U128 b) { return *this = *this | b; }
  U128& operator^=(U128 b) { return *this = *this ^ b; }
  U128& operator<<=(int n) { return *this = *this << n; }
  U128& operator>>=(int n) { return *this = *this >> n; }

  friend constexpr bool operator==(U128 a, U128 b) = default;
  friend constexpr std::strong_ordering operator<=>(U128 a, U128 b) {
    if (auto c = a.hi <=> b.hi; c != 0) return c;
    return a.lo <=> b.lo;
  }

  // Bits [ofs, ofs + n) as a value in the low bits.
  constexpr U128 extract(int ofs, int n) const { return (*this >> ofs) & low_bits(n); }

  // "0x..." lower-case hexadecimal without leading zeros ("0" for zero, like ovs-ofctl).
  std::string to_hex() const;
  // Decimal.
  std::string to_decimal() const;
};

}  // namespace ovnx::logical
