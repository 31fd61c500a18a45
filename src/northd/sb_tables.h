// Internal: the southbound tables other than Logical_Flow, derived from the topology.
#pragma once

#include "northd/sb.h"
#include "northd/topology.h"

namespace ovnx::northd {

struct SbChassis;

void build_datapath_bindings(const Topology& topo, sb::Content& out);
void build_port_bindings(const Topology& topo, const std::vector<SbChassis>& chassis,
                         sb::Content& out);
void build_multicast_groups(const Topology& topo, sb::Content& out);
void build_address_sets(const Topology& topo, sb::Content& out);
void build_port_groups(const Topology& topo, sb::Content& out);
void build_dhcp_catalogues(sb::Content& out);
void build_dns(const Topology& topo, sb::Content& out);
void build_ip_multicast(const Topology& topo, sb::Content& out);
void build_ha_chassis_groups(const Topology& topo, sb::Content& out);

}  // namespace ovnx::northd
