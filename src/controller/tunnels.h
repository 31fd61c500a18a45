// Tunnels to the other chassis: one tunnel port on the integration bridge per remote chassis
// that shares an encapsulation with us, named as ovn-controller names them ("ovn-" + the first
// six characters of the chassis name + "-" + a hex counter that makes the name unique), with
// Port external_ids:ovn-chassis-id = "<chassis>@<remote ip>" and Interface options key=flow,
// remote_ip and (geneve) csum.
//
// Pure: desired_tunnels() reads the Southbound Chassis/Encap rows and the tunnels that exist, and
// keeps an existing port whenever it already matches, so a restart changes nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/config.h"
#include "controller/ovs_state.h"
#include "ovsdb/client/replica.h"

namespace ovnx::controller {

struct DesiredTunnel {
  std::string port_name;
  std::string chassis;
  std::string remote_ip;
  std::string type;   // "geneve" / "vxlan"
  bool csum = false;  // options:csum=true
  bool operator==(const DesiredTunnel&) const = default;

  std::string chassis_id() const { return chassis + "@" + remote_ip; }
  std::map<std::string, std::string> options() const;
};

// Tunnels this chassis (CONFIG) should have towards every other chassis in SB; EXISTING are the
// tunnel ports on the bridge now (their names are reused when they match).
std::vector<DesiredTunnel> desired_tunnels(const ovsdb::client::Replica& sb,
                                           const ChassisConfig& config,
                                           const std::map<std::string, TunnelPort>& existing);

// True if EXISTING is already DESIRED (same name, chassis, endpoint, type and options).
bool tunnel_matches(const TunnelPort& existing, const DesiredTunnel& desired);

}  // namespace ovnx::controller
