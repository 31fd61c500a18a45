// put_dhcp_opts and dns_lookup: paused pipelines resumed with the answer and the result bit.
#include <gtest/gtest.h>

#include "packets/dhcp4.h"
#include "packets/dhcp_options.h"
#include "packets/dns.h"
#include "packets/ethernet.h"
#include "packets/ipv4.h"
#include "packets/packet.h"
#include "packets/udp.h"
#include "pinctrl_fake.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using logical::ControllerOp;
using openflow::Field;
using packets::DhcpMessageType;
using test::FakeContext;

const packets::MacAddr kClient = packets::parse_mac("0a:00:00:00:00:10").value();

packets::Ipv4Addr ip4(std::string_view s) { return packets::parse_ipv4(s).value(); }

packets::Bytes udp4_frame(packets::Ipv4Addr src, packets::Ipv4Addr dst, uint16_t sport,
                          uint16_t dport, packets::ByteView payload,
                          packets::MacAddr eth_dst = packets::MacAddr::broadcast()) {
  packets::Ipv4Header ip;
  ip.src = src;
  ip.dst = dst;
  ip.protocol = packets::kIpProtoUdp;
  packets::EthernetHeader eth{eth_dst, kClient, std::nullopt, packets::kEthTypeIpv4};
  return packets::build_ethernet(
      eth, packets::build_ipv4(
               ip, packets::build_udp(packets::Ipv4Endpoints{src, dst}, sport, dport, payload)));
}

// The payload of reg0[3] = put_dhcp_opts(offerip = 192.168.1.10, ...).
packets::Bytes dhcp_payload() {
  packets::Bytes p = test::result_header(Field::reg0, 3);
  for (uint8_t b : ip4("192.168.1.10").to_bytes()) p.push_back(b);
  for (auto [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"netmask", "255.255.255.0"},
                                                        {"router", "192.168.1.1"},
                                                        {"server_id", "192.168.1.1"},
                                                        {"lease_time", "3600"},
                                                        {"dns_server", "{192.168.1.1, 8.8.8.8}"},
                                                        {"next_server", "192.168.1.5"}}) {
    const packets::DhcpOptionDef* def = packets::find_dhcp4_option(name);
    packets::Bytes v = packets::encode_dhcp_option_value(*def, text).value();
    p.push_back(uint8_t(def->code));
    p.push_back(uint8_t(v.size()));
    p.insert(p.end(), v.begin(), v.end());
  }
  return p;
}

packets::Bytes dhcp_request(DhcpMessageType type, std::optional<packets::Ipv4Addr> requested = {}) {
  packets::DhcpMessage m;
  m.xid = 0xdeadbeef;
  m.set_client_mac(kClient);
  m.set(packets::kDhcpOptMessageType, {uint8_t(type)});
  if (requested) {
    auto b = requested->to_bytes();
    m.set(packets::kDhcpOptRequestedIp, packets::Bytes(b.begin(), b.end()));
  }
  m.set(packets::kDhcpOptParamRequest, {1, 3, 6, 51, 54});
  return udp4_frame(packets::Ipv4Addr{0}, packets::Ipv4Addr{0xffffffff}, 68, 67,
                    packets::build_dhcp4(m));
}

const openflow::Resume& only_resume(const FakeContext& ctx) {
  EXPECT_EQ(ctx.sent.size(), 1u);
  const auto* r = std::get_if<openflow::Resume>(&ctx.sent.at(0));
  EXPECT_NE(r, nullptr);
  return *r;
}

packets::DhcpMessage reply_of(const openflow::Resume& r, packets::ParsedPacket* out = nullptr) {
  auto p = packets::parse_packet(r.packet_in.packet);
  EXPECT_TRUE(p.ok());
  EXPECT_TRUE(p->udp);
  if (out) *out = *p;
  return packets::parse_dhcp4(p->udp->payload).value();
}

openflow::PacketIn dhcp_pin(packets::Bytes frame, packets::Bytes payload = dhcp_payload()) {
  return test::make_packet_in({ControllerOp::kPutDhcpOpts,
                               std::move(payload),
                               std::move(frame),
                               1,
                               1,
                               {{0, 0x10}},
                               /*paused=*/true});
}

