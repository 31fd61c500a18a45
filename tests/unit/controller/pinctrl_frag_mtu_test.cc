// icmp4.frag_mtu / icmp6.frag_mtu: the MTU written into the ICMP error being built.
#include <gtest/gtest.h>

#include "packets/ethernet.h"
#include "packets/icmp4.h"
#include "packets/icmp6.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "pinctrl_fake.h"

namespace ovnx::controller {
namespace {

using logical::ControllerOp;
using test::FakeContext;

packets::Bytes icmp4_frag_needed() {
  packets::Ipv4Header ip;
  ip.src = packets::Ipv4Addr{0xc0a80101};
  ip.dst = packets::Ipv4Addr{0xc0a8010a};
  ip.protocol = packets::kIpProtoIcmp;
  packets::Bytes quoted(28, 0x45);
  packets::EthernetHeader eth{packets::MacAddr::broadcast(), packets::MacAddr::broadcast(),
                              std::nullopt, packets::kEthTypeIpv4};
  return packets::build_ethernet(eth,
                                 packets::build_ipv4(ip, packets::build_icmp4_error(3, 4, quoted)));
}

packets::Bytes icmp6_too_big() {
  packets::Ipv6Header ip;
  ip.src = packets::parse_ipv6("fd00::1").value();
  ip.dst = packets::parse_ipv6("fd00::10").value();
  ip.next_header = packets::kIpProtoIcmpv6;
  packets::Bytes quoted(48, 0x60);
  auto icmp = packets::build_icmp6(packets::Ipv6Endpoints{ip.src, ip.dst},
                                   packets::make_icmp6_error(2, 0, quoted, 0));
  packets::EthernetHeader eth{packets::MacAddr::broadcast(), packets::MacAddr::broadcast(),
                              std::nullopt, packets::kEthTypeIpv6};
  return packets::build_ethernet(eth, packets::build_ipv6(ip, icmp.value()));
}

TEST(PinctrlFragMtu, Icmp4NextHopMtu) {
  FakeContext ctx;
  pinctrl::FragMtuHandler h;
  test::deliver(
      h,
      test::make_packet_in(
          {ControllerOp::kPutIcmp4FragMtu, {0x05, 0xdc}, icmp4_frag_needed(), 1, 1, {}, true}),
      ctx);
  ASSERT_EQ(ctx.sent.size(), 1u);
  const auto& r = std::get<openflow::Resume>(ctx.sent[0]);
  auto p = packets::parse_packet(r.packet_in.packet).value();
  ASSERT_TRUE(p.icmp4);
  EXPECT_EQ(p.icmp4->mtu, 1500);
  EXPECT_TRUE(p.icmp4->checksum_ok);
}

TEST(PinctrlFragMtu, Icmp6PacketTooBigMtu) {
  FakeContext ctx;
  pinctrl::FragMtuHandler h;
  test::deliver(
      h,
      test::make_packet_in(
          {ControllerOp::kPutIcmp6FragMtu, {0, 0, 0x05, 0x00}, icmp6_too_big(), 1, 1, {}, true}),
      ctx);
  ASSERT_EQ(ctx.sent.size(), 1u);
  const auto& r = std::get<openflow::Resume>(ctx.sent[0]);
  auto p = packets::parse_packet(r.packet_in.packet).value();
  ASSERT_TRUE(p.icmp6);
  EXPECT_EQ(p.icmp6->param, 1280u);
  EXPECT_TRUE(packets::icmp6_checksum_ok(
      packets::Ipv6Endpoints{p.ipv6->header.src, p.ipv6->header.dst}, p.l4));
}

TEST(PinctrlFragMtu, MalformedIsCounted) {
  FakeContext ctx;
  pinctrl::FragMtuHandler h;
  packets::Bytes good = icmp4_frag_needed();
  for (size_t len = 0; len < good.size(); len += 5) {
    test::deliver(h,
                  test::make_packet_in({ControllerOp::kPutIcmp4FragMtu,
                                        {0x05, 0xdc},
                                        packets::Bytes(good.begin(), good.begin() + len),
                                        1,
                                        1,
                                        {},
                                        true}),
                  ctx);
  }
  test::deliver(
      h, test::make_packet_in({ControllerOp::kPutIcmp4FragMtu, {5}, good, 1, 1, {}, true}), ctx);
  test::deliver(
      h, test::make_packet_in({ControllerOp::kPutIcmp6FragMtu, {0, 0, 5, 0}, good, 1, 1, {}, true}),
      ctx);
  test::deliver(h, test::make_packet_in({ControllerOp::kPutIcmp4FragMtu, {0x05, 0xdc}, good}),
                ctx);  // not paused
  EXPECT_EQ(h.stats().malformed, (good.size() + 4) / 5 + 3);
  EXPECT_TRUE(ctx.sent.empty());
}

}  // namespace
}  // namespace ovnx::controller
