// The SB Logical_Flow rows a writer knows, by the fingerprint of their written columns
// (sb_flow_fingerprint), kept across full compares so that an unchanged flow is found with
// one probe and no SB row is read. The rows are kept as entries (freed slots reused); the
// lookup by fingerprint is an open-addressing table of slots holding the fingerprint, the row
// UUID and the pass mark together, so a probe touches one cache line (prefetch() it ahead of
// take() to hide the miss). The table is rebuilt only after rows were added or removed. It
// lives in its own mapping, in huge pages where the kernel allows (madvise): its probes are
// random over several MB, and with 4 KiB pages nearly each one would also miss the TLB.
//
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/uuid.h"

namespace ovnx::northd {

class KnownFlows {
 public:
  struct Slot {
    uint64_t fp = 0;
    Uuid uuid;             // zero: the slot is empty
    uint64_t used_in = 0;  // the compare pass that matched it with a table row
  };

  void clear();
  void reserve(size_t n);
  void add(const Uuid& uuid, uint64_t fp);
  void remove(const Uuid& uuid);
  size_t size() const { return slot_of_.size(); }
  // Makes take() see the rows as they are now; call after add()/remove() (cheap if none).
  void build_lookup();
  // Starts loading the slot where take(FP) begins.
  void prefetch(uint64_t fp) const {
    if (n_slots_) __builtin_prefetch(&slots_[fp & (n_slots_ - 1)]);
  }
  // A row with fingerprint FP not yet taken in PASS, now taken; nullptr if none.
  Slot* take(uint64_t fp, uint64_t pass);
  // Calls fn(Slot&) for each row not taken in PASS (in slot order).
  template <class Fn>
  void for_each_untaken(uint64_t pass, Fn fn) {
    for (size_t i = 0; i < n_slots_; ++i) {
      Slot& s = slots_[i];
      if (!s.uuid.is_zero() && s.used_in != pass) fn(s);
    }
  }

  KnownFlows() = default;
  ~KnownFlows();
  KnownFlows(const KnownFlows&) = delete;
  KnownFlows& operator=(const KnownFlows&) = delete;

 private:
  struct Entry {
    uint64_t fp = 0;
    Uuid uuid;
    bool live = false;
  };
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_;
  std::unordered_map<Uuid, uint32_t> slot_of_;
  void free_slots();
  Slot* slots_ = nullptr;  // n_slots_ of them, a power of two, at most half full
  size_t n_slots_ = 0;
  void* mapping_ = nullptr;  // what holds slots_ (aligned to a huge page within it)
  size_t mapping_bytes_ = 0;
  bool dirty_ = true;        // entries changed since the last build_lookup()
};

}  // namespace ovnx::northd
