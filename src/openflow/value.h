// U128: an unsigned 128-bit value, the storage for every match value, mask and loaded constant.
//
// OpenFlow fields are at most 128 bits wide in the set OVN uses (ipv6, xxreg, ct_label,
// tun_metadata as OVN maps it); a field's value is kept right-aligned, i.e. bit 0 of the U128
// is the least-significant bit of the field exactly as ovs-fields(7) numbers subfield bits
// (`reg0[0]` is the LSB of reg0). Plain value type: cheap to copy, totally ordered, hashable.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ovnx::openflow {

struct U128 {
  uint64_t hi = 0;
  uint64_t lo = 0;

  constexpr U128() = default;
  constexpr U128(uint64_t low) : lo(low) {}  // NOLINT: implicit from integers by design
  constexpr U128(uint64_t high, uint64_t low) : hi(high), lo(low) {}

  // The N least-significant bits set (N in 0..128).
  static constexpr U128 low_bits(unsigned n) {
    if (n >= 128) return U128(~uint64_t{0}, ~uint64_t{0});
    if (n >= 64) return U128(n == 64 ? 0 : (~uint64_t{0} >> (128 - n)), ~uint64_t{0});
    return U128(0, n == 0 ? 0 : (~uint64_t{0} >> (64 - n)));
  }
  // Bits OFS .. OFS+N_BITS-1 set.
  static constexpr U128 bit_range(unsigned ofs, unsigned n_bits) {
    return low_bits(n_bits) << ofs;
  }

  // From big-endian bytes (at most 16; fewer fill the low bytes).
  static U128 from_be_bytes(std::span<const uint8_t> bytes);
  // Writes the low OUT.size() bytes big-endian (OUT.size() <= 16).
  void to_be_bytes(std::span<uint8_t> out) const;

  constexpr bool is_zero() const { return hi == 0 && lo == 0; }
  // Number of significant bits (0 for zero).
  int bit_width() const;
  // True if the set bits are one contiguous run (zero counts as contiguous).
  bool is_contiguous() const;
  // Index of the lowest set bit; REQUIRES: !is_zero().
  int lowest_bit() const;

  constexpr U128 operator&(U128 o) const { return U128(hi & o.hi, lo & o.lo); }
  constexpr U128 operator|(U128 o) const { return U128(hi | o.hi, lo | o.lo); }
  constexpr U128 operator^(U128 o) const { return U128(hi ^ o.hi, lo ^ o.lo); }
  constexpr U128 operator~() const { return U128(~hi, ~lo); }
  constexpr U128 operator<<(unsigned n) const {
    if (n == 0) return *this;
    if (n >= 128) return U128();
    if (n >= 64) return U128(lo << (n - 64), 0);
    return U128((hi << n) | (lo >> (64 - n)), lo << n);
  }
  constexpr U128 operator>>(unsigned n) const {
    if (n == 0) return *this;
    if (n >= 128) return U128();
    if (n >= 64) return U128(0, hi >> (n - 64));
    return U128(hi >> n, (lo >> n) | (hi << (64 - n)));
  }
  U128& operator&=(U128 o) { return *this = *this & o; }
  U128& operator|=(U128 o) { return *this = *this | o; }

  constexpr std::strong_ordering operator<=>(const U128&) const = default;
  constexpr bool operator==(const U128&) const = default;
};

// Mixes V into SEED (for the hash functions of Match, Action and Flow).
size_t hash_combine(size_t seed, uint64_t v);
inline size_t hash_combine(size_t seed, U128 v) {
  return hash_combine(hash_combine(seed, v.hi), v.lo);
}

}  // namespace ovnx::openflow
