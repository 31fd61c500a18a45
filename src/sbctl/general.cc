// init and show.
#include <algorithm>

#include "ctl/text.h"
#include "ovsdb/client/sb.h"
#include "sbctl/sbctl.h"

namespace ovnx::sbctl {

namespace {

using ctl::Context;

const ovsdb::Type& column_type(const ovsdb::client::TableBinding& table, size_t column) {
  return table.schema->column(column).type;
}

Status cmd_init(Context& ctx) {
  if (sb::SBGlobal::rows(ctx.txn()).empty()) sb::SBGlobal::insert(ctx.txn());
  return {};
}

// Chassis, each with its hostname, encapsulations and the ports bound to it (the fields at
// their default values are left out, as ovn-sbctl does).
Status cmd_show(Context& ctx) {
  auto& txn = ctx.txn();
  auto chassis = sb::Chassis::rows(txn);
  std::sort(chassis.begin(), chassis.end(), [](const sb::Chassis* a, const sb::Chassis* b) {
    return std::tie(a->name(), a->uuid()) < std::tie(b->name(), b->uuid());
  });
  auto bindings = sb::PortBinding::rows(txn);
  std::sort(
      bindings.begin(), bindings.end(), [](const sb::PortBinding* a, const sb::PortBinding* b) {
        return std::tie(a->logical_port(), a->uuid()) < std::tie(b->logical_port(), b->uuid());
      });
  const auto& encap_table = sb::Encap::binding_table();
  std::string& out = ctx.output();
  for (const sb::Chassis* ch : chassis) {
    out += "Chassis " + ctl::format_string(ch->name()) + "\n";
    if (!ch->hostname().empty())
      out += "    hostname: " + ctl::format_string(ch->hostname()) + "\n";
    std::vector<const sb::Encap*> encaps;
    for (const sb::Encap* e : ch->encaps()) {
      if (const sb::Encap* now = e->in(txn)) encaps.push_back(now);
    }
    std::sort(encaps.begin(), encaps.end(), [](const sb::Encap* a, const sb::Encap* b) {
      return std::tie(a->type(), a->ip(), a->uuid()) < std::tie(b->type(), b->ip(), b->uuid());
    });
    for (const sb::Encap* e : encaps) {
      out += "    Encap " + ctl::format_string(e->type()) + "\n";
      if (!e->ip().empty()) out += "        ip: " + ctl::format_string(e->ip()) + "\n";
      if (!e->options().empty()) {
        out += "        options: " +
               ctl::format_datum(e->datum(sb::Encap::Col::options),
                                 column_type(encap_table, sb::Encap::Col::options)) +
               "\n";
      }
    }
    for (const sb::PortBinding* pb : bindings) {
      if (pb->datum(sb::PortBinding::Col::chassis).contains(ovsdb::Atom(ch->uuid()))) {
        out += "    Port_Binding " + ctl::format_string(pb->logical_port()) + "\n";
      }
    }
  }
  return {};
}

}  // namespace

std::vector<ctl::CommandSpec> general_commands() {
  std::vector<ctl::CommandSpec> cmds;
  cmds.push_back({"init", "", 0, 0, "",
                  [](Context& ctx) { ctx.monitor(sb::SBGlobal::binding_table()); }, cmd_init,
                  nullptr});
  cmds.push_back({"show", "", 0, 0, "",
                  [](Context& ctx) {
                    ctx.monitor(sb::Chassis::binding_table());
                    ctx.monitor(sb::Encap::binding_table());
                    ctx.monitor(
                        sb::PortBinding::binding_table(),
                        {sb::PortBinding::Col::logical_port, sb::PortBinding::Col::chassis});
                  },
                  cmd_show, nullptr});
  return cmds;
}

}  // namespace ovnx::sbctl
