// Ethernet II frames with an optional 802.1Q (or 802.1ad) VLAN tag.
#pragma once

#include <cstdint>
#include <optional>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint16_t kEthTypeIpv4 = 0x0800;
inline constexpr uint16_t kEthTypeArp = 0x0806;
inline constexpr uint16_t kEthTypeVlan = 0x8100;  // 802.1Q
inline constexpr uint16_t kEthTypeQinQ = 0x88a8;  // 802.1ad service tag
inline constexpr uint16_t kEthTypeIpv6 = 0x86dd;

struct VlanTag {
  uint16_t tpid = kEthTypeVlan;
  uint8_t pcp = 0;  // priority, 3 bits
  bool dei = false;
  uint16_t vid = 0;  // 12 bits
  bool operator==(const VlanTag&) const = default;
};

struct EthernetHeader {
  MacAddr dst, src;
  std::optional<VlanTag> vlan;  // the outermost tag; inner tags stay in the payload
  uint16_t ethertype = 0;       // of the payload, after the tag
  bool operator==(const EthernetHeader&) const = default;
};

inline constexpr size_t kEthHeaderLen = 14;
inline constexpr size_t kVlanHeaderLen = 4;

struct EthernetFrame {
  EthernetHeader header;
  ByteView payload;  // points into the parsed input
};

// Parses an Ethernet II frame. Length/type values below 0x600 (802.3 length fields) are
// rejected: OVN only handles Ethernet II.
Result<EthernetFrame> parse_ethernet(ByteView frame);

// Header (and tag) followed by the payload. No padding to 60 bytes: the datapath pads.
Bytes build_ethernet(const EthernetHeader& header, ByteView payload);

}  // namespace ovnx::packets
