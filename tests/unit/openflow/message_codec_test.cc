// Messages, byte for byte (OpenFlow 1.5 section 7 layouts; Nicira messages as Open vSwitch
// defines them), decode round trips and malformed input.
#include <gtest/gtest.h>

#include "hex.h"
#include "openflow/codec.h"

namespace ovnx::openflow {
namespace {

using testing::hex;
using testing::to_hex;

void expect_encodes(const Message& m, uint32_t xid, std::string_view expected) {
  auto bytes = encode(m, xid);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  EXPECT_EQ(to_hex(*bytes), to_hex(hex(expected))) << message_name(m);
  auto back = decode(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->xid, xid);
  EXPECT_EQ(back->version, kVersion15);
  EXPECT_TRUE(back->message == m) << "round trip of " << message_name(m);
}

Envelope decode_ok(std::string_view bytes) {
  auto env = decode(hex(bytes));
  EXPECT_TRUE(env.ok()) << (env.ok() ? "" : env.error().to_string());
  return env.ok() ? std::move(env).value() : Envelope{};
}

void expect_decode_error(std::string_view bytes, std::string_view needle) {
  auto env = decode(hex(bytes));
  ASSERT_FALSE(env.ok()) << "decoded " << bytes;
  EXPECT_NE(env.error().details.find(needle), std::string::npos)
      << "\"" << env.error().details << "\" lacks \"" << needle << "\"";
}

Flow example_flow() {
  Flow f;
  f.table_id = 8;
  f.priority = 100;
  f.match.set(reg(14), 1);
  f.match.set(Field::metadata, 1);
  f.match.set(Field::eth_src, 1);
  f.actions = {Resubmit{kPortInPort, 9}};
  return f;
}

TEST(MessageCodec, HelloAndNegotiation) {
  expect_encodes(Hello{}, 1, "06 00 0010 00000001 0001 0008 00000040");
  auto bitmap = decode_ok("06 00 0010 00000007 0001 0008 00000052");
  EXPECT_EQ(std::get<Hello>(bitmap.message).version_bitmap, 0x52u);
  auto v = negotiate_version(bitmap);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, kVersion15);
  // A bare OpenFlow 1.3 hello: the peer speaks 1.3 and below, not 1.5.
  auto old = decode_ok("04 00 0008 00000001");
  EXPECT_EQ(std::get<Hello>(old.message).version_bitmap, 0x1fu);
  auto bad = negotiate_version(old);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().details.find("does not speak OpenFlow 1.5"), std::string::npos);
  // A later version's bare hello includes 1.5.
  EXPECT_TRUE(negotiate_version(decode_ok("07 00 0008 00000001")).ok());
}

TEST(MessageCodec, SmallMessages) {
  expect_encodes(EchoRequest{{1, 2}}, 2, "06 02 000a 00000002 0102");
  expect_encodes(EchoReply{{}}, 3, "06 03 0008 00000003");
  expect_encodes(FeaturesRequest{}, 4, "06 05 0008 00000004");
  expect_encodes(FeaturesReply{0x0000aabbccddeeff, 0, 254, 0, 0x4f},
                 5, "06 06 0020 00000005 0000aabbccddeeff 00000000 fe 00 0000 0000004f 00000000");
  expect_encodes(GetConfigRequest{}, 6, "06 07 0008 00000006");
  expect_encodes(GetConfigReply{{0, 128}}, 7, "06 08 000c 00000007 0000 0080");
  expect_encodes(SetConfig{}, 8, "06 09 000c 00000008 0000 ffff");
  expect_encodes(BarrierRequest{}, 9, "06 14 0008 00000009");
  expect_encodes(BarrierReply{}, 9, "06 15 0008 00000009");
}

