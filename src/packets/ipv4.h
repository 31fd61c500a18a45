// IPv4 headers (RFC 791). Options are accepted and skipped on parse; built headers carry none.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint8_t kIpProtoIcmp = 1;
inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoIcmpv6 = 58;
inline constexpr size_t kIpv4HeaderLen = 20;

struct Ipv4Header {
  uint8_t dscp = 0;  // 6 bits
  uint8_t ecn = 0;   // 2 bits
  uint16_t id = 0;
  bool dont_fragment = false;
  bool more_fragments = false;
  uint16_t frag_offset = 0;  // in 8-byte units, 13 bits
  uint8_t ttl = 64;
  uint8_t protocol = 0;
  Ipv4Addr src, dst;
  bool operator==(const Ipv4Header&) const = default;
};

struct Ipv4Packet {
  Ipv4Header header;
  size_t header_len = kIpv4HeaderLen;  // including options
  uint16_t checksum = 0;               // as received
  bool checksum_ok = false;            // header checksum verified
  ByteView header_bytes;               // the whole header, options included
  ByteView payload;                    // limited to the total length (Ethernet padding dropped)

  bool is_fragment() const { return header.more_fragments || header.frag_offset != 0; }
  bool is_first_fragment() const { return header.frag_offset == 0; }
};

// Parses and validates version, header length and total length against `data`. A bad checksum
// is reported in checksum_ok rather than as an error, so a caller can choose.
Result<Ipv4Packet> parse_ipv4(ByteView data);

// A 20-byte header (total length and checksum filled in) followed by the payload.
// REQUIRES: payload.size() <= 65515.
Bytes build_ipv4(const Ipv4Header& header, ByteView payload);

}  // namespace ovnx::packets
