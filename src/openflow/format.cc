// Values and matches in ovs-ofctl's notation (see ovs-fields(7) for each field's format).
#include "openflow/format.h"

#include <arpa/inet.h>

#include <array>
#include <initializer_list>

#include <fmt/format.h>

namespace ovnx::openflow {
namespace {

std::string hex(U128 v) {
  if (v.is_zero()) return "0";
  if (v.hi != 0) return fmt::format("0x{:x}{:016x}", v.hi, v.lo);
  return fmt::format("{:#x}", v.lo);
}

std::string ethernet(U128 v) {
  uint8_t b[6];
  v.to_be_bytes(b);
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3], b[4],
                     b[5]);
}

std::string ipv4(U128 v) {
  uint32_t a = static_cast<uint32_t>(v.lo);
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

std::string ipv6(U128 v) {
  uint8_t b[16];
  v.to_be_bytes(b);
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, b, buf, sizeof buf)) return hex(v);
  return buf;
}

// Prefix length if MASK (WIDTH bits) is a CIDR mask, else -1.
int prefix_len(U128 mask, unsigned width) {
  U128 inv = ~mask & U128::low_bits(width);
  int host_bits = inv.bit_width();
  if (inv != U128::low_bits(static_cast<unsigned>(host_bits))) return -1;
  return static_cast<int>(width) - host_bits;
}

constexpr std::array<const char*, 8> kCtStateNames = {"new", "est", "rel", "rpl",
                                                      "inv", "trk", "snat", "dnat"};
constexpr std::array<const char*, 9> kTcpFlagNames = {"fin", "syn", "rst", "psh", "ack",
                                                      "urg", "ece", "cwr", "ns"};

// "+a-b" for each bit of MASK, in bit order.
template <size_t N>
std::string plus_minus(U128 value, U128 mask, const std::array<const char*, N>& names) {
  std::string s;
  for (size_t i = 0; i < N; i++) {
    U128 bit = U128(1) << static_cast<unsigned>(i);
    if ((mask & bit).is_zero()) continue;
    s += (value & bit).is_zero() ? '-' : '+';
    s += names[i];
  }
  return s;
}

std::string frag(U128 value, U128 mask) {
  uint64_t v = value.lo & 3;
  switch (mask.lo & 3) {
    case 1: return v ? "yes" : "no";
    case 2: return v ? "later" : "not_later";
    case 3: return v == 0 ? "no" : v == 1 ? "first" : "later";
    default: return hex(value) + "/" + hex(mask);
  }
}

}  // namespace

std::string format_hex_dots(std::span<const uint8_t> bytes) {
  std::string s;
  for (size_t i = 0; i < bytes.size(); i++) {
    if (i) s += '.';
    s += fmt::format("{:02x}", bytes[i]);
  }
  return s;
}

std::string format_value(Field field, U128 value) {
  const FieldInfo& fi = field_info(field);
  switch (fi.format) {
    case FieldFormat::kDecimal: return std::to_string(value.lo);
    case FieldFormat::kEthernet: return ethernet(value);
    case FieldFormat::kIpv4: return ipv4(value);
    case FieldFormat::kIpv6: return ipv6(value);
    case FieldFormat::kPort: return format_port(static_cast<uint16_t>(value.lo));
    case FieldFormat::kCtState:
    case FieldFormat::kTcpFlags:
    case FieldFormat::kFrag:
      return format_masked(field, value, U128::low_bits(fi.n_bits));
    case FieldFormat::kHex:
      break;
  }
  if (field == Field::eth_type) return fmt::format("{:#06x}", value.lo);
  if (field == Field::vlan_tci) return fmt::format("{:#06x}", value.lo);
  if (field == Field::ipv6_label) return fmt::format("{:#07x}", value.lo);
  return hex(value);
}

