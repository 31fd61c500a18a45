// The symbols of OVN 23.03's logical-flow language (ovn-sb(5) "Symbols"), checked against the
// symbol names and expansions the real ovn-controller 23.03 accepts.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "base/ovn_conventions.h"
#include "logical/symtab.h"

namespace ovnx::logical {
namespace {

// Maskable, writable: the common case for header fields.
constexpr bool kMask = true;
constexpr bool kNoMask = false;
constexpr bool kRW = true;
constexpr bool kRO = false;

Status add_ovn_symbols(SymbolTable& t) {
  // Logical ports: strings compared with port names, carried as keys in reg14/reg15.
  OVNX_RETURN_IF_ERROR(t.add_string_field("inport", "reg14", 32));
  OVNX_RETURN_IF_ERROR(t.add_string_field("outport", "reg15", 32));

  // Registers: xxreg0/xxreg1 are whole fields; xregs and regs overlay them (reg0 is the most
  // significant word of xxreg0), and reg8/reg9 overlay xreg4.
  for (int xx = 0; xx < ovn::kNumLogicalRegs / 4; xx++) {
    std::string name = fmt::format("xxreg{}", xx);
    OVNX_RETURN_IF_ERROR(t.add_field(name, name, 128, kMask, kRW));
  }
  for (int x = 0; x < ovn::kNumLogicalRegs / 2; x++) {
    std::string name = fmt::format("xreg{}", x);
    if (x / 2 < ovn::kNumLogicalRegs / 4) {
      int lsb = 64 * (1 - x % 2);
      OVNX_RETURN_IF_ERROR(
          t.add_subfield(name, fmt::format("xxreg{}[{}..{}]", x / 2, lsb, lsb + 63)));
    } else {
      OVNX_RETURN_IF_ERROR(t.add_field(name, name, 64, kMask, kRW));
    }
  }
  for (int r = 0; r < ovn::kNumLogicalRegs; r++) {
    std::string name = fmt::format("reg{}", r);
    if (r / 4 < ovn::kNumLogicalRegs / 4) {
      int lsb = 32 * (3 - r % 4);
      OVNX_RETURN_IF_ERROR(
          t.add_subfield(name, fmt::format("xxreg{}[{}..{}]", r / 4, lsb, lsb + 31)));
    } else {
      int lsb = 32 * (1 - r % 2);
      OVNX_RETURN_IF_ERROR(
          t.add_subfield(name, fmt::format("xreg{}[{}..{}]", r / 2, lsb, lsb + 31)));
    }
  }

  // Logical flags in reg10.
  OVNX_RETURN_IF_ERROR(t.add_field("flags", fmt::format("reg{}", ovn::kRegLogFlags), 32, kMask, kRW));
  struct {
    const char* name;
    int bit;
  } flags[] = {
      {"flags.loopback", ovn::kFlagAllowLoopbackBit},
      {"flags.force_snat_for_dnat", ovn::kFlagForceSnatForDnatBit},
      {"flags.force_snat_for_lb", ovn::kFlagForceSnatForLbBit},
      {"flags.skip_snat_for_lb", ovn::kFlagSkipSnatForLbBit},
      {"flags.use_snat_zone", ovn::kFlagUseSnatZoneBit},
  };
  for (const auto& f : flags) {
    OVNX_RETURN_IF_ERROR(t.add_subfield(f.name, fmt::format("flags[{}]", f.bit)));
  }

  // Connection tracking. ct_mark and ct_label are written only by ct_commit { ... }.
  OVNX_RETURN_IF_ERROR(t.add_field("ct_mark", "ct_mark", 32, kMask, kRW));
  OVNX_RETURN_IF_ERROR(t.set_write_scope("ct_mark", WriteScope::kCtCommit));
  OVNX_RETURN_IF_ERROR(t.add_field("ct_label", "ct_label", 128, kMask, kRW));
  OVNX_RETURN_IF_ERROR(t.set_write_scope("ct_label", WriteScope::kCtCommit));
  struct {
    const char* name;
    const char* range;
  } ct_bits[] = {
      {"ct_mark.blocked", "ct_mark[0]"},
      {"ct_mark.natted", "ct_mark[1]"},
      {"ct_mark.skip_snat", "ct_mark[2]"},
      {"ct_mark.force_snat", "ct_mark[3]"},
      {"ct_mark.ecmp_reply_port", "ct_mark[16..31]"},
      {"ct_label.blocked", "ct_label[0]"},
      {"ct_label.natted", "ct_label[1]"},
      {"ct_label.skip_snat", "ct_label[2]"},
      {"ct_label.force_snat", "ct_label[3]"},
      {"ct_label.ecmp_reply_eth", "ct_label[32..79]"},
      {"ct_label.ecmp_reply_port", "ct_label[80..95]"},
      {"ct_label.label", "ct_label[96..127]"},
  };
  for (const auto& b : ct_bits) {
    OVNX_RETURN_IF_ERROR(t.add_subfield(b.name, b.range, "", WriteScope::kCtCommit));
  }
  OVNX_RETURN_IF_ERROR(t.add_field("ct_state", "ct_state", 32, kMask, kRO));
  struct {
    const char* name;
    int bit;
  } ct_states[] = {{"ct.new", 0}, {"ct.est", 1}, {"ct.rel", 2}, {"ct.rpl", 3},
                   {"ct.inv", 4}, {"ct.trk", 5}, {"ct.snat", 6}, {"ct.dnat", 7}};
  for (const auto& s : ct_states) {
    // Every state but "tracked" is meaningful only after connection tracking.
    OVNX_RETURN_IF_ERROR(t.add_subfield(s.name, fmt::format("ct_state[{}]", s.bit),
                                        s.bit == 5 ? "" : "ct.trk"));
  }

  // Ethernet and VLAN.
  OVNX_RETURN_IF_ERROR(t.add_field("eth.src", "eth_src", 48, kMask, kRW));
  OVNX_RETURN_IF_ERROR(t.add_field("eth.dst", "eth_dst", 48, kMask, kRW));
  OVNX_RETURN_IF_ERROR(t.add_field("eth.type", "eth_type", 16, kNoMask, kRO, "", true));
  OVNX_RETURN_IF_ERROR(t.add_predicate("eth.bcast", "eth.dst == ff:ff:ff:ff:ff:ff"));
  OVNX_RETURN_IF_ERROR(t.add_subfield("eth.mcast", "eth.dst[40]"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("eth.mcastv6", "eth.dst[32..47] == 0x3333"));
  OVNX_RETURN_IF_ERROR(t.add_field("vlan.tci", "vlan_tci", 16, kMask, kRW));
  OVNX_RETURN_IF_ERROR(t.add_predicate("vlan.present", "vlan.tci[12]"));
  OVNX_RETURN_IF_ERROR(t.add_subfield("vlan.pcp", "vlan.tci[13..15]", "vlan.present"));
  OVNX_RETURN_IF_ERROR(t.add_subfield("vlan.vid", "vlan.tci[0..11]", "vlan.present"));

  // IP.
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip4", "eth.type == 0x800"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip6", "eth.type == 0x86dd"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip", "ip4 || ip6"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip.proto", "nw_proto", 8, kNoMask, kRO, "ip", true));
  OVNX_RETURN_IF_ERROR(t.add_field("ip.dscp", "ip_dscp", 6, kNoMask, kRW, "ip"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip.ecn", "nw_ecn", 2, kNoMask, kRW, "ip"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip.ttl", "nw_ttl", 8, kNoMask, kRW, "ip"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip.frag", "ip_frag", 2, kMask, kRO, "ip"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip.is_frag", "ip.frag[0]"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip.later_frag", "ip.frag[1]"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip.first_frag", "ip.is_frag && !ip.later_frag"));

