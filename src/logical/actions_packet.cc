// Actions that make ovn-controller build a new packet and run nested actions on it
// (arp, nd_ns, nd_na, nd_na_router, icmp4, icmp4_error, icmp6, icmp6_error, tcp_reset,
// sctp_abort, reject), and igmp.
#include <fmt/format.h>

#include "logical/action_parser.h"
#include "logical/action_registry.h"
#include "logical/encoder.h"

namespace ovnx::logical::act {
namespace {

struct PacketKind {
  std::string_view name;
  ControllerOp op;
  std::string_view prereq;  // what the packet being replaced must be ("" for none)
};

constexpr PacketKind kKinds[] = {
    {"arp", ControllerOp::kArp, "ip4"},
    {"nd_ns", ControllerOp::kNdNs, "ip6"},
    {"nd_na", ControllerOp::kNdNa, "nd_ns"},
    {"nd_na_router", ControllerOp::kNdNaRouter, "nd_ns"},
    {"icmp4", ControllerOp::kIcmp, "ip4"},
    {"icmp4_error", ControllerOp::kIcmp4Error, "ip4"},
    {"icmp6", ControllerOp::kIcmp, "ip6"},
    {"icmp6_error", ControllerOp::kIcmp6Error, "ip6"},
    {"tcp_reset", ControllerOp::kTcpReset, "tcp"},
    {"sctp_abort", ControllerOp::kSctpAbort, "sctp"},
    {"reject", ControllerOp::kReject, ""},
};

const PacketKind& kind_of(std::string_view name) {
  for (const PacketKind& k : kKinds) {
    if (k.name == name) return k;
  }
  return kKinds[0];  // unreachable: the registry only dispatches kNames here
}

}  // namespace

Result<NestedPacket> NestedPacket::parse(ActionParser& p, const ParseCall& call) {
  NestedPacket n;
  n.name = kind_of(call.name).name;
  OVNX_ASSIGN_OR_RETURN(n.actions, p.parse_block(NestScope::kNested));
  return n;
}

void NestedPacket::format(std::string& out) const {
  out += name;
  out += ' ';
  format_block(actions, out);
  out += ';';
}

Status NestedPacket::encode(Encoder& e) const {
  OVNX_ASSIGN_OR_RETURN(std::vector<uint8_t> nested, e.nested_bytes(actions));
  e.controller(kind_of(name).op, nested, false);
  return ok_status();
}

// The nested actions act on a packet ovn-controller builds, so their prerequisites are not the
// flow's; only the packet being replaced has to be of the right kind.
void NestedPacket::prerequisites(Prereqs& pre) const {
  const PacketKind& k = kind_of(name);
  if (!k.prereq.empty()) pre.add(k.prereq);
}

Result<Igmp> Igmp::parse(ActionParser&, const ParseCall&) { return Igmp{}; }

Status Igmp::encode(Encoder& e) const {
  e.controller(ControllerOp::kIgmp, {}, false);
  return ok_status();
}

void Igmp::prerequisites(Prereqs& pre) const { pre.add("igmp"); }

}  // namespace ovnx::logical::act
