// The physical OpenFlow tables of the integration bridge (ovn-architecture(7), "Architectural
// Physical Life Cycle of a Packet"), as OVN 23.03's ovn-controller installs them:
//
//   table 0   physical -> logical: local VIFs enter the ingress pipeline (table 8) with their
//             datapath, port key and conntrack zones; tunnels set datapath, inport and outport
//             from the tunnel key and go straight to local output (table 40);
//   37, 38    entry of `output` (packet-too-big detection; OVN installs pass-through flows);
//   39        remote output: unicast to a port on another chassis, multicast copies to every
//             chassis with members (and to patch ports), with the tunnel key;
//   40        local output: conntrack zones of the destination, multicast fan-out to local ports;
//   41        loopback check: drop inport == outport unless flags.loopback, clear reg0..reg9;
//   64        save inport when flags.loopback lets a packet go back out where it came in;
//   65        logical -> physical: output to the VIF, or enter the peer's datapath for a patch
//             port (a clone so the rest of the pipeline is unaffected).
// Port-security tables 73..75 come from port_security.h.
//
// Pure: the builders read the Southbound replica and the local state only. The flows come in
// units that change independently (the controller keeps each unit under its own FlowStore
// owner and rebuilds only the units a change touches): the static flows, the tunnel
// classification, the flows of one port of a local datapath, the flows of one multicast group.
// build_physical_flows() is all of them for the local datapaths.
#pragma once

#include <vector>

#include "controller/ct_zones.h"
#include "controller/local_datapaths.h"
#include "controller/ovs_state.h"
#include "controller/sb_indexes.h"
#include "openflow/match.h"

namespace ovnx::controller {

struct PhysicalInputs {
  const SbIndexes* sb = nullptr;
  const LocalState* local = nullptr;
  const CtZones* zones = nullptr;
  const BridgeState* bridge = nullptr;  // tunnel ports and their ofports
};

std::vector<openflow::Flow> build_physical_flows(const PhysicalInputs& in);

// Table 0 flows of the tunnel ports: they carry a packet from another chassis to local output.
std::vector<openflow::Flow> build_tunnel_flows(const BridgeState& bridge);

// The flows of port PB: a VIF bound here (tables 0, 40, 41, 64, 65, port security), a patch
// port whose peer's datapath is local too (40, 41, 64, 65), a port bound on another chassis
// reached through a tunnel (39). Empty if PB's datapath is not local or it needs nothing here.
std::vector<openflow::Flow> build_port_flows(const PhysicalInputs& in, const sb::PortBinding& pb);

// The flows of multicast group MC (tables 39 and 40), empty if its datapath is not local.
std::vector<openflow::Flow> build_multicast_flows(const PhysicalInputs& in,
                                                  const sb::MulticastGroup& mc);

// The local datapath DP is (its key and uuid both match), or nullptr.
const LocalDatapath* local_datapath_of(const LocalState& local, const sb::DatapathBinding* dp);

// The flows that exist whatever the topology (priority-0 defaults and flag checks).
std::vector<openflow::Flow> build_static_flows();

}  // namespace ovnx::controller
