// The OpenFlow match / set-field fields ovnx uses, with their names, widths and wire codes.
//
// Facts come from ovs-fields(7) and the OpenFlow 1.5 spec. Every Field has:
//  - `name`: its ovs-fields(7) name ("eth_src"), as set_field prints it;
//  - `match_name`: the name `ovs-ofctl dump-flows` prints in a match ("dl_src");
//  - `nxm_name`: the name subfield notation prints ("NXM_OF_ETH_SRC[]");
//  - a width in bits (values are right-aligned in a U128, see value.h);
//  - `wire`: the OXM/NXM header emitted in OpenFlow 1.5 messages, and `alt`: another header
//    accepted when decoding (Open vSwitch accepts both NXM and OXM codes in OpenFlow 1.5).
//
// Aliases. Several fields overlay the same packet state, exactly as in Open vSwitch:
//  xreg<N> = reg<2N>:reg<2N+1> and xxreg<N> = reg<4N>..reg<4N+3> (lower register numbers are
//  the more significant bits); ip_dscp = nw_tos >> 2; vlan_vid/vlan_pcp are parts of vlan_tci.
//  `canonical_storage` tells Match how to fold an alias onto the field it keeps (see match.h).
//
// Ports: ovnx uses Open vSwitch's 16-bit port numbering everywhere (kPortLocal = 0xfffe, ...);
// the codec converts to and from OpenFlow 1.1+'s 32-bit numbers on the wire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "openflow/value.h"

namespace ovnx::openflow {

// Enumerators are named as ovs-fields(7) names the field. The order is arbitrary but stable.
enum class Field : uint8_t {
  in_port,  // 16-bit OVS port number; OXM_OF_IN_PORT (32-bit) in matches, NXM_OF_IN_PORT in actions
  eth_src,
  eth_dst,
  eth_type,
  vlan_tci,  // 16 bits: PCP(3) CFI(1, "present") VID(12)
  vlan_vid,  // OXM form: 13 bits, 0x1000 = VLAN present; alias of vlan_tci & 0x1fff
  vlan_pcp,  // 3 bits; alias of vlan_tci >> 13
  ip_src,
  ip_dst,
  ipv6_src,
  ipv6_dst,
  ipv6_label,
  nw_proto,
  nw_tos,   // whole 8-bit DSCP field position (DSCP << 2), low 2 bits always zero
  ip_dscp,  // 6-bit DSCP; alias of nw_tos >> 2
  nw_ecn,
  nw_ttl,
  nw_frag,  // 2 bits: 1 = fragment ("yes"), 2 = later fragment
  arp_op,
  arp_spa,
  arp_tpa,
  arp_sha,
  arp_tha,
  tcp_src,
  tcp_dst,
  udp_src,
  udp_dst,
  sctp_src,
  sctp_dst,
  tcp_flags,
  icmp_type,
  icmp_code,
  icmpv6_type,
  icmpv6_code,
  nd_target,
  nd_sll,
  nd_tll,
  nd_reserved,
  nd_options_type,
  metadata,
  reg0, reg1, reg2, reg3, reg4, reg5, reg6, reg7,
  reg8, reg9, reg10, reg11, reg12, reg13, reg14, reg15,
  xreg0, xreg1, xreg2, xreg3, xreg4, xreg5, xreg6, xreg7,
  xxreg0, xxreg1, xxreg2, xxreg3,
  tun_id,
  tun_src,  // tun_ipv4_src
  tun_dst,  // tun_ipv4_dst
  tun_ipv6_src,
  tun_ipv6_dst,
  tun_metadata0,  // tun_metadata0 .. tun_metadata63 are consecutive; use tun_metadata(n)
  tun_metadata63 = tun_metadata0 + 63,
  ct_state,
  ct_zone,
  ct_mark,
  ct_label,
  ct_nw_src,
  ct_nw_dst,
  ct_ipv6_src,
  ct_ipv6_dst,
  ct_nw_proto,
  ct_tp_src,
  ct_tp_dst,
  conj_id,
  pkt_mark,
  recirc_id,
  dp_hash,
};
inline constexpr int kNumFields = static_cast<int>(Field::dp_hash) + 1;
inline constexpr int kNumRegs = 16;
inline constexpr int kNumXregs = 8;
inline constexpr int kNumXxregs = 4;
inline constexpr int kNumTunMetadata = 64;

// REQUIRES: n within range.
constexpr Field reg(int n) { return static_cast<Field>(static_cast<int>(Field::reg0) + n); }
constexpr Field xreg(int n) { return static_cast<Field>(static_cast<int>(Field::xreg0) + n); }
constexpr Field xxreg(int n) { return static_cast<Field>(static_cast<int>(Field::xxreg0) + n); }
constexpr Field tun_metadata(int n) {
  return static_cast<Field>(static_cast<int>(Field::tun_metadata0) + n);
}
constexpr bool is_reg(Field f) { return f >= Field::reg0 && f <= Field::reg15; }
constexpr bool is_xreg(Field f) { return f >= Field::xreg0 && f <= Field::xreg7; }
constexpr bool is_xxreg(Field f) { return f >= Field::xxreg0 && f <= Field::xxreg3; }
constexpr bool is_tun_metadata(Field f) {
  return f >= Field::tun_metadata0 && f <= Field::tun_metadata63;
}

// OXM classes (OpenFlow 1.5 section 7.2.3.1) and the NXM classes Open vSwitch keeps.
inline constexpr uint16_t kOxmClassNxm0 = 0x0000;          // NXM_OF_*
inline constexpr uint16_t kOxmClassNxm1 = 0x0001;          // NXM_NX_*
inline constexpr uint16_t kOxmClassOpenflowBasic = 0x8000; // OXM_OF_*
inline constexpr uint16_t kOxmClassPacketRegs = 0x8001;    // OXM_OF_PKT_REG<N> (xreg<N>)
inline constexpr uint16_t kOxmClassEricsson = 0x1000;      // ERICOXM_OF_* (nd_reserved, ...)
inline constexpr uint16_t kOxmClassExperimenter = 0xffff;  // followed by a 32-bit experimenter

// One OXM/NXM code point: class, field number and payload length in bytes (without mask).
struct OxmCode {
  uint16_t oxm_class = 0;
  uint8_t field = 0;
  uint8_t length = 0;  // for variable-length fields (tun_metadata): the maximum, 124
  uint32_t experimenter = 0;  // only for kOxmClassExperimenter

