// The compiler with state: a full compile, then updates for NB changes that redo only the
// datapaths whose flows and rows can depend on what changed.
//
// The caller owns the NB snapshot and updates it in place (rows inserted, modified or erased);
// it then tells update() which rows changed. The compiler keeps the desired SB content in keyed
// form (DesiredSb) and records which keys it touched (SbChanges), so a writer can send only the
// difference. update() declines (returns false, changing nothing) for changes it does not
// handle incrementally (NB_Global, load balancers, meters); the caller then recomputes.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "northd/compiler.h"
#include "northd/lflow_table.h"
#include "northd/nb.h"
#include "northd/sb.h"
#include "northd/topology.h"

namespace ovnx::northd {

// NB rows added, modified or deleted since the last update, by table.
struct NbChanges {
  bool nb_global = false;
  std::set<Uuid> logical_switches, logical_switch_ports, logical_routers, logical_router_ports;
  std::set<Uuid> static_routes, policies, nats, acls, port_groups, address_sets;
  std::set<Uuid> dhcp_options, dns, load_balancers, load_balancer_groups;
  std::set<Uuid> gateway_chassis, ha_chassis_groups, ha_chassis, meters, copps;
  std::set<Uuid> static_mac_bindings;
  // Changed columns of modified Logical_Switch / Logical_Router / Port_Group /
  // Logical_Switch_Port rows (absent: inserted or deleted, treat as all columns).
  std::map<Uuid, std::set<std::string>> switch_columns, router_columns, port_group_columns;
  std::map<Uuid, std::set<std::string>> switch_port_columns;

  bool empty() const;
};

// The desired southbound content in keyed form.
struct DesiredSb {
  int64_t nb_cfg = 0;
  sb::Smap nb_global_options;  // what NB_Global options should be (filled-in defaults)
  sb::Smap sb_global_options;
  std::map<Uuid, sb::DatapathBinding> datapaths;
  std::map<std::string, sb::PortBinding> port_bindings;
  std::map<std::pair<Uuid, std::string>, sb::MulticastGroup> multicast_groups;
  std::map<std::string, sb::AddressSet> address_sets;
  std::map<std::string, sb::PortGroup> port_groups;
  std::map<Uuid, sb::Dns> dns;
  std::map<Uuid, sb::IpMulticast> ip_multicast;
  std::map<std::string, sb::HaChassisGroup> ha_chassis_groups;
  std::vector<sb::DhcpOptionCode> dhcp_options;
  std::vector<sb::DhcpOptionCode> dhcpv6_options;
  LflowTable lflows;
};

// Keys of DesiredSb touched since the last take_changes(): each key's row may have been added,
// changed or removed (the writer compares). `all` after a full recompute.
struct SbChanges {
  bool all = false;
  std::set<Uuid> datapaths;
  std::set<std::string> port_bindings;
  std::set<std::pair<Uuid, std::string>> multicast_groups;
  std::set<std::string> address_sets;
  std::set<std::string> port_groups;
  std::set<Uuid> ip_multicast;
  bool dns = false;
  bool ha_chassis_groups = false;
  std::vector<uint64_t> lflows;  // LflowTable row ids
  bool lflows_rebuilt = false;   // row ids changed wholesale: compare all flows

  bool empty() const;
};

struct UpdateStats {
  size_t dirty_datapaths = 0;     // rebuilt whole
  size_t acl_datapaths = 0;       // only ACL flows rebuilt
  size_t port_datapaths = 0;      // only some ports' flows (and a switch's own) rebuilt
  double ms = 0;
};

class IncrementalCompiler {
 public:
  explicit IncrementalCompiler(CompileOptions options = {});
  ~IncrementalCompiler();

  // Full compile of `nb`, which must stay alive (and only be changed as update() expects).
  Status recompute(const nb::Snapshot& nb, const SbState& sb);
  // Applies `changes` to the state built from the same snapshot. Returns false, with nothing
  // changed, if a full recompute is needed; an error leaves the state unusable (recompute).
  Result<bool> update(const NbChanges& changes);

  const DesiredSb& desired() const { return *desired_; }
  SbChanges take_changes();
  // The whole desired content as plain rows (tests, compile()).
  sb::Content content() const;
  const Topology* topology() const { return topo_.get(); }
  const CompileStats& stats() const { return stats_; }
  const UpdateStats& update_stats() const { return update_stats_; }

 private:
  // Datapaths to rebuild whole, and switches where only ACLs changed.
  struct Dirty {
    std::set<Uuid> full;
    std::set<Uuid> acls_only;
  };
  std::optional<Dirty> dirty_datapaths(const NbChanges& changes) const;
  // Switch ports whose change redoes only their own flow groups, by switch (incremental_ports.cc);
  // `rest` gets the other changes.
  std::map<Uuid, std::vector<Uuid>> port_scoped(const NbChanges& changes, NbChanges* rest) const;
  // Rebuilds the flows of switch ports `lsps` of switch `sw` there (and the switch's own flows)
  // and in the routers behind it, except those in `full`; returns how many datapaths it did.
  size_t build_port_flows(const Uuid& sw, const std::vector<Uuid>& lsps,
                          const std::set<Uuid>& full);
  // The keyed rows of switch `dp` after changes of just ports `lsps` (formerly named
  // `old_names`): their Port_Bindings and the switch's multicast groups.
  void set_port_rows(const Datapath& dp, const std::vector<std::string>& old_names,
                     const std::vector<Uuid>& lsps);
  void update_acls(const Uuid& dp, const NbChanges& changes, std::vector<const Datapath*>* full);
  unsigned thread_count() const;  // options_.threads, or the hardware's
  void build_flows(const std::vector<const Datapath*>& dps, bool full);
  void set_datapath_rows(const Datapath& dp);
  // The keyed rows (all but flows) of a full compile: datapaths `dps`, address sets, globals.
  // Touches neither desired_->lflows nor the flow stats (it runs beside build_flows).
  void set_all_rows(const std::vector<const Datapath*>& dps);
  void clear_datapath_rows(const Uuid& dp);
  void set_address_sets_of_pg(const nb::PortGroup& pg);
  void refresh_globals(bool dns, bool ha);

  CompileOptions options_;
  const nb::Snapshot* nb_ = nullptr;
  SbState sb_;
  std::unique_ptr<Topology> topo_;
  std::unique_ptr<DesiredSb> desired_;
  SbChanges changes_;
  CompileStats stats_;
  UpdateStats update_stats_;
  // What each datapath contributed to the keyed tables, to remove it on rebuild.
  struct DpRows {
    std::vector<std::string> port_bindings;
    std::vector<std::string> multicast_groups;
    std::vector<std::string> port_groups;
  };
  std::map<Uuid, DpRows> dp_rows_;
  // Names of the SB address sets each NB Address_Set / Port_Group produced.
  std::map<Uuid, std::vector<std::string>> address_set_names_;
};

}  // namespace ovnx::northd
