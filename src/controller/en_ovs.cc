#include "controller/en_ovs.h"

#include "ovsdb/client/vswitch.h"

namespace ovnx::controller {

void EnOvs::set_source(const ovsdb::client::Replica* replica, std::string system_id_override) {
  replica_ = replica;
  system_id_override_ = std::move(system_id_override);
  seen_seqno_ = UINT64_MAX;
}

void EnOvs::clear_tracked() {
  mutable_data().config_changed = false;
  mutable_data().bridge_changed = false;
}

engine::Computed EnOvs::poll() {
  if (replica_ && replica_->seqno() == seen_seqno_) return engine::Computed::unchanged;
  return recompute();
}

engine::Computed EnOvs::recompute() {
  OvsData& d = mutable_data();
  bool had = d.has_config;
  ChassisConfig config;
  BridgeState bridge;
  const vswitch::OpenvSwitch* root = nullptr;
  if (replica_) {
    seen_seqno_ = replica_->seqno();
    for (const vswitch::OpenvSwitch* r : vswitch::OpenvSwitch::rows(*replica_)) root = r;
  }
  d.has_config = root != nullptr;
  if (root) {
    config = parse_config(*root, system_id_override_);
    bridge = read_bridge_state(*replica_, config.bridge);
  }
  d.config_changed = had != d.has_config || !(config == d.config);
  d.bridge_changed = !(bridge == d.bridge);
  if (d.config_changed) d.config = std::move(config);
  if (d.bridge_changed) d.bridge = std::move(bridge);
  return d.config_changed || d.bridge_changed ? engine::Computed::updated
                                              : engine::Computed::unchanged;
}

}  // namespace ovnx::controller
