// Engine node "physical_flow_output": the physical tables (physical.h, port_security.h) in the
// FlowStore, in units that change independently, each under its own owner: the static flows
// and the tunnel classification (pseudo-owners below), each port of a local datapath (its
// Port_Binding uuid), each multicast group of one (its Multicast_Group uuid). A change rebuilds
// only the units it touches:
//   - a Port_Binding inserted, modified or deleted: that port, the groups of its datapath that
//     list it, and its patch peer (whose flows carry its key);
//   - a Multicast_Group: that group;
//   - local bindings (runtime_data): those ports and their groups;
//   - a datapath becoming local or not: its ports and groups, and the patch ports leading to it;
//   - conntrack zones: the ports (and groups) whose zone changed, the datapaths whose NAT zones
//     changed.
// It recomputes when the tunnels or the configuration change, a local Datapath_Binding is
// modified or deleted, a chassis is renamed or deleted, our chassis changes, a patch port's
// peer or a port's type changes, or the Southbound replica is new. A recompute yields exactly
// the units the incremental path maintains (tests compare the two).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "controller/en_ct_zones.h"
#include "controller/en_ovs.h"
#include "controller/en_runtime.h"
#include "controller/en_sb.h"
#include "controller/flow_store.h"
#include "controller/physical.h"
#include "engine/node.h"

namespace ovnx::controller {

// The FlowStore owners of the physical flows that belong to no port or group.
inline constexpr Uuid kPhysicalFlowsOwner{0, 1};   // static flows
inline constexpr Uuid kPhysicalTunnelsOwner{0, 2};  // tunnel classification (table 0)

struct PhysicalData {
  size_t units = 0;    // ports and groups with flows
  uint64_t rebuilt = 0;  // tracked: units rebuilt in the last run
};

class EnPhysical final : public engine::Node<PhysicalData, EnRuntime, EnCtZones, EnSb, EnOvs> {
 public:
  explicit EnPhysical(FlowStore& store) : Node("physical_flow_output"), store_(store) {}

  engine::Handled on_runtime(const RuntimeData& rt);
  engine::Handled on_ct_zones(const CtZones& zones);
  engine::Handled on_sb(const SbData& sb);
  engine::Handled on_ovs(const OvsData& ovs);

 protected:
  engine::Computed recompute() override;
  void clear_tracked() override;

 private:
  PhysicalInputs inputs() const;
  bool incremental_ready() const;
  // Marks units for rebuild_marked().
  void mark_port(const sb::PortBinding& pb);
  void mark_port_and_groups(const sb::PortBinding& pb);
  void mark_patch_peer(const sb::PortBinding& pb);
  void mark_datapath(const sb::DatapathBinding& dp);
  // Rebuilds the marked units not yet rebuilt in this run; true if any flows changed owner.
  bool rebuild_marked();
  // Replaces the flows of unit OWNER (on datapath DP_KEY); empty FLOWS drop the unit.
  void set_unit(const Uuid& owner, uint32_t dp_key, std::vector<openflow::Flow> flows);
  void forget_unit(const Uuid& owner);
  void drop_datapath_units(uint32_t dp_key);

  FlowStore& store_;
  bool built_complete_ = false;  // the last recompute had the Southbound and local state
  std::unordered_map<Uuid, uint32_t> unit_dp_;                       // unit -> datapath key
  std::unordered_map<uint32_t, std::unordered_set<Uuid>> dp_units_;  // datapath key -> units
  CtZones zones_;                              // the zones the flows were built with
  std::map<std::string, TunnelPort> tunnels_;  // the tunnels they were built with
  // Units to rebuild, and those already rebuilt in this run (every input is final by then).
  std::unordered_set<Uuid> marked_ports_, marked_groups_, done_;
};

}  // namespace ovnx::controller