  bool valid() const { return length != 0; }
  bool operator==(const OxmCode&) const = default;
};

// How a field's value is printed.
enum class FieldFormat : uint8_t {
  kDecimal,   // "17"
  kHex,       // "0x11"
  kEthernet,  // "00:00:00:00:00:01"
  kIpv4,      // "10.0.0.1"
  kIpv6,      // "fe80::1"
  kPort,      // OVS port: "1", "LOCAL", "CONTROLLER"
  kCtState,   // "+trk+est"
  kTcpFlags,  // "+syn-ack"
  kFrag,      // "no", "first", "later", "yes", "not_later"
};

struct FieldInfo {
  Field id;
  std::string_view name;        // ovs-fields(7) name: "eth_src", "reg0", "tun_metadata0"
  std::string_view match_name;  // name in a printed match: "dl_src", "reg0", "nw_src"
  std::string_view nxm_name;    // name in subfield notation: "NXM_OF_ETH_SRC", "OXM_OF_METADATA"
  uint16_t n_bits;              // width (tun_metadata: 128 here; OVN maps 32, see notes)
  bool maskable;                // arbitrary bitwise masks allowed in a match
  bool writable;                // may be the destination of set_field/load/move
  FieldFormat format;
  OxmCode wire;  // emitted in OpenFlow 1.5 messages
  OxmCode alt;   // also accepted when decoding (invalid() if none)
};

// REQUIRES: f is a valid enumerator.
const FieldInfo& field_info(Field f);
inline std::string_view field_name(Field f) { return field_info(f).name; }
inline uint16_t field_bits(Field f) { return field_info(f).n_bits; }

// Looks a field up by any of its names: ovs-fields name or alias ("dl_src", "nw_src",
// "tun_ipv4_src"), or NXM/OXM name ("NXM_NX_REG0", "OXM_OF_METADATA").
std::optional<Field> field_from_name(std::string_view name);

// Looks a field up by its header as decoded from the wire (class, field, experimenter;
// the length is checked by the caller against `wire`/`alt`).
std::optional<Field> field_from_code(uint16_t oxm_class, uint8_t field, uint32_t experimenter);

// Where an alias lives: Match folds constraints on an alias into `storage` shifted left by
// `shift` (ip_dscp -> nw_tos << 2, vlan_pcp -> vlan_tci << 13). For xreg<N> / xxreg<N>,
// `storage` is the most significant 32-bit register and the value spans 2 / 4 consecutive
// registers. nullopt for fields that are their own storage.
struct AliasStorage {
  Field storage;
  unsigned shift;
};
std::optional<AliasStorage> canonical_storage(Field f);
// Whether `f` is an alias (canonical_storage(f) has a value), without the lookup: Match asks
// this for every constraint it sets.
constexpr bool is_alias(Field f) {
  return f == Field::ip_dscp || f == Field::vlan_vid || f == Field::vlan_pcp || is_xreg(f) ||
         is_xxreg(f);
}

// A subfield: N_BITS bits of FIELD starting at bit OFS (bit 0 = least significant), written
// "reg0[8..15]" (ofs 8, n_bits 8), "reg0[3]" (one bit) or "reg0[]" (the whole field).
struct Subfield {
  Field field = Field::reg0;
  uint16_t ofs = 0;
  uint16_t n_bits = 0;

