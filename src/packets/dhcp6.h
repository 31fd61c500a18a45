// DHCPv6 client/server messages (RFC 8415): message type, transaction id and options, with
// helpers for IA_NA / IA Address, DUID-LL server identifiers, status codes, DNS servers (RFC
// 3646), the domain search list and the client FQDN (RFC 4704).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint16_t kDhcp6ClientPort = 546;
inline constexpr uint16_t kDhcp6ServerPort = 547;

enum class Dhcp6MessageType : uint8_t {
  solicit = 1,
  advertise = 2,
  request = 3,
  confirm = 4,
  renew = 5,
  rebind = 6,
  reply = 7,
  release = 8,
  decline = 9,
  reconfigure = 10,
  information_request = 11,
};
std::string_view dhcp6_message_type_name(Dhcp6MessageType type);  // "SOLICIT", ...

inline constexpr uint16_t kDhcp6OptClientId = 1;
inline constexpr uint16_t kDhcp6OptServerId = 2;
inline constexpr uint16_t kDhcp6OptIaNa = 3;
inline constexpr uint16_t kDhcp6OptIaAddr = 5;
inline constexpr uint16_t kDhcp6OptOro = 6;
inline constexpr uint16_t kDhcp6OptElapsedTime = 8;
inline constexpr uint16_t kDhcp6OptStatusCode = 13;
inline constexpr uint16_t kDhcp6OptRapidCommit = 14;
inline constexpr uint16_t kDhcp6OptDnsServers = 23;
inline constexpr uint16_t kDhcp6OptDomainList = 24;
inline constexpr uint16_t kDhcp6OptFqdn = 39;
inline constexpr uint16_t kDhcp6OptBootfileUrl = 59;

inline constexpr uint16_t kDhcp6StatusSuccess = 0;
inline constexpr uint16_t kDhcp6StatusNoAddrsAvail = 2;

struct Dhcp6Option {
  uint16_t code = 0;
  Bytes value;
  bool operator==(const Dhcp6Option&) const = default;
};

struct Dhcp6Message {
  Dhcp6MessageType type = Dhcp6MessageType::solicit;
  uint32_t xid = 0;  // 24 bits
  std::vector<Dhcp6Option> options;

  const Dhcp6Option* find(uint16_t code) const;
  void add(uint16_t code, Bytes value) { options.push_back(Dhcp6Option{code, std::move(value)}); }
  bool operator==(const Dhcp6Message&) const = default;
};

// Parses a client/server message (UDP payload). Relay messages (12, 13) are reported as errors
// naming them: OVN answers clients directly.
Result<Dhcp6Message> parse_dhcp6(ByteView data);
Bytes build_dhcp6(const Dhcp6Message& msg);

// A list of options, e.g. inside IA_NA or IA Address.
Result<std::vector<Dhcp6Option>> parse_dhcp6_options(ByteView data);
void append_dhcp6_options(const std::vector<Dhcp6Option>& options, Bytes& out);

struct Dhcp6IaAddress {
  Ipv6Addr addr;
  uint32_t preferred_lifetime = 0xffffffff;
  uint32_t valid_lifetime = 0xffffffff;
  std::vector<Dhcp6Option> options;
  bool operator==(const Dhcp6IaAddress&) const = default;
};

struct Dhcp6IaNa {
  uint32_t iaid = 0;
  uint32_t t1 = 0;
  uint32_t t2 = 0;
  std::vector<Dhcp6IaAddress> addresses;
  std::vector<Dhcp6Option> options;  // anything else, e.g. a status code
  bool operator==(const Dhcp6IaNa&) const = default;
};

// The value of an IA_NA option and back.
Result<Dhcp6IaNa> parse_dhcp6_ia_na(ByteView value);
Bytes build_dhcp6_ia_na(const Dhcp6IaNa& ia);

// DUID-LL (RFC 8415 11.4): type 3, hardware type 1 (Ethernet), the MAC.
Bytes make_duid_ll(const MacAddr& mac);
// A status code option value: code then UTF-8 message.
Bytes make_dhcp6_status(uint16_t code, std::string_view message);

}  // namespace ovnx::packets
