// lr-route-add, lr-route-del, lr-route-list (static routes, with --policy, --ecmp,
// --ecmp-symmetric-reply, --route-table and --bfd).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LR = nb::LogicalRouter;
using Route = nb::LogicalRouterStaticRoute;
using RC = Route::Col;

bool is_src_ip(const Route* r) { return r->policy() && *r->policy() == "src-ip"; }

Result<const std::string*> policy_option(ctl::Context& ctx) {
  const std::string* policy = ctx.option("--policy");
  if (policy && *policy != "dst-ip" && *policy != "src-ip") {
    return make_error(fmt::format("bad policy: {}", *policy));
  }
  return policy;
}

// A nexthop in the text we compare on: "discard" or the normalized address.
std::optional<std::string> normalized_nexthop(std::string_view nexthop) {
  if (nexthop == "discard") return std::string("discard");
  return normalize_prefix(nexthop);
}

// The route of LR with PREFIX, the same policy and route table (and, with ECMP, NEXTHOP).
const Route* find_route(Nb& nb, const LR* lr, const std::string& prefix,
                        const std::string& nexthop, bool src_ip, bool ecmp,
                        const std::string& table) {
  for (const Route* r : nb.refs(lr->static_routes())) {
    if (is_src_ip(r) != src_ip || r->route_table() != table) continue;
    auto p = normalize_prefix(r->ip_prefix());
    if (!p || *p != prefix) continue;
    if (ecmp) {
      auto n = normalize_prefix(r->nexthop());
      if (!n || *n != nexthop) continue;
    }
    return r;
  }
  return nullptr;
}

// --bfd[=UUID]: the BFD session for the route: the given one, else a new session to NEXTHOP
// through PORT. (Like the real tool, we do not reuse an existing session to the same
// nexthop: the server then refuses the duplicate, with the same error.)
Result<const nb::BFD*> bfd_for(Nb& nb, const std::string& value, const std::string& nexthop,
                               const std::string* port) {
  if (!value.empty()) {
    auto uuid = Uuid::parse(value);
    const nb::BFD* b = uuid ? nb::BFD::get(nb.txn(), *uuid) : nullptr;
    if (!b) return make_error(fmt::format("no entry found in the BFD table for {}", value));
    return b;
  }
  if (!port) return make_error("insert entry in the BFD table failed");
  auto w = nb::BFD::insert(nb.txn());
  w.set_dst_ip(nexthop);
  w.set_logical_port(*port);
  return w.row();
}

Status route_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  OVNX_ASSIGN_OR_RETURN(const std::string* policy, policy_option(ctx));
  bool src_ip = policy && *policy == "src-ip";
  auto prefix = normalize_prefix(a[2]);
  if (!prefix) return make_error(fmt::format("bad prefix argument: {}", a[2]));
  bool v4 = prefix->find('.') != std::string::npos;
  std::string nexthop;
  if (a[3] == "discard") {
    nexthop = "discard";
  } else {
    auto n = v4 ? normalize_ipv4(a[3]) : normalize_ipv6(a[3]);
    if (!n) return make_error(fmt::format("bad {} nexthop argument: {}", v4 ? "IPv4" : "IPv6", a[3]));
    nexthop = *n;
  }
  const std::string* port = a.size() == 5 ? &a[4] : nullptr;
  if (port) {
    auto lrp = nb.lrp(*port);
    if (!lrp.ok()) return lrp.error();
  }
  const std::string* table_opt = ctx.option("--route-table");
  std::string table = table_opt ? *table_opt : "";
  bool symmetric = ctx.has_option("--ecmp-symmetric-reply");
  bool ecmp = symmetric || ctx.has_option("--ecmp");
  const std::string* bfd = ctx.option("--bfd");

  const Route* route = find_route(nb, lr, *prefix, nexthop, src_ip, ecmp, table);
  if (ecmp && route) return make_error("duplicate nexthop for the same ECMP route");
  if (route) {
    if (!ctx.has_option("--may-exist")) {
      return make_error(fmt::format(
          "duplicate prefix: {} (policy: {}). Use option --ecmp to allow this for ECMP routing.",
          *prefix, policy ? *policy : "dst-ip"));
    }
    // Update the existing route's nexthop (and port, policy, BFD).
    auto w = Route::edit(nb.txn(), route);
    w.verify_ip_prefix();
    w.verify_nexthop();
    w.set_ip_prefix(*prefix);
    w.set_nexthop(nexthop);
    if (port) w.set_output_port(*port);
    if (policy) w.set_policy(*policy);
    if (bfd) {
      OVNX_ASSIGN_OR_RETURN(const nb::BFD* b, bfd_for(nb, *bfd, nexthop, port));
      w.set_bfd(b);
    }
    return {};
  }
  auto w = Route::insert(nb.txn());
  w.set_ip_prefix(*prefix);
  w.set_nexthop(nexthop);
  if (port) w.set_output_port(*port);
  if (policy) w.set_policy(*policy);
  if (symmetric) w.update_options("ecmp_symmetric_reply", "true");
  if (table_opt) w.set_route_table(*table_opt);
  LR::edit(nb.txn(), lr).add_static_routes(w.row());
  if (bfd) {
    OVNX_ASSIGN_OR_RETURN(const nb::BFD* b, bfd_for(nb, *bfd, nexthop, port));
    w.set_bfd(b);
  }
  return {};
}

