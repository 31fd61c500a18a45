#include "ovsdb/client/row.h"

namespace ovnx::ovsdb::client {

bool Row::column_changed(size_t column) const {
  if (change_ == Change::inserted) return true;
  if (change_ != Change::modified || !delta_) return false;
  for (const auto& [c, old] : delta_->old) {
    if (c == column) return true;
  }
  return false;
}

const Datum* Row::old_datum(size_t column) const {
  if (change_ != Change::modified || !delta_) return nullptr;
  for (const auto& [c, old] : delta_->old) {
    if (c == column) return &old;
  }
  return nullptr;
}

}  // namespace ovnx::ovsdb::client
