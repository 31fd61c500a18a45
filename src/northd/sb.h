// The southbound output of the compiler: the desired content of the OVN_Southbound tables northd
// owns (ovn-sb(5)), as plain values. A separate step (the daemon) turns the difference between
// this and the current SB into a transaction.
//
// Rows reference each other by stable identities rather than SB row UUIDs, which only exist
// once written: a datapath by the UUID of its NB Logical_Switch / Logical_Router, a port by its
// logical_port name. Vectors are sorted (see each struct) so two compiles of the same input
// compare equal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/uuid.h"

namespace ovnx::northd::sb {

using Smap = std::map<std::string, std::string>;

enum class Pipeline : uint8_t { ingress, egress };
inline const char* pipeline_name(Pipeline p) { return p == Pipeline::ingress ? "ingress" : "egress"; }

struct DatapathBinding {
  Uuid nb_uuid;       // the NB Logical_Switch or Logical_Router
  bool is_router = false;
  std::string name;   // external_ids:name
  int64_t tunnel_key = 0;
  Smap external_ids;  // logical-switch|logical-router, name, (name2, interconn-ts, ...)
};

struct PortBinding {
  std::string logical_port;
  Uuid datapath;  // NB UUID of the datapath
  std::string type;
  int64_t tunnel_key = 0;
  std::vector<std::string> mac;
  std::vector<std::string> port_security;
  Smap options;
  Smap external_ids;
  std::optional<std::string> parent_port;
  std::optional<int64_t> tag;
  std::vector<std::string> nat_addresses;
  std::vector<std::string> gateway_chassis;       // names of Gateway_Chassis rows
  std::optional<std::string> ha_chassis_group;    // name of the HA_Chassis_Group row
  std::optional<std::string> requested_chassis;   // name of the Chassis row
};

struct MulticastGroup {
  Uuid datapath;
  std::string name;
  int64_t tunnel_key = 0;
  std::vector<std::string> ports;  // logical_port names, sorted
};

struct LogicalFlow {
  std::vector<Uuid> datapaths;  // sorted; one means logical_datapath, more a Logical_DP_Group
  Pipeline pipeline = Pipeline::ingress;
  uint8_t table_id = 0;
  uint16_t priority = 0;
  std::string match;
  std::string actions;
  // external_ids, kept unrolled (there are hundreds of thousands of rows): stage-name,
  // stage-hint (first 8 hex digits of the NB row's UUID; zero for none) and source (where
  // the flow was built). The strings pointed to have static storage duration.
  const char* stage_name = "";
  Uuid stage_hint;
  const char* source_file = nullptr;  // file name only
  uint32_t source_line = 0;
  std::string io_port;                 // tags:in_out_port; empty for none
  std::optional<std::string> controller_meter;

  // The columns as OVSDB maps.
  Smap external_ids() const;
  Smap tags() const;
};

struct AddressSet {
  std::string name;
  std::vector<std::string> addresses;  // sorted
};

struct PortGroup {
  std::string name;                // "<datapath tunnel key>_<NB name>"
  std::vector<std::string> ports;  // sorted
};

struct DhcpOptionCode {
  std::string name;
  int64_t code = 0;
  std::string type;
};

struct Dns {
  Uuid nb_uuid;  // external_ids:dns_id
  std::vector<Uuid> datapaths;  // sorted
  Smap records;
  Smap external_ids;
};

struct IpMulticast {
  Uuid datapath;
  bool enabled = false;
  bool querier = true;
  int64_t table_size = 2048;
  int64_t idle_timeout = 300;
  int64_t query_interval = 150;
  int64_t query_max_resp = 1;
  std::string eth_src;
  std::string ip4_src;
  std::string ip6_src;
};

struct HaChassis {
  std::string chassis_name;  // external_ids:chassis-name; the Chassis reference if it exists
  int64_t priority = 0;
};

struct HaChassisGroup {
  std::string name;
  std::vector<HaChassis> ha_chassis;  // sorted by chassis_name
  Smap external_ids;
};

// Everything northd writes, for one NB snapshot.
struct Content {
  int64_t nb_cfg = 0;
  Smap sb_global_options;
  std::vector<DatapathBinding> datapaths;     // sorted by tunnel_key
  std::vector<PortBinding> port_bindings;     // sorted by logical_port
  std::vector<MulticastGroup> multicast_groups;
  std::vector<LogicalFlow> logical_flows;
  std::vector<AddressSet> address_sets;       // sorted by name
  std::vector<PortGroup> port_groups;         // sorted by name
  std::vector<DhcpOptionCode> dhcp_options;
  std::vector<DhcpOptionCode> dhcpv6_options;
  std::vector<Dns> dns;
  std::vector<IpMulticast> ip_multicast;
  std::vector<HaChassisGroup> ha_chassis_groups;  // sorted by name
  // Options northd adds to NB_Global (mac_prefix, svc_monitor_mac, max_tunid when generated).
  Smap nb_global_options;
};

}  // namespace ovnx::northd::sb
