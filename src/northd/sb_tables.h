// Internal: the southbound tables other than Logical_Flow, derived from the topology -- per
// datapath where the rows belong to one (so an incremental update redoes only those), globally
// for the few small tables.
#pragma once

#include <optional>
#include <vector>

#include "northd/sb.h"
#include "northd/topology.h"

namespace ovnx::northd {

struct SbChassis;

// Per datapath.
sb::DatapathBinding datapath_binding(const Datapath& dp);
std::vector<sb::PortBinding> port_bindings(const Topology& topo, const Datapath& dp,
                                           const std::vector<SbChassis>& chassis);
// The binding of one port.
sb::PortBinding port_binding(const Topology& topo, const Port& p,
                             const std::vector<SbChassis>& chassis);
std::vector<sb::MulticastGroup> multicast_groups(const Datapath& dp);
std::vector<sb::PortGroup> port_groups(const Datapath& dp);  // "<key>_<name>" per switch
std::optional<sb::IpMulticast> ip_multicast(const Datapath& dp);

// Address sets: the NB ones, one per port group and family, and svc_monitor_mac.
sb::AddressSet address_set(const nb::AddressSet& as);
std::vector<sb::AddressSet> port_group_address_sets(const nb::PortGroup& pg,
                                                    const nb::Snapshot& nb);
// Small global tables, rebuilt whole.
std::vector<sb::Dns> dns_rows(const Topology& topo);
std::vector<sb::HaChassisGroup> ha_chassis_groups(const Topology& topo);
void dhcp_catalogues(std::vector<sb::DhcpOptionCode>* v4, std::vector<sb::DhcpOptionCode>* v6);

}  // namespace ovnx::northd
