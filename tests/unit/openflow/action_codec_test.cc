// Action encodings, byte for byte (layouts from the OpenFlow 1.5 spec and Open vSwitch's
// Nicira extension structures), decoding of the other forms Open vSwitch uses, and errors.
#include <gtest/gtest.h>

#include "hex.h"
#include "openflow/codec.h"

namespace ovnx::openflow {
namespace {

using testing::hex;
using testing::to_hex;

void expect_encodes(const ActionList& actions, std::string_view expected) {
  auto bytes = encode_actions(actions);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  EXPECT_EQ(to_hex(*bytes), to_hex(hex(expected)));
  auto back = decode_actions(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, actions) << "round trip of " << expected;
}

void expect_encodes(const Action& a, std::string_view expected) {
  expect_encodes(ActionList{a}, expected);
}

void expect_decodes(std::string_view bytes, const ActionList& expected) {
  auto got = decode_actions(hex(bytes));
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ(*got, expected) << bytes;
}

void expect_decode_error(std::string_view bytes, std::string_view needle) {
  auto got = decode_actions(hex(bytes));
  ASSERT_FALSE(got.ok()) << "decoded " << bytes;
  EXPECT_EQ(got.error().tag, "openflow decode error");
  EXPECT_NE(got.error().details.find(needle), std::string::npos)
      << "\"" << got.error().details << "\" lacks \"" << needle << "\"";
}

void expect_encode_error(const ActionList& actions, std::string_view needle) {
  auto got = encode_actions(actions);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().tag, "openflow encode error");
  EXPECT_NE(got.error().details.find(needle), std::string::npos)
      << "\"" << got.error().details << "\" lacks \"" << needle << "\"";
}

TEST(ActionCodec, Output) {
  expect_encodes(Output{3}, "0000 0010 00000003 0000 000000000000");
  expect_encodes(Output{kPortLocal}, "0000 0010 fffffffe 0000 000000000000");
  expect_encodes(Output{kPortInPort}, "0000 0010 fffffff8 0000 000000000000");
  expect_encodes(OutputReg{Subfield::whole(reg(15))},
                 "ffff 0018 00002320 000f 001f 00011e04 ffff 000000000000");
  expect_encodes(OutputReg{Subfield{reg(15), 0, 16}, 0},
                 "ffff 0018 00002320 000f 000f 00011e04 0000 000000000000");
}

TEST(ActionCodec, Resubmit) {
  expect_encodes(Resubmit{kPortInPort, 9}, "ffff 0010 00002320 000e fff8 09 000000");
  expect_encodes(Resubmit{7, kTableNone}, "ffff 0010 00002320 000e 0007 ff 000000");
  expect_encodes(Resubmit{3, 5}, "ffff 0010 00002320 000e 0003 05 000000");
}

TEST(ActionCodec, SetField) {
  expect_encodes(SetField::exact(reg(15), 5), "0019 0010 00011e04 00000005 00000000");
  expect_encodes(SetField::load(Subfield{reg(10), 3, 1}, 1),
                 "0019 0010 00011508 00000008 00000008");
  expect_encodes(SetField::exact(Field::eth_src, 5), "0019 0010 80000806 000000000005 0000");
  expect_encodes(SetField::exact(Field::tun_id, 5), "0019 0010 80004c08 0000000000000005");
  expect_encodes(SetField::exact(tun_metadata(0), 1), "0019 0010 00015001 01 000000 00000000");
  expect_encodes(SetField::load(Subfield{tun_metadata(0), 16, 15}, 1),
                 "0019 0010 00015108 00010000 7fff0000");
  expect_encodes(SetField::exact(xreg(1), 2), "0019 0010 80010208 0000000000000002");
  expect_encodes(SetField::load(Subfield{Field::metadata, 0, 8}, 5),
                 "0019 0018 80000510 0000000000000005 00000000000000ff");
  expect_encodes(SetField::exact(Field::in_port, 5), "0019 0010 00000002 0005 000000000000");
  expect_encodes(SetField::exact(Field::ip_dst, 0x01020304), "0019 0010 80001804 01020304 00000000");
}

TEST(ActionCodec, MoveIsCopyField) {
  expect_encodes(Move{Subfield::whole(reg(14)), Subfield::whole(reg(15))},
                 "001c 0018 0020 0000 0000 0000 00011c04 00011e04 00000000");
  expect_encodes(Move{Subfield{tun_metadata(0), 16, 15}, Subfield{reg(14), 0, 15}},
                 "001c 0018 000f 0010 0000 0000 0001507c 00011c04 00000000");
  expect_encodes(Move{Subfield{xxreg(0), 0, 32}, Subfield::whole(Field::ip_dst)},
                 "001c 0018 0020 0000 0000 0000 0001de10 80001804 00000000");
}

TEST(ActionCodec, Conjunction) {
  expect_encodes(Conjunction{7, 0, 2}, "ffff 0010 00002320 0022 00 02 00000007");
  expect_encodes(Conjunction{8, 1, 3}, "ffff 0010 00002320 0022 01 03 00000008");
}

TEST(ActionCodec, CtWithNatAndExec) {
  Ct ct{.commit = true,
        .zone_src = Subfield{reg(13), 0, 16},
        .recirc_table = 10,
        .actions = {Nat{.kind = Nat::Kind::kSrc,
                        .family = Nat::Family::kIpv4,
                        .addr_min = 0x0a000001,
                        .addr_max = 0x0a000002,
                        .port_min = 100,
                        .port_max = 200,
                        .random = true},
                    SetField{Field::ct_mark, 1, 1}}};
  expect_encodes(ct,
                 "ffff 0048 00002320 0023 0001 00011a04 000f 0a 000000 0000"
                 " ffff 0020 00002320 0024 0000 0011 0033 0a000001 0a000002 0064 00c8 00000000"
                 " 0019 0010 0001d708 00000001 00000001");
  expect_encodes(Ct{.zone_imm = 5, .actions = {Nat{}}},
                 "ffff 0028 00002320 0023 0000 00000000 0005 ff 000000 0000"
                 " ffff 0010 00002320 0024 0000 0000 0000");
  expect_encodes(Ct{.commit = true, .force = true, .alg = 21},
                 "ffff 0018 00002320 0023 0003 00000000 0000 ff 000000 0015");
  Nat v6{.kind = Nat::Kind::kDst,
         .family = Nat::Family::kIpv6,
         .addr_min = U128(0xfe80000000000000ULL, 1),
         .port_min = 80,
         .persistent = true,
         .hash = true};
  expect_encodes(Ct{.actions = {v6}},
                 "ffff 0040 00002320 0023 0000 00000000 0000 ff 000000 0000"
                 " ffff 0028 00002320 0024 0000 000e 0014 fe800000000000000000000000000001 0050"
                 " 000000000000");
  expect_encodes(CtClear{}, "ffff 0010 00002320 002b 000000000000");
  // OVN's stateful ACLs copy a register into ct_label inside exec(); OVS accepts that.
  expect_encodes(Ct{.commit = true,
                    .actions = {Move{Subfield{reg(0), 0, 32}, Subfield{Field::ct_label, 96, 32}}}},
                 "ffff 0030 00002320 0023 0001 00000000 0000 ff 000000 0000"
                 " 001c 0018 0020 0000 0060 0000 00010004 0001d810 00000000");
}

TEST(ActionCodec, Controller2) {
  expect_encodes(Controller{.userdata = {1}},
                 "ffff 0018 00002320 0025 000000000000 0003 0005 01 000000");
  expect_encodes(Controller{.max_len = 100,
                            .controller_id = 5,
                            .reason = kPacketInReasonNoMatch,
                            .userdata = {0, 0, 0, 1, 2},
                            .pause = true,
                            .meter_id = 3},
                 "ffff 0048 00002320 0025 000000000000"
                 " 0000 0008 0064 0000 0001 0008 0005 0000 0002 0005 00 000000"
                 " 0003 0009 0000000102 000000 00000000 0004 0004 00000000 0005 0008 00000003");
  expect_encodes(Controller{}, "ffff 0010 00002320 0025 000000000000");
}

TEST(ActionCodec, SimpleActions) {
  expect_encodes(Clone{{DecTtl{}, CtClear{}}},
                 "ffff 0028 00002320 002a 000000000000 0018 0008 00000000"
                 " ffff 0010 00002320 002b 000000000000");
  expect_encodes(DecTtl{}, "0018 0008 00000000");
  expect_encodes(Group{3}, "0016 0008 00000003");
  expect_encodes(Meter{4}, "001d 0008 00000004");
  expect_encodes(SetQueue{5}, "0015 0008 00000005");
  expect_encodes(PushVlan{}, "0011 0008 8100 0000");
  expect_encodes(PopVlan{}, "0012 0008 00000000");
  expect_encodes(Note{{1, 2, 3, 0, 0, 0}}, "ffff 0010 00002320 0008 010203000000");
  expect_encodes(Note{{1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0}},
                 "ffff 0018 00002320 0008 01020304050607 00000000000000");
  expect_encodes(StackPush{Subfield::whole(Field::in_port)},
                 "ffff 0018 00002320 001b 0000 00000002 0010 000000000000");
  expect_encodes(StackPop{Subfield::whole(Field::in_port)},
                 "ffff 0018 00002320 001c 0000 00000002 0010 000000000000");
  expect_encodes(StackPush{Subfield{tun_metadata(0), 0, 32}},
                 "ffff 0018 00002320 001b 0000 0001507c 0020 000000000000");
  expect_encodes(CheckPktLarger{1500, Subfield{reg(0), 1, 1}},
                 "ffff 0018 00002320 0031 05dc 0001 00010004 000000000000");
  // Short notes are padded out to the 16-byte minimum; the switch reports the zeros back.
  auto short_note = encode_actions({Note{{1, 2, 3}}});
  ASSERT_TRUE(short_note.ok());
  EXPECT_EQ(to_hex(*short_note), to_hex(hex("ffff 0010 00002320 0008 010203 000000")));
}

TEST(ActionCodec, DecodesOtherForms) {
  // OpenFlow 1.0-1.4 move and loads.
  expect_decodes("ffff 0018 00002320 0006 0020 0000 0000 00011c04 00011e04",
                 {Move{Subfield::whole(reg(14)), Subfield::whole(reg(15))}});
  expect_decodes("ffff 0018 00002320 0007 0003 00010004 0000000000000005",
                 {SetField{reg(0), 5, 0xf}});
  expect_decodes("ffff 0018 00002320 0021 00010108 00000005 0000000f 0000",
                 {SetField{reg(0), 5, 0xf}});
  // NXAST_CONTROLLER, output to CONTROLLER and NXAST_RESUBMIT.
  expect_decodes("ffff 0010 00002320 0014 0064 0005 00 00",
                 {Controller{.max_len = 100, .controller_id = 5, .reason = 0}});
  expect_decodes("0000 0010 fffffffd 0064 000000000000", {Controller{.max_len = 100}});
  expect_decodes("ffff 0010 00002320 0001 0007 00000000", {Resubmit{7, kTableNone}});
  // A list of several.
  expect_decodes("0018 0008 00000000 0016 0008 00000003", {DecTtl{}, Group{3}});
}

TEST(ActionCodec, MalformedInputIsAnError) {
  expect_decode_error("0000 0000 00000000", "bad length 0");
  expect_decode_error("0000 000c 00000000 00000000", "bad length 12");
  expect_decode_error("0000 0010 00000003", "overruns");
  expect_decode_error("0063 0008 00000000", "unsupported action type 99");
  expect_decode_error("ffff 0010 00002320 03e7 000000000000", "subtype 999");
  expect_decode_error("ffff 0010 00001234 0001 000000000000", "vendor 0x1234");
  expect_decode_error("001c 0018 0021 0000 0000 0000 00011c04 00011e04 00000000", "do not fit");
  expect_decode_error("ffff 0010 00002320 0022 02 02 00000007", "clause 3 of 2");
  expect_decode_error("ffff 0010 00002320 0024 0000 0003 0000", "both src and dst");
  expect_decode_error("ffff 0010 00002320 0024 0000 0001 0001", "truncated");
  expect_decode_error("0019 0008 80000806", "truncated");
  expect_decode_error("0019 0010 8000fe04 00000000 00000000", "unknown OXM field");
  expect_decode_error("ffff 0018 00002320 0025 000000000000 0003 0002 0000 0000",
                      "property length 2 < 4");
  expect_decode_error("0000 0010 ffff0000 0000 000000000000", "outside");
  // What the encoder refuses, the decoder refuses too (so anything decoded re-encodes).
  expect_decode_error("0019 0010 0001d204 00000001 00000000", "ct_state is read-only");
  expect_decode_error("0019 0010 00010108 00000000 00000000", "all-zero mask");
  expect_decode_error("ffff 0010 00002320 0024 0000 0000 0000", "nat outside a ct action");
  expect_decode_error("ffff 0020 00002320 0023 0000 00000000 0000 ff 000000 0000"
                      " 0018 0008 00000000",
                      "nested dec_ttl is not allowed");
  expect_decode_error("ffff 0018 00002320 0023 0000 00011a04 0007 ff 000000 0000",
                      "zone subfield of 8 bits");
  expect_decode_error("001c 0018 0020 0000 0000 0000 00011c04 0001d204 00000000",
                      "ct_state is read-only");
  // Deep nesting is refused rather than recursed into.
  std::vector<uint8_t> nested = hex("0018 0008 00000000");
  for (int i = 0; i < 20; i++) {
    size_t len = nested.size() + 16;
    std::vector<uint8_t> outer = hex("ffff 0000 00002320 002a 000000000000");
    outer[2] = static_cast<uint8_t>(len >> 8);
    outer[3] = static_cast<uint8_t>(len);
    outer.insert(outer.end(), nested.begin(), nested.end());
    nested = std::move(outer);
  }
  auto deep = decode_actions(nested);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().details.find("nested too deeply"), std::string::npos);
}

