// Logical router: NAT and the conntrack stages around it (ingress tables 3-9 where NAT is
// concerned; egress tables 0-5).
//
// On a gateway router (options:chassis) NAT happens in the router's own conntrack zones. On a
// distributed router it happens where its distributed gateway port is bound (or, for
// dnat_and_snat rules with logical_port and external_mac, where that logical port is), in a
// zone shared with the port; packets that need both DNAT and SNAT loop back through the
// ingress pipeline (egress loopback).
#include <fmt/format.h>

#include "northd/nat.h"
#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kInportEthAddr = "xreg0[0..47]";  // REG_INPORT_ETH_ADDR
constexpr const char* kDstNatIpLocal = "reg9[4]";       // REGBIT_DST_NAT_IP_LOCAL
constexpr const char* kEgressLoopback = "reg9[0]";      // REGBIT_EGRESS_LOOPBACK

// A NAT rule with everything the flows need.
struct NatRule {
  const nb::Nat& nat;
  const NatEntry& entry;
  bool v6;
  bool distributed;  // handled where nat.logical_port is
  bool stateless;
  int cidr_bits;
  const Port* dgp;   // distributed gateway port (distributed routers)
  std::string mac;   // external_mac when distributed
  const char* ip() const { return v6 ? "6" : "4"; }
  // " && is_chassis_resident(...)" where the rule is handled on a distributed router.
  std::string resident() const {
    if (distributed) return fmt::format(" && is_chassis_resident(\"{}\")", *nat.logical_port);
    return fmt::format(" && is_chassis_resident({})", dgp->cr_port->json_name());
  }
  std::string port_range() const {
    return nat.external_port_range.empty() ? "" : "," + nat.external_port_range;
  }
};

std::optional<NatRule> check_rule(const Datapath& od, const NatEntry& e) {
  const nb::Nat& nat = *e.nat;
  if (nat.allowed_ext_ips && nat.exempted_ext_ips) return std::nullopt;
  const Port* dgp = nullptr;
  if (!od.l3dgw_ports.empty()) {
    dgp = e.l3dgw_port;
    if (!dgp || !dgp->cr_port) return std::nullopt;
  }
  int cidr_bits = 0;
  if (!e.is_v6) {
    auto li = packets::parse_ipv4_prefix(nat.logical_ip);
    if (!li.ok()) return std::nullopt;
    if (nat.type != "snat" && li->len != 32) return std::nullopt;
    cidr_bits = li->len;
  } else {
    auto li = packets::parse_ipv6_prefix(nat.logical_ip);
    if (!li.ok()) return std::nullopt;
    if (nat.type != "snat" && li->len != 128) return std::nullopt;
    cidr_bits = li->len;
  }
  bool distributed = false;
  std::string mac;
  if (!od.l3dgw_ports.empty() && nat.type == "dnat_and_snat" && nat.logical_port &&
      nat.external_mac) {
    auto m = packets::parse_mac(*nat.external_mac);
    if (!m.ok()) return std::nullopt;
    distributed = true;
    mac = m->to_string();
  }
  bool stateless = nat.type == "dnat_and_snat" && nb::get_bool(nat.options, "stateless");
  return NatRule{nat, e, e.is_v6, distributed, stateless, cidr_bits, dgp, mac};
}

void build_unsnat(BuildCtx& ctx, const NatRule& r) {
  const nb::Nat& nat = r.nat;
  if (nat.type != "snat" && nat.type != "dnat_and_snat") return;
  FlowSink& s = ctx.sink;
  const std::string stateless_action =
      fmt::format("ip{}.dst={}; next;", r.ip(), nat.logical_ip);
  if (ctx.od.is_gw_router) {
    s.add(Stage::lr_in_unsnat, 90, fmt::format("ip && ip{}.dst == {}", r.ip(), nat.external_ip),
          r.stateless ? stateless_action : "ct_snat;", nat.uuid);
    return;
  }
  const std::string base = fmt::format("ip && ip{}.dst == {} && inport == {}", r.ip(),
                                       nat.external_ip, r.dgp->json_name());
  const std::string res = r.distributed ? "" : r.resident();
  s.add(Stage::lr_in_unsnat, 100, base + " && flags.loopback == 0" + res,
        r.stateless ? stateless_action : "ct_snat_in_czone;", nat.uuid);
  if (!r.stateless) {
    // Looped back after SNAT in the SNAT zone: undo it there.
    s.add(Stage::lr_in_unsnat, 100,
          base + " && flags.loopback == 1 && flags.use_snat_zone == 1" + res, "ct_snat;",
          nat.uuid);
  }
}

