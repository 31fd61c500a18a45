// Address arguments of ovn-nbctl commands: MACs, IPv4/IPv6 addresses and prefixes, logical port
// address strings and load-balancer endpoints, parsed with the same acceptance rules and
// normalized to the same text as the real tool, because both what is accepted and what ends up
// in the database must match it (see scan.h for why the parsers are lenient where OVS is).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nbctl/scan.h"

namespace ovnx::nbctl {

struct Mac {
  std::array<uint8_t, 6> bytes{};
  std::string to_string() const;  // "0a:00:00:00:00:01"
  bool operator==(const Mac&) const = default;
};

using Ipv4 = uint32_t;  // host byte order
struct Ipv6 {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const Ipv6&) const = default;
};

// Six ':'-separated hex bytes at the scanner (the rest of the text is not looked at).
bool scan_mac(Scanner& s, Mac* mac);
// A whole argument that is a MAC and nothing else.
std::optional<Mac> parse_mac(std::string_view text);

// Strict dotted-quad / RFC 4291 text (inet_pton).
std::optional<Ipv4> parse_ipv4(std::string_view text);
std::optional<Ipv6> parse_ipv6(std::string_view text);
std::string ipv4_to_string(Ipv4 ip);
std::string ipv6_to_string(const Ipv6& ip);  // inet_ntop's canonical form
Ipv4 ipv4_mask(int plen);
Ipv6 ipv6_mask(int plen);
Ipv6 ipv6_and(const Ipv6& a, const Ipv6& b);

// "a.b.c.d", "a.b.c.d/len" or "a.b.c.d/m.m.m.m" (a contiguous mask) at the scanner; host bits
// are allowed. On failure the scanner is left where it was.
struct Ipv4Cidr {
  Ipv4 addr = 0;
  int plen = 32;
};
struct Ipv6Cidr {
  Ipv6 addr;
  int plen = 128;
};
bool scan_ipv4_cidr(Scanner& s, Ipv4Cidr* out);
bool scan_ipv6_cidr(Scanner& s, Ipv6Cidr* out);
// The same for a whole argument (nothing may follow).
std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text);
std::optional<Ipv6Cidr> parse_ipv6_cidr(std::string_view text);

// A prefix as stored in routes: the network (host bits cleared), "/len" omitted for a host
// prefix. nullopt if TEXT is neither an IPv4 nor an IPv6 CIDR.
std::optional<std::string> normalize_prefix(std::string_view text);
// An address in canonical text, or nullopt if TEXT is not a strict address of that family.
std::optional<std::string> normalize_ipv4(std::string_view text);
std::optional<std::string> normalize_ipv6(std::string_view text);

// The addresses of one entry of Logical_Switch_Port.addresses ("MAC IP IP ..."): the MAC and
// the IPs that parse before the first token that does not. nullopt if it does not start with a
// MAC ("router", "unknown", "dynamic").
struct LportAddresses {
  Mac mac;
  std::vector<Ipv4> ipv4;
  std::vector<Ipv6> ipv6;
};
std::optional<LportAddresses> extract_lport_addresses(std::string_view text);
// "dynamic", "dynamic IP", "dynamic IPV6", "dynamic IP IPV6" or "MAC dynamic".
bool is_dynamic_lsp_address(std::string_view text);

// A socket address "IP[:PORT]" / "[IPV6][:PORT]" as load balancers take them. With LOG_ERRORS,
// parse errors are also logged as the OVS library logs them ("socket_util|ERR|...").
struct Endpoint {
  bool ipv6 = false;
  Ipv4 v4 = 0;
  Ipv6 v6;
  uint32_t scope = 0;  // IPv6 scope (interface index), 0 if none
  int port = 0;        // 0: none given
  // "10.0.0.1", "10.0.0.1:80", "fe80::1", "[fe80::1]:80"
  std::string to_string() const;
  std::string address_string() const;  // without the port or brackets
};
std::optional<Endpoint> parse_endpoint(std::string_view text, bool log_errors = true);

}  // namespace ovnx::nbctl