TEST(MessageCodec, FlowMod) {
  expect_encodes(FlowMod{FlowModCommand::kAdd, example_flow()}, 1,
                 "06 0e 0070 00000001"
                 " 0000000000000000 0000000000000000 08 00 0000 0000 0064"
                 " ffffffff ffffffff ffffffff 0000 0000"
                 " 0001 0022 80000806 000000000001 80000408 0000000000000001 00011c04 00000001"
                 " 000000000000"
                 " 0004 0018 00000000 ffff0010 00002320 000e fff8 09 000000");
  Flow del;
  del.table_id = 3;
  del.priority = 5;
  del.match.set(reg(0), 1);
  expect_encodes(FlowMod{.command = FlowModCommand::kDeleteStrict, .flow = del, .out_port = 5}, 2,
                 "06 0e 0040 00000002 0000000000000000 0000000000000000 03 04 0000 0000 0005"
                 " ffffffff 00000005 ffffffff 0000 0000 0001 000c 00010004 00000001 00000000");
  Flow mod = example_flow();
  mod.cookie = 0x1234;
  mod.idle_timeout = 5;
  mod.hard_timeout = 10;
  mod.flags = kFlowSendFlowRem;
  mod.match = Match();
  mod.actions = {};
  expect_encodes(FlowMod{.command = FlowModCommand::kModifyStrict, .flow = mod, .cookie_mask = 0,
                         .importance = 3},
                 3,
                 "06 0e 0038 00000003 0000000000001234 0000000000000000 08 02 0005 000a 0064"
                 " ffffffff ffffffff ffffffff 0001 0003 0001 0004 00000000");
}