void build_dnat(BuildCtx& ctx, const NatRule& r) {
  const nb::Nat& nat = r.nat;
  if (nat.type != "dnat" && nat.type != "dnat_and_snat") return;
  FlowSink& s = ctx.sink;
  std::string actions;
  if (ctx.od.is_gw_router) {
    if (!nb::get(ctx.od.nbr->options, "dnat_force_snat_ip").empty()) {
      actions = "flags.force_snat_for_dnat = 1; ";
    }
    // The router may send the packet back out the port it came in on.
    if (r.stateless) {
      actions += fmt::format("flags.loopback = 1; ip{}.dst={}; next;", r.ip(), nat.logical_ip);
    } else {
      actions += fmt::format("flags.loopback = 1; ct_dnat({}{});", nat.logical_ip, r.port_range());
    }
    s.add(Stage::lr_in_dnat, 100, fmt::format("ip && ip{}.dst == {}", r.ip(), nat.external_ip),
          actions, nat.uuid);
    return;
  }
  std::string match = fmt::format("ip && ip{}.dst == {} && inport == {}", r.ip(),
                                  nat.external_ip, r.dgp->json_name());
  if (!r.distributed) match += r.resident();
  if (r.stateless) {
    actions = fmt::format("ip{}.dst={}; next;", r.ip(), nat.logical_ip);
  } else {
    actions = fmt::format("ct_dnat_in_czone({}{});", nat.logical_ip, r.port_range());
  }
  s.add(Stage::lr_in_dnat, 100, std::move(match), std::move(actions), nat.uuid);
}

void build_undnat(BuildCtx& ctx, const NatRule& r) {
  const nb::Nat& nat = r.nat;
  if (ctx.od.l3dgw_ports.empty() || (nat.type != "dnat" && nat.type != "dnat_and_snat")) return;
  std::string match = fmt::format("ip && ip{}.src == {} && outport == {}", r.ip(),
                                  nat.logical_ip, r.dgp->json_name());
  if (!r.distributed) match += r.resident();
  std::string actions;
  if (r.distributed) actions = fmt::format("eth.src = {}; ", r.mac);
  actions += r.stateless ? "next;" : "ct_dnat_in_czone;";
  ctx.sink.add(Stage::lr_out_undnat, 100, std::move(match), std::move(actions), nat.uuid);
}

void build_snat(BuildCtx& ctx, const NatRule& r) {
  const nb::Nat& nat = r.nat;
  if (nat.type != "snat" && nat.type != "dnat_and_snat") return;
  FlowSink& s = ctx.sink;
  const uint16_t prio = static_cast<uint16_t>(r.cidr_bits + 1);
  if (ctx.od.is_gw_router) {
    std::string match = fmt::format("ip && ip{}.src == {}", r.ip(), nat.logical_ip);
    std::string actions;
    if (r.stateless) {
      actions = fmt::format("ip{}.src={}; next;", r.ip(), nat.external_ip);
    } else {
      match += " && (!ct.trk || !ct.rpl)";
      actions = fmt::format("ct_snat({}{});", nat.external_ip, r.port_range());
    }
    // Longer logical prefixes win.
    s.add(Stage::lr_out_snat, prio, std::move(match), std::move(actions), nat.uuid);
    return;
  }
  // On a distributed router the rule runs only where it applies; +128 keeps these above any
  // gateway-router style flows.
  const uint16_t dprio = static_cast<uint16_t>(prio + 128);
  std::string match = fmt::format("ip && ip{}.src == {} && outport == {}", r.ip(),
                                  nat.logical_ip, r.dgp->json_name()) +
                      r.resident();
  const std::string eth = r.distributed ? fmt::format("eth.src = {}; ", r.mac) : "";
  std::string actions = eth + (r.stateless ? fmt::format("ip{}.src={}; next;", r.ip(),
                                                          nat.external_ip)
                                           : fmt::format("ct_snat_in_czone({}{});",
                                                         nat.external_ip, r.port_range()));
  s.add(Stage::lr_out_snat, dprio, match, std::move(actions), nat.uuid);
  if (!r.stateless) {
    // Traffic DNATed locally uses the SNAT zone for SNAT, not the common zone.
    s.add(Stage::lr_out_snat, static_cast<uint16_t>(dprio + 1),
          fmt::format("{} && {} == 1", match, kDstNatIpLocal),
          fmt::format("{}{} = 0; ct_snat({}{});", eth, kDstNatIpLocal, nat.external_ip,
                      r.port_range()),
          nat.uuid);
  }
}

