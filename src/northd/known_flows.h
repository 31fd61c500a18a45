// The SB Logical_Flow rows a writer knows, by the fingerprint of their written columns
// (sb_flow_fingerprint), kept across full compares so that an unchanged flow is found with
// one probe and no SB row is read. Entries live in a flat array (freed slots reused); the
// lookup by fingerprint is an open-addressing table rebuilt once per full compare.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/uuid.h"

namespace ovnx::northd {

class KnownFlows {
 public:
  struct Entry {
    uint64_t fp = 0;
    Uuid uuid;
    uint64_t used_in = 0;  // the compare pass that matched it with a table row
    bool live = false;
  };

  void clear();
  void reserve(size_t n);
  void add(const Uuid& uuid, uint64_t fp);
  void remove(const Uuid& uuid);
  // Makes take() see the entries as they are now; call after add()/remove().
  void build_lookup();
  // A live entry with fingerprint FP not yet taken in PASS, now taken; nullptr if none.
  Entry* take(uint64_t fp, uint64_t pass);
  std::vector<Entry>& entries() { return entries_; }

 private:
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_;
  std::unordered_map<Uuid, uint32_t> slot_of_;
  std::vector<uint32_t> lookup_;  // entry index + 1, 0 for empty; size a power of two
};

}  // namespace ovnx::northd
