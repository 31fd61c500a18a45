// pg-add, pg-set-ports, pg-del.
#include <fmt/format.h>

#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using PG = nb::PortGroup;
using LSP = nb::LogicalSwitchPort;

// The ports named by ARGS[FIRST...].
Result<std::vector<const LSP*>> ports_from(Nb& nb, size_t first) {
  std::vector<const LSP*> ports;
  const auto& a = nb.ctx().args();
  for (size_t i = first; i < a.size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(const LSP* p, nb.lsp(a[i]));
    ports.push_back(p);
  }
  return ports;
}

Status pg_add(ctl::Context& ctx) {
  Nb nb(ctx);
  auto w = PG::insert(nb.txn());
  w.set_name(ctx.args()[1]);
  OVNX_ASSIGN_OR_RETURN(auto ports, ports_from(nb, 2));
  w.set_ports(ports);
  return {};
}

Status pg_set_ports(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const PG* pg, nb.pg(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(auto ports, ports_from(nb, 2));
  PG::edit(nb.txn(), pg).set_ports(ports);
  return {};
}

Status pg_del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const PG* pg, nb.pg(ctx.args()[1]));
  PG::edit(nb.txn(), pg).remove();
  return {};
}

void pg_prereq(ctl::Context& ctx) {
  want<PG>(ctx, {PG::Col::name, PG::Col::ports});
  want<LSP>(ctx, {LSP::Col::name});
}

}  // namespace

void add_port_group_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"pg-add", "PG [PORTS]", 1, N, "", pg_prereq, pg_add});
  out.push_back({"pg-set-ports", "PG PORTS", 2, N, "", pg_prereq, pg_set_ports});
  out.push_back({"pg-del", "PG", 1, 1, "", pg_prereq, pg_del});
}

}  // namespace ovnx::nbctl
