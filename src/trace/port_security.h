// The port security checks check_in_port_sec() and check_out_port_sec() stand for
// (Port_Binding.port_security, ovn-nb(5) Logical_Switch_Port port_security): on the way in the
// source Ethernet address (and, for IPv4 and ARP, the source IPv4 address) must be one the
// port may use; on the way out the destination. Internal to the trace library.
#pragma once

#include "logical/expr_eval.h"
#include "trace/snapshot.h"

namespace ovnx::trace {

// True when `state` violates `port`'s port security in the given direction (false when the
// port has none).
bool violates_port_security(const Port& port, const logical::FlowState& state, bool ingress);

}  // namespace ovnx::trace
