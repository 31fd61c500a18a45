// dhcp-options-create, -del, -list, -set-options, -get-options.
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/addresses.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using DHCP = nb::DHCPOptions;

Status create(ctl::Context& ctx) {
  Nb nb(ctx);
  const std::string& cidr = ctx.args()[1];
  if (!parse_ipv4_cidr(cidr) && !parse_ipv6_cidr(cidr)) {
    return make_error(fmt::format("Invalid cidr format '{}'", cidr));
  }
  auto w = DHCP::insert(nb.txn());
  w.set_cidr(cidr);
  auto ids = parse_key_values(ctx.args(), 2);
  if (!ids.empty()) w.set_external_ids(ids);
  return {};
}

Status del(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const DHCP* d, nb.dhcp_options(ctx.args()[1]));
  DHCP::edit(nb.txn(), d).remove();
  return {};
}

Status list(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<std::string> uuids;
  for (const DHCP* d : nb.rows<DHCP>()) uuids.push_back(d->uuid().to_string());
  std::sort(uuids.begin(), uuids.end());
  for (const std::string& u : uuids) ctx.output() += u + "\n";
  return {};
}

Status set_options(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const DHCP* d, nb.dhcp_options(ctx.args()[1]));
  DHCP::edit(nb.txn(), d).set_options(parse_key_values(ctx.args(), 2));
  return {};
}

Status get_options(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(const DHCP* d, nb.dhcp_options(ctx.args()[1]));
  print_smap(ctx, d->options());
  return {};
}

void prereq(ctl::Context& ctx) { want<DHCP>(ctx); }

}  // namespace

void add_dhcp_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"dhcp-options-create", "CIDR [EXTERNAL:IDS]", 1, N, "", prereq, create});
  out.push_back({"dhcp-options-del", "DHCP_OPT_UUID", 1, 1, "", prereq, del});
  out.push_back({"dhcp-options-list", "", 0, 0, "", prereq, list});
  out.push_back({"dhcp-options-set-options", "DHCP_OPT_UUID KEY=VALUE [KEY=VALUE]...", 1, N, "",
                 prereq, set_options});
  out.push_back({"dhcp-options-get-options", "DHCP_OPT_UUID", 1, 1, "", prereq, get_options});
}

}  // namespace ovnx::nbctl
