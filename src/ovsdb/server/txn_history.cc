#include "ovsdb/server/txn_history.h"

#include <algorithm>

namespace ovnx::ovsdb::server {

TxnHistory::TxnHistory(size_t max_txns) : max_txns_(max_txns) { reset(Uuid::generate()); }

void TxnHistory::reset(const Uuid& base) {
  entries_.clear();
  n_rows_ = n_atoms_ = 0;
  base_ = last_ = base;
}

size_t TxnHistory::old_atoms(const ChangeSet& changes) {
  size_t n = 0;
  for (const TableChange& tc : changes.tables) {
    for (const RowChange& rc : tc.rows) n += 1 + (rc.old_row ? count_atoms(*rc.old_row) : 0);
  }
  return n;
}

void TxnHistory::add(ChangeSetPtr changes, size_t db_atoms) {
  last_ = changes->txn_id;
  n_rows_ += changes->n_rows();
  n_atoms_ += old_atoms(*changes);
  entries_.push_back(std::move(changes));
  size_t max_atoms = std::max(db_atoms, kMinAtoms);
  while (!entries_.empty() && (entries_.size() > max_txns_ || n_atoms_ > max_atoms)) {
    base_ = entries_.front()->txn_id;
    n_rows_ -= entries_.front()->n_rows();
    n_atoms_ -= old_atoms(*entries_.front());
    entries_.pop_front();
  }
}

std::optional<std::vector<ChangeSetPtr>> TxnHistory::since(const Uuid& id) const {
  std::vector<ChangeSetPtr> out;
  if (id == last_) return out;
  if (id == base_) return std::vector<ChangeSetPtr>(entries_.begin(), entries_.end());
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i]->txn_id == id) {
      return std::vector<ChangeSetPtr>(entries_.begin() + static_cast<long>(i) + 1,
                                       entries_.end());
    }
  }
  return std::nullopt;
}

}  // namespace ovnx::ovsdb::server
