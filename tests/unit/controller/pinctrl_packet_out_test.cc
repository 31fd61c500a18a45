// Handlers that answer with a packet-out running the action's nested actions: arp, nd_ns,
// nd_na(_router), icmp4/icmp6, icmp4_error, tcp_reset, reject.
#include <gtest/gtest.h>

#include "packets/arp.h"
#include "packets/ethernet.h"
#include "packets/icmp4.h"
#include "packets/icmp6.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "packets/tcp.h"
#include "packets/udp.h"
#include "pinctrl_fake.h"

namespace ovnx::controller {
namespace {

using logical::ControllerOp;
using openflow::Field;
using test::FakeContext;
using test::PinSpec;

packets::MacAddr mac(std::string_view s) { return packets::parse_mac(s).value(); }
packets::Ipv4Addr ip4(std::string_view s) { return packets::parse_ipv4(s).value(); }
packets::Ipv6Addr ip6(std::string_view s) { return packets::parse_ipv6(s).value(); }

// Nested actions as the compiler encodes them: eth.dst = ff:ff:ff:ff:ff:ff; output;
packets::Bytes nested_actions() {
  openflow::ActionList acts = {openflow::SetField{Field::eth_dst, openflow::U128(0xffffffffffffULL),
                                                  openflow::U128(0xffffffffffffULL)},
                               openflow::Resubmit{openflow::kPortInPort, 37}};
  return openflow::encode_actions(acts).value();
}

packets::Bytes udp4_frame(std::string_view src, std::string_view dst, uint16_t sport,
                          uint16_t dport, packets::ByteView payload) {
  packets::Ipv4Header ip;
  ip.src = ip4(src);
  ip.dst = ip4(dst);
  ip.protocol = packets::kIpProtoUdp;
  ip.ttl = 63;
  packets::EthernetHeader eth{mac("00:00:00:00:00:01"), mac("0a:00:00:00:00:05"), std::nullopt,
                              packets::kEthTypeIpv4};
  return packets::build_ethernet(
      eth, packets::build_ipv4(ip, packets::build_udp(packets::Ipv4Endpoints{ip.src, ip.dst}, sport,
                                                      dport, payload)));
}

const openflow::PacketOut& only_packet_out(const FakeContext& ctx) {
  EXPECT_EQ(ctx.sent.size(), 1u);
  const auto* po = std::get_if<openflow::PacketOut>(&ctx.sent.at(0));
  EXPECT_NE(po, nullptr);
  return *po;
}

TEST(PinctrlArp, BuildsTheRequestAndRunsTheNestedActions) {
  FakeContext ctx;
  pinctrl::NeighborSolicitHandler h;
  PinSpec s{ControllerOp::kArp,
            nested_actions(),
            udp4_frame("192.168.1.10", "192.168.2.30", 1000, 2000, {}),
            3,
            2,
            {{0, 0xc0a8021e}, {1, 0xc0a80201}, {15, 4}}};
  test::deliver(h, test::make_packet_in(s), ctx);
  const openflow::PacketOut& po = only_packet_out(ctx);
  // Pipeline fields reloaded, entering from the controller.
  EXPECT_EQ(po.match.find(Field::in_port)->value.lo, openflow::kPortController);
  EXPECT_EQ(po.match.find(Field::metadata)->value.lo, 3u);
  EXPECT_EQ(test::reg_value(po.match, 0), 0xc0a8021eu);
  EXPECT_EQ(test::reg_value(po.match, 14), 2u);
  EXPECT_EQ(test::reg_value(po.match, 15), 4u);
  EXPECT_EQ(openflow::encode_actions(po.actions).value(), nested_actions());
  // Ethernet unchanged but the type, then the request (RFC 826) byte for byte.
  const packets::Bytes want = packets::from_hex(
                                  "000000000001"
                                  "0a0000000005"
                                  "0806"
                                  "0001"
                                  "0800"
                                  "06"
                                  "04"
                                  "0001"
                                  "0a0000000005"
                                  "c0a8010a"
                                  "000000000000"
                                  "c0a8021e")
                                  .value();
  EXPECT_EQ(packets::to_hex(po.packet), packets::to_hex(want));
  EXPECT_EQ(h.stats().handled, 1u);
}

TEST(PinctrlArp, NeighborSolicitationForTheDestination) {
  FakeContext ctx;
  pinctrl::NeighborSolicitHandler h;
  packets::Ipv6Header ip;
  ip.src = ip6("fd00::10");
  ip.dst = ip6("fd00:2::1:2345");
  ip.next_header = packets::kIpProtoUdp;
  packets::EthernetHeader eth{mac("00:00:00:00:00:01"), mac("0a:00:00:00:00:05"), std::nullopt,
                              packets::kEthTypeIpv6};
  packets::Bytes frame = packets::build_ethernet(
      eth, packets::build_ipv6(
               ip, packets::build_udp(packets::Ipv6Endpoints{ip.src, ip.dst}, 1, 2, {})));
  test::deliver(h, test::make_packet_in({ControllerOp::kNdNs, nested_actions(), frame}), ctx);
  const openflow::PacketOut& po = only_packet_out(ctx);
  auto p = packets::parse_packet(po.packet);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->eth.header.dst, mac("33:33:ff:01:23:45"));
  EXPECT_EQ(p->eth.header.src, mac("0a:00:00:00:00:05"));
  EXPECT_EQ(p->ipv6->header.src, ip6("fd00::10"));
  EXPECT_EQ(p->ipv6->header.dst, ip6("ff02::1:ff01:2345"));
  EXPECT_EQ(p->ipv6->header.hop_limit, 255);
  ASSERT_TRUE(p->icmp6);
  EXPECT_EQ(p->icmp6->type, packets::kNdNeighborSolicit);
  EXPECT_EQ(p->icmp6->target, ip6("fd00:2::1:2345"));
  EXPECT_EQ(p->icmp6->options.source_lla, mac("0a:00:00:00:00:05"));
  EXPECT_TRUE(packets::icmp6_checksum_ok(
      packets::Ipv6Endpoints{p->ipv6->header.src, p->ipv6->header.dst}, p->l4));
}

TEST(PinctrlNd, AdvertisementAnswersTheSolicitation) {
  FakeContext ctx;
  pinctrl::NeighborAdvertHandler h;
  packets::Ipv6Header ip;
  ip.src = ip6("fd00::10");
  ip.dst = ip6("ff02::1:ff00:1");
  ip.next_header = packets::kIpProtoIcmpv6;
  ip.hop_limit = 255;
  auto ns = packets::build_icmp6(packets::Ipv6Endpoints{ip.src, ip.dst},
                                 packets::make_nd_ns(ip6("fd00::1"), mac("0a:00:00:00:00:05")));
  ASSERT_TRUE(ns.ok());
  packets::EthernetHeader eth{mac("33:33:ff:00:00:01"), mac("0a:00:00:00:00:05"), std::nullopt,
                              packets::kEthTypeIpv6};
  packets::Bytes frame = packets::build_ethernet(eth, packets::build_ipv6(ip, *ns));
  test::deliver(h, test::make_packet_in({ControllerOp::kNdNaRouter, nested_actions(), frame}), ctx);
  const openflow::PacketOut& po = only_packet_out(ctx);
  auto p = packets::parse_packet(po.packet);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->eth.header.dst, mac("0a:00:00:00:00:05"));
  EXPECT_EQ(p->ipv6->header.dst, ip6("fd00::10"));
  ASSERT_TRUE(p->icmp6);
  EXPECT_EQ(p->icmp6->type, packets::kNdNeighborAdvert);
  EXPECT_EQ(p->icmp6->target, ip6("fd00::1"));
  EXPECT_TRUE(p->icmp6->router);
  EXPECT_TRUE(p->icmp6->solicited);
  EXPECT_TRUE(p->icmp6->override);
  EXPECT_TRUE(p->icmp6->options.target_lla.has_value());
}

