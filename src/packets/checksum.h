// The Internet checksum (RFC 1071) and the pseudo-header sums that UDP, TCP and ICMPv6 include
// (RFC 768, RFC 9293 3.1, RFC 8200 8.1).
#pragma once

#include <cstdint>

#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

// Adds `data` to a running one's-complement sum (not yet folded). Odd lengths are padded with a
// zero byte, so only the last chunk of a sum may be odd.
uint32_t checksum_add(uint32_t sum, ByteView data);
// Folds a running sum to 16 bits and complements it: the value to store in a checksum field.
uint16_t checksum_finish(uint32_t sum);
// checksum_finish(checksum_add(0, data)). Over data that includes a correct checksum field the
// result is 0.
uint16_t internet_checksum(ByteView data);

// Source and destination of the IP header around a transport segment, for its pseudo-header.
struct Ipv4Endpoints {
  Ipv4Addr src, dst;
};
struct Ipv6Endpoints {
  Ipv6Addr src, dst;
};

// The unfolded pseudo-header sums for a segment of `length` bytes of protocol `proto`.
uint32_t pseudo_header_sum(const Ipv4Endpoints& ip, uint8_t proto, uint32_t length);
uint32_t pseudo_header_sum(const Ipv6Endpoints& ip, uint8_t proto, uint32_t length);

}  // namespace ovnx::packets
