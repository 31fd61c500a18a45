// The MICROFLOW argument: a match expression whose `==` conjuncts give the packet's field values
// (`inport == "p1" && eth.src == 0a:00:00:00:00:01 && ip4.dst == 10.0.0.2 && ip.ttl == 64`).
// Predicates and prerequisites are expanded first, so `icmp4` sets eth.type and ip.proto. The
// packet built must satisfy the whole expression, else it is an error (the expression needs
// more `==` terms).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "logical/expr_eval.h"
#include "logical/resolver.h"

namespace ovnx::trace {

// Parses MICROFLOW in the scope of the datapath `resolver` names ports for.
Result<logical::FlowState> parse_microflow(std::string_view text,
                                           const logical::Resolver& resolver);

// The fields of `state` that are not zero, as "name=value" pairs in OpenFlow field names,
// comma separated (the "# ..." line atop a trace).
std::string format_flow_state(const logical::FlowState& state);

}  // namespace ovnx::trace
