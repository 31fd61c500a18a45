#include "packets/icmp4.h"

#include <algorithm>

#include "packets/checksum.h"

namespace ovnx::packets {
namespace {

Bytes finish(Bytes out) {
  ByteWriter(out).put_u16_at(2, internet_checksum(out));
  return out;
}

}  // namespace

Result<Icmp4Message> parse_icmp4(ByteView data) {
  ByteReader r(data, "ICMPv4 message");
  Icmp4Message m;
  OVNX_ASSIGN_OR_RETURN(m.type, r.u8("type"));
  OVNX_ASSIGN_OR_RETURN(m.code, r.u8("code"));
  OVNX_ASSIGN_OR_RETURN(m.checksum, r.u16("checksum"));
  OVNX_ASSIGN_OR_RETURN(m.rest_of_header, r.u32("rest of header"));
  m.id = uint16_t(m.rest_of_header >> 16);
  m.seq = uint16_t(m.rest_of_header);
  if (m.type == kIcmp4DestUnreachable && m.code == kIcmp4FragNeeded) m.mtu = m.seq;
  m.checksum_ok = internet_checksum(data) == 0;
  m.body = r.rest();
  return m;
}

Bytes build_icmp4_echo(uint8_t type, uint16_t id, uint16_t seq, ByteView data) {
  Bytes out;
  ByteWriter w(out);
  w.u8(type);
  w.u8(0);
  w.u16(0);
  w.u16(id);
  w.u16(seq);
  w.bytes(data);
  return finish(std::move(out));
}

Bytes build_icmp4_echo_reply(const Icmp4Message& request) {
  return build_icmp4_echo(kIcmp4EchoReply, request.id, request.seq, request.body);
}

Bytes build_icmp4_error(uint8_t type, uint8_t code, ByteView original, uint16_t mtu,
                        size_t max_len) {
  size_t ihl = original.empty() ? kIpv4HeaderLen : size_t(original[0] & 0xf) * 4;
  size_t quote = std::min(original.size(), std::max(max_len, size_t{8}) - 8);
  quote = std::max(quote, std::min(original.size(), ihl + 8));
  Bytes out;
  ByteWriter w(out);
  w.u8(type);
  w.u8(code);
  w.u16(0);
  w.u16(0);
  w.u16(mtu);
  w.bytes(original.first(quote));
  return finish(std::move(out));
}

}  // namespace ovnx::packets
