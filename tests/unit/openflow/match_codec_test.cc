// OXM encoding of matches: byte-exact field encodings (codes from ovs-fields(7) and the
// OpenFlow 1.5 spec), decoding of the alternative codes Open vSwitch may send, and errors.
#include <gtest/gtest.h>

#include "hex.h"
#include "openflow/codec.h"
#include "openflow/match.h"

namespace ovnx::openflow {
namespace {

using testing::hex;
using testing::to_hex;

// An ofp_match around FIELDS: type OFPMT_OXM, length 4 + fields, zero padding to 8.
std::vector<uint8_t> ofp_match(std::string_view fields) {
  std::vector<uint8_t> f = hex(fields);
  std::vector<uint8_t> out = {0x00, 0x01, static_cast<uint8_t>((4 + f.size()) >> 8),
                              static_cast<uint8_t>(4 + f.size())};
  out.insert(out.end(), f.begin(), f.end());
  while (out.size() % 8) out.push_back(0);
  return out;
}

void expect_encodes(const Match& m, std::string_view fields) {
  auto bytes = encode_match(m);
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  EXPECT_EQ(to_hex(*bytes), to_hex(ofp_match(fields)));
  auto back = decode_match(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, m) << "round trip of " << fields;
}

Match one(Field f, U128 v) {
  Match m;
  m.set(f, v);
  return m;
}
Match one(Field f, U128 v, U128 mask) {
  Match m;
  m.set_masked(f, v, mask);
  return m;
}

TEST(MatchCodec, EmptyMatch) { expect_encodes(Match(), ""); }

TEST(MatchCodec, BasicOxmFields) {
  expect_encodes(one(Field::in_port, kPortLocal), "80000004 fffffffe");
  expect_encodes(one(Field::in_port, 7), "80000004 00000007");
  expect_encodes(one(Field::eth_src, 1), "80000806 000000000001");
  expect_encodes(one(Field::eth_dst, U128(0x010000000000), U128(0x010000000000)),
                 "8000070c 010000000000 010000000000");
  expect_encodes(one(Field::eth_type, 0x0800), "80000a02 0800");
  expect_encodes(one(Field::ip_src, 0x0a000000, 0xff000000), "80001708 0a000000 ff000000");
  expect_encodes(one(Field::ip_dst, 0x01020304), "80001804 01020304");
  expect_encodes(one(Field::ipv6_src, U128(0xfe80000000000000ULL, 1)),
                 "80003410 fe800000000000000000000000000001");
  expect_encodes(one(Field::ipv6_dst, U128(0, 1)), "80003610 00000000000000000000000000000001");
  expect_encodes(one(Field::ipv6_label, 5), "80003804 00000005");
  expect_encodes(one(Field::nw_proto, 6), "80001401 06");
  expect_encodes(one(Field::nw_ecn, 1), "80001201 01");
  expect_encodes(one(Field::arp_op, 1), "80002a02 0001");
  expect_encodes(one(Field::arp_spa, 0x01010101), "80002c04 01010101");
  expect_encodes(one(Field::arp_tpa, 0x01010100, 0xffffff00), "80002f08 01010100 ffffff00");
  expect_encodes(one(Field::arp_sha, 1), "80003006 000000000001");
  expect_encodes(one(Field::arp_tha, 0), "80003206 000000000000");
  expect_encodes(one(Field::tcp_src, 5), "80001a02 0005");
  expect_encodes(one(Field::tcp_dst, 80), "80001c02 0050");
  expect_encodes(one(Field::udp_src, 68), "80001e02 0044");
  expect_encodes(one(Field::udp_dst, 67), "80002002 0043");
  expect_encodes(one(Field::sctp_src, 1), "80002202 0001");
  expect_encodes(one(Field::sctp_dst, 2), "80002402 0002");
  expect_encodes(one(Field::tcp_flags, 0x002, 0x012), "80005504 0002 0012");
  expect_encodes(one(Field::icmp_type, 3), "80002601 03");
  expect_encodes(one(Field::icmp_code, 4), "80002801 04");
  expect_encodes(one(Field::icmpv6_type, 135), "80003a01 87");
  expect_encodes(one(Field::icmpv6_code, 0), "80003c01 00");
  expect_encodes(one(Field::nd_target, U128(0xfe80000000000000ULL, 2)),
                 "80003e10 fe800000000000000000000000000002");
  expect_encodes(one(Field::nd_sll, 1), "80004006 000000000001");
  expect_encodes(one(Field::nd_tll, 2), "80004206 000000000002");
  expect_encodes(one(Field::metadata, 1), "80000408 0000000000000001");
  expect_encodes(one(Field::metadata, 5, 0xff), "80000510 0000000000000005 00000000000000ff");
  expect_encodes(one(Field::tun_id, 5), "80004c08 0000000000000005");
}

TEST(MatchCodec, NiciraAndOtherClasses) {
  expect_encodes(one(Field::vlan_tci, 0x1000, 0x1000), "00000904 1000 1000");
  expect_encodes(one(Field::nw_ttl, 5), "00013a01 05");
  expect_encodes(one(Field::nw_frag, 3), "00013401 03");            // later
  expect_encodes(one(Field::nw_frag, 0, 2), "00013502 00 02");      // not_later
  expect_encodes(one(Field::nd_reserved, 5), "10000204 00000005");  // ERICOXM class 0x1000
  expect_encodes(one(Field::nd_options_type, 1), "10000401 01");
  expect_encodes(one(reg(0), 5, 0xff), "00010108 00000005 000000ff");
  expect_encodes(one(reg(14), 1), "00011c04 00000001");
  expect_encodes(one(reg(15), 2), "00011e04 00000002");
  expect_encodes(one(Field::tun_src, 0x01010101), "00013e04 01010101");
  expect_encodes(one(Field::tun_dst, 0x02020202), "00014004 02020202");
  expect_encodes(one(Field::tun_ipv6_src, 2), "0001da10 00000000000000000000000000000002");
  expect_encodes(one(Field::tun_ipv6_dst, 3), "0001dc10 00000000000000000000000000000003");
  expect_encodes(one(Field::ct_state, 0x20, 0x20), "0001d308 00000020 00000020");
  expect_encodes(one(Field::ct_zone, 5), "0001d402 0005");
  expect_encodes(one(Field::ct_mark, 5, 7), "0001d708 00000005 00000007");
  expect_encodes(one(Field::ct_label, 1, 1),
                 "0001d920 00000000000000000000000000000001 00000000000000000000000000000001");
  expect_encodes(one(Field::ct_nw_src, 0x01010101), "0001f004 01010101");
  expect_encodes(one(Field::ct_nw_dst, 0x01010101), "0001f204 01010101");
  expect_encodes(one(Field::ct_ipv6_src, 1), "0001f410 00000000000000000000000000000001");
  expect_encodes(one(Field::ct_ipv6_dst, 1), "0001f610 00000000000000000000000000000001");
  expect_encodes(one(Field::ct_nw_proto, 6), "0001ee01 06");
  expect_encodes(one(Field::ct_tp_src, 5), "0001f802 0005");
  expect_encodes(one(Field::ct_tp_dst, 80), "0001fa02 0050");
  expect_encodes(one(Field::conj_id, 7), "00014a04 00000007");
  expect_encodes(one(Field::pkt_mark, 5), "00014204 00000005");
  expect_encodes(one(Field::recirc_id, 5), "00014804 00000005");
  expect_encodes(one(Field::dp_hash, 3, 0xf), "00014708 00000003 0000000f");
}

TEST(MatchCodec, AliasesEncodeAsTheirStorage) {
  // nw_tos goes out as OXM_OF_IP_DSCP (the DSCP bits), as Open vSwitch sends it.
  expect_encodes(one(Field::nw_tos, 0x10), "80001001 04");
  expect_encodes(one(Field::ip_dscp, 0x0f), "80001001 0f");
  // xreg3 = reg6:reg7.
  expect_encodes(one(xreg(3), U128(0x0000000500000006)), "00010c04 00000005 00010e04 00000006");
}

TEST(MatchCodec, TunMetadataUsesShortestLength) {
  // The switch right-aligns the value into the option's mapped length.
  expect_encodes(one(tun_metadata(0), 5), "00015001 05");
  expect_encodes(one(tun_metadata(0), 0x1234, 0xffff), "00015104 1234 ffff");
  expect_encodes(one(tun_metadata(0), 0), "00015001 00");
  expect_encodes(one(tun_metadata(63), 0x01020304), "0001ce04 01020304");
}

TEST(MatchCodec, FieldsSortedByField) {
  Match m;
  m.set(reg(14), 1);
  m.set(Field::metadata, 1);
  m.set(Field::eth_src, 1);
  expect_encodes(m, "80000806 000000000001 80000408 0000000000000001 00011c04 00000001");
}

Result<Match> decode_fields(std::string_view fields) { return decode_match(ofp_match(fields)); }

TEST(MatchCodec, DecodesAlternativeCodes) {
  // Open vSwitch sends registers as OXM_OF_PKT_REG (xreg) in OpenFlow 1.5: xreg7 = reg14:reg15.
  auto m = decode_fields("80010f10 00000001 00000000 ffffffff 00000000");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(*m, one(reg(14), 1));
  // vlan as OXM vid + pcp.
  m = decode_fields("80000c02 1005 80000e01 03");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(*m, one(Field::vlan_tci, 0x7005));
  // NXM codes.
  m = decode_fields("00000406 000000000001");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, one(Field::eth_src, 1));
  m = decode_fields("00000002 0005");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, one(Field::in_port, 5));
  // ONF experimenter tcp_flags (OpenFlow 1.3 style).
  m = decode_fields("ffff5406 4f4e4600 0002");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(*m, one(Field::tcp_flags, 2));
  // OXM ip_dscp folds onto nw_tos.
  m = decode_fields("80001001 0f");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, one(Field::nw_tos, 0x3c));
}

