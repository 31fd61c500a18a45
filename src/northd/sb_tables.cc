#include "northd/sb_tables.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/ovn_conventions.h"
#include "northd/compiler.h"

namespace ovnx::northd {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

const SbChassis* find_chassis(const std::vector<SbChassis>& chassis, const std::string& name) {
  for (const SbChassis& c : chassis) {
    if (c.name == name) return &c;
  }
  for (const SbChassis& c : chassis) {
    if (c.hostname == name) return &c;
  }
  return nullptr;
}

// GARP addresses of a router-type switch port (Port_Binding.nat_addresses): NAT external
// addresses when nat-addresses=router, plus the router port's own addresses where the router
// port lives on a gateway.
std::vector<std::string> nat_addresses(const Port& op) {
  std::vector<std::string> out;
  if (!op.peer || !op.peer->is_router_port()) return out;
  const Port& rp = *op.peer;
  const Datapath& rod = *rp.od;
  const std::string& chassis = nb::get(rod.nbr->options, "chassis");
  const std::string& option = nb::get(op.nbsp->options, "nat-addresses");
  if (option == "router") {
    if (!chassis.empty() || !rod.l3dgw_ports.empty()) {
      std::string central = rp.lrp_networks.ea_s;
      bool have_central = false;
      std::set<std::string> seen;
      for (const NatEntry& ne : rod.nat_entries) {
        const nb::Nat& nat = *ne.nat;
        if (ne.is_v6) continue;
        if (!rod.l3dgw_ports.empty() && ne.distributed) {
          auto mac = packets::parse_mac(*nat.external_mac);
          if (mac.ok()) {
            out.push_back(fmt::format("{} {} is_chassis_resident(\"{}\")", mac->to_string(),
                                      nat.external_ip, *nat.logical_port));
          }
          continue;
        }
        bool is_router_ip = false;
        for (const Ipv4Netaddr& a : rp.lrp_networks.ipv4) {
          if (a.addr == ne.ext_v4) is_router_ip = true;
        }
        if (!is_router_ip && seen.insert(nat.external_ip).second) {
          central += " " + nat.external_ip;
          have_central = true;
        }
      }
      if (have_central) {
        if (rp.cr_port) central += fmt::format(" is_chassis_resident({})", rp.cr_port->json_name());
        out.push_back(central);
      }
    }
  } else if (!option.empty() && (!chassis.empty() || !rod.l3dgw_ports.empty())) {
    if (parse_lsp_addresses(option)) out.push_back(option);
  }
  // GARPs for the router port's own addresses, from where it is bound.
  bool garp = rp.cr_port != nullptr ||
              (!rod.l3dgw_ports.empty() &&
               nb::get_bool(rp.nbrp->options, "reside-on-redirect-chassis")) ||
              (!chassis.empty() && !op.od->localnet_ports.empty());
  if (garp) {
    std::string info = rp.lrp_networks.ea_s;
    for (const Ipv4Netaddr& a : rp.lrp_networks.ipv4) info += " " + a.addr_s;
    if (rp.cr_port) info += fmt::format(" is_chassis_resident({})", rp.cr_port->json_name());
    if (std::find(out.begin(), out.end(), info) == out.end()) out.push_back(std::move(info));
  }
  return out;
}

sb::PortBinding switch_port_binding(const Port& op, const std::vector<SbChassis>& chassis) {
  const nb::LogicalSwitchPort& lsp = *op.nbsp;
  sb::PortBinding pb;
  pb.logical_port = op.name;
  pb.datapath = op.od->nb_uuid;
  pb.type = op.sb_type;
  pb.tunnel_key = op.tunnel_key;
  pb.mac = sorted(lsp.addresses);
  pb.port_security = sorted(lsp.port_security);
  pb.external_ids = lsp.external_ids;
  if (auto it = lsp.external_ids.find("neutron:port_name");
      it != lsp.external_ids.end() && !it->second.empty()) {
    pb.external_ids["name"] = it->second;
  }
  pb.parent_port = lsp.parent_name;
  if (lsp.tag) {
    pb.tag = lsp.tag;
  } else if (lsp.parent_name && lsp.tag_request && *lsp.tag_request > 0) {
    pb.tag = lsp.tag_request;
  }
  if (lsp.type == "router") {
    const std::string* chassis_name = nullptr;
    if (op.peer && op.peer->od->is_router()) {
      const std::string& c = nb::get(op.peer->od->nbr->options, "chassis");
      if (!c.empty()) chassis_name = &c;
    }
    const std::string& router_port = nb::get(lsp.options, "router-port");
    if (!router_port.empty()) pb.options["peer"] = router_port;
    if (chassis_name) pb.options["l3gateway-chassis"] = *chassis_name;
    pb.nat_addresses = sorted(nat_addresses(op));
  } else {
    pb.options = lsp.options;
    if (nb::get_bool(op.od->nbs->other_config, "vlan-passthru")) {
      pb.options["vlan-passthru"] = "true";
    }
    if (lsp.type == "external" && lsp.ha_chassis_group) {
      // The SB group carries the NB group's name.
      pb.ha_chassis_group = std::string();
    }
    const std::string& requested = nb::get(lsp.options, "requested-chassis");
    if (!requested.empty()) {
      // Several chassis are comma-separated; the first is the main one.
      std::string first = requested.substr(0, requested.find(','));
      if (const SbChassis* c = find_chassis(chassis, first)) pb.requested_chassis = c->name;
    }
  }
  return pb;
}

sb::PortBinding router_port_binding(const Port& op, const Topology& topo) {
  const nb::LogicalRouterPort& lrp = *op.nbrp;
  sb::PortBinding pb;
  pb.logical_port = op.name;
  pb.datapath = op.od->nb_uuid;
  pb.type = op.sb_type;
  pb.tunnel_key = op.tunnel_key;
  std::string mac = lrp.mac;
  std::vector<std::string> nets(lrp.networks);
  std::sort(nets.begin(), nets.end());
  for (const std::string& n : nets) mac += " " + n;
  pb.mac = {mac};
  const std::string& chassis = nb::get(op.od->nbr->options, "chassis");
  if (op.is_cr_port) {
    pb.options["distributed-port"] = lrp.name;
    bool always_redirect = !op.od->has_distributed_nat;
    const std::string& redirect_type = nb::get(lrp.options, "redirect-type");
    if (!redirect_type.empty()) {
      pb.options["redirect-type"] = redirect_type;
      if (redirect_type == "bridged") always_redirect = false;
    }
    if (always_redirect) pb.options["always-redirect"] = "true";
    if (lrp.ha_chassis_group) {
      if (const auto* g = nb::find(topo.nb().ha_chassis_groups, *lrp.ha_chassis_group)) {
        pb.ha_chassis_group = g->name;
      }
    } else if (!lrp.gateway_chassis.empty()) {
      pb.ha_chassis_group = lrp.name;
    }
  } else {
    if (op.peer) {
      pb.options["peer"] = op.peer->name;
      if (lrp.ha_chassis_group || !lrp.gateway_chassis.empty()) {
        pb.options["chassis-redirect-port"] = "cr-" + lrp.name;
      }
    }
    if (!chassis.empty()) pb.options["l3gateway-chassis"] = chassis;
  }
  return pb;
}

}  // namespace

