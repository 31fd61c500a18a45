// Port security of local VIFs in OpenFlow tables 73..75, the tables the logical actions
// check_in_port_sec() and check_out_port_sec() resubmit to. Each flow sets or clears the
// "port security failed" logical flag (reg10 bit 12): a packet from a port is acceptable only
// with a source MAC (and IP, ARP, ND fields) listed in the port's port_security column; a packet
// to it only with a listed destination.
//
// The flows, priorities and matches are those OVN 23.03's ovn-controller installs, including
// its quirks (the neighbour-discovery flows of table 74 match ip.ttl 225, so real ND traffic
// falls to the priority-80 rules), so a chassis behaves exactly as a real OVN chassis would.
#pragma once

#include <cstdint>
#include <vector>

#include "ovsdb/client/sb.h"
#include "openflow/match.h"

namespace ovnx::controller {

// Appends the tables 73..75 flows of local VIF PB (in datapath DP_KEY); nothing if its
// port_security column is empty or unparsable.
void add_port_security_flows(std::vector<openflow::Flow>& out, const sb::PortBinding& pb,
                             uint32_t dp_key);

}  // namespace ovnx::controller
