// FieldMatch (one constraint of a Match) and FieldMatchList, the sequence a Match keeps them in.
//
// FieldMatchList is a vector with room for a few constraints inside the object: nearly every
// flow matches on at most kInline fields, so building, copying and freeing a Match costs no
// heap allocation (it was one malloc/free per OpenFlow flow, ~10% of compiling a logical flow).
// Longer lists move to the heap. Only what Match needs is provided.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

#include "openflow/fields.h"
#include "openflow/value.h"

namespace ovnx::openflow {

// One constraint: packet.field & mask == value.
struct FieldMatch {
  Field field = Field::in_port;
  U128 value;
  U128 mask;
  std::strong_ordering operator<=>(const FieldMatch&) const = default;
};

class FieldMatchList {
 public:
  // Enough for the flows the logical-flow compiler writes (3 to 6 fields, rarely more).
  static constexpr size_t kInline = 6;

  FieldMatchList() = default;
  FieldMatchList(const FieldMatchList& other) { assign(other); }
  FieldMatchList(FieldMatchList&& other) noexcept { take(other); }
  FieldMatchList& operator=(const FieldMatchList& other) {
    if (this != &other) {
      size_ = 0;
      assign(other);
    }
    return *this;
  }
  FieldMatchList& operator=(FieldMatchList&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~FieldMatchList() { release(); }

  FieldMatch* data() { return data_; }
  const FieldMatch* data() const { return data_; }
  FieldMatch* begin() { return data_; }
  FieldMatch* end() { return data_ + size_; }
  const FieldMatch* begin() const { return data_; }
  const FieldMatch* end() const { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  FieldMatch& operator[](size_t i) { return data_[i]; }
  const FieldMatch& operator[](size_t i) const { return data_[i]; }
  FieldMatch& back() { return data_[size_ - 1]; }
  const FieldMatch& back() const { return data_[size_ - 1]; }

  void reserve(size_t n) {
    if (n > capacity_) grow(n);
  }
  // Inserts FM before POS; returns where it now is.
  FieldMatch* insert(FieldMatch* pos, const FieldMatch& fm) {
    size_t i = size_t(pos - data_);
    if (size_ == capacity_) grow(capacity_ * 2);
    std::memmove(static_cast<void*>(data_ + i + 1), data_ + i, (size_ - i) * sizeof(FieldMatch));
    ::new (static_cast<void*>(data_ + i)) FieldMatch(fm);
    size_++;
    return data_ + i;
  }
  void erase(FieldMatch* pos) {
    std::memmove(static_cast<void*>(pos), pos + 1, size_t(end() - pos - 1) * sizeof(FieldMatch));
    size_--;
  }

  friend bool operator==(const FieldMatchList& a, const FieldMatchList& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  friend std::strong_ordering operator<=>(const FieldMatchList& a, const FieldMatchList& b) {
    return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  // Elements are moved with memcpy/memmove, which this makes legal.
  static_assert(std::is_trivially_copyable_v<FieldMatch>);

  FieldMatch* inline_data() { return std::launder(reinterpret_cast<FieldMatch*>(inline_)); }
  bool on_heap() const { return capacity_ > kInline; }

  // REQUIRES: size_ == 0.
  void assign(const FieldMatchList& other) {
    reserve(other.size_);
    std::memcpy(static_cast<void*>(data_), other.data_, other.size_ * sizeof(FieldMatch));
    size_ = other.size_;
  }
  // REQUIRES: this holds no heap buffer.
  void take(FieldMatchList& other) {
    if (other.on_heap()) {
      data_ = other.data_;
      capacity_ = other.capacity_;
      size_ = other.size_;
      other.data_ = other.inline_data();
      other.capacity_ = kInline;
    } else {
      data_ = inline_data();
      capacity_ = kInline;
      std::memcpy(static_cast<void*>(data_), other.data_, other.size_ * sizeof(FieldMatch));
      size_ = other.size_;
    }
    other.size_ = 0;
  }
  void release() {
    if (on_heap()) std::allocator<FieldMatch>().deallocate(data_, capacity_);
    data_ = inline_data();
    capacity_ = kInline;
    size_ = 0;
  }
  void grow(size_t n) {
    n = std::max(n, size_t(kInline) * 2);
    FieldMatch* bigger = std::allocator<FieldMatch>().allocate(n);
    std::memcpy(static_cast<void*>(bigger), data_, size_ * sizeof(FieldMatch));
    if (on_heap()) std::allocator<FieldMatch>().deallocate(data_, capacity_);
    data_ = bigger;
    capacity_ = uint32_t(n);
  }

  FieldMatch* data_ = inline_data();
  uint32_t size_ = 0;
  uint32_t capacity_ = kInline;
  alignas(FieldMatch) unsigned char inline_[kInline * sizeof(FieldMatch)];
};

}  // namespace ovnx::openflow
