// The resolved logical topology: every NB switch and router as a Datapath, every switch and
// router port as a Port, with tunnel keys, peers, parsed addresses and the per-datapath facts the
// pipelines depend on (stateful ACLs, unknown-address ports, gateway ports, ...).
//
// Built from an nb::Snapshot (which it points into; the snapshot must outlive it), updated
// datapath by datapath as the snapshot changes, and read concurrently and without locks by the
// flow builders between updates.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "northd/lport_addresses.h"
#include "northd/nb.h"
#include "northd/tunnel_keys.h"

namespace ovnx::northd {

struct Datapath;
struct Port;

// A router NAT rule with its addresses parsed (OVN's ovn_nat).
struct NatEntry {
  const nb::Nat* nat = nullptr;
  bool is_v6 = false;
  packets::Ipv4Addr ext_v4;  // external_ip
  packets::Ipv6Addr ext_v6;
  Port* l3dgw_port = nullptr;  // distributed gateway port it applies to (distributed routers)
  bool distributed = false;     // dnat_and_snat with logical_port and external_mac
};

struct Port {
  std::string name;  // logical_port
  Uuid nb_uuid;      // the NB row (for a derived chassisredirect port: its LRP)
  Datapath* od = nullptr;
  const nb::LogicalSwitchPort* nbsp = nullptr;  // exactly one of nbsp / nbrp is set
  const nb::LogicalRouterPort* nbrp = nullptr;
  int64_t tunnel_key = 0;
  std::string sb_type;  // Port_Binding type

  // Switch ports.
  std::vector<LportAddresses> lsp_addrs;  // from "addresses" (router ports: the peer's networks)
  std::vector<LportAddresses> ps_addrs;   // from "port_security"
  bool has_unknown = false;               // "unknown" among the addresses
  // Router ports (and the router-side view for switch ports of type router).
  LportAddresses lrp_networks;

  Port* peer = nullptr;  // router port <-> switch port of type router, or router <-> router

  // Derived chassisredirect port of a distributed gateway port ("cr-<lrp>"), and back.
  bool is_cr_port = false;
  Port* cr_port = nullptr;
  Port* l3dgw_port = nullptr;  // on a cr port: the distributed gateway port it redirects for

  bool is_switch_port() const { return nbsp != nullptr; }
  bool is_router_port() const { return nbrp != nullptr; }
  // LSP of type "router" (connected to a router port).
  bool lsp_is_router() const { return nbsp && nbsp->type == "router"; }
  bool enabled() const;
  // Stage hint for flows this port produces: its NB row.
  Uuid hint() const { return nb_uuid; }
  // `inport == "name"` style quoting as northd writes it.
  std::string json_name() const;
};

struct Datapath {
  Uuid nb_uuid;
  std::string name;
  const nb::LogicalSwitch* nbs = nullptr;  // exactly one of nbs / nbr is set
  const nb::LogicalRouter* nbr = nullptr;
  int64_t tunnel_key = 0;
  size_t index = 0;  // position in Topology::datapaths

  std::vector<Port*> ports;  // in NB order (switch: ports column; router: ports column)
  std::vector<Port*> cr_ports;  // derived chassisredirect ports (routers)
  std::vector<std::unique_ptr<Port>> owned_ports;  // ports and cr_ports

  // Switches.
  std::vector<Port*> router_ports;   // LSPs of type router with a resolved peer
  std::vector<Port*> localnet_ports;
  std::vector<Port*> vtep_ports;
  bool has_unknown = false;
  bool has_vtep_lports = false;
  // Every NB port is a connected router port: ARP for a router's addresses goes to it alone.
  bool only_router_ports = false;
  std::vector<const nb::Acl*> acls;  // own ACLs and those of port groups with ports here
  std::vector<Uuid> acl_uuids;       // the same, by UUID (stays valid if rows go away)
  bool has_acls = false;
  bool has_stateful_acl = false;
  bool has_lb_vip = false;
  bool has_dns_records = false;
  // Port groups with ports on this switch: name -> ports here (sorted by name), and the
  // groups themselves (sorted by UUID).
  std::map<std::string, std::vector<Port*>> port_groups;
  std::vector<const nb::PortGroup*> port_group_rows;

