// lsp-add, lsp-del, lsp-list and the lsp-get-* / lsp-set-* commands.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LS = nb::LogicalSwitch;
using LSP = nb::LogicalSwitchPort;
using C = LSP::Col;

// Prerequisites: the port's name plus COLUMNS, and switch names and ports (to find a port's
// switch).
Prereq lsp_prereq(std::vector<size_t> columns) {
  return [columns](ctl::Context& ctx) {
    std::vector<size_t> cols = columns;
    cols.push_back(C::name);
    want<LSP>(ctx, cols);
    want<LS>(ctx, {LS::Col::name, LS::Col::ports});
  };
}

Result<const LSP*> port_arg(Nb& nb, size_t i = 1) { return nb.lsp(nb.ctx().args()[i]); }

Status lsp_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  bool may_exist = ctx.has_option("--may-exist");
  OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.ls(a[1]));
  const std::string& name = a[2];
  const std::string* parent = nullptr;
  int64_t tag = -1;
  if (a.size() == 5) {
    parent = &a[3];
    Scanner s(a[4]);
    long long v;
    if (!s.integer(10, &v) || v < 0 || v > 4095) {
      return make_error(fmt::format("{}: invalid tag (must be in range 0 to 4095)", a[4]));
    }
    tag = v;
  } else if (a.size() != 3) {
    return make_error("lsp-add with parent must also specify a tag");
  }

  OVNX_ASSIGN_OR_RETURN(const LSP* existing, nb.lsp(name, false));
  if (existing) {
    if (!may_exist) return make_error(fmt::format("{}: a port with this name already exists", name));
    OVNX_ASSIGN_OR_RETURN(const LS* owner, nb.switch_of(existing));
    if (owner->uuid() != ls->uuid()) {
      return make_error(
          fmt::format("{}: port already exists but in switch {}", name, owner->name()));
    }
    auto old_parent = existing->parent_name();
    if (parent) {
      if (!old_parent) return make_error(fmt::format("{}: port already exists but has no parent", name));
      if (*old_parent != *parent) {
        return make_error(fmt::format("{}: port already exists with different parent {}", name,
                                      *old_parent));
      }
      auto old_tag = existing->tag_request();
      if (!old_tag) {
        return make_error(fmt::format("{}: port already exists but has no tag_request", name));
      }
      if (*old_tag != tag) {
        return make_error(fmt::format("{}: port already exists with different tag_request {}",
                                      name, *old_tag));
      }
    } else if (old_parent) {
      return make_error(
          fmt::format("{}: port already exists but has parent {}", name, *old_parent));
    }
    return {};
  }

  auto w = LSP::insert(nb.txn());
  w.set_name(name);
  if (parent) {
    w.set_parent_name(*parent);
    w.set_tag_request(tag);
  }
  LS::edit(nb.txn(), ls).add_ports(w.row());
  nb.port_added(w.row(), ls);
  return {};
}

Status lsp_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, nb.lsp(ctx.args()[1], !ctx.has_option("--if-exists")));
  if (!lsp) return {};
  OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.switch_of(lsp));
  LS::edit(nb.txn(), ls).remove_ports(lsp);
  nb.port_removed(lsp);
  LSP::edit(nb.txn(), lsp).remove();
  return {};
}

Status lsp_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.ls(ctx.args()[1]));
  std::vector<std::pair<std::string, std::string>> lines;
  for (const LSP* p : nb.refs(ls->ports())) {
    lines.emplace_back(p->name(), fmt::format("{} ({})", p->uuid().to_string(), p->name()));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [n, line] : lines) ctx.output() += line + "\n";
  return {};
}

Status lsp_get_parent(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  if (auto p = lsp->parent_name()) ctx.output() += fmt::format("{}\n", *p);
  return {};
}

Status lsp_get_tag(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  if (auto t = lsp->tag()) ctx.output() += fmt::format("{}\n", *t);
  return {};
}

// An address argument must be a keyword, start with a MAC, or be a "dynamic ..." form.
bool valid_address(const std::string& a) {
  if (a == "unknown" || a == "dynamic" || a == "router") return true;
  Scanner s(a);
  Mac mac;
  return scan_mac(s, &mac) || is_dynamic_lsp_address(a) ||
         a.compare(0, 8, "dynamic ") == 0;
}

