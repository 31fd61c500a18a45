// Port-scoped updates: adding, deleting or changing a plain VIF redoes only that port's flow
// groups (each switch port's flows are a group of its switch, and of the routers behind it for
// their static ARP bindings) plus its switch's own datapath-wide flows, instead of the whole
// switch and every router behind it.
#include <algorithm>

#include "northd/incremental.h"
#include "northd/pipelines.h"
#include "northd/sb_tables.h"

namespace ovnx::northd {
namespace {

bool lists(const nb::LogicalSwitch& ls, const Uuid& lsp) {
  return std::find(ls.ports.begin(), ls.ports.end(), lsp) != ls.ports.end();
}

// A port that changes no datapath-wide fact by coming or going: a VIF with static addresses
// (no "unknown", which makes the switch flood unknown MACs; no dynamic addresses) that takes
// the lowest free tunnel key.
bool plain_vif(const nb::LogicalSwitchPort& lsp) {
  if (!lsp.type.empty() || !nb::get(lsp.options, "requested-tnl-key").empty()) return false;
  for (const std::string& a : lsp.addresses) {
    if (a == "unknown" || a.find("dynamic") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

std::map<Uuid, std::vector<Uuid>> IncrementalCompiler::port_scoped(const NbChanges& c,
                                                                   NbChanges* rest) const {
  std::map<Uuid, std::vector<Uuid>> out;
  // Port group membership feeds ACLs and SB Port_Group rows: not scoped.
  if (c.logical_switch_ports.empty() || !c.port_groups.empty()) return out;
  const nb::Snapshot& nb = *nb_;
  std::set<Uuid> refused;  // switches with a port change that is not scoped
  for (const Uuid& u : c.logical_switch_ports) {
    const Port* old = topo_->find_switch_port(u);
    const auto* lsp = nb::find(nb.logical_switch_ports, u);
    // The switch that held it and the one that holds it now must be the same, still there.
    Uuid sw;
    if (old) {
      sw = old->od->nb_uuid;
    } else if (lsp) {
      int holders = 0;
      for (const Uuid& lu : c.logical_switches) {
        const auto* ls = nb::find(nb.logical_switches, lu);
        if (ls && lists(*ls, u)) {
          sw = lu;
          ++holders;
        }
      }
      if (holders != 1) {
        if (holders > 1) return {};
        continue;  // in no switch: nothing reads it; the general path handles it
      }
    } else {
      continue;  // never resolved, now gone
    }
    const Datapath* od = topo_->find_datapath(sw);
    const auto* ls = nb::find(nb.logical_switches, sw);
    bool ok = od && ls && od->nbs == ls;
    // Virtual ports' flows name their parents, which may be this port.
    if (ok) {
      for (const Port* p : od->ports) {
        if (p->sb_type == "virtual") ok = false;
      }
    }
    if (ok && old) ok = old->sb_type.empty() && !old->has_unknown;
    if (ok && old && !lsp) ok = !lists(*ls, u);
    if (ok && lsp) {
      const Port* named = topo_->find_port(lsp->name);
      ok = lists(*ls, u) && plain_vif(*lsp) && (!named || named == old);
    }
    if (ok) {
      const auto* pgs = topo_->port_groups_of(u);
      ok = !pgs || pgs->empty();
    }
    // Whether every port is a router port decides the ARP-request forwarding of router ports.
    if (ok) ok = od->only_router_ports == (od->router_ports.size() == ls->ports.size());
    if (ok && c.logical_switches.count(sw)) {
      auto cols = c.switch_columns.find(sw);
      ok = cols != c.switch_columns.end() && cols->second.size() == 1 &&
           cols->second.count("ports");
    }
    if (!ok) {
      refused.insert(sw);
      continue;
    }
    out[sw].push_back(u);
  }
  for (const Uuid& sw : refused) out.erase(sw);
  if (out.empty()) return out;
  *rest = c;
  for (const auto& [sw, lsps] : out) {
    rest->logical_switches.erase(sw);
    rest->switch_columns.erase(sw);
    for (const Uuid& u : lsps) {
      rest->logical_switch_ports.erase(u);
      rest->switch_port_columns.erase(u);
    }
  }
  // The switch's ports must be its old ones plus and minus exactly these (an existing row
  // newly listed, with no change of its own, would be missed).
  for (const auto& [sw, lsps] : out) {
    const Datapath* od = topo_->find_datapath(sw);
    auto changed = [&](const Uuid& u) {
      return std::find(lsps.begin(), lsps.end(), u) != lsps.end();
    };
    for (const Uuid& u : od->nbs->ports) {
      if (changed(u) || !nb::find(nb.logical_switch_ports, u)) continue;
      const Port* p = topo_->find_switch_port(u);
      if (!p || p->od != od) return {};
    }
    for (const Port* p : od->ports) {
      if (!changed(p->nb_uuid) && !lists(*od->nbs, p->nb_uuid)) return {};
    }
  }
  return out;
}

size_t IncrementalCompiler::build_port_flows(const Uuid& sw, const std::vector<Uuid>& lsps,
                                             const std::set<Uuid>& full) {
  const Datapath* od = topo_->find_datapath(sw);
  if (!od) return 0;
  auto build = [&](const Datapath& dp, std::vector<Uuid> groups) {
    FlowSink sink;
    sink.keep_only(groups);
    sink.flows().reserve(256);  // a switch's own flows: no regrowth of the vector
    BuildCtx ctx{*topo_, dp, sink};
    if (dp.is_switch()) {
      build_switch_flows(ctx);
    } else {
      build_router_flows(ctx);
    }
    desired_->lflows.set_group_flows(dp.nb_uuid, groups, std::move(sink.flows()));
  };
  std::vector<Uuid> groups = lsps;
  groups.push_back(Uuid{});  // the switch's own flows (flood, multicast, defaults)
  build(*od, groups);
  size_t n = 1;
  std::set<Uuid> routers;
  for (const Port* p : od->router_ports) {
    if (p->peer && p->peer->is_router_port()) routers.insert(p->peer->od->nb_uuid);
  }
  for (const Uuid& r : routers) {
    if (full.count(r)) continue;
    if (const Datapath* rd = topo_->find_datapath(r)) {
      for (const Uuid& u : lsps) {
        const Port* p = topo_->find_switch_port(u);
        topo_->set_port_read(r, u, p && p->od == od);
      }
      build(*rd, lsps);
      ++n;
    }
  }
  return n;
}

void IncrementalCompiler::set_port_rows(const Datapath& dp,
                                        const std::vector<std::string>& old_names,
                                        const std::vector<Uuid>& lsps) {
  DpRows& rows = dp_rows_[dp.nb_uuid];
  for (const std::string& n : old_names) {
    desired_->port_bindings.erase(n);
    changes_.port_bindings.insert(n);
    std::erase(rows.port_bindings, n);
  }
  for (const Uuid& u : lsps) {
    const Port* p = topo_->find_switch_port(u);
    if (!p || p->od != &dp) continue;
    rows.port_bindings.push_back(p->name);
    changes_.port_bindings.insert(p->name);
    desired_->port_bindings[p->name] = port_binding(*topo_, *p, sb_.chassis);
  }
  for (const std::string& n : rows.multicast_groups) {
    desired_->multicast_groups.erase({dp.nb_uuid, n});
    changes_.multicast_groups.insert({dp.nb_uuid, n});
  }
  rows.multicast_groups.clear();
  for (auto& mc : multicast_groups(dp)) {
    rows.multicast_groups.push_back(mc.name);
    changes_.multicast_groups.insert({dp.nb_uuid, mc.name});
    std::string name = mc.name;
    desired_->multicast_groups[{dp.nb_uuid, std::move(name)}] = std::move(mc);
  }
}

}  // namespace ovnx::northd
