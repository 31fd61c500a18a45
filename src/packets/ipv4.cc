#include "packets/ipv4.h"

#include <fmt/format.h>

#include "packets/checksum.h"

namespace ovnx::packets {

Result<Ipv4Packet> parse_ipv4(ByteView data) {
  ByteReader r(data, "IPv4 header");
  Ipv4Packet p;
  OVNX_ASSIGN_OR_RETURN(uint8_t vihl, r.u8("version"));
  if (vihl >> 4 != 4) return malformed("IPv4 header", fmt::format("version {}", vihl >> 4));
  p.header_len = size_t(vihl & 0xf) * 4;
  if (p.header_len < kIpv4HeaderLen) {
    return malformed("IPv4 header", fmt::format("header length {} below 20", p.header_len));
  }
  OVNX_ASSIGN_OR_RETURN(uint8_t tos, r.u8("TOS"));
  p.header.dscp = tos >> 2;
  p.header.ecn = tos & 3;
  OVNX_ASSIGN_OR_RETURN(uint16_t total_len, r.u16("total length"));
  OVNX_ASSIGN_OR_RETURN(p.header.id, r.u16("identification"));
  OVNX_ASSIGN_OR_RETURN(uint16_t frag, r.u16("fragment offset"));
  p.header.dont_fragment = (frag & 0x4000) != 0;
  p.header.more_fragments = (frag & 0x2000) != 0;
  p.header.frag_offset = frag & 0x1fff;
  OVNX_ASSIGN_OR_RETURN(p.header.ttl, r.u8("TTL"));
  OVNX_ASSIGN_OR_RETURN(p.header.protocol, r.u8("protocol"));
  OVNX_ASSIGN_OR_RETURN(p.checksum, r.u16("checksum"));
  OVNX_ASSIGN_OR_RETURN(p.header.src, r.ipv4("source"));
  OVNX_ASSIGN_OR_RETURN(p.header.dst, r.ipv4("destination"));
  if (total_len < p.header_len) {
    return malformed("IPv4 header", fmt::format("total length {} below header length {}", total_len,
                                                p.header_len));
  }
  if (total_len > data.size()) {
    return malformed("IPv4 header", fmt::format("total length {} exceeds the {} bytes captured",
                                                total_len, data.size()));
  }
  p.header_bytes = data.subspan(0, p.header_len);
  p.checksum_ok = internet_checksum(p.header_bytes) == 0;
  p.payload = data.subspan(p.header_len, total_len - p.header_len);
  return p;
}

Bytes build_ipv4(const Ipv4Header& h, ByteView payload) {
  Bytes out;
  out.reserve(kIpv4HeaderLen + payload.size());
  ByteWriter w(out);
  w.u8(0x45);
  w.u8(uint8_t(h.dscp << 2 | (h.ecn & 3)));
  w.u16(uint16_t(kIpv4HeaderLen + payload.size()));
  w.u16(h.id);
  w.u16(uint16_t((h.dont_fragment ? 0x4000 : 0) | (h.more_fragments ? 0x2000 : 0) |
                 (h.frag_offset & 0x1fff)));
  w.u8(h.ttl);
  w.u8(h.protocol);
  w.u16(0);
  w.ipv4(h.src);
  w.ipv4(h.dst);
  w.put_u16_at(10, internet_checksum(ByteView(out).first(kIpv4HeaderLen)));
  w.bytes(payload);
  return out;
}

}  // namespace ovnx::packets
