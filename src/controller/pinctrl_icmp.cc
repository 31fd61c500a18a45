// icmp4 { }, icmp6 { }, icmp4_error { }, icmp6_error { }, tcp_reset { } and reject { }: the
// packet being processed is replaced by an error answering it, initialized as ovn-sb(5)
// describes, and the nested actions (which usually swap the addresses and set type and code)
// run on it through a packet-out.
//   icmp4 / icmp4_error: Ethernet and IPv4 addresses unchanged, protocol 1, TTL 255, not a
//       fragment; type 3 (destination unreachable) code 1 (host unreachable); the body quotes
//       the original datagram from its IP header on (RFC 792, RFC 1812 4.3.2.3).
//   icmp6 / icmp6_error: IPv6 addresses unchanged, next header 58, hop limit 255; type 1
//       (destination unreachable) code 1 (administratively prohibited), quoting the original
//       packet within the minimum MTU.
//   tcp_reset: the RST answering the segment (RFC 9293 3.10.7.1), ports already swapped, IP
//       addresses unchanged.
//   reject: tcp_reset for TCP, else icmp4 / icmp6 — with the Ethernet and IP addresses already
//       swapped, as the action's nested actions do not swap them.
// Checksums are computed for the addresses as built; the swaps downstream leave them valid.
#include <fmt/format.h>

#include "controller/pinctrl_handlers.h"
#include "packets/ethernet.h"
#include "packets/icmp4.h"
#include "packets/icmp6.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "packets/tcp.h"

namespace ovnx::controller::pinctrl {

namespace {

using logical::ControllerOp;

packets::ByteView original_ipv4(const packets::ParsedPacket& p) {
  return p.l3.first(std::min(p.l3.size(), p.ipv4->header_len + p.ipv4->payload.size()));
}

Result<packets::Bytes> build_icmp4(const packets::ParsedPacket& p, bool swap) {
  packets::Ipv4Header ip = p.ipv4->header;
  if (swap) std::swap(ip.src, ip.dst);
  ip.protocol = packets::kIpProtoIcmp;
  ip.ttl = 255;
  ip.more_fragments = false;
  ip.dont_fragment = false;
  ip.frag_offset = 0;
  packets::Bytes icmp = packets::build_icmp4_error(
      packets::kIcmp4DestUnreachable, packets::kIcmp4HostUnreachable, original_ipv4(p));
  return packets::build_ipv4(ip, icmp);
}

Result<packets::Bytes> build_icmp6(const packets::ParsedPacket& p, bool swap) {
  packets::Ipv6Header ip = p.ipv6->header;
  if (swap) std::swap(ip.src, ip.dst);
  ip.next_header = packets::kIpProtoIcmpv6;
  ip.hop_limit = 255;
  const size_t len = std::min(p.l3.size(), packets::kIpv6HeaderLen + p.ipv6->ip_payload.size());
  OVNX_ASSIGN_OR_RETURN(
      packets::Bytes icmp,
      packets::build_icmp6(
          packets::Ipv6Endpoints{ip.src, ip.dst},
          packets::make_icmp6_error(packets::kIcmp6DestUnreachable, 1, p.l3.first(len))));
  return packets::build_ipv6(ip, icmp);
}

Result<packets::Bytes> build_tcp_rst(const packets::ParsedPacket& p, bool swap) {
  if (!p.tcp) return make_error("pinctrl", "tcp_reset: not a TCP segment");
  packets::TcpHeader rst = packets::make_tcp_rst(*p.tcp);
  if (p.ipv4) {
    packets::Ipv4Header ip = p.ipv4->header;
    if (swap) std::swap(ip.src, ip.dst);
    ip.ttl = 255;
    ip.more_fragments = false;
    ip.frag_offset = 0;
    return packets::build_ipv4(ip,
                               packets::build_tcp(packets::Ipv4Endpoints{ip.src, ip.dst}, rst, {}));
  }
  packets::Ipv6Header ip = p.ipv6->header;
  if (swap) std::swap(ip.src, ip.dst);
  ip.next_header = packets::kIpProtoTcp;
  ip.hop_limit = 255;
  return packets::build_ipv6(ip,
                             packets::build_tcp(packets::Ipv6Endpoints{ip.src, ip.dst}, rst, {}));
}

Result<packets::Bytes> build_error_frame(ControllerOp op, const packets::ParsedPacket& p) {
  if (!p.ipv4 && !p.ipv6) {
    return make_error("pinctrl",
                      fmt::format("{}: not an IP packet", logical::controller_op_name(op)));
  }
  const bool swap = op == ControllerOp::kReject;
  packets::EthernetHeader eth = p.eth.header;
  if (swap) std::swap(eth.src, eth.dst);
  packets::Bytes l3;
  bool tcp = op == ControllerOp::kTcpReset || (op == ControllerOp::kReject && p.tcp);
  if (tcp) {
    OVNX_ASSIGN_OR_RETURN(l3, build_tcp_rst(p, swap));
  } else if (p.ipv4 && op != ControllerOp::kIcmp6Error) {
    OVNX_ASSIGN_OR_RETURN(l3, build_icmp4(p, swap));
  } else if (p.ipv6 && op != ControllerOp::kIcmp4Error) {
    OVNX_ASSIGN_OR_RETURN(l3, build_icmp6(p, swap));
  } else {
    return make_error("pinctrl",
                      fmt::format("{}: wrong IP version", logical::controller_op_name(op)));
  }
  eth.ethertype = p.ipv4 ? packets::kEthTypeIpv4 : packets::kEthTypeIpv6;
  return packets::build_ethernet(eth, l3);
}

}  // namespace

void IcmpHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto parsed = packets::parse_packet(ev.raw->packet);
  Result<packets::Bytes> frame =
      parsed.ok() ? build_error_frame(ev.op, *parsed) : Result<packets::Bytes>(parsed.error());
  send_nested(ev, ctx, std::move(frame), stats_);
}

}  // namespace ovnx::controller::pinctrl
