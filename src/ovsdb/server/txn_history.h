// The recent committed transactions of one database, by transaction id, so that a client
// reconnecting with monitor_cond_since gets only what changed since the last transaction it
// saw (ovsdb-server(7) section 4.1.15). Bounded in transactions and in changed rows.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "base/uuid.h"
#include "ovsdb/server/change_set.h"

namespace ovnx::ovsdb::server {

class TxnHistory {
 public:
  TxnHistory(size_t max_txns = 100, size_t max_rows = 100000);

  // Forgets everything; BASE identifies the current state (e.g. as loaded from disk).
  void reset(const Uuid& base);
  void add(ChangeSetPtr changes);

  // The id of the latest state.
  const Uuid& last_id() const { return last_; }
  // The transactions after ID, oldest first (empty if ID is the latest), or nullopt if ID is
  // unknown or too old.
  std::optional<std::vector<ChangeSetPtr>> since(const Uuid& id) const;

  size_t size() const { return entries_.size(); }
  size_t n_rows() const { return n_rows_; }

 private:
  size_t max_txns_, max_rows_;
  Uuid base_;  // the state before entries_.front()
  Uuid last_;
  std::deque<ChangeSetPtr> entries_;
  size_t n_rows_ = 0;
};

}  // namespace ovnx::ovsdb::server
