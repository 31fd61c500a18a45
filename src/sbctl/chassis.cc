// chassis-add, chassis-del, lsp-bind, lsp-unbind.
#include <fmt/format.h>

#include "ovsdb/client/sb.h"
#include "sbctl/sbctl.h"

namespace ovnx::sbctl {

namespace {

using ctl::Context;

const sb::Chassis* chassis_named(Context& ctx, std::string_view name) {
  for (const sb::Chassis* c : sb::Chassis::rows(ctx.txn())) {
    if (c->name() == name) return c;
  }
  return nullptr;
}

const sb::PortBinding* port_named(Context& ctx, std::string_view name) {
  for (const sb::PortBinding* p : sb::PortBinding::rows(ctx.txn())) {
    if (p->logical_port() == name) return p;
  }
  return nullptr;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    std::string part =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status cmd_chassis_add(Context& ctx) {
  const std::string& name = ctx.args()[1];
  if (chassis_named(ctx, name)) {
    if (ctx.has_option("--may-exist")) return {};
    return make_error(fmt::format(
        "cannot create a chassis named {} because a chassis named {} already exists", name, name));
  }
  std::vector<const sb::Encap*> encaps;
  for (const std::string& type : split_commas(ctx.args()[2])) {
    auto e = sb::Encap::insert(ctx.txn());
    e.set_type(type);
    e.set_ip(ctx.args()[3]);
    e.set_options({{"csum", "true"}});
    e.set_chassis_name(name);
    encaps.push_back(e.row());
  }
  auto ch = sb::Chassis::insert(ctx.txn());
  ch.set_name(name);
  ch.set_encaps(encaps);
  return {};
}

Status cmd_chassis_del(Context& ctx) {
  const std::string& name = ctx.args()[1];
  const sb::Chassis* ch = chassis_named(ctx, name);
  if (!ch) {
    if (ctx.has_option("--if-exists")) return {};
    return make_error(fmt::format("no chassis named {}", name));
  }
  // Its encaps go with it (they are only referenced from the chassis).
  for (const sb::ChassisPrivate* p : sb::ChassisPrivate::rows(ctx.txn())) {
    if (p->name() == name) sb::ChassisPrivate::edit(ctx.txn(), p).remove();
  }
  sb::Chassis::edit(ctx.txn(), ch).remove();
  return {};
}

Status cmd_lsp_bind(Context& ctx) {
  const std::string& port = ctx.args()[1];
  const sb::PortBinding* pb = port_named(ctx, port);
  if (!pb) return make_error(fmt::format("no port named {}", port));
  const sb::Chassis* ch = chassis_named(ctx, ctx.args()[2]);
  if (!ch) return make_error(fmt::format("no chassis named {}", ctx.args()[2]));
  if (const sb::Chassis* bound = pb->chassis()) {
    // --may-exist tolerates only a binding to the same chassis.
    if (ctx.has_option("--may-exist") && bound->uuid() == ch->uuid()) return {};
    return make_error(
        fmt::format("lport ({}) has already been binded to chassis ({})", port, bound->name()));
  }
  sb::PortBinding::edit(ctx.txn(), pb).set_chassis(ch);
  return {};
}

Status cmd_lsp_unbind(Context& ctx) {
  const std::string& port = ctx.args()[1];
  const sb::PortBinding* pb = port_named(ctx, port);
  if (!pb) {
    if (ctx.has_option("--if-exists")) return {};
    return make_error(fmt::format("no port named {}", port));
  }
  sb::PortBinding::edit(ctx.txn(), pb).set_chassis(nullptr);
  return {};
}

void chassis_prereqs(Context& ctx) {
  ctx.monitor(sb::Chassis::binding_table());
  ctx.monitor(sb::Encap::binding_table());
  ctx.monitor(sb::ChassisPrivate::binding_table(), {sb::ChassisPrivate::Col::name});
}

void binding_prereqs(Context& ctx) {
  ctx.monitor(sb::Chassis::binding_table(), {sb::Chassis::Col::name});
  ctx.monitor(sb::PortBinding::binding_table(),
              {sb::PortBinding::Col::logical_port, sb::PortBinding::Col::chassis});
}

}  // namespace

std::vector<ctl::CommandSpec> chassis_commands() {
  return {
      {"chassis-add", "CHASSIS ENCAP-TYPE ENCAP-IP", 3, 3, "--may-exist", chassis_prereqs,
       cmd_chassis_add, nullptr},
      {"chassis-del", "CHASSIS", 1, 1, "--if-exists", chassis_prereqs, cmd_chassis_del, nullptr},
      {"lsp-bind", "PORT CHASSIS", 2, 2, "--may-exist", binding_prereqs, cmd_lsp_bind, nullptr},
      {"lsp-unbind", "PORT", 1, 1, "--if-exists", binding_prereqs, cmd_lsp_unbind, nullptr},
  };
}

}  // namespace ovnx::sbctl
