// Logical switch: native DHCPv4/DHCPv6 and DNS (ingress tables 20-23), and the handling of
// external ports, whose traffic arrives through a localnet port (ingress table 24).
//
// ovn-controller builds the DHCP replies (put_dhcp_opts / put_dhcpv6_opts) and DNS answers
// (dns_lookup); these flows select the packets and send the answers back out the inport.
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kDhcpOptsResult = "reg0[3]";   // REGBIT_DHCP_OPTS_RESULT
constexpr const char* kDnsLookupResult = "reg0[4]";  // REGBIT_DNS_LOOKUP_RESULT

struct DhcpActions {
  std::string options;   // put_dhcp_opts(...)
  std::string response;  // turn the packet around
  std::string addr_match;
};

// DHCPv4 for one offered address, if the port's options cover it.
std::optional<DhcpActions> dhcpv4_actions(const nb::DhcpOptions& dhcp,
                                          const nb::LogicalSwitchPort& lsp,
                                          const Ipv4Netaddr& offer) {
  auto cidr = packets::parse_ipv4_prefix(dhcp.cidr);
  if (!cidr.ok()) return std::nullopt;
  if ((offer.addr.value ^ cidr->addr.value) & cidr->mask().value) return std::nullopt;
  const std::string& server_ip = nb::get(dhcp.options, "server_id");
  const std::string& server_mac = nb::get(dhcp.options, "server_mac");
  const std::string& lease_time = nb::get(dhcp.options, "lease_time");
  if (server_ip.empty() || server_mac.empty() || lease_time.empty()) return std::nullopt;

  nb::Smap opts = dhcp.options;
  opts.erase("server_mac");  // not a DHCP option
  opts["netmask"] = cidr->mask().to_string();
  const std::string& hostname = nb::get(lsp.options, "hostname");
  if (!hostname.empty()) opts["hostname"] = "\"" + hostname + "\"";

  DhcpActions a;
  a.options = fmt::format("{} = put_dhcp_opts(offerip = {}, ", kDhcpOptsResult, offer.addr_s);
  for (const auto& [k, v] : opts) a.options += fmt::format("{} = {}, ", k, v);
  a.options.resize(a.options.size() - 2);
  a.options += "); next;";
  a.response = fmt::format(
      "eth.dst = eth.src; eth.src = {}; ip4.src = {}; udp.src = 67; udp.dst = 68; "
      "outport = inport; flags.loopback = 1; output;",
      server_mac, server_ip);
  a.addr_match =
      fmt::format("ip4.src == {} && ip4.dst == {{{}, 255.255.255.255}}", offer.addr_s, server_ip);
  return a;
}

std::optional<DhcpActions> dhcpv6_actions(const nb::DhcpOptions& dhcp, const Ipv6Netaddr& offer) {
  auto cidr = packets::parse_ipv6_prefix(dhcp.cidr);
  if (!cidr.ok()) return std::nullopt;
  if ((offer.addr & cidr->mask()) != cidr->network()) return std::nullopt;
  const std::string& server_mac = nb::get(dhcp.options, "server_id");
  auto ea = packets::parse_mac(server_mac);
  if (server_mac.empty() || !ea.ok()) return std::nullopt;
  const std::string server_ip = packets::Ipv6Addr::link_local_from_mac(*ea).to_string();

  DhcpActions a;
  a.options = fmt::format("{} = put_dhcpv6_opts(", kDhcpOptsResult);
  // Stateless DHCPv6 hands out options only, no address.
  if (!nb::get_bool(dhcp.options, "dhcpv6_stateless")) {
    a.options += fmt::format("ia_addr = {}, ", offer.addr_s);
  }
  for (const auto& [k, v] : dhcp.options) {
    if (k != "dhcpv6_stateless") a.options += fmt::format("{} = {}, ", k, v);
  }
  while (!a.options.empty() && (a.options.back() == ' ' || a.options.back() == ',')) {
    a.options.pop_back();
  }
  a.options += "); next;";
  a.response = fmt::format(
      "eth.dst = eth.src; eth.src = {}; ip6.dst = ip6.src; ip6.src = {}; udp.src = 547; "
      "udp.dst = 546; outport = inport; flags.loopback = 1; output;",
      server_mac, server_ip);
  return a;
}

