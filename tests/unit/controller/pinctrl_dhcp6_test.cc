// put_dhcpv6_opts: SOLICIT / REQUEST answered in the paused pipeline.
#include <gtest/gtest.h>

#include "packets/dhcp6.h"
#include "packets/dhcp_options.h"
#include "packets/ethernet.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "packets/udp.h"
#include "pinctrl_fake.h"

namespace ovnx::controller {
namespace {

using logical::ControllerOp;
using packets::Dhcp6MessageType;
using test::FakeContext;

const packets::MacAddr kClient = packets::parse_mac("0a:00:00:00:00:10").value();
const packets::MacAddr kServer = packets::parse_mac("00:00:00:00:ff:01").value();

// reg0[3] = put_dhcpv6_opts(ia_addr = fd00::10, server_id = 00:00:00:00:ff:01,
//                           dns_server = {fd00::1}).
packets::Bytes payload() {
  packets::Bytes p = test::result_header(openflow::Field::reg0, 3);
  for (auto [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"ia_addr", "fd00::10"},
                                                        {"server_id", "00:00:00:00:ff:01"},
                                                        {"dns_server", "{fd00::1}"}}) {
    const packets::DhcpOptionDef* def = packets::find_dhcp6_option(name);
    packets::Bytes v = packets::encode_dhcp_option_value(*def, text).value();
    p.insert(p.end(), {uint8_t(def->code >> 8), uint8_t(def->code), uint8_t(v.size() >> 8),
                       uint8_t(v.size())});
    p.insert(p.end(), v.begin(), v.end());
  }
  return p;
}

packets::Bytes request(Dhcp6MessageType type) {
  packets::Dhcp6Message m;
  m.type = type;
  m.xid = 0x123456;
  m.add(packets::kDhcp6OptClientId, packets::make_duid_ll(kClient));
  packets::Dhcp6IaNa ia;
  ia.iaid = 77;
  m.add(packets::kDhcp6OptIaNa, packets::build_dhcp6_ia_na(ia));
  packets::Ipv6Header ip;
  ip.src = packets::Ipv6Addr::link_local_from_mac(kClient);
  ip.dst = packets::parse_ipv6("ff02::1:2").value();
  ip.next_header = packets::kIpProtoUdp;
  packets::EthernetHeader eth{packets::parse_mac("33:33:00:01:00:02").value(), kClient,
                              std::nullopt, packets::kEthTypeIpv6};
  return packets::build_ethernet(
      eth, packets::build_ipv6(ip, packets::build_udp(packets::Ipv6Endpoints{ip.src, ip.dst}, 546,
                                                      547, packets::build_dhcp6(m))));
}

openflow::PacketIn pin_of(packets::Bytes frame, packets::Bytes p = payload()) {
  return test::make_packet_in(
      {ControllerOp::kPutDhcpv6Opts, std::move(p), std::move(frame), 1, 1, {}, true});
}

packets::Dhcp6Message reply_of(const FakeContext& ctx) {
  EXPECT_EQ(ctx.sent.size(), 1u);
  const auto& r = std::get<openflow::Resume>(ctx.sent.at(0));
  EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x8u);
  auto p = packets::parse_packet(r.packet_in.packet);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p->udp->src_port, 546);  // turned around by the next flow
  EXPECT_TRUE(packets::udp_checksum_ok(p->endpoints(), p->l4));
  return packets::parse_dhcp6(p->udp->payload).value();
}

TEST(PinctrlDhcp6, SolicitGetsAnAdvertiseWithTheAddress) {
  FakeContext ctx;
  pinctrl::Dhcp6Handler h;
  test::deliver(h, pin_of(request(Dhcp6MessageType::solicit)), ctx);
  packets::Dhcp6Message m = reply_of(ctx);
  EXPECT_EQ(m.type, Dhcp6MessageType::advertise);
  EXPECT_EQ(m.xid, 0x123456u);
  EXPECT_EQ(m.find(packets::kDhcp6OptClientId)->value, packets::make_duid_ll(kClient));
  EXPECT_EQ(m.find(packets::kDhcp6OptServerId)->value, packets::make_duid_ll(kServer));
  auto ia = packets::parse_dhcp6_ia_na(m.find(packets::kDhcp6OptIaNa)->value);
  ASSERT_TRUE(ia.ok());
  EXPECT_EQ(ia->iaid, 77u);
  ASSERT_EQ(ia->addresses.size(), 1u);
  EXPECT_EQ(ia->addresses[0].addr, packets::parse_ipv6("fd00::10").value());
  ASSERT_NE(m.find(packets::kDhcp6OptDnsServers), nullptr);
  EXPECT_EQ(m.find(packets::kDhcp6OptDnsServers)->value.size(), 16u);
}

TEST(PinctrlDhcp6, RequestGetsAReply) {
  FakeContext ctx;
  pinctrl::Dhcp6Handler h;
  test::deliver(h, pin_of(request(Dhcp6MessageType::request)), ctx);
  EXPECT_EQ(reply_of(ctx).type, Dhcp6MessageType::reply);
}

TEST(PinctrlDhcp6, MalformedInputIsCounted) {
  FakeContext ctx;
  pinctrl::Dhcp6Handler h;
  packets::Bytes good = request(Dhcp6MessageType::solicit);
  for (size_t len = 0; len < good.size(); len += 2) {
    test::deliver(h, pin_of(packets::Bytes(good.begin(), good.begin() + len)), ctx);
  }
  packets::Bytes bad = payload();
  bad.insert(bad.end(), {0, 23, 1, 0});  // longer than what is left
  test::deliver(h, pin_of(good, bad), ctx);
  EXPECT_EQ(h.stats().malformed, (good.size() + 1) / 2 + 1);
  EXPECT_EQ(h.stats().handled, 0u);
}

}  // namespace
}  // namespace ovnx::controller
