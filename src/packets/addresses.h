// Address value types: Ethernet MAC, IPv4, IPv6, and CIDR prefixes of both, with parsing and
// formatting in the usual text forms. Small, trivially copyable, hashable and ordered, so they can
// be used as map keys anywhere (nbctl validation, northd, controller, tracer).
//
// Text forms accepted:
//   MAC   "0a:00:00:00:00:01" (six colon-separated groups of one or two hex digits, as OVS
//         accepts them)
//   IPv4  "10.0.0.1" (four decimal octets, no leading zeros, as inet_pton(3))
//   IPv6  RFC 4291 section 2.2 forms: "fe80::1", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.0.1"
//   CIDR  "10.0.0.0/24", "fe80::/64"; a bare address means a host prefix (/32, /128).
// Formatting is canonical: lowercase MACs; IPv6 as inet_ntop(3) prints it (RFC 5952 zero
// compression, dotted tail for IPv4-mapped and IPv4-compatible addresses), so text we print
// matches what OVS and OVN print.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace ovnx::packets {

// An Ethernet address. Bytes in wire order.
struct MacAddr {
  std::array<uint8_t, 6> bytes{};

  static MacAddr broadcast() { return MacAddr{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  // From the low 48 bits of `value` (most significant byte first).
  static MacAddr from_u64(uint64_t value);
  uint64_t to_u64() const;

  bool is_zero() const { return to_u64() == 0; }
  bool is_broadcast() const { return to_u64() == 0xffffffffffffULL; }
  bool is_multicast() const { return (bytes[0] & 1) != 0; }  // includes broadcast
  bool is_local() const { return (bytes[0] & 2) != 0; }

  std::string to_string() const;
  auto operator<=>(const MacAddr&) const = default;
};

// An IPv4 address, stored as a host-order integer (10.0.0.1 == 0x0a000001).
struct Ipv4Addr {
  uint32_t value = 0;

  static Ipv4Addr from_bytes(const uint8_t* b) {
    return Ipv4Addr{(uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) |
                    uint32_t{b[3]}};
  }
  std::array<uint8_t, 4> to_bytes() const {
    return {uint8_t(value >> 24), uint8_t(value >> 16), uint8_t(value >> 8), uint8_t(value)};
  }
  // The netmask with `len` leading one bits. REQUIRES: len <= 32.
  static Ipv4Addr netmask(int len) { return Ipv4Addr{len == 0 ? 0u : ~uint32_t{0} << (32 - len)}; }

  bool is_zero() const { return value == 0; }
  bool is_broadcast() const { return value == 0xffffffffu; }
  bool is_multicast() const { return (value >> 28) == 0xe; }  // 224.0.0.0/4
  bool is_loopback() const { return (value >> 24) == 127; }

  std::string to_string() const;
  auto operator<=>(const Ipv4Addr&) const = default;
};

// An IPv6 address. Bytes in wire order.
struct Ipv6Addr {
  std::array<uint8_t, 16> bytes{};

  static Ipv6Addr from_bytes(const uint8_t* b) {
    Ipv6Addr a;
    for (size_t i = 0; i < 16; ++i) a.bytes[i] = b[i];
    return a;
  }
  // The netmask with `len` leading one bits. REQUIRES: len <= 128.
  static Ipv6Addr netmask(int len);
  // ::ffff:a.b.c.d
  static Ipv6Addr mapped_v4(Ipv4Addr v4);
  // fe80::/64 with the modified EUI-64 interface id of `mac` (RFC 4291 appendix A).
  static Ipv6Addr link_local_from_mac(const MacAddr& mac);
  // The solicited-node multicast address ff02::1:ffXX:XXXX for this address (RFC 4291 2.7.1).
  Ipv6Addr solicited_node() const;
  // The Ethernet multicast address 33:33:XX:XX:XX:XX for this multicast address (RFC 2464 7).
  MacAddr multicast_mac() const;

  bool is_zero() const;
  bool is_multicast() const { return bytes[0] == 0xff; }
  bool is_link_local() const { return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80; }
  bool is_v4_mapped() const;

  Ipv6Addr operator&(const Ipv6Addr& mask) const;
  std::string to_string() const;
  auto operator<=>(const Ipv6Addr&) const = default;
};

// An IPv4 CIDR prefix. `addr` is kept as written (it may have host bits set, as in a router
// port's "192.168.1.1/24"); network() masks them off.
struct Ipv4Prefix {
  Ipv4Addr addr;
  uint8_t len = 32;  // 0..32

  Ipv4Addr mask() const { return Ipv4Addr::netmask(len); }
  Ipv4Addr network() const { return Ipv4Addr{addr.value & mask().value}; }
  Ipv4Addr broadcast() const { return Ipv4Addr{addr.value | ~mask().value}; }
  bool has_host_bits() const { return network() != addr; }
  bool contains(Ipv4Addr a) const { return (a.value & mask().value) == network().value; }

  std::string to_string() const;  // "10.0.0.1/24"
  auto operator<=>(const Ipv4Prefix&) const = default;
};

struct Ipv6Prefix {
  Ipv6Addr addr;
  uint8_t len = 128;  // 0..128

  Ipv6Addr mask() const { return Ipv6Addr::netmask(len); }
  Ipv6Addr network() const { return addr & mask(); }
  bool has_host_bits() const { return network() != addr; }
  bool contains(const Ipv6Addr& a) const { return (a & mask()) == network(); }

  std::string to_string() const;  // "fe80::1/64"
  auto operator<=>(const Ipv6Prefix&) const = default;
};

// An address of either family, for inputs that accept both (logical port addresses, NAT).
struct IpAddr {
  bool is_v6 = false;
  Ipv4Addr v4;  // meaningful when !is_v6
  Ipv6Addr v6;  // meaningful when is_v6

  static IpAddr of(Ipv4Addr a) { return IpAddr{false, a, {}}; }
  static IpAddr of(const Ipv6Addr& a) { return IpAddr{true, {}, a}; }
  std::string to_string() const { return is_v6 ? v6.to_string() : v4.to_string(); }
  auto operator<=>(const IpAddr&) const = default;
};

// A prefix of either family (routes, NAT, address sets).
struct IpPrefix {
  bool is_v6 = false;
  Ipv4Prefix v4;  // meaningful when !is_v6
  Ipv6Prefix v6;  // meaningful when is_v6

  static IpPrefix of(const Ipv4Prefix& p) { return IpPrefix{false, p, {}}; }
  static IpPrefix of(const Ipv6Prefix& p) { return IpPrefix{true, {}, p}; }
  std::string to_string() const;
  auto operator<=>(const IpPrefix&) const = default;
};

// Parsers. Errors have tag "syntax error" and details naming the offending text.
Result<MacAddr> parse_mac(std::string_view text);
Result<Ipv4Addr> parse_ipv4(std::string_view text);
Result<Ipv6Addr> parse_ipv6(std::string_view text);
Result<IpAddr> parse_ip(std::string_view text);
// "a.b.c.d/len" or a bare address (/32). Also accepts a dotted netmask "a.b.c.d/255.255.255.0"
// if it is contiguous.
Result<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);
// "x::y/len" or a bare address (/128).
Result<Ipv6Prefix> parse_ipv6_prefix(std::string_view text);

// Either family, told apart by a ':'.
Result<IpPrefix> parse_ip_prefix(std::string_view text);

// The prefix length of a contiguous netmask, or -1 if `mask` is not contiguous.
int netmask_length(Ipv4Addr mask);

}  // namespace ovnx::packets

// Hashing, so the types can key unordered containers.
template <>
struct std::hash<ovnx::packets::MacAddr> {
  size_t operator()(const ovnx::packets::MacAddr& m) const noexcept {
    return std::hash<uint64_t>{}(m.to_u64());
  }
};
template <>
struct std::hash<ovnx::packets::Ipv4Addr> {
  size_t operator()(const ovnx::packets::Ipv4Addr& a) const noexcept {
    return std::hash<uint32_t>{}(a.value);
  }
};
template <>
struct std::hash<ovnx::packets::Ipv6Addr> {
  size_t operator()(const ovnx::packets::Ipv6Addr& a) const noexcept {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
    for (uint8_t b : a.bytes) h = (h ^ b) * 0x100000001b3ULL;
    return static_cast<size_t>(h);
  }
};
