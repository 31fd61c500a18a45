#include "packets/addresses.h"

#include <fmt/format.h>

#include <optional>

namespace ovnx::packets {
namespace {

Error bad(std::string_view what, std::string_view text, std::string_view why = {}) {
  std::string details = fmt::format("invalid {} \"{}\"", what, text);
  if (!why.empty()) details += fmt::format(": {}", why);
  return make_error("syntax error", std::move(details));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a decimal prefix length in [0, max]; nullopt on anything else.
std::optional<int> parse_prefix_len(std::string_view s, int max) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  if (v > max) return std::nullopt;
  return v;
}

// Dotted quad, inet_pton(3) rules: exactly four decimal octets, no leading zeros.
std::optional<uint32_t> parse_dotted_quad(std::string_view s) {
  uint32_t value = 0;
  int octets = 0;
  size_t i = 0;
  while (true) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
    size_t start = i;
    unsigned octet = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      octet = octet * 10 + unsigned(s[i] - '0');
      if (octet > 255 || i - start >= 3) return std::nullopt;
      ++i;
    }
    if (i - start > 1 && s[start] == '0') return std::nullopt;
    value = (value << 8) | octet;
    if (++octets == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return value;
}

}  // namespace

// ---- MAC ----

MacAddr MacAddr::from_u64(uint64_t value) {
  MacAddr m;
  for (int i = 5; i >= 0; --i) {
    m.bytes[size_t(i)] = uint8_t(value);
    value >>= 8;
  }
  return m;
}

uint64_t MacAddr::to_u64() const {
  uint64_t v = 0;
  for (uint8_t b : bytes) v = (v << 8) | b;
  return v;
}

std::string MacAddr::to_string() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2],
                     bytes[3], bytes[4], bytes[5]);
}

Result<MacAddr> parse_mac(std::string_view text) {
  // Six groups of one or two hex digits, as OVS accepts them ("0a:0:0:0:0:1" too).
  MacAddr m;
  size_t i = 0;
  for (size_t group = 0; group < 6; ++group) {
    if (group > 0) {
      if (i >= text.size() || text[i] != ':') break;
      ++i;
    }
    int value = 0, digits = 0;
    while (i < text.size() && digits < 3 && hex_value(text[i]) >= 0) {
      value = value * 16 + hex_value(text[i++]);
      ++digits;
    }
    if (digits == 0 || digits > 2) return bad("MAC address", text, "expected xx:xx:xx:xx:xx:xx");
    m.bytes[group] = uint8_t(value);
    if (group == 5) {
      if (i != text.size()) break;
      return m;
    }
  }
  return bad("MAC address", text, "expected xx:xx:xx:xx:xx:xx");
}

// ---- IPv4 ----

std::string Ipv4Addr::to_string() const {
  return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff,
                     value & 0xff);
}

Result<Ipv4Addr> parse_ipv4(std::string_view text) {
  auto v = parse_dotted_quad(text);
  if (!v) return bad("IPv4 address", text);
  return Ipv4Addr{*v};
}

int netmask_length(Ipv4Addr mask) {
  uint32_t inverted = ~mask.value;
  if ((inverted & (inverted + 1)) != 0) return -1;  // ones must be contiguous from the top
  int len = 0;
  for (uint32_t m = mask.value; m != 0; m <<= 1) ++len;
  return len;
}

std::string Ipv4Prefix::to_string() const { return fmt::format("{}/{}", addr.to_string(), len); }

Result<Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
  size_t slash = text.find('/');
  auto addr = parse_dotted_quad(text.substr(0, slash));
  if (!addr) return bad("IPv4 prefix", text, "bad address");
  if (slash == std::string_view::npos) return Ipv4Prefix{Ipv4Addr{*addr}, 32};
  std::string_view len_text = text.substr(slash + 1);
  if (auto len = parse_prefix_len(len_text, 32)) {
    return Ipv4Prefix{Ipv4Addr{*addr}, uint8_t(*len)};
  }
  if (auto mask = parse_dotted_quad(len_text)) {
    int len = netmask_length(Ipv4Addr{*mask});
    if (len < 0) return bad("IPv4 prefix", text, "netmask is not contiguous");
    return Ipv4Prefix{Ipv4Addr{*addr}, uint8_t(len)};
  }
  return bad("IPv4 prefix", text, "prefix length must be 0..32");
}

// ---- IPv6 ----

