#include "ovsdb/client/index.h"

namespace ovnx::ovsdb::client {

namespace {
size_t mix(size_t h, size_t v) { return (h ^ v) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL; }
}  // namespace

size_t Index::hash_row(const Row& row) const {
  size_t h = 0;
  for (size_t c : columns_) h = mix(h, row.datum(c).hash());
  return h;
}

size_t Index::hash_key(const std::vector<Datum>& key) const {
  size_t h = 0;
  for (const Datum& d : key) h = mix(h, d.hash());
  return h;
}

bool Index::matches(const Row& row, const std::vector<Datum>& key) const {
  if (key.size() != columns_.size()) return false;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (row.datum(columns_[i]) != key[i]) return false;
  }
  return true;
}

std::vector<const Row*> Index::find(const std::vector<Datum>& key) const {
  std::vector<const Row*> out;
  auto [lo, hi] = rows_.equal_range(hash_key(key));
  for (auto it = lo; it != hi; ++it) {
    if (matches(*it->second, key)) out.push_back(it->second);
  }
  return out;
}

const Row* Index::find_one(const std::vector<Datum>& key) const {
  auto [lo, hi] = rows_.equal_range(hash_key(key));
  for (auto it = lo; it != hi; ++it) {
    if (matches(*it->second, key)) return it->second;
  }
  return nullptr;
}

void Index::remove(const Row* row) {
  auto [lo, hi] = rows_.equal_range(hash_row(*row));
  for (auto it = lo; it != hi; ++it) {
    if (it->second == row) {
      rows_.erase(it);
      return;
    }
  }
}

}  // namespace ovnx::ovsdb::client
