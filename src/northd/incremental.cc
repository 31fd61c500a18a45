#include "northd/incremental.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <thread>

#include <fmt/format.h>

#include "base/log.h"
#include "northd/pipelines.h"
#include "northd/sb_tables.h"
#include "northd/thread_pool.h"

OVNX_LOG_MODULE(northd_incremental);

namespace ovnx::northd {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Column classes changed by a modification of a switch / router row.
uint8_t switch_classes(const NbChanges& c, const Uuid& u) {
  auto it = c.switch_columns.find(u);
  if (it == c.switch_columns.end()) return kReadAll;
  uint8_t m = 0;
  for (const std::string& col : it->second) m |= col == "ports" ? kReadLsPorts : kReadLsOther;
  return m;
}

uint8_t router_classes(const NbChanges& c, const Uuid& u) {
  auto it = c.router_columns.find(u);
  if (it == c.router_columns.end()) return kReadAll;
  uint8_t m = 0;
  for (const std::string& col : it->second) {
    m |= (col == "static_routes" || col == "policies") ? kReadLrRouting : kReadLrOther;
  }
  return m;
}

// A switch port change that no flow or row reads: only `up`, which northd writes back itself
// (its echo must not rebuild the switch), while ARP/ND responders ignore whether a port is up.
bool unread_port_change(const NbChanges& c, const Uuid& u, const GlobalConfig& config) {
  if (!config.ignore_lsp_down) return false;
  auto it = c.switch_port_columns.find(u);
  return it != c.switch_port_columns.end() && it->second.size() == 1 && it->second.count("up");
}

}  // namespace

bool NbChanges::empty() const {
  return !nb_global && logical_switches.empty() && logical_switch_ports.empty() &&
         logical_routers.empty() && logical_router_ports.empty() && static_routes.empty() &&
         policies.empty() && nats.empty() && acls.empty() && port_groups.empty() &&
         address_sets.empty() && dhcp_options.empty() && dns.empty() && load_balancers.empty() &&
         load_balancer_groups.empty() && gateway_chassis.empty() && ha_chassis_groups.empty() &&
         ha_chassis.empty() && meters.empty() && copps.empty() && static_mac_bindings.empty();
}

bool SbChanges::empty() const {
  return !all && datapaths.empty() && port_bindings.empty() && multicast_groups.empty() &&
         address_sets.empty() && port_groups.empty() && ip_multicast.empty() && !dns &&
         !ha_chassis_groups && lflows.empty() && !lflows_rebuilt;
}

IncrementalCompiler::IncrementalCompiler(CompileOptions options) : options_(options) {}
IncrementalCompiler::~IncrementalCompiler() = default;

Status IncrementalCompiler::recompute(const nb::Snapshot& nb, const SbState& sb) {
  auto t0 = Clock::now();
  nb_ = &nb;
  sb_ = sb;
  topo_.reset();
  desired_ = std::make_unique<DesiredSb>();
  dp_rows_.clear();
  address_set_names_.clear();
  changes_ = SbChanges{};
  changes_.all = true;

  bool vxlan = false;
  for (const SbChassis& c : sb.chassis) {
    for (const std::string& e : c.encap_types) {
      if (e == "vxlan") vxlan = true;
    }
  }
  desired_->nb_global_options = effective_nb_options(nb.nb_global, vxlan);
  TopologyOptions topts;
  topts.vxlan_mode = vxlan;
  topts.config = read_global_config(desired_->nb_global_options, chassis_features(sb.chassis));
  topts.threads = thread_count();
  OVNX_ASSIGN_OR_RETURN(topo_, Topology::build(nb, sb.keys, topts));
  stats_.topology_ms = ms_since(t0);

  std::vector<const Datapath*> all(topo_->datapaths().begin(), topo_->datapaths().end());
  {
    // The other SB rows need only the topology, and building them is serial: alongside the
    // flows, whose build leaves a core idle at times (its merge is partly serial). They share
    // nothing writable with the flow build (desired_->lflows and the flow stats are its own).
    std::jthread tables;
    if (options_.threads != 1) {
      tables = std::jthread([this, &all] { set_all_rows(all); });
    } else {
      set_all_rows(all);
    }
    build_flows(all, true);
  }
  changes_ = SbChanges{};
  changes_.all = true;
  return ok_status();
}

