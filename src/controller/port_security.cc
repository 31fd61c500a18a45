#include "controller/port_security.h"

#include <sstream>
#include <optional>

#include "base/log.h"
#include "controller/of_util.h"
#include "packets/addresses.h"

OVNX_LOG_MODULE(port_security);

namespace ovnx::controller {

using namespace of;  // NOLINT: flow-building vocabulary
using packets::Ipv4Prefix;
using packets::Ipv6Addr;
using packets::Ipv6Prefix;
using packets::MacAddr;

namespace {

constexpr int kPortSecBit = ovn::kFlagCheckPortSecBit;
constexpr uint16_t kEthIp = 0x0800, kEthArp = 0x0806, kEthIpv6 = 0x86dd;
constexpr uint8_t kProtoUdp = 17, kProtoIcmp6 = 58;
// OVN 23.03 writes the ND hop-limit check of table 74 as 225 (not 255).
constexpr uint8_t kNdQuirkTtl = 225;

struct PortSecEntry {
  MacAddr mac;
  std::vector<Ipv4Prefix> v4;
  std::vector<Ipv6Prefix> v6;
};

// "MAC [IP[/LEN]...]"; nullopt (logged) when malformed.
std::optional<PortSecEntry> parse_entry(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  if (!(in >> word)) return std::nullopt;
  auto mac = packets::parse_mac(word);
  if (!mac.ok()) return std::nullopt;
  PortSecEntry e{*mac, {}, {}};
  while (in >> word) {
    if (word.find(':') != std::string::npos) {
      auto p = packets::parse_ipv6_prefix(word);
      if (!p.ok()) return std::nullopt;
      e.v6.push_back(*p);
    } else {
      auto p = packets::parse_ipv4_prefix(word);
      if (!p.ok()) return std::nullopt;
      e.v4.push_back(*p);
    }
  }
  return e;
}

U128 mac_value(const MacAddr& m) { return U128(m.to_u64()); }
U128 v6_value(const Ipv6Addr& a) { return U128::from_be_bytes(a.bytes); }

void set_v4(Match& m, Field f, const Ipv4Prefix& p) {
  m.set_masked(f, U128(p.network().value), U128(p.mask().value));
}
void set_v6(Match& m, Field f, const Ipv6Prefix& p) {
  m.set_masked(f, v6_value(p.network()), v6_value(p.mask()));
}

struct Ctx {
  std::vector<Flow>& out;
  uint64_t cookie;
  uint32_t dp_key;
  uint32_t port_key;

