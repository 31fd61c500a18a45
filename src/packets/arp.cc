#include "packets/arp.h"

#include <fmt/format.h>

namespace ovnx::packets {

Result<ArpPacket> parse_arp(ByteView data) {
  ByteReader r(data, "ARP packet");
  OVNX_ASSIGN_OR_RETURN(uint16_t htype, r.u16("hardware type"));
  OVNX_ASSIGN_OR_RETURN(uint16_t ptype, r.u16("protocol type"));
  OVNX_ASSIGN_OR_RETURN(uint8_t hlen, r.u8("hardware length"));
  OVNX_ASSIGN_OR_RETURN(uint8_t plen, r.u8("protocol length"));
  if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
    return malformed("ARP packet",
                     fmt::format("not Ethernet/IPv4 (htype {}, ptype {:#06x}, hlen {}, plen {})",
                                 htype, ptype, hlen, plen));
  }
  ArpPacket a;
  OVNX_ASSIGN_OR_RETURN(a.op, r.u16("opcode"));
  OVNX_ASSIGN_OR_RETURN(a.sha, r.mac("sender hardware address"));
  OVNX_ASSIGN_OR_RETURN(a.spa, r.ipv4("sender protocol address"));
  OVNX_ASSIGN_OR_RETURN(a.tha, r.mac("target hardware address"));
  OVNX_ASSIGN_OR_RETURN(a.tpa, r.ipv4("target protocol address"));
  return a;
}

Bytes build_arp(const ArpPacket& a) {
  Bytes out;
  out.reserve(kArpLen);
  ByteWriter w(out);
  w.u16(1);
  w.u16(0x0800);
  w.u8(6);
  w.u8(4);
  w.u16(a.op);
  w.mac(a.sha);
  w.ipv4(a.spa);
  w.mac(a.tha);
  w.ipv4(a.tpa);
  return out;
}

ArpPacket make_arp_reply(const ArpPacket& request, const MacAddr& mac) {
  return ArpPacket{kArpReply, mac, request.tpa, request.sha, request.spa};
}

}  // namespace ovnx::packets