// Flows only distributed routers need for a rule.
void build_distributed_extras(BuildCtx& ctx, const NatRule& r, std::vector<std::string>& resolved) {
  const nb::Nat& nat = r.nat;
  FlowSink& s = ctx.sink;
  const Port& dgp = *r.dgp;
  if (nat.type == "snat") {
    s.add(Stage::lr_in_ip_input, 120,
          fmt::format("inport == {} && ip{}.src == {}", dgp.json_name(), r.ip(), nat.external_ip),
          "next;", nat.uuid);
  }
  if (std::find(resolved.begin(), resolved.end(), nat.external_ip) == resolved.end()) {
    resolved.push_back(nat.external_ip);
    s.add(Stage::lr_in_arp_resolve, 100,
          fmt::format("outport == {} && {} == {}", dgp.json_name(), r.v6 ? "xxreg0" : "reg0",
                      nat.external_ip),
          fmt::format("eth.dst = {}; next;", r.distributed ? *nat.external_mac
                                                          : dgp.lrp_networks.ea_s),
          nat.uuid);
  }
  if (r.distributed) {
    // Frames to the rule's own MAC arrive where its logical port is.
    s.add(Stage::lr_in_admission, 50,
          fmt::format("eth.dst == {} && inport == {} && is_chassis_resident(\"{}\")", r.mac,
                      dgp.json_name(), *nat.logical_port),
          fmt::format("{} = {}; next;", kInportEthAddr, dgp.lrp_networks.ea_s), nat.uuid);
    // Sent from the logical port's chassis with the rule's addresses.
    s.add(Stage::lr_in_gw_redirect, 100,
          fmt::format("ip{}.src == {} && outport == {} && is_chassis_resident(\"{}\")", r.ip(),
                      nat.logical_ip, dgp.json_name(), *nat.logical_port),
          fmt::format("eth.src = {}; {} = {}; next;", *nat.external_mac, r.v6 ? "xxreg1" : "reg1",
                      nat.external_ip),
          nat.uuid);
  }
  s.add(Stage::lr_out_chk_dnat_local, 50,
        fmt::format("ip && ip{}.dst == {}", r.ip(), nat.external_ip) + r.resident(),
        fmt::format("{} = 1; next;", kDstNatIpLocal), nat.uuid);

  // Egress loopback: a packet to the NAT address leaving the gateway port re-enters the
  // ingress pipeline so un-SNAT/DNAT and routing apply.
  std::string actions =
      fmt::format("clone {{ ct_clear; inport = outport; outport = \"\"; eth.dst <-> eth.src; "
                  "flags = 0; flags.loopback = 1; flags.use_snat_zone = {}; ",
                  kDstNatIpLocal);
  for (int j = 0; j < 10; ++j) actions += fmt::format("reg{} = 0; ", j);
  actions += fmt::format("{} = 1; next(pipeline=ingress, table={}); }};", kEgressLoopback,
                         stage_table(Stage::lr_in_admission));
  s.add(Stage::lr_out_egr_loop, 100,
        fmt::format("ip{}.dst == {} && outport == {}", r.ip(), nat.external_ip, dgp.json_name()) +
            r.resident(),
        std::move(actions), nat.uuid);
  // What DNAT/un-SNAT did not translate must not bounce back out the same port.
  s.add(Stage::lr_in_arp_resolve, 150,
        fmt::format("inport == {} && outport == {} && ip{}.dst == {}", dgp.json_name(),
                    dgp.json_name(), r.ip(), nat.external_ip),
        "drop;", nat.uuid);
}

std::string arp_reply(const std::string& mac) {
  return fmt::format(
      "eth.dst = eth.src; eth.src = {0}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; "
      "arp.sha = {0}; arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;",
      mac);
}

std::string nd_reply(const std::string& mac, const std::string& ip) {
  return fmt::format(
      "nd_na {{ eth.src = {0}; ip6.src = {1}; nd.target = {1}; nd.tll = {0}; "
      "outport = inport; flags.loopback = 1; output; }};",
      mac, ip);
}

