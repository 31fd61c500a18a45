#include <gtest/gtest.h>

#include "packets/dhcp4.h"
#include "packets/dhcp6.h"
#include "test_util.h"

namespace ovnx::packets {
namespace {

using testing::hex;

DhcpMessage discover() {
  DhcpMessage m;
  m.xid = 0x3903f326;
  m.flags = 0x8000;
  m.set_client_mac(*parse_mac("00:05:3c:04:8d:59"));
  m.options.push_back({kDhcpOptMessageType, {1}});
  m.options.push_back({kDhcpOptParamRequest, {1, 3, 6, 15}});
  return m;
}

TEST(Dhcp4, BuildLayout) {
  Bytes b = build_dhcp4(discover());
  ASSERT_EQ(b.size(), kDhcp4MinLen);
  EXPECT_BYTES(ByteView(b).first(12), "01 01 06 00 39 03 f3 26 00 00 80 00");
  EXPECT_BYTES(ByteView(b).subspan(28, 6), "00 05 3c 04 8d 59");
  // Cookie at 236, then 53=1, 55=[1,3,6,15], END, zero padding.
  EXPECT_BYTES(ByteView(b).subspan(236, 16), "63 82 53 63 35 01 01 37 04 01 03 06 0f ff 00 00");
}

TEST(Dhcp4, RoundTripAndAccessors) {
  DhcpMessage m = discover();
  m.sname = "server";
  m.file = "pxelinux.0";
  m.ciaddr = *parse_ipv4("10.0.0.9");
  auto p = parse_dhcp4(build_dhcp4(m));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(*p, m);
  EXPECT_EQ(p->message_type(), DhcpMessageType::discover);
  EXPECT_EQ(dhcp_message_type_name(*p->message_type()), "DHCPDISCOVER");
  EXPECT_EQ(p->requested_options(), (std::vector<uint8_t>{1, 3, 6, 15}));
  EXPECT_TRUE(p->broadcast());
  EXPECT_EQ(p->client_mac().to_string(), "00:05:3c:04:8d:59");
}

TEST(Dhcp4, LongOptionsSplitAndConcatenated) {
  DhcpMessage m = discover();
  Bytes long_value(600);
  for (size_t i = 0; i < long_value.size(); ++i) long_value[i] = uint8_t(i);
  m.set(kDhcpOptBootfileName, long_value);
  Bytes b = build_dhcp4(m);
  // RFC 3396: 255 + 255 + 90 in three consecutive instances of option 67.
  size_t at = 240 + 3 + 6;
  EXPECT_EQ(b[at], kDhcpOptBootfileName);
  EXPECT_EQ(b[at + 1], 255);
  EXPECT_EQ(b[at + 257], kDhcpOptBootfileName);
  EXPECT_EQ(b[at + 258], 255);
  EXPECT_EQ(b[at + 514], kDhcpOptBootfileName);
  EXPECT_EQ(b[at + 515], 90);
  auto p = parse_dhcp4(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->find(kDhcpOptBootfileName)->value, long_value);
}

TEST(Dhcp4, OptionOverloadIntoFileAndSname) {
  Bytes b = build_dhcp4(discover());
  Bytes overload = hex("34 01 03");  // option 52: options continue in file, then sname
  b.insert(b.begin() + 240, overload.begin(), overload.end());
  // Option 54 in the file field, option 12 in sname.
  Bytes in_file = hex("36 04 0a 00 00 01 ff");
  Bytes in_sname = hex("0c 03 61 62 63 ff");
  std::copy(in_file.begin(), in_file.end(), b.begin() + 108);
  std::copy(in_sname.begin(), in_sname.end(), b.begin() + 44);
  auto p = parse_dhcp4(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_BYTES(p->find(kDhcpOptServerId)->value, "0a 00 00 01");
  EXPECT_BYTES(p->find(kDhcpOptHostname)->value, "61 62 63");
  EXPECT_TRUE(p->file.empty());
  EXPECT_TRUE(p->sname.empty());
  // Rebuilt, everything sits in the options field and no overload is claimed.
  auto again = parse_dhcp4(build_dhcp4(*p));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->find(kDhcpOptOverload), nullptr);
  EXPECT_BYTES(again->find(kDhcpOptHostname)->value, "61 62 63");
}

TEST(Dhcp4, Malformed) {
  Bytes b = build_dhcp4(discover());
  for (size_t n : {0, 1, 100, 235, 236, 239}) {
    EXPECT_FALSE(parse_dhcp4(ByteView(b).first(n)).ok()) << n;
  }
  Bytes cookie = b;
  cookie[236] = 0;
  auto r = parse_dhcp4(cookie);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details.find("magic cookie"), std::string::npos);
  Bytes overrun(b.begin(), b.begin() + 240);
  Bytes opt = hex("0c 10 61 62");  // hostname claims 16 bytes, has 2
  overrun.insert(overrun.end(), opt.begin(), opt.end());
  r = parse_dhcp4(overrun);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details.find("option 12 value"), std::string::npos);
  // No END is tolerated.
  EXPECT_TRUE(parse_dhcp4(ByteView(b).first(240 + 3 + 6)).ok());
}