TEST(ActionCodec, UnencodableValuesAreErrors) {
  expect_encode_error({Move{Subfield{reg(0), 0, 16}, Subfield{reg(1), 0, 8}}}, "16 bits to 8");
  expect_encode_error({Move{Subfield{reg(0), 30, 4}, Subfield{reg(1), 0, 4}}}, "invalid subfield");
  expect_encode_error({SetField::exact(Field::ct_state, 1)}, "read-only");
  expect_encode_error({SetField{reg(0), 0x100, 0xff}}, "do not fit");
  expect_encode_error({Nat{}}, "only valid inside ct");
  expect_encode_error({Ct{.actions = {Output{1}}}}, "only nat and set_field/move");
  expect_encode_error({Ct{.actions = {Move{Subfield{reg(0), 0, 16}, Subfield{reg(1), 0, 16}}}}},
                      "not move");
  expect_encode_error({Conjunction{1, 2, 2}}, "clause 3 of 2");
  expect_encode_error({CheckPktLarger{100, Subfield{reg(0), 0, 2}}}, "one bit");
  expect_encode_error({Ct{.zone_src = Subfield{reg(0), 0, 8}}}, "16 bits");
  expect_encode_error({Ct{.actions = {Nat{.family = Nat::Family::kIpv4, .addr_min = 1}}}},
                      "needs src or dst");
}

}  // namespace
}  // namespace ovnx::openflow
