#include "trace/port_security.h"

#include <cctype>
#include <charconv>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "logical/lexer.h"

namespace ovnx::trace {

namespace {

using logical::U128;

struct Prefix {
  uint32_t addr = 0;
  int len = 32;
  bool contains(uint32_t a) const {
    uint32_t mask = len == 0 ? 0 : ~uint32_t(0) << (32 - len);
    return (a & mask) == (addr & mask);
  }
};

std::optional<Prefix> parse_ipv4_prefix(std::string_view s) {
  Prefix p;
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    std::string_view len = s.substr(slash + 1);
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), p.len);
    if (ec != std::errc() || end != len.data() + len.size() || p.len < 0 || p.len > 32) {
      return std::nullopt;
    }
    s = s.substr(0, slash);
  }
  uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), octet);
    if (ec != std::errc() || octet > 255) return std::nullopt;
    addr = addr << 8 | octet;
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    if (i < 3) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  p.addr = addr;
  return p;
}

struct Entry {
  std::string mac;  // lower case
  std::vector<Prefix> ipv4;
};

std::vector<Entry> parse_entries(const std::vector<std::string>& lines) {
  std::vector<Entry> out;
  for (const std::string& line : lines) {
    std::istringstream words(line);
    Entry e;
    if (!(words >> e.mac)) continue;
    for (char& c : e.mac) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string w;
    while (words >> w) {
      if (auto p = parse_ipv4_prefix(w)) e.ipv4.push_back(*p);
    }
    out.push_back(std::move(e));
  }
  return out;
}

U128 field(const logical::FlowState& s, std::string_view name) {
  auto v = s.get(name);
  return v.ok() ? *v : U128();
}

std::string mac_text(U128 v) { return logical::format_integer(v, logical::IntFormat::kEthernet); }

bool in_any(const std::vector<Prefix>& prefixes, uint32_t a) {
  for (const Prefix& p : prefixes) {
    if (p.contains(a)) return true;
  }
  return false;
}

}  // namespace

bool violates_port_security(const Port& port, const logical::FlowState& state, bool ingress) {
  if (port.port_security.empty()) return false;
  std::vector<Entry> entries = parse_entries(port.port_security);
  U128 eth = field(state, ingress ? "eth.src" : "eth.dst");
  bool eth_mcast = eth.test(40);
  if (!ingress && eth_mcast) return false;
  const std::string mac = mac_text(eth);
  uint64_t eth_type = field(state, "eth.type").lo;
  for (const Entry& e : entries) {
    if (e.mac != mac) continue;
    if (e.ipv4.empty()) return false;
    if (eth_type == 0x0800) {
      auto ip = static_cast<uint32_t>(field(state, ingress ? "ip4.src" : "ip4.dst").lo);
      if (ingress && ip == 0) return false;  // DHCP discovery from 0.0.0.0
      if (!ingress && (ip == 0xffffffff || (ip >> 28) == 0xe)) return false;
      return !in_any(e.ipv4, ip);
    }
    if (eth_type == 0x0806 && ingress) {
      if (mac_text(field(state, "arp.sha")) != e.mac) return true;
      return !in_any(e.ipv4, static_cast<uint32_t>(field(state, "arp.spa").lo));
    }
    return false;
  }
  return true;
}

}  // namespace ovnx::trace
