#include "northd/nat.h"

#include <algorithm>

#include "base/log.h"

OVNX_LOG_MODULE(northd_nat);

namespace ovnx::northd {

void init_nat_entries(Datapath& od, const nb::Snapshot& nb) {
  std::vector<std::string> seen_snat;
  for (const Uuid& nu : od.nbr->nat) {
    const nb::Nat* nat = nb::find(nb.nats, nu);
    if (!nat) continue;
    NatEntry e;
    e.nat = nat;
    // external_ip is a single address; logical_ip may be a network (SNAT).
    if (auto v4 = packets::parse_ipv4(nat->external_ip); v4.ok()) {
      e.ext_v4 = *v4;
    } else if (auto v6 = packets::parse_ipv6(nat->external_ip); v6.ok()) {
      e.is_v6 = true;
      e.ext_v6 = *v6;
    } else {
      LOG_WARN("router {}: bad external ip {} in NAT", od.name, nat->external_ip);
      continue;
    }
    if (nat->type != "snat" && nat->type != "dnat" && nat->type != "dnat_and_snat") continue;
    if (nat->type == "snat") {
      if (std::find(seen_snat.begin(), seen_snat.end(), nat->external_ip) == seen_snat.end()) {
        seen_snat.push_back(nat->external_ip);
        od.snat_ips.push_back(od.nat_entries.size());
      }
    } else if (nat->type == "dnat_and_snat" && nat->logical_port && nat->external_mac) {
      e.distributed = true;
      od.has_distributed_nat = true;
    }
    if (e.distributed) {
      if (auto mac = packets::parse_mac(*nat->external_mac); mac.ok()) {
        od.nat_external_macs.push_back(mac->to_string());
      }
    }
    if (!od.l3dgw_ports.empty()) {
      e.l3dgw_port = od.l3dgw_ports[0];
      if (nat->gateway_port) {
        for (Port* p : od.l3dgw_ports) {
          if (p->nb_uuid == *nat->gateway_port) e.l3dgw_port = p;
        }
      }
    }
    od.nat_entries.push_back(e);
  }
  std::sort(od.nat_external_macs.begin(), od.nat_external_macs.end());
  od.nat_external_macs.erase(std::unique(od.nat_external_macs.begin(), od.nat_external_macs.end()),
                             od.nat_external_macs.end());
}

bool lrp_ipv4_reachable(const Port& op, packets::Ipv4Addr addr) {
  for (const Ipv4Netaddr& n : op.lrp_networks.ipv4) {
    if ((addr.value & n.mask.value) == n.network.value) return true;
  }
  return false;
}

bool lrp_ipv6_reachable(const Port& op, const packets::Ipv6Addr& addr) {
  for (const Ipv6Netaddr& n : op.lrp_networks.ipv6) {
    if ((addr & n.mask) == n.network) return true;
  }
  return false;
}

}  // namespace ovnx::northd
