#include "example/en_vlan_count.h"

namespace ovnx::engine::example {

Handled EnVlanCount::on_ports(const TrackedMap<std::string, int>& ports) {
  if (refuse_incremental) return Handled::no;
  VlanCount& d = mutable_data();
  std::map<int, int> before;  // counts of the VLANs this change touches, before it
  auto touch = [&](int vlan) {
    auto it = d.ports_per_vlan.find(vlan);
    before.emplace(vlan, it == d.ports_per_vlan.end() ? 0 : it->second);
  };
  auto drop = [&](const std::string& name) {
    auto it = d.vlan_of.find(name);
    if (it == d.vlan_of.end()) return;
    touch(it->second);
    if (--d.ports_per_vlan[it->second] == 0) d.ports_per_vlan.erase(it->second);
    d.vlan_of.erase(it);
  };
  auto add = [&](const std::string& name) {
    int vlan = ports.items.at(name);
    touch(vlan);
    ++d.ports_per_vlan[vlan];
    d.vlan_of[name] = vlan;
  };
  for (const auto& name : ports.removed) drop(name);
  for (const auto& name : ports.updated) {
    drop(name);
    add(name);
  }
  for (const auto& name : ports.added) add(name);
  // Ports swapping VLANs leave every count as it was: no change for dependents.
  bool changed = false;
  for (const auto& [vlan, old_count] : before) {
    auto it = d.ports_per_vlan.find(vlan);
    if ((it == d.ports_per_vlan.end() ? 0 : it->second) != old_count) {
      d.changed_vlans.insert(vlan);
      changed = true;
    }
  }
  return changed ? Handled::updated : Handled::unchanged;
}

Computed EnVlanCount::recompute() {
  ++recomputes;
  VlanCount fresh;
  for (const auto& [name, vlan] : input<EnPorts>().items) {
    ++fresh.ports_per_vlan[vlan];
    fresh.vlan_of[name] = vlan;
  }
  for (const auto& [vlan, n] : fresh.ports_per_vlan) fresh.changed_vlans.insert(vlan);
  bool changed = fresh.ports_per_vlan != data().ports_per_vlan;
  mutable_data() = std::move(fresh);
  return changed ? Computed::updated : Computed::unchanged;
}

}  // namespace ovnx::engine::example
