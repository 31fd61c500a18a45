#include "northd/known_flows.h"

namespace ovnx::northd {

void KnownFlows::clear() {
  entries_.clear();
  free_.clear();
  slot_of_.clear();
  lookup_.clear();
}

void KnownFlows::reserve(size_t n) {
  entries_.reserve(n);
  slot_of_.reserve(n);
}

void KnownFlows::add(const Uuid& uuid, uint64_t fp) {
  if (slot_of_.count(uuid)) remove(uuid);
  uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    i = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  entries_[i] = Entry{fp, uuid, 0, true};
  slot_of_.emplace(uuid, i);
}

void KnownFlows::remove(const Uuid& uuid) {
  auto it = slot_of_.find(uuid);
  if (it == slot_of_.end()) return;
  entries_[it->second].live = false;
  free_.push_back(it->second);
  slot_of_.erase(it);
}

void KnownFlows::build_lookup() {
  size_t size = 16;
  while (size < entries_.size() * 2) size *= 2;
  lookup_.assign(size, 0);
  const size_t mask = size - 1;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    if (!entries_[i].live) continue;
    size_t s = entries_[i].fp & mask;
    while (lookup_[s]) s = (s + 1) & mask;
    lookup_[s] = i + 1;
  }
}

KnownFlows::Entry* KnownFlows::take(uint64_t fp, uint64_t pass) {
  if (lookup_.empty()) return nullptr;
  const size_t mask = lookup_.size() - 1;
  for (size_t s = fp & mask; lookup_[s]; s = (s + 1) & mask) {
    Entry& e = entries_[lookup_[s] - 1];
    if (e.fp == fp && e.live && e.used_in != pass) {
      e.used_in = pass;
      return &e;
    }
  }
  return nullptr;
}

}  // namespace ovnx::northd
