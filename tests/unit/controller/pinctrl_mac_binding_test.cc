// put_arp / put_nd: MAC_Binding rows written through queued Southbound writes.
#include <gtest/gtest.h>

#include "packets/ethernet.h"
#include "pinctrl_fake.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using logical::ControllerOp;
using test::FakeContext;

packets::Bytes frame_from(std::string_view src_mac) {
  packets::EthernetHeader eth{packets::MacAddr::broadcast(), packets::parse_mac(src_mac).value(),
                              std::nullopt, packets::kEthTypeArp};
  return packets::build_ethernet(eth, packets::Bytes(28, 0));
}

struct MacBindingTest : ::testing::Test {
  void SetUp() override {
    dp = snap.datapath(5, false, "lr1");
    snap.port(dp, "lr1-ls1", 2, "patch");
    snap.load(ctx.replica());
  }
  openflow::PacketIn put_arp(uint32_t ip, std::string_view mac, uint32_t port = 2) {
    return test::make_packet_in({ControllerOp::kPutArp, {}, frame_from(mac), 5, port, {{0, ip}}});
  }
  FakeContext ctx;
  test::SbSnapshot snap;
  std::string dp;
  pinctrl::MacBindingHandler h;
};

TEST_F(MacBindingTest, PutArpInsertsTheBinding) {
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx);
  ASSERT_EQ(ctx.writes.size(), 1u);
  auto txn = ctx.run_writes();
  auto rows = sb::MACBinding::rows(*txn);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->logical_port(), "lr1-ls1");
  EXPECT_EQ(rows[0]->ip(), "192.168.1.10");
  EXPECT_EQ(rows[0]->mac(), "0a:00:00:00:00:10");
  EXPECT_EQ(rows[0]->timestamp(), 1000);
  ASSERT_NE(rows[0]->datapath(), nullptr);
  EXPECT_EQ(rows[0]->datapath()->tunnel_key(), 5);
  EXPECT_EQ(h.stats().handled, 1u);
}

TEST_F(MacBindingTest, RepeatedRequestsAreQueuedOnce) {
  for (int i = 0; i < 5; i++) test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx);
  EXPECT_EQ(ctx.writes.size(), 1u);
  EXPECT_EQ(h.stats().ignored, 4u);
  // After the hold time, a binding that never showed up is queued again.
  ctx.now += 6000;
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx);
  EXPECT_EQ(ctx.writes.size(), 2u);
}

TEST_F(MacBindingTest, KnownBindingIsNotRewrittenButAChangedMacIs) {
  FakeContext ctx2;
  test::SbSnapshot s;
  std::string d = s.datapath(5, false, "lr1");
  s.port(d, "lr1-ls1", 2, "patch");
  s.mac_binding(d, "lr1-ls1", "192.168.1.10", "0a:00:00:00:00:10");
  s.load(ctx2.replica());
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx2);
  EXPECT_TRUE(ctx2.writes.empty());
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:99"), ctx2);
  ASSERT_EQ(ctx2.writes.size(), 1u);
  auto txn = ctx2.run_writes();
  auto rows = sb::MACBinding::rows(*txn);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->mac(), "0a:00:00:00:00:99");
}

TEST_F(MacBindingTest, PutNdTakesTheAddressFromXxreg0) {
  // fd00::1:2 in reg0..reg3, most significant first.
  auto pin = test::make_packet_in({ControllerOp::kPutNd,
                                   {},
                                   frame_from("0a:00:00:00:00:20"),
                                   5,
                                   2,
                                   {{0, 0xfd000000}, {1, 0}, {2, 0}, {3, 0x00010002}}});
  test::deliver(h, pin, ctx);
  auto txn = ctx.run_writes();
  auto rows = sb::MACBinding::rows(*txn);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->ip(), "fd00::1:2");
  EXPECT_EQ(rows[0]->mac(), "0a:00:00:00:00:20");
}

TEST_F(MacBindingTest, UnknownPortsAndBadAddressesAreNotLearned) {
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10", 9), ctx);  // no such port
  test::deliver(h, put_arp(0xc0a8010a, "01:00:5e:00:00:01"), ctx);     // multicast MAC
  test::deliver(h, put_arp(0, "0a:00:00:00:00:10"), ctx);              // 0.0.0.0
  test::deliver(h, put_arp(0xe0000001, "0a:00:00:00:00:10"), ctx);     // multicast IP
  auto short_frame = test::make_packet_in({ControllerOp::kPutArp, {}, {1, 2, 3}, 5, 2});
  test::deliver(h, short_frame, ctx);
  EXPECT_TRUE(ctx.writes.empty());
  EXPECT_EQ(h.stats().malformed, 5u);
}

TEST_F(MacBindingTest, WriteRunsAfterTheDatapathVanished) {
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx);
  FakeContext empty;  // a replica without the datapath: the write does nothing
  for (auto& w : ctx.writes) empty.writes.push_back(std::move(w));
  auto txn = empty.run_writes();
  EXPECT_TRUE(txn->empty());
}

TEST_F(MacBindingTest, PendingWritesAreBounded) {
  for (uint32_t i = 0; i < 1100; i++) {
    test::deliver(h, put_arp(0x0a000001 + i, "0a:00:00:00:00:10"), ctx);
  }
  EXPECT_EQ(ctx.writes.size(), 1024u);
  EXPECT_EQ(h.pending(), 1024u);
  EXPECT_EQ(h.stats().ignored, 76u);
}

TEST_F(MacBindingTest, NoSouthboundNoWrite) {
  ctx.sb_connected = false;
  test::deliver(h, put_arp(0xc0a8010a, "0a:00:00:00:00:10"), ctx);
  EXPECT_TRUE(ctx.writes.empty());
}

}  // namespace
}  // namespace ovnx::controller
