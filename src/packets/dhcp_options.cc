#include "packets/dhcp_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "packets/addresses.h"
#include "packets/dhcp6.h"
#include "packets/dns_name.h"

namespace ovnx::packets {
namespace {

using T = DhcpValueType;
using W = DhcpWireForm;

// Names, codes and types as OVN 23.03's northd writes them (checked against a running
// ovn-northd's SB DHCP_Options / DHCPv6_Options rows). Codes 0, 253 and 254 are OVN's own
// pseudo-options: the offered address (yiaddr), the next server (siaddr) and the bootfile used
// when the client does not send the iPXE option.
constexpr DhcpOptionDef kDhcp4Options[] = {
    {"offerip", 0, T::ipv4, W::not_an_option},
    {"netmask", 1, T::ipv4},
    {"router", 3, T::ipv4},
    {"dns_server", 6, T::ipv4},
    {"log_server", 7, T::ipv4},
    {"lpr_server", 9, T::ipv4},
    {"hostname", 12, T::str},
    {"domain_name", 15, T::str},
    {"swap_server", 16, T::ipv4},
    {"ip_forward_enable", 19, T::boolean},
    {"policy_filter", 21, T::ipv4},
    {"default_ttl", 23, T::uint8},
    {"mtu", 26, T::uint16},
    {"broadcast_address", 28, T::ipv4},
    {"router_discovery", 31, T::boolean},
    {"router_solicitation", 32, T::ipv4},
    {"arp_cache_timeout", 35, T::uint32},
    {"ethernet_encap", 36, T::boolean},
    {"tcp_ttl", 37, T::uint8},
    {"tcp_keepalive_interval", 38, T::uint32},
    {"nis_server", 41, T::ipv4},
    {"ntp_server", 42, T::ipv4},
    {"netbios_name_server", 44, T::ipv4},
    {"netbios_node_type", 46, T::uint8},
    {"lease_time", 51, T::uint32},
    {"server_id", 54, T::ipv4},
    {"T1", 58, T::uint32},
    {"T2", 59, T::uint32},
    {"tftp_server", 66, T::host_id},
    {"bootfile_name", 67, T::str},
    {"domain_search_list", 119, T::domains},
    {"classless_static_route", 121, T::static_routes},
    {"tftp_server_address", 150, T::ipv4},
    {"path_prefix", 210, T::str},
    {"ms_classless_static_route", 249, T::static_routes},
    {"wpad", 252, T::str},
    {"next_server", 253, T::ipv4, W::not_an_option},
    {"bootfile_name_alt", 254, T::str, W::not_an_option},
};

// OVN 23.03 writes the first four; fqdn and the bootfile options came later.
constexpr DhcpOptionDef kDhcp6Options[] = {
    {"server_id", 2, T::mac, W::dhcp6_duid_ll},
    {"ia_addr", 5, T::ipv6},
    {"dns_server", 23, T::ipv6},
    {"domain_search", 24, T::str, W::dhcp6_domains},
    {"fqdn", 39, T::str, W::dhcp6_fqdn, false},
    {"bootfile_name", 59, T::str, W::by_type, false},
    {"bootfile_name_alt", 254, T::str, W::not_an_option, false},
};

Error bad_value(const DhcpOptionDef& def, std::string_view why) {
  return make_error("syntax error", fmt::format("DHCP option \"{}\": {}", def.name, why));
}

// Splits an option value into items: braces are optional, items are separated by commas or
// whitespace, and a double-quoted item may contain either.
Result<std::vector<std::string>> tokenize(const DhcpOptionDef& def, std::string_view text) {
  std::vector<std::string> items;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
  };
  skip_space();
  bool braced = i < text.size() && text[i] == '{';
  if (braced) ++i;
  while (true) {
    skip_space();
    if (i >= text.size()) {
      if (braced) return bad_value(def, "missing '}'");
      break;
    }
    char c = text[i];
    if (c == '}') {
      if (!braced) return bad_value(def, "unexpected '}'");
      ++i;
      skip_space();
      if (i != text.size()) return bad_value(def, "text after '}'");
      break;
    }
    if (c == '{') return bad_value(def, "nested '{'");
    std::string item;
    if (c == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d == '\\' && i < text.size()) d = text[i++];
        item += d;
      }
      if (!closed) return bad_value(def, "unterminated string");
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',' &&
             text[i] != '{' && text[i] != '}' && text[i] != '"') {
        item += text[i++];
      }
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) return bad_value(def, "empty value");
  return items;
}

Result<std::string> single(const DhcpOptionDef& def, const std::vector<std::string>& items) {
  if (items.size() != 1) {
    return bad_value(
        def, fmt::format("expected one {} value, got {}", type_name(def.type), items.size()));
  }
  return items[0];
}

Result<uint64_t> parse_uint(const DhcpOptionDef& def, const std::string& s, uint64_t max) {
  uint64_t v = 0;
  int base = 10;
  std::string_view digits = s;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return bad_value(def, fmt::format("\"{}\" is not an unsigned integer", s));
  }
  if (v > max) return bad_value(def, fmt::format("{} is out of range 0..{}", s, max));
  return v;
}

Status encode_static_routes(const DhcpOptionDef& def, const std::vector<std::string>& items,
                            Bytes& out) {
  if (items.size() % 2 != 0) {
    return bad_value(def, "expected pairs of destination prefix and router");
  }
  ByteWriter w(out);
  for (size_t i = 0; i < items.size(); i += 2) {
    auto prefix = parse_ipv4_prefix(items[i]);
    if (!prefix.ok()) return bad_value(def, prefix.error().details);
    auto router = parse_ipv4(items[i + 1]);
    if (!router.ok()) return bad_value(def, router.error().details);
    // RFC 3442: the prefix length, then only the significant octets of the destination.
    w.u8(prefix->len);
    auto dest = prefix->network().to_bytes();
    w.bytes(ByteView(dest).first((prefix->len + 7) / 8));
    w.ipv4(*router);
  }
  return {};
}

