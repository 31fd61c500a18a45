// Engine input node "ovs": the chassis configuration and the integration bridge's ports, read
// from the local Open vSwitch replica. Updated only when one of them actually changed (the
// replica changes for many reasons the controller does not care about).
#pragma once

#include <cstdint>
#include <string>

#include "controller/config.h"
#include "controller/ovs_state.h"
#include "engine/node.h"
#include "ovsdb/client/replica.h"

namespace ovnx::controller {

struct OvsData {
  bool has_config = false;  // the Open_vSwitch row exists
  ChassisConfig config;
  BridgeState bridge;
  // Tracked: what changed in the last run.
  bool config_changed = false;
  bool bridge_changed = false;
};

class EnOvs final : public engine::Node<OvsData> {
 public:
  EnOvs() : Node("ovs") {}
  // The replica to read (nullptr before the first connection); the next run reloads.
  void set_source(const ovsdb::client::Replica* replica, std::string system_id_override);

 protected:
  engine::Computed recompute() override;
  engine::Computed poll() override;
  void clear_tracked() override;

 private:
  const ovsdb::client::Replica* replica_ = nullptr;
  std::string system_id_override_;
  uint64_t seen_seqno_ = UINT64_MAX;
};

}  // namespace ovnx::controller