// `inport` is the port itself, or for an external port each localnet port of the switch.
void build_dhcp_flows(BuildCtx& ctx, const Port& op, const LportAddresses& la,
                      const Port& inport, bool is_external) {
  const nb::Snapshot& nb = ctx.topo.nb();
  const nb::LogicalSwitchPort& lsp = *op.nbsp;
  FlowSink& s = ctx.sink;
  const std::string resident =
      is_external ? fmt::format(" && is_chassis_resident({})", op.json_name()) : "";
  const std::string in = "inport == " + inport.json_name();

  if (lsp.dhcpv4_options) {
    if (const auto* dhcp = nb::find(nb.dhcp_options, *lsp.dhcpv4_options)) {
      const FlowOpts o{.hint = dhcp->uuid, .io_port = inport.name};
      for (const Ipv4Netaddr& addr : la.ipv4) {
        auto a = dhcpv4_actions(*dhcp, lsp, addr);
        if (!a) continue;
        s.add(Stage::ls_in_dhcp_options, 100,
              fmt::format("{} && eth.src == {} && ip4.src == 0.0.0.0 && "
                          "ip4.dst == 255.255.255.255 && udp.src == 68 && udp.dst == 67{}",
                          in, la.ea_s, resident),
              a->options, o);
        // Renewals, unicast to the server or broadcast.
        s.add(Stage::ls_in_dhcp_options, 100,
              fmt::format("{} && eth.src == {} && {} && udp.src == 68 && udp.dst == 67{}", in,
                          la.ea_s, a->addr_match, resident),
              a->options, o);
        s.add(Stage::ls_in_dhcp_response, 100,
              fmt::format("{} && eth.src == {} && ip4 && udp.src == 68 && udp.dst == 67 && {}{}",
                          in, la.ea_s, kDhcpOptsResult, resident),
              a->response, o);
        break;
      }
    }
  }
  if (lsp.dhcpv6_options) {
    if (const auto* dhcp = nb::find(nb.dhcp_options, *lsp.dhcpv6_options)) {
      const FlowOpts o{.hint = dhcp->uuid, .io_port = inport.name};
      for (const Ipv6Netaddr& addr : la.ipv6) {
        auto a = dhcpv6_actions(*dhcp, addr);
        if (!a) continue;
        std::string match = fmt::format(
            "{} && eth.src == {} && ip6.dst == ff02::1:2 && udp.src == 546 && udp.dst == 547{}",
            in, la.ea_s, resident);
        s.add(Stage::ls_in_dhcp_options, 100, match, a->options, o);
        s.add(Stage::ls_in_dhcp_response, 100, match + " && " + kDhcpOptsResult, a->response,
              o);
        break;
      }
    }
  }
}

void build_dhcp_port(BuildCtx& ctx, const Port& op) {
  const nb::LogicalSwitchPort& lsp = *op.nbsp;
  if (!op.enabled() || lsp.type == "router") return;
  if (!lsp.dhcpv4_options && !lsp.dhcpv6_options) return;
  const bool is_external = lsp.type == "external";
  if (is_external && (ctx.od.localnet_ports.empty() || !lsp.ha_chassis_group)) return;
  for (const LportAddresses& la : op.lsp_addrs) {
    if (is_external) {
      for (const Port* ln : ctx.od.localnet_ports) build_dhcp_flows(ctx, op, la, *ln, true);
    } else {
      build_dhcp_flows(ctx, op, la, op, false);
    }
  }
}

// An external port is served only by the chassis that binds it: elsewhere, its requests for
// the switch's router addresses (arriving via the localnet port) are dropped.
void build_external_port(BuildCtx& ctx, const Port& op) {
  if (op.nbsp->type != "external") return;
  FlowSink& s = ctx.sink;
  for (const Port* ln : ctx.od.localnet_ports) {
    const FlowOpts o{.hint = op.hint(), .io_port = ln->name};
    for (const LportAddresses& la : op.lsp_addrs) {
      for (const Port* rp : ctx.od.router_ports) {
        for (const LportAddresses& ra : rp->lsp_addrs) {
          for (const Ipv4Netaddr& a : ra.ipv4) {
            s.add(Stage::ls_in_external_port, 100,
                  fmt::format("inport == {} && eth.src == {} && !is_chassis_resident({}) && "
                              "arp.tpa == {} && arp.op == 1",
                              ln->json_name(), la.ea_s, op.json_name(), a.addr_s),
                  "drop;", o);
          }
          for (const Ipv6Netaddr& a : ra.ipv6) {
            s.add(Stage::ls_in_external_port, 100,
                  fmt::format("inport == {} && eth.src == {} && !is_chassis_resident({}) && "
                              "nd_ns && ip6.dst == {{{}, {}}} && nd.target == {}",
                              ln->json_name(), la.ea_s, op.json_name(), a.addr_s, a.sn_addr_s,
                              a.addr_s),
                  "drop;", o);
          }
          s.add(Stage::ls_in_external_port, 100,
                fmt::format("inport == {} && eth.src == {} && eth.dst == {} && "
                            "!is_chassis_resident({})",
                            ln->json_name(), la.ea_s, ra.ea_s, op.json_name()),
                "drop;", o);
        }
      }
    }
  }
}

void build_dns(BuildCtx& ctx) {
  if (!ctx.od.has_dns_records) return;
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_in_dns_lookup, 100, "udp.dst == 53",
        fmt::format("{} = dns_lookup(); next;", kDnsLookupResult));
  const std::string match = fmt::format("udp.dst == 53 && {}", kDnsLookupResult);
  s.add(Stage::ls_in_dns_response, 100, match,
        "eth.dst <-> eth.src; ip4.src <-> ip4.dst; udp.dst = udp.src; udp.src = 53; "
        "outport = inport; flags.loopback = 1; output;");
  s.add(Stage::ls_in_dns_response, 100, match,
        "eth.dst <-> eth.src; ip6.src <-> ip6.dst; udp.dst = udp.src; udp.src = 53; "
        "outport = inport; flags.loopback = 1; output;");
}

}  // namespace

void build_ls_dhcp_dns(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  for (Stage st : {Stage::ls_in_dhcp_options, Stage::ls_in_dhcp_response,
                   Stage::ls_in_dns_lookup, Stage::ls_in_dns_response,
                   Stage::ls_in_external_port}) {
    s.add(st, 0, "1", "next;");
  }
  for (const Port* op : ctx.od.ports) {
    if (!s.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(s, op->nb_uuid);
    build_dhcp_port(ctx, *op);
    build_external_port(ctx, *op);
  }
  build_dns(ctx);
}

}  // namespace ovnx::northd
