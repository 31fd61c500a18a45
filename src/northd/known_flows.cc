#include "northd/known_flows.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace ovnx::northd {
namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

KnownFlows::~KnownFlows() { free_slots(); }

void KnownFlows::free_slots() {
  if (mapping_) munmap(mapping_, mapping_bytes_);
  mapping_ = nullptr;
  mapping_bytes_ = 0;
  slots_ = nullptr;
  n_slots_ = 0;
}

void KnownFlows::clear() {
  entries_.clear();
  free_.clear();
  slot_of_.clear();
  free_slots();
  dirty_ = true;
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
  entries_[i] = Entry{fp, uuid, true};
  slot_of_.emplace(uuid, i);
  dirty_ = true;
}

void KnownFlows::remove(const Uuid& uuid) {
  auto it = slot_of_.find(uuid);
  if (it == slot_of_.end()) return;
  entries_[it->second].live = false;
  free_.push_back(it->second);
  slot_of_.erase(it);
  dirty_ = true;
}

void KnownFlows::build_lookup() {
  if (!dirty_) return;
  size_t size = 16;
  while (size < slot_of_.size() * 2) size *= 2;
  free_slots();
  // A fresh anonymous mapping reads as zeros: every slot empty.
  mapping_bytes_ = size * sizeof(Slot) + kHugePage;
  mapping_ = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                  -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw std::bad_alloc();  // still dirty: the next call builds it again
  }
  dirty_ = false;
  auto aligned = (reinterpret_cast<uintptr_t>(mapping_) + kHugePage - 1) & ~(kHugePage - 1);
  madvise(reinterpret_cast<void*>(aligned), size * sizeof(Slot), MADV_HUGEPAGE);
  slots_ = reinterpret_cast<Slot*>(aligned);
  n_slots_ = size;
  const size_t mask = size - 1;
  for (const Entry& e : entries_) {
    if (!e.live) continue;
    size_t s = e.fp & mask;
    while (!slots_[s].uuid.is_zero()) s = (s + 1) & mask;
    slots_[s] = Slot{e.fp, e.uuid, 0};
  }
}

KnownFlows::Slot* KnownFlows::take(uint64_t fp, uint64_t pass) {
  if (!n_slots_) return nullptr;
  const size_t mask = n_slots_ - 1;
  for (size_t s = fp & mask; !slots_[s].uuid.is_zero(); s = (s + 1) & mask) {
    Slot& slot = slots_[s];
    if (slot.fp == fp && slot.used_in != pass) {
      slot.used_in = pass;
      return &slot;
    }
  }
  return nullptr;
}

}  // namespace ovnx::northd
