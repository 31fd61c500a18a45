// lrp-add, lrp-del, lrp-list, lrp-set-enabled, lrp-get-enabled.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ctl/db_common.h"
#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LR = nb::LogicalRouter;
using LRP = nb::LogicalRouterPort;
using C = LRP::Col;

Prereq lrp_prereq(std::vector<size_t> columns) {
  return [columns](ctl::Context& ctx) {
    std::vector<size_t> cols = columns;
    cols.push_back(C::name);
    want<LRP>(ctx, cols);
    want<LR>(ctx, {LR::Col::name, LR::Col::ports});
  };
}

bool valid_network(const std::string& n) {
  return parse_ipv4_cidr(n).has_value() || parse_ipv6_cidr(n).has_value();
}

// --may-exist on an existing port: it must be the same port (router, MAC, networks as
// prefixes, peer).
Status check_existing(Nb& nb, const LR* lr, const LRP* lrp, const std::string& mac,
                      const std::vector<std::string>& networks,
                      const std::optional<std::string>& peer) {
  const std::string& name = lrp->name();
  OVNX_ASSIGN_OR_RETURN(const LR* owner, nb.router_of(lrp));
  if (owner->uuid() != lr->uuid()) {
    return make_error(fmt::format("{}: port already exists but in router {}", name, owner->name()));
  }
  auto ea = parse_mac(mac);
  if (!ea) return make_error(fmt::format("{}: invalid mac address {}", name, mac));
  auto old_ea = parse_mac(lrp->mac());
  if (!old_ea || *old_ea != *ea) {
    return make_error(fmt::format("{}: port already exists with mac {}", name, lrp->mac()));
  }
  std::set<std::string> wanted, have;
  for (const std::string& n : networks) {
    auto p = normalize_prefix(n);
    if (!p) return make_error(fmt::format("{}: Invalid networks configured", name));
    wanted.insert(*p);
  }
  for (const std::string& n : lrp->networks()) {
    auto p = normalize_prefix(n);
    if (!p) return make_error(fmt::format("{}: Invalid networks configured", name));
    have.insert(*p);
  }
  if (wanted != have) {
    return make_error(fmt::format("{}: port already exists with different network", name));
  }
  auto old_peer = lrp->peer();
  if (!peer != !old_peer || (peer && *peer != *old_peer)) {
    return make_error(fmt::format("{}: port already exists with mismatching peer", name));
  }
  return {};
}

Status lrp_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  const std::string& name = a[2];
  const std::string& mac = a[3];
  // Networks run up to the first KEY=VALUE argument; the rest set columns of the new port.
  size_t settings = 4;
  while (settings < a.size() && a[settings].find('=') == std::string::npos) ++settings;
  if (settings == 4) {
    return make_error(fmt::format("{}: router port requires specifying a network", name));
  }
  std::vector<std::string> networks(a.begin() + 4, a.begin() + static_cast<long>(settings));

  OVNX_ASSIGN_OR_RETURN(const LRP* existing, nb.lrp(name, false));
  if (existing) {
    if (!ctx.has_option("--may-exist")) {
      return make_error(fmt::format("{}: a port with this name already exists", name));
    }
    std::optional<std::string> peer;
    for (size_t i = settings; i < a.size() && !peer; ++i) {
      if (a[i].compare(0, 5, "peer=") == 0) peer = a[i].substr(5);
    }
    return check_existing(nb, lr, existing, mac, networks, peer);
  }

  if (!parse_mac(mac)) return make_error(fmt::format("{}: invalid mac address {}", name, mac));
  for (const std::string& n : networks) {
    if (!valid_network(n)) {
      return make_error(fmt::format("{}: invalid network address: {}", name, n));
    }
  }
  auto w = LRP::insert(nb.txn());
  w.set_name(name);
  w.set_mac(mac);
  w.set_networks(networks);
  for (size_t i = settings; i < a.size(); ++i) {
    OVNX_RETURN_IF_ERROR(
        ctl::internal::apply_assignment(ctx, LRP::binding_table(), w.row(), a[i]));
  }
  LR::edit(nb.txn(), lr).add_ports(w.row());
  nb.port_added(w.row(), lr);
  return {};
}

Status lrp_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(ctx.args()[1], !ctx.has_option("--if-exists")));
  if (!lrp) return {};
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.router_of(lrp));
  LR::edit(nb.txn(), lr).remove_ports(lrp);
  nb.port_removed(lrp);
  LRP::edit(nb.txn(), lrp).remove();
  return {};
}

Status lrp_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(ctx.args()[1]));
  std::vector<std::pair<std::string, std::string>> lines;
  for (const LRP* p : nb.refs(lr->ports())) {
    lines.emplace_back(p->name(), fmt::format("{} ({})", p->uuid().to_string(), p->name()));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [n, line] : lines) ctx.output() += line + "\n";
  return {};
}

Status lrp_set_enabled(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(bool enabled, parse_enabled_state(ctx.args()[2]));
  LRP::edit(nb.txn(), lrp).set_enabled(enabled);
  return {};
}

Status lrp_get_enabled(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(ctx.args()[1]));
  auto e = lrp->enabled();
  ctx.output() += !e || *e ? "enabled\n" : "disabled\n";
  return {};
}

void lrp_add_prereq(ctl::Context& ctx) {
  // Settings may name any column of the new port.
  want<LRP>(ctx);
  want<LR>(ctx, {LR::Col::name, LR::Col::ports});
}

}  // namespace

void add_router_port_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"lrp-add", "ROUTER PORT MAC NETWORK... [COLUMN[:KEY]=VALUE]...", 4, N,
                 "--may-exist", lrp_add_prereq, lrp_add});
  out.push_back({"lrp-del", "PORT", 1, 1, "--if-exists", lrp_prereq({}), lrp_del});
  out.push_back({"lrp-list", "ROUTER", 1, 1, "", lrp_prereq({}), lrp_list});
  out.push_back({"lrp-set-enabled", "PORT STATE", 2, 2, "", lrp_prereq({C::enabled}),
                 lrp_set_enabled});
  out.push_back({"lrp-get-enabled", "PORT", 1, 1, "", lrp_prereq({C::enabled}),
                 lrp_get_enabled});
}

}  // namespace ovnx::nbctl
