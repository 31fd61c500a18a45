// A secondary index of one replica table: rows by the values of some columns (not unique: the
// server enforces uniqueness for schema indexes, but a filtered replica or a generic index may
// hold several rows per key). Maintained by the Replica as updates arrive.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "ovsdb/client/row.h"
#include "ovsdb/datum.h"

namespace ovnx::ovsdb::client {

class Index {
 public:
  explicit Index(std::vector<size_t> columns) : columns_(std::move(columns)) {}

  // Schema column indexes of the key, in key order.
  const std::vector<size_t>& columns() const { return columns_; }

  // Rows whose key columns equal KEY (one Datum per key column). Order is unspecified.
  std::vector<const Row*> find(const std::vector<Datum>& key) const;
  // The first such row, or nullptr.
  const Row* find_one(const std::vector<Datum>& key) const;
  size_t size() const { return rows_.size(); }

 private:
  friend class Replica;
  size_t hash_row(const Row& row) const;
  size_t hash_key(const std::vector<Datum>& key) const;
  bool matches(const Row& row, const std::vector<Datum>& key) const;
  void add(const Row* row) { rows_.emplace(hash_row(*row), row); }
  void remove(const Row* row);

  std::vector<size_t> columns_;
  std::unordered_multimap<size_t, const Row*> rows_;  // by key hash
};

}  // namespace ovnx::ovsdb::client
