// Building blocks shared by the packet-in handlers (pinctrl_*.cc): answering a packet-in with a
// packet-out that runs the action's nested OpenFlow actions, resuming a paused pipeline with a
// result bit, and the Southbound lookups the handlers need (datapath by tunnel key, port by
// datapath and port key). Internal to the controller module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "controller/pinctrl.h"
#include "packets/bytes.h"

namespace ovnx::ovsdb::client {
class Replica;
}
namespace ovnx::sb {
class DatapathBinding;
class PortBinding;
}  // namespace ovnx::sb

namespace ovnx::controller::pinctrl {

// Counters kept by each handler, for tests and the control socket.
struct HandlerStats {
  uint64_t handled = 0;        // answered (packet-out / resume sent, or Southbound write queued)
  uint64_t malformed = 0;      // the packet or the user data did not parse: dropped
  uint64_t ignored = 0;        // well formed but nothing to do (not ours, duplicate, no answer)
  uint64_t send_failures = 0;  // the switch was not connected
};

// A packet-out of PACKET through the OpenFlow actions in EV's payload (the nested actions of
// arp { }, icmp4 { }, ...), with the packet-in's logical datapath and registers, entering from
// in_port=CONTROLLER as ovn-controller's do. Fails if the payload is not a valid action list.
Result<openflow::PacketOut> nested_packet_out(const PacketInEvent& ev, packets::Bytes packet);

// The NXT_RESUME continuing EV's paused pipeline with RESULT written into the 1-bit result
// field described by RESULT_FIELD, and PACKET (if given) replacing the paused packet.
// Fails if EV is not paused or RESULT_FIELD does not name a known field and bit.
Result<openflow::Resume> resume_with_result(const PacketInEvent& ev,
                                            const logical::ResultBit& result_field, bool result,
                                            std::optional<packets::Bytes> packet);

// Sends MESSAGE, counting a disconnected switch in STATS.
void send_counted(PinctrlContext& ctx, const openflow::Message& message, HandlerStats& stats);

// Answers EV with a packet-out of FRAME through the action's nested actions (arp { }, nd_na { },
// icmp4 { }, ...). A FRAME error or an invalid nested action list counts as malformed.
void send_nested(const PacketInEvent& ev, PinctrlContext& ctx, Result<packets::Bytes> frame,
                 HandlerStats& stats);

// Ends a paused action: resumes EV's pipeline with result 1 and REPLY as the packet, or with
// result 0 and the packet unchanged when there is no REPLY (counted as ignored, or as
// malformed if MALFORMED).
void finish_paused(const PacketInEvent& ev, PinctrlContext& ctx,
                   const logical::ResultBit& result_field, std::optional<packets::Bytes> reply,
                   HandlerStats& stats, bool malformed = false);

// Southbound lookups (nullptr if absent).
const sb::DatapathBinding* find_datapath(const ovsdb::client::Replica& sb, uint32_t dp_key);
const sb::PortBinding* find_port(const ovsdb::client::Replica& sb, uint32_t dp_key,
                                 uint32_t port_key);

}  // namespace ovnx::controller::pinctrl
