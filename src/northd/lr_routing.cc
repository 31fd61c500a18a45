// Logical router: IP routing (ingress tables 12-16) -- connected networks and static routes as
// longest-prefix-match priorities, ECMP groups, route tables, and router policies.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/log.h"
#include "northd/pipelines.h"

OVNX_LOG_MODULE(northd_routing);

namespace ovnx::northd {
namespace {

constexpr const char* kEcmpGroupId = "reg8[0..15]";    // REG_ECMP_GROUP_ID
constexpr const char* kEcmpMemberId = "reg8[16..31]";  // REG_ECMP_MEMBER_ID
constexpr const char* kRouteTableId = "reg7";          // REG_ROUTE_TABLE_ID
constexpr int kPrioMultiplier = 3;   // per prefix bit
constexpr int kPrioStatic = 1;       // static routes ...
constexpr int kPrioConnected = 2;    // ... lose to connected networks of the same length

const char* next_hop_reg(bool v4) { return v4 ? "reg0" : "xxreg0"; }
const char* src_reg(bool v4) { return v4 ? "reg1" : "xxreg1"; }

// The router port address on the same network as `ip`, or nullptr.
const std::string* lrp_member_ip(const Port& op, std::string_view ip) {
  if (auto v4 = packets::parse_ipv4(ip); v4.ok()) {
    for (const Ipv4Netaddr& a : op.lrp_networks.ipv4) {
      if (((v4->value ^ a.network.value) & a.mask.value) == 0) return &a.addr_s;
    }
  } else if (auto v6 = packets::parse_ipv6(ip); v6.ok()) {
    for (const Ipv6Netaddr& a : op.lrp_networks.ipv6) {
      if ((*v6 & a.mask) == a.network) return &a.addr_s;
    }
  }
  return nullptr;
}

// Router ports in NB order (sorted by UUID, as OVSDB orders the set).
std::vector<const Port*> router_ports(const Datapath& od) {
  std::vector<const Port*> out;
  for (const Port* p : od.ports) {
    if (!p->is_cr_port) out.push_back(p);
  }
  return out;
}

// A parsed prefix: the network address text and length.
struct Prefix {
  bool v4 = true;
  std::string network_s;
  int plen = 0;
  bool operator<(const Prefix& o) const {
    return std::tie(v4, network_s, plen) < std::tie(o.v4, o.network_s, o.plen);
  }
};

std::optional<Prefix> parse_prefix(std::string_view text) {
  if (auto v4 = packets::parse_ipv4_prefix(text); v4.ok()) {
    return Prefix{true, v4->network().to_string(), v4->len};
  }
  if (auto v6 = packets::parse_ipv6_prefix(text); v6.ok()) {
    return Prefix{false, v6->network().to_string(), v6->len};
  }
  return std::nullopt;
}

struct RouteMatch {
  std::string match;
  uint16_t priority;
};

RouteMatch route_match(const Port* inport, int rtb_id, const Prefix& p, bool src, int ofs) {
  if (src) ofs = 0;
  RouteMatch m;
  m.priority = static_cast<uint16_t>(p.plen * kPrioMultiplier + ofs);
  if (inport) m.match += "inport == " + inport->json_name() + " && ";
  if (rtb_id || ofs == kPrioStatic) m.match += fmt::format("{} == {} && ", kRouteTableId, rtb_id);
  m.match += fmt::format("ip{}.{} == {}/{}", p.v4 ? "4" : "6", src ? "src" : "dst", p.network_s,
                         p.plen);
  return m;
}

// One route: to `p` via `out_port` (address `lrp_addr`), next hop `gateway` (or the
// destination itself for a connected network).
void add_route(BuildCtx& ctx, const Port* out_port, const std::string& lrp_addr, const Prefix& p,
               const std::string& gateway, bool src, int rtb_id, const Uuid& hint, bool discard,
               int ofs) {
  const Port* inport = nullptr;
  if (!p.v4) {
    auto net = packets::parse_ipv6(p.network_s);
    if (net.ok() && net->is_link_local()) inport = out_port;  // link-local: same port only
  }
  RouteMatch m = route_match(inport, rtb_id, p, src, ofs);
  std::string actions;
  if (discard) {
    actions = "drop;";
  } else {
    actions = fmt::format(
        "ip.ttl--; {} = 0; {} = {}; {} = {}; eth.src = {}; outport = {}; flags.loopback = 1; "
        "next;",
        kEcmpGroupId, next_hop_reg(p.v4),
        gateway.empty() ? fmt::format("ip{}.dst", p.v4 ? "4" : "6") : gateway, src_reg(p.v4),
        lrp_addr, out_port->lrp_networks.ea_s, out_port->json_name());
  }
  ctx.sink.add(Stage::lr_in_ip_routing, m.priority, std::move(m.match), std::move(actions), hint);
}

struct ParsedRoute {
  const nb::LogicalRouterStaticRoute* route;
  Prefix prefix;
  bool is_src;
  bool discard;
  int rtb_id;
};

// The output port of a static route and our address towards its next hop.
bool static_route_outport(const Datapath& od, const Topology& topo,
                          const nb::LogicalRouterStaticRoute& r, bool v4, const Port** out,
                          std::string* lrp_addr) {
  const std::string* addr = nullptr;
  const Port* port = nullptr;
  if (r.output_port) {
    port = topo.find_port(*r.output_port);
    if (!port || port->od != &od || !port->is_router_port()) return false;
    if (!r.nexthop.empty()) addr = lrp_member_ip(*port, r.nexthop);
    if (!addr) {
      // Honour the explicit port even if the next hop is outside its networks.
      if (v4 && !port->lrp_networks.ipv4.empty()) addr = &port->lrp_networks.ipv4[0].addr_s;
      if (!v4 && !port->lrp_networks.ipv6.empty()) addr = &port->lrp_networks.ipv6[0].addr_s;
    }
  } else {
    for (const Port* p : router_ports(od)) {
      addr = lrp_member_ip(*p, r.nexthop);
      if (addr) {
        port = p;
        break;
      }
    }
  }
  if (!port || !addr) return false;
  *out = port;
  *lrp_addr = *addr;
  return true;
}

void build_static_routes(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;

  // Route tables named on router ports get ids in port order.
  std::map<std::string, int> tables;
  auto table_id = [&](const std::string& name) {
    if (name.empty()) return 0;
    auto [it, inserted] = tables.emplace(name, static_cast<int>(tables.size()) + 1);
    return it->second;
  };
  for (const Port* op : router_ports(od)) {
    const std::string& rt = nb::get(op->nbrp->options, "route_table");
    if (rt.empty()) continue;
    s.add(Stage::lr_in_ip_routing_pre, 100, fmt::format("inport == \"{}\"", op->name),
          fmt::format("{} = {}; next;", kRouteTableId, table_id(rt)));
  }

  std::vector<const nb::LogicalRouterStaticRoute*> routes(od.static_routes);
  std::sort(routes.begin(), routes.end(),
            [](const auto* a, const auto* b) { return a->uuid < b->uuid; });
  std::vector<ParsedRoute> parsed;
  for (const auto* r : routes) {
    bool discard = r->nexthop == "discard";
    bool v4_nh = true;
    if (!r->nexthop.empty() && !discard) {
      if (packets::parse_ipv4(r->nexthop).ok()) {
        v4_nh = true;
      } else if (packets::parse_ipv6(r->nexthop).ok()) {
        v4_nh = false;
      } else {
        LOG_WARN("router {}: bad nexthop {} in static route", od.name, r->nexthop);
        continue;
      }
    }
    auto prefix = parse_prefix(r->ip_prefix);
    if (!prefix) {
      LOG_WARN("router {}: bad ip_prefix {} in static route", od.name, r->ip_prefix);
      continue;
    }
    if (!r->nexthop.empty() && !discard && prefix->v4 != v4_nh) continue;
    const Port* out = nullptr;
    std::string addr;
    if (!discard && !static_route_outport(od, ctx.topo, *r, prefix->v4, &out, &addr)) {
      LOG_DBG("router {}: no path for static route {} via {}", od.name, r->ip_prefix, r->nexthop);
      continue;
    }
    parsed.push_back(ParsedRoute{r, *prefix, r->policy && *r->policy == "src-ip", discard,
                                 table_id(r->route_table)});
  }

  // Routes with the same prefix, direction and table form an ECMP group, numbered (and their
  // members numbered) in the order they are met.
  // A group's id is assigned when its second member turns up, as OVN does.
  struct Group {
    std::vector<const ParsedRoute*> members;
    int id = 0;
  };
  using Key = std::tuple<Prefix, bool, int>;
  std::map<Key, size_t> group_index;
  std::vector<Group> groups;
  int next_group_id = 1;
  for (const ParsedRoute& pr : parsed) {
    Key key{pr.prefix, pr.is_src, pr.rtb_id};
    auto [it, inserted] = group_index.emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    Group& g = groups[it->second];
    g.members.push_back(&pr);
    if (g.members.size() == 2) g.id = next_group_id++;
  }
  for (const Group& g : groups) {
    if (g.members.size() == 1) {
      const ParsedRoute& pr = *g.members[0];
      const Port* out = nullptr;
      std::string addr;
      if (!pr.discard) {
        static_route_outport(od, ctx.topo, *pr.route, pr.prefix.v4, &out, &addr);
      }
      add_route(ctx, out, addr, pr.prefix, pr.route->nexthop, pr.is_src, pr.rtb_id,
                pr.route->uuid, pr.discard, kPrioStatic);
      continue;
    }
    const int gid = g.id;
    const ParsedRoute& first = *g.members[0];
    RouteMatch m = route_match(nullptr, first.rtb_id, first.prefix, first.is_src, kPrioStatic);
    std::string actions = fmt::format("ip.ttl--; flags.loopback = 1; {} = {}; {} = select(",
                                      kEcmpGroupId, gid, kEcmpMemberId);
    for (size_t i = 0; i < g.members.size(); ++i) {
      actions += fmt::format("{}{}", i ? ", " : "", i + 1);
    }
    actions += ");";
    s.add(Stage::lr_in_ip_routing, m.priority, m.match, std::move(actions));
    for (size_t i = 0; i < g.members.size(); ++i) {
      const ParsedRoute& pr = *g.members[i];
      const Port* out = nullptr;
      std::string addr;
      if (!static_route_outport(od, ctx.topo, *pr.route, pr.prefix.v4, &out, &addr)) continue;
      s.add(Stage::lr_in_ip_routing_ecmp, 100,
            fmt::format("{} == {} && {} == {}", kEcmpGroupId, gid, kEcmpMemberId, i + 1),
            fmt::format("{} = {}; {} = {}; eth.src = {}; outport = {}; next;",
                        next_hop_reg(pr.prefix.v4), pr.route->nexthop, src_reg(pr.prefix.v4),
                        addr, out->lrp_networks.ea_s, out->json_name()),
            pr.route->uuid);
    }
  }
}

void build_connected_routes(BuildCtx& ctx) {
  for (const Port* op : router_ports(ctx.od)) {
    for (const Ipv4Netaddr& a : op->lrp_networks.ipv4) {
      add_route(ctx, op, a.addr_s, Prefix{true, a.network_s, a.plen}, "", false, 0, op->hint(),
                false, kPrioConnected);
    }
    for (const Ipv6Netaddr& a : op->lrp_networks.ipv6) {
      add_route(ctx, op, a.addr_s, Prefix{false, a.network_s, a.plen}, "", false, 0, op->hint(),
                false, kPrioConnected);
    }
  }
}

// The router port through which `nexthop` is reachable.
const Port* policy_outport(const Datapath& od, std::string_view nexthop) {
  for (const Port* p : router_ports(od)) {
    if (lrp_member_ip(*p, nexthop)) return p;
  }
  return nullptr;
}

std::string pkt_mark(const nb::LogicalRouterPolicy& rule) {
  int64_t mark = nb::get_int(rule.options, "pkt_mark", 0);
  return mark > 0 && mark <= 0xffffffffLL ? fmt::format("pkt.mark = {}; ", mark) : "";
}

void build_policies(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  s.add(Stage::lr_in_policy, 0, "1", fmt::format("{} = 0; next;", kEcmpGroupId));
  s.add(Stage::lr_in_policy_ecmp, 150, fmt::format("{} == 0", kEcmpGroupId), "next;");
  s.add(Stage::lr_in_policy_ecmp, 0, "1", "drop;");

  std::vector<const nb::LogicalRouterPolicy*> rules(od.policies);
  std::sort(rules.begin(), rules.end(), [](const auto* a, const auto* b) { return a->uuid < b->uuid; });
  int ecmp_group_id = 1;
  for (const auto* rule : rules) {
    std::vector<std::string> nexthops(rule->nexthops);
    std::sort(nexthops.begin(), nexthops.end());
    const uint16_t prio = static_cast<uint16_t>(rule->priority);
    if (rule->action == "reroute" && nexthops.size() > 1) {
      const int gid = ecmp_group_id++;
      bool v4 = nexthops[0].find('.') != std::string::npos;
      bool same_family = std::all_of(nexthops.begin(), nexthops.end(), [&](const auto& nh) {
        return (nh.find('.') != std::string::npos) == v4;
      });
      if (!same_family) continue;
      bool ok = true;
      for (size_t i = 0; i < nexthops.size() && ok; ++i) {
        const Port* out = policy_outport(od, nexthops[i]);
        const std::string* addr = out ? lrp_member_ip(*out, nexthops[i]) : nullptr;
        if (!addr) {
          ok = false;
          break;
        }
        bool nv4 = nexthops[i].find('.') != std::string::npos;
        s.add(Stage::lr_in_policy_ecmp, 100,
              fmt::format("{} == {} && {} == {}", kEcmpGroupId, gid, kEcmpMemberId, i + 1),
              fmt::format("{}{} = {}; {} = {}; eth.src = {}; outport = {}; flags.loopback = 1; "
                          "next;",
                          pkt_mark(*rule), next_hop_reg(nv4), nexthops[i], src_reg(nv4), *addr,
                          out->lrp_networks.ea_s, out->json_name()),
              rule->uuid);
      }
      if (!ok) continue;
      std::string actions =
          fmt::format("{} = {}; {} = select(", kEcmpGroupId, gid, kEcmpMemberId);
      for (size_t i = 0; i < nexthops.size(); ++i) actions += fmt::format("{}{}", i ? ", " : "", i + 1);
      actions += ");";
      s.add(Stage::lr_in_policy, prio, rule->match, std::move(actions), rule->uuid);
      continue;
    }
    std::string actions;
    if (rule->action == "reroute") {
      std::string nexthop = nexthops.size() == 1 ? nexthops[0] : rule->nexthop.value_or("");
      const Port* out = policy_outport(od, nexthop);
      if (!out) continue;
      const std::string* addr = lrp_member_ip(*out, nexthop);
      if (!addr) continue;
      bool v4 = nexthop.find('.') != std::string::npos;
      actions = fmt::format(
          "{}{} = {}; {} = {}; eth.src = {}; outport = {}; flags.loopback = 1; {} = 0; next;",
          pkt_mark(*rule), next_hop_reg(v4), nexthop, src_reg(v4), *addr,
          out->lrp_networks.ea_s, out->json_name(), kEcmpGroupId);
    } else if (rule->action == "drop") {
      actions = "drop;";
    } else if (rule->action == "allow") {
      actions = fmt::format("{}{} = 0; next;", pkt_mark(*rule), kEcmpGroupId);
    } else {
      continue;
    }
    s.add(Stage::lr_in_policy, prio, rule->match, std::move(actions), rule->uuid);
  }
}

}  // namespace

void build_lr_routing(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::lr_in_ip_routing_pre, 0, "1", fmt::format("{} = 0; next;", kRouteTableId));
  s.add(Stage::lr_in_ip_routing, 10550, "nd_rs || nd_ra", "drop;");
  s.add(Stage::lr_in_ip_routing, 0, "1", "drop;");
  s.add(Stage::lr_in_ip_routing_ecmp, 150, fmt::format("{} == 0", kEcmpGroupId), "next;");
  s.add(Stage::lr_in_ip_routing_ecmp, 0, "1", "drop;");
  build_connected_routes(ctx);
  build_static_routes(ctx);
  build_policies(ctx);
}

}  // namespace ovnx::northd
