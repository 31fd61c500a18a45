// Naming tables, columns and records on the command line as the ctl tools do: table and column
// names are case-insensitive, "-" equals "_", and unique abbreviations are accepted; records
// are named by UUID, by a unique UUID prefix of 4 or more hex digits, or by the table's name
// columns (ovn-sbctl: Chassis by name, Port_Binding by logical_port, ...).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ovsdb/client/binding.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::ctl {

// One way to name the records of a table.
struct RowIdSpec {
  std::string table;        // the table whose rows carry the name (usually the same table)
  std::string name_column;  // empty: the record name "." means the table's only row
  std::string key;          // if name_column is a map: the key whose value is the name
  std::string uuid_column;  // if set: the named row refers to the record through this column
};

struct TableIds {
  std::string table;
  std::vector<RowIdSpec> ids;
};

// Errors: unknown table "X" / "x" matches multiple table names: A, B.
Result<const ovsdb::client::TableBinding*> find_table(const ovsdb::client::DatabaseBinding& db,
                                                      std::string_view name);

// Errors: T does not contain a column whose name matches "x" / T contains more than one
// column whose name matches "x": a, b. _uuid only matches (exactly) with ALLOW_UUID.
Result<const ovsdb::ColumnSchema*> find_column(const ovsdb::client::TableBinding& table,
                                               std::string_view name, bool allow_uuid);

// The record ID of TABLE as TXN sees the database. Without MUST_EXIST a missing record is
// nullptr. Errors: no row "x" in table T / multiple rows in T match "x".
Result<const ovsdb::client::Row*> find_row(const ovsdb::client::Transaction& txn,
                                           const ovsdb::client::TableBinding& table,
                                           std::string_view id, const std::vector<TableIds>& ids,
                                           bool must_exist);

// The RowIdSpecs that apply to TABLE.
const std::vector<RowIdSpec>* row_ids_for(const std::vector<TableIds>& ids, std::string_view table);

}  // namespace ovnx::ctl
