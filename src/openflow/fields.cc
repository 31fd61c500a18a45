// The field table: names, widths and OXM/NXM code points (ovs-fields(7), OpenFlow 1.5 7.2.3).
#include "openflow/fields.h"

#include <array>
#include <cassert>
#include <deque>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

namespace ovnx::openflow {
namespace {

constexpr OxmCode oxm(uint8_t field, uint8_t len) {
  return OxmCode{kOxmClassOpenflowBasic, field, len, 0};
}
constexpr OxmCode nxm0(uint8_t field, uint8_t len) { return OxmCode{kOxmClassNxm0, field, len, 0}; }
constexpr OxmCode nxm1(uint8_t field, uint8_t len) { return OxmCode{kOxmClassNxm1, field, len, 0}; }
constexpr OxmCode eric(uint8_t field, uint8_t len) {
  return OxmCode{kOxmClassEricsson, field, len, 0};
}
constexpr OxmCode kNone{};

using F = FieldFormat;

struct Table {
  std::array<FieldInfo, kNumFields> info{};
  std::unordered_map<std::string_view, Field> by_name;
  std::unordered_map<uint64_t, Field> by_code;
  std::deque<std::string> strings;  // storage for generated names (stable addresses)

  std::string_view keep(std::string s) { return strings.emplace_back(std::move(s)); }

  void add(Field id, std::string_view name, std::string_view match_name, std::string_view nxm_name,
           uint16_t bits, bool maskable, bool writable, FieldFormat format, OxmCode wire,
           OxmCode alt = kNone) {
    info[static_cast<size_t>(id)] =
        FieldInfo{id, name, match_name, nxm_name, bits, maskable, writable, format, wire, alt};
  }

  static uint64_t code_key(uint16_t cls, uint8_t field, uint32_t experimenter) {
    return (uint64_t{cls} << 40) | (uint64_t{field} << 32) | experimenter;
  }

