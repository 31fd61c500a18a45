#include "logical/u128.h"

#include <algorithm>

namespace ovnx::logical {

std::string U128::to_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  U128 v = *this;
  do {
    out.push_back(kDigits[v.lo & 0xf]);
    v >>= 4;
  } while (!v.is_zero());
  out += "x0";
  std::reverse(out.begin(), out.end());
  return out;
}

std::string U128::to_decimal() const {
  if (hi == 0) return std::to_string(lo);
  // Long division by 10, most significant 32-bit limb first.
  uint32_t limbs[4] = {uint32_t(hi >> 32), uint32_t(hi), uint32_t(lo >> 32), uint32_t(lo)};
  std::string out;
  bool nonzero = true;
  while (nonzero) {
    uint64_t rem = 0;
    nonzero = false;
    for (uint32_t& limb : limbs) {
      uint64_t cur = (rem << 32) | limb;
      limb = uint32_t(cur / 10);
      rem = cur % 10;
      nonzero |= limb != 0;
    }
    out.push_back(char('0' + rem));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace ovnx::logical