  // Routers.
  bool is_gw_router = false;        // options:chassis set: an l3 gateway router
  std::vector<Port*> l3dgw_ports;   // distributed gateway ports
  std::vector<NatEntry> nat_entries;        // valid NAT rules, in NB order
  std::vector<size_t> snat_ips;              // index of the first SNAT entry of each external IP
  std::vector<std::string> nat_external_macs;  // external_mac of distributed NAT rules, sorted
  bool has_distributed_nat = false;
  std::vector<const nb::LogicalRouterStaticRoute*> static_routes;
  std::vector<const nb::LogicalRouterPolicy*> policies;

  // NB rows this datapath's resolution and flows read (with the row's column classes that
  // matter), so a change of one of them marks this datapath dirty.
  std::vector<std::pair<Uuid, uint8_t>> reads;

  bool is_switch() const { return nbs != nullptr; }
  bool is_router() const { return nbr != nullptr; }
};

// Tunnel keys already in use in the SB, so they survive restarts and unrelated edits.
struct ExistingKeys {
  std::unordered_map<Uuid, int64_t> datapaths;  // NB datapath UUID -> key
  // logical_port -> (NB datapath UUID, key); a port keeps its key only on the same datapath.
  std::unordered_map<std::string, std::pair<Uuid, int64_t>> ports;
};

// What the chassis support (SB Chassis other_config); flows use the newer forms only when every
// chassis does. With no chassis at all, everything is assumed supported, as OVN does.
struct ChassisFeatures {
  bool ct_no_masked_label = true;     // ct_mark.* instead of ct_label.* bits, ct_lb_mark
  bool mac_binding_timestamp = true;
  bool ct_lb_related = true;
};

// Global configuration northd derives from NB_Global.
struct GlobalConfig {
  std::string svc_monitor_mac;
  std::string mac_prefix;
  bool ignore_lsp_down = true;
  bool default_acl_drop = false;
  bool use_ct_inv_match = true;
  ChassisFeatures features;
};

// Reads the settings northd honours from NB_Global options.
GlobalConfig read_global_config(const nb::Smap& nb_global_options,
                                const ChassisFeatures& features);

struct TopologyOptions {
  bool vxlan_mode = false;  // only 4095 datapath keys (a chassis uses VXLAN)
  unsigned threads = 1;     // for build()'s per-datapath steps
  GlobalConfig config;
};


// Column classes of NB rows, for read dependencies: a reader of a Logical_Switch may care only
// about its ports column, a reader of a Logical_Router not about its routes.
enum ReadClass : uint8_t {
  kReadLsPorts = 1,     // Logical_Switch.ports
  kReadLsOther = 2,     // other Logical_Switch columns
  kReadLrRouting = 4,   // Logical_Router.static_routes, policies
  kReadLrOther = 8,     // other Logical_Router columns
  kReadAll = 0xff,
};

class Topology {
 public:
  // Resolves `nb` (which must outlive the result), allocating tunnel keys.
  static Result<std::unique_ptr<Topology>> build(const nb::Snapshot& nb,
                                                 const ExistingKeys& keys,
                                                 const TopologyOptions& options = {});

