// The chassis configuration ovn-controller takes from the local Open_vSwitch row
// (ovn-controller(8), "Configuration"): system-id, ovn-remote, encapsulation, integration bridge.
//
// Pure: parse_config() reads one Open_vSwitch row and never fails on odd values; what is missing
// or malformed is reported in `problems` and the config is incomplete (complete() says whether
// the controller can register the chassis and build tunnels).
#pragma once

#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "ovsdb/client/vswitch.h"

namespace ovnx::controller {

// Tunnel encapsulations ovnx can speak, in order of preference when two chassis share several.
enum class EncapType { kGeneve, kVxlan };
std::string_view encap_type_name(EncapType type);
std::optional<EncapType> parse_encap_type(std::string_view name);

struct ChassisConfig {
  std::string system_id;       // external_ids:system-id: the Chassis name
  std::string hostname;        // external_ids:hostname, else the host's name
  std::string remote;          // external_ids:ovn-remote (SB connection methods)
  std::vector<EncapType> encap_types;  // external_ids:ovn-encap-type, e.g. "geneve,vxlan"
  std::vector<std::string> encap_ips;  // external_ids:ovn-encap-ip, comma separated
  bool encap_csum = true;              // external_ids:ovn-encap-csum (geneve checksums)
  std::string bridge = "br-int";       // external_ids:ovn-bridge[-<system-id>]
  std::string datapath_type;           // external_ids:ovn-bridge-datapath-type ("" = leave)
  int remote_probe_interval_ms = 5000;  // external_ids:ovn-remote-probe-interval
  // external_ids:ovn-openflow-probe-interval (seconds there; 0 disables, else at least 5 s).
  int openflow_probe_interval_ms = 5000;
  bool monitor_all = false;             // external_ids:ovn-monitor-all
  std::vector<std::string> iface_types;  // Open_vSwitch iface_types, for Chassis other_config
  std::vector<std::string> problems;     // why the configuration is incomplete, if it is

  // Everything needed to register the chassis is present.
  bool complete() const {
    return !system_id.empty() && !remote.empty() && !encap_types.empty() && !encap_ips.empty();
  }
  bool operator==(const ChassisConfig&) const = default;
};

// Reads ROW (the single Open_vSwitch row). SYSTEM_ID_OVERRIDE, if not empty, wins over the
// row's system-id (the -n option of ovn-controller).
ChassisConfig parse_config(const vswitch::OpenvSwitch& row, const std::string& system_id_override);

}  // namespace ovnx::controller
