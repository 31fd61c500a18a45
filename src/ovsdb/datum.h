// OVSDB data (RFC 7047 section 5.1): the value of a column — a set of atoms, or a map from key
// atoms to value atoms — kept sorted by key with unique keys. A scalar is a one-element set.
#pragma once

#include <utility>
#include <vector>

#include "base/result.h"
#include "ovsdb/atom.h"

namespace ovnx::ovsdb {

struct Type;

class Datum {
 public:
  Datum() = default;

  static Datum scalar(Atom atom);
  // Builds a set (or map) from unsorted elements; a duplicate key is an error (for maps: a
  // duplicate key; for sets: a duplicate element).
  static Result<Datum> make_set(std::vector<Atom> keys);
  static Result<Datum> make_map(std::vector<std::pair<Atom, Atom>> pairs);
  // An empty map (distinguished from an empty set only for formatting).
  static Datum empty_map();
  // The default value of TYPE: the default atom for scalars, empty for optional and sets.
  static Datum default_for(const Type& type);

  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  bool is_map() const { return map_; }
  const std::vector<Atom>& keys() const { return keys_; }
  const std::vector<Atom>& values() const { return values_; }
  const Atom& key(size_t i) const { return keys_[i]; }
  const Atom& value(size_t i) const { return values_[i]; }
  // REQUIRES: size() == 1.
  const Atom& scalar_atom() const { return keys_[0]; }

  // Index of KEY, or -1.
  long find(const Atom& key) const;
  bool contains(const Atom& key) const { return find(key) >= 0; }
  // For maps: the pair KEY->VALUE is present.
  bool contains_pair(const Atom& key, const Atom& value) const;

  // Every element (pair, for maps) of OTHER is in this datum / none of them is.
  bool includes(const Datum& other) const;
  bool excludes(const Datum& other) const;

  // Set union; for maps, adds the pairs of OTHER whose keys are absent here (existing keys
  // keep their values, as OVSDB's "insert" mutator requires).
  void union_with(const Datum& other);
  // Removes the elements of OTHER: for maps, OTHER may be a map (remove matching pairs) or a set
  // of keys (remove those keys).
  void subtract(const Datum& other);
  // Map update: sets KEY to VALUE, replacing an existing value.
  void put(Atom key, Atom value);
  void insert(Atom key);  // set insert (no-op if present)
  void erase_key(const Atom& key);

  // Checks each atom against TYPE's base types and the size against min/max. Errors are
  // "constraint violation" with details naming the violated constraint.
  Status check_constraints(const Type& type) const;

  int compare(const Datum& other) const;
  bool operator==(const Datum& other) const { return compare(other) == 0; }
  bool operator!=(const Datum& other) const { return compare(other) != 0; }
  size_t hash() const;

  // Direct element access for builders that guarantee sorted unique keys.
  void append_unchecked(Atom key) { keys_.push_back(std::move(key)); }
  void append_unchecked(Atom key, Atom value) {
    map_ = true;
    keys_.push_back(std::move(key));
    values_.push_back(std::move(value));
  }
  // Sorts; returns false if a key repeats (leaves the datum sorted, duplicates kept).
  bool sort_unique();

 private:
  std::vector<Atom> keys_;
  std::vector<Atom> values_;  // parallel to keys_ for maps, empty for sets
  bool map_ = false;
};

}  // namespace ovnx::ovsdb
