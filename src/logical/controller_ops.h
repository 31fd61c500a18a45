// The user data of the controller() actions logical flows compile to: what ovn-controller's
// packet-in handler (pinctrl) receives and must act on. This header is the contract between the
// flow compiler (logical) and the packet-in handler (controller); both use only these types.
//
// Every controller action is NXAST_CONTROLLER2 with max_len=65535 (whole packet), reason
// "action", the flow's controller meter if any, and `pause` where the handler must resume the
// pipeline (put_dhcp_opts, put_dhcpv6_opts, put_nd_ra_opts, dns_lookup, icmp4.frag_mtu,
// icmp6.frag_mtu): it then writes its result into the paused packet and sends NXT_RESUME.
//
// Layout (all integers big-endian):
//
//   0      4      8
//   +------+------+-----------------------------------------------
//   |opcode| zero |  payload (depends on the opcode)
//   +------+------+-----------------------------------------------
//
// The opcodes and the byte layout follow OVN 23.03, so flows compiled by ovnx and by
// ovn-controller carry the same user data, except where noted (DHCPv6 option values and the
// router advertisement are carried ready for the wire). Payloads:
//
//   kArp, kNdNs, kNdNa, kNdNaRouter, kIcmp (icmp4 and icmp6), kIcmp4Error, kIcmp6Error,
//   kTcpReset, kSctpAbort, kReject:
//       OpenFlow 1.5 actions (ofp_action encoding) to run on the packet the controller builds,
//       typically ending in resubmit to the next table or to the output table. The handler
//       sends the new packet with these actions in a packet-out, in_port and metadata
//       (including reg0..15) copied from the packet-in.
//   kPutArp, kPutNd:   no payload. Logical port key in reg14, IP in reg0 (ARP) or xxreg0 (ND),
//                      MAC in eth_src — the flow moved the arguments there.
//   kPutFdb:           no payload. Port key in reg14, MAC in eth_src.
//   kPutDhcpOpts, kPutDhcpv6Opts, kDnsLookup, kPutNdRaOpts:
//       4 bytes: OXM/NXM header of the result field (e.g. NXM_NX_XXREG0 = 0x0001de10)
//       4 bytes: bit offset of the result bit in that field (R := 1 on success, 0 otherwise)
//       then, per opcode:
//         kPutDhcpOpts:   the offered address (4 bytes), then the other options as
//                         { code:u8, length:u8, value }, value being the wire encoding of the
//                         DHCPv4 option (packets/dhcp_options.h); OVN's pseudo-options keep
//                         their catalogue codes (e.g. 253 next_server). Same bytes as OVN 23.03.
//         kPutDhcpv6Opts: options as { code:u16, length:u16, value } in wire encoding (DHCPv6
//                         server_id is already a DUID-LL, domain_search RFC 3646, ia_addr the
//                         16-byte address of the IA_NA).
//         kPutNdRaOpts:   the Router Advertisement to send: ICMPv6 header (type 134, code 0,
//                         zero checksum), cur hop limit 255, flags byte (M/O from addr_mode),
//                         router lifetime 0xffff, reachable time and retrans timer 0, then the
//                         ND options (source link-layer address, MTU, prefix information).
//         kDnsLookup:     nothing more.
//   kLog:              verdict:u8 (0 allow, 1 drop, 2 reject), severity:u8 (syslog level:
//                      1 alert, 4 warning, 5 notice, 6 info, 7 debug), then the name (no NUL).
//   kEvent:            event type:u32 (0 empty_lb_backends), then { code:u16, length:u16,
//                      value } with codes 1 vip, 2 protocol, 3 load_balancer (UUID text).
//   kBindVport:        vport key:u32 (the virtual port); parent port key in reg14.
//   kHandleSvcCheck:   no payload; port in reg14.
//   kHandleDhcpv6Reply, kIgmp: no payload.
//   kPutIcmp4FragMtu:  mtu:u16 (paused; set in the ICMPv4 header being built).
//   kPutIcmp6FragMtu:  mtu:u32 (paused; set in the ICMPv6 header being built).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"

namespace ovnx::logical {

enum class ControllerOp : uint32_t {
  kArp = 0,
  kPutArp = 1,
  kPutDhcpOpts = 2,
  kNdNa = 3,
  kPutNd = 4,
  kPutDhcpv6Opts = 5,
  kDnsLookup = 6,
  kLog = 7,
  kPutNdRaOpts = 8,
  kNdNs = 9,
  kIcmp = 10,  // icmp4 { } and icmp6 { }
  kTcpReset = 11,
  kNdNaRouter = 12,
  kPutIcmp4FragMtu = 13,
  kIcmp4Error = 14,
  kEvent = 15,
  kIgmp = 16,
  kBindVport = 17,
  kHandleSvcCheck = 18,
  kHandleDhcpv6Reply = 19,
  kIcmp6Error = 20,
  kPutIcmp6FragMtu = 21,
  kReject = 22,
  kSctpAbort = 24,
  kPutFdb = 25,
};

std::string_view controller_op_name(ControllerOp op);

inline constexpr size_t kUserDataHeaderLen = 8;

// The header of the user data, and the bytes after it.
struct UserData {
  ControllerOp op = ControllerOp::kArp;
  std::span<const uint8_t> payload;
};

// Splits user data into opcode and payload; fails on short data or an unknown opcode.
Result<UserData> decode_userdata(std::span<const uint8_t> data);

// Builds user data: header then payload.
std::vector<uint8_t> make_userdata(ControllerOp op, std::span<const uint8_t> payload = {});

// Where a paused action wants its 1-bit result (kPutDhcpOpts, kPutDhcpv6Opts, kDnsLookup,
// kPutNdRaOpts), and what follows in the payload.
struct ResultBit {
  uint32_t oxm_header = 0;  // class:16 field:7 hasmask:1 length:8, as in NXM/OXM
  uint32_t bit = 0;         // offset of the result bit within the field
  std::span<const uint8_t> rest;
};
Result<ResultBit> decode_result_bit(std::span<const uint8_t> payload);

// One option of a kPutDhcpOpts / kPutDhcpv6Opts / kEvent payload.
struct UserOption {
  uint16_t code = 0;
  std::span<const uint8_t> value;
};
// `wide` selects 2-byte code and length (DHCPv6, events) instead of 1-byte (DHCPv4).
Result<std::vector<UserOption>> decode_options(std::span<const uint8_t> data, bool wide);

struct LogInfo {
  uint8_t verdict = 0;
  uint8_t severity = 0;
  std::string name;
};
Result<LogInfo> decode_log(std::span<const uint8_t> payload);

}  // namespace ovnx::logical
