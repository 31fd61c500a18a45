// The flow sets the OpenFlow interop test installs into a real Open vSwitch.
#pragma once

#include <vector>

#include "openflow/match.h"
#include "openflow/messages.h"

namespace ovnx::openflow::interop {

// Covers registers, resubmits, conjunctions, ct with nat and exec, controller2 with userdata
// and pause, tun_metadata0 (needs the geneve TLV mapping), groups and meters, and more.
std::vector<Flow> main_flows();
// main_flows() with one flow deleted, one modified and one added.
std::vector<Flow> changed_flows();
// A flow the switch must refuse (output to a group that does not exist).
Flow bad_flow();

// Group 1 and meter 1, which main_flows() use.
GroupMod group_1();
MeterMod meter_1();

}  // namespace ovnx::openflow::interop
