#include "controller/en_sb.h"

namespace ovnx::controller {

void EnSb::set_source(const ovsdb::client::Replica* replica, const SbIndexes* indexes) {
  mutable_data().replica = replica;
  mutable_data().indexes = indexes;
  source_changed_ = true;
}

void EnSb::clear_tracked() {
  mutable_data().changed.reset();
  mutable_data().reloaded = false;
}

engine::Computed EnSb::recompute() {
  SbData& d = mutable_data();
  d.reloaded = true;
  source_changed_ = false;
  return engine::Computed::updated;
}

engine::Computed EnSb::poll() {
  if (source_changed_) return recompute();
  SbData& d = mutable_data();
  if (!d.replica || !d.replica->has_tracked_changes()) return engine::Computed::unchanged;
  size_t n = d.replica->binding().tables().size();
  for (size_t t = 0; t < n && t < kMaxSbTables; ++t) {
    if (!d.replica->tracked(t).empty()) d.changed.set(t);
  }
  return d.changed.any() ? engine::Computed::updated : engine::Computed::unchanged;
}

}  // namespace ovnx::controller
