#include "nbctl/addresses.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstring>

#include <fmt/format.h>

#include "base/log.h"

OVNX_LOG_MODULE(socket_util);

namespace ovnx::nbctl {

namespace {

constexpr std::string_view kIpv6Chars = "0123456789abcdefABCDEF:.";
constexpr size_t kIpv6ScanLen = 46;  // INET6_ADDRSTRLEN - 1

// IPv4 as four scanned decimal bytes (leading zeros, signs and overflow allowed, as OVS does).
bool scan_ipv4_bytes(Scanner& s, Ipv4* ip) {
  size_t start = s.pos();
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    uint8_t b;
    if ((i > 0 && !s.literal('.')) || !s.byte(10, &b)) {
      s.set_pos(start);
      return false;
    }
    v = (v << 8) | b;
  }
  *ip = v;
  return true;
}

bool is_contiguous(Ipv4 mask) {
  uint32_t inv = ~mask;
  return (inv & (inv + 1)) == 0;
}

int count_bits(Ipv4 mask) {
  int n = 0;
  for (uint32_t m = mask; m; m <<= 1) ++n;
  return n;
}

// The prefix length of MASK, or -1 if it is not a contiguous run of leading ones.
int ipv6_mask_len(const Ipv6& mask) {
  int len = 0;
  size_t i = 0;
  for (; i < 16 && mask.bytes[i] == 0xff; ++i) len += 8;
  if (i == 16) return len;
  uint8_t b = mask.bytes[i];
  uint8_t inv = static_cast<uint8_t>(~b);
  if ((inv & (inv + 1)) != 0) return -1;
  for (uint8_t m = b; m; m = static_cast<uint8_t>(m << 1)) ++len;
  for (++i; i < 16; ++i) {
    if (mask.bytes[i]) return -1;
  }
  return len;
}

}  // namespace

std::string Mac::to_string() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2],
                     bytes[3], bytes[4], bytes[5]);
}

bool scan_mac(Scanner& s, Mac* mac) {
  size_t start = s.pos();
  for (int i = 0; i < 6; ++i) {
    if ((i > 0 && !s.literal(':')) || !s.byte(16, &mac->bytes[i])) {
      s.set_pos(start);
      return false;
    }
  }
  return true;
}

