// init, show, sync.
#include <algorithm>

#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"
#include "nbctl/show.h"

namespace ovnx::nbctl {

namespace {

// Every NB_Global column is created on demand by program.cc; init has nothing else to do.
Status init(ctl::Context&) { return {}; }

// Switches and routers in a stable order: by name, then UUID. (The real tool walks its
// in-memory hash table, whose order depends on UUIDs and arrival order.)
template <class T>
std::vector<const T*> by_name(std::vector<const T*> rows) {
  std::sort(rows.begin(), rows.end(), [](const T* a, const T* b) {
    if (a->name() != b->name()) return a->name() < b->name();
    return a->uuid() < b->uuid();
  });
  return rows;
}

Status show(ctl::Context& ctx) {
  Nb nb(ctx);
  std::string& out = ctx.output();
  if (ctx.args().size() == 2) {
    OVNX_ASSIGN_OR_RETURN(const nb::LogicalSwitch* ls, nb.ls(ctx.args()[1], false));
    if (ls) show_switch(nb, ls, &out);
    OVNX_ASSIGN_OR_RETURN(const nb::LogicalRouter* lr, nb.lr(ctx.args()[1], false));
    if (lr) show_router(nb, lr, &out);
    return {};
  }
  for (const nb::LogicalSwitch* ls : by_name(nb.rows<nb::LogicalSwitch>())) {
    show_switch(nb, ls, &out);
  }
  for (const nb::LogicalRouter* lr : by_name(nb.rows<nb::LogicalRouter>())) {
    show_router(nb, lr, &out);
  }
  return {};
}

Status sync(ctl::Context& ctx) {
  nb_state(ctx).force_wait = true;
  return {};
}

void show_prereq(ctl::Context& ctx) {
  using LS = nb::LogicalSwitch;
  using LSP = nb::LogicalSwitchPort;
  using LR = nb::LogicalRouter;
  using LRP = nb::LogicalRouterPort;
  using NAT = nb::NAT;
  want<LS>(ctx, {LS::Col::name, LS::Col::ports, LS::Col::external_ids});
  want<LSP>(ctx, {LSP::Col::name, LSP::Col::parent_name, LSP::Col::tag, LSP::Col::type,
                  LSP::Col::addresses, LSP::Col::options, LSP::Col::external_ids});
  want<LR>(ctx, {LR::Col::name, LR::Col::ports, LR::Col::nat, LR::Col::external_ids});
  want<LRP>(ctx, {LRP::Col::name, LRP::Col::mac, LRP::Col::networks, LRP::Col::gateway_chassis});
  want<nb::GatewayChassis>(ctx, {nb::GatewayChassis::Col::chassis_name});
  want<NAT>(ctx, {NAT::Col::external_ip, NAT::Col::external_port_range, NAT::Col::logical_ip,
                  NAT::Col::type});
}

}  // namespace

void add_general_commands(Commands& out) {
  out.push_back({"init", "", 0, 0, "", want_nb_global, init});
  out.push_back({"show", "[SWITCH|ROUTER]", 0, 1, "", show_prereq, show});
  out.push_back({"sync", "", 0, 0, "", want_nb_global, sync});
}

}  // namespace ovnx::nbctl
