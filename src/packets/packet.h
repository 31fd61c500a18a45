// Whole-frame dissection: Ethernet, then ARP / IPv4 / IPv6, then ICMP / ICMPv6 / UDP / TCP, as
// the packet-in handlers and the tracer need it. Every layer found is parsed with the layer's
// own parser, so the same bounds checks and errors apply.
#pragma once

#include <optional>

#include "base/result.h"
#include "packets/arp.h"
#include "packets/bytes.h"
#include "packets/ethernet.h"
#include "packets/icmp4.h"
#include "packets/icmp6.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/tcp.h"
#include "packets/udp.h"

namespace ovnx::packets {

struct ParsedPacket {
  EthernetFrame eth;
  std::optional<ArpPacket> arp;
  std::optional<Ipv4Packet> ipv4;
  std::optional<Ipv6Packet> ipv6;
  // Transport, present only for a first (or no) fragment of a known protocol.
  std::optional<Icmp4Message> icmp4;
  std::optional<Icmp6Message> icmp6;
  std::optional<UdpDatagram> udp;
  std::optional<TcpSegment> tcp;
  ByteView l3;  // from the network header on
  ByteView l4;  // from the transport header on (empty if none)

  // The IP endpoints, for checksums. REQUIRES: ipv4 or ipv6.
  IpEndpoints endpoints() const;
};

// Parses `frame` through every layer it recognizes. A malformed inner layer is an error (the
// handlers answer only well-formed requests); unknown ethertypes and protocols are not.
// Views in the result point into `frame`.
Result<ParsedPacket> parse_packet(ByteView frame);

}  // namespace ovnx::packets