std::optional<Mac> parse_mac(std::string_view text) {
  Scanner s(text);
  Mac mac;
  if (!scan_mac(s, &mac) || !s.at_end()) return std::nullopt;
  return mac;
}

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  std::string t(text);
  in_addr a;
  if (inet_pton(AF_INET, t.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<Ipv6> parse_ipv6(std::string_view text) {
  std::string t(text);
  Ipv6 ip;
  if (inet_pton(AF_INET6, t.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  return ip;
}

std::string ipv4_to_string(Ipv4 ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

std::string ipv6_to_string(const Ipv6& ip) {
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf)) return "";
  return buf;
}

Ipv4 ipv4_mask(int plen) { return plen <= 0 ? 0 : ~uint32_t{0} << (32 - plen); }

Ipv6 ipv6_mask(int plen) {
  Ipv6 m;
  for (int i = 0; i < 16; ++i) {
    int bits = plen - 8 * i;
    m.bytes[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits));
  }
  return m;
}

Ipv6 ipv6_and(const Ipv6& a, const Ipv6& b) {
  Ipv6 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = a.bytes[i] & b.bytes[i];
  return r;
}

bool scan_ipv4_cidr(Scanner& s, Ipv4Cidr* out) {
  size_t start = s.pos();
  Ipv4 ip;
  if (!scan_ipv4_bytes(s, &ip)) return false;
  size_t after_ip = s.pos();
  Ipv4 mask = ~uint32_t{0};
  if (s.literal('/')) {
    Ipv4 m;
    long long len;
    if (scan_ipv4_bytes(s, &m)) {
      mask = m;
    } else if (s.integer(10, &len)) {
      if (len < 0 || len > 32) {
        s.set_pos(start);
        return false;
      }
      mask = ipv4_mask(static_cast<int>(len));
    } else {
      // Nothing that reads as a mask: the address stands alone, "/" is left unread.
      s.set_pos(after_ip);
    }
  }
  if (!is_contiguous(mask)) {
    s.set_pos(start);
    return false;
  }
  out->addr = ip;
  out->plen = count_bits(mask);
  return true;
}

bool scan_ipv6_cidr(Scanner& s, Ipv6Cidr* out) {
  size_t start = s.pos();
  s.skip_spaces();
  std::string text;
  std::optional<Ipv6> ip;
  if (!s.charset(kIpv6Chars, kIpv6ScanLen, &text) || !(ip = parse_ipv6(text))) {
    s.set_pos(start);
    return false;
  }
  size_t after_ip = s.pos();
  int plen = 128;
  if (s.literal('/')) {
    long long len;
    size_t after_slash = s.pos();
    if (s.integer(10, &len)) {
      if (len < 0 || len > 128) {
        s.set_pos(start);
        return false;
      }
      plen = static_cast<int>(len);
    } else {
      s.set_pos(after_slash);
      std::string mask_text;
      std::optional<Ipv6> mask;
      if (s.charset(kIpv6Chars, kIpv6ScanLen, &mask_text)) {
        if (!(mask = parse_ipv6(mask_text))) {
          s.set_pos(start);
          return false;
        }
        plen = ipv6_mask_len(*mask);
        if (plen < 0) {
          s.set_pos(start);
          return false;
        }
      } else {
        s.set_pos(after_ip);
      }
    }
  }
  out->addr = *ip;
  out->plen = plen;
  return true;
}

std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view text) {
  Scanner s(text);
  Ipv4Cidr c;
  if (!scan_ipv4_cidr(s, &c) || !s.at_end()) return std::nullopt;
  return c;
}

std::optional<Ipv6Cidr> parse_ipv6_cidr(std::string_view text) {
  Scanner s(text);
  Ipv6Cidr c;
  if (!scan_ipv6_cidr(s, &c) || !s.at_end()) return std::nullopt;
  return c;
}

std::optional<std::string> normalize_prefix(std::string_view text) {
  if (auto v4 = parse_ipv4_cidr(text)) {
    std::string net = ipv4_to_string(v4->addr & ipv4_mask(v4->plen));
    return v4->plen == 32 ? net : fmt::format("{}/{}", net, v4->plen);
  }
  if (auto v6 = parse_ipv6_cidr(text)) {
    std::string net = ipv6_to_string(ipv6_and(v6->addr, ipv6_mask(v6->plen)));
    return v6->plen == 128 ? net : fmt::format("{}/{}", net, v6->plen);
  }
  return std::nullopt;
}

std::optional<std::string> normalize_ipv4(std::string_view text) {
  auto ip = parse_ipv4(text);
  if (!ip) return std::nullopt;
  return ipv4_to_string(*ip);
}

std::optional<std::string> normalize_ipv6(std::string_view text) {
  auto ip = parse_ipv6(text);
  if (!ip) return std::nullopt;
  return ipv6_to_string(*ip);
}

std::optional<LportAddresses> extract_lport_addresses(std::string_view text) {
  Scanner s(text);
  LportAddresses out;
  if (!scan_mac(s, &out.mac)) return std::nullopt;
  while (!s.at_end()) {
    Ipv4Cidr v4;
    Ipv6Cidr v6;
    if (scan_ipv4_cidr(s, &v4)) {
      out.ipv4.push_back(v4.addr);
    } else if (scan_ipv6_cidr(s, &v6)) {
      out.ipv6.push_back(v6.addr);
    } else {
      break;
    }
  }
  return out;
}

bool is_dynamic_lsp_address(std::string_view text) {
  if (text == "dynamic") return true;
  constexpr std::string_view kPrefix = "dynamic ";
  if (text.substr(0, kPrefix.size()) == kPrefix) {
    // "dynamic IP", "dynamic IP IPV6" or "dynamic IPV6", nothing after.
    Scanner s(text.substr(kPrefix.size()));
    Ipv4 ip;
    std::string v6;
    size_t start = s.pos();
    if (scan_ipv4_bytes(s, &ip)) {
      if (s.at_end()) return true;
      if (!s.literal(' ')) return false;
      s.skip_spaces();
      return s.charset(kIpv6Chars, kIpv6ScanLen, &v6) && s.at_end();
    }
    s.set_pos(start);
    s.skip_spaces();
    return s.charset(kIpv6Chars, kIpv6ScanLen, &v6) && s.at_end();
  }
  Scanner s(text);
  Mac mac;
  if (!scan_mac(s, &mac)) return false;
  s.skip_spaces();
  return s.rest() == "dynamic";
}

std::string Endpoint::address_string() const {
  if (!ipv6) return ipv4_to_string(v4);
  std::string out = ipv6_to_string(v6);
  if (scope) {
    char name[IF_NAMESIZE];
    if (if_indextoname(scope, name)) {
      out += "%";
      out += name;
    }
  }
  return out;
}

std::string Endpoint::to_string() const {
  if (!port) return address_string();
  return ipv6 ? fmt::format("[{}]:{}", address_string(), port)
              : fmt::format("{}:{}", address_string(), port);
}

std::optional<Endpoint> parse_endpoint(std::string_view text, bool log_errors) {
  // Split into host and port: "[host]:port", "[host]", "host:port", "host", and an IPv6
  // address without brackets (more than one ':') is all host.
  std::string host;
  std::optional<std::string> port;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      host = std::string(text.substr(1));
    } else {
      host = std::string(text.substr(1, close - 1));
      std::string_view rest = text.substr(close + 1);
      if (!rest.empty() && rest[0] != ':') return std::nullopt;  // "[addr]junk"
      if (!rest.empty()) port = std::string(rest.substr(1));
    }
  } else {
    size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
      host = std::string(text.substr(0, colon));
      port = std::string(text.substr(colon + 1));
    } else {
      host = std::string(text);
    }
  }

  Endpoint ep;
  if (port && !port->empty()) {
    // A decimal number 0..65535 with nothing after it (a sign is allowed, as strtol takes it).
    Scanner s(*port);
    long long v;
    if (!s.integer(10, &v) || !s.at_end() || v < 0 || v > 65535) {
      if (log_errors) LOG_ERR("{}: bad port number \"{}\"", text, *port);
      return std::nullopt;
    }
    ep.port = static_cast<int>(v);
  }
  if (host.find(':') != std::string::npos) {
    ep.ipv6 = true;
    std::string addr = host;
    std::string scope;
    if (size_t pct = host.find('%'); pct != std::string::npos) {
      addr = host.substr(0, pct);
      scope = host.substr(pct + 1);
    }
    auto ip = addr.empty() ? std::nullopt : parse_ipv6(addr);
    if (!ip) {
      if (log_errors) LOG_ERR("{}: bad IP address \"{}\"", text, addr);
      return std::nullopt;
    }
    ep.v6 = *ip;
    if (!scope.empty()) {
      ep.scope = if_nametoindex(scope.c_str());
      if (!ep.scope) {
        if (log_errors) LOG_ERR("{}: bad IPv6 scope \"{}\" ({})", text, scope, std::strerror(errno));
        return std::nullopt;
      }
    }
    return ep;
  }
  auto ip = parse_ipv4(host);
  if (!ip) {
    if (log_errors) LOG_ERR("{}: bad IP address \"{}\"", text, host);
    return std::nullopt;
  }
  ep.v4 = *ip;
  return ep;
}

}  // namespace ovnx::nbctl
