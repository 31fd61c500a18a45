// lr-nat-add, lr-nat-del, lr-nat-list.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/hash_order.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LR = nb::LogicalRouter;
using LRP = nb::LogicalRouterPort;
using NAT = nb::NAT;

bool valid_type(const std::string& t) {
  return t == "dnat" || t == "snat" || t == "dnat_and_snat";
}

Status bad_type(const std::string& t) {
  return make_error(
      fmt::format("{}: type must be one of \"dnat\", \"snat\" and \"dnat_and_snat\".", t));
}

// "N" or "N-M", 1 <= N < M <= 65535.
bool valid_port_range(const std::string& r) {
  size_t dash = r.find('-');
  auto lo = parse_int_in_range(r.substr(0, dash), 1, 65535);
  if (!lo) return false;
  if (dash == std::string::npos) return true;
  auto hi = parse_int_in_range(r.substr(dash + 1), 1, 65535);
  return hi && *lo < *hi;
}

// A distributed gateway port: one with gateway chassis or an HA chassis group.
bool is_dgp(const LRP* p) {
  return !p->gateway_chassis().empty() || p->ha_chassis_group() != nullptr;
}

// True if IP (text) lies in one of PORT's networks.
bool port_has_network_for(const LRP* port, const std::string& ip) {
  auto v4 = parse_ipv4(ip);
  auto v6 = v4 ? std::nullopt : parse_ipv6(ip);
  for (const std::string& n : port->networks()) {
    if (v4) {
      if (auto c = parse_ipv4_cidr(n)) {
        if ((c->addr & ipv4_mask(c->plen)) == (*v4 & ipv4_mask(c->plen))) return true;
      }
    } else if (v6) {
      if (auto c = parse_ipv6_cidr(n)) {
        Ipv6 m = ipv6_mask(c->plen);
        if (ipv6_and(c->addr, m) == ipv6_and(*v6, m)) return true;
      }
    }
  }
  return false;
}

// The gateway port of a new NAT: --gateway-port, or inferred from the external IP when the
// router has several distributed gateway ports.
Result<const LRP*> gateway_port_for(Nb& nb, const LR* lr, const std::string& external_ip) {
  if (const std::string* name = nb.ctx().option("--gateway-port")) {
    OVNX_ASSIGN_OR_RETURN(const LRP* gw, nb.lrp(*name));
    auto ports = nb.refs(lr->ports());
    bool mine = std::any_of(ports.begin(), ports.end(),
                            [&](const LRP* p) { return p->uuid() == gw->uuid(); });
    if (!mine) {
      return make_error(
          fmt::format("{} is not a router port of logical router: {}.", *name, lr->name()));
    }
    if (!is_dgp(gw)) {
      return make_error(fmt::format("{} is not a distributed gateway router port.", *name));
    }
    return gw;
  }
  std::vector<const LRP*> dgps;
  for (const LRP* p : nb.refs(lr->ports())) {
    if (is_dgp(p)) dgps.push_back(p);
  }
  // The external IP must tell which of several gateway ports applies, but the NAT is not
  // tied to it (the real tool leaves gateway_port empty then).
  if (dgps.size() <= 1) return static_cast<const LRP*>(nullptr);
  for (const LRP* p : dgps) {
    if (port_has_network_for(p, external_ip)) return static_cast<const LRP*>(nullptr);
  }
  return make_error(fmt::format(
      "logical router: {} has multiple distributed gateway ports and gateway_port can not be "
      "determined from external IP of NAT rule.",
      lr->name()));
}

bool same_gateway(const NAT* nat, const LRP* gw) {
  const LRP* have = nat->gateway_port();
  return (!have && !gw) || (have && gw && have->uuid() == gw->uuid());
}

