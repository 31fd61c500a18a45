// The DHCPv4 and DHCPv6 options OVN supports: names, codes and value types exactly as northd
// writes them into the southbound DHCP_Options and DHCPv6_Options tables (ovn-sb(5)), and the
// encoding of an option's text value (as a CMS writes it in NB DHCP_Options:options, e.g.
// "{10.0.0.1, 10.0.0.2}", "\"example.com\"", "{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}")
// into the bytes that go on the wire after the option's code and length.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.h"
#include "packets/bytes.h"

namespace ovnx::packets {

// Value types; type_name() gives the southbound "type" column spelling.
enum class DhcpValueType {
  boolean,        // "bool": 0/1 (true/false accepted), one byte
  uint8,          // "uint8"
  uint16,         // "uint16"
  uint32,         // "uint32"
  ipv4,           // "ipv4": one or more addresses, 4 bytes each
  static_routes,  // "static_routes": {prefix, router, ...} encoded per RFC 3442
  str,            // "str": a string
  host_id,        // "host_id": an IPv4 address (4 bytes) or a host name (string)
  domains,        // "domains": comma-separated domain names, RFC 1035 with compression
  ipv6,           // "ipv6": one or more addresses, 16 bytes each
  mac,            // "mac": a MAC address
};
std::string_view type_name(DhcpValueType type);

// How an option's value appears on the wire when it is not simply its type's encoding.
enum class DhcpWireForm {
  by_type,
  not_an_option,  // OVN pseudo-option: sets a header field or selects another option
  dhcp6_duid_ll,  // DHCPv6 server_id: a MAC carried as DUID-LL
  dhcp6_domains,  // DHCPv6 domain search list: uncompressed DNS names (RFC 3646)
  dhcp6_fqdn,     // DHCPv6 client FQDN: flags byte and a DNS name (RFC 4704)
};

struct DhcpOptionDef {
  std::string_view name;
  uint16_t code;
  DhcpValueType type;
  DhcpWireForm wire = DhcpWireForm::by_type;
  // False for options newer than OVN 23.03, which 23.03's northd does not write to the SB.
  bool in_ovn_23_03 = true;
};

// The catalogues, ordered by code.
std::span<const DhcpOptionDef> dhcp4_option_catalogue();
std::span<const DhcpOptionDef> dhcp6_option_catalogue();
const DhcpOptionDef* find_dhcp4_option(std::string_view name);
const DhcpOptionDef* find_dhcp6_option(std::string_view name);

// Encodes `text` as the value of `def`. Lists may be written with or without braces, items
// separated by commas and/or spaces; strings may be double-quoted (with \" and \\ escapes) or
// bare. Errors ("syntax error") name the option and the offending item.
Result<Bytes> encode_dhcp_option_value(const DhcpOptionDef& def, std::string_view text);

// Looks the name up in the DHCPv4 (or DHCPv6) catalogue, then encodes.
Result<Bytes> encode_dhcp4_option(std::string_view name, std::string_view text);
Result<Bytes> encode_dhcp6_option(std::string_view name, std::string_view text);

}  // namespace ovnx::packets