void IncrementalCompiler::set_all_rows(const std::vector<const Datapath*>& dps) {
  auto t0 = Clock::now();
  for (const Datapath* dp : dps) set_datapath_rows(*dp);
  for (const auto& [uuid, as] : nb_->address_sets) {
    sb::AddressSet row = address_set(as);
    address_set_names_[uuid] = {row.name};
    desired_->address_sets[row.name] = std::move(row);
  }
  for (const auto& [uuid, pg] : nb_->port_groups) set_address_sets_of_pg(pg);
  dhcp_catalogues(&desired_->dhcp_options, &desired_->dhcpv6_options);
  refresh_globals(true, true);
  stats_.tables_ms = ms_since(t0);
}

unsigned IncrementalCompiler::thread_count() const {
  if (options_.threads) return options_.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void IncrementalCompiler::build_flows(const std::vector<const Datapath*>& dps, bool full) {
  auto t1 = Clock::now();
  std::vector<DatapathFlows> per_dp(dps.size());
  unsigned threads = thread_count();
  // Small updates are not worth waking threads for.
  if (dps.size() < 4) threads = 1;
  parallel_for(dps.size(), threads, [&](size_t i) {
    const Datapath& od = *dps[i];
    FlowSink sink;
    BuildCtx ctx{*topo_, od, sink};
    if (od.is_switch()) {
      build_switch_flows(ctx);
    } else {
      build_router_flows(ctx);
    }
    per_dp[i].datapath = od.nb_uuid;
    per_dp[i].flows = std::move(sink.flows());
    per_dp[i].text = sink.take_text();
  });
  stats_.lflows_before_merge = 0;
  for (const auto& d : per_dp) stats_.lflows_before_merge += d.flows.size();
  stats_.lflows_ms = ms_since(t1);
  auto t2 = Clock::now();
  if (full) {
    desired_->lflows.rebuild(std::move(per_dp), threads);
  } else {
    for (auto& d : per_dp) desired_->lflows.set_datapath_flows(d.datapath, std::move(d.flows));
  }
  stats_.merge_ms = ms_since(t2);
}

void IncrementalCompiler::clear_datapath_rows(const Uuid& u) {
  auto it = dp_rows_.find(u);
  if (it != dp_rows_.end()) {
    for (const auto& name : it->second.port_bindings) {
      desired_->port_bindings.erase(name);
      changes_.port_bindings.insert(name);
    }
    for (const auto& name : it->second.multicast_groups) {
      desired_->multicast_groups.erase({u, name});
      changes_.multicast_groups.insert({u, name});
    }
    for (const auto& name : it->second.port_groups) {
      desired_->port_groups.erase(name);
      changes_.port_groups.insert(name);
    }
    dp_rows_.erase(it);
  }
  if (desired_->datapaths.erase(u)) changes_.datapaths.insert(u);
  if (desired_->ip_multicast.erase(u)) changes_.ip_multicast.insert(u);
}

void IncrementalCompiler::set_datapath_rows(const Datapath& dp) {
  // After a full compile (`all`) the writer compares every key: no need to list them.
  const bool note = !changes_.all;
  DpRows& rows = dp_rows_[dp.nb_uuid];
  desired_->datapaths.insert_or_assign(dp.nb_uuid, datapath_binding(dp));
  if (note) changes_.datapaths.insert(dp.nb_uuid);
  for (auto& pb : port_bindings(*topo_, dp, sb_.chassis)) {
    rows.port_bindings.push_back(pb.logical_port);
    if (note) changes_.port_bindings.insert(pb.logical_port);
    std::string name = pb.logical_port;
    desired_->port_bindings.insert_or_assign(std::move(name), std::move(pb));
  }
  for (auto& mc : multicast_groups(dp)) {
    rows.multicast_groups.push_back(mc.name);
    if (note) changes_.multicast_groups.insert({dp.nb_uuid, mc.name});
    std::string name = mc.name;
    desired_->multicast_groups.insert_or_assign({dp.nb_uuid, std::move(name)}, std::move(mc));
  }
  for (auto& pg : port_groups(dp)) {
    rows.port_groups.push_back(pg.name);
    if (note) changes_.port_groups.insert(pg.name);
    std::string name = pg.name;
    desired_->port_groups.insert_or_assign(std::move(name), std::move(pg));
  }
  if (auto m = ip_multicast(dp)) {
    desired_->ip_multicast.insert_or_assign(dp.nb_uuid, std::move(*m));
    if (note) changes_.ip_multicast.insert(dp.nb_uuid);
  }
}

void IncrementalCompiler::set_address_sets_of_pg(const nb::PortGroup& pg) {
  const bool note = !changes_.all;
  auto& names = address_set_names_[pg.uuid];
  for (const auto& n : names) {
    desired_->address_sets.erase(n);
    if (note) changes_.address_sets.insert(n);
  }
  names.clear();
  for (auto& as : port_group_address_sets(pg, *nb_)) {
    names.push_back(as.name);
    if (note) changes_.address_sets.insert(as.name);
    std::string name = as.name;
    desired_->address_sets.insert_or_assign(std::move(name), std::move(as));
  }
}

void IncrementalCompiler::refresh_globals(bool dns, bool ha) {
  DesiredSb& d = *desired_;
  d.nb_cfg = nb_->nb_global.nb_cfg;
  d.sb_global_options = d.nb_global_options;
  const std::string& svc = topo_->config().svc_monitor_mac;
  if (!svc.empty()) {
    d.address_sets["svc_monitor_mac"] = {"svc_monitor_mac", {svc}};
    changes_.address_sets.insert("svc_monitor_mac");
  }
  if (dns) {
    d.dns.clear();
    for (auto& row : dns_rows(*topo_)) {
      Uuid u = row.nb_uuid;
      d.dns[u] = std::move(row);
    }
    changes_.dns = true;
  }
  if (ha) {
    d.ha_chassis_groups.clear();
    for (auto& g : ha_chassis_groups(*topo_)) {
      std::string name = g.name;
      d.ha_chassis_groups[std::move(name)] = std::move(g);
    }
    changes_.ha_chassis_groups = true;
  }
}

std::optional<IncrementalCompiler::Dirty> IncrementalCompiler::dirty_datapaths(
    const NbChanges& c) const {
  // Changes that affect everything, or that we do not track finely, recompute.
  if (c.nb_global || !c.load_balancers.empty() || !c.load_balancer_groups.empty() ||
      !c.meters.empty() || !c.copps.empty()) {
    return std::nullopt;
  }
  std::set<Uuid> dirty;
  std::set<Uuid> acls_only;
  auto readers_into = [&](const Uuid& row, uint8_t classes, std::set<Uuid>& into) {
    if (const auto* rs = topo_->readers(row)) {
      for (const auto& [dp, mask] : *rs) {
        if (mask & classes) into.insert(dp);
      }
    }
  };
  auto readers_of = [&](const Uuid& row, uint8_t classes) { readers_into(row, classes, dirty); };
  auto only = [](const std::map<Uuid, std::set<std::string>>& cols, const Uuid& u,
                 const char* column) {
    auto it = cols.find(u);
    return it != cols.end() && it->second.size() == 1 && it->second.count(column);
  };
  const nb::Snapshot& nb = *nb_;
  for (const Uuid& u : c.logical_switches) {
    // A new or removed ACL of the switch changes only ACL flows.
    if (only(c.switch_columns, u, "acls")) {
      acls_only.insert(u);
      continue;
    }
    dirty.insert(u);
    readers_of(u, switch_classes(c, u));
  }
  for (const Uuid& u : c.logical_routers) {
    dirty.insert(u);
    readers_of(u, router_classes(c, u));
  }
  for (const Uuid& u : c.logical_switch_ports) {
    readers_of(u, kReadAll);
    // A router-type port may now name (or have named) a router port: that router too.
    auto peer_router = [&](const std::string& lrp_name) {
      if (const Port* rp = topo_->find_port(lrp_name); rp && rp->is_router_port()) {
        dirty.insert(rp->od->nb_uuid);
      }
    };
    if (const auto* lsp = nb::find(nb.logical_switch_ports, u); lsp && lsp->type == "router") {
      peer_router(nb::get(lsp->options, "router-port"));
    }
  }
  for (const Uuid& u : c.logical_router_ports) {
    readers_of(u, kReadAll);
    const auto* lrp = nb::find(nb.logical_router_ports, u);
    // Router-to-router peering by name is rare: recompute rather than track it.
    if (lrp && lrp->peer) return std::nullopt;
    const Port* old = nullptr;
    for (const Datapath* dp : topo_->datapaths()) {
      if (!dp->is_router()) continue;
      for (const Port* p : dp->ports) {
        if (p->nb_uuid == u) old = p;
      }
    }
    if (old && old->peer && old->peer->is_router_port()) return std::nullopt;
    // Switch ports naming it (old or new name) must pick up the new peer.
    for (const std::string& name : {lrp ? lrp->name : std::string(), old ? old->name : ""}) {
      if (name.empty()) continue;
      for (const Port* user : topo_->router_port_users(name)) dirty.insert(user->od->nb_uuid);
    }
  }
  for (const auto* set : {&c.static_routes, &c.policies, &c.nats, &c.dhcp_options, &c.dns,
                          &c.gateway_chassis, &c.ha_chassis_groups, &c.ha_chassis}) {
    for (const Uuid& u : *set) readers_of(u, kReadAll);
  }
  for (const Uuid& u : c.port_groups) {
    if (only(c.port_group_columns, u, "acls")) {
      readers_into(u, kReadAll, acls_only);
      continue;
    }
    readers_of(u, kReadAll);
    // Switches with ports newly in the group.
    if (const auto* pg = nb::find(nb.port_groups, u)) {
      for (const Uuid& pu : pg->ports) {
        const auto* lsp = nb::find(nb.logical_switch_ports, pu);
        if (!lsp) continue;
        if (const Port* p = topo_->find_port(lsp->name); p && p->nbsp == lsp) {
          dirty.insert(p->od->nb_uuid);
        }
      }
    }
  }
  // An ACL matters to the switches whose own or port groups' ACL lists hold it (or held it:
  // a removed ACL also changed those lists, handled above).
  if (!c.acls.empty()) {
    for (const auto& [uuid, ls] : nb.logical_switches) {
      for (const Uuid& a : ls.acls) {
        if (c.acls.count(a)) acls_only.insert(uuid);
      }
    }
    for (const auto& [uuid, pg] : nb.port_groups) {
      for (const Uuid& a : pg.acls) {
        if (c.acls.count(a)) readers_into(uuid, kReadAll, acls_only);
      }
    }
  }
  Dirty out;
  for (const Uuid& u : acls_only) {
    if (!dirty.count(u)) out.acls_only.insert(u);
  }
  out.full = std::move(dirty);
  return out;
}

void IncrementalCompiler::update_acls(const Uuid& u, const NbChanges& c,
                                      std::vector<const Datapath*>* full) {
  const Datapath* dp = topo_->find_datapath(u);
  if (!dp) return;
  Topology::AclRefresh r = topo_->refresh_acls(u);
  if (r.flags_changed) {
    // Stateful or not changes flows beyond the ACLs' own.
    full->push_back(dp);
    return;
  }
  // Groups to redo: ACLs added or removed here, and changed ACLs still here. A switch can have
  // hundreds of ACLs through its port groups: sorted vectors, not trees.
  std::vector<Uuid> old = std::move(r.old_acls);
  std::vector<Uuid> now = dp->acl_uuids;
  std::sort(old.begin(), old.end());
  std::sort(now.begin(), now.end());
  std::vector<Uuid> groups;
  std::set_symmetric_difference(old.begin(), old.end(), now.begin(), now.end(),
                                std::back_inserter(groups));
  for (const Uuid& a : c.acls) {
    if (std::binary_search(old.begin(), old.end(), a)) groups.push_back(a);
  }
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::vector<const nb::Acl*> acls;
  for (const nb::Acl* acl : dp->acls) {
    if (std::binary_search(groups.begin(), groups.end(), acl->uuid)) acls.push_back(acl);
  }
  FlowSink sink;
  BuildCtx ctx{*topo_, *dp, sink, &acls};
  build_switch_flows(ctx);
  desired_->lflows.set_group_flows(u, groups, std::move(sink.flows()));
}

Result<bool> IncrementalCompiler::update(const NbChanges& all_changes) {
  if (!topo_) return false;
  auto t0 = Clock::now();
  const NbChanges* cp = &all_changes;
  NbChanges read;  // without the changes nothing reads
  for (const Uuid& u : all_changes.logical_switch_ports) {
    if (!unread_port_change(all_changes, u, topo_->config())) continue;
    if (cp == &all_changes) read = all_changes;
    cp = &read;
    read.logical_switch_ports.erase(u);
    read.switch_port_columns.erase(u);
  }
  const NbChanges& c = *cp;
  if (c.empty()) {
    update_stats_ = UpdateStats{.ms = ms_since(t0)};
    return true;
  }
  NbChanges rest;
  std::map<Uuid, std::vector<Uuid>> scoped;
  if (options_.port_scoped) scoped = port_scoped(c, &rest);
  auto dirty = dirty_datapaths(scoped.empty() ? c : rest);
  if (!dirty) return false;
  for (const auto& [sw, lsps] : scoped) {
    // The switch is rebuilt whole anyway (or its ACLs refreshed): no scoping.
    if (dirty->full.count(sw) || dirty->acls_only.count(sw)) {
      scoped.clear();
      dirty = dirty_datapaths(c);
      if (!dirty) return false;
      break;
    }
  }

  // Port groups and address sets can change without any datapath being dirty.
  bool pg_index = false;
  for (const Uuid& u : c.port_groups) {
    if (!(c.port_group_columns.count(u) && c.port_group_columns.at(u).size() == 1 &&
          c.port_group_columns.at(u).count("acls"))) {
      pg_index = true;
    }
  }
  // Names the scoped ports had, whose Port_Bindings go.
  std::map<Uuid, std::vector<std::string>> old_names;
  for (const auto& [sw, lsps] : scoped) {
    auto& names = old_names[sw];
    for (const Uuid& u : lsps) {
      if (const Port* p = topo_->find_switch_port(u)) names.push_back(p->name);
    }
  }
  // Scoped switches first, so routers rebuilt whole below note reads of their new ports.
  for (const auto& [sw, lsps] : scoped) {
    OVNX_RETURN_IF_ERROR(topo_->update_switch_ports(sw, lsps));
  }
  OVNX_RETURN_IF_ERROR(topo_->update(dirty->full, pg_index));
  std::vector<const Datapath*> rebuilt;
  for (const Uuid& u : dirty->full) {
    clear_datapath_rows(u);
    if (const Datapath* dp = topo_->find_datapath(u)) {
      rebuilt.push_back(dp);
    } else {
      desired_->lflows.remove_datapath(u);
    }
  }
  std::vector<const Datapath*> acl_full;
  for (const Uuid& u : dirty->acls_only) update_acls(u, c, &acl_full);
  build_flows(rebuilt, false);
  build_flows(acl_full, false);
  size_t port_datapaths = 0;
  for (const auto& [sw, lsps] : scoped) {
    port_datapaths += build_port_flows(sw, lsps, dirty->full);
  }
  for (const Datapath* dp : rebuilt) set_datapath_rows(*dp);
  for (const auto& [sw, lsps] : scoped) {
    if (const Datapath* dp = topo_->find_datapath(sw)) set_port_rows(*dp, old_names[sw], lsps);
  }

  for (const Uuid& u : c.address_sets) {
    auto& names = address_set_names_[u];
    for (const auto& n : names) {
      desired_->address_sets.erase(n);
      changes_.address_sets.insert(n);
    }
    names.clear();
    if (const auto* as = nb::find(nb_->address_sets, u)) {
      sb::AddressSet row = address_set(*as);
      names.push_back(row.name);
      changes_.address_sets.insert(row.name);
      desired_->address_sets[row.name] = std::move(row);
    } else {
      address_set_names_.erase(u);
    }
  }
  // Port groups whose own row or one of whose ports changed get their address sets redone.
  std::set<Uuid> pgs(c.port_groups.begin(), c.port_groups.end());
  for (const Uuid& lsp : c.logical_switch_ports) {
    if (const auto* in = topo_->port_groups_of(lsp)) {
      for (const nb::PortGroup* pg : *in) pgs.insert(pg->uuid);
    }
  }
  for (const Uuid& u : pgs) {
    if (const auto* pg = nb::find(nb_->port_groups, u)) {
      set_address_sets_of_pg(*pg);
    } else if (auto it = address_set_names_.find(u); it != address_set_names_.end()) {
      for (const auto& n : it->second) {
        desired_->address_sets.erase(n);
        changes_.address_sets.insert(n);
      }
      address_set_names_.erase(it);
    }
  }
  // DNS rows list the switches using them (by UUID: only switches that come, go or change
  // their dns_records matter); HA groups come from gateway ports and external switch ports.
  bool dns = !c.dns.empty();
  for (const Uuid& u : c.logical_switches) {
    auto cols = c.switch_columns.find(u);
    if (cols == c.switch_columns.end() || cols->second.count("dns_records")) dns = true;
  }
  bool ha = !c.gateway_chassis.empty() || !c.ha_chassis_groups.empty() ||
            !c.ha_chassis.empty() || !c.logical_router_ports.empty() ||
            !c.logical_routers.empty();
  for (const Uuid& u : c.logical_switch_ports) {
    const auto* lsp = nb::find(nb_->logical_switch_ports, u);
    if (!lsp || lsp->type == "external" || lsp->ha_chassis_group) ha = true;
  }
  refresh_globals(dns, ha);
  update_stats_.dirty_datapaths = dirty->full.size();
  update_stats_.acl_datapaths = dirty->acls_only.size();
  update_stats_.port_datapaths = port_datapaths;
  update_stats_.ms = ms_since(t0);
  return true;
}

SbChanges IncrementalCompiler::take_changes() {
  SbChanges out = std::move(changes_);
  changes_ = SbChanges{};
  if (desired_) {
    out.lflows = desired_->lflows.take_touched();
    out.lflows_rebuilt = desired_->lflows.take_rebuilt() || out.all;
  }
  return out;
}

sb::Content IncrementalCompiler::content() const {
  sb::Content out;
  const DesiredSb& d = *desired_;
  out.nb_cfg = d.nb_cfg;
  out.sb_global_options = d.sb_global_options;
  out.nb_global_options = d.nb_global_options;
  for (const auto& [u, dp] : d.datapaths) out.datapaths.push_back(dp);
  std::sort(out.datapaths.begin(), out.datapaths.end(),
            [](const auto& a, const auto& b) { return a.tunnel_key < b.tunnel_key; });
  for (const auto& [n, pb] : d.port_bindings) out.port_bindings.push_back(pb);
  for (const auto& [k, mc] : d.multicast_groups) out.multicast_groups.push_back(mc);
  out.logical_flows.reserve(d.lflows.size());
  d.lflows.for_each([&](const LflowTable::Row& r) { out.logical_flows.push_back(r.to_sb()); });
  for (const auto& [n, as] : d.address_sets) out.address_sets.push_back(as);
  for (const auto& [n, pg] : d.port_groups) out.port_groups.push_back(pg);
  out.dhcp_options = d.dhcp_options;
  out.dhcpv6_options = d.dhcpv6_options;
  for (const auto& [u, dns] : d.dns) out.dns.push_back(dns);
  for (const auto& [u, m] : d.ip_multicast) out.ip_multicast.push_back(m);
  for (const auto& [n, g] : d.ha_chassis_groups) out.ha_chassis_groups.push_back(g);
  return out;
}

}  // namespace ovnx::northd
