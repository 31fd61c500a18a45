// Logical router: IP input (ingress table 3) -- what the router does with packets addressed to
// itself (ARP/ND replies, ICMP echo replies, port unreachable, DHCPv6 prefix delegation), TTL
// expiry, and the L3 admission checks that drop martians.
#include <fmt/format.h>

#include "northd/pipelines.h"
#include "northd/router_util.h"

namespace ovnx::northd {
namespace {

constexpr const char* kEgressLoopback = "reg9[0]";  // REGBIT_EGRESS_LOOPBACK

void build_od_flows(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::lr_in_ip_input, 100,
        "ip4.src_mcast ||ip4.src == 255.255.255.255 || ip4.src == 127.0.0.0/8 || "
        "ip4.dst == 127.0.0.0/8 || ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8",
        "drop;");
  // ARP/ND not handled by the port flows below is not for us.
  s.add(Stage::lr_in_ip_input, 85, "arp || nd", "drop;");
  // Router solicitations/advertisements go on to the RA stages.
  s.add(Stage::lr_in_ip_input, 84, "nd_rs || nd_ra", "next;");
  s.add(Stage::lr_in_ip_input, 83, "ip6.mcast_rsvd", "drop;");
  s.add(Stage::lr_in_ip_input, 82, "ip4.mcast || ip6.mcast", "drop;");
  s.add(Stage::lr_in_ip_input, 50, "eth.bcast", "drop;");
  s.add(Stage::lr_in_ip_input, 32, "ip.ttl == {0, 1} && !ip.later_frag && (ip4.mcast || ip6.mcast)",
        "drop;");
  s.add(Stage::lr_in_ip_input, 30, "ip.ttl == {0, 1}", "drop;");
  s.add(Stage::lr_in_ip_input, 0, "1", "next;");
}

void build_port_ipv4(BuildCtx& ctx, const Port& op) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  const auto& nets = op.lrp_networks;
  if (nets.ipv4.empty()) return;

  // Packets claiming to come from us (unless looped back from egress) are spoofed.
  s.add(Stage::lr_in_ip_input, 100,
        fmt::format("ip4.src == {} && {} == 0", v4_networks(op, true), kEgressLoopback), "drop;",
        op.hint());

  s.add(Stage::lr_in_ip_input, 90,
        fmt::format("ip4.dst == {} && icmp4.type == 8 && icmp4.code == 0",
                    v4_networks(op, false)),
        "ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ",
        op.hint());

  // ARP requests for our address, from our subnet.
  for (const Ipv4Netaddr& a : nets.ipv4) {
    std::string match =
        fmt::format("inport == {} && arp.op == 1 && arp.tpa == {} && arp.spa == {}/{}",
                    op.json_name(), a.addr_s, a.network_s, a.plen);
    if (op.cr_port) match += fmt::format(" && is_chassis_resident({})", op.cr_port->json_name());
    s.add(Stage::lr_in_ip_input, 90, std::move(match),
          "eth.dst = eth.src; eth.src = xreg0[0..47]; arp.op = 2; /* ARP reply */ "
          "arp.tha = arp.sha; arp.sha = xreg0[0..47]; arp.tpa <-> arp.spa; "
          "outport = inport; flags.loopback = 1; output;",
          op.hint());
  }

  // Port and protocol unreachable for our addresses (not on gateways: NAT may own them).
  if (!od.is_gw_router && od.l3dgw_ports.empty()) {
    for (const Ipv4Netaddr& a : nets.ipv4) {
      const std::string base =
          fmt::format("ip4 && ip4.dst == {} && !ip.later_frag", a.addr_s);
      s.add(Stage::lr_in_ip_input, 80, base + " && udp",
            "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; "
            "icmp4.code = 3; next; };",
            op.hint());
      s.add(Stage::lr_in_ip_input, 80, base + " && tcp",
            "tcp_reset {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };", op.hint());
      s.add(Stage::lr_in_ip_input, 80, base + " && sctp",
            "sctp_abort {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };", op.hint());
      s.add(Stage::lr_in_ip_input, 70, base,
            "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; "
            "icmp4.code = 2; next; };",
            op.hint());
    }
  }

