// icmp4.frag_mtu = N and icmp6.frag_mtu = N: fields OpenFlow cannot set, written here into the
// ICMP error being built by icmp4_error { } / icmp6_error { } (ovn-sb(5)). The nested actions
// pause on a controller() action carrying N (logical/controller_ops.h); the MTU goes into the
// ICMPv4 "next-hop MTU" (RFC 1191, bytes 6-7) or the ICMPv6 Packet Too Big MTU (RFC 8201,
// bytes 4-7), the ICMP checksum is recomputed, and the pipeline resumes with the new packet.
#include <fmt/format.h>

#include "base/log.h"
#include "controller/pinctrl_handlers.h"
#include "openflow/codec.h"
#include "packets/checksum.h"
#include "packets/ipv4.h"
#include "packets/packet.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

namespace {

Result<packets::Bytes> with_mtu(const PacketInEvent& ev) {
  const bool v4 = ev.op == logical::ControllerOp::kPutIcmp4FragMtu;
  const size_t len = v4 ? 2 : 4;
  if (ev.payload.size() != len) {
    return make_error("pinctrl",
                      fmt::format("{}: {}-byte MTU expected, got {} bytes",
                                  logical::controller_op_name(ev.op), len, ev.payload.size()));
  }
  OVNX_ASSIGN_OR_RETURN(packets::ParsedPacket p, packets::parse_packet(ev.raw->packet));
  if (v4 ? !p.icmp4 : !p.icmp6) {
    return make_error("pinctrl", fmt::format("{}: not an ICMP{} packet",
                                             logical::controller_op_name(ev.op), v4 ? "v4" : "v6"));
  }
  const size_t l4 = size_t(p.l4.data() - ev.raw->packet.data());
  packets::Bytes out = ev.raw->packet;
  const size_t l4_len = p.l4.size();
  if (l4_len < 8) return make_error("pinctrl", "ICMP header truncated");
  const size_t at = l4 + (v4 ? 6 : 4);
  std::copy(ev.payload.begin(), ev.payload.end(), out.begin() + at);
  out[l4 + 2] = out[l4 + 3] = 0;
  packets::ByteView msg(out.data() + l4, l4_len);
  uint16_t sum;
  if (v4) {
    sum = packets::internet_checksum(msg);
  } else {
    sum = packets::checksum_finish(packets::checksum_add(
        packets::pseudo_header_sum(packets::Ipv6Endpoints{p.ipv6->header.src, p.ipv6->header.dst},
                                   packets::kIpProtoIcmpv6, uint32_t(l4_len)),
        msg));
  }
  out[l4 + 2] = uint8_t(sum >> 8);
  out[l4 + 3] = uint8_t(sum);
  return out;
}

}  // namespace

void FragMtuHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto frame = with_mtu(ev);
  if (!frame.ok() || !ev.paused()) {
    stats_.malformed++;
    LOG_DBG("{}", frame.ok() ? "frag_mtu: the pipeline was not paused" : frame.error().to_string());
    return;
  }
  openflow::Resume resume = openflow::resume_from(*ev.raw);
  resume.packet_in.packet = std::move(frame).value();
  resume.packet_in.full_len = uint32_t(resume.packet_in.packet.size());
  send_counted(ctx, resume, stats_);
}

}  // namespace ovnx::controller::pinctrl
