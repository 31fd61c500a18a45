#include "controller/en_runtime.h"

#include "ovsdb/client/sb.h"

namespace ovnx::controller {

namespace {

// A and B differ at most in `claimed`, which no flow reads (the claim is the Southbound's
// business; residency and the remote-port skip look at the binding's presence).
bool same_for_flows(const LocalBinding& a, LocalBinding b) {
  b.claimed = a.claimed;
  return a == b;
}

}  // namespace

void EnRuntime::clear_tracked() {
  RuntimeData& d = mutable_data();
  d.added_dps.clear();
  d.removed_dps.clear();
  d.changed_bindings.clear();
  d.bound_or_unbound.clear();
  d.chassis_changed = false;
}

engine::Handled EnRuntime::on_sb(const SbData& sb) {
  if (sb.table_changed(sb::PortBinding::kTableId) ||
      sb.table_changed(sb::DatapathBinding::kTableId) ||
      sb.table_changed(sb::Chassis::kTableId)) {
    return engine::Handled::no;  // recompute: cheap, and compared below
  }
  return engine::Handled::unchanged;
}

engine::Computed EnRuntime::recompute() {
  const OvsData& ovs = input<EnOvs>();
  const SbData& sb = input<EnSb>();
  LocalState next;
  if (ovs.has_config && sb.available()) {
    LocalStateInputs in;
    in.sb = sb.indexes;
    in.bridge = &ovs.bridge;
    in.chassis_name = ovs.config.system_id;
    in.hostname = ovs.config.hostname;
    next = compute_local_state(in);
  }
  RuntimeData& d = mutable_data();
  bool was_complete = d.complete;
  d.complete = ovs.has_config && sb.available();
  const LocalState& prev = d.state;
  d.chassis_changed = prev.chassis != next.chassis || prev.chassis_name != next.chassis_name;
  for (const auto& [key, dp] : next.datapaths) {
    auto it = prev.datapaths.find(key);
    if (it == prev.datapaths.end()) {
      d.added_dps.insert(key);
    } else if (!(it->second == dp)) {
      if (it->second.uuid != dp.uuid || it->second.is_switch != dp.is_switch) {
        d.removed_dps.insert(key);  // another datapath reuses the key: start over
        d.added_dps.insert(key);
      }
    }
  }
  for (const auto& [key, dp] : prev.datapaths) {
    if (!next.datapaths.count(key)) d.removed_dps.insert(key);
  }
  for (const auto& [lport, b] : next.bindings) {
    auto it = prev.bindings.find(lport);
    if (it == prev.bindings.end()) {
      d.changed_bindings.insert(lport);
      d.bound_or_unbound.insert(lport);
    } else if (!same_for_flows(it->second, b)) {
      d.changed_bindings.insert(lport);
    }
  }
  for (const auto& [lport, b] : prev.bindings) {
    if (next.bindings.count(lport)) continue;
    d.changed_bindings.insert(lport);
    d.bound_or_unbound.insert(lport);
  }
  bool changed = d.changed() || !(prev == next) || was_complete != d.complete;
  d.state = std::move(next);
  return changed ? engine::Computed::updated : engine::Computed::unchanged;
}

}  // namespace ovnx::controller
