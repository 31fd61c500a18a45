// IPv6 headers (RFC 8200) with extension headers walked and skipped to find the upper layer.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr size_t kIpv6HeaderLen = 40;
inline constexpr uint8_t kIpv6NextHopByHop = 0;
inline constexpr uint8_t kIpv6NextRouting = 43;
inline constexpr uint8_t kIpv6NextFragment = 44;
inline constexpr uint8_t kIpv6NextEsp = 50;
inline constexpr uint8_t kIpv6NextAuth = 51;
inline constexpr uint8_t kIpv6NextNone = 59;
inline constexpr uint8_t kIpv6NextDestOpts = 60;
// More extension headers than this is treated as an attack, not a packet.
inline constexpr int kMaxIpv6ExtensionHeaders = 16;

struct Ipv6Header {
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;  // 20 bits
  uint8_t next_header = 0;  // of the fixed header; see Ipv6Packet::protocol for the upper layer
  uint8_t hop_limit = 64;
  Ipv6Addr src, dst;
  bool operator==(const Ipv6Header&) const = default;
};

struct Ipv6Packet {
  Ipv6Header header;
  uint8_t protocol = 0;  // the upper-layer protocol after extension headers (or 59, 50)
  ByteView payload;      // the upper-layer bytes after extension headers
  ByteView ip_payload;   // everything after the fixed header (payload length bytes)
  bool is_fragment = false;
  bool is_first_fragment = true;  // false: no upper-layer header is present
  uint16_t frag_offset = 0;       // in 8-byte units
  bool more_fragments = false;
};

// Parses the fixed header and skips hop-by-hop, routing, fragment, destination options and
// authentication headers. ESP and unknown next headers end the walk (they become `protocol`).
Result<Ipv6Packet> parse_ipv6(ByteView data);

// A 40-byte header (payload length filled in) followed by `payload`, which must start with
// the header named by header.next_header. REQUIRES: payload.size() <= 65535.
Bytes build_ipv6(const Ipv6Header& header, ByteView payload);

}  // namespace ovnx::packets