Status route_del(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(a[1]));
  OVNX_ASSIGN_OR_RETURN(const std::string* policy, policy_option(ctx));
  bool src_ip = policy && *policy == "src-ip";
  const std::string* table = ctx.option("--route-table");
  if (a.size() == 2 && !policy) {
    LR::edit(nb.txn(), lr).set_static_routes({});
    return {};
  }
  std::optional<std::string> prefix, nexthop;
  if (a.size() >= 3) {
    prefix = normalize_prefix(a[2]);
    if (!prefix) return make_error(fmt::format("bad prefix argument: {}", a[2]));
  }
  if (a.size() >= 4) {
    nexthop = normalized_nexthop(a[3]);
    if (!nexthop) return make_error(fmt::format("bad nexthop argument: {}", a[3]));
  }
  const std::string* port = a.size() == 5 ? &a[4] : nullptr;

  size_t removed = 0;
  for (const Route* r : nb.refs(lr->static_routes())) {
    if (policy && is_src_ip(r) != src_ip) continue;
    if (table && r->route_table() != *table) continue;
    if (prefix) {
      auto p = normalize_prefix(r->ip_prefix());
      if (!p || *p != *prefix) continue;
    }
    if (nexthop) {
      auto n = normalized_nexthop(r->nexthop());
      if (!n || *n != *nexthop) continue;
    }
    if (port && (!r->output_port() || *r->output_port() != *port)) continue;
    LR::edit(nb.txn(), lr).remove_static_routes(r);
    ++removed;
  }
  if (!removed && !ctx.has_option("--if-exists")) {
    return make_error(fmt::format(
        "no matching route: policy '{}', prefix '{}', nexthop '{}', output_port '{}'.",
        policy ? *policy : "any", prefix ? *prefix : "(null)", nexthop ? *nexthop : "any",
        port ? *port : "any"));
  }
  return {};
}

// A route with what the listing sorts on.
struct Listed {
  const Route* route;
  int plen;
  std::array<uint8_t, 16> addr;  // IPv4 in the first 4 bytes, network order
  std::string policy;
};

// Same table, prefix length, policy and network (not nexthop): ECMP siblings.
int compare_key(const Listed& a, const Listed& b) {
  if (int c = a.route->route_table().compare(b.route->route_table())) return c;
  if (a.plen != b.plen) return a.plen > b.plen ? -1 : 1;
  if (int c = a.policy.compare(b.policy)) return c;
  return std::memcmp(a.addr.data(), b.addr.data(), a.addr.size());
}