TEST(PinctrlDhcp, DiscoverGetsAnOffer) {
  FakeContext ctx;
  pinctrl::DhcpHandler h;
  openflow::PacketIn pin = dhcp_pin(dhcp_request(DhcpMessageType::discover));
  test::deliver(h, pin, ctx);
  const openflow::Resume& r = only_resume(ctx);
  EXPECT_EQ(r.packet_in.continuation, pin.continuation);
  EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x18u);  // bit 3 set, bit 4 kept
  packets::ParsedPacket p;
  packets::DhcpMessage m = reply_of(r, &p);
  // Headers keep the request's orientation: the response flow turns them around.
  EXPECT_EQ(p.eth.header.src, kClient);
  EXPECT_EQ(p.udp->src_port, 68);
  EXPECT_EQ(p.udp->dst_port, 67);
  EXPECT_EQ(p.udp->checksum, 0);
  EXPECT_EQ(p.ipv4->header.dst, ip4("192.168.1.10"));
  EXPECT_TRUE(p.ipv4->checksum_ok);
  EXPECT_EQ(m.op, packets::kBootReply);
  EXPECT_EQ(m.xid, 0xdeadbeefu);
  EXPECT_EQ(m.client_mac(), kClient);
  EXPECT_EQ(m.message_type(), DhcpMessageType::offer);
  EXPECT_EQ(m.yiaddr, ip4("192.168.1.10"));
  EXPECT_EQ(m.siaddr, ip4("192.168.1.5"));  // next_server
  EXPECT_EQ(m.find(packets::kDhcpOptServerId)->value, packets::Bytes({192, 168, 1, 1}));
  EXPECT_EQ(m.find(packets::kDhcpOptNetmask)->value, packets::Bytes({255, 255, 255, 0}));
  EXPECT_EQ(m.find(packets::kDhcpOptLeaseTime)->value, packets::Bytes({0, 0, 0x0e, 0x10}));
  EXPECT_EQ(m.find(packets::kDhcpOptDnsServer)->value,
            packets::Bytes({192, 168, 1, 1, 8, 8, 8, 8}));
  EXPECT_EQ(m.find(253), nullptr);
  EXPECT_EQ(h.stats().handled, 1u);
}

TEST(PinctrlDhcp, RequestForTheOfferIsAcked) {
  FakeContext ctx;
  pinctrl::DhcpHandler h;
  test::deliver(h, dhcp_pin(dhcp_request(DhcpMessageType::request, ip4("192.168.1.10"))), ctx);
  packets::DhcpMessage m = reply_of(only_resume(ctx));
  EXPECT_EQ(m.message_type(), DhcpMessageType::ack);
  EXPECT_EQ(m.yiaddr, ip4("192.168.1.10"));
}

TEST(PinctrlDhcp, RequestForAnotherAddressIsNakedByBroadcast) {
  FakeContext ctx;
  pinctrl::DhcpHandler h;
  test::deliver(h, dhcp_pin(dhcp_request(DhcpMessageType::request, ip4("192.168.1.99"))), ctx);
  packets::ParsedPacket p;
  packets::DhcpMessage m = reply_of(only_resume(ctx), &p);
  EXPECT_EQ(m.message_type(), DhcpMessageType::nak);
  EXPECT_TRUE(m.yiaddr.is_zero());
  EXPECT_TRUE(p.ipv4->header.dst.is_broadcast());
  EXPECT_EQ(m.find(packets::kDhcpOptLeaseTime), nullptr);
}

TEST(PinctrlDhcp, ReleaseResumesWithResultZero) {
  FakeContext ctx;
  pinctrl::DhcpHandler h;
  openflow::PacketIn pin = dhcp_pin(dhcp_request(DhcpMessageType::release));
  test::deliver(h, pin, ctx);
  const openflow::Resume& r = only_resume(ctx);
  EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x10u);
  EXPECT_EQ(r.packet_in.packet, pin.packet);
  EXPECT_EQ(h.stats().ignored, 1u);
}

TEST(PinctrlDhcp, MalformedRequestsResumeWithZeroOrAreDropped) {
  FakeContext ctx;
  pinctrl::DhcpHandler h;
  packets::Bytes good = dhcp_request(DhcpMessageType::discover);
  size_t n = 0;
  for (size_t len = 0; len < good.size(); len += 3) {
    test::deliver(h, dhcp_pin(packets::Bytes(good.begin(), good.begin() + len)), ctx);
    n++;
  }
  packets::Bytes bad_opts = dhcp_payload();
  bad_opts.push_back(6);
  bad_opts.push_back(200);  // an option longer than what is left
  test::deliver(h, dhcp_pin(good, bad_opts), ctx);
  test::deliver(h, dhcp_pin(good, {0, 1}), ctx);  // no result header: dropped
  auto not_paused = dhcp_pin(good);
  not_paused.continuation.reset();
  test::deliver(h, not_paused, ctx);
  EXPECT_GE(h.stats().malformed, n);
  for (const auto& m : ctx.sent) {
    const auto* r = std::get_if<openflow::Resume>(&m);
    ASSERT_NE(r, nullptr);
    if (r->packet_in.packet.size() < good.size()) {
      EXPECT_EQ(test::reg_value(r->packet_in.metadata, 0) & 0x8, 0u);
    }
  }
}

// --- dns_lookup ---------------------------------------------------------------------------

