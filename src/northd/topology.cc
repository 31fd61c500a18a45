#include "northd/topology.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "base/log.h"
#include "base/ovn_conventions.h"
#include "northd/nat.h"
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

const Port* Topology::find_port(const std::string& name) const {
  auto it = ports_by_name_.find(name);
  return it == ports_by_name_.end() ? nullptr : it->second;
}

const Datapath* Topology::find_datapath(const Uuid& nb_uuid) const {
  auto it = datapaths_by_uuid_.find(nb_uuid);
  return it == datapaths_by_uuid_.end() ? nullptr : it->second;
}

Result<std::unique_ptr<Topology>> Topology::build(const nb::Snapshot& nb,
                                                  const ExistingKeys& keys,
                                                  const TopologyOptions& options) {
  std::unique_ptr<Topology> t(new Topology());
  t->nb_ = &nb;
  t->config_ = options.config;
  OVNX_RETURN_IF_ERROR(t->join_datapaths(keys, options));
  OVNX_RETURN_IF_ERROR(t->join_ports(keys));
  t->resolve_peers();
  t->derive_datapath_facts();
  return t;
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

Status Topology::join_datapaths(const ExistingKeys& keys, const TopologyOptions& options) {
  // Switches first, then enabled routers; within each, by name (then UUID) so fresh keys follow
  // an order a user can predict.
  for (const auto& [uuid, ls] : nb_->logical_switches) {
    auto dp = std::make_unique<Datapath>();
    dp->nb_uuid = uuid;
    dp->name = ls.name;
    dp->nbs = &ls;
    datapaths_.push_back(std::move(dp));
  }
  for (const auto& [uuid, lr] : nb_->logical_routers) {
    if (lr.enabled && !*lr.enabled) continue;
    auto dp = std::make_unique<Datapath>();
    dp->nb_uuid = uuid;
    dp->name = lr.name;
    dp->nbr = &lr;
    datapaths_.push_back(std::move(dp));
  }
  std::stable_sort(datapaths_.begin(), datapaths_.end(), [](const auto& a, const auto& b) {
    if (a->is_switch() != b->is_switch()) return a->is_switch();
    if (a->name != b->name) return a->name < b->name;
    return a->nb_uuid < b->nb_uuid;
  });

  KeyAllocator alloc(1, options.vxlan_mode ? kMaxDpVxlanKey : kMaxDpKey);
  auto requested = [](const Datapath& dp) {
    return requested_key(dp.is_switch() ? dp.nbs->other_config : dp.nbr->options);
  };
  // Requested keys win, then keys already in the SB, then the lowest free key.
  for (auto& dp : datapaths_) {
    if (auto k = requested(*dp)) {
      if (alloc.claim(*k)) {
        dp->tunnel_key = *k;
      } else {
        LOG_WARN("datapath {}: requested tunnel key {} is out of range or in use", dp->name, *k);
      }
    }
  }
  for (auto& dp : datapaths_) {
    if (dp->tunnel_key) continue;
    auto it = keys.datapaths.find(dp->nb_uuid);
    if (it != keys.datapaths.end() && alloc.claim(it->second)) dp->tunnel_key = it->second;
  }
  for (auto& dp : datapaths_) {
    if (dp->tunnel_key) continue;
    auto k = alloc.allocate();
    if (!k) return make_error("resource exhausted", "no free datapath tunnel key");
    dp->tunnel_key = *k;
  }
  for (size_t i = 0; i < datapaths_.size(); ++i) {
    datapaths_[i]->index = i;
    datapaths_by_uuid_[datapaths_[i]->nb_uuid] = datapaths_[i].get();
  }
  return ok_status();
}

Status Topology::join_ports(const ExistingKeys& keys) {
  for (auto& dpp : datapaths_) {
    Datapath& dp = *dpp;
    std::vector<Port*> created;
    auto add_port = [&](std::unique_ptr<Port> port) -> Port* {
      if (ports_by_name_.count(port->name)) {
        LOG_WARN("duplicate logical port {}: ignoring the one on {}", port->name, dp.name);
        return nullptr;
      }
      port->od = &dp;
      Port* raw = port.get();
      ports_by_name_[raw->name] = raw;
      ports_.push_back(std::move(port));
      created.push_back(raw);
      return raw;
    };
    if (dp.is_switch()) {
      for (const Uuid& pu : dp.nbs->ports) {
        const auto* lsp = nb::find(nb_->logical_switch_ports, pu);
        if (!lsp) continue;
        auto p = std::make_unique<Port>();
        p->name = lsp->name;
        p->nb_uuid = lsp->uuid;
        p->nbsp = lsp;
        if (Port* raw = add_port(std::move(p))) dp.ports.push_back(raw);
      }
    } else {
      for (const Uuid& pu : dp.nbr->ports) {
        const auto* lrp = nb::find(nb_->logical_router_ports, pu);
        if (!lrp) continue;
        auto p = std::make_unique<Port>();
        p->name = lrp->name;
        p->nb_uuid = lrp->uuid;
        p->nbrp = lrp;
        auto nets = parse_lrp_networks(lrp->mac, lrp->networks);
        if (!nets) {
          LOG_WARN("router port {}: bad mac {}", lrp->name, lrp->mac);
          continue;
        }
        p->lrp_networks = std::move(*nets);
        if (Port* raw = add_port(std::move(p))) dp.ports.push_back(raw);
      }
      // Distributed gateway ports (gateway_chassis or ha_chassis_group on a router that is not
      // a gateway router) get a derived chassisredirect port.
      dp.is_gw_router = !nb::get(dp.nbr->options, "chassis").empty();
      std::vector<Port*> lrps(dp.ports);
      for (Port* lrp : lrps) {
        const auto* nbrp = lrp->nbrp;
        if (dp.is_gw_router) continue;
        if (nbrp->gateway_chassis.empty() && !nbrp->ha_chassis_group) continue;
        dp.l3dgw_ports.push_back(lrp);
        auto cr = std::make_unique<Port>();
        cr->name = "cr-" + lrp->name;
        cr->nb_uuid = nbrp->uuid;
        cr->nbrp = nbrp;
        cr->is_cr_port = true;
        cr->lrp_networks = lrp->lrp_networks;
        cr->l3dgw_port = lrp;
        if (Port* raw = add_port(std::move(cr))) lrp->cr_port = raw;
      }
    }

    // Port keys: requested, then existing on this datapath, then lowest free.
    KeyAllocator alloc(ovn::kMinPortKey, ovn::kMaxPortKey);
    for (Port* p : created) {
      const nb::Smap& opts = p->nbsp ? p->nbsp->options : p->nbrp->options;
      if (p->is_cr_port) continue;
      if (auto k = requested_key(opts)) {
        if (alloc.claim(*k)) {
          p->tunnel_key = *k;
        } else {
          LOG_WARN("port {}: requested tunnel key {} is out of range or in use", p->name, *k);
        }
      }
    }
    for (Port* p : created) {
      if (p->tunnel_key) continue;
      auto it = keys.ports.find(p->name);
      if (it != keys.ports.end() && it->second.first == dp.nb_uuid &&
          alloc.claim(it->second.second)) {
        p->tunnel_key = it->second.second;
      }
    }
    for (Port* p : created) {
      if (p->tunnel_key) continue;
      auto k = alloc.allocate();
      if (!k) return make_error("resource exhausted", "no free port tunnel key on " + dp.name);
      p->tunnel_key = *k;
    }
  }
  return ok_status();
}

void Topology::resolve_peers() {
  for (auto& pp : ports_) {
    Port& p = *pp;
    if (p.is_cr_port) continue;
    if (p.lsp_is_router()) {
      const std::string& rp = nb::get(p.nbsp->options, "router-port");
      auto it = ports_by_name_.find(rp);
      if (it != ports_by_name_.end() && it->second->is_router_port() && !it->second->is_cr_port) {
        p.peer = it->second;
        it->second->peer = &p;
        p.lrp_networks = it->second->lrp_networks;
      }
    } else if (p.is_router_port() && p.nbrp->peer) {
      auto it = ports_by_name_.find(*p.nbrp->peer);
      if (it != ports_by_name_.end() && it->second->is_router_port() && !it->second->is_cr_port) {
        p.peer = it->second;
      }
    }
  }

  // Switch-port addresses and SB types need the peers.
  for (auto& pp : ports_) {
    Port& p = *pp;
    if (p.is_switch_port()) {
      const auto& lsp = *p.nbsp;
      for (const std::string& a : sorted_set(lsp.addresses)) {
        if (a == "unknown") {
          p.has_unknown = true;
        } else if (a == "router") {
          if (p.peer) p.lsp_addrs.push_back(p.peer->lrp_networks);
        } else if (a == "dynamic" || a.find("dynamic") != std::string::npos) {
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
    } else if (p.is_cr_port) {
      p.sb_type = "chassisredirect";
    } else {
      p.sb_type = p.od->is_gw_router ? "l3gateway" : "patch";
    }
  }
}

void Topology::derive_datapath_facts() {
  // Port groups: which ports of each switch belong to which group.
  for (const auto& [uuid, pg] : nb_->port_groups) {
    for (const Uuid& pu : pg.ports) {
      const auto* lsp = nb::find(nb_->logical_switch_ports, pu);
      if (!lsp) continue;
      auto it = ports_by_name_.find(lsp->name);
      if (it == ports_by_name_.end() || it->second->nbsp != lsp) continue;
      it->second->od->port_groups[pg.name].push_back(it->second);
    }
  }

  for (auto& dpp : datapaths_) {
    Datapath& dp = *dpp;
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
      }
      for (auto& [name, members] : dp.port_groups) {
        std::sort(members.begin(), members.end(),
                  [](const Port* a, const Port* b) { return a->name < b->name; });
      }
      // ACLs: the switch's own, then those of port groups with ports here.
      for (const Uuid& au : dp.nbs->acls) {
        if (const auto* acl = nb::find(nb_->acls, au)) dp.acls.push_back(acl);
      }
      for (const auto& [uuid, pg] : nb_->port_groups) {
        if (!dp.port_groups.count(pg.name)) continue;
        for (const Uuid& au : pg.acls) {
          if (const auto* acl = nb::find(nb_->acls, au)) dp.acls.push_back(acl);
        }
      }
      dp.has_acls = !dp.acls.empty();
      for (const nb::Acl* acl : dp.acls) {
        if (acl->action == "allow-related") dp.has_stateful_acl = true;
      }
      dp.has_dns_records = false;
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
}

}  // namespace ovnx::northd
