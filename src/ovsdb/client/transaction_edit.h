// Internal to the client library: what a Transaction records per edited row.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "ovsdb/client/transaction.h"

namespace ovnx::ovsdb::client {

struct Transaction::Edit {
  // Set/map edits of one column, sent as a "delete" then an "insert" mutation.
  struct ColumnMutation {
    Datum del;  // elements (sets) or keys (maps) to delete
    Datum ins;  // elements or pairs to insert
  };

  size_t table_id = 0;
  const Row* base = nullptr;    // the replica row; null for a row inserted by the transaction
  std::unique_ptr<Row> shadow;  // the row as the transaction leaves it
  std::set<size_t> written;     // columns sent with their full value
  std::set<size_t> verified;
  std::map<size_t, ColumnMutation> mutations;  // columns not in `written`
  bool deleted = false;
  std::string uuid_name;  // inserted rows: the uuid-name other operations refer to
};

}  // namespace ovnx::ovsdb::client
