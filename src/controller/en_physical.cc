#include "controller/en_physical.h"

#include "controller/physical.h"
#include "ovsdb/client/sb.h"

namespace ovnx::controller {

engine::Handled EnPhysical::on_sb(const SbData& sb) {
  if (sb.table_changed(sb::PortBinding::kTableId) ||
      sb.table_changed(sb::MulticastGroup::kTableId) ||
      sb.table_changed(sb::DatapathBinding::kTableId) ||
      sb.table_changed(sb::Chassis::kTableId) || sb.table_changed(sb::Encap::kTableId)) {
    return engine::Handled::no;
  }
  return engine::Handled::unchanged;
}

engine::Handled EnPhysical::on_ovs(const OvsData& ovs) {
  return ovs.bridge_changed || ovs.config_changed ? engine::Handled::no
                                                  : engine::Handled::unchanged;
}

engine::Computed EnPhysical::recompute() {
  const RuntimeData& rt = input<EnRuntime>();
  const SbData& sb = input<EnSb>();
  std::vector<openflow::Flow> flows;
  if (sb.available() && rt.complete) {
    PhysicalInputs in;
    in.sb = sb.indexes;
    in.local = &rt.state;
    in.zones = &input<EnCtZones>();
    in.bridge = &input<EnOvs>().bridge;
    flows = build_physical_flows(in);
  } else {
    flows = build_static_flows();
  }
  mutable_data().n_flows = flows.size();
  store_.set_owner_flows(kPhysicalFlowsOwner, std::move(flows));
  return engine::Computed::updated;
}

}  // namespace ovnx::controller