TEST(Dhcp4, ReplySkeleton) {
  DhcpMessage offer = make_dhcp4_reply(discover(), DhcpMessageType::offer);
  EXPECT_EQ(offer.op, kBootReply);
  EXPECT_EQ(offer.xid, 0x3903f326u);
  EXPECT_EQ(offer.client_mac(), discover().client_mac());
  EXPECT_EQ(offer.message_type(), DhcpMessageType::offer);
}

TEST(Dhcp6, SolicitParseAndReplyBuild) {
  // SOLICIT xid 0x123456 with client id (DUID-LL), elapsed time, IA_NA (IAID 1), ORO [23, 24].
  Bytes solicit =
      hex("01 12 34 56"
          " 00 01 00 0a 00 03 00 01 0a 00 00 00 00 01"
          " 00 08 00 02 00 00"
          " 00 03 00 0c 00 00 00 01 00 00 00 00 00 00 00 00"
          " 00 06 00 04 00 17 00 18");
  auto m = parse_dhcp6(solicit);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->type, Dhcp6MessageType::solicit);
  EXPECT_EQ(m->xid, 0x123456u);
  ASSERT_NE(m->find(kDhcp6OptIaNa), nullptr);
  auto ia = parse_dhcp6_ia_na(m->find(kDhcp6OptIaNa)->value);
  ASSERT_TRUE(ia.ok());
  EXPECT_EQ(ia->iaid, 1u);
  EXPECT_EQ(build_dhcp6(*m), solicit);

  Dhcp6Message adv{Dhcp6MessageType::advertise, m->xid, {}};
  adv.add(kDhcp6OptServerId, make_duid_ll(*parse_mac("00:00:00:00:10:02")));
  adv.add(kDhcp6OptClientId, m->find(kDhcp6OptClientId)->value);
  Dhcp6IaNa reply_ia{
      1, 0, 0, {Dhcp6IaAddress{*parse_ipv6("ae70::4"), 0xffffffff, 0xffffffff, {}}}, {}};
  adv.add(kDhcp6OptIaNa, build_dhcp6_ia_na(reply_ia));
  Bytes b = build_dhcp6(adv);
  EXPECT_BYTES(ByteView(b).first(18), "02 12 34 56 00 02 00 0a 00 03 00 01 00 00 00 00 10 02");
  auto back = parse_dhcp6(b);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, adv);
  auto ia_back = parse_dhcp6_ia_na(back->find(kDhcp6OptIaNa)->value);
  ASSERT_TRUE(ia_back.ok());
  EXPECT_EQ(*ia_back, reply_ia);
  // IA_NA value: IAID, T1, T2, then IAADDR (code 5, length 24).
  EXPECT_BYTES(ByteView(build_dhcp6_ia_na(reply_ia)).subspan(12, 4), "00 05 00 18");
  EXPECT_BYTES(make_dhcp6_status(kDhcp6StatusNoAddrsAvail, "no"), "00 02 6e 6f");
}

TEST(Dhcp6, Malformed) {
  EXPECT_FALSE(parse_dhcp6(hex("01 12 34")).ok());
  EXPECT_FALSE(parse_dhcp6(hex("01 12 34 56 00 01 00 05 00")).ok());
  auto relay = parse_dhcp6(hex("0c 00 00 00"));
  ASSERT_FALSE(relay.ok());
  EXPECT_NE(relay.error().details.find("relay"), std::string::npos);
  EXPECT_FALSE(parse_dhcp6(hex("00 00 00 00")).ok());
  EXPECT_FALSE(parse_dhcp6_ia_na(hex("00 00 00 01 00 00")).ok());
  EXPECT_FALSE(parse_dhcp6_ia_na(hex("00 00 00 01 00 00 00 00 00 00 00 00 00 05 00 04 00 00 00 00"))
                   .ok());  // IAADDR too short for an address
}

}  // namespace
}  // namespace ovnx::packets
