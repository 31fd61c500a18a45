// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): echo, the error messages, router
// solicitation/advertisement and neighbor solicitation/advertisement with their options
// (link-layer addresses, prefix information, MTU, RFC 4191 route information, RFC 8106 RDNSS and
// DNSSL). The checksum covers the IPv6 pseudo-header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"
#include "packets/checksum.h"

namespace ovnx::packets {

inline constexpr uint8_t kIcmp6DestUnreachable = 1;
inline constexpr uint8_t kIcmp6PacketTooBig = 2;
inline constexpr uint8_t kIcmp6TimeExceeded = 3;
inline constexpr uint8_t kIcmp6ParamProblem = 4;
inline constexpr uint8_t kIcmp6EchoRequest = 128;
inline constexpr uint8_t kIcmp6EchoReply = 129;
inline constexpr uint8_t kNdRouterSolicit = 133;
inline constexpr uint8_t kNdRouterAdvert = 134;
inline constexpr uint8_t kNdNeighborSolicit = 135;
inline constexpr uint8_t kNdNeighborAdvert = 136;

// ND option types.
inline constexpr uint8_t kNdOptSourceLla = 1;
inline constexpr uint8_t kNdOptTargetLla = 2;
inline constexpr uint8_t kNdOptPrefixInfo = 3;
inline constexpr uint8_t kNdOptMtu = 5;
inline constexpr uint8_t kNdOptRouteInfo = 24;
inline constexpr uint8_t kNdOptRdnss = 25;
inline constexpr uint8_t kNdOptDnssl = 31;

struct NdPrefixInfo {
  Ipv6Prefix prefix;
  bool on_link = true;     // L flag
  bool autonomous = true;  // A flag (SLAAC)
  uint32_t valid_lifetime = 0xffffffff;
  uint32_t preferred_lifetime = 0xffffffff;
  bool operator==(const NdPrefixInfo&) const = default;
};

struct NdRouteInfo {
  Ipv6Prefix prefix;
  int8_t preference = 0;  // -1 low, 0 medium, 1 high
  uint32_t lifetime = 0xffffffff;
  bool operator==(const NdRouteInfo&) const = default;
};

struct NdRawOption {
  uint8_t type = 0;
  Bytes body;  // after type and length, padding included
  bool operator==(const NdRawOption&) const = default;
};

// The options of an ND message. Unknown options are kept, in order, in `other`.
struct NdOptions {
  std::optional<MacAddr> source_lla;
  std::optional<MacAddr> target_lla;
  std::optional<uint32_t> mtu;
  std::vector<NdPrefixInfo> prefixes;
  std::vector<NdRouteInfo> routes;
  std::vector<Ipv6Addr> rdnss;
  uint32_t rdnss_lifetime = 0xffffffff;
  std::vector<std::string> dnssl;
  uint32_t dnssl_lifetime = 0xffffffff;
  std::vector<NdRawOption> other;
  bool operator==(const NdOptions&) const = default;
};

// One ICMPv6 message; which fields matter depends on `type`.
struct Icmp6Message {
  uint8_t type = 0;
  uint8_t code = 0;
  uint16_t checksum = 0;  // as received; computed by build

  // Echo request/reply.
  uint16_t id = 0;
  uint16_t seq = 0;
  // Errors: MTU (packet too big), pointer (parameter problem), else unused (zero).
  uint32_t param = 0;
  // Echo data, or the quoted packet of an error. Points into the parsed input; for build it
  // must outlive the call.
  ByteView body;

  // Router advertisement.
  uint8_t cur_hop_limit = 0;
  bool managed = false;          // M: addresses from DHCPv6
  bool other_config = false;     // O: other configuration from DHCPv6
  int8_t router_preference = 0;  // RFC 4191: -1 low, 0 medium, 1 high
  uint16_t router_lifetime = 0;
  uint32_t reachable_time = 0;
  uint32_t retrans_timer = 0;

  // Neighbor solicitation/advertisement.
  Ipv6Addr target;
  bool router = false;     // NA R flag
  bool solicited = false;  // NA S flag
  bool override = false;   // NA O flag

  NdOptions options;  // RS, RA, NS, NA
};

// Parses an ICMPv6 message. ND option lengths are validated (a zero length is an error, RFC
// 4861 4.6). The checksum is not checked here: use icmp6_checksum_ok.
Result<Icmp6Message> parse_icmp6(ByteView data);
bool icmp6_checksum_ok(const Ipv6Endpoints& ip, ByteView data);

// Serializes `msg` according to its type, with the checksum over `ip`'s pseudo-header. Errors
// quote `body` truncated so the whole IPv6 packet stays within the 1280-byte minimum MTU.
// Fails only for options that cannot be encoded (an invalid DNSSL name, an oversized option).
Result<Bytes> build_icmp6(const Ipv6Endpoints& ip, const Icmp6Message& msg);

// Convenience constructors for the common replies.
Icmp6Message make_icmp6_echo_reply(const Icmp6Message& request);
// The NA answering a solicitation for `target` owned by `mac` (S and O set; R if `router`).
Icmp6Message make_nd_na(const Ipv6Addr& target, const MacAddr& mac, bool router,
                        bool solicited = true);
Icmp6Message make_nd_ns(const Ipv6Addr& target, const MacAddr& source_mac);
// An error (destination unreachable, packet too big, time exceeded, parameter problem) quoting
// `original` from its IPv6 header on; `param` is the MTU or pointer where the type has one.
Icmp6Message make_icmp6_error(uint8_t type, uint8_t code, ByteView original, uint32_t param = 0);

}  // namespace ovnx::packets
