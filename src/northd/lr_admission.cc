// Logical router: L2 admission and neighbor (ARP/ND) learning (ingress tables 0-2).
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kInportEthAddr = "xreg0[0..47]";  // REG_INPORT_ETH_ADDR
constexpr const char* kLookupResult = "reg9[2]";         // REGBIT_LOOKUP_NEIGHBOR_RESULT
constexpr const char* kLookupIpResult = "reg9[3]";       // REGBIT_LOOKUP_NEIGHBOR_IP_RESULT

std::string chassis_resident(const Port& op) {
  return op.cr_port ? fmt::format(" && is_chassis_resident({})", op.cr_port->json_name()) : "";
}

void build_admission(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::lr_in_admission, 100, "vlan.present || eth.src[40]", "drop;");
  s.add(Stage::lr_in_admission, 0, "1", "drop;");
  for (const Port* op : ctx.od.ports) {
    if (op->is_cr_port || !op->enabled()) continue;
    // Remember the receiving port's MAC so later stages need not match on inport.
    const std::string actions =
        fmt::format("{} = {}; next;", kInportEthAddr, op->lrp_networks.ea_s);
    s.add(Stage::lr_in_admission, 50, "eth.mcast && inport == " + op->json_name(), actions,
          op->hint());
    // Unicast to a gateway port's MAC is handled only where the gateway is.
    s.add(Stage::lr_in_admission, 50,
          fmt::format("eth.dst == {} && inport == {}{}", op->lrp_networks.ea_s, op->json_name(),
                      chassis_resident(*op)),
          actions, op->hint());
  }
}

void build_neighbor_learning(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  const bool learn_from_arp_request =
      nb::get_bool(ctx.od.nbr->options, "always_learn_from_arp_request", true);
  const std::string ip_ok = learn_from_arp_request ? "" : fmt::format("{} = 1; ", kLookupIpResult);
  s.add(Stage::lr_in_lookup_neighbor, 100, "arp.op == 2",
        fmt::format("{} = lookup_arp(inport, arp.spa, arp.sha); {}next;", kLookupResult, ip_ok));
  s.add(Stage::lr_in_lookup_neighbor, 100, "nd_na",
        fmt::format("{} = lookup_nd(inport, nd.target, nd.tll); {}next;", kLookupResult, ip_ok));
  s.add(Stage::lr_in_lookup_neighbor, 100, "nd_ns",
        fmt::format("{} = lookup_nd(inport, ip6.src, nd.sll); {}next;", kLookupResult,
                    learn_from_arp_request
                        ? ""
                        : fmt::format("{} = lookup_nd_ip(inport, ip6.src); ", kLookupIpResult)));
  s.add(Stage::lr_in_lookup_neighbor, 0, "1", fmt::format("{} = 1; next;", kLookupResult));

  s.add(Stage::lr_in_learn_neighbor, 100,
        fmt::format("{} == 1{}", kLookupResult,
                    learn_from_arp_request ? "" : fmt::format(" || {} == 0", kLookupIpResult)),
        "next;");
  s.add(Stage::lr_in_learn_neighbor, 95, "nd_ns && (ip6.src == 0 || nd.sll == 0)", "next;");
  s.add(Stage::lr_in_learn_neighbor, 95, "nd_na && nd.tll == 0",
        "put_nd(inport, nd.target, eth.src); next;");
  s.add(Stage::lr_in_learn_neighbor, 90, "arp", "put_arp(inport, arp.spa, arp.sha); next;");
  s.add(Stage::lr_in_learn_neighbor, 90, "nd_na", "put_nd(inport, nd.target, nd.tll); next;");
  s.add(Stage::lr_in_learn_neighbor, 90, "nd_ns", "put_nd(inport, ip6.src, nd.sll); next;");
  s.add(Stage::lr_in_learn_neighbor, 0, "1", "drop;");

  for (const Port* op : ctx.od.ports) {
    if (op->is_cr_port) continue;
    for (const Ipv4Netaddr& a : op->lrp_networks.ipv4) {
      const std::string match =
          fmt::format("inport == {} && arp.spa == {}/{} && arp.op == 1", op->json_name(),
                      a.network_s, a.plen);
      if (learn_from_arp_request) {
        s.add(Stage::lr_in_lookup_neighbor, 100, match + chassis_resident(*op),
              fmt::format("{} = lookup_arp(inport, arp.spa, arp.sha); next;", kLookupResult),
              op->hint());
      } else {
        // Learn from a request only if it is for us, or if the sender is known already.
        s.add(Stage::lr_in_lookup_neighbor, 110,
              fmt::format("{} && arp.tpa == {}{}", match, a.addr_s, chassis_resident(*op)),
              fmt::format("{} = lookup_arp(inport, arp.spa, arp.sha); {} = 1; next;",
                          kLookupResult, kLookupIpResult),
              op->hint());
        s.add(Stage::lr_in_lookup_neighbor, 100, match + chassis_resident(*op),
              fmt::format("{} = lookup_arp(inport, arp.spa, arp.sha); {} = "
                          "lookup_arp_ip(inport, arp.spa); next;",
                          kLookupResult, kLookupIpResult),
              op->hint());
      }
    }
  }
}

}  // namespace

void build_lr_admission(BuildCtx& ctx) {
  build_admission(ctx);
  build_neighbor_learning(ctx);
}

}  // namespace ovnx::northd
