// Internal: encoding and decoding of action lists and OpenFlow 1.5 instructions.
#pragma once

#include "base/result.h"
#include "openflow/actions.h"
#include "openflow/wire.h"

namespace ovnx::openflow::action_codec {

inline constexpr uint32_t kNxVendor = 0x00002320;

// Writes ACTIONS (each padded to a multiple of 8 bytes). Fails on values that cannot be
// encoded (invalid subfields, a conjunction clause out of range, nat outside ct, ...).
Status put_actions(wire::Writer& w, const ActionList& actions);
// Decodes actions filling the whole reader.
Result<ActionList> get_actions(wire::Reader& r);

// Instructions of a flow_mod / flow stats entry: an OFPIT_APPLY_ACTIONS holding ACTIONS
// (nothing at all for an empty list, i.e. drop).
Status put_instructions(wire::Writer& w, const ActionList& actions);
// Accepts OFPIT_APPLY_ACTIONS and OFPIT_METER (turned into a leading Meter action); other
// instructions are reported as unsupported.
Result<ActionList> get_instructions(wire::Reader& r);

}  // namespace ovnx::openflow::action_codec