sb::DatapathBinding datapath_binding(const Datapath& dp) {
  sb::DatapathBinding b;
  b.nb_uuid = dp.nb_uuid;
  b.is_router = dp.is_router();
  b.name = dp.name;
  b.tunnel_key = dp.tunnel_key;
  b.external_ids[dp.is_router() ? "logical-router" : "logical-switch"] = dp.nb_uuid.to_string();
  b.external_ids["name"] = dp.name;
  const nb::Smap& ext = dp.is_router() ? dp.nbr->external_ids : dp.nbs->external_ids;
  // Names CMSes keep in external_ids, and interconnect markers, are copied along.
  if (auto it = ext.find("neutron:router_name"); it != ext.end() && !it->second.empty()) {
    b.external_ids["name2"] = it->second;
  }
  if (auto it = ext.find("neutron:network_name"); it != ext.end() && !it->second.empty()) {
    b.external_ids["name2"] = it->second;
  }
  if (!dp.is_router()) {
    const std::string& ts = nb::get(dp.nbs->other_config, "interconn-ts");
    if (!ts.empty()) b.external_ids["interconn-ts"] = ts;
  }
  return b;
}

sb::PortBinding port_binding(const Topology& topo, const Port& p,
                             const std::vector<SbChassis>& chassis) {
  if (!p.is_switch_port()) return router_port_binding(p, topo);
  sb::PortBinding pb = switch_port_binding(p, chassis);
  if (pb.ha_chassis_group) {
    const auto* g = nb::find(topo.nb().ha_chassis_groups, *p.nbsp->ha_chassis_group);
    if (g) {
      pb.ha_chassis_group = g->name;
    } else {
      pb.ha_chassis_group.reset();
    }
  }
  return pb;
}

std::vector<sb::PortBinding> port_bindings(const Topology& topo, const Datapath& dp,
                                           const std::vector<SbChassis>& chassis) {
  std::vector<sb::PortBinding> out;
  out.reserve(dp.owned_ports.size());
  for (const auto& p : dp.owned_ports) out.push_back(port_binding(topo, *p, chassis));
  return out;
}

