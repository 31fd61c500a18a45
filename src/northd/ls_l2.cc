// Logical switch: destination lookup (ingress tables 25, 26). Known MACs go to their port,
// broadcast and multicast to _MC_flood, and ARP/ND for a router's addresses only to that
// router (plus the non-router ports); the rest to ports that accept unknown MACs or learned ones.
#include <fmt/format.h>

#include <set>

#include "northd/nat.h"
#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kNotVxlan = "flags[1] == 0";  // FLAGBIT_NOT_VXLAN
constexpr const char* kMcFlood = "_MC_flood";
constexpr const char* kMcFloodL2 = "_MC_flood_l2";
constexpr const char* kMcUnknown = "_MC_unknown";

// Forwards ARP/NS for `ip` (owned by the router behind `sw_op`) to that router port only, and
// also floods it to the non-router ports if there are any.
void add_rport_arp_req_flow(BuildCtx& ctx, const std::string& ip, bool v6, const Port& sw_op,
                            uint16_t priority) {
  const Datapath& od = ctx.od;
  std::string match = v6 ? fmt::format("{} && nd_ns && nd.target == {}", kNotVxlan, ip)
                         : fmt::format("{} && arp.op == 1 && arp.tpa == {}", kNotVxlan, ip);
  std::string actions =
      !od.only_router_ports
          ? fmt::format("clone {{outport = {}; output; }}; outport = \"{}\"; output;",
                        sw_op.json_name(), kMcFloodL2)
          : fmt::format("outport = {}; output;", sw_op.json_name());
  ctx.sink.add(Stage::ls_in_l2_lkup, priority, std::move(match), std::move(actions),
               sw_op.hint());
}

void build_rport_arp_req_flows(BuildCtx& ctx, const Port& sw_op) {
  const Port& rp = *sw_op.peer;  // the router port
  const Datapath& rod = *rp.od;
  // NAT addresses the router answers for on this port's networks (DNAT ones first, then each
  // distinct SNAT address once).
  for (const NatEntry& ne : router_nat_entries(ctx.topo, rod)) {
    if (ne.nat->type == "snat") continue;
    add_rport_arp_req_flow(ctx, ne.nat->external_ip, ne.is_v6, sw_op, 80);
  }
  for (const Ipv4Netaddr& a : rp.lrp_networks.ipv4) {
    add_rport_arp_req_flow(ctx, a.addr_s, false, sw_op, 80);
  }
  for (const Ipv6Netaddr& a : rp.lrp_networks.ipv6) {
    add_rport_arp_req_flow(ctx, a.addr_s, true, sw_op, 80);
  }
  // The router's own ARP/RARP/NS are flooded as usual (if there is anyone to flood to).
  if (!ctx.od.only_router_ports) {
    std::string eth_src = "{" + rp.lrp_networks.ea_s;
    for (const std::string& mac : router_nat_external_macs(ctx.topo, rod)) eth_src += ", " + mac;
    eth_src += "}";
    ctx.sink.add(Stage::ls_in_l2_lkup, 75,
                 fmt::format("eth.src == {} && (arp.op == 1 || rarp.op == 3 || nd_ns)", eth_src),
                 fmt::format("outport = \"{}\"; output;", kMcFloodL2));
  }
}

void build_unicast_lookup(BuildCtx& ctx, const Port& op) {
  const nb::LogicalSwitchPort& lsp = *op.nbsp;
  if (lsp.type == "external") return;
  if (lsp.type == "router" && op.peer) build_rport_arp_req_flows(ctx, op);

  FlowSink& s = ctx.sink;
  const std::string action =
      op.enabled() ? fmt::format("outport = {}; output;", op.json_name()) : "drop;";
  auto mac_flow = [&](const packets::MacAddr& mac, std::string extra = {}) {
    s.add(Stage::ls_in_l2_lkup, 50, fmt::format("eth.dst == {}{}", mac.to_string(), extra),
          action, op.hint());
  };
  for (const std::string& addr : lsp.addresses) {
    size_t end = addr.find_first_of(" \t");
    std::string first = addr.substr(0, end);
    if (auto mac = packets::parse_mac(first); mac.ok()) {
      mac_flow(*mac);
    } else if (addr == "unknown") {
      continue;
    } else if (addr == "dynamic" || addr.find("dynamic") != std::string::npos) {
      if (!lsp.dynamic_addresses) continue;
      std::string d = lsp.dynamic_addresses->substr(0, lsp.dynamic_addresses->find(' '));
      if (auto dm = packets::parse_mac(d); dm.ok()) mac_flow(*dm);
    } else if (addr == "router") {
      if (!op.peer || !op.peer->is_router_port()) continue;
      const Port& rp = *op.peer;
      const Datapath& rod = *rp.od;
      std::string extra;
      if (!rod.l3dgw_ports.empty() && !ctx.od.localnet_ports.empty()) {
        // A gateway port's MAC lives only on its gateway chassis.
        bool resident = rp.cr_port != nullptr;
        if (!resident) {
          resident = nb::get_bool(rp.nbrp->options, "reside-on-redirect-chassis") &&
                     rod.l3dgw_ports.size() == 1;
        }
        if (resident) {
          extra = fmt::format(" && is_chassis_resident({})",
                              rod.l3dgw_ports[0]->cr_port->json_name());
        }
      }
      mac_flow(rp.lrp_networks.ea, extra);
      if (rp.cr_port) {
        // MACs of distributed NAT entries live where their logical port is.
        for (const NatEntry& ne : router_nat_entries(ctx.topo, rod)) {
          const nb::Nat& nat = *ne.nat;
          if (nat.type != "dnat_and_snat" || !nat.logical_port || !nat.external_mac) continue;
          auto em = packets::parse_mac(*nat.external_mac);
          if (!em.ok()) continue;
          mac_flow(*em, fmt::format(" && is_chassis_resident(\"{}\")", *nat.logical_port));
        }
      }
    }
  }
}

}  // namespace

void build_ls_l2(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_in_l2_lkup, 110, "eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)",
        "handle_svc_check(inport);");
  s.add(Stage::ls_in_l2_lkup, 70, "eth.mcast", fmt::format("outport = \"{}\"; output;", kMcFlood));
  s.add(Stage::ls_in_l2_lkup, 0, "1", "outport = get_fdb(eth.dst); next;");
  if (od.has_unknown) {
    s.add(Stage::ls_in_l2_unknown, 50, "outport == \"none\"",
          fmt::format("outport = \"{}\"; output;", kMcUnknown));
  } else {
    s.add(Stage::ls_in_l2_unknown, 50, "outport == \"none\"", "drop;");
  }
  s.add(Stage::ls_in_l2_unknown, 0, "1", "output;");
  for (const Port* op : od.ports) {
    if (!s.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(s, op->nb_uuid);
    build_unicast_lookup(ctx, *op);
    if (!op->enabled()) {
      s.add(Stage::ls_in_l2_unknown, 50, "outport == " + op->json_name(), "drop;",
            FlowOpts{.hint = op->hint(), .io_port = op->name});
    }
  }
}

}  // namespace ovnx::northd
