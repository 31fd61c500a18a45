// A worked example of engine nodes, shaped like a tiny northd: ports (name -> VLAN) and a
// config value are inputs; en_vlan_count keeps a per-VLAN port count incrementally; en_flows
// turns the counts into "flows" and recomputes when the config (no handler) changes.
// Real programs put each node in its own en_<node>.{h,cc} and wire the DAG in one file.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/node.h"
#include "engine/value_input.h"

namespace ovnx::engine::example {

class EnPorts final : public MapInput<std::string, int> {
 public:
  EnPorts() : MapInput("ports") {}
};

class EnConfig final : public ValueInput<std::string> {
 public:
  EnConfig() : ValueInput("config", "table=0") {}
};

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

struct Flows {
  std::map<int, std::string> by_vlan;
};

class EnFlows final : public Node<Flows, EnVlanCount, EnConfig> {
 public:
  EnFlows() : Node("flows") {}

  Handled on_vlan_count(const VlanCount& counts);

  bool cancel_next_recompute = false;  // test knob: recompute returns Computed::canceled

 protected:
  Computed recompute() override;

 private:
  std::string flow_for(int vlan, int count) const;
};

}  // namespace ovnx::engine::example
