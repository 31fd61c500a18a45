#include "northd/lport_addresses.h"

#include <algorithm>
#include <cctype>

namespace ovnx::northd {
namespace {

using packets::Ipv4Addr;
using packets::Ipv6Addr;

// Splits on blanks; empty words are skipped.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

// One address word: IPv4 or IPv6, with an optional /LEN. Host prefixes when no length is given.
bool add_ip_word(std::string_view word, LportAddresses& out) {
  if (auto v4 = packets::parse_ipv4_prefix(word); v4.ok()) {
    out.ipv4.push_back(make_ipv4_netaddr(v4->addr, v4->len));
    return true;
  }
  if (auto v6 = packets::parse_ipv6_prefix(word); v6.ok()) {
    out.ipv6.push_back(make_ipv6_netaddr(v6->addr, v6->len));
    return true;
  }
  return false;
}

}  // namespace

Ipv4Netaddr make_ipv4_netaddr(Ipv4Addr addr, int plen) {
  Ipv4Netaddr n;
  n.addr = addr;
  n.plen = plen;
  n.mask = Ipv4Addr::netmask(plen);
  n.network = Ipv4Addr{addr.value & n.mask.value};
  n.bcast = Ipv4Addr{addr.value | ~n.mask.value};
  n.addr_s = addr.to_string();
  n.network_s = n.network.to_string();
  n.bcast_s = n.bcast.to_string();
  return n;
}

Ipv6Netaddr make_ipv6_netaddr(const Ipv6Addr& addr, int plen) {
  Ipv6Netaddr n;
  n.addr = addr;
  n.plen = plen;
  n.mask = Ipv6Addr::netmask(plen);
  n.network = addr & n.mask;
  n.sn_addr = addr.solicited_node();
  n.addr_s = addr.to_string();
  n.network_s = n.network.to_string();
  n.sn_addr_s = n.sn_addr.to_string();
  return n;
}

bool starts_with_mac(std::string_view text) {
  auto w = words(text);
  return !w.empty() && packets::parse_mac(w[0]).ok();
}

bool parse_ip_list(std::string_view text, LportAddresses& out) {
  for (std::string_view w : words(text)) {
    if (!add_ip_word(w, out)) return false;
  }
  return true;
}

std::optional<LportAddresses> parse_lsp_addresses(std::string_view text) {
  auto w = words(text);
  if (w.empty()) return std::nullopt;
  auto mac = packets::parse_mac(w[0]);
  if (!mac.ok()) return std::nullopt;
  LportAddresses out;
  out.ea = *mac;
  out.ea_s = mac->to_string();
  for (size_t i = 1; i < w.size(); ++i) {
    if (!add_ip_word(w[i], out)) return std::nullopt;
  }
  return out;
}

std::optional<LportAddresses> parse_lrp_networks(std::string_view mac,
                                                  const std::vector<std::string>& networks) {
  auto ea = packets::parse_mac(mac);
  if (!ea.ok()) return std::nullopt;
  LportAddresses out;
  out.ea = *ea;
  out.ea_s = ea->to_string();
  // OVSDB keeps set elements sorted; the flows list the networks in that order.
  std::vector<std::string> sorted(networks);
  std::sort(sorted.begin(), sorted.end());
  bool have_lla = false;
  for (const std::string& net : sorted) {
    if (auto v4 = packets::parse_ipv4_prefix(net); v4.ok()) {
      out.ipv4.push_back(make_ipv4_netaddr(v4->addr, v4->len));
    } else if (auto v6 = packets::parse_ipv6_prefix(net); v6.ok()) {
      out.ipv6.push_back(make_ipv6_netaddr(v6->addr, v6->len));
      if (v6->addr.is_link_local()) have_lla = true;
    }
  }
  // A router port always has a link-local address (neighbor discovery, RAs need it).
  if (!have_lla) {
    out.ipv6.push_back(make_ipv6_netaddr(Ipv6Addr::link_local_from_mac(out.ea), 64));
  }
  return out;
}

}  // namespace ovnx::northd
