// Internal to compile.cc: the OpenFlow flows of the commonest normal forms built straight from
// the DNF, without dnf_to_flows()' intermediate list of MatchFlow (a field vector per flow,
// copied, sorted and compared, then converted again). Gives exactly what the general path gives.
#pragma once

#include <cstdint>

#include "logical/compile.h"
#include "logical/normalize.h"
#include "openflow/actions.h"

namespace ovnx::logical {

// What every flow of one logical flow shares.
struct FlowFrame {
  uint8_t table_id = 0;
  uint16_t priority = 0;
  uint64_t cookie = 0;
  uint32_t datapath_key = 0;
};

// Appends the flows of `dnf` to out->flows when it is a single term without sets (one flow), a
// single term whose sets all become dimensions of one conjunctive match, or a single term with
// one canonical set (one flow per alternative); `actions` is moved into the flow that runs
// them. Returns false, touching nothing, for any other shape.
bool build_flows_directly(const Dnf& dnf, const MatchOptions& options, const FlowFrame& frame,
                          openflow::ActionList& actions, CompiledFlows* out);

}  // namespace ovnx::logical
