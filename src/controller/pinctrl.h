// The packet-in seam: how packets sent to the controller by controller() actions reach their
// handlers (ARP/ND resolution, put_arp/put_nd into MAC_Binding, DHCP, DNS, ICMP errors, ...).
//
// The daemon decodes each NXT_PACKET_IN2 once: the user data's opcode and payload
// (logical/controller_ops.h is the contract with the flow compiler), the pipeline metadata
// (datapath, logical ports, registers) and the packet bytes. The Pinctrl dispatcher hands it
// to the handler registered for that opcode. A handler answers through its PinctrlContext:
//   - send() packet-outs, or the NXT_RESUME of a paused pipeline, to the integration bridge;
//   - queue_sb_write() a transaction step (e.g. insert or refresh a MAC_Binding row) that the
//     daemon runs in its next Southbound transaction, retried as the daemon's own edits are;
//   - read the Southbound replica and this chassis' local state (bindings, datapaths).
// Handlers run on the daemon's thread, must not block, and must treat the packet as untrusted:
// a malformed packet is counted and dropped, never a crash.
//
// run() is called once per main-loop iteration for periodic work (gratuitous ARPs, RAs,
// backoffs); wait_ms() tells the loop how soon it wants to run again.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "controller/local_datapaths.h"
#include "logical/controller_ops.h"
#include "openflow/messages.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::controller {

// A decoded packet-in.
struct PacketInEvent {
  logical::ControllerOp op = logical::ControllerOp::kArp;
  std::span<const uint8_t> payload;     // user data after the 8-byte header
  const openflow::PacketIn* raw = nullptr;  // packet bytes, metadata, continuation
  uint32_t dp_key = 0;                  // OpenFlow metadata: the logical datapath
  uint32_t inport = 0;                  // reg14
  uint32_t outport = 0;                 // reg15
  std::array<uint32_t, 16> regs{};      // reg0..reg15 as the pipeline left them
  bool paused() const { return raw && raw->continuation.has_value(); }
};

// Builds an event from a packet-in; fails on missing or malformed user data.
Result<PacketInEvent> decode_packet_in(const openflow::PacketIn& pin);

// What handlers may use. Implemented by the daemon (and by fakes in tests).
class PinctrlContext {
 public:
  using SbWrite = std::function<Status(ovsdb::client::Transaction&)>;
  virtual ~PinctrlContext() = default;
  // Sends a PacketOut or Resume to the integration bridge; false if not connected.
  virtual bool send(const openflow::Message& message) = 0;
  // Runs WRITE in the next Southbound transaction (nothing if the SB is not connected).
  virtual void queue_sb_write(SbWrite write) = 0;
  // The Southbound replica and this chassis' view; valid during the call.
  virtual const ovsdb::client::Replica* sb() const = 0;
  virtual const LocalState& local() const = 0;
  virtual int64_t now_ms() const = 0;
};

class PacketInHandler {
 public:
  virtual ~PacketInHandler() = default;
  virtual void handle(const PacketInEvent& event, PinctrlContext& ctx) = 0;
  virtual void run(PinctrlContext& ctx) {}
  virtual int wait_ms() const { return -1; }  // -1: no timer needed
};

struct PinctrlStats {
  uint64_t received = 0;
  uint64_t malformed = 0;
  uint64_t unhandled = 0;  // no handler for the opcode
  std::map<std::string, uint64_t> by_op;
};

// Routes packet-ins to the handler of their opcode.
class Pinctrl {
 public:
  // HANDLER serves OP (replacing any previous one); it may serve several opcodes.
  void register_handler(logical::ControllerOp op, std::shared_ptr<PacketInHandler> handler);
  void dispatch(const openflow::PacketIn& pin, PinctrlContext& ctx);
  void run(PinctrlContext& ctx);
  // Smallest wait_ms() of the handlers, -1 if none wants a timer.
  int wait_ms() const;
  const PinctrlStats& stats() const { return stats_; }
  // "op: count" lines, for the control socket.
  std::string stats_text() const;

 private:
  std::map<logical::ControllerOp, std::shared_ptr<PacketInHandler>> handlers_;
  PinctrlStats stats_;
};

}  // namespace ovnx::controller
