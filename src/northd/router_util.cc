#include "northd/router_util.h"

#include <fmt/format.h>

namespace ovnx::northd {

std::string v4_networks(const Port& op, bool bcast) {
  const auto& v4 = op.lrp_networks.ipv4;
  if (!bcast && v4.size() == 1) return v4[0].addr_s;
  std::string out = "{";
  for (const Ipv4Netaddr& a : v4) {
    out += a.addr_s + ", ";
    if (bcast) out += a.bcast_s + ", ";
  }
  if (out.size() > 1) out.resize(out.size() - 2);
  return out + "}";
}

std::string v6_networks(const Port& op) {
  const auto& v6 = op.lrp_networks.ipv6;
  if (v6.size() == 1) return v6[0].addr_s;
  std::string out = "{";
  for (const Ipv6Netaddr& a : v6) out += a.addr_s + ", ";
  if (out.size() > 1) out.resize(out.size() - 2);
  return out + "}";
}

bool is_snat_ip(const Datapath& od, std::string_view ip) {
  for (size_t i : od.snat_ips) {
    if (od.nat_entries[i].nat->external_ip == ip) return true;
  }
  return false;
}

bool is_lb_ip(const Datapath& od, std::string_view ip) {
  (void)od;
  (void)ip;
  return false;
}

void drop_own_destinations(BuildCtx& ctx, const Port& op, Stage stage, uint16_t priority,
                           bool drop_snat_ip) {
  const Datapath& od = *op.od;
  std::string ips;
  for (const Ipv4Netaddr& a : op.lrp_networks.ipv4) {
    bool special = is_snat_ip(od, a.addr_s) || is_lb_ip(od, a.addr_s);
    if (special == drop_snat_ip) ips += a.addr_s + ", ";
  }
  if (!ips.empty()) {
    ips.resize(ips.size() - 2);
    ctx.sink.add(stage, priority, fmt::format("ip4.dst == {{{}}}", ips), "drop;", op.hint());
  }
  ips.clear();
  for (const Ipv6Netaddr& a : op.lrp_networks.ipv6) {
    bool special = is_snat_ip(od, a.addr_s) || is_lb_ip(od, a.addr_s);
    if (special == drop_snat_ip) ips += a.addr_s + ", ";
  }
  if (!ips.empty()) {
    ips.resize(ips.size() - 2);
    ctx.sink.add(stage, priority, fmt::format("ip6.dst == {{{}}}", ips), "drop;", op.hint());
  }
}

}  // namespace ovnx::northd