packets::Bytes dns_query(std::string_view name, uint16_t type, uint16_t id = 0x4242) {
  packets::Bytes q = {uint8_t(id >> 8), uint8_t(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    q.push_back(uint8_t(dot - start));
    q.insert(q.end(), name.begin() + start, name.begin() + dot);
    start = dot + 1;
  }
  q.push_back(0);
  q.insert(q.end(), {uint8_t(type >> 8), uint8_t(type), 0, 1});
  return q;
}

struct DnsTest : ::testing::Test {
  void SetUp() override {
    std::string dp = snap.datapath(1, true, "ls1");
    std::string other = snap.datapath(2, true, "ls2");
    snap.row("DNS",
             {{"datapaths", test::Snapshot::refset({dp})},
              {"records", test::Snapshot::map({{"vm1.ovn.org", "192.168.1.10 fd00::10"},
                                               {"10.1.168.192.in-addr.arpa", "vm1.ovn.org"}})},
              {"external_ids", test::Snapshot::map({})}});
    snap.row("DNS", {{"datapaths", test::Snapshot::refset({other})},
                     {"records", test::Snapshot::map({{"vm2.ovn.org", "192.168.2.30"}})},
                     {"external_ids", test::Snapshot::map({})}});
    snap.load(ctx.replica());
  }
  openflow::PacketIn query(std::string_view name, uint16_t type) {
    return test::make_packet_in(
        {ControllerOp::kDnsLookup,
         test::result_header(Field::reg0, 4),
         udp4_frame(ip4("192.168.1.10"), ip4("192.168.1.1"), 33333, 53, dns_query(name, type),
                    packets::parse_mac("00:00:00:00:00:01").value()),
         1,
         1,
         {},
         /*paused=*/true});
  }
  packets::DnsMessage answer() {
    const openflow::Resume& r = only_resume(ctx);
    EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0x10u);
    auto p = packets::parse_packet(r.packet_in.packet);
    EXPECT_TRUE(p.ok());
    EXPECT_EQ(p->udp->src_port, 33333);
    EXPECT_TRUE(packets::udp_checksum_ok(p->endpoints(), p->l4));
    return packets::parse_dns(p->udp->payload).value();
  }
  FakeContext ctx;
  test::SbSnapshot snap;
  pinctrl::DnsHandler h;
};

TEST_F(DnsTest, AnswersAFromTheDatapathRecords) {
  test::deliver(h, query("VM1.ovn.org", packets::kDnsTypeA), ctx);
  packets::DnsMessage m = answer();
  EXPECT_TRUE(m.header.qr);
  EXPECT_EQ(m.header.id, 0x4242);
  EXPECT_EQ(m.header.rcode, 0);
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].type, packets::kDnsTypeA);
  EXPECT_EQ(m.answers[0].rdata, packets::Bytes({192, 168, 1, 10}));
}

TEST_F(DnsTest, AnswersAaaaAndPtr) {
  test::deliver(h, query("vm1.ovn.org", packets::kDnsTypeAaaa), ctx);
  packets::DnsMessage m = answer();
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].rdata.size(), 16u);
  ctx.sent.clear();
  test::deliver(h, query("10.1.168.192.in-addr.arpa", packets::kDnsTypePtr), ctx);
  m = answer();
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].ptr_name, "vm1.ovn.org");
}

TEST_F(DnsTest, UnknownNamesAndOtherDatapathsAreNotAnswered) {
  for (auto name : {"vm9.ovn.org", "vm2.ovn.org"}) {
    ctx.sent.clear();
    openflow::PacketIn pin = query(name, packets::kDnsTypeA);
    test::deliver(h, pin, ctx);
    const openflow::Resume& r = only_resume(ctx);
    EXPECT_EQ(test::reg_value(r.packet_in.metadata, 0), 0u);
    EXPECT_EQ(r.packet_in.packet, pin.packet);
  }
  EXPECT_EQ(h.stats().ignored, 2u);
}

TEST_F(DnsTest, MalformedQueriesAreCounted) {
  packets::Bytes good = dns_query("vm1.ovn.org", packets::kDnsTypeA);
  for (size_t len = 0; len < good.size(); len++) {
    packets::Bytes cut(good.begin(), good.begin() + len);
    test::deliver(
        h,
        test::make_packet_in({ControllerOp::kDnsLookup,
                              test::result_header(Field::reg0, 4),
                              udp4_frame(ip4("192.168.1.10"), ip4("192.168.1.1"), 1, 53, cut),
                              1,
                              1,
                              {},
                              true}),
        ctx);
  }
  EXPECT_EQ(h.stats().malformed, good.size());
  EXPECT_EQ(h.stats().handled, 0u);
}

// The dispatcher routes each opcode to the handler registered for it.
TEST(PinctrlRegistry, DefaultHandlersServeTheirOpcodes) {
  Pinctrl p;
  register_default_handlers(p);
  FakeContext ctx;
  test::SbSnapshot snap;
  snap.datapath(1, true, "ls1");
  snap.load(ctx.replica());
  p.dispatch(dhcp_pin(dhcp_request(DhcpMessageType::discover)), ctx);
  EXPECT_EQ(p.stats().unhandled, 0u);
  ASSERT_EQ(ctx.sent.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<openflow::Resume>(ctx.sent[0]));
  openflow::PacketIn log_pin = test::make_packet_in({ControllerOp::kLog, {0, 6}, {}});
  p.dispatch(log_pin, ctx);
  EXPECT_EQ(p.stats().unhandled, 1u);
}

}  // namespace
}  // namespace ovnx::controller