Ipv6Addr Ipv6Addr::netmask(int len) {
  Ipv6Addr m;
  for (size_t i = 0; i < 16; ++i) {
    int bits = len - int(i) * 8;
    m.bytes[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : uint8_t(0xff << (8 - bits));
  }
  return m;
}

Ipv6Addr Ipv6Addr::mapped_v4(Ipv4Addr v4) {
  Ipv6Addr a;
  a.bytes[10] = a.bytes[11] = 0xff;
  auto b = v4.to_bytes();
  for (size_t i = 0; i < 4; ++i) a.bytes[12 + i] = b[i];
  return a;
}

Ipv6Addr Ipv6Addr::link_local_from_mac(const MacAddr& mac) {
  Ipv6Addr a;
  a.bytes[0] = 0xfe;
  a.bytes[1] = 0x80;
  a.bytes[8] = mac.bytes[0] ^ 0x02;  // flip the universal/local bit
  a.bytes[9] = mac.bytes[1];
  a.bytes[10] = mac.bytes[2];
  a.bytes[11] = 0xff;
  a.bytes[12] = 0xfe;
  a.bytes[13] = mac.bytes[3];
  a.bytes[14] = mac.bytes[4];
  a.bytes[15] = mac.bytes[5];
  return a;
}

Ipv6Addr Ipv6Addr::solicited_node() const {
  Ipv6Addr a;
  a.bytes[0] = 0xff;
  a.bytes[1] = 0x02;
  a.bytes[11] = 0x01;
  a.bytes[12] = 0xff;
  a.bytes[13] = bytes[13];
  a.bytes[14] = bytes[14];
  a.bytes[15] = bytes[15];
  return a;
}

MacAddr Ipv6Addr::multicast_mac() const {
  return MacAddr{{0x33, 0x33, bytes[12], bytes[13], bytes[14], bytes[15]}};
}

bool Ipv6Addr::is_zero() const {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

bool Ipv6Addr::is_v4_mapped() const {
  for (size_t i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

Ipv6Addr Ipv6Addr::operator&(const Ipv6Addr& mask) const {
  Ipv6Addr r;
  for (size_t i = 0; i < 16; ++i) r.bytes[i] = bytes[i] & mask.bytes[i];
  return r;
}

std::string Ipv6Addr::to_string() const {
  uint16_t words[8];
  for (size_t i = 0; i < 8; ++i) words[i] = uint16_t(bytes[2 * i] << 8 | bytes[2 * i + 1]);

  // Longest run of at least two zero words; the first one wins a tie (RFC 5952 4.2).
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;

  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    // A dotted IPv4 tail, as inet_ntop prints IPv4-compatible and IPv4-mapped addresses.
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      if (out.back() != ':') out += ':';
      out += fmt::format("{}.{}.{}.{}", bytes[12], bytes[13], bytes[14], bytes[15]);
      break;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", words[i]);
  }
  return out;
}

Result<Ipv6Addr> parse_ipv6(std::string_view text) {
  // Split into the groups before and after "::" (if any), each group a list of hex words; the
  // last group may end with a dotted IPv4 address worth two words.
  uint16_t head[8], tail[8];
  int n_head = 0, n_tail = 0;
  bool compressed = false;
  size_t i = 0;
  if (text.empty()) return bad("IPv6 address", text);
  if (text.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
  } else if (text[0] == ':') {
    return bad("IPv6 address", text, "leading single colon");
  }
  while (i < text.size()) {
    uint16_t* words = compressed ? tail : head;
    int& n = compressed ? n_tail : n_head;
    // One field: hex digits, or a dotted quad if it contains a '.' before the next ':'.
    size_t end = text.find(':', i);
    std::string_view field = text.substr(i, end == std::string_view::npos ? end : end - i);
    if (field.find('.') != std::string_view::npos) {
      if (end != std::string_view::npos) return bad("IPv6 address", text, "IPv4 part not last");
      auto v4 = parse_dotted_quad(field);
      if (!v4 || n_head + n_tail + 2 > 8) return bad("IPv6 address", text, "bad IPv4 part");
      words[n++] = uint16_t(*v4 >> 16);
      words[n++] = uint16_t(*v4);
      i = text.size();
      break;
    }
    if (field.empty() || field.size() > 4) return bad("IPv6 address", text, "bad group");
    uint16_t w = 0;
    for (char c : field) {
      int h = hex_value(c);
      if (h < 0) return bad("IPv6 address", text, "bad hex digit");
      w = uint16_t(w << 4 | h);
    }
    if (n_head + n_tail >= 8) return bad("IPv6 address", text, "too many groups");
    words[n++] = w;
    if (end == std::string_view::npos) {
      i = text.size();
      break;
    }
    i = end + 1;
    if (i < text.size() && text[i] == ':') {
      if (compressed) return bad("IPv6 address", text, "more than one \"::\"");
      compressed = true;
      ++i;
    } else if (i == text.size()) {
      return bad("IPv6 address", text, "trailing single colon");
    }
  }
  int total = n_head + n_tail;
  if (compressed ? total > 7 : total != 8) {
    return bad("IPv6 address", text, "wrong number of groups");
  }
  uint16_t words[8] = {};
  for (int k = 0; k < n_head; ++k) words[k] = head[k];
  for (int k = 0; k < n_tail; ++k) words[8 - n_tail + k] = tail[k];
  Ipv6Addr a;
  for (size_t k = 0; k < 8; ++k) {
    a.bytes[2 * k] = uint8_t(words[k] >> 8);
    a.bytes[2 * k + 1] = uint8_t(words[k]);
  }
  return a;
}

std::string Ipv6Prefix::to_string() const { return fmt::format("{}/{}", addr.to_string(), len); }

Result<Ipv6Prefix> parse_ipv6_prefix(std::string_view text) {
  size_t slash = text.find('/');
  auto addr = parse_ipv6(text.substr(0, slash));
  if (!addr.ok()) return bad("IPv6 prefix", text, "bad address");
  if (slash == std::string_view::npos) return Ipv6Prefix{*addr, 128};
  auto len = parse_prefix_len(text.substr(slash + 1), 128);
  if (!len) return bad("IPv6 prefix", text, "prefix length must be 0..128");
  return Ipv6Prefix{*addr, uint8_t(*len)};
}

std::string IpPrefix::to_string() const { return is_v6 ? v6.to_string() : v4.to_string(); }

Result<IpPrefix> parse_ip_prefix(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    OVNX_ASSIGN_OR_RETURN(Ipv6Prefix p, parse_ipv6_prefix(text));
    return IpPrefix::of(p);
  }
  OVNX_ASSIGN_OR_RETURN(Ipv4Prefix p, parse_ipv4_prefix(text));
  return IpPrefix::of(p);
}

Result<IpAddr> parse_ip(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    OVNX_ASSIGN_OR_RETURN(Ipv6Addr a, parse_ipv6(text));
    return IpAddr::of(a);
  }
  auto v4 = parse_dotted_quad(text);
  if (!v4) return bad("IP address", text);
  return IpAddr::of(Ipv4Addr{*v4});
}

}  // namespace ovnx::packets