  // A flow of TABLE matching the port (inport for 73/74, outport for 75).
  Flow flow(uint8_t table, uint16_t prio) const {
    Flow f = make_flow(table, prio, cookie);
    int reg = table == ovn::kTableChkOutPortSec ? ovn::kRegLogOutport : ovn::kRegLogInport;
    match_reg(f.match, reg, port_key);
    match_metadata(f.match, dp_key);
    return f;
  }
  void add(Flow f, Action a) const {
    f.actions.push_back(std::move(a));
    out.push_back(std::move(f));
  }
  void pass(Flow f) const { add(std::move(f), set_flag(kPortSecBit, false)); }
  void fail(Flow f) const { add(std::move(f), set_flag(kPortSecBit, true)); }
  void to_nd(Flow f) const { add(std::move(f), resubmit(ovn::kTableChkInPortSecNd)); }
};

void icmp6(Match& m, uint8_t type) {
  m.set(Field::eth_type, U128(kEthIpv6));
  m.set(Field::nw_proto, U128(kProtoIcmp6));
  m.set(Field::icmpv6_type, U128(type));
}

void add_in_flows(const Ctx& c, const PortSecEntry& e) {
  if (e.v4.empty() && e.v6.empty()) {
    Flow f = c.flow(ovn::kTableChkInPortSec, 90);
    f.match.set(Field::eth_src, mac_value(e.mac));
    c.to_nd(std::move(f));
  }
  for (const Ipv4Prefix& p : e.v4) {
    Flow f = c.flow(ovn::kTableChkInPortSec, 90);
    f.match.set(Field::eth_type, U128(kEthIp));
    f.match.set(Field::eth_src, mac_value(e.mac));
    set_v4(f.match, Field::ip_src, p);
    c.pass(std::move(f));
  }
  if (!e.v4.empty()) {  // DHCP discovery before the port has an address
    Flow f = c.flow(ovn::kTableChkInPortSec, 90);
    f.match.set(Field::eth_type, U128(kEthIp));
    f.match.set(Field::nw_proto, U128(kProtoUdp));
    f.match.set(Field::eth_src, mac_value(e.mac));
    f.match.set(Field::ip_src, U128(0));
    f.match.set(Field::ip_dst, U128(0xffffffffu));
    f.match.set(Field::udp_src, U128(68));
    f.match.set(Field::udp_dst, U128(67));
    c.pass(std::move(f));
  }
  if (!e.v6.empty()) {
    std::vector<Ipv6Prefix> srcs = e.v6;
    srcs.push_back(Ipv6Prefix{Ipv6Addr::link_local_from_mac(e.mac), 128});
    for (const Ipv6Prefix& p : srcs) {
      Flow f = c.flow(ovn::kTableChkInPortSec, 90);
      f.match.set(Field::eth_type, U128(kEthIpv6));
      f.match.set(Field::eth_src, mac_value(e.mac));
      set_v6(f.match, Field::ipv6_src, p);
      c.to_nd(std::move(f));
    }
    // MLD reports and neighbour solicitations of duplicate address detection.
    for (uint8_t type : {131, 143, 135}) {
      Flow f = c.flow(ovn::kTableChkInPortSec, 90);
      icmp6(f.match, type);
      f.match.set(Field::icmpv6_code, U128(0));
      f.match.set(Field::eth_src, mac_value(e.mac));
      f.match.set(Field::ipv6_src, U128(0));
      Ipv6Prefix ff02;
      ff02.addr.bytes[0] = 0xff;
      ff02.addr.bytes[1] = 0x02;
      ff02.len = 16;
      set_v6(f.match, Field::ipv6_dst, ff02);
      if (type == 135) {
        c.to_nd(std::move(f));
      } else {
        c.pass(std::move(f));
      }
    }
  }
}

void add_nd_flows(const Ctx& c, const PortSecEntry& e) {
  // ARP: sender MAC (and address, when restricted) must be the port's.
  if (e.v4.empty()) {
    Flow f = c.flow(ovn::kTableChkInPortSecNd, 90);
    f.match.set(Field::eth_type, U128(kEthArp));
    f.match.set(Field::eth_src, mac_value(e.mac));
    f.match.set(Field::arp_sha, mac_value(e.mac));
    c.pass(std::move(f));
  }
  for (const Ipv4Prefix& p : e.v4) {
    Flow f = c.flow(ovn::kTableChkInPortSecNd, 90);
    f.match.set(Field::eth_type, U128(kEthArp));
    f.match.set(Field::eth_src, mac_value(e.mac));
    set_v4(f.match, Field::arp_spa, p);
    f.match.set(Field::arp_sha, mac_value(e.mac));
    c.pass(std::move(f));
  }
  // Neighbour solicitation: no or our source link-layer address.
  for (U128 sll : {U128(0), mac_value(e.mac)}) {
    Flow f = c.flow(ovn::kTableChkInPortSecNd, 90);
    icmp6(f.match, 135);
    f.match.set(Field::icmpv6_code, U128(0));
    f.match.set(Field::nw_ttl, U128(kNdQuirkTtl));
    f.match.set(Field::nd_sll, sll);
    c.pass(std::move(f));
  }
  // Neighbour advertisement: for the link-local address only when addresses are restricted.
  for (U128 tll : {U128(0), mac_value(e.mac)}) {
    Flow f = c.flow(ovn::kTableChkInPortSecNd, 90);
    icmp6(f.match, 136);
    f.match.set(Field::icmpv6_code, U128(0));
    f.match.set(Field::nw_ttl, U128(kNdQuirkTtl));
    if (!e.v6.empty()) {
      f.match.set(Field::nd_target, v6_value(Ipv6Addr::link_local_from_mac(e.mac)));
    }
    f.match.set(Field::nd_tll, tll);
    c.pass(std::move(f));
  }
  for (const Ipv6Prefix& p : e.v6) {
    for (U128 tll : {U128(0), mac_value(e.mac)}) {
      Flow f = c.flow(ovn::kTableChkInPortSecNd, 90);
      icmp6(f.match, 136);
      f.match.set(Field::icmpv6_code, U128(0));
      f.match.set(Field::eth_src, mac_value(e.mac));
      set_v6(f.match, Field::nd_target, p);
      f.match.set(Field::nd_tll, tll);
      c.pass(std::move(f));
    }
  }
}

void add_out_flows(const Ctx& c, const PortSecEntry& e) {
  if (!e.v4.empty()) {
    std::vector<Ipv4Prefix> dsts = e.v4;
    dsts.push_back(Ipv4Prefix{packets::Ipv4Addr{0xffffffffu}, 32});
    dsts.push_back(Ipv4Prefix{packets::Ipv4Addr{0xe0000000u}, 4});
    for (const Ipv4Prefix& p : dsts) {
      Flow f = c.flow(ovn::kTableChkOutPortSec, 95);
      f.match.set(Field::eth_type, U128(kEthIp));
      f.match.set(Field::eth_dst, mac_value(e.mac));
      set_v4(f.match, Field::ip_dst, p);
      c.pass(std::move(f));
    }
  }
  if (!e.v6.empty()) {
    std::vector<Ipv6Prefix> dsts = e.v6;
    dsts.push_back(Ipv6Prefix{Ipv6Addr::link_local_from_mac(e.mac), 128});
    Ipv6Prefix mcast;
    mcast.addr.bytes[0] = 0xff;
    mcast.len = 8;
    dsts.push_back(mcast);
    for (const Ipv6Prefix& p : dsts) {
      Flow f = c.flow(ovn::kTableChkOutPortSec, 95);
      f.match.set(Field::eth_type, U128(kEthIpv6));
      f.match.set(Field::eth_dst, mac_value(e.mac));
      set_v6(f.match, Field::ipv6_dst, p);
      c.pass(std::move(f));
    }
  }
  if (!e.v4.empty() || !e.v6.empty()) {
    // With any address listed, other IPv4 and IPv6 destinations fail (both families, as
    // ovn-controller does even when only one is listed).
    for (uint16_t eth_type : {kEthIp, kEthIpv6}) {
      Flow f = c.flow(ovn::kTableChkOutPortSec, 90);
      f.match.set(Field::eth_type, U128(eth_type));
      f.match.set(Field::eth_dst, mac_value(e.mac));
      c.fail(std::move(f));
    }
  }
  Flow f = c.flow(ovn::kTableChkOutPortSec, 85);
  f.match.set(Field::eth_dst, mac_value(e.mac));
  c.pass(std::move(f));
}

}  // namespace

void add_port_security_flows(std::vector<Flow>& out, const sb::PortBinding& pb, uint32_t dp_key) {
  std::vector<PortSecEntry> entries;
  for (const std::string& text : pb.port_security()) {
    auto e = parse_entry(text);
    if (!e) {
      LOG_WARN("port {}: ignoring malformed port_security \"{}\"", pb.logical_port(), text);
      continue;
    }
    entries.push_back(std::move(*e));
  }
  if (entries.empty()) return;
  Ctx c{out, cookie_of(pb.uuid()), dp_key, static_cast<uint32_t>(pb.tunnel_key())};

  Flow arp = c.flow(ovn::kTableChkInPortSec, 95);
  arp.match.set(Field::eth_type, U128(kEthArp));
  c.to_nd(std::move(arp));
  for (const PortSecEntry& e : entries) add_in_flows(c, e);
  c.fail(c.flow(ovn::kTableChkInPortSec, 80));

  for (const PortSecEntry& e : entries) add_nd_flows(c, e);
  Flow arp_fail = c.flow(ovn::kTableChkInPortSecNd, 80);
  arp_fail.match.set(Field::eth_type, U128(kEthArp));
  c.fail(std::move(arp_fail));
  Flow na = c.flow(ovn::kTableChkInPortSecNd, 80);
  icmp6(na.match, 136);
  na.match.set(Field::nw_ttl, U128(255));
  c.fail(std::move(na));
  Flow ns = c.flow(ovn::kTableChkInPortSecNd, 80);
  icmp6(ns.match, 135);
  ns.match.set(Field::nw_ttl, U128(255));
  c.pass(std::move(ns));

  for (const PortSecEntry& e : entries) add_out_flows(c, e);
  c.fail(c.flow(ovn::kTableChkOutPortSec, 80));
}

}  // namespace ovnx::controller
