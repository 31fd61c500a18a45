// UDP (RFC 768) with its checksum over the IPv4 or IPv6 pseudo-header.
#pragma once

#include <cstdint>
#include <variant>

#include "base/result.h"
#include "packets/bytes.h"
#include "packets/checksum.h"

namespace ovnx::packets {

inline constexpr size_t kUdpHeaderLen = 8;

// The IP header around a transport segment, as its checksum sees it.
using IpEndpoints = std::variant<Ipv4Endpoints, Ipv6Endpoints>;

// The transport checksum of `segment` (its checksum field included as stored): 0 when correct.
uint16_t transport_checksum(const IpEndpoints& ip, uint8_t proto, ByteView segment);

struct UdpDatagram {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint16_t checksum = 0;  // as received; 0 over IPv4 means "not computed"
  ByteView payload;       // limited to the UDP length field
};

// Parses the header and checks the length field against `data` (trailing bytes are dropped).
Result<UdpDatagram> parse_udp(ByteView data);
// True if the checksum is correct, or absent (zero) over IPv4. Over IPv6 zero is invalid.
bool udp_checksum_ok(const IpEndpoints& ip, ByteView segment);

// Header and payload with the checksum computed (0 is sent as 0xffff, RFC 768).
// REQUIRES: payload.size() <= 65527.
Bytes build_udp(const IpEndpoints& ip, uint16_t src_port, uint16_t dst_port, ByteView payload);

}  // namespace ovnx::packets
