// lr-policy-add, lr-policy-del, lr-policy-list (logical router policies).
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
using Policy = nb::LogicalRouterPolicy;

// "a,b,c" split on commas, empty pieces skipped (as strtok does).
std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Status policy_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  OVNX_ASSIGN_OR_RETURN(int64_t priority, parse_priority(a[2]));
  const std::string& match = a[3];
  const std::string& action = a[4];
  if (action != "allow" && action != "drop" && action != "reroute") {
    return make_error(fmt::format(
        "{}: action must be one of \"allow\", \"drop\", and \"reroute\"", action));
  }
  bool reroute = action == "reroute";
  if (reroute && a.size() < 6) return make_error("Nexthop is required when action is reroute.");
  std::vector<std::string> nexthops;
  if (reroute) {
    std::optional<bool> v4;
    for (const std::string& hop : split_commas(a[5])) {
      auto n4 = normalize_ipv4(hop);
      auto n = n4 ? n4 : normalize_ipv6(hop);
      if (!n) return make_error(fmt::format("bad next hop argument: {}", a[5]));
      if (v4 && *v4 != n4.has_value()) {
        return make_error(
            fmt::format("bad next hops argument, not in the same addr family : {}", a[5]));
      }
      v4 = n4.has_value();
      nexthops.push_back(*n);
    }
  }
  size_t first_option = reroute ? 6 : 5;
  for (size_t i = first_option; i < a.size(); ++i) {
    if (a[i].find('=') == std::string::npos) {
      return make_error(fmt::format("No value specified for the option : {}", a[i]));
    }
  }
  for (const Policy* p : nb.refs(lr->policies())) {
    if (p->priority() == priority && p->match() == match) {
      if (ctx.has_option("--may-exist")) return {};
      return make_error(
          fmt::format("Same routing policy already existed on the logical router {}.", a[1]));
    }
  }
  auto w = Policy::insert(nb.txn());
  w.set_priority(priority);
  w.set_match(match);
  w.set_action(action);
  if (!nexthops.empty()) w.set_nexthops(nexthops);
  auto options = parse_key_values(a, first_option);
  if (!options.empty()) w.set_options(options);
  LR::edit(nb.txn(), lr).add_policies(w.row());
  return {};
}

Status policy_del(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  auto edit = LR::edit(nb.txn(), lr);
  if (a.size() == 2) {
    edit.set_policies({});
    return {};
  }
  if (auto uuid = Uuid::parse(a[2])) {
    for (const Policy* p : nb.refs(lr->policies())) {
      if (p->uuid() == *uuid) {
        edit.remove_policies(p);
        return {};
      }
    }
    if (ctx.has_option("--if-exists")) return {};
    return make_error("Logical router policy uuid is not found.");
  }
  OVNX_ASSIGN_OR_RETURN(int64_t priority, parse_priority(a[2]));
  for (const Policy* p : nb.refs(lr->policies())) {
    if (p->priority() != priority) continue;
    if (a.size() == 4 && p->match() != a[3]) continue;
    edit.remove_policies(p);
  }
  return {};
}

Status policy_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(ctx.args()[1]));
  auto policies = nb.refs(lr->policies());
  if (policies.empty()) return {};
  std::stable_sort(policies.begin(), policies.end(), [](const Policy* x, const Policy* y) {
    if (x->priority() != y->priority()) return x->priority() > y->priority();
    return x->match() < y->match();
  });
  std::string& out = ctx.output();
  out += "Routing Policies\n";
  for (const Policy* p : policies) {
    std::string line = fmt::format("{:>10} {:>50} {:>15}", p->priority(), p->match(), p->action());
    auto hops = p->nexthops();
    if (!hops.empty()) {
      line += fmt::format(" {:>25}", hops[0]);
      for (size_t i = 1; i < hops.size(); ++i) line += ", " + hops[i];
    } else if (auto hop = p->nexthop()) {
      line += fmt::format(" {:>25}", *hop);
    }
    if (!p->options().empty()) {
      line += std::string(15, ' ');
      bool first = true;
      for (const auto& [k, v] : smap_order(map_pairs(p->options()))) {
        line += (first ? "" : ",") + k + "=" + v;
        first = false;
      }
    }
    out += line + "\n";
  }
  return {};
}

void policy_prereq(ctl::Context& ctx) {
  want<LR>(ctx, {LR::Col::name, LR::Col::policies});
  want<Policy>(ctx);
}

}  // namespace

void add_policy_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"lr-policy-add",
                 "ROUTER PRIORITY MATCH ACTION [NEXTHOP,[NEXTHOP,...]] [OPTIONS KEY=VALUE ...]",
                 4, N, "--may-exist", policy_prereq, policy_add});
  out.push_back({"lr-policy-del", "ROUTER [{PRIORITY | UUID} [MATCH]]", 1, 3, "--if-exists",
                 policy_prereq, policy_del});
  out.push_back({"lr-policy-list", "ROUTER", 1, 1, "", policy_prereq, policy_list});
}

}  // namespace ovnx::nbctl