std::vector<sb::MulticastGroup> multicast_groups(const Datapath& dp) {
  std::vector<sb::MulticastGroup> out;
  if (!dp.is_switch()) return out;
  sb::MulticastGroup flood{dp.nb_uuid, "_MC_flood", ovn::kMcFloodKey, {}};
  sb::MulticastGroup flood_l2{dp.nb_uuid, "_MC_flood_l2", ovn::kMcFloodL2Key, {}};
  sb::MulticastGroup unknown{dp.nb_uuid, "_MC_unknown", ovn::kMcUnknownKey, {}};
  for (const Port* p : dp.ports) {
    if (!p->enabled()) continue;
    flood.ports.push_back(p->name);
    if (!p->lsp_is_router()) flood_l2.ports.push_back(p->name);
    if (p->has_unknown) unknown.ports.push_back(p->name);
  }
  for (sb::MulticastGroup* g : {&flood, &flood_l2, &unknown}) {
    if (g->ports.empty()) continue;
    g->ports = sorted(std::move(g->ports));
    out.push_back(std::move(*g));
  }
  return out;
}

sb::AddressSet address_set(const nb::AddressSet& as) { return {as.name, sorted(as.addresses)}; }

std::vector<sb::AddressSet> port_group_address_sets(const nb::PortGroup& pg,
                                                    const nb::Snapshot& nb) {
  // The group's addresses by family, for matches like ip4.src == $pg_ip4.
  std::vector<std::string> v4, v6;
  auto split = [&](const std::string& text) {
    if (auto la = parse_lsp_addresses(text)) {
      for (const auto& a : la->ipv4) v4.push_back(a.addr_s);
      for (const auto& a : la->ipv6) v6.push_back(a.addr_s);
    }
  };
  for (const Uuid& pu : pg.ports) {
    const auto* lsp = nb::find(nb.logical_switch_ports, pu);
    if (!lsp) continue;
    for (const std::string& a : lsp->addresses) {
      if (a.find("dynamic") == std::string::npos) split(a);
    }
    if (lsp->dynamic_addresses) split(*lsp->dynamic_addresses);
  }
  return {{pg.name + "_ip4", sorted(std::move(v4))}, {pg.name + "_ip6", sorted(std::move(v6))}};
}

std::vector<sb::PortGroup> port_groups(const Datapath& dp) {
  std::vector<sb::PortGroup> out;
  for (const auto& [name, members] : dp.port_groups) {
    sb::PortGroup pg;
    pg.name = fmt::format("{}_{}", dp.tunnel_key, name);
    for (const Port* p : members) pg.ports.push_back(p->name);
    pg.ports = sorted(std::move(pg.ports));
    out.push_back(std::move(pg));
  }
  return out;
}

void dhcp_catalogues(std::vector<sb::DhcpOptionCode>* v4, std::vector<sb::DhcpOptionCode>* v6) {
  // The DHCP options OVN 23.03 supports (name, code, type), which ovn-controller reads to
  // encode put_dhcp_opts/put_dhcpv6_opts.
  static const sb::DhcpOptionCode kV4[] = {
      {"offerip", 0, "ipv4"},
      {"netmask", 1, "ipv4"},
      {"router", 3, "ipv4"},
      {"dns_server", 6, "ipv4"},
      {"log_server", 7, "ipv4"},
      {"lpr_server", 9, "ipv4"},
      {"hostname", 12, "str"},
      {"domain_name", 15, "str"},
      {"swap_server", 16, "ipv4"},
      {"ip_forward_enable", 19, "bool"},
      {"policy_filter", 21, "ipv4"},
      {"default_ttl", 23, "uint8"},
      {"mtu", 26, "uint16"},
      {"broadcast_address", 28, "ipv4"},
      {"router_discovery", 31, "bool"},
      {"router_solicitation", 32, "ipv4"},
      {"arp_cache_timeout", 35, "uint32"},
      {"ethernet_encap", 36, "bool"},
      {"tcp_ttl", 37, "uint8"},
      {"tcp_keepalive_interval", 38, "uint32"},
      {"nis_server", 41, "ipv4"},
      {"ntp_server", 42, "ipv4"},
      {"netbios_name_server", 44, "ipv4"},
      {"netbios_node_type", 46, "uint8"},
      {"lease_time", 51, "uint32"},
      {"server_id", 54, "ipv4"},
      {"T1", 58, "uint32"},
      {"T2", 59, "uint32"},
      {"tftp_server", 66, "host_id"},
      {"bootfile_name", 67, "str"},
      {"domain_search_list", 119, "domains"},
      {"classless_static_route", 121, "static_routes"},
      {"tftp_server_address", 150, "ipv4"},
      {"path_prefix", 210, "str"},
      {"ms_classless_static_route", 249, "static_routes"},
      {"wpad", 252, "str"},
      {"next_server", 253, "ipv4"},
      {"bootfile_name_alt", 254, "str"},
  };
  static const sb::DhcpOptionCode kV6[] = {
      {"server_id", 2, "mac"},
      {"ia_addr", 5, "ipv6"},
      {"dns_server", 23, "ipv6"},
      {"domain_search", 24, "str"},
  };
  v4->assign(std::begin(kV4), std::end(kV4));
  v6->assign(std::begin(kV6), std::end(kV6));
}

