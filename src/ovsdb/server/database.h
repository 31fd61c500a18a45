// The committed contents of one OVSDB database: a table per schema table, each holding its rows
// in a hash map by UUID, with the bookkeeping integrity checks need (strong reference counts,
// who refers weakly to whom, unique indexes).
//
// Rows are immutable once committed and shared (RowRef): a transaction replaces a row with a
// new version instead of editing it, so monitors and the transaction history can keep old
// versions cheaply. Only Transaction (transaction.h) changes a Database.
// Not thread-safe: owned by the server's event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "base/uuid.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"

namespace ovnx::ovsdb::server {

using RowRef = std::shared_ptr<const Row>;

struct UuidHash {
  size_t operator()(const Uuid& u) const noexcept {
    // UUIDs are random: mixing the halves is enough.
    return static_cast<size_t>(u.hi ^ (u.lo * 0x9e3779b97f4a7c15ULL));
  }
};

template <class V>
using UuidMap = boost::unordered_flat_map<Uuid, V, UuidHash>;
using UuidSet = boost::unordered_flat_set<Uuid, UuidHash>;

// One part (keys or map values) of a column whose atoms reference rows of another table.
struct RefSpec {
  size_t column = 0;
  bool in_values = false;  // the map's values hold the references (else the keys)
  size_t dst_table = 0;    // index of the referenced table
  RefType type = RefType::strong;
};

// Number of atoms in ROW (map pairs count twice): the unit memory is budgeted in.
inline size_t count_atoms(const Row& row) {
  size_t n = 0;
  for (const Datum& d : row.columns) n += d.size() * (d.is_map() ? 2 : 1);
  return n;
}

// Calls F(uuid) for every reference SPEC finds in ROW.
template <class F>
void for_each_ref(const Row& row, const RefSpec& spec, F&& f) {
  const Datum& d = row.columns[spec.column];
  const std::vector<Atom>& atoms = spec.in_values ? d.values() : d.keys();
  for (const Atom& a : atoms) f(a.uuid());
}

// A unique index over some columns: at most one row per combination of their values.
class UniqueIndex {
 public:
  explicit UniqueIndex(std::vector<size_t> columns);
  const std::vector<size_t>& columns() const { return *columns_; }
  // The committed row with the same values as ROW in the index columns, or nullptr.
  const Row* find(const Row& row) const;
  bool same_key(const Row& a, const Row& b) const;

  // Hashing and equality of rows by the values of some columns.
  using Columns = std::shared_ptr<const std::vector<size_t>>;
  struct KeyHash {
    Columns columns;
    size_t operator()(const Row* row) const noexcept;
  };
  struct KeyEq {
    Columns columns;
    bool operator()(const Row* a, const Row* b) const noexcept;
  };

 private:
  friend class Transaction;
  Columns columns_;
  boost::unordered_flat_set<const Row*, KeyHash, KeyEq> rows_;
};

class Table {
 public:
  struct Entry {
    RowRef row;
    uint32_t n_refs = 0;  // strong references to this row from committed rows
  };
  // A row of another (or the same) table that refers weakly to a row of this one.
  struct WeakReferrer {
    uint32_t table;
    Uuid row;
    bool operator==(const WeakReferrer&) const = default;
  };

  Table(const TableSchema& schema, size_t index);
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const TableSchema& schema() const { return *schema_; }
  const std::string& name() const { return schema_->name(); }
  size_t index() const { return index_; }
  size_t size() const { return rows_.size(); }

  const Row* find(const Uuid& uuid) const {
    auto it = rows_.find(uuid);
    return it == rows_.end() ? nullptr : it->second.row.get();
  }
  const Entry* find_entry(const Uuid& uuid) const {
    auto it = rows_.find(uuid);
    return it == rows_.end() ? nullptr : &it->second;
  }
  // Calls F(const RowRef&) for every row, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& kv : rows_) f(kv.second.row);
  }

  // Reference columns of this table, by strength.
  const std::vector<RefSpec>& strong_refs() const { return strong_refs_; }
  const std::vector<RefSpec>& weak_refs() const { return weak_refs_; }
  const std::vector<UniqueIndex>& indexes() const { return indexes_; }
  // Rows that refer weakly to row UUID of this table (committed state).
  const std::vector<WeakReferrer>* weak_referrers(const Uuid& uuid) const {
    auto it = weak_in_.find(uuid);
    return it == weak_in_.end() ? nullptr : &it->second;
  }
  // Number of atoms in all rows, for memory/show.
  size_t count_cells() const { return rows_.size() * schema_->columns().size(); }

 private:
  friend class Database;
  friend class Transaction;

  const TableSchema* schema_;
  size_t index_;
  UuidMap<Entry> rows_;
  std::vector<RefSpec> strong_refs_;
  std::vector<RefSpec> weak_refs_;
  std::vector<UniqueIndex> indexes_;
  UuidMap<std::vector<WeakReferrer>> weak_in_;
};

class Database {
 public:
  explicit Database(std::shared_ptr<const DatabaseSchema> schema);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const DatabaseSchema& schema() const { return *schema_; }
  const std::shared_ptr<const DatabaseSchema>& schema_ptr() const { return schema_; }
  const std::string& name() const { return schema_->name(); }

  size_t n_tables() const { return tables_.size(); }
  Table& table(size_t index) { return *tables_[index]; }
  const Table& table(size_t index) const { return *tables_[index]; }
  Table* find_table(std::string_view name);
  const Table* find_table(std::string_view name) const;
  Table& table_for(const TableSchema& schema);

  size_t count_rows() const;
  // Atoms in all rows (kept up to date by commits).
  size_t n_atoms() const { return n_atoms_; }

 private:
  friend class Transaction;
  size_t n_atoms_ = 0;
  std::shared_ptr<const DatabaseSchema> schema_;
  std::vector<std::unique_ptr<Table>> tables_;  // in schema (name) order
  boost::unordered_flat_map<std::string_view, size_t> by_name_;
  boost::unordered_flat_map<const TableSchema*, size_t> by_schema_;
};

}  // namespace ovnx::ovsdb::server
