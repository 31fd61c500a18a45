#include "openflow/value.h"

#include <bit>
#include <cassert>

namespace ovnx::openflow {

U128 U128::from_be_bytes(std::span<const uint8_t> bytes) {
  assert(bytes.size() <= 16);
  U128 v;
  for (uint8_t b : bytes) v = (v << 8) | U128(b);
  return v;
}

void U128::to_be_bytes(std::span<uint8_t> out) const {
  assert(out.size() <= 16);
  U128 v = *this;
  for (size_t i = out.size(); i-- > 0;) {
    out[i] = static_cast<uint8_t>(v.lo & 0xff);
    v = v >> 8;
  }
}

int U128::bit_width() const {
  if (hi != 0) return 64 + std::bit_width(hi);
  return std::bit_width(lo);
}

int U128::lowest_bit() const {
  assert(!is_zero());
  if (lo != 0) return std::countr_zero(lo);
  return 64 + std::countr_zero(hi);
}

bool U128::is_contiguous() const {
  if (is_zero()) return true;
  U128 shifted = *this >> static_cast<unsigned>(lowest_bit());
  // A run of ones plus one is a power of two: no bits in common with the run.
  U128 plus_one = shifted.lo == ~uint64_t{0} ? U128(shifted.hi + 1, 0)
                                             : U128(shifted.hi, shifted.lo + 1);
  return (shifted & plus_one).is_zero();
}

size_t hash_combine(size_t seed, uint64_t v) {
  // splitmix64 finalizer over the running state: cheap and well distributed.
  uint64_t x = seed ^ (v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<size_t>(x);
}

}  // namespace ovnx::openflow
