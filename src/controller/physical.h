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
// Pure: build_physical_flows() reads the Southbound replica and the local state only.
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

// The flows that exist whatever the topology (priority-0 defaults and flag checks).
std::vector<openflow::Flow> build_static_flows();

}  // namespace ovnx::controller
