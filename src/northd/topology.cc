#include "northd/topology.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include <fmt/format.h>

#include "base/log.h"
#include "base/ovn_conventions.h"
#include "northd/nat.h"
#include "northd/thread_pool.h"
#include "northd/tunnel_keys.h"

OVNX_LOG_MODULE(northd_topology);

namespace ovnx::northd {
namespace {

// Datapath keys: the top 64k of the 24-bit space are reserved for global use (max_tunid).
constexpr int64_t kMaxDpKey = ovn::kMaxDatapathKey - 0xffff;
constexpr int64_t kMaxDpVxlanKey = 4095;

std::optional<int64_t> requested_key(const nb::Smap& map) {
  const std::string& v = nb::get(map, "requested-tnl-key");
  if (v.empty()) return std::nullopt;
  int64_t key = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), key);
  if (ec != std::errc() || p != v.data() + v.size() || key <= 0) return std::nullopt;
  return key;
}

// Sorted copy of a set column, as OVSDB orders string sets.
std::vector<std::string> sorted_set(const std::vector<std::string>& v) {
  std::vector<std::string> out(v);
  std::sort(out.begin(), out.end());
  return out;
}

// The NB UUIDs of a set column, sorted as OVSDB orders them.
std::vector<Uuid> sorted_uuids(const std::vector<Uuid>& v) {
  std::vector<Uuid> out(v);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool Port::enabled() const {
  if (nbsp) return !nbsp->enabled || *nbsp->enabled;
  if (nbrp) return !nbrp->enabled || *nbrp->enabled;
  return true;
}

std::string Port::json_name() const {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

GlobalConfig read_global_config(const nb::Smap& o, const ChassisFeatures& features) {
  GlobalConfig c;
  c.svc_monitor_mac = nb::get(o, "svc_monitor_mac");
  c.mac_prefix = nb::get(o, "mac_prefix");
  c.ignore_lsp_down = nb::get_bool(o, "ignore_lsp_down", true);
  c.default_acl_drop = nb::get_bool(o, "default_acl_drop", false);
  c.use_ct_inv_match = nb::get_bool(o, "use_ct_inv_match", true);
  c.features = features;
  return c;
}

const Port* Topology::find_port(const std::string& name) const {
  auto it = ports_by_name_.find(name);
  return it == ports_by_name_.end() ? nullptr : it->second;
}

const Datapath* Topology::find_datapath(const Uuid& nb_uuid) const {
  auto it = datapaths_.find(nb_uuid);
  return it == datapaths_.end() ? nullptr : it->second.get();
}

std::vector<const Port*> Topology::router_port_users(const std::string& lrp) const {
  std::vector<const Port*> out;
  auto it = router_port_users_.find(lrp);
  if (it != router_port_users_.end()) out.assign(it->second.begin(), it->second.end());
  return out;
}

const std::vector<std::pair<Uuid, uint8_t>>* Topology::readers(const Uuid& row) const {
  auto it = readers_.find(row);
  return it == readers_.end() ? nullptr : &it->second;
}

const Port* Topology::find_switch_port(const Uuid& lsp) const {
  auto it = switch_ports_by_uuid_.find(lsp);
  return it == switch_ports_by_uuid_.end() ? nullptr : it->second;
}

void Topology::set_port_read(const Uuid& u, const Uuid& lsp, bool reads) {
  auto it = datapaths_.find(u);
  if (it == datapaths_.end()) return;
  Datapath& dp = *it->second;
  auto& readers = readers_[lsp];
  auto mine = std::find_if(readers.begin(), readers.end(),
                           [&](const auto& r) { return r.first == u; });
  if (reads && mine == readers.end()) {
    readers.emplace_back(u, kReadAll);
    dp.reads.emplace_back(lsp, kReadAll);
  } else if (!reads && mine != readers.end()) {
    readers.erase(mine);
    std::erase_if(dp.reads, [&](const auto& r) { return r.first == lsp; });
  }
  if (readers.empty()) readers_.erase(lsp);
}

const std::vector<const nb::PortGroup*>* Topology::port_groups_of(const Uuid& lsp) const {
  auto it = port_groups_by_lsp_.find(lsp);
  return it == port_groups_by_lsp_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<Topology>> Topology::build(const nb::Snapshot& nb,
                                                  const ExistingKeys& keys,
                                                  const TopologyOptions& options) {
  std::unique_ptr<Topology> t(new Topology());
  t->nb_ = &nb;
  t->options_ = options;
  t->config_ = options.config;
  t->dp_keys_ = std::make_unique<KeyAllocator>(1, options.vxlan_mode ? kMaxDpVxlanKey : kMaxDpKey);
  t->rebuild_port_group_index();

  // Datapaths in a predictable order, so fresh keys follow it: switches, then enabled routers,
  // each by name. Requested keys win, then keys already in the SB, then the lowest free key.
  std::vector<std::unique_ptr<Datapath>> dps;
  for (const auto& [uuid, ls] : nb.logical_switches) {
    if (auto dp = t->make_datapath(uuid)) dps.push_back(std::move(dp));
  }
  for (const auto& [uuid, lr] : nb.logical_routers) {
    if (auto dp = t->make_datapath(uuid)) dps.push_back(std::move(dp));
  }
  std::stable_sort(dps.begin(), dps.end(), [](const auto& a, const auto& b) {
    if (a->is_switch() != b->is_switch()) return a->is_switch();
    if (a->name != b->name) return a->name < b->name;
    return a->nb_uuid < b->nb_uuid;
  });
  auto requested = [](const Datapath& dp) {
    return requested_key(dp.is_switch() ? dp.nbs->other_config : dp.nbr->options);
  };
  for (auto& dp : dps) {
    if (auto k = requested(*dp)) {
      if (t->dp_keys_->claim(*k)) {
        dp->tunnel_key = *k;
      } else {
        LOG_WARN("datapath {}: requested tunnel key {} is out of range or in use", dp->name, *k);
      }
    }
  }
  for (auto& dp : dps) {
    if (dp->tunnel_key) continue;
    auto it = keys.datapaths.find(dp->nb_uuid);
    if (it != keys.datapaths.end() && t->dp_keys_->claim(it->second)) dp->tunnel_key = it->second;
  }
  for (auto& dp : dps) {
    if (dp->tunnel_key) continue;
    auto k = t->dp_keys_->allocate();
    if (!k) return make_error("resource exhausted", "no free datapath tunnel key");
    dp->tunnel_key = *k;
  }
  for (auto& dp : dps) {
    Uuid u = dp->nb_uuid;
    t->datapaths_[u] = std::move(dp);
  }
  t->sort_datapaths();
  // Ports in parallel, before any is registered; a port whose name an earlier datapath holds
  // is ignored, so a datapath sharing a name with an earlier one (rare) is redone in order.
  std::vector<Status> made(t->order_.size(), ok_status());
  parallel_for(t->order_.size(), options.threads, [&](size_t i) {
    made[i] = t->make_ports(*t->order_[i], nullptr, &keys);
  });
  for (size_t i = 0; i < t->order_.size(); ++i) {
    Datapath& dp = *t->order_[i];
    bool shares_a_name = false;
    for (const auto& p : dp.owned_ports) {
      if (t->ports_by_name_.count(p->name)) shares_a_name = true;
    }
    if (shares_a_name) {
      dp.ports.clear();
      dp.cr_ports.clear();
      dp.l3dgw_ports.clear();
      dp.owned_ports.clear();
      made[i] = t->make_ports(dp, nullptr, &keys);
    }
    OVNX_RETURN_IF_ERROR(made[i]);
    t->register_ports(dp);
  }
  for (Datapath* dp : t->order_) t->link_peers(*dp);
  // With peers linked, a datapath's addresses, facts and reads depend only on its own ports and
  // on ports and rows these steps do not write: datapaths in parallel.
  parallel_for(t->order_.size(), options.threads, [&t](size_t i) {
    Datapath& dp = *t->order_[i];
    t->resolve_addresses(dp);
    t->derive_facts(dp);
    t->collect_reads(dp);
  });
  for (Datapath* dp : t->order_) t->register_reads(*dp);
  return t;
}

Status Topology::update(const std::set<Uuid>& dirty, bool port_groups_changed) {
  if (port_groups_changed) rebuild_port_group_index();
  // Take the old objects out; peers in clean datapaths forget them.
  std::unordered_map<Uuid, std::unique_ptr<Datapath>> old;
  for (const Uuid& u : dirty) {
    auto it = datapaths_.find(u);
    if (it == datapaths_.end()) continue;
    Datapath& dp = *it->second;
    forget_reads(dp);
    unregister_ports(dp);
    for (auto& p : dp.owned_ports) {
      if (p->peer && !dirty.count(p->peer->od->nb_uuid) && p->peer->peer == p.get()) {
        p->peer->peer = nullptr;
      }
    }
    old[u] = std::move(it->second);
    datapaths_.erase(it);
  }
  std::vector<Datapath*> rebuilt;
  // Datapaths that keep their names keep their places in order_; others re-sort it.
  bool reorder = false;
  for (const Uuid& u : dirty) {
    auto prev = old.find(u);
    const Datapath* o = prev == old.end() ? nullptr : prev->second.get();
    auto dp = make_datapath(u);
    if (!dp) {
      if (o) dp_keys_->release(o->tunnel_key);
      reorder |= o != nullptr;
      continue;
    }
    if (o && o->name == dp->name) {
      dp->index = o->index;
    } else {
      reorder = true;
    }
    auto wanted = requested_key(dp->is_switch() ? dp->nbs->other_config : dp->nbr->options);
    if (o && (!wanted || *wanted == o->tunnel_key)) {
      dp->tunnel_key = o->tunnel_key;
    } else {
      if (o) dp_keys_->release(o->tunnel_key);
      if (wanted && dp_keys_->claim(*wanted)) {
        dp->tunnel_key = *wanted;
      } else {
        auto k = dp_keys_->allocate();
        if (!k) return make_error("resource exhausted", "no free datapath tunnel key");
        dp->tunnel_key = *k;
      }
    }
    OVNX_RETURN_IF_ERROR(make_ports(*dp, o, nullptr));
    register_ports(*dp);
    rebuilt.push_back(dp.get());
    datapaths_[u] = std::move(dp);
  }
  for (Datapath* dp : rebuilt) link_peers(*dp);
  for (Datapath* dp : rebuilt) resolve_addresses(*dp);
  for (Datapath* dp : rebuilt) derive_facts(*dp);
  for (Datapath* dp : rebuilt) note_reads(*dp);
  if (reorder) {
    sort_datapaths();
  } else {
    for (Datapath* dp : rebuilt) order_[dp->index] = dp;
  }
  return ok_status();
}

Status Topology::update_switch_ports(const Uuid& sw, const std::vector<Uuid>& lsps) {
  auto dit = datapaths_.find(sw);
  if (dit == datapaths_.end() || !dit->second->is_switch()) {
    return make_error("internal", "update_switch_ports: not a switch");
  }
  Datapath& dp = *dit->second;
  auto changed = [&](const Uuid& u) { return std::find(lsps.begin(), lsps.end(), u) != lsps.end(); };
  forget_reads(dp);
  // Take the changed ports out, remembering their keys by name (as a rebuild would).
  std::unordered_map<std::string, int64_t> prev_keys;
  for (auto it = dp.owned_ports.begin(); it != dp.owned_ports.end();) {
    Port* p = it->get();
    if (!changed(p->nb_uuid)) {
      ++it;
      continue;
    }
    prev_keys[p->name] = p->tunnel_key;
    if (auto n = ports_by_name_.find(p->name); n != ports_by_name_.end() && n->second == p) {
      ports_by_name_.erase(n);
    }
    if (auto u = switch_ports_by_uuid_.find(p->nb_uuid);
        u != switch_ports_by_uuid_.end() && u->second == p) {
      switch_ports_by_uuid_.erase(u);
    }
    it = dp.owned_ports.erase(it);
  }
  KeyAllocator alloc(ovn::kMinPortKey, ovn::kMaxPortKey);
  for (const auto& p : dp.owned_ports) alloc.claim(p->tunnel_key);
  for (const Uuid& u : lsps) {
    const auto* lsp = nb::find(nb_->logical_switch_ports, u);
    if (!lsp || std::find(dp.nbs->ports.begin(), dp.nbs->ports.end(), u) == dp.nbs->ports.end()) {
      continue;
    }
    if (ports_by_name_.count(lsp->name)) {
      LOG_WARN("duplicate logical port {}: ignoring the one on {}", lsp->name, dp.name);
      continue;
    }
    auto p = std::make_unique<Port>();
    p->name = lsp->name;
    p->nb_uuid = u;
    p->nbsp = lsp;
    p->od = &dp;
    auto prev = prev_keys.find(p->name);
    if (prev != prev_keys.end() && alloc.claim(prev->second)) {
      p->tunnel_key = prev->second;
    } else {
      auto k = alloc.allocate();
      if (!k) return make_error("resource exhausted", "no free port tunnel key on " + dp.name);
      p->tunnel_key = *k;
    }
    resolve_switch_port(*p);
    ports_by_name_[p->name] = p.get();
    switch_ports_by_uuid_[u] = p.get();
    dp.owned_ports.push_back(std::move(p));
  }
  // Ports in NB order (sorted UUIDs), as make_ports lists them.
  std::sort(dp.owned_ports.begin(), dp.owned_ports.end(),
            [](const auto& a, const auto& b) { return a->nb_uuid < b->nb_uuid; });
  dp.ports.clear();
  for (const auto& p : dp.owned_ports) dp.ports.push_back(p.get());
  note_reads(dp);
  return ok_status();
}

std::unique_ptr<Datapath> Topology::make_datapath(const Uuid& uuid) {
  auto dp = std::make_unique<Datapath>();
  dp->nb_uuid = uuid;
  if (const auto* ls = nb::find(nb_->logical_switches, uuid)) {
    dp->name = ls->name;
    dp->nbs = ls;
    return dp;
  }
  if (const auto* lr = nb::find(nb_->logical_routers, uuid)) {
    // Disabled routers have no datapath at all.
    if (lr->enabled && !*lr->enabled) return nullptr;
    dp->name = lr->name;
    dp->nbr = lr;
    dp->is_gw_router = !nb::get(lr->options, "chassis").empty();
    return dp;
  }
  return nullptr;
}

Status Topology::make_ports(Datapath& dp, const Datapath* old, const ExistingKeys* keys) {
  // Ports whose name another datapath holds already are ignored, as ovn-northd does.
  auto taken = [&](const std::string& name) {
    auto it = ports_by_name_.find(name);
    return it != ports_by_name_.end() && it->second->od != &dp;
  };
  std::vector<std::string> seen;
  auto add = [&](std::unique_ptr<Port> p) -> Port* {
    if (taken(p->name) || std::find(seen.begin(), seen.end(), p->name) != seen.end()) {
      LOG_WARN("duplicate logical port {}: ignoring the one on {}", p->name, dp.name);
      return nullptr;
    }
    seen.push_back(p->name);
    p->od = &dp;
    Port* raw = p.get();
    dp.owned_ports.push_back(std::move(p));
    return raw;
  };
  if (dp.is_switch()) {
    for (const Uuid& pu : sorted_uuids(dp.nbs->ports)) {
      const auto* lsp = nb::find(nb_->logical_switch_ports, pu);
      if (!lsp) continue;
      auto p = std::make_unique<Port>();
      p->name = lsp->name;
      p->nb_uuid = lsp->uuid;
      p->nbsp = lsp;
      if (Port* raw = add(std::move(p))) dp.ports.push_back(raw);
    }
  } else {
    for (const Uuid& pu : sorted_uuids(dp.nbr->ports)) {
      const auto* lrp = nb::find(nb_->logical_router_ports, pu);
      if (!lrp) continue;
      auto nets = parse_lrp_networks(lrp->mac, lrp->networks);
      if (!nets) {
        LOG_WARN("router port {}: bad mac {}", lrp->name, lrp->mac);
        continue;
      }
      auto p = std::make_unique<Port>();
      p->name = lrp->name;
      p->nb_uuid = lrp->uuid;
      p->nbrp = lrp;
      p->lrp_networks = std::move(*nets);
      if (Port* raw = add(std::move(p))) dp.ports.push_back(raw);
    }
    // Distributed gateway ports (gateway_chassis or ha_chassis_group on a router that is not
    // a gateway router) get a derived chassisredirect port.
    if (!dp.is_gw_router) {
      for (Port* lrp : std::vector<Port*>(dp.ports)) {
        const auto* nbrp = lrp->nbrp;
        if (nbrp->gateway_chassis.empty() && !nbrp->ha_chassis_group) continue;
        dp.l3dgw_ports.push_back(lrp);
        auto cr = std::make_unique<Port>();
        cr->name = "cr-" + lrp->name;
        cr->nb_uuid = nbrp->uuid;
        cr->nbrp = nbrp;
        cr->is_cr_port = true;
        cr->lrp_networks = lrp->lrp_networks;
        cr->l3dgw_port = lrp;
        if (Port* raw = add(std::move(cr))) {
          lrp->cr_port = raw;
          dp.cr_ports.push_back(raw);
        }
      }
    }
  }

  // Port keys: requested, then the port's previous key here (or in the SB), then lowest free.
  KeyAllocator alloc(ovn::kMinPortKey, ovn::kMaxPortKey);
  for (auto& p : dp.owned_ports) {
    if (p->is_cr_port) continue;
    const nb::Smap& opts = p->nbsp ? p->nbsp->options : p->nbrp->options;
    if (auto k = requested_key(opts)) {
      if (alloc.claim(*k)) {
        p->tunnel_key = *k;
      } else {
        LOG_WARN("port {}: requested tunnel key {} is out of range or in use", p->name, *k);
      }
    }
  }
  for (auto& p : dp.owned_ports) {
    if (p->tunnel_key) continue;
    int64_t prev = 0;
    if (old) {
      for (const auto& op : old->owned_ports) {
        if (op->name == p->name) prev = op->tunnel_key;
      }
    } else if (keys) {
      auto it = keys->ports.find(p->name);
      if (it != keys->ports.end() && it->second.first == dp.nb_uuid) prev = it->second.second;
    }
    if (prev && alloc.claim(prev)) p->tunnel_key = prev;
  }
  for (auto& p : dp.owned_ports) {
    if (p->tunnel_key) continue;
    auto k = alloc.allocate();
    if (!k) return make_error("resource exhausted", "no free port tunnel key on " + dp.name);
    p->tunnel_key = *k;
  }
  return ok_status();
}

void Topology::register_ports(Datapath& dp) {
  for (auto& p : dp.owned_ports) {
    ports_by_name_[p->name] = p.get();
    if (p->is_switch_port()) switch_ports_by_uuid_[p->nb_uuid] = p.get();
    if (p->lsp_is_router()) router_port_users_[nb::get(p->nbsp->options, "router-port")].push_back(p.get());
  }
}

void Topology::unregister_ports(Datapath& dp) {
  // Not through p->nbsp: the daemon may have changed or erased the NB row already, so the
  // router-port users are found by pointer.
  std::unordered_set<const Port*> mine;
  for (auto& p : dp.owned_ports) {
    auto it = ports_by_name_.find(p->name);
    if (it != ports_by_name_.end() && it->second == p.get()) ports_by_name_.erase(it);
    if (auto u = switch_ports_by_uuid_.find(p->nb_uuid);
        u != switch_ports_by_uuid_.end() && u->second == p.get()) {
      switch_ports_by_uuid_.erase(u);
    }
    // Router-port users are router-type ports, resolved as patch or l3gateway: VIFs skip the
    // scan of every user below.
    if (p->is_switch_port() && !p->sb_type.empty()) mine.insert(p.get());
  }
  if (mine.empty()) return;
  for (auto u = router_port_users_.begin(); u != router_port_users_.end();) {
    std::erase_if(u->second, [&](const Port* p) { return mine.count(p) > 0; });
    u = u->second.empty() ? router_port_users_.erase(u) : std::next(u);
  }
}

void Topology::link_peers(Datapath& dp) {
  for (Port* p : dp.ports) {
    if (p->lsp_is_router()) {
      const std::string& rp = nb::get(p->nbsp->options, "router-port");
      auto it = ports_by_name_.find(rp);
      if (it != ports_by_name_.end() && it->second->is_router_port() && !it->second->is_cr_port) {
        p->peer = it->second;
        it->second->peer = p;
      }
    } else if (p->is_router_port()) {
      if (p->nbrp->peer) {
        auto it = ports_by_name_.find(*p->nbrp->peer);
        if (it != ports_by_name_.end() && it->second->is_router_port() && !it->second->is_cr_port) {
          p->peer = it->second;
          // The other side names us back (or not, if misconfigured: then only we point).
          if (it->second->nbrp->peer && *it->second->nbrp->peer == p->name) it->second->peer = p;
        }
      } else {
        // A switch port of type router naming us.
        auto users = router_port_users_.find(p->name);
        if (users == router_port_users_.end()) continue;
        for (Port* u : users->second) {
          p->peer = u;
          u->peer = p;
          u->lrp_networks = p->lrp_networks;
        }
      }
    }
  }
}

void Topology::resolve_addresses(Datapath& dp) {
  for (auto& pp : dp.owned_ports) {
    Port& p = *pp;
    if (p.is_switch_port()) {
      resolve_switch_port(p);
    } else if (p.is_cr_port) {
      p.sb_type = "chassisredirect";
    } else {
      p.sb_type = p.od->is_gw_router ? "l3gateway" : "patch";
    }
  }
}

void Topology::resolve_switch_port(Port& p) {
  const auto& lsp = *p.nbsp;
  p.lsp_addrs.clear();
  p.ps_addrs.clear();
  p.has_unknown = false;
  if (p.peer) p.lrp_networks = p.peer->lrp_networks;
  for (const std::string& a : sorted_set(lsp.addresses)) {
    if (a == "unknown") {
      p.has_unknown = true;
    } else if (a == "router") {
      if (p.peer) p.lsp_addrs.push_back(p.peer->lrp_networks);
    } else if (a.find("dynamic") != std::string::npos) {
      if (lsp.dynamic_addresses) {
        if (auto la = parse_lsp_addresses(*lsp.dynamic_addresses)) {
          p.lsp_addrs.push_back(std::move(*la));
        }
      }
    } else if (auto la = parse_lsp_addresses(a)) {
      p.lsp_addrs.push_back(std::move(*la));
    } else {
      LOG_WARN("port {}: invalid address \"{}\"", p.name, a);
    }
  }
  for (const std::string& a : sorted_set(lsp.port_security)) {
    if (auto la = parse_lsp_addresses(a)) {
      p.ps_addrs.push_back(std::move(*la));
    } else {
      LOG_WARN("port {}: invalid port security \"{}\"", p.name, a);
    }
  }
  if (lsp.type == "router") {
    p.sb_type = (p.peer && p.peer->od->is_gw_router) ? "l3gateway" : "patch";
  } else {
    p.sb_type = lsp.type;
  }
}

void Topology::rebuild_port_group_index() {
  port_groups_by_lsp_.clear();
  for (const auto& [uuid, pg] : nb_->port_groups) {
    for (const Uuid& pu : pg.ports) port_groups_by_lsp_[pu].push_back(&pg);
  }
}

void Topology::derive_facts(Datapath& dp) {
  if (dp.is_switch()) {
    for (Port* p : dp.ports) {
      if (p->has_unknown) dp.has_unknown = true;
      const std::string& type = p->nbsp->type;
      if (type == "router" && p->peer) dp.router_ports.push_back(p);
      if (type == "localnet") dp.localnet_ports.push_back(p);
      if (type == "vtep") {
        dp.vtep_ports.push_back(p);
        dp.has_vtep_lports = true;
      }
      // Port groups with ports here: membership by the LSP row.
      if (const auto* idx = port_groups_of(p->nb_uuid)) {
        for (const nb::PortGroup* pg : *idx) {
          dp.port_groups[pg->name].push_back(p);
          dp.port_group_rows.push_back(pg);
        }
      }
    }
    dp.only_router_ports = dp.router_ports.size() == dp.nbs->ports.size();
    for (auto& [name, members] : dp.port_groups) {
      std::sort(members.begin(), members.end(),
                [](const Port* a, const Port* b) { return a->name < b->name; });
    }
    auto& pgs = dp.port_group_rows;
    std::sort(pgs.begin(), pgs.end(), [](const auto* a, const auto* b) { return a->uuid < b->uuid; });
    pgs.erase(std::unique(pgs.begin(), pgs.end()), pgs.end());
    collect_acls(dp);
    for (const Uuid& du : dp.nbs->dns_records) {
      const auto* dns = nb::find(nb_->dns, du);
      if (dns && !dns->records.empty()) dp.has_dns_records = true;
    }
  } else {
    init_nat_entries(dp, *nb_);
    for (const Uuid& ru : dp.nbr->static_routes) {
      if (const auto* r = nb::find(nb_->static_routes, ru)) dp.static_routes.push_back(r);
    }
    for (const Uuid& pu : dp.nbr->policies) {
      if (const auto* r = nb::find(nb_->policies, pu)) dp.policies.push_back(r);
    }
  }
}

void Topology::note_reads(Datapath& dp) {
  collect_reads(dp);
  register_reads(dp);
}

void Topology::collect_reads(Datapath& dp) {
  std::unordered_map<Uuid, uint8_t> reads;
  auto read = [&](const Uuid& u, uint8_t mask) { reads[u] |= mask; };
  auto read_lrp = [&](const nb::LogicalRouterPort& lrp) {
    read(lrp.uuid, kReadAll);
    for (const Uuid& g : lrp.gateway_chassis) read(g, kReadAll);
    if (lrp.ha_chassis_group) {
      read(*lrp.ha_chassis_group, kReadAll);
      if (const auto* g = nb::find(nb_->ha_chassis_groups, *lrp.ha_chassis_group)) {
        for (const Uuid& h : g->ha_chassis) read(h, kReadAll);
      }
    }
  };
  // What a switch reads of a router it is attached to: its ports (gateway ports, networks),
  // its NAT rules and options -- not its routes.
  auto read_router_for_switch = [&](const Datapath& r) {
    read(r.nb_uuid, kReadLrOther);
    for (const Port* p : r.ports) read_lrp(*p->nbrp);
    for (const Uuid& n : r.nbr->nat) read(n, kReadAll);
  };
  if (dp.is_switch()) {
    read(dp.nb_uuid, kReadLsPorts | kReadLsOther);
    for (const Uuid& d : dp.nbs->dns_records) read(d, kReadAll);
    for (const Port* p : dp.ports) {
      const auto& lsp = *p->nbsp;
      read(lsp.uuid, kReadAll);
      if (lsp.dhcpv4_options) read(*lsp.dhcpv4_options, kReadAll);
      if (lsp.dhcpv6_options) read(*lsp.dhcpv6_options, kReadAll);
      if (lsp.ha_chassis_group) {
        read(*lsp.ha_chassis_group, kReadAll);
        if (const auto* g = nb::find(nb_->ha_chassis_groups, *lsp.ha_chassis_group)) {
          for (const Uuid& h : g->ha_chassis) read(h, kReadAll);
        }
      }
      if (const auto* pgs = port_groups_of(lsp.uuid)) {
        for (const nb::PortGroup* pg : *pgs) read(pg->uuid, kReadAll);
      }
      if (p->peer && p->peer->is_router_port()) read_router_for_switch(*p->peer->od);
    }
  } else {
    read(dp.nb_uuid, kReadLrRouting | kReadLrOther);
    for (const Uuid& r : dp.nbr->static_routes) read(r, kReadAll);
    for (const Uuid& r : dp.nbr->policies) read(r, kReadAll);
    for (const Uuid& n : dp.nbr->nat) read(n, kReadAll);
    for (const Port* p : dp.ports) {
      read_lrp(*p->nbrp);
      if (!p->peer) continue;
      if (p->peer->is_router_port()) {
        read(p->peer->nbrp->uuid, kReadAll);
        continue;
      }
      // Static bindings for everything on the attached switch.
      const Datapath& sw = *p->peer->od;
      read(sw.nb_uuid, kReadLsPorts);
      for (const Port* sp : sw.ports) {
        read(sp->nb_uuid, kReadAll);
        if (sp->peer && sp->peer != p && sp->peer->is_router_port()) {
          read(sp->peer->nbrp->uuid, kReadAll);
        }
      }
    }
  }
  dp.reads.assign(reads.begin(), reads.end());
}

void Topology::register_reads(const Datapath& dp) {
  for (const auto& [u, mask] : dp.reads) readers_[u].emplace_back(dp.nb_uuid, mask);
}

void Topology::forget_reads(const Datapath& dp) {
  for (const auto& [u, mask] : dp.reads) {
    auto it = readers_.find(u);
    if (it == readers_.end()) continue;
    std::erase_if(it->second, [&](const auto& r) { return r.first == dp.nb_uuid; });
    if (it->second.empty()) readers_.erase(it);
  }
}

void Topology::collect_acls(Datapath& dp) {
  // The switch's own ACLs, then those of port groups with ports here (by group UUID).
  dp.acls.clear();
  dp.acl_uuids.clear();
  dp.has_acls = false;
  dp.has_stateful_acl = false;
  for (const Uuid& au : dp.nbs->acls) {
    if (const auto* acl = nb::find(nb_->acls, au)) dp.acls.push_back(acl);
  }
  for (const nb::PortGroup* pg : dp.port_group_rows) {
    for (const Uuid& au : pg->acls) {
      if (const auto* acl = nb::find(nb_->acls, au)) dp.acls.push_back(acl);
    }
  }
  dp.has_acls = !dp.acls.empty();
  for (const nb::Acl* acl : dp.acls) {
    dp.acl_uuids.push_back(acl->uuid);
    if (acl->action == "allow-related") dp.has_stateful_acl = true;
  }
}

Topology::AclRefresh Topology::refresh_acls(const Uuid& u) {
  AclRefresh r;
  auto it = datapaths_.find(u);
  if (it == datapaths_.end() || !it->second->is_switch()) return r;
  Datapath& dp = *it->second;
  r.old_acls = dp.acl_uuids;
  bool had_acls = dp.has_acls, had_stateful = dp.has_stateful_acl;
  collect_acls(dp);
  r.flags_changed = had_acls != dp.has_acls || had_stateful != dp.has_stateful_acl;
  return r;
}

void Topology::sort_datapaths() {
  order_.clear();
  for (auto& [u, dp] : datapaths_) order_.push_back(dp.get());
  std::sort(order_.begin(), order_.end(), [](const Datapath* a, const Datapath* b) {
    if (a->is_switch() != b->is_switch()) return a->is_switch();
    if (a->name != b->name) return a->name < b->name;
    return a->nb_uuid < b->nb_uuid;
  });
  for (size_t i = 0; i < order_.size(); ++i) order_[i]->index = i;
}

}  // namespace ovnx::northd
