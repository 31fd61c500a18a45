// What the controller needs from the integration bridge in the local Open vSwitch database: the
// interfaces that carry logical ports (external_ids:iface-id) and the tunnel ports it created
// (Port external_ids:ovn-chassis-id), with their OpenFlow port numbers.
//
// Pure: read_bridge_state() looks at one replica; tests build the replica from JSON.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/uuid.h"
#include "ovsdb/client/replica.h"

namespace ovnx::controller {

struct LocalInterface {
  std::string name;      // Interface name
  Uuid uuid;             // Interface row
  std::string iface_id;  // external_ids:iface-id, the logical port it carries
  // OpenFlow port: 0 until ovs-vswitchd assigned one (ofport empty), -1 if it failed.
  int64_t ofport = 0;
  bool ovn_installed = false;  // external_ids:ovn-installed="true"
  bool operator==(const LocalInterface&) const = default;
};

struct TunnelPort {
  std::string port_name;  // Port (and Interface) name, e.g. "ovn-node1-0"
  Uuid port_uuid;
  std::string chassis;    // remote chassis name (before '@' in ovn-chassis-id)
  std::string remote_ip;  // Interface options:remote_ip
  std::string type;       // Interface type: "geneve", "vxlan"
  int64_t ofport = -1;
  bool csum = false;      // Interface options:csum=true
  bool operator==(const TunnelPort&) const = default;
};

struct BridgeState {
  bool exists = false;
  Uuid uuid;
  // Interfaces with an iface-id, by iface-id. Two interfaces naming the same logical port: the
  // one with a valid ofport (then the lower name) wins, as ovn-controller picks one.
  std::map<std::string, LocalInterface> by_iface_id;
  std::map<std::string, TunnelPort> tunnels;  // by port name
  std::map<std::string, std::string> external_ids;  // the bridge's, for ct-zone-* and nb-cfg
  bool operator==(const BridgeState&) const = default;

  // The tunnel to CHASSIS with a usable ofport, or nullptr.
  const TunnelPort* tunnel_to(std::string_view chassis) const;
};

// Reads bridge BRIDGE_NAME from an Open_vSwitch replica.
BridgeState read_bridge_state(const ovsdb::client::Replica& ovs, const std::string& bridge_name);

// "node1@10.0.12.7" -> ("node1", "10.0.12.7"); a value without '@' is all chassis name.
std::pair<std::string, std::string> split_chassis_id(std::string_view value);

}  // namespace ovnx::controller
