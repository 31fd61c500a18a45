#include "packets/ethernet.h"

#include <fmt/format.h>

namespace ovnx::packets {

Result<EthernetFrame> parse_ethernet(ByteView frame) {
  ByteReader r(frame, "Ethernet header");
  EthernetFrame f;
  OVNX_ASSIGN_OR_RETURN(f.header.dst, r.mac("destination"));
  OVNX_ASSIGN_OR_RETURN(f.header.src, r.mac("source"));
  OVNX_ASSIGN_OR_RETURN(uint16_t type, r.u16("ethertype"));
  if (type == kEthTypeVlan || type == kEthTypeQinQ) {
    OVNX_ASSIGN_OR_RETURN(uint16_t tci, r.u16("VLAN tag"));
    f.header.vlan = VlanTag{type, uint8_t(tci >> 13), (tci & 0x1000) != 0, uint16_t(tci & 0xfff)};
    OVNX_ASSIGN_OR_RETURN(type, r.u16("inner ethertype"));
  }
  if (type < 0x600) {
    return malformed("Ethernet header",
                     fmt::format("802.3 length field {:#06x} instead of an ethertype", type));
  }
  f.header.ethertype = type;
  f.payload = r.rest();
  return f;
}

Bytes build_ethernet(const EthernetHeader& h, ByteView payload) {
  Bytes out;
  out.reserve(kEthHeaderLen + kVlanHeaderLen + payload.size());
  ByteWriter w(out);
  w.mac(h.dst);
  w.mac(h.src);
  if (h.vlan) {
    w.u16(h.vlan->tpid);
    w.u16(uint16_t((h.vlan->pcp & 7) << 13 | (h.vlan->dei ? 0x1000 : 0) | (h.vlan->vid & 0xfff)));
  }
  w.u16(h.ethertype);
  w.bytes(payload);
  return out;
}

}  // namespace ovnx::packets