  OVNX_RETURN_IF_ERROR(t.add_field("ip4.src", "ip_src", 32, kMask, kRW, "ip4"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip4.dst", "ip_dst", 32, kMask, kRW, "ip4"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip4.src_mcast", "ip4.src[28..31] == 0xe"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip4.mcast", "eth.mcast && ip4.dst[28..31] == 0xe"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("icmp4", "ip4 && ip.proto == 1"));
  OVNX_RETURN_IF_ERROR(t.add_field("icmp4.type", "icmp_type", 8, kNoMask, kRW, "icmp4"));
  OVNX_RETURN_IF_ERROR(t.add_field("icmp4.code", "icmp_code", 8, kNoMask, kRW, "icmp4"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("igmp", "ip4 && ip.proto == 2"));

  OVNX_RETURN_IF_ERROR(t.add_field("ip6.src", "ipv6_src", 128, kMask, kRW, "ip6"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip6.dst", "ipv6_dst", 128, kMask, kRW, "ip6"));
  OVNX_RETURN_IF_ERROR(t.add_field("ip6.label", "ipv6_label", 20, kMask, kRW, "ip6"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip6.mcast_rsvd",
                                       "ip6.dst[116..127] == 0xff0 && ip6.dst[0..111] == 0x0"));
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("ip6.mcast_all_nodes", "ip6.dst == ff01::1 || ip6.dst == ff02::1"));
  OVNX_RETURN_IF_ERROR(t.add_predicate(
      "ip6.mcast_all_rtrs", "ip6.dst == ff01::2 || ip6.dst == ff02::2 || ip6.dst == ff05::2"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip6.mcast_sol_node", "ip6.dst == ff02::1:ff00:0000/104"));
  OVNX_RETURN_IF_ERROR(t.add_predicate(
      "ip6.mcast_flood",
      "eth.mcastv6 && (ip6.mcast_rsvd || ip6.mcast_all_nodes || ip6.mcast_all_rtrs || "
      "ip6.mcast_sol_node)"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("ip6.mcast", "eth.mcastv6 && ip6.dst[120..127] == 0xff"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("icmp6", "ip6 && ip.proto == 58"));
  OVNX_RETURN_IF_ERROR(
      t.add_field("icmp6.type", "icmpv6_type", 8, kNoMask, kRW, "icmp6", true));
  OVNX_RETURN_IF_ERROR(
      t.add_field("icmp6.code", "icmpv6_code", 8, kNoMask, kRW, "icmp6", true));
  OVNX_RETURN_IF_ERROR(t.add_predicate("icmp", "icmp4 || icmp6"));

  // ARP and RARP share the OpenFlow arp_* fields.
  OVNX_RETURN_IF_ERROR(t.add_predicate("arp", "eth.type == 0x806"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("rarp", "eth.type == 0x8035"));
  for (const char* proto : {"arp", "rarp"}) {
    OVNX_RETURN_IF_ERROR(t.add_field(fmt::format("{}.op", proto), "arp_op", 16, kNoMask, kRW, proto));
    OVNX_RETURN_IF_ERROR(t.add_field(fmt::format("{}.spa", proto), "arp_spa", 32, kMask, kRW, proto));
    OVNX_RETURN_IF_ERROR(t.add_field(fmt::format("{}.sha", proto), "arp_sha", 48, kMask, kRW, proto));
    OVNX_RETURN_IF_ERROR(t.add_field(fmt::format("{}.tpa", proto), "arp_tpa", 32, kMask, kRW, proto));
    OVNX_RETURN_IF_ERROR(t.add_field(fmt::format("{}.tha", proto), "arp_tha", 48, kMask, kRW, proto));
  }

  // Neighbor discovery and MLD.
  OVNX_RETURN_IF_ERROR(t.add_predicate(
      "nd", "icmp6.type == {135, 136} && icmp6.code == 0 && ip.ttl == 255"));
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("nd_ns", "icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255"));
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("nd_na", "icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255"));
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("nd_rs", "icmp6.type == 133 && icmp6.code == 0 && ip.ttl == 255"));
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("nd_ra", "icmp6.type == 134 && icmp6.code == 0 && ip.ttl == 255"));
  OVNX_RETURN_IF_ERROR(t.add_field("nd.target", "nd_target", 128, kMask, kRW, "nd"));
  OVNX_RETURN_IF_ERROR(t.add_field("nd.sll", "nd_sll", 48, kMask, kRW, "nd_ns"));
  OVNX_RETURN_IF_ERROR(t.add_field("nd.tll", "nd_tll", 48, kMask, kRW, "nd_na"));
  // 23.03 does not require eth.mcastv6 here (later versions do).
  OVNX_RETURN_IF_ERROR(
      t.add_predicate("mldv1", "ip6.src == fe80::/10 && icmp6.type == {130, 131, 132}"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("mldv2", "ip6.dst == ff02::16 && icmp6.type == 143"));

  // Transport.
  OVNX_RETURN_IF_ERROR(t.add_predicate("tcp", "ip.proto == 6"));
  OVNX_RETURN_IF_ERROR(t.add_field("tcp.src", "tcp_src", 16, kMask, kRW, "tcp"));
  OVNX_RETURN_IF_ERROR(t.add_field("tcp.dst", "tcp_dst", 16, kMask, kRW, "tcp"));
  OVNX_RETURN_IF_ERROR(t.add_field("tcp.flags", "tcp_flags", 12, kMask, kRO, "tcp"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("udp", "ip.proto == 17"));
  OVNX_RETURN_IF_ERROR(t.add_field("udp.src", "udp_src", 16, kMask, kRW, "udp"));
  OVNX_RETURN_IF_ERROR(t.add_field("udp.dst", "udp_dst", 16, kMask, kRW, "udp"));
  OVNX_RETURN_IF_ERROR(t.add_predicate("sctp", "ip.proto == 132"));
  OVNX_RETURN_IF_ERROR(t.add_field("sctp.src", "sctp_src", 16, kMask, kRW, "sctp"));
  OVNX_RETURN_IF_ERROR(t.add_field("sctp.dst", "sctp_dst", 16, kMask, kRW, "sctp"));

  OVNX_RETURN_IF_ERROR(t.add_field("pkt.mark", "pkt_mark", 32, kMask, kRW));

  // Headers OpenFlow cannot set; ovn-controller writes them (icmp4 { icmp4.frag_mtu = 1500; }).
  OVNX_RETURN_IF_ERROR(t.add_ovn_field("icmp4.frag_mtu", 16, "icmp4"));
  OVNX_RETURN_IF_ERROR(t.add_ovn_field("icmp6.frag_mtu", 32, "icmp6"));
  return t.finalize();
}

}  // namespace

const SymbolTable& ovn_symbol_table() {
  static const SymbolTable* table = [] {
    auto* t = new SymbolTable();
    Status s = add_ovn_symbols(*t);
    if (!s.ok()) {
      // Our own definitions are wrong: a programming error, not an input error.
      std::fprintf(stderr, "ovnx: bad built-in symbol table: %s\n", s.error().to_string().c_str());
      std::abort();
    }
    return t;
  }();
  return *table;
}

}  // namespace ovnx::logical