std::vector<sb::Dns> dns_rows(const Topology& topo) {
  const nb::Snapshot& nb = topo.nb();
  std::vector<sb::Dns> out;
  std::map<Uuid, std::vector<Uuid>> users;  // NB DNS row -> switches using it
  for (const Datapath* dp : topo.datapaths()) {
    if (!dp->is_switch()) continue;
    for (const Uuid& du : dp->nbs->dns_records) {
      if (nb::find(nb.dns, du)) users[du].push_back(dp->nb_uuid);
    }
  }
  for (auto& [du, dps] : users) {
    const nb::Dns& dns = *nb::find(nb.dns, du);
    sb::Dns row;
    row.nb_uuid = du;
    std::sort(dps.begin(), dps.end());
    dps.erase(std::unique(dps.begin(), dps.end()), dps.end());
    row.datapaths = dps;
    row.records = dns.records;
    row.external_ids["dns_id"] = du.to_string();
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<sb::IpMulticast> ip_multicast(const Datapath& dp) {
  if (!dp.is_switch()) return std::nullopt;
  const nb::Smap& oc = dp.nbs->other_config;
  sb::IpMulticast m;
  m.datapath = dp.nb_uuid;
  m.enabled = nb::get_bool(oc, "mcast_snoop");
  m.querier = nb::get_bool(oc, "mcast_querier", true);
  m.table_size = nb::get_int(oc, "mcast_table_size", 2048);
  m.idle_timeout = nb::get_int(oc, "mcast_idle_timeout", 300);
  if (m.idle_timeout < 15) m.idle_timeout = 15;
  if (m.idle_timeout > 3600) m.idle_timeout = 3600;
  m.query_interval = nb::get_int(oc, "mcast_query_interval", m.idle_timeout / 2);
  m.query_max_resp = nb::get_int(oc, "mcast_query_max_response", 1);
  m.eth_src = nb::get(oc, "mcast_eth_src");
  m.ip4_src = nb::get(oc, "mcast_ip4_src");
  m.ip6_src = nb::get(oc, "mcast_ip6_src");
  return m;
}

std::vector<sb::HaChassisGroup> ha_chassis_groups(const Topology& topo) {
  std::vector<sb::HaChassisGroup> out;
  const nb::Snapshot& nb = topo.nb();
  std::map<std::string, sb::HaChassisGroup> groups;
  auto add_nb_group = [&](const Uuid& gu) {
    const auto* g = nb::find(nb.ha_chassis_groups, gu);
    if (!g) return;
    sb::HaChassisGroup sg;
    sg.name = g->name;
    sg.external_ids = g->external_ids;
    for (const Uuid& hu : g->ha_chassis) {
      if (const auto* h = nb::find(nb.ha_chassis, hu)) {
        sg.ha_chassis.push_back({h->chassis_name, h->priority});
      }
    }
    groups[sg.name] = std::move(sg);
  };
  for (const Datapath* dp : topo.datapaths()) {
   for (const auto& p : dp->owned_ports) {
    if (p->is_cr_port) {
      const auto& lrp = *p->nbrp;
      if (lrp.ha_chassis_group) {
        add_nb_group(*lrp.ha_chassis_group);
      } else if (!lrp.gateway_chassis.empty()) {
        // Legacy gateway_chassis become a group named after the port.
        sb::HaChassisGroup sg;
        sg.name = lrp.name;
        for (const Uuid& gu : lrp.gateway_chassis) {
          if (const auto* gc = nb::find(nb.gateway_chassis, gu)) {
            sg.ha_chassis.push_back({gc->chassis_name, gc->priority});
          }
        }
        groups[sg.name] = std::move(sg);
      }
    } else if (p->is_switch_port() && p->nbsp->type == "external" && p->nbsp->ha_chassis_group) {
      add_nb_group(*p->nbsp->ha_chassis_group);
    }
   }
  }
  for (auto& [name, g] : groups) {
    std::sort(g.ha_chassis.begin(), g.ha_chassis.end(),
              [](const auto& a, const auto& b) { return a.chassis_name < b.chassis_name; });
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace ovnx::northd
