// The effect of one committed transaction: for each changed table, each changed row's old and
// new versions and which columns differ. Monitors, the storage log and the transaction history
// all read this one description; it shares row versions with the database (no copies).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "ovsdb/server/column_set.h"
#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

struct RowChange {
  RowRef old_row;     // null for an insert
  RowRef new_row;     // null for a delete
  ColumnSet changed;  // modify only: columns whose values differ (always includes _version)

  bool is_insert() const { return !old_row; }
  bool is_delete() const { return !new_row; }
  bool is_modify() const { return old_row && new_row; }
  const Uuid& uuid() const { return (new_row ? new_row : old_row)->uuid(); }
};

struct TableChange {
  const Table* table = nullptr;
  std::vector<RowChange> rows;
};

struct ChangeSet {
  Uuid txn_id;
  std::vector<TableChange> tables;  // only changed tables, in table index order
  std::string comment;              // comment operations, joined with newlines
  bool durable = false;

  bool empty() const { return tables.empty(); }
  size_t n_rows() const;
  const TableChange* find(size_t table_index) const;
};

using ChangeSetPtr = std::shared_ptr<const ChangeSet>;

// Combines consecutive change sets (oldest first) into one, as if a single transaction had made
// all the changes: a row inserted then deleted disappears, a modified row keeps its first old
// and last new version. The result's txn_id is the last one's.
ChangeSet merge_changes(const std::vector<ChangeSetPtr>& sets);

}  // namespace ovnx::ovsdb::server
