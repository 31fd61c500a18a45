// Logical router: from next hop to Ethernet frame (ingress tables 17-21, egress table 6) --
// static MAC bindings for addresses known from the NB, MAC_Binding lookups otherwise, ARP/ND
// requests for unknown next hops, redirection to the gateway chassis, and delivery.
#include <fmt/format.h>

#include "northd/pipelines.h"
#include "northd/router_util.h"

namespace ovnx::northd {
namespace {

bool member_of(const Port& rp, const Ipv4Netaddr& a) {
  for (const Ipv4Netaddr& n : rp.lrp_networks.ipv4) {
    if (((a.addr.value ^ n.network.value) & n.mask.value) == 0) return true;
  }
  return false;
}

bool member_of(const Port& rp, const Ipv6Netaddr& a) {
  for (const Ipv6Netaddr& n : rp.lrp_networks.ipv6) {
    if ((a.addr & n.mask) == n.network) return true;
  }
  return false;
}

// Static bindings towards the ports of the switch behind router port `rp`.
void build_resolve_via_switch(BuildCtx& ctx, const Port& rp, const Port& sp) {
  FlowSink& s = ctx.sink;
  const Datapath& sw = *sp.od;
  for (const Port* op : sw.ports) {
    // Grouped by the switch port, so adding or removing one redoes only its bindings.
    if (!op->enabled() || !s.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(s, op->nb_uuid);
    const std::string& type = op->nbsp->type;
    if (type == "router") {
      // Other routers on the same switch: their port addresses are known.
      if (op == &sp || !op->peer || !op->peer->is_router_port()) continue;
      if (nb::get_bool(ctx.od.nbr->options, "dynamic_neigh_routers")) continue;
      const Port& other = *op->peer;
      if (!other.lrp_networks.ipv4.empty()) {
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && reg0 == {}", rp.json_name(), v4_networks(other, false)),
              fmt::format("eth.dst = {}; next;", other.lrp_networks.ea_s), sp.hint());
      }
      if (!other.lrp_networks.ipv6.empty()) {
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && xxreg0 == {}", rp.json_name(), v6_networks(other)),
              fmt::format("eth.dst = {}; next;", other.lrp_networks.ea_s), sp.hint());
      }
      continue;
    }
    if (type == "virtual") continue;
    for (const LportAddresses& la : op->lsp_addrs) {
      for (const Ipv4Netaddr& a : la.ipv4) {
        if (!member_of(rp, a)) continue;
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && reg0 == {}", rp.json_name(), a.addr_s),
              fmt::format("eth.dst = {}; next;", la.ea_s), op->hint());
      }
      for (const Ipv6Netaddr& a : la.ipv6) {
        if (!member_of(rp, a)) continue;
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && xxreg0 == {}", rp.json_name(), a.addr_s),
              fmt::format("eth.dst = {}; next;", la.ea_s), op->hint());
      }
    }
  }
}

void build_arp_resolve(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::lr_in_arp_resolve, 500, "ip4.mcast || ip6.mcast", "next;");
  s.add(Stage::lr_in_arp_resolve, 1, "ip4", "get_arp(outport, reg0); next;");
  s.add(Stage::lr_in_arp_resolve, 1, "ip6", "get_nd(outport, xxreg0); next;");
  s.add(Stage::lr_in_arp_resolve, 0, "1", "drop;");
  for (const Port* rp : ctx.od.ports) {
    if (rp->is_cr_port) continue;
    // SNAT/LB addresses of the router that un-NAT did not translate.
    drop_own_destinations(ctx, *rp, Stage::lr_in_arp_resolve, 2, true);
    if (!rp->peer) continue;
    if (rp->peer->is_router_port()) {
      // Directly peered router port.
      const Port& q = *rp->peer;
      if (!q.enabled() || !q.nbrp->peer) continue;
      if (!q.lrp_networks.ipv4.empty()) {
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && reg0 == {}", rp->json_name(), v4_networks(q, false)),
              fmt::format("eth.dst = {}; next;", q.lrp_networks.ea_s), q.hint());
      }
      if (!q.lrp_networks.ipv6.empty()) {
        s.add(Stage::lr_in_arp_resolve, 100,
              fmt::format("outport == {} && xxreg0 == {}", rp->json_name(), v6_networks(q)),
              fmt::format("eth.dst = {}; next;", q.lrp_networks.ea_s), q.hint());
      }
    } else if (rp->peer->enabled()) {
      build_resolve_via_switch(ctx, *rp, *rp->peer);
    }
  }
}

void build_arp_request(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  for (const auto* route : ctx.od.static_routes) {
    auto gw = packets::parse_ipv6_prefix(route->nexthop);
    if (!gw.ok() || gw->len != 128) continue;
    packets::Ipv6Addr sn = gw->addr.solicited_node();
    s.add(Stage::lr_in_arp_request, 200,
          fmt::format("eth.dst == 00:00:00:00:00:00 && ip6 && xxreg0 == {}", route->nexthop),
          fmt::format("nd_ns {{ eth.dst = {}; ip6.dst = {}; nd.target = {}; output; }};",
                      sn.multicast_mac().to_string(), sn.to_string(), route->nexthop),
          route->uuid);
  }
  s.add(Stage::lr_in_arp_request, 100, "eth.dst == 00:00:00:00:00:00 && ip4",
        "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; arp.op = 1; "
        "output; };");
  s.add(Stage::lr_in_arp_request, 100, "eth.dst == 00:00:00:00:00:00 && ip6",
        "nd_ns { nd.target = xxreg0; output; };");
  s.add(Stage::lr_in_arp_request, 0, "1", "output;");
}

void build_gw_redirect(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  for (const Port* dgp : ctx.od.l3dgw_ports) {
    if (!dgp->cr_port) continue;
    // Traffic for the gateway port not handled by a distributed rule goes to the gateway.
    s.add(Stage::lr_in_gw_redirect, 50, "outport == " + dgp->json_name(),
          fmt::format("outport = {}; next;", dgp->cr_port->json_name()), dgp->hint());
  }
  s.add(Stage::lr_in_gw_redirect, 0, "1", "next;");
}

void build_delivery(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  for (const Port* op : ctx.od.ports) {
    if (op->is_cr_port || !op->enabled()) continue;
    s.add(Stage::lr_out_delivery, 100, "outport == " + op->json_name(), "output;");
  }
  s.add(Stage::lr_out_delivery, 0, "1", "drop;");
}

}  // namespace

void build_lr_arp(BuildCtx& ctx) {
  build_arp_resolve(ctx);
  ctx.sink.add(Stage::lr_in_chk_pkt_len, 0, "1", "next;");
  ctx.sink.add(Stage::lr_in_larger_pkts, 0, "1", "next;");
  build_gw_redirect(ctx);
  build_arp_request(ctx);
  build_delivery(ctx);
}

}  // namespace ovnx::northd