TEST(PinctrlIcmp, RejectOfUdpIsAPortUnreachableFromTheDestination) {
  FakeContext ctx;
  pinctrl::IcmpHandler h;
  packets::Bytes frame =
      udp4_frame("192.168.1.10", "192.168.1.20", 1000, 53, packets::Bytes(20, 0x55));
  test::deliver(h, test::make_packet_in({ControllerOp::kReject, nested_actions(), frame}), ctx);
  const openflow::PacketOut& po = only_packet_out(ctx);
  auto p = packets::parse_packet(po.packet);
  ASSERT_TRUE(p.ok());
  // reject swaps the addresses itself.
  EXPECT_EQ(p->eth.header.src, mac("00:00:00:00:00:01"));
  EXPECT_EQ(p->eth.header.dst, mac("0a:00:00:00:00:05"));
  EXPECT_EQ(p->ipv4->header.src, ip4("192.168.1.20"));
  EXPECT_EQ(p->ipv4->header.dst, ip4("192.168.1.10"));
  EXPECT_EQ(p->ipv4->header.ttl, 255);
  ASSERT_TRUE(p->icmp4);
  EXPECT_EQ(p->icmp4->type, packets::kIcmp4DestUnreachable);
  EXPECT_TRUE(p->icmp4->checksum_ok);
  // The quote starts with the original IPv4 header.
  auto orig = packets::parse_packet(frame).value();
  ASSERT_GE(p->icmp4->body.size(), 28u);
  EXPECT_TRUE(std::equal(orig.l3.begin(), orig.l3.begin() + 28, p->icmp4->body.begin()));
}

