#include "packets/packet.h"

namespace ovnx::packets {

IpEndpoints ParsedPacket::endpoints() const {
  if (ipv4) return Ipv4Endpoints{ipv4->header.src, ipv4->header.dst};
  return Ipv6Endpoints{ipv6->header.src, ipv6->header.dst};
}

Result<ParsedPacket> parse_packet(ByteView frame) {
  ParsedPacket p;
  OVNX_ASSIGN_OR_RETURN(p.eth, parse_ethernet(frame));
  p.l3 = p.eth.payload;
  uint8_t proto = 0;
  ByteView transport;
  switch (p.eth.header.ethertype) {
    case kEthTypeArp: {
      OVNX_ASSIGN_OR_RETURN(p.arp, parse_arp(p.l3));
      return p;
    }
    case kEthTypeIpv4: {
      OVNX_ASSIGN_OR_RETURN(p.ipv4, parse_ipv4(p.l3));
      if (!p.ipv4->is_first_fragment()) return p;
      proto = p.ipv4->header.protocol;
      transport = p.ipv4->payload;
      break;
    }
    case kEthTypeIpv6: {
      OVNX_ASSIGN_OR_RETURN(p.ipv6, parse_ipv6(p.l3));
      if (!p.ipv6->is_first_fragment) return p;
      proto = p.ipv6->protocol;
      transport = p.ipv6->payload;
      break;
    }
    default:
      return p;
  }
  switch (proto) {
    case kIpProtoIcmp:
      if (p.ipv4) {
        OVNX_ASSIGN_OR_RETURN(p.icmp4, parse_icmp4(transport));
        p.l4 = transport;
      }
      break;
    case kIpProtoIcmpv6:
      if (p.ipv6) {
        OVNX_ASSIGN_OR_RETURN(p.icmp6, parse_icmp6(transport));
        p.l4 = transport;
      }
      break;
    case kIpProtoUdp: {
      OVNX_ASSIGN_OR_RETURN(p.udp, parse_udp(transport));
      p.l4 = transport;
      break;
    }
    case kIpProtoTcp: {
      OVNX_ASSIGN_OR_RETURN(p.tcp, parse_tcp(transport));
      p.l4 = transport;
      break;
    }
    default:
      break;
  }
  return p;
}

}  // namespace ovnx::packets
