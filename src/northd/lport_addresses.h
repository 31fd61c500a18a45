// Addresses of a logical port as northd uses them: an Ethernet address with IPv4 and IPv6
// addresses, each with its prefix and the derived network, broadcast and solicited-node
// addresses, and their text forms (which go verbatim into logical flows).
//
// Parsed from a Logical_Switch_Port "addresses" or "port_security" entry ("MAC [IP[/LEN]]...")
// or from a Logical_Router_Port's mac and networks (which also get the port's IPv6 link-local
// address, as routers always have one).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packets/addresses.h"

namespace ovnx::northd {

struct Ipv4Netaddr {
  packets::Ipv4Addr addr;
  packets::Ipv4Addr mask;
  packets::Ipv4Addr network;
  packets::Ipv4Addr bcast;
  int plen = 32;
  std::string addr_s;
  std::string network_s;
  std::string bcast_s;
};

struct Ipv6Netaddr {
  packets::Ipv6Addr addr;
  packets::Ipv6Addr mask;
  packets::Ipv6Addr sn_addr;  // solicited-node multicast address
  packets::Ipv6Addr network;
  int plen = 128;
  std::string addr_s;
  std::string sn_addr_s;
  std::string network_s;
};

struct LportAddresses {
  std::string ea_s;
  packets::MacAddr ea;
  std::vector<Ipv4Netaddr> ipv4;
  std::vector<Ipv6Netaddr> ipv6;
};

Ipv4Netaddr make_ipv4_netaddr(packets::Ipv4Addr addr, int plen);
Ipv6Netaddr make_ipv6_netaddr(const packets::Ipv6Addr& addr, int plen);

// "MAC [IP[/LEN] ...]": nullopt if the MAC or any address is malformed (northd then ignores the
// entry, as the real one does). Addresses are kept in the order written.
std::optional<LportAddresses> parse_lsp_addresses(std::string_view text);

// The addresses after the MAC only ("IP[/LEN] ..."), e.g. a port_security entry's tail.
// `text` starts at the first address.
bool parse_ip_list(std::string_view text, LportAddresses& out);

// A router port: `mac` and `networks` ("IP/LEN"); the IPv6 link-local address derived from the
// MAC is appended unless a link-local network is configured. nullopt if `mac` is malformed;
// malformed networks are skipped.
std::optional<LportAddresses> parse_lrp_networks(std::string_view mac,
                                                  const std::vector<std::string>& networks);

// True if `text` is a valid "MAC ..." entry whose first word is a MAC (used to tell address
// entries from the keywords "router", "unknown", "dynamic").
bool starts_with_mac(std::string_view text);

}  // namespace ovnx::northd
