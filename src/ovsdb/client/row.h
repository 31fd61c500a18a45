// A row of a client replica (or of a transaction's view of it): its uuid, its table and the
// value of every user column, plus what changed in the current tracked batch.
//
// Rows are owned by a Replica (or, for rows inserted or edited in a transaction, by that
// Transaction) and are handed out as `const Row*` (or as the generated class, e.g.
// `const nb::LogicalSwitch*`). A pointer stays valid until the row is deleted and the tracked
// changes are cleared (Replica::clear_tracked()), so change handlers can read deleted rows.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "base/uuid.h"
#include "ovsdb/client/binding.h"
#include "ovsdb/datum.h"

namespace ovnx::ovsdb::client {

class Row;

// Resolves references: the replica, or a transaction (which also sees its new rows).
class RowSource {
 public:
  virtual ~RowSource() = default;
  // The row with UUID in table TABLE_ID, or nullptr.
  virtual const Row* find_row(size_t table_id, const Uuid& uuid) const = 0;
};

// What happened to a row in the current tracked batch.
enum class Change : uint8_t {
  none,
  inserted,  // new in this batch (possibly modified since: still "inserted")
  modified,  // existed before; column_changed() says which columns
  deleted,   // gone; the row keeps its last values until clear_tracked()
};

class Row {
 public:
  Row() = default;
  virtual ~Row() = default;
  Row(const Row&) = delete;
  Row& operator=(const Row&) = delete;

  const Uuid& uuid() const { return uuid_; }
  const TableBinding& table_binding() const { return *table_; }
  // The value of COLUMN, a schema column index (REQUIRES: >= kFirstUserColumn). A column the
  // server does not have (or the program does not monitor) keeps its default value.
  const Datum& datum(size_t column) const { return columns_[column - kFirstUserColumn]; }
  // The replica or transaction this row belongs to (used to resolve references).
  const RowSource& source() const { return *source_; }
  // The row referenced by UUID in table TABLE_ID, seen from this row's source; nullptr if
  // it is not replicated (dangling, filtered out by a condition, or not monitored).
  const Row* resolve(size_t table_id, const Uuid& uuid) const {
    return source_->find_row(table_id, uuid);
  }

  // Change tracking (see Replica). For inserted rows every column counts as changed.
  Change change() const { return change_; }
  bool is_inserted() const { return change_ == Change::inserted; }
  bool is_modified() const { return change_ == Change::modified; }
  bool is_deleted() const { return change_ == Change::deleted; }
  bool column_changed(size_t column) const;
  // For a modified row, the value COLUMN had before this batch if it changed; else nullptr.
  const Datum* old_datum(size_t column) const;

 private:
  friend class Replica;
  friend class Transaction;
  friend struct RowAccess;

  struct Delta {
    std::vector<std::pair<size_t, Datum>> old;  // (column, previous value), each column once
  };

  Uuid uuid_;
  const TableBinding* table_ = nullptr;
  const RowSource* source_ = nullptr;
  std::vector<Datum> columns_;  // user columns, index = schema column index - kFirstUserColumn
  Change change_ = Change::none;
  bool transient_ = false;   // inserted and deleted within one batch: reported as nothing
  uint32_t generation_ = 0;  // mark for a full reload's mark-and-sweep
  std::unique_ptr<Delta> delta_;
};

}  // namespace ovnx::ovsdb::client
