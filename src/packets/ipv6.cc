#include "packets/ipv6.h"

#include <fmt/format.h>

namespace ovnx::packets {

Result<Ipv6Packet> parse_ipv6(ByteView data) {
  ByteReader r(data, "IPv6 header");
  Ipv6Packet p;
  OVNX_ASSIGN_OR_RETURN(uint32_t first, r.u32("version"));
  if (first >> 28 != 6) return malformed("IPv6 header", fmt::format("version {}", first >> 28));
  p.header.traffic_class = uint8_t(first >> 20);
  p.header.flow_label = first & 0xfffff;
  OVNX_ASSIGN_OR_RETURN(uint16_t payload_len, r.u16("payload length"));
  OVNX_ASSIGN_OR_RETURN(p.header.next_header, r.u8("next header"));
  OVNX_ASSIGN_OR_RETURN(p.header.hop_limit, r.u8("hop limit"));
  OVNX_ASSIGN_OR_RETURN(p.header.src, r.ipv6("source"));
  OVNX_ASSIGN_OR_RETURN(p.header.dst, r.ipv6("destination"));
  if (payload_len > r.remaining()) {
    return malformed("IPv6 header", fmt::format("payload length {} exceeds the {} bytes captured",
                                                payload_len, r.remaining()));
  }
  p.ip_payload = r.rest().first(payload_len);

  ByteReader x(p.ip_payload, "IPv6 extension header");
  uint8_t next = p.header.next_header;
  for (int count = 0;; ++count) {
    bool generic =
        next == kIpv6NextHopByHop || next == kIpv6NextRouting || next == kIpv6NextDestOpts;
    if (!generic && next != kIpv6NextFragment && next != kIpv6NextAuth) break;
    if (count == kMaxIpv6ExtensionHeaders) {
      return malformed("IPv6 header", "too many extension headers");
    }
    if (next == kIpv6NextHopByHop && count != 0) {
      return malformed("IPv6 header", "hop-by-hop options not first");
    }
    OVNX_ASSIGN_OR_RETURN(uint8_t following, x.u8("next header"));
    OVNX_ASSIGN_OR_RETURN(uint8_t len, x.u8("length"));
    if (next == kIpv6NextFragment) {
      OVNX_ASSIGN_OR_RETURN(uint16_t off, x.u16("fragment offset"));
      OVNX_RETURN_IF_ERROR(x.skip(4, "identification"));
      p.is_fragment = true;
      p.frag_offset = off >> 3;
      p.more_fragments = (off & 1) != 0;
      p.is_first_fragment = p.frag_offset == 0;
    } else {
      // Generic headers count 8-byte units beyond the first 8; AH counts 4-byte units minus 2.
      size_t total = next == kIpv6NextAuth ? (size_t(len) + 2) * 4 : (size_t(len) + 1) * 8;
      OVNX_RETURN_IF_ERROR(x.skip(total - 2, "extension header body"));
    }
    next = following;
    if (p.is_fragment && !p.is_first_fragment) break;  // the rest is not a header
  }
  p.protocol = next;
  p.payload = x.rest();
  return p;
}

Bytes build_ipv6(const Ipv6Header& h, ByteView payload) {
  Bytes out;
  out.reserve(kIpv6HeaderLen + payload.size());
  ByteWriter w(out);
  w.u32(uint32_t(6) << 28 | uint32_t(h.traffic_class) << 20 | (h.flow_label & 0xfffff));
  w.u16(uint16_t(payload.size()));
  w.u8(h.next_header);
  w.u8(h.hop_limit);
  w.ipv6(h.src);
  w.ipv6(h.dst);
  w.bytes(payload);
  return out;
}

}  // namespace ovnx::packets