  Table() {
    add(Field::in_port, "in_port", "in_port", "NXM_OF_IN_PORT", 16, false, true, F::kPort,
        nxm0(0, 2), oxm(0, 4));
    add(Field::eth_src, "eth_src", "dl_src", "NXM_OF_ETH_SRC", 48, true, true, F::kEthernet,
        oxm(4, 6), nxm0(2, 6));
    add(Field::eth_dst, "eth_dst", "dl_dst", "NXM_OF_ETH_DST", 48, true, true, F::kEthernet,
        oxm(3, 6), nxm0(1, 6));
    add(Field::eth_type, "eth_type", "dl_type", "NXM_OF_ETH_TYPE", 16, false, false, F::kHex,
        oxm(5, 2), nxm0(3, 2));
    add(Field::vlan_tci, "vlan_tci", "vlan_tci", "NXM_OF_VLAN_TCI", 16, true, true, F::kHex,
        nxm0(4, 2));
    add(Field::vlan_vid, "vlan_vid", "vlan_vid", "OXM_OF_VLAN_VID", 13, true, true, F::kDecimal,
        oxm(6, 2));
    add(Field::vlan_pcp, "vlan_pcp", "dl_vlan_pcp", "OXM_OF_VLAN_PCP", 3, false, true,
        F::kDecimal, oxm(7, 1));
    add(Field::ip_src, "ip_src", "nw_src", "NXM_OF_IP_SRC", 32, true, true, F::kIpv4, oxm(11, 4),
        nxm0(7, 4));
    add(Field::ip_dst, "ip_dst", "nw_dst", "NXM_OF_IP_DST", 32, true, true, F::kIpv4, oxm(12, 4),
        nxm0(8, 4));
    add(Field::ipv6_src, "ipv6_src", "ipv6_src", "NXM_NX_IPV6_SRC", 128, true, true, F::kIpv6,
        oxm(26, 16), nxm1(19, 16));
    add(Field::ipv6_dst, "ipv6_dst", "ipv6_dst", "NXM_NX_IPV6_DST", 128, true, true, F::kIpv6,
        oxm(27, 16), nxm1(20, 16));
    add(Field::ipv6_label, "ipv6_label", "ipv6_label", "NXM_NX_IPV6_LABEL", 20, true, true,
        F::kHex, oxm(28, 4), nxm1(27, 4));
    add(Field::nw_proto, "nw_proto", "nw_proto", "NXM_OF_IP_PROTO", 8, false, false, F::kDecimal,
        oxm(10, 1), nxm0(6, 1));
    add(Field::nw_tos, "nw_tos", "nw_tos", "NXM_OF_IP_TOS", 8, false, true, F::kDecimal,
        nxm0(5, 1));
    add(Field::ip_dscp, "ip_dscp", "ip_dscp", "OXM_OF_IP_DSCP", 6, false, true, F::kDecimal,
        oxm(8, 1));
    add(Field::nw_ecn, "nw_ecn", "nw_ecn", "NXM_NX_IP_ECN", 2, false, true, F::kDecimal,
        oxm(9, 1), nxm1(28, 1));
    add(Field::nw_ttl, "nw_ttl", "nw_ttl", "NXM_NX_IP_TTL", 8, false, true, F::kDecimal,
        nxm1(29, 1));
    add(Field::nw_frag, "ip_frag", "nw_frag", "NXM_NX_IP_FRAG", 2, true, false, F::kFrag,
        nxm1(26, 1));
    add(Field::arp_op, "arp_op", "arp_op", "NXM_OF_ARP_OP", 16, false, true, F::kDecimal,
        oxm(21, 2), nxm0(15, 2));
    add(Field::arp_spa, "arp_spa", "arp_spa", "NXM_OF_ARP_SPA", 32, true, true, F::kIpv4,
        oxm(22, 4), nxm0(16, 4));
    add(Field::arp_tpa, "arp_tpa", "arp_tpa", "NXM_OF_ARP_TPA", 32, true, true, F::kIpv4,
        oxm(23, 4), nxm0(17, 4));
    add(Field::arp_sha, "arp_sha", "arp_sha", "NXM_NX_ARP_SHA", 48, true, true, F::kEthernet,
        oxm(24, 6), nxm1(17, 6));
    add(Field::arp_tha, "arp_tha", "arp_tha", "NXM_NX_ARP_THA", 48, true, true, F::kEthernet,
        oxm(25, 6), nxm1(18, 6));
    add(Field::tcp_src, "tcp_src", "tp_src", "NXM_OF_TCP_SRC", 16, true, true, F::kDecimal,
        oxm(13, 2), nxm0(9, 2));
    add(Field::tcp_dst, "tcp_dst", "tp_dst", "NXM_OF_TCP_DST", 16, true, true, F::kDecimal,
        oxm(14, 2), nxm0(10, 2));
    add(Field::udp_src, "udp_src", "tp_src", "NXM_OF_UDP_SRC", 16, true, true, F::kDecimal,
        oxm(15, 2), nxm0(11, 2));
    add(Field::udp_dst, "udp_dst", "tp_dst", "NXM_OF_UDP_DST", 16, true, true, F::kDecimal,
        oxm(16, 2), nxm0(12, 2));
    add(Field::sctp_src, "sctp_src", "tp_src", "OXM_OF_SCTP_SRC", 16, true, true, F::kDecimal,
        oxm(17, 2));
    add(Field::sctp_dst, "sctp_dst", "tp_dst", "OXM_OF_SCTP_DST", 16, true, true, F::kDecimal,
        oxm(18, 2));
    add(Field::tcp_flags, "tcp_flags", "tcp_flags", "NXM_NX_TCP_FLAGS", 12, true, false,
        F::kTcpFlags, oxm(42, 2), nxm1(34, 2));
    add(Field::icmp_type, "icmp_type", "icmp_type", "NXM_OF_ICMP_TYPE", 8, false, true,
        F::kDecimal, oxm(19, 1), nxm0(13, 1));
    add(Field::icmp_code, "icmp_code", "icmp_code", "NXM_OF_ICMP_CODE", 8, false, true,
        F::kDecimal, oxm(20, 1), nxm0(14, 1));
    add(Field::icmpv6_type, "icmpv6_type", "icmp_type", "NXM_NX_ICMPV6_TYPE", 8, false, true,
        F::kDecimal, oxm(29, 1), nxm1(21, 1));
    add(Field::icmpv6_code, "icmpv6_code", "icmp_code", "NXM_NX_ICMPV6_CODE", 8, false, true,
        F::kDecimal, oxm(30, 1), nxm1(22, 1));
    add(Field::nd_target, "nd_target", "nd_target", "NXM_NX_ND_TARGET", 128, true, true,
        F::kIpv6, oxm(31, 16), nxm1(23, 16));
    add(Field::nd_sll, "nd_sll", "nd_sll", "NXM_NX_ND_SLL", 48, true, true, F::kEthernet,
        oxm(32, 6), nxm1(24, 6));
    add(Field::nd_tll, "nd_tll", "nd_tll", "NXM_NX_ND_TLL", 48, true, true, F::kEthernet,
        oxm(33, 6), nxm1(25, 6));
    add(Field::nd_reserved, "nd_reserved", "nd_reserved", "ERICOXM_OF_ICMPV6_ND_RESERVED", 32,
        false, true, F::kDecimal, eric(1, 4));
    add(Field::nd_options_type, "nd_options_type", "nd_options_type",
        "ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE", 8, false, true, F::kDecimal, eric(2, 1));
    add(Field::metadata, "metadata", "metadata", "OXM_OF_METADATA", 64, true, true, F::kHex,
        oxm(2, 8));
    for (int i = 0; i < kNumRegs; i++) {
      std::string_view n = keep(fmt::format("reg{}", i));
      add(reg(i), n, n, keep(fmt::format("NXM_NX_REG{}", i)), 32, true, true, F::kHex,
          nxm1(static_cast<uint8_t>(i), 4));
    }
    for (int i = 0; i < kNumXregs; i++) {
      std::string_view n = keep(fmt::format("xreg{}", i));
      add(xreg(i), n, n, keep(fmt::format("OXM_OF_PKT_REG{}", i)), 64, true, true, F::kHex,
          OxmCode{kOxmClassPacketRegs, static_cast<uint8_t>(i), 8, 0});
    }
    for (int i = 0; i < kNumXxregs; i++) {
      std::string_view n = keep(fmt::format("xxreg{}", i));
      add(xxreg(i), n, n, keep(fmt::format("NXM_NX_XXREG{}", i)), 128, true, true, F::kHex,
          nxm1(static_cast<uint8_t>(111 + i), 16));
    }
    add(Field::tun_id, "tun_id", "tun_id", "NXM_NX_TUN_ID", 64, true, true, F::kHex, oxm(38, 8),
        nxm1(16, 8));
    add(Field::tun_src, "tun_src", "tun_src", "NXM_NX_TUN_IPV4_SRC", 32, true, true, F::kIpv4,
        nxm1(31, 4));
    add(Field::tun_dst, "tun_dst", "tun_dst", "NXM_NX_TUN_IPV4_DST", 32, true, true, F::kIpv4,
        nxm1(32, 4));
    add(Field::tun_ipv6_src, "tun_ipv6_src", "tun_ipv6_src", "NXM_NX_TUN_IPV6_SRC", 128, true,
        true, F::kIpv6, nxm1(109, 16));
    add(Field::tun_ipv6_dst, "tun_ipv6_dst", "tun_ipv6_dst", "NXM_NX_TUN_IPV6_DST", 128, true,
        true, F::kIpv6, nxm1(110, 16));
    for (int i = 0; i < kNumTunMetadata; i++) {
      std::string_view n = keep(fmt::format("tun_metadata{}", i));
      add(tun_metadata(i), n, n, keep(fmt::format("NXM_NX_TUN_METADATA{}", i)), 128, true, true,
          F::kHex, nxm1(static_cast<uint8_t>(40 + i), 124));
    }
    add(Field::ct_state, "ct_state", "ct_state", "NXM_NX_CT_STATE", 32, true, false, F::kCtState,
        nxm1(105, 4));
    add(Field::ct_zone, "ct_zone", "ct_zone", "NXM_NX_CT_ZONE", 16, false, false, F::kDecimal,
        nxm1(106, 2));
    add(Field::ct_mark, "ct_mark", "ct_mark", "NXM_NX_CT_MARK", 32, true, true, F::kHex,
        nxm1(107, 4));
    add(Field::ct_label, "ct_label", "ct_label", "NXM_NX_CT_LABEL", 128, true, true, F::kHex,
        nxm1(108, 16));
    add(Field::ct_nw_src, "ct_nw_src", "ct_nw_src", "NXM_NX_CT_NW_SRC", 32, true, false, F::kIpv4,
        nxm1(120, 4));
    add(Field::ct_nw_dst, "ct_nw_dst", "ct_nw_dst", "NXM_NX_CT_NW_DST", 32, true, false, F::kIpv4,
        nxm1(121, 4));
    add(Field::ct_ipv6_src, "ct_ipv6_src", "ct_ipv6_src", "NXM_NX_CT_IPV6_SRC", 128, true, false,
        F::kIpv6, nxm1(122, 16));
    add(Field::ct_ipv6_dst, "ct_ipv6_dst", "ct_ipv6_dst", "NXM_NX_CT_IPV6_DST", 128, true, false,
        F::kIpv6, nxm1(123, 16));
    add(Field::ct_nw_proto, "ct_nw_proto", "ct_nw_proto", "NXM_NX_CT_NW_PROTO", 8, false, false,
        F::kDecimal, nxm1(119, 1));
    add(Field::ct_tp_src, "ct_tp_src", "ct_tp_src", "NXM_NX_CT_TP_SRC", 16, true, false,
        F::kDecimal, nxm1(124, 2));
    add(Field::ct_tp_dst, "ct_tp_dst", "ct_tp_dst", "NXM_NX_CT_TP_DST", 16, true, false,
        F::kDecimal, nxm1(125, 2));
    add(Field::conj_id, "conj_id", "conj_id", "NXM_NX_CONJ_ID", 32, false, false, F::kDecimal,
        nxm1(37, 4));
    add(Field::pkt_mark, "pkt_mark", "pkt_mark", "NXM_NX_PKT_MARK", 32, true, true, F::kHex,
        nxm1(33, 4));
    add(Field::recirc_id, "recirc_id", "recirc_id", "NXM_NX_RECIRC_ID", 32, false, false, F::kHex,
        nxm1(36, 4));
    add(Field::dp_hash, "dp_hash", "dp_hash", "NXM_NX_DP_HASH", 32, true, false, F::kHex,
        nxm1(35, 4));

    for (const FieldInfo& fi : info) {
      assert(fi.wire.valid());
      by_name.emplace(fi.name, fi.id);
      by_name.emplace(fi.nxm_name, fi.id);
      // Match names shared by several fields (tp_src, icmp_type) stay ambiguous: not indexed.
      if (fi.match_name != "tp_src" && fi.match_name != "tp_dst" &&
          fi.id != Field::icmpv6_type && fi.id != Field::icmpv6_code) {
        by_name.emplace(fi.match_name, fi.id);
      }
      by_code.emplace(code_key(fi.wire.oxm_class, fi.wire.field, fi.wire.experimenter), fi.id);
      if (fi.alt.valid()) {
        by_code.emplace(code_key(fi.alt.oxm_class, fi.alt.field, fi.alt.experimenter), fi.id);
      }
    }
    for (auto [alias, id] : std::initializer_list<std::pair<std::string_view, Field>>{
             {"tun_ipv4_src", Field::tun_src},
             {"tun_ipv4_dst", Field::tun_dst},
             {"tunnel_id", Field::tun_id},
             {"ip_proto", Field::nw_proto},
             {"ip_ecn", Field::nw_ecn},
             {"nw_frag", Field::nw_frag},
             {"ip_ttl", Field::nw_ttl},
             {"OXM_OF_IN_PORT", Field::in_port},
             {"OXM_OF_ETH_SRC", Field::eth_src},
             {"OXM_OF_ETH_DST", Field::eth_dst},
             {"OXM_OF_ETH_TYPE", Field::eth_type},
             {"OXM_OF_IPV4_SRC", Field::ip_src},
             {"OXM_OF_IPV4_DST", Field::ip_dst},
             {"OXM_OF_IP_PROTO", Field::nw_proto},
             {"OXM_OF_TUNNEL_ID", Field::tun_id},
         }) {
      by_name.emplace(alias, id);
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

const FieldInfo& field_info(Field f) {
  auto i = static_cast<size_t>(f);
  assert(i < kNumFields);
  return table().info[i];
}

std::optional<Field> field_from_name(std::string_view name) {
  const auto& m = table().by_name;
  auto it = m.find(name);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::optional<Field> field_from_code(uint16_t oxm_class, uint8_t field, uint32_t experimenter) {
  const auto& m = table().by_code;
  auto it = m.find(Table::code_key(oxm_class, field, experimenter));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::optional<AliasStorage> canonical_storage(Field f) {
  if (!is_alias(f)) return std::nullopt;
  switch (f) {
    case Field::ip_dscp:
      return AliasStorage{Field::nw_tos, 2};
    case Field::vlan_vid:
      return AliasStorage{Field::vlan_tci, 0};
    case Field::vlan_pcp:
      return AliasStorage{Field::vlan_tci, 13};
    default:
      break;
  }
  if (is_xreg(f)) {
    return AliasStorage{reg(2 * (static_cast<int>(f) - static_cast<int>(Field::xreg0))), 0};
  }
  if (is_xxreg(f)) {
    return AliasStorage{reg(4 * (static_cast<int>(f) - static_cast<int>(Field::xxreg0))), 0};
  }
  return std::nullopt;
}

std::string format_subfield(const Subfield& sf) {
  std::string_view name = field_info(sf.field).nxm_name;
  if (sf.is_whole()) return fmt::format("{}[]", name);
  if (sf.n_bits == 1) return fmt::format("{}[{}]", name, sf.ofs);
  return fmt::format("{}[{}..{}]", name, sf.ofs, sf.ofs + sf.n_bits - 1);
}

uint32_t port_to_ofp11(uint16_t port) {
  return port < kPortMax ? port : uint32_t{port} + 0xffff0000u;
}

Result<uint16_t> port_from_ofp11(uint32_t port) {
  if (port < kPortMax) return static_cast<uint16_t>(port);
  if (port >= 0xffffff00u) return static_cast<uint16_t>(port - 0xffff0000u);
  return make_error("openflow decode error",
                    fmt::format("port {:#x} is outside Open vSwitch's range (below 0xff00 or "
                                "reserved)", port));
}

std::string format_port(uint16_t port) {
  switch (port) {
    case kPortInPort: return "IN_PORT";
    case kPortTable: return "TABLE";
    case kPortNormal: return "NORMAL";
    case kPortFlood: return "FLOOD";
    case kPortAll: return "ALL";
    case kPortController: return "CONTROLLER";
    case kPortLocal: return "LOCAL";
    case kPortNone: return "ANY";
    default: return std::to_string(port);
  }
}

}  // namespace ovnx::openflow
