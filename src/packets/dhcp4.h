// DHCPv4 messages (RFC 2131): the BOOTP fixed header, the magic cookie and options (RFC 2132),
// with option overload into file/sname (option 52) and long options split across several
// instances of one code (RFC 3396) handled in both directions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint16_t kDhcp4ServerPort = 67;
inline constexpr uint16_t kDhcp4ClientPort = 68;
inline constexpr uint32_t kDhcp4MagicCookie = 0x63825363;
inline constexpr size_t kDhcp4FixedLen = 236;  // before the cookie
inline constexpr size_t kDhcp4MinLen = 300;    // BOOTP minimum; we pad replies to it

inline constexpr uint8_t kBootRequest = 1;
inline constexpr uint8_t kBootReply = 2;

enum class DhcpMessageType : uint8_t {
  discover = 1,
  offer = 2,
  request = 3,
  decline = 4,
  ack = 5,
  nak = 6,
  release = 7,
  inform = 8,
};
std::string_view dhcp_message_type_name(DhcpMessageType type);  // "DHCPDISCOVER", ...

// Option codes this module or its callers interpret.
inline constexpr uint8_t kDhcpOptPad = 0;
inline constexpr uint8_t kDhcpOptNetmask = 1;
inline constexpr uint8_t kDhcpOptRouter = 3;
inline constexpr uint8_t kDhcpOptDnsServer = 6;
inline constexpr uint8_t kDhcpOptHostname = 12;
inline constexpr uint8_t kDhcpOptDomainName = 15;
inline constexpr uint8_t kDhcpOptRequestedIp = 50;
inline constexpr uint8_t kDhcpOptLeaseTime = 51;
inline constexpr uint8_t kDhcpOptOverload = 52;
inline constexpr uint8_t kDhcpOptMessageType = 53;
inline constexpr uint8_t kDhcpOptServerId = 54;
inline constexpr uint8_t kDhcpOptParamRequest = 55;
inline constexpr uint8_t kDhcpOptMessage = 56;
inline constexpr uint8_t kDhcpOptMaxMessageSize = 57;
inline constexpr uint8_t kDhcpOptT1 = 58;
inline constexpr uint8_t kDhcpOptT2 = 59;
inline constexpr uint8_t kDhcpOptClientId = 61;
inline constexpr uint8_t kDhcpOptBootfileName = 67;
inline constexpr uint8_t kDhcpOptEtherboot = 175;
inline constexpr uint8_t kDhcpOptEnd = 255;

struct DhcpOption {
  uint8_t code = 0;
  Bytes value;  // may exceed 255 bytes: build splits it (RFC 3396)
  bool operator==(const DhcpOption&) const = default;
};

struct DhcpMessage {
  uint8_t op = kBootRequest;
  uint8_t htype = 1;  // Ethernet
  uint8_t hlen = 6;
  uint8_t hops = 0;
  uint32_t xid = 0;
  uint16_t secs = 0;
  uint16_t flags = 0;  // bit 15: broadcast
  Ipv4Addr ciaddr, yiaddr, siaddr, giaddr;
  std::array<uint8_t, 16> chaddr{};
  std::string sname;  // up to 63 bytes (NUL-terminated on the wire)
  std::string file;   // up to 127 bytes
  // In wire order; several instances of one code are concatenated into one entry (RFC 3396).
  std::vector<DhcpOption> options;

  bool broadcast() const { return (flags & 0x8000) != 0; }
  MacAddr client_mac() const;
  void set_client_mac(const MacAddr& mac);
  const DhcpOption* find(uint8_t code) const;
  // Replaces the option with `code` or appends it.
  void set(uint8_t code, Bytes value);
  std::optional<DhcpMessageType> message_type() const;
  // The codes of option 55, in the client's order.
  std::vector<uint8_t> requested_options() const;
  bool operator==(const DhcpMessage&) const = default;
};

// Parses a DHCP message (UDP payload). Requires the magic cookie; tolerates a missing END.
Result<DhcpMessage> parse_dhcp4(ByteView data);
// Serializes `msg`: fixed header, cookie, options (long ones split), END, zero padding to
// kDhcp4MinLen. sname/file longer than their fields are truncated. Options always go in the
// options field, so an option 52 (overload) in `msg` is left out.
Bytes build_dhcp4(const DhcpMessage& msg);

// A reply skeleton answering `request`: op BOOTREPLY, same xid, flags, giaddr and chaddr, the
// given message type as first option.
DhcpMessage make_dhcp4_reply(const DhcpMessage& request, DhcpMessageType type);

}  // namespace ovnx::packets
