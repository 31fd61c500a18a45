// ICMPv4 (RFC 792): echo, destination unreachable (with the RFC 1191 next-hop MTU), time
// exceeded; any other type parses generically.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "packets/bytes.h"
#include "packets/ipv4.h"

namespace ovnx::packets {

inline constexpr uint8_t kIcmp4EchoReply = 0;
inline constexpr uint8_t kIcmp4DestUnreachable = 3;
inline constexpr uint8_t kIcmp4EchoRequest = 8;
inline constexpr uint8_t kIcmp4TimeExceeded = 11;
// Destination unreachable codes.
inline constexpr uint8_t kIcmp4NetUnreachable = 0;
inline constexpr uint8_t kIcmp4HostUnreachable = 1;
inline constexpr uint8_t kIcmp4ProtoUnreachable = 2;
inline constexpr uint8_t kIcmp4PortUnreachable = 3;
inline constexpr uint8_t kIcmp4FragNeeded = 4;
inline constexpr uint8_t kIcmp4AdminProhibited = 13;
// Time exceeded codes.
inline constexpr uint8_t kIcmp4TtlExceeded = 0;

struct Icmp4Message {
  uint8_t type = 0;
  uint8_t code = 0;
  uint16_t checksum = 0;  // as received (computed by build)
  bool checksum_ok = false;
  // Echo: identifier and sequence. Fragmentation needed: next-hop MTU in `mtu`.
  uint16_t id = 0;
  uint16_t seq = 0;
  uint16_t mtu = 0;
  uint32_t rest_of_header = 0;  // bytes 4..7 of the header, raw
  ByteView body;                // after the 8-byte header: echo data or the quoted datagram
};

Result<Icmp4Message> parse_icmp4(ByteView data);

Bytes build_icmp4_echo(uint8_t type, uint16_t id, uint16_t seq, ByteView data);
// The echo reply answering `request` (same id, sequence and data).
Bytes build_icmp4_echo_reply(const Icmp4Message& request);

// Default limit for errors: RFC 1812 4.3.2.3 keeps the whole ICMP datagram within 576 bytes.
inline constexpr size_t kIcmp4ErrorMaxLen = 576 - kIpv4HeaderLen;
// An error (destination unreachable, time exceeded, ...) quoting `original`, the offending IPv4
// datagram from its IP header on, truncated so the ICMP message is at most `max_len` bytes
// (never less than the IP header plus 8 bytes, RFC 792). `mtu` goes in bytes 6..7 (code 4).
Bytes build_icmp4_error(uint8_t type, uint8_t code, ByteView original, uint16_t mtu = 0,
                        size_t max_len = kIcmp4ErrorMaxLen);

}  // namespace ovnx::packets