  // Brings the datapaths in `dirty` (NB UUIDs of switches and routers that were added, changed
  // or deleted) up to date with the snapshot this topology was built from, which the caller
  // updated in place. Every other datapath keeps its objects; ports and datapaths keep their
  // tunnel keys. REQUIRES: `dirty` includes every datapath whose resolution reads a changed NB
  // row (incremental.cc computes that closure); rows of clean datapaths were not erased.
  // With `port_groups_changed`, the port-group index is rebuilt first.
  Status update(const std::set<Uuid>& dirty, bool port_groups_changed);
  // Brings switch `sw` up to date in place after changes of just the plain VIFs `lsps` (added,
  // deleted or changed; incremental_ports.cc decides what is plain): other ports keep their
  // objects. REQUIRES: the switch's other ports and datapath-wide facts did not change, and
  // no changed port asks for a tunnel key.
  Status update_switch_ports(const Uuid& sw, const std::vector<Uuid>& lsps);

  const nb::Snapshot& nb() const { return *nb_; }
  const GlobalConfig& config() const { return config_; }
  // Switches first, then routers, each by name (then UUID).
  const std::vector<Datapath*>& datapaths() const { return order_; }
  const Port* find_port(const std::string& name) const;
  // The switch port made from NB Logical_Switch_Port `lsp`, if any.
  const Port* find_switch_port(const Uuid& lsp) const;
  const Datapath* find_datapath(const Uuid& nb_uuid) const;
  // Switch ports of type router naming `lrp` in options:router-port.
  std::vector<const Port*> router_port_users(const std::string& lrp) const;
  // Re-reads the ACLs of switch `dp` (after ACL-only changes: ACL rows, the switch's or its port
  // groups' acls columns). Returns the previous ACL UUIDs and whether has_acls or
  // has_stateful_acl changed (then more than the ACLs' own flows change).
  struct AclRefresh {
    std::vector<Uuid> old_acls;
    bool flags_changed = false;
  };
  AclRefresh refresh_acls(const Uuid& dp);

  // Router `dp` now reads NB switch port `lsp` (a plain VIF behind it), or no longer does
  // (`reads` false), without re-noting everything it reads.
  void set_port_read(const Uuid& dp, const Uuid& lsp, bool reads);
  // Datapaths that read NB row `row`, with the classes they read.
  const std::vector<std::pair<Uuid, uint8_t>>* readers(const Uuid& row) const;
  // Port groups an LSP belongs to.
  const std::vector<const nb::PortGroup*>* port_groups_of(const Uuid& lsp) const;
  // Datapath tunnel keys in use (for checks and tests).
  size_t datapath_count() const { return datapaths_.size(); }

 private:
  Topology() = default;
  std::unique_ptr<Datapath> make_datapath(const Uuid& uuid);
  Status make_ports(Datapath& dp, const Datapath* old, const ExistingKeys* keys);
  void register_ports(Datapath& dp);
  void unregister_ports(Datapath& dp);
  void link_peers(Datapath& dp);
  void resolve_addresses(Datapath& dp);
  void resolve_switch_port(Port& p);
  void derive_facts(Datapath& dp);
  void collect_acls(Datapath& dp);
  void rebuild_port_group_index();
  void note_reads(Datapath& dp);  // collect_reads, then register_reads
  void collect_reads(Datapath& dp);          // fills dp.reads (touches nothing shared)
  void register_reads(const Datapath& dp);   // dp.reads into readers_
  void forget_reads(const Datapath& dp);
  void sort_datapaths();

  const nb::Snapshot* nb_ = nullptr;
  GlobalConfig config_;
  TopologyOptions options_;
  std::unordered_map<Uuid, std::unique_ptr<Datapath>> datapaths_;
  std::vector<Datapath*> order_;
  std::unordered_map<std::string, Port*> ports_by_name_;
  std::unordered_map<Uuid, Port*> switch_ports_by_uuid_;
  std::unordered_map<Uuid, std::vector<const nb::PortGroup*>> port_groups_by_lsp_;
  std::unordered_map<Uuid, std::vector<std::pair<Uuid, uint8_t>>> readers_;
  // Switch ports of type router by the router port they name.
  std::unordered_map<std::string, std::vector<Port*>> router_port_users_;
  std::unique_ptr<KeyAllocator> dp_keys_;
};

}  // namespace ovnx::northd
