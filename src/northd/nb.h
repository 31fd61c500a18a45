// The northbound input of the compiler: a plain, immutable snapshot of the OVN_Northbound tables
// northd reads (ovn-nb(5)), independent of any OVSDB client.
//
// Each row is a struct named after its table, with the columns northd uses, spelled as in the
// schema. Optional columns (min 0, max 1) are std::optional; sets are vectors (in the order the
// source gave them; the compiler never depends on that order); maps are std::map (sorted, like
// OVSDB's own ordering). References are row UUIDs. Rows are kept per table in a std::map keyed
// by UUID, so iteration order is deterministic.
//
// Thread-safety: a Snapshot is read concurrently by the parallel flow build and must not change
// while a compile is running.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/uuid.h"

namespace ovnx::northd::nb {

using Smap = std::map<std::string, std::string>;
template <class Row>
using Table = std::map<Uuid, Row>;

struct NbGlobal {
  Uuid uuid;
  int64_t nb_cfg = 0;
  int64_t sb_cfg = 0;
  int64_t hv_cfg = 0;
  Smap options;
  Smap external_ids;
  std::string name;
  bool ipsec = false;
};

struct LogicalSwitchPort {
  Uuid uuid;
  std::string name;
  std::string type;  // "", router, localnet, localport, l2gateway, vtep, external, virtual, ...
  std::vector<std::string> addresses;
  std::vector<std::string> port_security;
  std::optional<std::string> dynamic_addresses;
  Smap options;
  Smap external_ids;
  std::optional<bool> enabled;
  std::optional<bool> up;
  std::optional<Uuid> dhcpv4_options;
  std::optional<Uuid> dhcpv6_options;
  std::optional<std::string> parent_name;
  std::optional<int64_t> tag;
  std::optional<int64_t> tag_request;
  std::optional<Uuid> ha_chassis_group;
};

struct LogicalSwitch {
  Uuid uuid;
  std::string name;
  std::vector<Uuid> ports;
  std::vector<Uuid> acls;
  std::vector<Uuid> qos_rules;
  std::vector<Uuid> load_balancer;
  std::vector<Uuid> load_balancer_group;
  std::vector<Uuid> dns_records;
  std::vector<Uuid> forwarding_groups;
  Smap other_config;
  Smap external_ids;
  std::optional<Uuid> copp;
};

struct LogicalRouterPort {
  Uuid uuid;
  std::string name;
  std::string mac;
  std::vector<std::string> networks;
  Smap options;
  Smap external_ids;
  std::optional<bool> enabled;
  std::optional<std::string> peer;
  std::vector<Uuid> gateway_chassis;
  std::optional<Uuid> ha_chassis_group;
  std::vector<std::string> ipv6_prefix;
  Smap ipv6_ra_configs;
};

struct LogicalRouter {
  Uuid uuid;
  std::string name;
  std::vector<Uuid> ports;
  std::vector<Uuid> static_routes;
  std::vector<Uuid> policies;
  std::vector<Uuid> nat;
  std::vector<Uuid> load_balancer;
  std::vector<Uuid> load_balancer_group;
  std::optional<bool> enabled;
  Smap options;
  Smap external_ids;
  std::optional<Uuid> copp;
};

struct LogicalRouterStaticRoute {
  Uuid uuid;
  std::string ip_prefix;
  std::string nexthop;
  std::optional<std::string> output_port;
  std::optional<std::string> policy;  // "src-ip" or "dst-ip" (default)
  std::string route_table;
  std::optional<Uuid> bfd;
  Smap options;
  Smap external_ids;
};

struct LogicalRouterPolicy {
  Uuid uuid;
  int64_t priority = 0;
  std::string match;
  std::string action;  // allow, drop, reroute
  std::optional<std::string> nexthop;
  std::vector<std::string> nexthops;
  Smap options;
  Smap external_ids;
};

struct Nat {
  Uuid uuid;
  std::string type;  // dnat, snat, dnat_and_snat
  std::string external_ip;
  std::optional<std::string> external_mac;
  std::string external_port_range;
  std::string logical_ip;
  std::optional<std::string> logical_port;
  std::optional<Uuid> allowed_ext_ips;
  std::optional<Uuid> exempted_ext_ips;
  std::optional<Uuid> gateway_port;
  Smap options;
  Smap external_ids;
};

struct Acl {
  Uuid uuid;
  std::optional<std::string> name;
  int64_t priority = 0;
  std::string direction;  // from-lport, to-lport
  std::string match;
  std::string action;  // allow, allow-related, allow-stateless, drop, reject
  bool log = false;
  std::optional<std::string> severity;
  std::optional<std::string> meter;
  int64_t label = 0;
  Smap options;
  Smap external_ids;
};

struct PortGroup {
  Uuid uuid;
  std::string name;
  std::vector<Uuid> ports;  // Logical_Switch_Port rows
  std::vector<Uuid> acls;
  Smap external_ids;
};

struct AddressSet {
  Uuid uuid;
  std::string name;
  std::vector<std::string> addresses;
  Smap external_ids;
};

struct DhcpOptions {
  Uuid uuid;
  std::string cidr;
  Smap options;
  Smap external_ids;
};

struct Dns {
  Uuid uuid;
  Smap records;
  Smap external_ids;
};

struct LoadBalancer {
  Uuid uuid;
  std::string name;
  Smap vips;
  std::optional<std::string> protocol;
  Smap options;
  Smap external_ids;
  Smap ip_port_mappings;
  std::vector<Uuid> health_check;
  std::vector<std::string> selection_fields;
};

struct LoadBalancerGroup {
  Uuid uuid;
  std::string name;
  std::vector<Uuid> load_balancer;
};

struct GatewayChassis {
  Uuid uuid;
  std::string name;
  std::string chassis_name;
  int64_t priority = 0;
  Smap options;
  Smap external_ids;
};

struct HaChassis {
  Uuid uuid;
  std::string chassis_name;
  int64_t priority = 0;
  Smap external_ids;
};

struct HaChassisGroup {
  Uuid uuid;
  std::string name;
  std::vector<Uuid> ha_chassis;
  Smap external_ids;
};

struct Meter {
  Uuid uuid;
  std::string name;
  std::string unit;
  std::vector<Uuid> bands;
  std::optional<bool> fair;
};

struct Copp {
  Uuid uuid;
  std::string name;
  Smap meters;  // protocol -> meter name
};

struct StaticMacBinding {
  Uuid uuid;
  std::string logical_port;
  std::string ip;
  std::string mac;
  bool override_dynamic_mac = false;
};

// One consistent NB state. The compiler reads only this.
struct Snapshot {
  NbGlobal nb_global;
  Table<LogicalSwitch> logical_switches;
  Table<LogicalSwitchPort> logical_switch_ports;
  Table<LogicalRouter> logical_routers;
  Table<LogicalRouterPort> logical_router_ports;
  Table<LogicalRouterStaticRoute> static_routes;
  Table<LogicalRouterPolicy> policies;
  Table<Nat> nats;
  Table<Acl> acls;
  Table<PortGroup> port_groups;
  Table<AddressSet> address_sets;
  Table<DhcpOptions> dhcp_options;
  Table<Dns> dns;
  Table<LoadBalancer> load_balancers;
  Table<LoadBalancerGroup> load_balancer_groups;
  Table<GatewayChassis> gateway_chassis;
  Table<HaChassis> ha_chassis;
  Table<HaChassisGroup> ha_chassis_groups;
  Table<Meter> meters;
  Table<Copp> copps;
  Table<StaticMacBinding> static_mac_bindings;
};

// Looks a row up by UUID; nullptr if absent (a dangling reference is ignored, as OVSDB would
// have removed it).
template <class Row>
const Row* find(const Table<Row>& table, const Uuid& uuid) {
  auto it = table.find(uuid);
  return it == table.end() ? nullptr : &it->second;
}

// The value of `key` in `map`, or an empty string. (No fallback argument: a reference to a
// caller's temporary fallback would dangle.)
inline const std::string& get(const Smap& map, const std::string& key) {
  static const std::string kEmpty;
  auto it = map.find(key);
  return it != map.end() ? it->second : kEmpty;
}
// OVS smap_get_bool semantics: true only for the literal "true" (or `fallback` when absent).
bool get_bool(const Smap& map, const std::string& key, bool fallback = false);
// smap_get_int semantics: the integer value, `fallback` when absent or not a number.
int64_t get_int(const Smap& map, const std::string& key, int64_t fallback = 0);

}  // namespace ovnx::northd::nb
