#include "northd/pipelines.h"

namespace ovnx::northd {

std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string braced_list(const std::vector<std::string>& items) {
  if (items.size() == 1) return items[0];
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  return out + "}";
}

void build_switch_flows(BuildCtx& ctx) {
  if (ctx.only_acls) {
    build_ls_acl_groups(ctx, *ctx.only_acls);
    return;
  }
  build_ls_port_security(ctx);
  build_ls_acls(ctx);
  build_ls_lb(ctx);
  build_ls_arp_nd(ctx);
  build_ls_dhcp_dns(ctx);
  build_ls_l2(ctx);
}

void build_router_flows(BuildCtx& ctx) {
  // Only ARP resolution groups flows by (switch) port: a rebuild of just port groups, without
  // the router's own, needs nothing else.
  if (!ctx.sink.wants(Uuid{})) {
    build_lr_arp(ctx);
    return;
  }
  build_lr_admission(ctx);
  build_lr_ip_input(ctx);
  build_lr_nat(ctx);
  build_lr_routing(ctx);
  build_lr_arp(ctx);
}

}  // namespace ovnx::northd