bool list_less(const Listed& a, const Listed& b) {
  if (int c = compare_key(a, b)) return c < 0;
  if (int c = a.route->nexthop().compare(b.route->nexthop())) return c < 0;
  auto pa = a.route->output_port(), pb = b.route->output_port();
  if (pa && pb) return *pa < *pb;
  return !pa && pb;
}

void print_routes(const char* title, std::vector<Listed>& routes, std::string* out) {
  std::stable_sort(routes.begin(), routes.end(), list_less);
  *out += fmt::format("{}\n", title);
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route* r = routes[i].route;
    if (i == 0 || r->route_table() != routes[i - 1].route->route_table()) {
      *out += fmt::format("{}Route Table {}:\n", i ? "\n" : "",
                          r->route_table().empty() ? "<main>" : r->route_table());
    }
    bool ecmp = (i + 1 < routes.size() && !compare_key(routes[i], routes[i + 1])) ||
                (i > 0 && !compare_key(routes[i], routes[i - 1]));
    std::string nexthop = r->nexthop() == "discard" ? "discard"
                          : r->nexthop().empty()    ? ""
                                                    : normalize_prefix(r->nexthop()).value_or("");
    std::string line = fmt::format("{:>25} {:>25} {}", normalize_prefix(r->ip_prefix()).value_or(""),
                                   nexthop, routes[i].policy);
    if (auto p = r->output_port()) line += " " + std::string(*p);
    if (r->external_ids().contains("ic-learned-route")) line += " (learned)";
    if (ecmp) line += " ecmp";
    if (r->options().get_or("ecmp_symmetric_reply", "") == "true") line += " ecmp-symmetric-reply";
    if (!r->datum(RC::bfd).empty()) line += " bfd";
    *out += line + "\n";
  }
}

Status route_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(ctx.args()[1]));
  const std::string* table = ctx.option("--route-table");
  std::vector<Listed> v4, v6;
  for (const Route* r : nb.refs(lr->static_routes())) {
    if (table && r->route_table() != *table) continue;
    Listed l{r, 0, {}, r->policy() ? std::string(*r->policy()) : "dst-ip"};
    if (auto p = parse_ipv4_cidr(r->ip_prefix())) {
      l.plen = p->plen;
      uint32_t be = __builtin_bswap32(p->addr);
      std::memcpy(l.addr.data(), &be, 4);
      v4.push_back(l);
    } else if (auto p6 = parse_ipv6_cidr(r->ip_prefix())) {
      l.plen = p6->plen;
      l.addr = p6->addr.bytes;
      v6.push_back(l);
    }
  }
  std::string& out = ctx.output();
  if (!v4.empty()) print_routes("IPv4 Routes", v4, &out);
  if (!v6.empty()) {
    if (!v4.empty()) out += "\n";
    print_routes("IPv6 Routes", v6, &out);
  }
  return {};
}

void route_prereq(ctl::Context& ctx) {
  want<LR>(ctx, {LR::Col::name, LR::Col::static_routes});
  want<Route>(ctx);
  want<nb::LogicalRouterPort>(ctx, {nb::LogicalRouterPort::Col::name});
  want<nb::BFD>(ctx, {nb::BFD::Col::dst_ip, nb::BFD::Col::logical_port});
}

}  // namespace

void add_route_commands(Commands& out) {
  out.push_back({"lr-route-add", "ROUTER PREFIX NEXTHOP [PORT]", 3, 4,
                 "--may-exist,--ecmp,--ecmp-symmetric-reply,--policy=,--route-table=,--bfd",
                 route_prereq, route_add});
  out.push_back({"lr-route-del", "ROUTER [PREFIX [NEXTHOP [PORT]]]", 1, 4,
                 "--if-exists,--policy=,--route-table=", route_prereq, route_del});
  out.push_back({"lr-route-list", "ROUTER", 1, 1, "--route-table=", route_prereq, route_list});
}

}  // namespace ovnx::nbctl
