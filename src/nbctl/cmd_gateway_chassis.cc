// lrp-set-gateway-chassis, lrp-del-gateway-chassis, lrp-get-gateway-chassis.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LRP = nb::LogicalRouterPort;
using GC = nb::GatewayChassis;

void gc_prereq(ctl::Context& ctx) {
  want<LRP>(ctx, {LRP::Col::name, LRP::Col::gateway_chassis});
  want<GC>(ctx, {GC::Col::name, GC::Col::chassis_name, GC::Col::priority});
}

Status lrp_set_gateway_chassis(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(a[1]));
  const std::string& chassis = a[2];
  int64_t priority = 0;
  if (a.size() > 3) {
    OVNX_ASSIGN_OR_RETURN(priority, parse_priority(a[3]));
  }
  // The entry is named PORT-CHASSIS; an entry of that name anywhere just gets the new
  // priority (and is attached to the port if it was not).
  std::string name = fmt::format("{}-{}", lrp->name(), chassis);
  const GC* gc = nullptr;
  for (const GC* g : nb.rows<GC>()) {
    if (g->name() == name) {
      gc = g;
      break;
    }
  }
  if (gc) {
    GC::edit(nb.txn(), gc).set_priority(priority);
  } else {
    auto w = GC::insert(nb.txn());
    w.set_name(name);
    w.set_chassis_name(chassis);
    w.set_priority(priority);
    gc = w.row();
  }
  LRP::edit(nb.txn(), lrp).add_gateway_chassis(gc);
  return {};
}

Status lrp_del_gateway_chassis(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(a[1]));
  const std::string& chassis = a[2];
  // The first entry (in UUID order) whose chassis name is a prefix of CHASSIS goes: the real
  // tool compares only as many characters as the stored name has.
  for (const GC* g : nb.refs(lrp->gateway_chassis())) {
    const std::string& stored = g->chassis_name();
    if (chassis.compare(0, stored.size(), stored) != 0) continue;
    LRP::edit(nb.txn(), lrp).remove_gateway_chassis(g);
    return {};
  }
  return make_error(
      fmt::format("chassis {} is not added to logical port {}", chassis, lrp->name()));
}

Status lrp_get_gateway_chassis(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LRP* lrp, nb.lrp(ctx.args()[1]));
  std::vector<const GC*> list = nb.refs(lrp->gateway_chassis());
  // Highest priority first; ties by name, so that the output is stable.
  std::stable_sort(list.begin(), list.end(), [](const GC* x, const GC* y) {
    if (x->priority() != y->priority()) return x->priority() > y->priority();
    return x->name() < y->name();
  });
  for (const GC* g : list) ctx.output() += fmt::format("{} {:5}\n", g->name(), g->priority());
  return {};
}

}  // namespace

void add_gateway_chassis_commands(Commands& out) {
  out.push_back({"lrp-set-gateway-chassis", "PORT CHASSIS [PRIORITY]", 2, 3, "", gc_prereq,
                 lrp_set_gateway_chassis});
  out.push_back({"lrp-del-gateway-chassis", "PORT CHASSIS", 2, 2, "", gc_prereq,
                 lrp_del_gateway_chassis});
  out.push_back(
      {"lrp-get-gateway-chassis", "PORT", 1, 1, "", gc_prereq, lrp_get_gateway_chassis});
}

}  // namespace ovnx::nbctl