std::string format_masked(Field field, U128 value, U128 mask) {
  const FieldInfo& fi = field_info(field);
  // nw_tos holds only DSCP bits: its full mask is 0xfc.
  U128 all = field == Field::nw_tos ? U128(0xfc) : U128::low_bits(fi.n_bits);
  bool exact = (mask & all) == all;
  switch (fi.format) {
    case FieldFormat::kCtState:
      if (((mask | U128(0xff)) & all) == U128(0xff)) return plus_minus(value, mask, kCtStateNames);
      return hex(value) + "/" + hex(mask);
    case FieldFormat::kTcpFlags:
      if (exact) {
        std::string s;
        for (size_t i = 0; i < kTcpFlagNames.size(); i++) {
          if ((value & (U128(1) << static_cast<unsigned>(i))).is_zero()) continue;
          if (!s.empty()) s += '|';
          s += kTcpFlagNames[i];
        }
        return s.empty() ? "0" : s;
      }
      return plus_minus(value, mask, kTcpFlagNames);
    case FieldFormat::kFrag:
      return frag(value, mask);
    default:
      break;
  }
  if (exact) return format_value(field, value);
  switch (fi.format) {
    case FieldFormat::kIpv4:
    case FieldFormat::kIpv6: {
      std::string v = fi.format == FieldFormat::kIpv4 ? ipv4(value) : ipv6(value);
      int plen = prefix_len(mask, fi.n_bits);
      if (plen >= 0) return fmt::format("{}/{}", v, plen);
      return v + "/" + (fi.format == FieldFormat::kIpv4 ? ipv4(mask) : ipv6(mask));
    }
    case FieldFormat::kEthernet:
      return ethernet(value) + "/" + ethernet(mask);
    default:
      if (field == Field::ipv6_label) {
        return fmt::format("{:#07x}/{:#07x}", value.lo, mask.lo);
      }
      if (field == Field::vlan_tci) return fmt::format("{:#06x}/{:#06x}", value.lo, mask.lo);
      return hex(value) + "/" + hex(mask);
  }
}

namespace {

class MatchPrinter {
 public:
  explicit MatchPrinter(const Match& m) : m_(m) {}

  void raw(std::string_view s) {
    if (!out_.empty()) out_ += ',';
    out_ += s;
  }
  void field(Field f, std::string_view name = {}) {
    const FieldMatch* fm = m_.find(f);
    if (!fm) return;
    if (name.empty()) name = field_info(f).match_name;
    raw(fmt::format("{}={}", name, format_masked(f, fm->value, fm->mask)));
  }
  bool exact(Field f, uint64_t v) const {
    const FieldMatch* fm = m_.find(f);
    return fm && fm->mask == U128::low_bits(field_bits(f)) && fm->value == U128(v);
  }
  bool has(Field f) const { return m_.find(f) != nullptr; }
  std::string take() { return std::move(out_); }

 private:
  const Match& m_;
  std::string out_;
};

constexpr uint16_t kEthIp = 0x0800, kEthIpv6 = 0x86dd, kEthArp = 0x0806, kEthRarp = 0x8035;

void print_vlan(MatchPrinter& p, const Match& m) {
  const FieldMatch* fm = m.find(Field::vlan_tci);
  if (!fm) return;
  uint16_t v = static_cast<uint16_t>(fm->value.lo), mask = static_cast<uint16_t>(fm->mask.lo);
  uint16_t vid_mask = mask & 0x0fff, pcp_mask = mask & 0xe000;
  bool cfi = mask & 0x1000;
  if (cfi && (v & 0x1000) && (vid_mask == 0 || vid_mask == 0x0fff) &&
      (pcp_mask == 0 || pcp_mask == 0xe000) && (vid_mask || pcp_mask)) {
    if (vid_mask) p.raw(fmt::format("dl_vlan={}", v & 0x0fff));
    if (pcp_mask) p.raw(fmt::format("dl_vlan_pcp={}", v >> 13));
  } else {
    p.field(Field::vlan_tci);
  }
}

}  // namespace