TEST(MessageCodec, Bundles) {
  expect_encodes(BundleControl{1, BundleCtrlType::kOpenRequest}, 7,
                 "06 21 0010 00000007 00000001 0000 0003");
  expect_encodes(BundleControl{1, BundleCtrlType::kCommitRequest, kBundleAtomic}, 8,
                 "06 21 0010 00000008 00000001 0004 0001");
  // The inner message's xid is rewritten to the bundle-add's, as the switch requires.
  auto inner = encode(BarrierRequest{}, 99);
  ASSERT_TRUE(inner.ok());
  auto bytes = encode(BundleAdd{1, kBundleAtomic | kBundleOrdered, *inner}, 9);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(to_hex(*bytes),
            to_hex(hex("06 22 0018 00000009 00000001 0000 0003 06 14 0008 00000009")));
  auto back = decode(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(to_hex(std::get<BundleAdd>(back->message).message),
            to_hex(hex("06 14 0008 00000009")));
  auto bad = encode(BundleAdd{1, 0, {1, 2, 3}}, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().details.find("not one complete message"), std::string::npos);
}

// EncodedBatch writes a bundled flow_mod in place; it must be byte-identical to encoding the
// flow_mod and then wrapping it, and number the batch's messages (and inner xids) in order.
TEST(MessageCodec, EncodedBatchMatchesTwoStepEncoding) {
  constexpr uint16_t kFlags = kBundleAtomic | kBundleOrdered;
  Flow big = example_flow();
  big.cookie = 0xabcdef;
  big.idle_timeout = 7;
  big.flags = 1;
  big.actions = {Resubmit{kPortInPort, 9}, Resubmit{kPortInPort, 10}, Resubmit{kPortInPort, 11}};
  Flow wipe;
  wipe.table_id = kTableAll;
  std::vector<FlowMod> mods = {
      FlowMod{.command = FlowModCommand::kDelete, .flow = wipe},
      FlowMod{.command = FlowModCommand::kAdd, .flow = example_flow()},
      FlowMod{.command = FlowModCommand::kAdd, .flow = big},
      strict_delete_of(FlowKey::of(big)),
  };
  EncodedBatch batch;
  ASSERT_TRUE(batch.add(BundleControl{5, BundleCtrlType::kOpenRequest, kFlags}).ok());
  std::vector<uint8_t> expected = *encode(BundleControl{5, BundleCtrlType::kOpenRequest, kFlags}, 100);
  uint32_t xid = 101;
  for (const FlowMod& mod : mods) {
    // The flow passed apart from the FlowMod is the one encoded.
    FlowMod header = mod;
    header.flow = Flow{};
    ASSERT_TRUE(batch.add_bundled_flow_mod(5, kFlags, header, mod.flow).ok());
    auto inner = encode(mod, 0);
    ASSERT_TRUE(inner.ok());
    auto outer = encode(BundleAdd{5, kFlags, *inner}, xid++);
    ASSERT_TRUE(outer.ok());
    expected.insert(expected.end(), outer->begin(), outer->end());
  }
  ASSERT_TRUE(batch.add(BundleControl{5, BundleCtrlType::kCommitRequest, kFlags}).ok());
  auto commit = encode(BundleControl{5, BundleCtrlType::kCommitRequest, kFlags}, xid);
  expected.insert(expected.end(), commit->begin(), commit->end());
  EXPECT_EQ(batch.count(), mods.size() + 2);

  EncodedBatch copy;
  copy.append(batch);
  EXPECT_EQ(copy.count(), batch.count());
  EXPECT_EQ(to_hex(batch.take(100)), to_hex(expected));
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(to_hex(copy.take(100)), to_hex(expected));

  // A flow_mod that cannot be encoded (too long) leaves the batch as it was.
  Flow huge = example_flow();
  huge.actions.assign(6000, Resubmit{kPortInPort, 9});
  EncodedBatch b2;
  ASSERT_TRUE(b2.add(BarrierRequest{}).ok());
  auto st = b2.add_bundled_flow_mod(1, 0, FlowMod{}, huge);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(b2.count(), 1u);
  EXPECT_EQ(to_hex(b2.take(9)), to_hex(hex("06 14 0008 00000009")));
}

TEST(MessageCodec, PacketOut) {
  PacketOut po;
  po.match.set(Field::in_port, 1);
  po.actions = {Resubmit{kPortInPort, 0}};
  po.packet = {1, 2, 3};
  expect_encodes(po, 6,
                 "06 0d 0033 00000006 ffffffff 0010 0000 0001 000c 80000004 00000001 00000000"
                 " ffff0010 00002320 000e fff8 00 000000 010203");
  // Without in_port the switch still needs one: CONTROLLER.
  auto bytes = encode(PacketOut{.packet = {9}}, 1);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(to_hex(*bytes),
            to_hex(hex("06 0d 0021 00000001 ffffffff 0000 0000 0001 000c 80000004 fffffffd"
                       " 00000000 09")));
}

TEST(MessageCodec, GroupMod) {
  GroupMod gm{GroupModCommand::kAdd,
              GroupType::kSelect,
              3,
              kBucketAll,
              {Bucket{0, {Output{1}}, 100}, Bucket{1, {Output{2}}, 50, 2}},
              "dp_hash"};
  expect_encodes(gm, 6,
                 "06 0f 0088 00000006 0000 01 00 00000003 0048 0000 ffffffff"
                 " 0020 0010 00000000 0000 0010 00000001 0000 000000000000 0000 0008 0064 0000"
                 " 0028 0010 00000001 0000 0010 00000002 0000 000000000000 0000 0008 0032 0000"
                 " 0001 0008 00000002"
                 " ffff 0028 0000154d 00000001 00000000 64705f68617368000000000000000000"
                 " 0000000000000000");
  expect_encodes(GroupMod{.command = GroupModCommand::kDelete, .group_id = 4}, 6,
                 "06 0f 0018 00000006 0002 00 00 00000004 0000 0000 ffffffff");
}

TEST(MessageCodec, MeterMod) {
  expect_encodes(MeterMod{MeterModCommand::kAdd, kMeterKbps | kMeterBurst, 4, {MeterBand{1, 10, 5}}},
                 2, "06 1d 0020 00000002 0000 0005 00000004 0001 0010 0000000a 00000005 00000000");
}

TEST(MessageCodec, NiciraMessages) {
  expect_encodes(TlvTableMod{TlvTableCommand::kAdd, {TlvMap{0x0102, 0x80, 4, 0}}}, 2,
                 "06 04 0020 00000002 00002320 00000018 0000 000000000000 0102 80 04 0000 0000");
  expect_encodes(TlvTableRequest{}, 3, "06 04 0010 00000003 00002320 00000019");
  expect_encodes(TlvTableReply{256, 64, {TlvMap{0x0102, 0x80, 4, 0}}}, 4,
                 "06 04 0028 00000004 00002320 0000001a 00000100 0040 00000000000000000000"
                 " 0102 80 04 0000 0000");
  expect_encodes(SetPacketInFormat{}, 5, "06 04 0014 00000005 00002320 00000010 00000002");
  expect_encodes(SetControllerId{7}, 6, "06 04 0018 00000006 00002320 00000014 000000000000 0007");
}

TEST(MessageCodec, PacketIn2AndResume) {
  PacketIn pin;
  pin.packet = {0xaa, 0xbb};
  pin.full_len = 2;
  pin.table_id = 5;
  pin.cookie = 7;
  pin.reason = kPacketInReasonAction;
  pin.metadata.set(reg(14), 1);
  pin.userdata = {1, 2};
  pin.continuation = std::vector<uint8_t>{9};
  const char* props =
      " 0000 0006 aabb 0000"                          // packet
      " 0003 0005 05 000000"                          // table_id
      " 0004 0010 00000000 0000000000000007"          // cookie
      " 0005 0005 01 000000"                          // reason
      " 0006 000c 00011c04 00000001 00000000"         // metadata
      " 0007 0006 0102 0000"                          // userdata
      " 0008 0005 09 000000";                         // continuation
  expect_encodes(pin, 1, std::string("06 04 0058 00000001 00002320 0000001e") + props);
  expect_encodes(resume_from(pin), 2, std::string("06 04 0058 00000002 00002320 0000001c") + props);
  // A truncated packet reports its full length.
  auto trunc = decode_ok(
      "06 04 0028 00000001 00002320 0000001e 0000 0006 aabb 0000 0001 0008 000005dc"
      " 0002 0008 00000010");
  const auto& p = std::get<PacketIn>(trunc.message);
  EXPECT_EQ(p.full_len, 1500u);
  EXPECT_EQ(p.buffer_id, 16u);
  EXPECT_FALSE(p.continuation);
  expect_decode_error("06 04 0018 00000001 00002320 0000001e 0003 0005 05 000000",
                      "without a packet");
  expect_decode_error("06 04 0018 00000001 00002320 0000001c 0000 0006 aabb 0000",
                      "without a continuation");
  auto no_cont = encode(Resume{PacketIn{}}, 1);
  EXPECT_FALSE(no_cont.ok());
}

TEST(MessageCodec, StandardPacketIn) {
  auto env = decode_ok(
      "06 0a 002d 00000001 ffffffff 0003 01 07 0000000000000009"
      " 0001 000c 80000004 00000002 00000000 0000 aabbcc");
  const auto& p = std::get<PacketIn>(env.message);
  EXPECT_EQ(p.packet, (std::vector<uint8_t>{0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(p.table_id, 7);
  EXPECT_EQ(p.cookie, 9u);
  ASSERT_NE(p.metadata.find(Field::in_port), nullptr);
  EXPECT_EQ(p.metadata.find(Field::in_port)->value, U128(2));
}

TEST(MessageCodec, Errors) {
  auto env = decode_ok("06 01 0014 00000005 0002 000f 0102030405060708");
  const auto& e = std::get<ErrorMsg>(env.message);
  EXPECT_EQ(e.type, 2);
  EXPECT_EQ(e.code, 15);
  EXPECT_EQ(e.to_string(), "OFPBAC_BAD_SET_ARGUMENT (type 2, code 15)");
  EXPECT_EQ(e.data.size(), 8u);
  auto nx = decode_ok("06 01 0010 00000005 ffff 0014 00002320");
  EXPECT_EQ(std::get<ErrorMsg>(nx.message).to_string(),
            "NXTTMFC_ALREADY_MAPPED (experimenter 0x2320, code 20)");
  expect_encodes(ErrorMsg{4, 9, 0, {6, 14}}, 3, "06 01 000e 00000003 0004 0009 060e");
  EXPECT_EQ((ErrorMsg{17, 13}).to_string(), "OFPBFC_MSG_FAILED (type 17, code 13)");
  EXPECT_EQ((ErrorMsg{5, 99}).to_string(), "OFPET_FLOW_MOD_FAILED code 99");
  EXPECT_EQ((ErrorMsg{200, 1}).to_string(), "error type 200 code 1");
}

TEST(MessageCodec, FlowStats) {
  expect_encodes(FlowStatsRequest{.table_id = 3, .cookie = 5, .cookie_mask = ~uint64_t{0}}, 6,
                 "06 12 0038 00000006 0001 0000 00000000 03 000000 ffffffff ffffffff 00000000"
                 " 0000000000000005 ffffffffffffffff 0001 0004 00000000");
  auto env = decode_ok(
      "06 13 0070 00000006 0001 0001 00000000"
      " 0060 0000 08 00 0064 0000 0000 0000 0000 0000000000000005"
      " 0001 000c 00011c04 00000001 00000000"
      " 0000 001c 80020008 00000005 00000006 80020808 000000000000000a 00000000"
      " 0004 0018 00000000 ffff0010 00002320 000e fff8 09 000000");
  const auto& reply = std::get<FlowStatsReply>(env.message);
  EXPECT_TRUE(reply.more);
  ASSERT_EQ(reply.flows.size(), 1u);
  const FlowStats& fs = reply.flows[0];
  EXPECT_EQ(fs.flow.table_id, 8);
  EXPECT_EQ(fs.flow.priority, 100);
  EXPECT_EQ(fs.flow.cookie, 5u);
  EXPECT_EQ(fs.duration_sec, 5u);
  EXPECT_EQ(fs.duration_nsec, 6u);
  EXPECT_EQ(fs.packet_count, 10u);
  Match m;
  m.set(reg(14), 1);
  EXPECT_EQ(fs.flow.match, m);
  EXPECT_EQ(fs.flow.actions, (ActionList{Resubmit{kPortInPort, 9}}));
  // Our own encoding decodes back.
  FlowStatsReply mine{{FlowStats{example_flow(), 0, 1, 2, 3, 4}}, false};
  auto bytes = encode(mine, 1);
  ASSERT_TRUE(bytes.ok());
  auto back = decode(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_TRUE(back->message == Message(mine));
}

TEST(MessageCodec, UnknownMessagesAreKept) {
  auto env = decode_ok("06 0c 000c 00000001 01020304");  // OFPT_PORT_STATUS (truncated body)
  const auto& u = std::get<Unknown>(env.message);
  EXPECT_EQ(u.type, 12);
  EXPECT_EQ(u.body.size(), 4u);
  auto nx = decode_ok("06 04 0014 00000001 00002320 00000063 01020304");
  EXPECT_EQ(std::get<Unknown>(nx.message).exp_type, 99u);
}

TEST(MessageCodec, MalformedMessagesAreErrors) {
  expect_decode_error("06 00", "no full header");
  expect_decode_error("06 00 0004 00000001", "shorter than the header");
  expect_decode_error("06 14 0010 00000001", "header says 16 bytes but the message has 8");
  expect_decode_error("04 14 0008 00000001", "unsupported OpenFlow version 0x04");
  expect_decode_error("06 00 000c 00000001 0001 0002", "hello element length 2 < 4");
  expect_decode_error("06 06 0010 00000001 0000000000000001", "truncated");
  expect_decode_error(
      "06 0e 0038 00000003 0000000000000000 0000000000000000 08 09 0000 0000 0064"
      " ffffffff ffffffff ffffffff 0000 0000 0001 0004 00000000",
      "unknown command 9");
  expect_decode_error("06 21 0010 00000001 00000001 0009 0003", "bundle control type 9");
  expect_decode_error("06 22 0014 00000001 00000001 0000 0003 0614 0008", "truncated inner");
  expect_decode_error("06 04 001a 00000001 00002320 00000018 0000 000000000000 0102",
                      "not a multiple of 8");
  expect_decode_error("06 13 0014 00000001 0001 0000 00000000 0002 0000", "length 2 < 4");
  expect_decode_error(
      "06 0f 0020 00000001 0000 09 00 00000001 0008 0000 ffffffff 0008 0000 00000000",
      "unknown type 9");
  expect_decode_error("06 1d 0018 00000001 0000 0001 00000001 0001 0008 00000000",
                      "meter band length 8 < 16");
}

}  // namespace
}  // namespace ovnx::openflow