Status nat_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  const std::string& type = a[2];
  if (!valid_type(type)) return bad_type(type);
  bool stateless = ctx.has_option("--stateless");
  if (stateless && type != "dnat_and_snat") {
    return make_error("stateless is not applicable to dnat or snat types");
  }
  // The external IP is stored as typed (only checked); the logical IP is normalized.
  const std::string& external_ip = a[3];
  if (!parse_ipv4(external_ip) && !parse_ipv6(external_ip)) {
    return make_error(fmt::format("{}: Not a valid IPv4 or IPv6 address.", a[3]));
  }
  bool v6 = !parse_ipv4(external_ip);
  const char* family = v6 ? "IPv6" : "IPv4";
  std::string logical_ip;
  if (type != "snat") {
    auto l = v6 ? normalize_ipv6(a[4]) : normalize_ipv4(a[4]);
    if (!l) return make_error(fmt::format("{}: Not a valid {} address.", a[4], family));
    logical_ip = *l;
  } else {
    auto l = normalize_prefix(a[4]);
    if (!l || (l->find(':') != std::string::npos) != v6) {
      return make_error(fmt::format("{}: should be an {} address or network.", a[4], family));
    }
    logical_ip = *l;
  }

  // Optional LOGICAL_PORT EXTERNAL_MAC, then EXTERNAL_PORT_RANGE (the only extra argument
  // with --portrange).
  bool portrange = ctx.has_option("--portrange");
  const std::string* logical_port = nullptr;
  const std::string* external_mac = nullptr;
  const std::string* port_range = nullptr;
  if (a.size() >= 7) {
    if (type != "dnat_and_snat") {
      return make_error(
          "logical_port and external_mac are only valid when type is \"dnat_and_snat\".");
    }
    if (portrange && a.size() == 7) {
      return make_error("lr-nat-add with logical_port must also specify external_mac.");
    }
    logical_port = &a[5];
    external_mac = &a[6];
    if (a.size() == 8) port_range = &a[7];
    OVNX_ASSIGN_OR_RETURN(const nb::LogicalSwitchPort* lsp, nb.lsp(*logical_port));
    (void)lsp;
    if (!parse_mac(*external_mac)) {
      return make_error(fmt::format("invalid mac address {}.", *external_mac));
    }
  } else if (a.size() == 6) {
    if (!portrange) return make_error("lr-nat-add with logical_port must also specify external_mac.");
    port_range = &a[5];
  }
  if (port_range && !valid_port_range(*port_range)) {
    return make_error(fmt::format("invalid port range {}.", *port_range));
  }
  OVNX_ASSIGN_OR_RETURN(const LRP* gw, gateway_port_for(nb, lr, external_ip));

  // Conflicts with existing NATs. Like the real tool, a later error replaces an earlier one
  // (which is logged as discarded); a conflict over stateless use of an IP ends the scan.
  std::optional<std::string> error;
  auto fail = [&](std::string message) {
    if (error) log_discarded_error(*error);
    error = std::move(message);
  };
  for (const NAT* nat : nb.refs(lr->nat())) {
    if (nat->type() == type && same_gateway(nat, gw)) {
      bool snat = type == "snat";
      const std::string& key = snat ? nat->logical_ip() : nat->external_ip();
      const std::string& other = snat ? nat->external_ip() : nat->logical_ip();
      if (key == (snat ? logical_ip : external_ip)) {
        if (other == (snat ? external_ip : logical_ip)) {
          if (ctx.has_option("--may-exist")) {
            if (logical_port && external_mac) {
              auto w = NAT::edit(nb.txn(), nat);
              w.set_logical_port(*logical_port);
              w.set_external_mac(*external_mac);
            }
            if (error) return make_error(*error);
            return {};
          }
          fail(fmt::format("{}, {}: a NAT with this external_ip and logical_ip already exists",
                           external_ip, logical_ip));
        } else {
          fail(fmt::format("a NAT with this type ({}), {} ({}) already exists", type,
                           snat ? "logical_ip" : "external_ip", snat ? logical_ip : external_ip));
        }
      }
    }
    if ((nat->type() == "dnat_and_snat" || type == "dnat_and_snat") &&
        nat->external_ip() == external_ip) {
      bool was_stateless = nat->options().get_or("stateless", "") == "true";
      if (stateless || was_stateless) {
        fail(fmt::format("{}, {}: External ip cannot be shared across stateless and stateful NATs",
                         external_ip, logical_ip));
        break;
      }
    }
  }
  if (error) return make_error(*error);

  auto w = NAT::insert(nb.txn());
  w.set_type(type);
  w.set_external_ip(external_ip);
  w.set_logical_ip(logical_ip);
  if (logical_port && external_mac) {
    w.set_logical_port(*logical_port);
    w.set_external_mac(*external_mac);
  }
  if (port_range) w.set_external_port_range(*port_range);
  std::map<std::string, std::string> options{{"stateless", stateless ? "true" : "false"}};
  if (ctx.has_option("--add-route")) options["add_route"] = "true";
  w.set_options(options);
  if (gw) w.set_gateway_port(gw);
  LR::edit(nb.txn(), lr).add_nat(w.row());
  return {};
}

