// Derived node: ports per VLAN, maintained incrementally from port changes.
#pragma once

#include <map>
#include <set>
#include <string>

#include "engine/node.h"
#include "engine/value_input.h"
#include "example/en_ports.h"

namespace ovnx::engine::example {

struct VlanCount {
  std::map<int, int> ports_per_vlan;
  std::map<std::string, int> vlan_of;  // to know a removed port's VLAN
  std::set<int> changed_vlans;         // tracked: VLANs whose count changed this run
};

class EnVlanCount final : public Node<VlanCount, EnPorts> {
 public:
  EnVlanCount() : Node("vlan_count") {}

  // Incremental: adjusts counts for each changed port. Gives up (recompute) when told to.
  Handled on_ports(const TrackedMap<std::string, int>& ports);

  bool refuse_incremental = false;  // test knob: the handler returns Handled::no
  int recomputes = 0;

 protected:
  Computed recompute() override;
  void clear_tracked() override { mutable_data().changed_vlans.clear(); }
};

}  // namespace ovnx::engine::example