// ARP/ND replies for a NAT address: anywhere (with the receiving port's MAC), and on a
// distributed gateway port only from where the rule lives.
void build_nat_arp_nd(BuildCtx& ctx, const NatEntry& e) {
  const nb::Nat& nat = *e.nat;
  FlowSink& s = ctx.sink;
  const std::string& ip = nat.external_ip;
  const std::string sn = e.is_v6 ? e.ext_v6.solicited_node().to_string() : "";
  auto match_for = [&](const Port* op) {
    std::string in = op ? "inport == " + op->json_name() + " && " : "";
    if (e.is_v6) {
      return fmt::format("{}nd_ns && ip6.dst == {{{}, {}}} && nd.target == {}", in, ip, sn, ip);
    }
    return fmt::format("{}arp.op == 1 && arp.tpa == {}", in, ip);
  };
  auto reply = [&](const std::string& mac) {
    return e.is_v6 ? nd_reply(mac, ip) : arp_reply(mac);
  };
  s.add(Stage::lr_in_ip_input, 90, match_for(nullptr), reply(kInportEthAddr), nat.uuid);

  for (const Port* dgp : ctx.od.l3dgw_ports) {
    // With several gateway ports, only the rule's own port answers.
    if (ctx.od.l3dgw_ports.size() > 1 && e.l3dgw_port != dgp) continue;
    std::string mac = kInportEthAddr;
    std::string extra;
    if (nat.external_mac && nat.logical_port && packets::parse_mac(*nat.external_mac).ok()) {
      mac = *nat.external_mac;
      extra = fmt::format("is_chassis_resident(\"{}\")", *nat.logical_port);
    } else if (dgp->cr_port) {
      extra = fmt::format("is_chassis_resident({})", dgp->cr_port->json_name());
    }
    s.add(Stage::lr_in_ip_input, 92, match_for(dgp) + (extra.empty() ? "" : " && " + extra),
          reply(mac), nat.uuid);
    s.add(Stage::lr_in_ip_input, 91, match_for(dgp), "drop;", nat.uuid);
  }
}

}  // namespace

void build_lr_nat(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  for (Stage st : {Stage::lr_in_unsnat, Stage::lr_in_defrag, Stage::lr_in_lb_aff_check,
                   Stage::lr_in_dnat, Stage::lr_in_lb_aff_learn, Stage::lr_in_ecmp_stateful,
                   Stage::lr_in_nd_ra_options, Stage::lr_in_nd_ra_response,
                   Stage::lr_out_undnat, Stage::lr_out_post_undnat, Stage::lr_out_snat,
                   Stage::lr_out_post_snat, Stage::lr_out_egr_loop}) {
    s.add(st, 0, "1", "next;");
  }
  s.add(Stage::lr_out_chk_dnat_local, 0, "1", fmt::format("{} = 0; next;", kDstNatIpLocal));
  // Neighbor solicitations ovn-controller injects must not go through conntrack.
  s.add(Stage::lr_out_snat, 120, "nd_ns", "next;");

  const bool has_nat = !od.nbr->nat.empty();
  if (od.is_gw_router && has_nat) {
    // Every packet goes through the DNAT zone so replies get un-DNATed; new reply-direction
    // connections are committed so they are tracked.
    s.add(Stage::lr_out_undnat, 100, "nd || nd_rs || nd_ra", "next;");
    s.add(Stage::lr_out_undnat, 50, "ip", "flags.loopback = 1; ct_dnat;");
    s.add(Stage::lr_out_post_undnat, 50, "ip && ct.new", "ct_commit { } ; next; ");
  }
  // NAT applies only on gateway routers and routers with a distributed gateway port.
  if (!od.is_gw_router && od.l3dgw_ports.empty()) return;

  std::vector<std::string> resolved;
  for (const NatEntry& e : od.nat_entries) {
    auto rule = check_rule(od, e);
    if (!rule) continue;
    build_unsnat(ctx, *rule);
    build_dnat(ctx, *rule);
    if (!od.l3dgw_ports.empty()) build_distributed_extras(ctx, *rule, resolved);
    build_undnat(ctx, *rule);
    build_snat(ctx, *rule);
  }
  if (has_nat) {
    const char* ct = ctx.config().features.ct_no_masked_label ? "ct_mark" : "ct_label";
    s.add(Stage::lr_out_chk_dnat_local, 50, fmt::format("ip && {}.natted == 1", ct),
          fmt::format("{} = 1; next;", kDstNatIpLocal), od.nb_uuid);
  }
  // ARP/ND for NAT addresses: DNAT ones, then each distinct SNAT address once.
  for (const NatEntry& e : od.nat_entries) {
    if (e.nat->type != "snat") build_nat_arp_nd(ctx, e);
  }
  for (size_t i : od.snat_ips) build_nat_arp_nd(ctx, od.nat_entries[i]);
}

}  // namespace ovnx::northd
