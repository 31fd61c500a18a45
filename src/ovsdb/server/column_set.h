// A set of column indexes of one table (a bitmap), used to record which columns a transaction
// wrote or changed and which columns a monitor selects. The first 128 columns live inline, so
// the common case never allocates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ovnx::ovsdb::server {

class ColumnSet {
 public:
  ColumnSet() = default;

  void insert(size_t column) { word_ref(column / 64) |= bit(column); }
  void erase(size_t column) {
    if (column / 64 < n_words()) word_ref(column / 64) &= ~bit(column);
  }
  bool contains(size_t column) const { return word(column / 64) & bit(column); }
  bool empty() const {
    for (size_t i = 0; i < n_words(); ++i) {
      if (word(i)) return false;
    }
    return true;
  }
  size_t size() const {
    size_t n = 0;
    for (size_t i = 0; i < n_words(); ++i) n += static_cast<size_t>(__builtin_popcountll(word(i)));
    return n;
  }
  void clear() {
    inline_[0] = inline_[1] = 0;
    more_.clear();
  }
  void union_with(const ColumnSet& other) {
    for (size_t i = 0; i < other.n_words(); ++i) {
      if (other.word(i)) word_ref(i) |= other.word(i);
    }
  }
  bool intersects(const ColumnSet& other) const {
    size_t n = std::min(n_words(), other.n_words());
    for (size_t i = 0; i < n; ++i) {
      if (word(i) & other.word(i)) return true;
    }
    return false;
  }
  // Calls F(column) for each member in increasing order.
  template <class F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < n_words(); ++i) {
      uint64_t w = word(i);
      while (w) {
        f(i * 64 + static_cast<size_t>(__builtin_ctzll(w)));
        w &= w - 1;
      }
    }
  }
  bool operator==(const ColumnSet& other) const {
    size_t n = std::max(n_words(), other.n_words());
    for (size_t i = 0; i < n; ++i) {
      if (word(i) != other.word(i)) return false;
    }
    return true;
  }

 private:
  static uint64_t bit(size_t column) { return uint64_t{1} << (column % 64); }
  size_t n_words() const { return 2 + more_.size(); }
  uint64_t word(size_t i) const {
    if (i < 2) return inline_[i];
    return i - 2 < more_.size() ? more_[i - 2] : 0;
  }
  uint64_t& word_ref(size_t i) {
    if (i < 2) return inline_[i];
    if (i - 2 >= more_.size()) more_.resize(i - 1, 0);
    return more_[i - 2];
  }

  uint64_t inline_[2] = {0, 0};
  std::vector<uint64_t> more_;
};

}  // namespace ovnx::ovsdb::server