  static Subfield whole(Field f) { return Subfield{f, 0, field_bits(f)}; }
  bool is_whole() const { return ofs == 0 && n_bits == field_bits(field); }
  // Mask of the bits this subfield covers, in field coordinates.
  U128 mask() const { return U128::bit_range(ofs, n_bits); }
  // True if ofs + n_bits fits in the field and n_bits > 0.
  bool valid() const { return n_bits > 0 && ofs + n_bits <= field_bits(field); }

  std::strong_ordering operator<=>(const Subfield&) const = default;
  bool operator==(const Subfield&) const = default;
};

// "NXM_NX_REG0[8..15]", "NXM_NX_REG0[3]", "NXM_NX_REG0[]" — as ovs-ofctl prints subfields.
std::string format_subfield(const Subfield& sf);

// Port numbers (OVS 16-bit numbering; OpenFlow 1.1+ adds 0xffff0000 to the reserved ones).
inline constexpr uint16_t kPortMax = 0xff00;  // physical ports are below this
inline constexpr uint16_t kPortInPort = 0xfff8;
inline constexpr uint16_t kPortTable = 0xfff9;
inline constexpr uint16_t kPortNormal = 0xfffa;
inline constexpr uint16_t kPortFlood = 0xfffb;
inline constexpr uint16_t kPortAll = 0xfffc;
inline constexpr uint16_t kPortController = 0xfffd;
inline constexpr uint16_t kPortLocal = 0xfffe;
inline constexpr uint16_t kPortNone = 0xffff;  // OFPP_ANY in OpenFlow 1.1+

// OpenFlow 1.1+ 32-bit port numbers <-> Open vSwitch's 16-bit ones (reserved ports are
// 0xffffff00 and up on the wire, 0xff00 and up here). from_ofp11 fails for numbers in between.
uint32_t port_to_ofp11(uint16_t port);
Result<uint16_t> port_from_ofp11(uint32_t port);

// "1", "IN_PORT", "LOCAL", "CONTROLLER", ... as ovs-ofctl prints a port.
std::string format_port(uint16_t port);

// ct_state bits (ovs-fields(7)).
inline constexpr uint32_t kCtStateNew = 0x01;
inline constexpr uint32_t kCtStateEst = 0x02;
inline constexpr uint32_t kCtStateRel = 0x04;
inline constexpr uint32_t kCtStateRpl = 0x08;
inline constexpr uint32_t kCtStateInv = 0x10;
inline constexpr uint32_t kCtStateTrk = 0x20;
inline constexpr uint32_t kCtStateSnat = 0x40;
inline constexpr uint32_t kCtStateDnat = 0x80;

// nw_frag bits.
inline constexpr uint8_t kFragAny = 0x01;
inline constexpr uint8_t kFragLater = 0x02;

}  // namespace ovnx::openflow
