// Text forms of matches, actions and flows, as `ovs-ofctl -O OpenFlow15 --no-stats dump-flows`
// prints them, e.g.
//   cookie=0x5, table=8, priority=100,reg14=0x1,metadata=0x1,dl_src=00:00:00:00:00:01
//   actions=resubmit(,9)
// (one line). Field order, protocol shorthands ("tcp", "icmp6"), masks ("/24",
// "0x1/0x1", "+trk-new") and action spellings follow what Open vSwitch prints.
#pragma once

#include <span>
#include <string>

#include "openflow/actions.h"
#include "openflow/fields.h"
#include "openflow/match.h"

namespace ovnx::openflow {

// A field value (exact), as in "reg0=0x5" or "set_field:10.0.0.1->ip_src".
std::string format_value(Field field, U128 value);
// A value under a mask: "10.0.0.0/8", "0x5/0xff", "+trk-new"; exact masks print the value only.
std::string format_masked(Field field, U128 value, U128 mask);

// The match with its priority, as dump-flows prints it: "priority=100,ip,nw_src=10.0.0.1".
// The default priority (32768) is not printed. Empty string for a default-priority catch-all.
std::string format_match(const Match& match, uint16_t priority = kDefaultPriority);

// "resubmit(,9),set_field:0x1->reg15"; "drop" for an empty list.
std::string format_actions(const ActionList& actions);
std::string format_action(const Action& action);

// One dump-flows line without its leading space and without statistics.
std::string format_flow(const Flow& flow);

// "00.01.02" (the hex-with-dots form of userdata and notes).
std::string format_hex_dots(std::span<const uint8_t> bytes);

}  // namespace ovnx::openflow