Status nat_del(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  if (a.size() == 2) {
    LR::edit(nb.txn(), lr).set_nat({});
    return {};
  }
  const std::string& type = a[2];
  if (!valid_type(type)) return bad_type(type);
  bool snat = type == "snat";
  std::optional<std::string> ip;
  const LRP* gw = nullptr;
  if (a.size() >= 4) {
    // The third argument is the IP if it reads as one, else a gateway port.
    ip = normalize_prefix(a[3]);
    const std::string* gw_name = a.size() == 5 ? &a[4] : (!ip ? &a[3] : nullptr);
    if (gw_name) {
      OVNX_ASSIGN_OR_RETURN(gw, nb.lrp(*gw_name));
    }
  }
  auto edit = LR::edit(nb.txn(), lr);
  bool removed = false;
  for (const NAT* nat : nb.refs(lr->nat())) {
    if (nat->type() != type) continue;
    if (ip && (snat ? nat->logical_ip() : nat->external_ip()) != *ip) continue;
    if (gw && !same_gateway(nat, gw)) continue;
    edit.remove_nat(nat);
    removed = true;
  }
  if (!removed && ip && gw && !ctx.has_option("--if-exists")) {
    return make_error(fmt::format("no matching NAT with the type ({}), {} ({}) and gateway_port ({})",
                                  type, snat ? "logical_ip" : "external_ip", *ip, gw->name()));
  }
  return {};
}

Status nat_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(ctx.args()[1]));
  // Sorted by type, gateway port and external IP as printed (truncated); ties keep the real
  // tool's hash-table order.
  struct Line {
    std::string key, text;
  };
  std::vector<Line> lines;
  for (const NAT* nat : nb.refs(lr->nat())) {
    const LRP* gw = nb.view(nat->gateway_port());
    std::string key = fmt::format("{:<17.13}{:<22.18}{:<19.15}", nat->type(),
                                  gw ? gw->name() : std::string(), nat->external_ip());
    std::string text = key + fmt::format("{:<17.13}", nat->external_port_range());
    auto mac = nat->external_mac();
    auto port = nat->logical_port();
    if (mac && port) {
      text += fmt::format("{:<20.16}{:<21.17}{}", nat->logical_ip(), *mac, *port);
    } else {
      text += nat->logical_ip();
    }
    lines.push_back({std::move(key), std::move(text)});
  }
  if (lines.empty()) return {};
  std::vector<uint32_t> hashes;
  for (const Line& l : lines) hashes.push_back(ovs_hash_string(l.key));
  std::vector<Line> ordered;
  for (size_t i : hmap_iteration_order(hashes)) ordered.push_back(lines[i]);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Line& x, const Line& y) { return x.key < y.key; });
  std::string& out = ctx.output();
  out += fmt::format("{:<17.13}{:<22.18}{:<19.15}{:<17.13}{:<20.16}{:<21.17}{}\n", "TYPE",
                     "GATEWAY_PORT", "EXTERNAL_IP", "EXTERNAL_PORT", "LOGICAL_IP", "EXTERNAL_MAC",
                     "LOGICAL_PORT");
  for (const Line& l : ordered) out += l.text + "\n";
  return {};
}

void nat_prereq(ctl::Context& ctx) {
  want<LR>(ctx, {LR::Col::name, LR::Col::nat, LR::Col::ports});
  want<NAT>(ctx);
  want<LRP>(ctx, {LRP::Col::name, LRP::Col::networks, LRP::Col::gateway_chassis,
                  LRP::Col::ha_chassis_group});
  want<nb::LogicalSwitchPort>(ctx, {nb::LogicalSwitchPort::Col::name});
}

}  // namespace

void add_nat_commands(Commands& out) {
  out.push_back({"lr-nat-add",
                 "ROUTER TYPE EXTERNAL_IP LOGICAL_IP [LOGICAL_PORT EXTERNAL_MAC] "
                 "[EXTERNAL_PORT_RANGE]",
                 4, 7, "--may-exist,--stateless,--portrange,--add-route,--gateway-port=",
                 nat_prereq, nat_add});
  out.push_back({"lr-nat-del", "ROUTER [TYPE [IP] [GATEWAY_PORT]]", 1, 4, "--if-exists",
                 nat_prereq, nat_del});
  out.push_back({"lr-nat-list", "ROUTER", 1, 1, "", nat_prereq, nat_list});
}

}  // namespace ovnx::nbctl
