// ls-add, ls-del, ls-list.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using LS = nb::LogicalSwitch;

Status ls_add(ctl::Context& ctx) {
  Nb nb(ctx);
  bool may_exist = ctx.has_option("--may-exist");
  bool add_duplicate = ctx.has_option("--add-duplicate");
  if (may_exist && add_duplicate) {
    return make_error("--may-exist and --add-duplicate may not be used together");
  }
  const std::string* name = ctx.args().size() > 1 ? &ctx.args()[1] : nullptr;
  if (name) {
    if (!add_duplicate) {
      if (!nb.switches_named(*name).empty()) {
        if (may_exist) return {};
        return make_error(fmt::format("{}: a switch with this name already exists", *name));
      }
    }
  } else if (may_exist) {
    return make_error("--may-exist requires specifying a name");
  }
  auto w = LS::insert(nb.txn());
  if (name) w.set_name(*name);
  nb.switch_added(w.row());
  return {};
}

Status ls_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const LS* ls, nb.ls(ctx.args()[1], !ctx.has_option("--if-exists")));
  if (!ls) return {};
  for (const nb::LogicalSwitchPort* p : nb.refs(ls->ports())) nb.port_removed(p);
  LS::edit(nb.txn(), ls).remove();
  return {};
}

Status ls_list(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<std::pair<std::string, std::string>> lines;
  for (const LS* ls : nb.rows<LS>()) {
    lines.emplace_back(ls->name(), fmt::format("{} ({})", ls->uuid().to_string(), ls->name()));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [name, line] : lines) ctx.output() += line + "\n";
  return {};
}

void ls_prereq(ctl::Context& ctx) { want<LS>(ctx, {LS::Col::name}); }

void ls_del_prereq(ctl::Context& ctx) {
  want<LS>(ctx, {LS::Col::name, LS::Col::ports});
  want<nb::LogicalSwitchPort>(ctx, {nb::LogicalSwitchPort::Col::name});
}

}  // namespace

void add_switch_commands(Commands& out) {
  out.push_back({"ls-add", "[SWITCH]", 0, 1, "--may-exist,--add-duplicate", ls_prereq, ls_add});
  out.push_back({"ls-del", "SWITCH", 1, 1, "--if-exists", ls_del_prereq, ls_del});
  out.push_back({"ls-list", "", 0, 0, "", ls_prereq, ls_list});
}

}  // namespace ovnx::nbctl
