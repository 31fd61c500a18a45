#include "packets/udp.h"

#include <fmt/format.h>

#include "packets/ipv4.h"

namespace ovnx::packets {

uint16_t transport_checksum(const IpEndpoints& ip, uint8_t proto, ByteView segment) {
  uint32_t sum = std::visit(
      [&](const auto& e) { return pseudo_header_sum(e, proto, uint32_t(segment.size())); }, ip);
  return checksum_finish(checksum_add(sum, segment));
}

Result<UdpDatagram> parse_udp(ByteView data) {
  ByteReader r(data, "UDP header");
  UdpDatagram d;
  OVNX_ASSIGN_OR_RETURN(d.src_port, r.u16("source port"));
  OVNX_ASSIGN_OR_RETURN(d.dst_port, r.u16("destination port"));
  OVNX_ASSIGN_OR_RETURN(uint16_t len, r.u16("length"));
  OVNX_ASSIGN_OR_RETURN(d.checksum, r.u16("checksum"));
  if (len < kUdpHeaderLen || len > data.size()) {
    return malformed("UDP header",
                     fmt::format("length {} outside 8..{} bytes available", len, data.size()));
  }
  d.payload = data.subspan(kUdpHeaderLen, len - kUdpHeaderLen);
  return d;
}

bool udp_checksum_ok(const IpEndpoints& ip, ByteView segment) {
  if (segment.size() < kUdpHeaderLen) return false;
  bool absent = segment[6] == 0 && segment[7] == 0;
  if (absent) return std::holds_alternative<Ipv4Endpoints>(ip);
  size_t len = load_u16(&segment[4]);
  if (len < kUdpHeaderLen || len > segment.size()) return false;
  return transport_checksum(ip, kIpProtoUdp, segment.first(len)) == 0;
}

Bytes build_udp(const IpEndpoints& ip, uint16_t src_port, uint16_t dst_port, ByteView payload) {
  Bytes out;
  out.reserve(kUdpHeaderLen + payload.size());
  ByteWriter w(out);
  w.u16(src_port);
  w.u16(dst_port);
  w.u16(uint16_t(kUdpHeaderLen + payload.size()));
  w.u16(0);
  w.bytes(payload);
  uint16_t sum = transport_checksum(ip, kIpProtoUdp, out);
  w.put_u16_at(6, sum == 0 ? 0xffff : sum);
  return out;
}

}  // namespace ovnx::packets
