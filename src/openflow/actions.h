// OpenFlow action values: what a flow does, as plain comparable, hashable values.
//
// One struct per action kind (named after ovs-actions(7)); Action is a std::variant over them
// and ActionList a vector of Action. An empty ActionList means drop. Every struct has defaulted
// ==/<=> so flow tables can be diffed and sorted; hash_value() hashes actions for unordered
// containers. The codec (codec.h) encodes each kind as Open vSwitch expects it with OpenFlow
// 1.5 (Nicira extensions where noted); format.h prints them as `ovs-ofctl -O OpenFlow15
// dump-flows` does.
//
// Nesting: Clone and Ct hold nested ActionLists. Ct's list may only contain Nat and SetField
// (on ct_mark / ct_label), which is all Open vSwitch accepts there.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "openflow/fields.h"
#include "openflow/value.h"

namespace ovnx::openflow {

struct Action;
using ActionList = std::vector<Action>;

inline constexpr uint8_t kTableNone = 0xff;  // resubmit/ct: "no table" / "current table"

// output:PORT (OFPAT_OUTPUT). MAX_LEN matters only for kPortController.
struct Output {
  uint16_t port = 0;
  uint16_t max_len = 0;
  std::strong_ordering operator<=>(const Output&) const = default;
};

// output:SRC — output to the port number held in a subfield (NXAST_OUTPUT_REG), e.g. reg15.
// MAX_LEN matters only if the port turns out to be the controller.
struct OutputReg {
  Subfield src;
  uint16_t max_len = 0xffff;
  std::strong_ordering operator<=>(const OutputReg&) const = default;
};

// resubmit(IN_PORT,TABLE) (NXAST_RESUBMIT_TABLE). kPortInPort keeps the packet's in_port;
// kTableNone resubmits to the current table.
struct Resubmit {
  uint16_t in_port = kPortInPort;
  uint8_t table = kTableNone;
  std::strong_ordering operator<=>(const Resubmit&) const = default;
};

// set_field:VALUE/MASK->FIELD, which also expresses load:V->FIELD[a..b] (VALUE and MASK in
// field coordinates, i.e. already shifted). An all-ones mask of the field's width is an exact
// set (OFPAT_SET_FIELD); anything else is encoded as NXAST_REG_LOAD2 with a mask.
struct SetField {
  Field field = Field::reg0;
  U128 value;
  U128 mask;
  // load:VALUE->SF: VALUE is right-aligned in the subfield.
  static SetField load(const Subfield& sf, U128 value) {
    return SetField{sf.field, (value & U128::low_bits(sf.n_bits)) << sf.ofs, sf.mask()};
  }
  static SetField exact(Field f, U128 value) {
    return SetField{f, value & U128::low_bits(field_bits(f)), U128::low_bits(field_bits(f))};
  }
  std::strong_ordering operator<=>(const SetField&) const = default;
};

// move:SRC->DST (NXAST_REG_MOVE). REQUIRES: src.n_bits == dst.n_bits.
struct Move {
  Subfield src;
  Subfield dst;
  std::strong_ordering operator<=>(const Move&) const = default;
};

// conjunction(ID,CLAUSE+1/N_CLAUSES) (NXAST_CONJUNCTION). CLAUSE is 0-based as on the wire;
// the printed form is 1-based. REQUIRES: clause < n_clauses, 2 <= n_clauses <= 64.
struct Conjunction {
  uint32_t id = 0;
  uint8_t clause = 0;
  uint8_t n_clauses = 0;
  std::strong_ordering operator<=>(const Conjunction&) const = default;
};

// nat(...) inside ct (NXAST_NAT). Without a kind it is "nat": apply the connection's existing
// NAT. Addresses are right-aligned in U128 (IPv4 in the low 32 bits). addr_max / port_max
// zero means "no upper bound given" (a single address / port).
struct Nat {
  enum class Kind : uint8_t { kNone, kSrc, kDst };
  enum class Family : uint8_t { kNone, kIpv4, kIpv6 };  // kNone: no address range
  Kind kind = Kind::kNone;
  Family family = Family::kNone;
  U128 addr_min;
  U128 addr_max;
  uint16_t port_min = 0;
  uint16_t port_max = 0;
  bool persistent = false;
  bool hash = false;    // port selection: "hash"
  bool random = false;  // port selection: "random"
  std::strong_ordering operator<=>(const Nat&) const = default;
};

// ct(...) (NXAST_CT): send the packet through the connection tracker.
struct Ct {
  bool commit = false;
  bool force = false;
  // Zone: from a 16-bit subfield if zone_src is set (zone=NXM_NX_REG13[0..15]), else zone_imm.
  std::optional<Subfield> zone_src;
  uint16_t zone_imm = 0;
  uint8_t recirc_table = kTableNone;  // table=N: continue processing there after conntrack
  uint16_t alg = 0;                   // alg=ftp (21) / tftp (69), 0 for none
  ActionList actions;                 // exec(...) and nat: Nat and SetField on ct_mark/ct_label
  std::strong_ordering operator<=>(const Ct&) const;
  bool operator==(const Ct&) const;
};

// ct_clear (NXAST_CT_CLEAR).
struct CtClear {
  std::strong_ordering operator<=>(const CtClear&) const = default;
};

// controller(...) (NXAST_CONTROLLER2): send the packet to the controller as a packet-in.
inline constexpr uint16_t kMaxLenNoBuffer = 0xffff;  // OFPCML_NO_BUFFER: send whole packet
inline constexpr uint8_t kPacketInReasonNoMatch = 0;
inline constexpr uint8_t kPacketInReasonAction = 1;
inline constexpr uint8_t kPacketInReasonInvalidTtl = 2;
struct Controller {
  uint16_t max_len = kMaxLenNoBuffer;
  uint16_t controller_id = 0;
  uint8_t reason = kPacketInReasonAction;
  std::vector<uint8_t> userdata;
  bool pause = false;             // pause pipeline; continuation comes back in NXT_RESUME
  std::optional<uint32_t> meter_id;  // controller meter
  std::strong_ordering operator<=>(const Controller&) const = default;
};

// clone(...) (NXAST_CLONE): run nested actions on a copy of the packet.
struct Clone {
  ActionList actions;
  std::strong_ordering operator<=>(const Clone&) const;
  bool operator==(const Clone&) const;
};

// dec_ttl (OFPAT_DEC_NW_TTL).
struct DecTtl {
  std::strong_ordering operator<=>(const DecTtl&) const = default;
};

// group:ID (OFPAT_GROUP).
struct Group {
  uint32_t group_id = 0;
  std::strong_ordering operator<=>(const Group&) const = default;
};

// meter:ID (OpenFlow 1.5 OFPAT_METER).
struct Meter {
  uint32_t meter_id = 0;
  std::strong_ordering operator<=>(const Meter&) const = default;
};

// note:HEX (NXAST_NOTE). The switch pads the data with zeros to fill the action to a multiple of
// 8 bytes, and reports the padded bytes back; ovnx encodes what is given here and pads likewise.
struct Note {
  std::vector<uint8_t> data;
  std::strong_ordering operator<=>(const Note&) const = default;
};

// set_queue:ID (OFPAT_SET_QUEUE).
struct SetQueue {
  uint32_t queue_id = 0;
  std::strong_ordering operator<=>(const SetQueue&) const = default;
};

// push_vlan:ETHERTYPE (OFPAT_PUSH_VLAN).
struct PushVlan {
  uint16_t ethertype = 0x8100;
  std::strong_ordering operator<=>(const PushVlan&) const = default;
};

// pop_vlan (OFPAT_POP_VLAN); OpenFlow 1.0 called it strip_vlan.
struct PopVlan {
  std::strong_ordering operator<=>(const PopVlan&) const = default;
};

// push:SRC / pop:DST (NXAST_STACK_PUSH / NXAST_STACK_POP).
struct StackPush {
  Subfield src;
  std::strong_ordering operator<=>(const StackPush&) const = default;
};
struct StackPop {
  Subfield dst;
  std::strong_ordering operator<=>(const StackPop&) const = default;
};

// check_pkt_larger(PKT_LEN)->DST (NXAST_CHECK_PKT_LARGER): DST (one bit) := packet larger
// than PKT_LEN bytes.
struct CheckPktLarger {
  uint16_t pkt_len = 0;
  Subfield dst;
  std::strong_ordering operator<=>(const CheckPktLarger&) const = default;
};

using ActionVariant =
    std::variant<Output, OutputReg, Resubmit, SetField, Move, Conjunction, Ct, Nat, CtClear,
                 Controller, Clone, DecTtl, Group, Meter, Note, SetQueue, PushVlan, PopVlan,
                 StackPush, StackPop, CheckPktLarger>;

// One action. Construct from any alternative: `Action a = Resubmit{kPortInPort, 9};`
// Inspect with std::get_if<Output>(&a) or std::visit(visitor, a.variant()).
struct Action : ActionVariant {
  using ActionVariant::ActionVariant;
  Action() = default;  // an Output to port 0; only meant to be assigned over
  const ActionVariant& variant() const { return *this; }
  ActionVariant& variant() { return *this; }
  std::strong_ordering operator<=>(const Action& o) const;
  bool operator==(const Action& o) const;
};

size_t hash_value(const Action& a);
size_t hash_value(const ActionList& actions);

// The ovs-actions(7) name of an action's kind: "output", "resubmit", "ct", ...
const char* action_name(const Action& a);

}  // namespace ovnx::openflow

template <>
struct std::hash<ovnx::openflow::Action> {
  size_t operator()(const ovnx::openflow::Action& a) const { return ovnx::openflow::hash_value(a); }
};