  // TTL exceeded: answer from this port's address.
  for (const Ipv4Netaddr& a : nets.ipv4) {
    const std::string src = op.cr_port ? "ip4.dst <-> ip4.src"
                                       : fmt::format("ip4.dst = ip4.src; ip4.src = {}", a.addr_s);
    s.add(Stage::lr_in_ip_input, 31,
          fmt::format("inport == {} && ip4 && ip.ttl == {{0, 1}} && !ip.later_frag",
                      op.json_name()),
          fmt::format("icmp4 {{eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ "
                      "icmp4.code = 0; /* TTL exceeded in transit */ {} ; ip.ttl = 254; "
                      "outport = {}; flags.loopback = 1; output; }};",
                      src, op.json_name()),
          op.hint());
  }
}

void build_port_ipv6(BuildCtx& ctx, const Port& op) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  const auto& nets = op.lrp_networks;
  if (nets.ipv6.empty()) return;

  s.add(Stage::lr_in_ip_input, 90,
        fmt::format("ip6.dst == {} && icmp6.type == 128 && icmp6.code == 0", v6_networks(op)),
        "ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; ",
        op.hint());

  for (const Ipv6Netaddr& a : nets.ipv6) {
    // DHCPv6 replies from a prefix-delegation server.
    s.add(Stage::lr_in_ip_input, 100,
          fmt::format("ip6.dst == {} && udp.src == 547 && udp.dst == 546", a.addr_s),
          "reg0 = 0; handle_dhcpv6_reply;");
    std::string match = fmt::format(
        "inport == {} && ip6.dst == {{{}, {}}} && nd_ns && nd.target == {}", op.json_name(),
        a.addr_s, a.sn_addr_s, a.addr_s);
    if (op.cr_port) match += fmt::format(" && is_chassis_resident({})", op.cr_port->json_name());
    s.add(Stage::lr_in_ip_input, 90, std::move(match),
          "nd_na_router { eth.src = xreg0[0..47]; ip6.src = nd.target; nd.tll = xreg0[0..47]; "
          "outport = inport; flags.loopback = 1; output; };",
          op.hint());
  }

  if (!od.is_gw_router && od.l3dgw_ports.empty()) {
    for (const Ipv6Netaddr& a : nets.ipv6) {
      const std::string base =
          fmt::format("ip6 && ip6.dst == {} && !ip.later_frag", a.addr_s);
      s.add(Stage::lr_in_ip_input, 80, base + " && udp",
            "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; "
            "icmp6.code = 4; next; };",
            op.hint());
      s.add(Stage::lr_in_ip_input, 80, base + " && tcp",
            "tcp_reset {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };", op.hint());
      s.add(Stage::lr_in_ip_input, 80, base + " && sctp",
            "sctp_abort {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };", op.hint());
      s.add(Stage::lr_in_ip_input, 70, base,
            "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; "
            "icmp6.code = 3; next; };",
            op.hint());
    }
  }

  for (const Ipv6Netaddr& a : nets.ipv6) {
    if (a.network.is_link_local()) continue;
    const std::string src = op.cr_port ? "ip6.dst <-> ip6.src"
                                       : fmt::format("ip6.dst = ip6.src; ip6.src = {}", a.addr_s);
    s.add(Stage::lr_in_ip_input, 31,
          fmt::format("inport == {} && ip6 && ip6.src == {}/{} && ip.ttl == {{0, 1}} && "
                      "!ip.later_frag",
                      op.json_name(), a.network_s, a.plen),
          fmt::format("icmp6 {{eth.dst <-> eth.src; {} ; ip.ttl = 254; icmp6.type = 3; /* Time "
                      "exceeded */ icmp6.code = 0; /* TTL exceeded in transit */ outport = {}; "
                      "flags.loopback = 1; output; }};",
                      src, op.json_name()),
          op.hint());
  }
}

}  // namespace

void build_lr_ip_input(BuildCtx& ctx) {
  build_od_flows(ctx);
  for (const Port* op : ctx.od.ports) {
    if (op->is_cr_port || !op->enabled()) continue;
    build_port_ipv4(ctx, *op);
    build_port_ipv6(ctx, *op);
    // Traffic to our own addresses not answered above is dropped (SNAT/LB addresses later,
    // in ARP resolve, once un-NAT had its chance).
    drop_own_destinations(ctx, *op, Stage::lr_in_ip_input, 60, false);
  }
}

}  // namespace ovnx::northd
