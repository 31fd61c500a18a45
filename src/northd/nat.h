// Internal: NAT rules of a router as the pipelines need them.
#pragma once

#include "northd/topology.h"

namespace ovnx::northd {

// Parses and validates the router's NAT rules into od.nat_entries and friends (topology build).
void init_nat_entries(Datapath& od, const nb::Snapshot& nb);

inline const std::vector<NatEntry>& router_nat_entries(const Topology&, const Datapath& od) {
  return od.nat_entries;
}
inline const std::vector<std::string>& router_nat_external_macs(const Topology&,
                                                                const Datapath& od) {
  return od.nat_external_macs;
}

// True if `addr` is inside one of the router port's networks.
bool lrp_ipv4_reachable(const Port& op, packets::Ipv4Addr addr);
bool lrp_ipv6_reachable(const Port& op, const packets::Ipv6Addr& addr);

}  // namespace ovnx::northd
