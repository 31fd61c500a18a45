// lr-add, lr-del, lr-list.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LR = nb::LogicalRouter;

Status lr_add(ctl::Context& ctx) {
  Nb nb(ctx);
  bool may_exist = ctx.has_option("--may-exist");
  bool add_duplicate = ctx.has_option("--add-duplicate");
  if (may_exist && add_duplicate) {
    return make_error("--may-exist and --add-duplicate may not be used together");
  }
  const std::string* name = ctx.args().size() > 1 ? &ctx.args()[1] : nullptr;
  if (name) {
    if (!add_duplicate) {
      if (!nb.routers_named(*name).empty()) {
        if (may_exist) return {};
        return make_error(fmt::format("{}: a router with this name already exists", *name));
      }
    }
  } else if (may_exist) {
    return make_error("--may-exist requires specifying a name");
  }
  auto w = LR::insert(nb.txn());
  if (name) w.set_name(*name);
  nb.router_added(w.row());
  return {};
}

Status lr_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LR* lr, nb.lr(ctx.args()[1], !ctx.has_option("--if-exists")));
  if (!lr) return {};
  for (const nb::LogicalRouterPort* p : nb.refs(lr->ports())) nb.port_removed(p);
  LR::edit(nb.txn(), lr).remove();
  return {};
}

Status lr_list(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<std::pair<std::string, std::string>> lines;
  for (const LR* lr : nb.rows<LR>()) {
    lines.emplace_back(lr->name(), fmt::format("{} ({})", lr->uuid().to_string(), lr->name()));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [name, line] : lines) ctx.output() += line + "\n";
  return {};
}

void lr_prereq(ctl::Context& ctx) { want<LR>(ctx, {LR::Col::name}); }

void lr_del_prereq(ctl::Context& ctx) {
  want<LR>(ctx, {LR::Col::name, LR::Col::ports});
  want<nb::LogicalRouterPort>(ctx, {nb::LogicalRouterPort::Col::name});
}

}  // namespace

void add_router_commands(Commands& out) {
  out.push_back({"lr-add", "[ROUTER]", 0, 1, "--may-exist,--add-duplicate", lr_prereq, lr_add});
  out.push_back({"lr-del", "ROUTER", 1, 1, "--if-exists", lr_del_prereq, lr_del});
  out.push_back({"lr-list", "", 0, 0, "", lr_prereq, lr_list});
}

}  // namespace ovnx::nbctl
