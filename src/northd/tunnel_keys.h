// Tunnel-key allocation within one key space (datapaths, or the ports of one datapath).
//
// Keys are stable: a caller first claims the keys objects asked for (requested-tnl-key) and the
// keys they already had in the SB, then allocates the lowest free key for each new object;
// keys of deleted objects are released.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_set>

namespace ovnx::northd {

class KeyAllocator {
 public:
  KeyAllocator(int64_t min, int64_t max) : min_(min), max_(max) {}

  bool in_range(int64_t key) const { return key >= min_ && key <= max_; }
  bool in_use(int64_t key) const { return used_.count(key) != 0; }
  // Marks `key` used; false if it is out of range or already taken.
  bool claim(int64_t key);
  // The lowest free key, now marked used; nullopt if the space is full.
  std::optional<int64_t> allocate();
  // Frees `key` for reuse.
  void release(int64_t key);

 private:
  int64_t min_;
  int64_t max_;
  int64_t next_ = 0;  // no free key below this one (0: not yet known)
  std::unordered_set<int64_t> used_;
};

}  // namespace ovnx::northd
