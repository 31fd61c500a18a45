#include "ovsdb/server/txn_history.h"

namespace ovnx::ovsdb::server {

TxnHistory::TxnHistory(size_t max_txns, size_t max_rows)
    : max_txns_(max_txns), max_rows_(max_rows) {
  reset(Uuid::generate());
}

void TxnHistory::reset(const Uuid& base) {
  entries_.clear();
  n_rows_ = 0;
  base_ = last_ = base;
}

void TxnHistory::add(ChangeSetPtr changes) {
  last_ = changes->txn_id;
  n_rows_ += changes->n_rows();
  entries_.push_back(std::move(changes));
  while (!entries_.empty() && (entries_.size() > max_txns_ || n_rows_ > max_rows_)) {
    base_ = entries_.front()->txn_id;
    n_rows_ -= entries_.front()->n_rows();
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
