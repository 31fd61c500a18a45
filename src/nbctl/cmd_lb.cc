// lb-add, lb-del, lb-list, and attaching load balancers to switches (ls-lb-*) and routers
// (lr-lb-*).
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LB = nb::LoadBalancer;
using LS = nb::LogicalSwitch;
using LR = nb::LogicalRouter;

Status lb_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  bool may_exist = ctx.has_option("--may-exist");
  bool add_duplicate = ctx.has_option("--add-duplicate");
  bool reject = ctx.has_option("--reject");
  bool event = ctx.has_option("--event");
  if (reject && event) return make_error("--reject and --event can't specified at the same time");
  const std::string* protocol = a.size() == 5 ? &a[4] : nullptr;
  if (protocol && *protocol != "tcp" && *protocol != "udp" && *protocol != "sctp") {
    return make_error(fmt::format(
        "{}: protocol must be one of \"tcp\", \"udp\",  or \"sctp\".", *protocol));
  }
  const std::string& name = a[1];
  auto vip = parse_endpoint(a[2]);
  if (!vip) {
    return make_error(fmt::format(
        "{}: should be an IP address (or an IP address and a port number with : as a "
        "separator).",
        a[2]));
  }
  std::string vip_text = vip->to_string();
  bool with_port = vip->port != 0;
  if (!with_port && protocol) {
    return make_error("Protocol is unnecessary when no port of vip is given.");
  }
  // Backends: comma separated, same family as the VIP, with a port exactly when it has one.
  std::string backends;
  const std::string& ips = a[3];
  for (size_t start = 0; start <= ips.size();) {
    size_t comma = ips.find(',', start);
    if (comma == std::string::npos) comma = ips.size();
    std::string token = ips.substr(start, comma - start);
    start = comma + 1;
    if (token.empty()) continue;
    auto ep = parse_endpoint(token);
    if (with_port && (!ep || !ep->port)) {
      return make_error(fmt::format(
          "{}: should be an IP address and a port number with : as a separator.", token));
    }
    if (!with_port && (!ep || ep->port)) {
      return make_error(fmt::format("{}: should be an IP address.", token));
    }
    if (ep->ipv6 != vip->ipv6) {
      return make_error(fmt::format("{}: IP address family is different from VIP {}.", token,
                                    vip->address_string()));
    }
    if (!backends.empty()) backends += ",";
    backends += ep->to_string();
  }

  const LB* lb = nullptr;
  if (!add_duplicate) {
    OVNX_ASSIGN_OR_RETURN(lb, nb.lb(name, false));
  }
  if (lb && lb->vips().contains(vip_text)) {
    if (!may_exist) {
      return make_error(fmt::format("{}: a load balancer with this vip ({}) already exists",
                                    name, vip_text));
    }
    auto w = LB::edit(nb.txn(), lb);
    w.update_vips(vip_text, backends);
    if (protocol) w.set_protocol(*protocol);
    return {};
  }
  if (!lb) {
    auto w = LB::insert(nb.txn());
    w.set_name(name);
    w.set_protocol(protocol ? *protocol : "tcp");
    lb = w.row();
  }
  auto w = LB::edit(nb.txn(), lb);
  w.update_vips(vip_text, backends);
  if (protocol) w.set_protocol(*protocol);
  if (reject) w.update_options("reject", "true");
  if (event) w.update_options("event", "true");
  return {};
}

Status lb_del(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LB* lb, nb.lb(a[1], false));
  if (!lb) return {};
  if (a.size() == 3) {
    const std::string& vip = a[2];
    if (!lb->vips().contains(vip)) {
      if (ctx.has_option("--if-exists")) return {};
      return make_error(fmt::format("vip {} is not part of the load balancer.", vip));
    }
    auto w = LB::edit(nb.txn(), lb);
    w.delete_vips(vip);
    // A load balancer without VIPs goes away.
    if (!w.row()->vips().empty()) return {};
  }
  LB::edit(nb.txn(), lb).remove();
  return {};
}

// The table lb-list, ls-lb-list and lr-lb-list print.
void print_lbs(std::vector<const LB*> lbs, std::string* out) {
  if (lbs.empty()) return;
  std::stable_sort(lbs.begin(), lbs.end(), [](const LB* x, const LB* y) {
    if (x->name() != y->name()) return x->name() < y->name();
    return x->uuid() < y->uuid();
  });
  size_t vip_width = 0;
  for (const LB* lb : lbs) {
    for (auto [vip, ips] : lb->vips()) vip_width = std::max(vip_width, vip.size());
  }
  vip_width += 4;
  *out += fmt::format("{:<40}{:<20}{:<11}{:<{}}{}\n", "UUID", "LB", "PROTO", "VIP", vip_width,
                      "IPs");
  for (const LB* lb : lbs) {
    *out += fmt::format("{:<40}{:<20.16}", lb->uuid().to_string(), lb->name());
    bool first = true;
    for (auto [vip, ips] : lb->vips()) {
      if (!first) *out += fmt::format("\n{:<60}", "");
      first = false;
      auto ep = parse_endpoint(vip, false);
      std::string_view proto = ep && ep->port ? lb->protocol().value_or("tcp") : "";
      *out += fmt::format("{:<11.9}{:<{}}{}", proto, vip, vip_width, ips);
    }
    *out += "\n";
  }
}

