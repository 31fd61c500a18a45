#include "ovsdb/datum.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "ovsdb/types.h"

namespace ovnx::ovsdb {

Datum Datum::scalar(Atom atom) {
  Datum d;
  d.keys_.push_back(std::move(atom));
  return d;
}

Datum Datum::empty_map() {
  Datum d;
  d.map_ = true;
  return d;
}

bool Datum::sort_unique() {
  size_t n = keys_.size();
  if (n < 2) return true;
  bool sorted = true;
  for (size_t i = 1; i < n && sorted; ++i) sorted = keys_[i - 1] < keys_[i];
  if (sorted) return true;
  if (!map_) {
    std::sort(keys_.begin(), keys_.end());
  } else {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [this](size_t a, size_t b) { return keys_[a] < keys_[b]; });
    std::vector<Atom> k, v;
    k.reserve(n);
    v.reserve(n);
    for (size_t i : order) {
      k.push_back(std::move(keys_[i]));
      v.push_back(std::move(values_[i]));
    }
    keys_ = std::move(k);
    values_ = std::move(v);
  }
  for (size_t i = 1; i < n; ++i) {
    if (keys_[i - 1] == keys_[i]) return false;
  }
  return true;
}

Result<Datum> Datum::make_set(std::vector<Atom> keys) {
  Datum d;
  d.keys_ = std::move(keys);
  if (!d.sort_unique()) return make_error("ovsdb error", "set contains duplicate value");
  return d;
}

Result<Datum> Datum::make_map(std::vector<std::pair<Atom, Atom>> pairs) {
  Datum d;
  d.map_ = true;
  d.keys_.reserve(pairs.size());
  d.values_.reserve(pairs.size());
  for (auto& [k, v] : pairs) {
    d.keys_.push_back(std::move(k));
    d.values_.push_back(std::move(v));
  }
  if (!d.sort_unique()) return make_error("ovsdb error", "map contains duplicate key");
  return d;
}

Datum Datum::default_for(const Type& type) {
  Datum d;
  d.map_ = type.is_map();
  if (type.n_min >= 1) {
    d.keys_.push_back(Atom::default_for(type.key.type));
    if (type.value) d.values_.push_back(Atom::default_for(type.value->type));
  }
  return d;
}

long Datum::find(const Atom& key) const {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
  if (it == keys_.end() || !(*it == key)) return -1;
  return it - keys_.begin();
}

bool Datum::contains_pair(const Atom& key, const Atom& value) const {
  long i = find(key);
  return i >= 0 && (values_.empty() || values_[i] == value);
}

bool Datum::includes(const Datum& other) const {
  for (size_t i = 0; i < other.size(); ++i) {
    if (other.map_ && map_) {
      if (!contains_pair(other.keys_[i], other.values_[i])) return false;
    } else if (!contains(other.keys_[i])) {
      return false;
    }
  }
  return true;
}

bool Datum::excludes(const Datum& other) const {
  for (size_t i = 0; i < other.size(); ++i) {
    if (other.map_ && map_) {
      if (contains_pair(other.keys_[i], other.values_[i])) return false;
    } else if (contains(other.keys_[i])) {
      return false;
    }
  }
  return true;
}

void Datum::union_with(const Datum& other) {
  if (other.empty()) return;
  if (other.map_) map_ = true;
  std::vector<Atom> k;
  std::vector<Atom> v;
  k.reserve(keys_.size() + other.keys_.size());
  if (map_) v.reserve(k.capacity());
  size_t i = 0, j = 0;
  while (i < keys_.size() || j < other.keys_.size()) {
    int c = i == keys_.size() ? 1 : j == other.keys_.size() ? -1 : keys_[i].compare(other.keys_[j]);
    if (c <= 0) {
      k.push_back(std::move(keys_[i]));
      if (map_) v.push_back(std::move(values_[i]));
      ++i;
      if (c == 0) ++j;  // existing key wins
    } else {
      k.push_back(other.keys_[j]);
      if (map_) v.push_back(other.values_[j]);
      ++j;
    }
  }
  keys_ = std::move(k);
  values_ = std::move(v);
}

void Datum::subtract(const Datum& other) {
  if (other.empty() || empty()) return;
  std::vector<Atom> k;
  std::vector<Atom> v;
  bool by_pair = map_ && other.map_;
  for (size_t i = 0; i < keys_.size(); ++i) {
    long j = other.find(keys_[i]);
    bool remove = j >= 0 && (!by_pair || other.values_[j] == values_[i]);
    if (!remove) {
      k.push_back(std::move(keys_[i]));
      if (map_) v.push_back(std::move(values_[i]));
    }
  }
  keys_ = std::move(k);
  values_ = std::move(v);
}

void Datum::put(Atom key, Atom value) {
  map_ = true;
  auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
  size_t i = it - keys_.begin();
  if (it != keys_.end() && *it == key) {
    values_[i] = std::move(value);
    return;
  }
  keys_.insert(it, std::move(key));
  values_.insert(values_.begin() + i, std::move(value));
}

void Datum::insert(Atom key) {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
  if (it != keys_.end() && *it == key) return;
  keys_.insert(it, std::move(key));
}

void Datum::erase_key(const Atom& key) {
  long i = find(key);
  if (i < 0) return;
  keys_.erase(keys_.begin() + i);
  if (map_) values_.erase(values_.begin() + i);
}

Status Datum::check_constraints(const Type& type) const {
  if (size() < type.n_min) {
    return make_error("constraint violation",
                      fmt::format("{} values provided but at least {} required", size(),
                                  type.n_min));
  }
  if (size() > type.n_max) {
    return make_error("constraint violation",
                      fmt::format("{} values provided but at most {} allowed", size(),
                                  type.n_max));
  }
  for (size_t i = 0; i < size(); ++i) {
    OVNX_RETURN_IF_ERROR(type.key.check_atom(keys_[i]));
    if (type.value) {
      if (values_.size() != keys_.size()) {
        return make_error("constraint violation", "map value missing");
      }
      OVNX_RETURN_IF_ERROR(type.value->check_atom(values_[i]));
    }
  }
  return {};
}

int Datum::compare(const Datum& other) const {
  size_t n = std::min(size(), other.size());
  for (size_t i = 0; i < n; ++i) {
    int c = keys_[i].compare(other.keys_[i]);
    if (c) return c;
  }
  if (size() != other.size()) return size() < other.size() ? -1 : 1;
  size_t nv = std::min(values_.size(), other.values_.size());
  for (size_t i = 0; i < nv; ++i) {
    int c = values_[i].compare(other.values_[i]);
    if (c) return c;
  }
  if (values_.size() != other.values_.size()) return values_.size() < other.values_.size() ? -1 : 1;
  return 0;
}

size_t Datum::hash() const {
  size_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < keys_.size(); ++i) {
    h = (h ^ keys_[i].hash()) * 0x100000001b3ULL;
    if (!values_.empty()) h = (h ^ values_[i].hash()) * 0x100000001b3ULL;
  }
  return h;
}

}  // namespace ovnx::ovsdb
