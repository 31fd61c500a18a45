// The recent committed transactions of one database, by transaction id, so that a client
// reconnecting with monitor_cond_since gets only what changed since the last transaction it
// saw (ovsdb-server(7) section 4.1.15). Bounded in transactions, and in the atoms of the old row
// versions it keeps alive: no more than the database itself holds (or a small floor), so the
// history never costs more memory than the data.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "base/uuid.h"
#include "ovsdb/server/change_set.h"

namespace ovnx::ovsdb::server {

class TxnHistory {
 public:
  static constexpr size_t kMinAtoms = 100000;
  explicit TxnHistory(size_t max_txns = 100);

  // Forgets everything; BASE identifies the current state (e.g. as loaded from disk).
  void reset(const Uuid& base);
  // Adds a committed transaction; DB_ATOMS is the database's size after it.
  void add(ChangeSetPtr changes, size_t db_atoms);

  // The id of the latest state.
  const Uuid& last_id() const { return last_; }
  // The transactions after ID, oldest first (empty if ID is the latest), or nullopt if ID is
  // unknown or too old.
  std::optional<std::vector<ChangeSetPtr>> since(const Uuid& id) const;

  size_t size() const { return entries_.size(); }
  size_t n_rows() const { return n_rows_; }
  size_t n_atoms() const { return n_atoms_; }

 private:
  static size_t old_atoms(const ChangeSet& changes);
  size_t max_txns_;
  Uuid base_;  // the state before entries_.front()
  Uuid last_;
  std::deque<ChangeSetPtr> entries_;
  size_t n_rows_ = 0;
  size_t n_atoms_ = 0;
};

}  // namespace ovnx::ovsdb::server