TEST(PinctrlIcmp, Icmp4KeepsTheAddressesForTheNestedActions) {
  FakeContext ctx;
  pinctrl::IcmpHandler h;
  packets::Bytes frame = udp4_frame("192.168.1.10", "192.168.9.9", 1000, 53, {});
  test::deliver(h, test::make_packet_in({ControllerOp::kIcmp4Error, nested_actions(), frame}), ctx);
  auto p = packets::parse_packet(only_packet_out(ctx).packet);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ipv4->header.src, ip4("192.168.1.10"));
  EXPECT_EQ(p->ipv4->header.protocol, packets::kIpProtoIcmp);
  ASSERT_TRUE(p->icmp4);
  EXPECT_TRUE(p->icmp4->checksum_ok);
}

TEST(PinctrlIcmp, TcpResetAnswersTheSegment) {
  FakeContext ctx;
  pinctrl::IcmpHandler h;
  packets::Ipv4Header ip;
  ip.src = ip4("192.168.1.10");
  ip.dst = ip4("192.168.1.20");
  ip.protocol = packets::kIpProtoTcp;
  packets::TcpHeader syn;
  syn.src_port = 40000;
  syn.dst_port = 80;
  syn.seq = 1000;
  syn.flags = packets::kTcpSyn;
  packets::EthernetHeader eth{mac("00:00:00:00:00:01"), mac("0a:00:00:00:00:05"), std::nullopt,
                              packets::kEthTypeIpv4};
  packets::Bytes frame = packets::build_ethernet(
      eth,
      packets::build_ipv4(ip, packets::build_tcp(packets::Ipv4Endpoints{ip.src, ip.dst}, syn, {})));
  test::deliver(h, test::make_packet_in({ControllerOp::kTcpReset, nested_actions(), frame}), ctx);
  auto p = packets::parse_packet(only_packet_out(ctx).packet);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->tcp);
  EXPECT_EQ(p->tcp->header.src_port, 80);
  EXPECT_EQ(p->tcp->header.dst_port, 40000);
  EXPECT_EQ(p->tcp->header.flags & packets::kTcpRst, packets::kTcpRst);
  EXPECT_EQ(p->tcp->header.ack, 1001u);
  EXPECT_TRUE(packets::tcp_checksum_ok(p->endpoints(), p->l4));
}

TEST(PinctrlPacketOut, DisconnectedSwitchIsCounted) {
  FakeContext ctx;
  ctx.connected = false;
  pinctrl::NeighborSolicitHandler h;
  test::deliver(h,
                test::make_packet_in({ControllerOp::kArp, nested_actions(),
                                      udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, {})}),
                ctx);
  EXPECT_EQ(h.stats().send_failures, 1u);
  EXPECT_EQ(h.stats().handled, 0u);
}

// Truncations and corruptions of valid packets, and garbage nested actions: counted, never a
// crash, never a packet-out that does not encode.
TEST(PinctrlPacketOut, MalformedInputIsCountedNotFatal) {
  std::vector<std::pair<ControllerOp, packets::Bytes>> cases = {
      {ControllerOp::kArp, udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, {})},
      {ControllerOp::kNdNs, udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, {})},  // wrong family
      {ControllerOp::kNdNa, udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, {})},
      {ControllerOp::kReject, udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, packets::Bytes(9, 1))},
      {ControllerOp::kTcpReset, udp4_frame("10.0.0.1", "10.0.0.2", 1, 2, {})},  // not TCP
  };
  pinctrl::NeighborSolicitHandler solicit;
  pinctrl::NeighborAdvertHandler advert;
  pinctrl::IcmpHandler icmp;
  auto handler_for = [&](ControllerOp op) -> pinctrl::CountingHandler& {
    if (op == ControllerOp::kArp || op == ControllerOp::kNdNs) return solicit;
    if (op == ControllerOp::kNdNa) return advert;
    return icmp;
  };
  FakeContext ctx;
  for (const auto& [op, frame] : cases) {
    for (size_t len = 0; len <= frame.size(); len++) {
      packets::Bytes cut(frame.begin(), frame.begin() + len);
      test::deliver(handler_for(op), test::make_packet_in({op, nested_actions(), cut}), ctx);
      for (size_t i = 0; i < cut.size(); i += 7) {
        packets::Bytes bad = cut;
        bad[i] ^= 0xa5;
        test::deliver(handler_for(op), test::make_packet_in({op, nested_actions(), bad}), ctx);
      }
    }
    // Nested actions that do not decode.
    test::deliver(handler_for(op), test::make_packet_in({op, {0xff, 0xff, 0, 3}, frame}), ctx);
  }
  EXPECT_GT(solicit.stats().malformed, 0u);
  EXPECT_GT(advert.stats().malformed, 0u);
  EXPECT_GT(icmp.stats().malformed, 0u);
  for (const auto& m : ctx.sent) EXPECT_TRUE(std::holds_alternative<openflow::PacketOut>(m));
}

}  // namespace
}  // namespace ovnx::controller