// The error if ADDRESS (for port LSP) repeats an IP of another port of the switch.
std::optional<std::string> duplicate_ip(Nb& nb, const LS* ls, const LSP* lsp,
                                        const std::string& address) {
  auto mine = extract_lport_addresses(address);
  if (!mine) return std::nullopt;
  for (const LSP* other : nb.refs(ls->ports())) {
    if (other->uuid() == lsp->uuid()) continue;
    for (const std::string& addr_ref : other->addresses()) {
      std::string_view addr = addr_ref;
      if (auto dyn = other->dynamic_addresses(); dyn && is_dynamic_lsp_address(addr)) addr = *dyn;
      auto theirs = extract_lport_addresses(addr);
      if (!theirs) continue;
      for (Ipv4 a : mine->ipv4) {
        if (std::find(theirs->ipv4.begin(), theirs->ipv4.end(), a) != theirs->ipv4.end()) {
          return fmt::format("Error on switch {}: duplicate IPv4 address '{}' found on logical "
                             "switch port '{}'",
                             ls->name(), ipv4_to_string(a), other->name());
        }
      }
      for (const Ipv6& a : mine->ipv6) {
        if (std::find(theirs->ipv6.begin(), theirs->ipv6.end(), a) != theirs->ipv6.end()) {
          return fmt::format("Error on switch {}: duplicate IPv6 address '{}' found on logical "
                             "switch port '{}'",
                             ls->name(), ipv6_to_string(a), other->name());
        }
      }
    }
  }
  return std::nullopt;
}

Status lsp_set_addresses(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  const auto& a = ctx.args();
  for (size_t i = 2; i < a.size(); ++i) {
    if (!valid_address(a[i])) {
      return make_error(fmt::format(
          "{}: Invalid address format. See ovn-nb(5). Hint: An Ethernet address must be listed "
          "before an IP address, together as a single argument.",
          a[i]));
    }
    OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.switch_of(lsp));
    if (auto err = duplicate_ip(nb, ls, lsp, a[i])) return make_error(*err);
  }
  LSP::edit(nb.txn(), lsp).set_addresses({a.begin() + 2, a.end()});
  return {};
}

// Prints a string set one element per line (sorted, as the set is).
Status print_set(ctl::Context& ctx, client::SetView<std::string> set) {
  for (const std::string& s : set) ctx.output() += s + "\n";
  return {};
}

Status lsp_get_addresses(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  return print_set(ctx, lsp->addresses());
}

Status lsp_set_port_security(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  const auto& a = ctx.args();
  LSP::edit(nb.txn(), lsp).set_port_security({a.begin() + 2, a.end()});
  return {};
}

Status lsp_get_port_security(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  return print_set(ctx, lsp->port_security());
}

Status lsp_get_up(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  auto up = lsp->up();
  ctx.output() += up && *up ? "up\n" : "down\n";
  return {};
}

Status lsp_set_enabled(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  OVNX_ASSIGN_OR_RETURN(bool enabled, parse_enabled_state(ctx.args()[2]));
  LSP::edit(nb.txn(), lsp).set_enabled(enabled);
  return {};
}

Status lsp_get_enabled(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  auto e = lsp->enabled();
  ctx.output() += !e || *e ? "enabled\n" : "disabled\n";
  return {};
}

Status lsp_set_type(ctl::Context& ctx) {
  static const char* const kTypes[] = {"",      "l2gateway", "localnet", "localport", "router",
                                       "vtep",  "external",  "virtual",  "remote"};
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  const std::string& type = ctx.args()[2];
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes)) {
    return make_error(
        fmt::format("Logical switch port type '{}' is unrecognized. Not setting type.", type));
  }
  LSP::edit(nb.txn(), lsp).set_type(type);
  return {};
}

Status lsp_get_type(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  ctx.output() += lsp->type() + "\n";
  return {};
}

Status lsp_set_options(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  LSP::edit(nb.txn(), lsp).set_options(parse_key_values(ctx.args(), 2));
  return {};
}

Status lsp_get_options(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  print_smap(ctx, lsp->options());
  return {};
}

Status set_dhcp_options(ctl::Context& ctx, bool v6) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  const nb::DHCPOptions* opts = nullptr;
  if (ctx.args().size() > 2) {
    OVNX_ASSIGN_OR_RETURN(opts, nb.dhcp_options(ctx.args()[2]));
    bool ok = v6 ? parse_ipv6_cidr(opts->cidr()).has_value()
                 : parse_ipv4_cidr(opts->cidr()).has_value();
    if (!ok) {
      return make_error(fmt::format("DHCP options cidr '{}' is not IPv{}", opts->cidr(),
                                    v6 ? 6 : 4));
    }
  }
  auto w = LSP::edit(nb.txn(), lsp);
  if (v6) {
    w.set_dhcpv6_options(opts);
  } else {
    w.set_dhcpv4_options(opts);
  }
  return {};
}

