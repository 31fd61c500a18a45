// The contract with the flow compiler, end to end: logical actions as northd writes them are
// compiled by src/logical, the user data of their controller() action is handed to the
// handlers, and the answers are checked — so a change on either side of
// logical/controller_ops.h that breaks the other shows up here.
#include <gtest/gtest.h>

#include "logical/actions.h"
#include "logical/symtab.h"
#include "packets/dhcp4.h"
#include "packets/dns.h"
#include "packets/ethernet.h"
#include "packets/ipv4.h"
#include "packets/packet.h"
#include "packets/udp.h"
#include "pinctrl_fake.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using test::FakeContext;

// The user data of the (only) controller() action ACTIONS compile to.
std::vector<uint8_t> compiled_userdata(std::string_view actions) {
  auto parsed = logical::parse_actions(actions, logical::ovn_symbol_table());
  EXPECT_TRUE(parsed.ok()) << parsed.error().to_string();
  if (!parsed.ok()) return {};
  logical::EncodeParams params;
  params.table_id = 20;
  openflow::ActionList ofacts;
  Status st = logical::encode_actions(*parsed, params, &ofacts);
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  for (const openflow::Action& a : ofacts) {
    if (const auto* c = std::get_if<openflow::Controller>(&a)) return c->userdata;
  }
  ADD_FAILURE() << "no controller action in " << actions;
  return {};
}

openflow::PacketIn packet_in(std::vector<uint8_t> userdata, packets::Bytes frame, bool paused) {
  openflow::PacketIn pin;
  pin.packet = std::move(frame);
  pin.userdata = std::move(userdata);
  pin.metadata.set(openflow::Field::metadata, openflow::U128(1));
  pin.metadata.set(openflow::reg(14), openflow::U128(1));
  if (paused) pin.continuation = std::vector<uint8_t>{9, 9, 9, 9};
  return pin;
}

packets::Bytes udp4(packets::Ipv4Addr src, packets::Ipv4Addr dst, uint16_t sport, uint16_t dport,
                    packets::ByteView payload) {
  packets::Ipv4Header ip;
  ip.src = src;
  ip.dst = dst;
  ip.protocol = packets::kIpProtoUdp;
  packets::EthernetHeader eth{packets::MacAddr::broadcast(),
                              packets::parse_mac("00:00:00:00:00:01").value(), std::nullopt,
                              packets::kEthTypeIpv4};
  return packets::build_ethernet(
      eth, packets::build_ipv4(
               ip, packets::build_udp(packets::Ipv4Endpoints{src, dst}, sport, dport, payload)));
}

TEST(PinctrlCompiled, PutDhcpOptsAsNorthdWritesIt) {
  auto ud = compiled_userdata(
      "reg0[3] = put_dhcp_opts(offerip = 192.168.1.10, dns_server = 192.168.1.1, "
      "lease_time = 3600, netmask = 255.255.255.0, router = 192.168.1.1, "
      "server_id = 192.168.1.1); next;");
  packets::DhcpMessage req;
  req.xid = 7;
  req.set_client_mac(packets::parse_mac("00:00:00:00:00:01").value());
  req.set(packets::kDhcpOptMessageType, {uint8_t(packets::DhcpMessageType::discover)});
  FakeContext ctx;
  Pinctrl p;
  register_default_handlers(p);
  p.dispatch(packet_in(ud,
                       udp4(packets::Ipv4Addr{0}, packets::Ipv4Addr{0xffffffff}, 68, 67,
                            packets::build_dhcp4(req)),
                       true),
             ctx);
  ASSERT_EQ(ctx.sent.size(), 1u);
  const auto& r = std::get<openflow::Resume>(ctx.sent[0]);
  EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x8u);
  auto pkt = packets::parse_packet(r.packet_in.packet).value();
  auto reply = packets::parse_dhcp4(pkt.udp->payload).value();
  EXPECT_EQ(reply.message_type(), packets::DhcpMessageType::offer);
  EXPECT_EQ(reply.yiaddr.to_string(), "192.168.1.10");
  EXPECT_EQ(reply.find(packets::kDhcpOptLeaseTime)->value, packets::Bytes({0, 0, 0x0e, 0x10}));
}

TEST(PinctrlCompiled, DnsLookupAsNorthdWritesIt) {
  auto ud = compiled_userdata("reg0[4] = dns_lookup(); next;");
  FakeContext ctx;
  test::SbSnapshot snap;
  std::string dp = snap.datapath(1, true, "ls1");
  snap.row("DNS", {{"datapaths", test::Snapshot::refset({dp})},
                   {"records", test::Snapshot::map({{"vm1.ovn.org", "192.168.1.10"}})},
                   {"external_ids", test::Snapshot::map({})}});
  snap.load(ctx.replica());
  packets::Bytes q = {0,   1, 1,   0,   0,   1, 0,   0,   0,   0, 0, 0, 3, 'v', 'm',
                      '1', 3, 'o', 'v', 'n', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1};
  Pinctrl p;
  register_default_handlers(p);
  p.dispatch(
      packet_in(ud, udp4(packets::Ipv4Addr{0xc0a8010a}, packets::Ipv4Addr{0xc0a80101}, 5353, 53, q),
                true),
      ctx);
  ASSERT_EQ(ctx.sent.size(), 1u);
  const auto& r = std::get<openflow::Resume>(ctx.sent[0]);
  EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x10u);
  auto pkt = packets::parse_packet(r.packet_in.packet).value();
  auto answer = packets::parse_dns(pkt.udp->payload).value();
  ASSERT_EQ(answer.answers.size(), 1u);
  EXPECT_EQ(answer.answers[0].rdata, packets::Bytes({192, 168, 1, 10}));
}

TEST(PinctrlCompiled, ArpNestedActionsDecode) {
  auto ud = compiled_userdata(
      "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; arp.op = 1; "
      "output; };");
  FakeContext ctx;
  Pinctrl p;
  register_default_handlers(p);
  p.dispatch(
      packet_in(ud, udp4(packets::Ipv4Addr{0xc0a8010a}, packets::Ipv4Addr{0xc0a8021e}, 1, 2, {}),
                false),
      ctx);
  ASSERT_EQ(ctx.sent.size(), 1u);
  const auto& po = std::get<openflow::PacketOut>(ctx.sent[0]);
  EXPECT_FALSE(po.actions.empty());
  auto pkt = packets::parse_packet(po.packet).value();
  ASSERT_TRUE(pkt.arp);
  EXPECT_EQ(pkt.arp->tpa.to_string(), "192.168.2.30");
}

}  // namespace
}  // namespace ovnx::controller
