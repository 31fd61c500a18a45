// A fake PinctrlContext for the packet-in handler tests, and builders of the packet-ins the
// flow compiler's controller() actions produce (user data as logical/controller_ops.h lays it
// out, pipeline metadata, continuation of a paused pipeline).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/pinctrl.h"
#include "controller/pinctrl_handlers.h"
#include "logical/controller_ops.h"
#include "openflow/codec.h"
#include "openflow/fields.h"
#include "ovsdb/client/replica.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/transaction.h"
#include "packets/bytes.h"

namespace ovnx::controller::test {

class FakeContext final : public PinctrlContext {
 public:
  FakeContext() : sb_(sb::binding_ptr()) {}

  bool send(const openflow::Message& message) override {
    // What goes to the switch must encode: a handler's output is checked on the wire too.
    EXPECT_TRUE(openflow::encode(message, 1).ok()) << "unencodable message";
    sent.push_back(message);
    return connected;
  }
  void queue_sb_write(SbWrite write) override { writes.push_back(std::move(write)); }
  const ovsdb::client::Replica* sb() const override { return sb_connected ? &sb_ : nullptr; }
  const LocalState& local() const override { return local_; }
  int64_t now_ms() const override { return now; }

  ovsdb::client::Replica& replica() { return sb_; }

  // Runs the queued writes in one transaction over the replica; returns it for inspection.
  std::unique_ptr<ovsdb::client::Transaction> run_writes() {
    auto txn = std::make_unique<ovsdb::client::Transaction>(sb_);
    for (auto& w : writes) EXPECT_TRUE(w(*txn).ok());
    writes.clear();
    return txn;
  }

  std::vector<openflow::Message> sent;
  std::vector<SbWrite> writes;
  bool connected = true;
  bool sb_connected = true;
  int64_t now = 1000;

 private:
  ovsdb::client::Replica sb_;
  LocalState local_;
};

inline packets::Bytes be32(uint32_t v) {
  return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

// The result-field header of a paused action writing bit BIT of FIELD.
inline packets::Bytes result_header(openflow::Field field, uint32_t bit) {
  const openflow::OxmCode& c = openflow::field_info(field).wire;
  packets::Bytes out = be32(uint32_t(c.oxm_class) << 16 | uint32_t(c.field) << 9 | c.length);
  packets::Bytes b = be32(bit);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

struct PinSpec {
  logical::ControllerOp op = logical::ControllerOp::kArp;
  packets::Bytes payload;
  packets::Bytes packet;
  uint32_t dp_key = 1;
  uint32_t inport = 1;
  std::vector<std::pair<int, uint32_t>> regs;  // (register number, value)
  bool paused = false;
};

inline openflow::PacketIn make_packet_in(const PinSpec& s) {
  openflow::PacketIn pin;
  pin.packet = s.packet;
  pin.full_len = uint32_t(s.packet.size());
  pin.table_id = 27;
  pin.userdata = logical::make_userdata(s.op, s.payload);
  pin.metadata.set(openflow::Field::in_port, openflow::U128(7));
  pin.metadata.set(openflow::Field::metadata, openflow::U128(s.dp_key));
  pin.metadata.set(openflow::reg(14), openflow::U128(s.inport));
  for (auto [r, v] : s.regs) pin.metadata.set(openflow::reg(r), openflow::U128(v));
  if (s.paused) pin.continuation = std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8};
  return pin;
}

// Decodes and hands PIN to HANDLER (as the dispatcher does).
inline void deliver(PacketInHandler& handler, const openflow::PacketIn& pin, FakeContext& ctx) {
  auto ev = decode_packet_in(pin);
  ASSERT_TRUE(ev.ok()) << ev.error().to_string();
  handler.handle(*ev, ctx);
}

inline uint32_t reg_value(const openflow::Match& m, int r) {
  const openflow::FieldMatch* fm = m.find(openflow::reg(r));
  return fm ? uint32_t(fm->value.lo) : 0;
}

}  // namespace ovnx::controller::test
