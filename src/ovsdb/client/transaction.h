// A transaction on a replicated database: edits recorded against the replica, sent as one
// OVSDB "transact" by Idl::commit().
//
// Optimistic concurrency: the transaction states what it assumed with verify(ROW, COLUMN)
// (a "wait" with timeout 0 that the value is still the one in the replica); if another client
// changed it first, the server rejects the whole transaction and the report says try_again:
// rebuild the transaction once the replica caught up (Idl::transact() does this for you).
//
// Reads see the transaction's own writes: view()/find_row()/rows() return the rows as the
// transaction would leave them (edited rows are copies owned by the transaction; new rows get
// a provisional uuid, replaced by the real one in the report). Only changed columns are sent;
// set and map edits (set_insert, map_put, ...) are sent as mutations, so concurrent edits of
// other keys of the same column do not conflict.
//
// Build and commit within one handler: the replica must not change in between (rows are
// referenced by pointer). Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "ovsdb/client/replica.h"
#include "ovsdb/client/row.h"

namespace ovnx::ovsdb::client {

enum class TxnStatus {
  unchanged,  // nothing to do; nothing was sent
  success,
  try_again,   // a verify failed, a row vanished or the connection dropped: rebuild and retry
  not_locked,  // the program asked for a lock it does not hold
  error,       // the server refused the transaction (constraint violation, ...)
};
const char* txn_status_name(TxnStatus status);

struct TxnReport {
  TxnStatus status = TxnStatus::unchanged;
  std::string error;       // why, for try_again / not_locked / error
  std::string error_json;  // the server's error object as JSON text with sorted keys, if any
  std::unordered_map<Uuid, Uuid> new_uuids;  // provisional uuid of each new row -> real uuid
  std::optional<int64_t> increment_value;    // the incremented column's new value, if asked

  bool ok() const { return status == TxnStatus::success || status == TxnStatus::unchanged; }
  // The real uuid of a row inserted with provisional uuid U (U itself if unknown).
  Uuid real_uuid(const Uuid& u) const;
};

class Transaction final : public RowSource {
 public:
  explicit Transaction(const Replica& replica);
  ~Transaction() override;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Replica& replica() const { return *replica_; }

  // ---- Reading the database as this transaction leaves it.
  const Row* find_row(size_t table_id, const Uuid& uuid) const override;
  // The current version of ROW (a replica row or a row of this transaction); nullptr if this
  // transaction deleted it.
  const Row* view(const Row* row) const;
  // Every row of a table, with this transaction's inserts, edits and deletions applied.
  std::vector<const Row*> rows(size_t table_id) const;
  bool is_inserted(const Row* row) const;

  // ---- Editing. ROW may be a replica row or a row of this transaction. Values are not
  // checked here against the column's constraints: the server does that.
  // A new row with default values and a provisional uuid (PROVISIONAL if given, e.g. one that
  // earlier edits already refer to); owned by the transaction.
  const Row* insert(const TableBinding& table, const Uuid* provisional = nullptr);
  void write(const Row* row, size_t column, Datum value);
  // Map edits: set KEY to VALUE (replacing any value), or remove KEY.
  void map_put(const Row* row, size_t column, Atom key, Atom value);
  void map_erase(const Row* row, size_t column, const Atom& key);
  // Set edits: add or remove one element.
  void set_insert(const Row* row, size_t column, Atom element);
  void set_erase(const Row* row, size_t column, const Atom& element);
  void remove(const Row* row);
  // Fails the transaction (try_again) if COLUMN of ROW no longer has the replica's value.
  void verify(const Row* row, size_t column);
  // Adds 1 to an integer COLUMN of ROW on the server; the report gives the new value.
  void increment(const Row* row, size_t column);
  void add_comment(std::string text);

  // True if committing would send nothing.
  bool empty() const;

  struct Edit;  // internal, public for the serializer in transaction.cc

 private:
  friend class EncodedTransaction;
  Edit& edit_for(const Row* row);
  Edit* find_edit(size_t table_id, const Uuid& uuid) const;
  Row* mutable_shadow(const Row* row);

  const Replica* replica_;
  std::vector<std::unique_ptr<Edit>> edits_;               // in first-edit order
  std::vector<std::unordered_map<Uuid, Edit*>> by_table_;  // per table id
  std::vector<std::string> comments_;
  const Row* increment_row_ = nullptr;
  size_t increment_column_ = 0;
};

}  // namespace ovnx::ovsdb::client
