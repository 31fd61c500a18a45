#include "packets/tcp.h"

#include <fmt/format.h>

#include "packets/ipv4.h"

namespace ovnx::packets {

Result<TcpSegment> parse_tcp(ByteView data) {
  ByteReader r(data, "TCP header");
  TcpSegment s;
  OVNX_ASSIGN_OR_RETURN(s.header.src_port, r.u16("source port"));
  OVNX_ASSIGN_OR_RETURN(s.header.dst_port, r.u16("destination port"));
  OVNX_ASSIGN_OR_RETURN(s.header.seq, r.u32("sequence number"));
  OVNX_ASSIGN_OR_RETURN(s.header.ack, r.u32("acknowledgment number"));
  OVNX_ASSIGN_OR_RETURN(uint8_t off, r.u8("data offset"));
  OVNX_ASSIGN_OR_RETURN(s.header.flags, r.u8("flags"));
  OVNX_ASSIGN_OR_RETURN(s.header.window, r.u16("window"));
  OVNX_ASSIGN_OR_RETURN(s.checksum, r.u16("checksum"));
  OVNX_ASSIGN_OR_RETURN(s.header.urgent, r.u16("urgent pointer"));
  s.header_len = size_t(off >> 4) * 4;
  if (s.header_len < kTcpHeaderLen || s.header_len > data.size()) {
    return malformed("TCP header",
                     fmt::format("data offset {} bytes outside 20..{}", s.header_len, data.size()));
  }
  s.payload = data.subspan(s.header_len);
  return s;
}

bool tcp_checksum_ok(const IpEndpoints& ip, ByteView segment) {
  return segment.size() >= kTcpHeaderLen && transport_checksum(ip, kIpProtoTcp, segment) == 0;
}

Bytes build_tcp(const IpEndpoints& ip, const TcpHeader& h, ByteView payload) {
  Bytes out;
  out.reserve(kTcpHeaderLen + payload.size());
  ByteWriter w(out);
  w.u16(h.src_port);
  w.u16(h.dst_port);
  w.u32(h.seq);
  w.u32(h.ack);
  w.u8(uint8_t((kTcpHeaderLen / 4) << 4));
  w.u8(h.flags);
  w.u16(h.window);
  w.u16(0);
  w.u16(h.urgent);
  w.bytes(payload);
  w.put_u16_at(16, transport_checksum(ip, kIpProtoTcp, out));
  return out;
}

TcpHeader make_tcp_rst(const TcpSegment& in) {
  TcpHeader rst;
  rst.src_port = in.header.dst_port;
  rst.dst_port = in.header.src_port;
  if (in.header.flags & kTcpAck) {
    rst.seq = in.header.ack;
    rst.flags = kTcpRst;
  } else {
    uint32_t len = uint32_t(in.payload.size()) + ((in.header.flags & kTcpSyn) ? 1 : 0) +
                   ((in.header.flags & kTcpFin) ? 1 : 0);
    rst.seq = 0;
    rst.ack = in.header.seq + len;
    rst.flags = kTcpRst | kTcpAck;
  }
  return rst;
}

}  // namespace ovnx::packets
