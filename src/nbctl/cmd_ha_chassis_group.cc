// ha-chassis-group-add, -del, -list, -add-chassis, -remove-chassis.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using Group = nb::HAChassisGroup;
using HA = nb::HAChassis;

void ha_prereq(ctl::Context& ctx) {
  want<Group>(ctx, {Group::Col::name, Group::Col::ha_chassis});
  want<HA>(ctx, {HA::Col::chassis_name, HA::Col::priority});
}

Status ha_group_add(ctl::Context& ctx) {
  Nb nb(ctx);
  Group::insert(nb.txn()).set_name(ctx.args()[1]);
  return {};
}

Status ha_group_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const Group* g, nb.ha_chassis_group(ctx.args()[1]));
  Group::edit(nb.txn(), g).remove();
  return {};
}

// Each group: "UUID (NAME)", then per chassis "    UUID (CHASSIS)" and "    priority N" with a
// blank line after each, and a blank line after the group. Groups in UUID order (the real
// tool prints them in hash order), chassis in the column's order.
Status ha_group_list(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<const Group*> groups = nb.rows<Group>();
  std::sort(groups.begin(), groups.end(),
            [](const Group* a, const Group* b) { return a->uuid() < b->uuid(); });
  std::string& out = ctx.output();
  for (const Group* g : groups) {
    out += fmt::format("{} ({})\n", g->uuid().to_string(), g->name());
    for (const HA* ha : nb.refs(g->ha_chassis())) {
      out += fmt::format("    {} ({})\n    priority {}\n\n", ha->uuid().to_string(),
                         ha->chassis_name(), ha->priority());
    }
    out += "\n";
  }
  return {};
}

Status ha_group_add_chassis(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const Group* g, nb.ha_chassis_group(a[1]));
  OVNX_ASSIGN_OR_RETURN(int64_t priority, parse_priority(a[3]));
  // A chassis already in the group only gets the new priority.
  for (const HA* ha : nb.refs(g->ha_chassis())) {
    if (ha->chassis_name() == a[2]) {
      HA::edit(nb.txn(), ha).set_priority(priority);
      return {};
    }
  }
  auto w = HA::insert(nb.txn());
  w.set_chassis_name(a[2]);
  w.set_priority(priority);
  Group::edit(nb.txn(), g).add_ha_chassis(w.row());
  return {};
}

Status ha_group_remove_chassis(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(const Group* g, nb.ha_chassis_group(a[1]));
  for (const HA* ha : nb.refs(g->ha_chassis())) {
    if (ha->chassis_name() == a[2]) {
      Group::edit(nb.txn(), g).remove_ha_chassis(ha);
      return {};
    }
  }
  return make_error(fmt::format("{}: ha chassis not found in {} ha chassis group", a[2], a[1]));
}

}  // namespace

void add_ha_chassis_group_commands(Commands& out) {
  out.push_back({"ha-chassis-group-add", "GROUP", 1, 1, "", ha_prereq, ha_group_add});
  out.push_back({"ha-chassis-group-del", "GROUP", 1, 1, "", ha_prereq, ha_group_del});
  out.push_back({"ha-chassis-group-list", "", 0, 0, "", ha_prereq, ha_group_list});
  out.push_back({"ha-chassis-group-add-chassis", "GROUP CHASSIS PRIORITY", 3, 3, "", ha_prereq,
                 ha_group_add_chassis});
  out.push_back({"ha-chassis-group-remove-chassis", "GROUP CHASSIS", 2, 2, "", ha_prereq,
                 ha_group_remove_chassis});
}

}  // namespace ovnx::nbctl
