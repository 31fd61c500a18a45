// TCP headers (RFC 9293): enough to read a segment's ports, sequence numbers and flags, and to
// build the RST that answers it (OVN's tcp_reset action). Options are skipped.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "packets/bytes.h"
#include "packets/udp.h"  // IpEndpoints, transport_checksum

namespace ovnx::packets {

inline constexpr size_t kTcpHeaderLen = 20;
inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpPsh = 0x08;
inline constexpr uint8_t kTcpAck = 0x10;
inline constexpr uint8_t kTcpUrg = 0x20;

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;  // FIN..URG (plus ECE 0x40, CWR 0x80)
  uint16_t window = 0;
  uint16_t urgent = 0;
  bool operator==(const TcpHeader&) const = default;
};

struct TcpSegment {
  TcpHeader header;
  size_t header_len = kTcpHeaderLen;  // data offset * 4, options included
  uint16_t checksum = 0;              // as received
  ByteView payload;
};

Result<TcpSegment> parse_tcp(ByteView data);
bool tcp_checksum_ok(const IpEndpoints& ip, ByteView segment);

// A 20-byte header with checksum, followed by `payload`.
Bytes build_tcp(const IpEndpoints& ip, const TcpHeader& header, ByteView payload);

// The RST answering `in` (RFC 9293 3.10.7.1): from its destination port to its source port; if
// `in` carried ACK, the RST takes that acknowledgment as its sequence number; otherwise it has
// sequence 0 and acknowledges everything `in` occupied (payload, SYN, FIN).
TcpHeader make_tcp_rst(const TcpSegment& in);

}  // namespace ovnx::packets