Result<Bytes> encode_dns_names(const DhcpOptionDef& def, const std::vector<std::string>& items,
                               bool compress) {
  Bytes out;
  DnsNameCompressor compressor(0);
  for (const std::string& item : items) {
    // A quoted item may itself hold a comma-separated list ("ovn.org,abc.ovn.org").
    std::string_view rest = item;
    while (true) {
      size_t comma = rest.find(',');
      std::string_view name = rest.substr(0, comma);
      Status s = compress ? compressor.encode(name, out) : encode_dns_name(name, out);
      if (!s.ok()) return bad_value(def, s.error().details);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::string_view type_name(DhcpValueType type) {
  switch (type) {
    case T::boolean:
      return "bool";
    case T::uint8:
      return "uint8";
    case T::uint16:
      return "uint16";
    case T::uint32:
      return "uint32";
    case T::ipv4:
      return "ipv4";
    case T::static_routes:
      return "static_routes";
    case T::str:
      return "str";
    case T::host_id:
      return "host_id";
    case T::domains:
      return "domains";
    case T::ipv6:
      return "ipv6";
    case T::mac:
      return "mac";
  }
  return "?";
}

std::span<const DhcpOptionDef> dhcp4_option_catalogue() { return kDhcp4Options; }
std::span<const DhcpOptionDef> dhcp6_option_catalogue() { return kDhcp6Options; }

const DhcpOptionDef* find_dhcp4_option(std::string_view name) {
  for (const DhcpOptionDef& d : kDhcp4Options) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const DhcpOptionDef* find_dhcp6_option(std::string_view name) {
  for (const DhcpOptionDef& d : kDhcp6Options) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Result<Bytes> encode_dhcp_option_value(const DhcpOptionDef& def, std::string_view text) {
  OVNX_ASSIGN_OR_RETURN(std::vector<std::string> items, tokenize(def, text));
  Bytes out;
  ByteWriter w(out);
  switch (def.type) {
    case T::boolean: {
      OVNX_ASSIGN_OR_RETURN(std::string s, single(def, items));
      if (s == "1" || s == "true") {
        w.u8(1);
      } else if (s == "0" || s == "false") {
        w.u8(0);
      } else {
        return bad_value(def, fmt::format("\"{}\" is not a boolean (0 or 1)", s));
      }
      break;
    }
    case T::uint8:
    case T::uint16:
    case T::uint32: {
      OVNX_ASSIGN_OR_RETURN(std::string s, single(def, items));
      uint64_t max = def.type == T::uint8 ? 0xff : def.type == T::uint16 ? 0xffff : 0xffffffff;
      OVNX_ASSIGN_OR_RETURN(uint64_t v, parse_uint(def, s, max));
      if (def.type == T::uint8) w.u8(uint8_t(v));
      if (def.type == T::uint16) w.u16(uint16_t(v));
      if (def.type == T::uint32) w.u32(uint32_t(v));
      break;
    }
    case T::ipv4:
      for (const std::string& s : items) {
        auto a = parse_ipv4(s);
        if (!a.ok()) return bad_value(def, a.error().details);
        w.ipv4(*a);
      }
      break;
    case T::ipv6:
      for (const std::string& s : items) {
        auto a = parse_ipv6(s);
        if (!a.ok()) return bad_value(def, a.error().details);
        w.ipv6(*a);
      }
      break;
    case T::static_routes:
      OVNX_RETURN_IF_ERROR(encode_static_routes(def, items, out));
      break;
    case T::mac: {
      OVNX_ASSIGN_OR_RETURN(std::string s, single(def, items));
      auto m = parse_mac(s);
      if (!m.ok()) return bad_value(def, m.error().details);
      if (def.wire == W::dhcp6_duid_ll) return make_duid_ll(*m);
      w.mac(*m);
      break;
    }
    case T::host_id: {
      OVNX_ASSIGN_OR_RETURN(std::string s, single(def, items));
      if (auto a = parse_ipv4(s); a.ok()) {
        w.ipv4(*a);
      } else {
        if (s.empty()) return bad_value(def, "empty host name");
        w.text(s);
      }
      break;
    }
    case T::domains:
      return encode_dns_names(def, items, /*compress=*/true);
    case T::str: {
      if (def.wire == W::dhcp6_domains) return encode_dns_names(def, items, false);
      OVNX_ASSIGN_OR_RETURN(std::string s, single(def, items));
      if (s.empty()) return bad_value(def, "empty string");
      if (def.wire == W::dhcp6_fqdn) {
        w.u8(0);  // flags: S=0 (client updates its AAAA), O=0, N=0
        Status st = encode_dns_name(s, out);
        if (!st.ok()) return bad_value(def, st.error().details);
        break;
      }
      w.text(s);
      break;
    }
  }
  return out;
}

Result<Bytes> encode_dhcp4_option(std::string_view name, std::string_view text) {
  const DhcpOptionDef* def = find_dhcp4_option(name);
  if (!def) return make_error("syntax error", fmt::format("unknown DHCPv4 option \"{}\"", name));
  return encode_dhcp_option_value(*def, text);
}

Result<Bytes> encode_dhcp6_option(std::string_view name, std::string_view text) {
  const DhcpOptionDef* def = find_dhcp6_option(name);
  if (!def) return make_error("syntax error", fmt::format("unknown DHCPv6 option \"{}\"", name));
  return encode_dhcp_option_value(*def, text);
}

}  // namespace ovnx::packets
