#include "northd/tunnel_keys.h"

namespace ovnx::northd {

bool KeyAllocator::claim(int64_t key) {
  if (!in_range(key)) return false;
  return used_.insert(key).second;
}

void KeyAllocator::release(int64_t key) {
  if (used_.erase(key) && key < next_) next_ = key;
}

std::optional<int64_t> KeyAllocator::allocate() {
  // Every key below next_ is used (release() lowers next_), so scanning resumes there, which
  // keeps allocating N keys linear overall.
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