Status lb_list(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<const LB*> lbs;
  const std::string* filter = ctx.args().size() > 1 ? &ctx.args()[1] : nullptr;
  for (const LB* lb : nb.rows<LB>()) {
    if (filter && lb->name() != *filter && lb->uuid().to_string() != *filter) continue;
    lbs.push_back(lb);
  }
  print_lbs(std::move(lbs), &ctx.output());
  return {};
}

// ls-lb-* and lr-lb-* differ only in the datapath table.
template <class DP>
struct Attach {
  static constexpr bool kSwitch = std::is_same_v<DP, LS>;
  static Result<const DP*> datapath(Nb& nb, const std::string& id) {
    if constexpr (kSwitch) {
      return nb.ls(id);
    } else {
      return nb.lr(id);
    }
  }

  static Status add(ctl::Context& ctx) {
    Nb nb(ctx);
    OVNX_ASSIGN_OR_RETURN(const DP* dp, datapath(nb, ctx.args()[1]));
    OVNX_ASSIGN_OR_RETURN(const LB* lb, nb.lb(ctx.args()[2]));
    if (dp->load_balancer().contains(lb->uuid())) {
      if (ctx.has_option("--may-exist")) return {};
      return make_error(fmt::format("{} : a load balancer with this UUID already exists",
                                    lb->uuid().to_string()));
    }
    DP::edit(nb.txn(), dp).add_load_balancer(lb);
    return {};
  }

  static Status del(ctl::Context& ctx) {
    Nb nb(ctx);
    OVNX_ASSIGN_OR_RETURN(const DP* dp, datapath(nb, ctx.args()[1]));
    if (ctx.args().size() == 2) {
      DP::edit(nb.txn(), dp).set_load_balancer({});
      return {};
    }
    OVNX_ASSIGN_OR_RETURN(const LB* lb, nb.lb(ctx.args()[2], false));
    if (lb && dp->load_balancer().contains(lb->uuid())) {
      DP::edit(nb.txn(), dp).remove_load_balancer(lb);
      return {};
    }
    if (ctx.has_option("--if-exists")) return {};
    return make_error(fmt::format("load balancer {} is not part of any logical {}.",
                                  ctx.args()[2], kSwitch ? "switch" : "router"));
  }

  static Status list(ctl::Context& ctx) {
    Nb nb(ctx);
    OVNX_ASSIGN_OR_RETURN(const DP* dp, datapath(nb, ctx.args()[1]));
    print_lbs(nb.refs(dp->load_balancer()), &ctx.output());
    return {};
  }

  static void prereq(ctl::Context& ctx) {
    want<DP>(ctx, {DP::Col::name, DP::Col::load_balancer});
    want<LB>(ctx);
  }
};

void lb_prereq(ctl::Context& ctx) { want<LB>(ctx); }

}  // namespace

void add_lb_commands(Commands& out) {
  out.push_back({"lb-add", "LB VIP[:PORT] IP[:PORT]... [PROTOCOL]", 3, 4,
                 "--may-exist,--add-duplicate,--reject,--event", lb_prereq, lb_add});
  out.push_back({"lb-del", "LB [VIP]", 1, 2, "--if-exists", lb_prereq, lb_del});
  out.push_back({"lb-list", "[LB]", 0, 1, "", lb_prereq, lb_list});
  using S = Attach<LS>;
  using R = Attach<LR>;
  out.push_back({"ls-lb-add", "SWITCH LB", 2, 2, "--may-exist", S::prereq, S::add});
  out.push_back({"ls-lb-del", "SWITCH [LB]", 1, 2, "--if-exists", S::prereq, S::del});
  out.push_back({"ls-lb-list", "SWITCH", 1, 1, "", S::prereq, S::list});
  out.push_back({"lr-lb-add", "ROUTER LB", 2, 2, "--may-exist", R::prereq, R::add});
  out.push_back({"lr-lb-del", "ROUTER [LB]", 1, 2, "--if-exists", R::prereq, R::del});
  out.push_back({"lr-lb-list", "ROUTER", 1, 1, "", R::prereq, R::list});
}

}  // namespace ovnx::nbctl
