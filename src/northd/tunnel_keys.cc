#include "northd/tunnel_keys.h"

namespace ovnx::northd {

bool KeyAllocator::claim(int64_t key) {
  if (!in_range(key)) return false;
  return used_.insert(key).second;
}

std::optional<int64_t> KeyAllocator::allocate() {
  // Claims only ever add keys, so everything below next_ stays used: scanning resumes there,
  // which keeps allocating N keys linear overall.
  int64_t k = next_ < min_ ? min_ : next_;
  for (; k <= max_; ++k) {
    if (used_.insert(k).second) {
      next_ = k + 1;
      return k;
    }
  }
  next_ = max_ + 1;
  return std::nullopt;
}

}  // namespace ovnx::northd
