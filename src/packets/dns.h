// DNS messages (RFC 1035): parse queries (and any section, for tests and the tracer) with
// compression handled safely, and build the answers OVN's dns_lookup gives: A, AAAA and PTR
// records with a TTL, or an error such as NXDOMAIN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/result.h"
#include "packets/addresses.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr uint16_t kDnsPort = 53;
inline constexpr size_t kDnsHeaderLen = 12;
inline constexpr uint16_t kDnsTypeA = 1;
inline constexpr uint16_t kDnsTypePtr = 12;
inline constexpr uint16_t kDnsTypeAaaa = 28;
inline constexpr uint16_t kDnsTypeAny = 255;
inline constexpr uint16_t kDnsClassIn = 1;
inline constexpr uint8_t kDnsRcodeNoError = 0;
inline constexpr uint8_t kDnsRcodeFormErr = 1;
inline constexpr uint8_t kDnsRcodeServFail = 2;
inline constexpr uint8_t kDnsRcodeNxDomain = 3;
inline constexpr uint8_t kDnsRcodeNotImp = 4;
inline constexpr uint8_t kDnsRcodeRefused = 5;

struct DnsHeader {
  uint16_t id = 0;
  bool qr = false;  // response
  uint8_t opcode = 0;
  bool aa = false, tc = false, rd = false, ra = false;
  bool ad = false, cd = false;  // RFC 4035 bits, carried through
  uint8_t rcode = 0;
  bool operator==(const DnsHeader&) const = default;
};

struct DnsQuestion {
  std::string name;  // as decode_dns_name writes it, no trailing dot
  uint16_t type = kDnsTypeA;
  uint16_t qclass = kDnsClassIn;
  bool operator==(const DnsQuestion&) const = default;
};

struct DnsRecord {
  std::string name;
  uint16_t type = 0;
  uint16_t rclass = kDnsClassIn;
  uint32_t ttl = 0;
  Bytes rdata;                          // raw; names inside it are not decompressed (see ptr_name)
  std::optional<std::string> ptr_name;  // decoded target of a PTR record
  bool operator==(const DnsRecord&) const = default;
};

struct DnsMessage {
  DnsHeader header;
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers, authority, additional;
};

// Parses a whole message; every count is checked against the bytes present.
Result<DnsMessage> parse_dns(ByteView data);

// One answer: the owner name, TTL, and an address (A / AAAA) or a PTR target name.
struct DnsPtrTarget {
  std::string name;
  bool operator==(const DnsPtrTarget&) const = default;
};
struct DnsAnswer {
  std::string name;
  uint32_t ttl = 0;
  std::variant<Ipv4Addr, Ipv6Addr, DnsPtrTarget> value;
};

// The response to `query`: same id, opcode, RD and CD; QR and AA set; its questions echoed; then
// `answers` (names compressed against the questions). An rcode other than 0 (e.g.
// kDnsRcodeNxDomain) with no answers makes an error response. Fails only on an invalid name.
Result<Bytes> build_dns_response(const DnsMessage& query, const std::vector<DnsAnswer>& answers,
                                 uint8_t rcode = kDnsRcodeNoError);

// "4.0.0.10.in-addr.arpa" / nibble form under "ip6.arpa" for PTR lookups (RFC 1035 3.5,
// RFC 3596 2.5), and back (nullopt if `name` is not a complete reverse name).
std::string reverse_dns_name(const IpAddr& addr);
std::optional<IpAddr> parse_reverse_dns_name(std::string_view name);

}  // namespace ovnx::packets
