// ARP for IPv4 over Ethernet (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;
inline constexpr size_t kArpLen = 28;

struct ArpPacket {
  uint16_t op = kArpRequest;
  MacAddr sha;   // sender hardware address
  Ipv4Addr spa;  // sender protocol address
  MacAddr tha;   // target hardware address
  Ipv4Addr tpa;  // target protocol address
  bool operator==(const ArpPacket&) const = default;
};

// Parses the ARP payload of an Ethernet frame. Other hardware/protocol types are errors;
// trailing bytes (Ethernet padding) are ignored.
Result<ArpPacket> parse_arp(ByteView data);
Bytes build_arp(const ArpPacket& arp);

// The reply to `request` from the owner of (mac, request.tpa).
ArpPacket make_arp_reply(const ArpPacket& request, const MacAddr& mac);

}  // namespace ovnx::packets