std::string format_match(const Match& m, uint16_t priority) {
  MatchPrinter p(m);
  if (priority != kDefaultPriority) p.raw(fmt::format("priority={}", priority));
  for (Field f : {Field::recirc_id, Field::dp_hash, Field::conj_id, Field::pkt_mark,
                  Field::ct_state, Field::ct_zone, Field::ct_mark, Field::ct_label,
                  Field::ct_nw_src, Field::ct_nw_dst, Field::ct_ipv6_src, Field::ct_ipv6_dst,
                  Field::ct_nw_proto, Field::ct_tp_src, Field::ct_tp_dst}) {
    p.field(f);
  }

  // Protocol shorthand: "tcp" stands for dl_type=0x0800,nw_proto=6, and so on.
  const FieldMatch* type = m.find(Field::eth_type);
  uint16_t dl_type = type ? static_cast<uint16_t>(type->value.lo) : 0;
  bool skip_type = true, skip_proto = false;
  if (!type) {
    skip_type = false;
  } else if (dl_type == kEthIp || dl_type == kEthIpv6) {
    bool v6 = dl_type == kEthIpv6;
    const char* name = v6 ? "ipv6" : "ip";
    skip_proto = true;
    if (p.exact(Field::nw_proto, 1) && !v6) name = "icmp";
    else if (p.exact(Field::nw_proto, 2) && !v6) name = "igmp";
    else if (p.exact(Field::nw_proto, 58) && v6) name = "icmp6";
    else if (p.exact(Field::nw_proto, 6)) name = v6 ? "tcp6" : "tcp";
    else if (p.exact(Field::nw_proto, 17)) name = v6 ? "udp6" : "udp";
    else if (p.exact(Field::nw_proto, 132)) name = v6 ? "sctp6" : "sctp";
    else skip_proto = false;
    p.raw(name);
  } else if (dl_type == kEthArp) {
    p.raw("arp");
  } else if (dl_type == kEthRarp) {
    p.raw("rarp");
  } else {
    skip_type = false;
  }

  for (int i = 0; i < kNumRegs; i++) p.field(reg(i));
  for (Field f : {Field::tun_id, Field::tun_src, Field::tun_dst, Field::tun_ipv6_src,
                  Field::tun_ipv6_dst}) {
    p.field(f);
  }
  for (int i = 0; i < kNumTunMetadata; i++) p.field(tun_metadata(i));
  p.field(Field::metadata);
  p.field(Field::in_port);
  print_vlan(p, m);
  p.field(Field::eth_src);
  p.field(Field::eth_dst);
  if (!skip_type) p.field(Field::eth_type);
  bool arp = dl_type == kEthArp || dl_type == kEthRarp;
  for (Field f : {Field::ipv6_src, Field::ipv6_dst, Field::ipv6_label, Field::arp_spa,
                  Field::arp_tpa, Field::ip_src, Field::ip_dst}) {
    p.field(f);
  }
  if (!skip_proto) p.field(Field::nw_proto);
  if (arp) p.field(Field::arp_op);
  for (Field f : {Field::arp_sha, Field::arp_tha, Field::nw_tos, Field::nw_ecn, Field::nw_ttl,
                  Field::nw_frag}) {
    p.field(f);
  }
  if (!arp) p.field(Field::arp_op);  // arp_op without an ARP dl_type: print it anyway
  for (Field f : {Field::icmp_type, Field::icmp_code, Field::icmpv6_type, Field::icmpv6_code,
                  Field::nd_target, Field::nd_sll, Field::nd_tll, Field::nd_reserved,
                  Field::nd_options_type, Field::tcp_src, Field::tcp_dst, Field::udp_src,
                  Field::udp_dst, Field::sctp_src, Field::sctp_dst, Field::tcp_flags}) {
    p.field(f);
  }
  return p.take();
}

std::string format_flow(const Flow& f) {
  std::string s;
  if (f.cookie != 0) s += fmt::format("cookie={:#x}, ", f.cookie);
  if (f.table_id != 0) s += fmt::format("table={}, ", f.table_id);
  if (f.idle_timeout != 0) s += fmt::format("idle_timeout={}, ", f.idle_timeout);
  if (f.hard_timeout != 0) s += fmt::format("hard_timeout={}, ", f.hard_timeout);
  // Flags are each followed by a space (not a comma), as ovs-ofctl prints them.
  static constexpr std::pair<uint16_t, const char*> kFlags[] = {
      {kFlowSendFlowRem, "send_flow_rem"}, {kFlowCheckOverlap, "check_overlap"},
      {kFlowResetCounts, "reset_counts"}, {kFlowNoPktCounts, "no_packet_counts"},
      {kFlowNoBytCounts, "no_byte_counts"}};
  for (auto [bit, name] : kFlags) {
    if (f.flags & bit) s += fmt::format("{} ", name);
  }
  std::string match = format_match(f.match, f.priority);
  if (!match.empty()) s += match + " ";
  s += "actions=" + format_actions(f.actions);
  return s;
}

}  // namespace ovnx::openflow
