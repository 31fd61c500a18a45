#include "example/en_flows.h"

#include <fmt/format.h>

namespace ovnx::engine::example {

std::string EnFlows::flow_for(int vlan, int count) const {
  return fmt::format("{},dl_vlan={},ports={}", input<EnConfig>(), vlan, count);
}

Handled EnFlows::on_vlan_count(const VlanCount& counts) {
  bool changed = false;
  for (int vlan : counts.changed_vlans) {
    auto it = counts.ports_per_vlan.find(vlan);
    if (it == counts.ports_per_vlan.end()) {
      changed |= mutable_data().by_vlan.erase(vlan) > 0;
    } else {
      std::string flow = flow_for(vlan, it->second);
      std::string& slot = mutable_data().by_vlan[vlan];
      changed |= slot != flow;
      slot = std::move(flow);
    }
  }
  return changed ? Handled::updated : Handled::unchanged;
}

Computed EnFlows::recompute() {
  if (cancel_next_recompute) {
    cancel_next_recompute = false;
    return Computed::canceled;
  }
  Flows fresh;
  for (const auto& [vlan, n] : input<EnVlanCount>().ports_per_vlan) {
    fresh.by_vlan[vlan] = flow_for(vlan, n);
  }
  bool changed = fresh.by_vlan != data().by_vlan;
  mutable_data() = std::move(fresh);
  return changed ? Computed::updated : Computed::unchanged;
}

}  // namespace ovnx::engine::example