void expect_error(std::span<const uint8_t> bytes, std::string_view needle) {
  auto m = decode_match(bytes);
  ASSERT_FALSE(m.ok()) << "decoded " << to_hex(bytes);
  EXPECT_EQ(m.error().tag, "openflow decode error");
  EXPECT_NE(m.error().details.find(needle), std::string::npos)
      << "error \"" << m.error().details << "\" lacks \"" << needle << "\"";
}

TEST(MatchCodec, MalformedInputIsAnError) {
  expect_error(hex(""), "truncated");
  expect_error(hex("0001"), "truncated");
  expect_error(hex("0000 0004 00000000"), "not OFPMT_OXM");
  expect_error(hex("0001 0002 00000000"), "length 2 < 4");
  expect_error(hex("0001 0010 80000806 0000"), "truncated");  // length beyond the data
  expect_error(ofp_match("8000"), "truncated");
  expect_error(ofp_match("8000fe01 00"), "unknown OXM field class 0x8000 field 127");
  expect_error(ofp_match("80000804 00000000"), "eth_src has a 4-byte value, expected 6");
  expect_error(ofp_match("80000806 0000"), "truncated");
  expect_error(ofp_match("80000a02 0800 80000a02 0800"), "eth_type twice");
  expect_error(ofp_match("80000905 0000000000"), "odd payload length");
  expect_error(ofp_match("80000004 ffff0000"), "outside");
  expect_error(ofp_match("80003804 00100000"), "wider than its 20 bits");
  expect_error(ofp_match("00015011 0000000000000000000000000000000000"), "17-byte value");
  expect_error(ofp_match("ffff5402 0000"), "experimenter OXM header with length 2 < 4");
  expect_error(ofp_match("ffff0005 00002320 00"), "unknown OXM field 0 of experimenter");
}

}  // namespace
}  // namespace ovnx::openflow