Status get_dhcp_options(ctl::Context& ctx, bool v6) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  const nb::DHCPOptions* opts = nb.view(v6 ? lsp->dhcpv6_options() : lsp->dhcpv4_options());
  if (opts) ctx.output() += fmt::format("{} ({})\n", opts->uuid().to_string(), opts->cidr());
  return {};
}

Status lsp_get_ls(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LSP* lsp, port_arg(nb));
  OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.switch_of(lsp));
  ctx.output() += fmt::format("{} ({})\n", ls->uuid().to_string(), ls->name());
  return {};
}

void dhcp_prereq(ctl::Context& ctx) {
  lsp_prereq({C::dhcpv4_options, C::dhcpv6_options})(ctx);
  want<nb::DHCPOptions>(ctx, {nb::DHCPOptions::Col::cidr});
}

}  // namespace

void add_switch_port_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"lsp-add", "SWITCH PORT [PARENT TAG]", 2, 4, "--may-exist",
                 lsp_prereq({C::parent_name, C::tag_request}), lsp_add});
  out.push_back({"lsp-del", "PORT", 1, 1, "--if-exists", lsp_prereq({}), lsp_del});
  out.push_back({"lsp-list", "SWITCH", 1, 1, "", lsp_prereq({}), lsp_list});
  out.push_back({"lsp-get-parent", "PORT", 1, 1, "", lsp_prereq({C::parent_name}), lsp_get_parent});
  out.push_back({"lsp-get-tag", "PORT", 1, 1, "", lsp_prereq({C::tag}), lsp_get_tag});
  out.push_back({"lsp-set-addresses", "PORT [ADDRESS]...", 1, N, "",
                 lsp_prereq({C::addresses, C::dynamic_addresses}), lsp_set_addresses});
  out.push_back({"lsp-get-addresses", "PORT", 1, 1, "", lsp_prereq({C::addresses}),
                 lsp_get_addresses});
  out.push_back({"lsp-set-port-security", "PORT [ADDRS]...", 1, N, "",
                 lsp_prereq({C::port_security}), lsp_set_port_security});
  out.push_back({"lsp-get-port-security", "PORT", 1, 1, "", lsp_prereq({C::port_security}),
                 lsp_get_port_security});
  out.push_back({"lsp-get-up", "PORT", 1, 1, "", lsp_prereq({C::up}), lsp_get_up});
  out.push_back({"lsp-set-enabled", "PORT STATE", 2, 2, "", lsp_prereq({C::enabled}),
                 lsp_set_enabled});
  out.push_back({"lsp-get-enabled", "PORT", 1, 1, "", lsp_prereq({C::enabled}), lsp_get_enabled});
  out.push_back({"lsp-set-type", "PORT TYPE", 2, 2, "", lsp_prereq({C::type}), lsp_set_type});
  out.push_back({"lsp-get-type", "PORT", 1, 1, "", lsp_prereq({C::type}), lsp_get_type});
  out.push_back({"lsp-set-options", "PORT KEY=VALUE [KEY=VALUE]...", 1, N, "",
                 lsp_prereq({C::options}), lsp_set_options});
  out.push_back({"lsp-get-options", "PORT", 1, 1, "", lsp_prereq({C::options}), lsp_get_options});
  out.push_back({"lsp-set-dhcpv4-options", "PORT [DHCP_OPT_UUID]", 1, 2, "", dhcp_prereq,
                 [](ctl::Context& c) { return set_dhcp_options(c, false); }});
  out.push_back({"lsp-get-dhcpv4-options", "PORT", 1, 1, "", dhcp_prereq,
                 [](ctl::Context& c) { return get_dhcp_options(c, false); }});
  out.push_back({"lsp-set-dhcpv6-options", "PORT [DHCP_OPT_UUID]", 1, 2, "", dhcp_prereq,
                 [](ctl::Context& c) { return set_dhcp_options(c, true); }});
  out.push_back({"lsp-get-dhcpv6-options", "PORT", 1, 1, "", dhcp_prereq,
                 [](ctl::Context& c) { return get_dhcp_options(c, true); }});
  out.push_back({"lsp-get-ls", "PORT", 1, 1, "", lsp_prereq({}), lsp_get_ls});
}

}  // namespace ovnx::nbctl
