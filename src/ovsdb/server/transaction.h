// A transaction over one Database (RFC 7047 section 4.1.3 semantics): operations stage new row
// versions here without touching the database; prepare() then enforces what the schema implies
// (referential integrity of strong references, garbage collection of unreferenced non-root
// rows, removal of weak references to deleted rows, maxRows, unique indexes) and describes the
// exact outcome as a ChangeSet; commit() makes it the database's state. Dropping the
// Transaction without commit() aborts it: the database was never modified.
//
// Errors use the tags and wording of the real ovsdb-server ("referential integrity violation",
// "constraint violation", "duplicate uuid").
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/column_set.h"
#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

class Transaction {
 public:
  // A row this transaction touched.
  struct TxnRow {
    RowRef old_row;                // committed version; null if inserted by this transaction
    std::shared_ptr<Row> new_row;  // staged version; null if deleted
    ColumnSet touched;             // columns operations wrote (compared at prepare())
  };

  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Database& db() { return db_; }
  const Database& db() const { return db_; }

  // The row as this transaction sees it, or nullptr if it does not exist (or was deleted).
  const Row* get(const Table& table, const Uuid& uuid) const;
  // Calls F(const Row&) for every row visible to this transaction.
  template <class F>
  void for_each(const Table& table, F&& f) const;
  // Calls F(const Row&) for the new version of each row this transaction inserted or modified.
  template <class F>
  void for_each_staged(const Table& table, F&& f) const {
    if (const TxnTable* t = txn_table(table.index())) {
      for (const auto& [uuid, tr] : *t) {
        if (tr.new_row) f(*tr.new_row);
      }
    }
  }
  // Whether this transaction inserted, modified or deleted the row.
  bool staged(const Table& table, const Uuid& uuid) const {
    return find_txn_row(table.index(), uuid) != nullptr;
  }

  // Adds ROW (whose _uuid the caller set). "duplicate uuid" if the UUID names a row that
  // exists or was deleted earlier in this transaction.
  Status insert(Table& table, Row row);
  // Stages a writable copy of an existing row; the caller records written columns in touched.
  // REQUIRES: get(table, uuid) != nullptr.
  TxnRow& modify(Table& table, const Uuid& uuid);
  // REQUIRES: get(table, uuid) != nullptr.
  void erase(Table& table, const Uuid& uuid);
  // Whether the row was inserted by this transaction (for error messages).
  bool inserted_here(const Table& table, const Uuid& uuid) const;

  // Enforces the schema's integrity rules and computes changes(). Call once.
  Status prepare();
  // REQUIRES: prepare() succeeded.
  const ChangeSet& changes() const { return *changes_; }
  ChangeSet& mutable_changes() { return *changes_; }
  // Applies the prepared changes to the database and returns them.
  // REQUIRES: prepare() succeeded; the database was not changed since.
  ChangeSetPtr commit();

 private:
  using TxnTable = std::unordered_map<Uuid, TxnRow, UuidHash>;

  TxnTable* txn_table(size_t index) const {
    return index < tables_.size() ? tables_[index].get() : nullptr;
  }
  TxnTable& txn_table_for(size_t index);
  TxnRow* find_txn_row(size_t table, const Uuid& uuid) const;
  int refs_after(size_t table, const Uuid& uuid) const;

  Status drop_unchanged_rows();
  Status check_strong_refs_and_collect_garbage();
  Status count_refs_and_collect_garbage();
  Status check_deleted_rows_unreferenced() const;
  Status remove_dangling_weak_refs();
  Status check_max_rows() const;
  Status check_indexes() const;
  void build_changes();
  void update_weak_index(Table& table, const RowChange& change);

  Database& db_;
  std::vector<std::unique_ptr<TxnTable>> tables_;  // by table index, created on first use
  std::vector<UuidMap<int>> ref_delta_;             // strong-ref count change per target row
  std::shared_ptr<ChangeSet> changes_;
};

template <class F>
void Transaction::for_each(const Table& table, F&& f) const {
  const TxnTable* t = txn_table(table.index());
  if (!t || t->empty()) {
    table.for_each([&](const RowRef& row) { f(*row); });
    return;
  }
  table.for_each([&](const RowRef& row) {
    auto it = t->find(row->uuid());
    if (it == t->end()) {
      f(*row);
    } else if (it->second.new_row) {
      f(*it->second.new_row);
    }
  });
  for (const auto& [uuid, tr] : *t) {
    if (!tr.old_row && tr.new_row) f(*tr.new_row);
  }
}

}  // namespace ovnx::ovsdb::server
