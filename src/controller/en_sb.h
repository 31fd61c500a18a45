// Engine input node "sb": the Southbound replica and which of its tables have tracked changes
// in this run. Dependents read the changed rows themselves (Replica::tracked); the daemon
// clears the replica's tracking after each completed run.
#pragma once

#include <bitset>
#include <cstddef>

#include "controller/sb_indexes.h"
#include "engine/node.h"
#include "ovsdb/client/replica.h"

namespace ovnx::controller {

inline constexpr size_t kMaxSbTables = 64;

struct SbData {
  const ovsdb::client::Replica* replica = nullptr;  // nullptr: no Southbound connection yet
  const SbIndexes* indexes = nullptr;
  std::bitset<kMaxSbTables> changed;  // tracked: tables with changed rows this run
  bool reloaded = false;              // tracked: a new replica (dependents start over)

  bool available() const { return replica != nullptr; }
  bool table_changed(size_t table_id) const {
    return reloaded || (table_id < kMaxSbTables && changed.test(table_id));
  }
};

class EnSb final : public engine::Node<SbData> {
 public:
  EnSb() : Node("sb") {}
  // A new (or no) replica: the next run reports everything as changed.
  void set_source(const ovsdb::client::Replica* replica, const SbIndexes* indexes);

 protected:
  engine::Computed recompute() override;
  engine::Computed poll() override;
  void clear_tracked() override;

 private:
  bool source_changed_ = true;
};

}  // namespace ovnx::controller
