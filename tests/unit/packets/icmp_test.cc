#include <gtest/gtest.h>

#include "packets/icmp4.h"
#include "packets/icmp6.h"
#include "packets/ipv4.h"
#include "test_util.h"

namespace ovnx::packets {
namespace {

using testing::hex;

TEST(Icmp4, EchoExactAndReply) {
  Bytes req = build_icmp4_echo(kIcmp4EchoRequest, 0x1234, 1, hex("61 62 63 64"));
  EXPECT_BYTES(req, "08 00 21 04 12 34 00 01 61 62 63 64");
  auto m = parse_icmp4(req);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->checksum_ok);
  EXPECT_EQ(m->id, 0x1234);
  EXPECT_EQ(m->seq, 1);
  Bytes rep = build_icmp4_echo_reply(*m);
  EXPECT_EQ(rep[0], kIcmp4EchoReply);
  EXPECT_TRUE(parse_icmp4(rep)->checksum_ok);
  EXPECT_BYTES(parse_icmp4(rep)->body, "61 62 63 64");
  EXPECT_FALSE(parse_icmp4(hex("08 00 21 04 12 34 00")).ok());
}

TEST(Icmp4, ErrorQuotesHeaderAndLimitsLength) {
  Ipv4Header h;
  h.protocol = kIpProtoUdp;
  h.src = *parse_ipv4("10.0.0.1");
  h.dst = *parse_ipv4("10.0.0.2");
  Bytes original = build_ipv4(h, Bytes(1000, 0xab));
  Bytes err = build_icmp4_error(kIcmp4DestUnreachable, kIcmp4FragNeeded, original, 1400);
  EXPECT_EQ(err.size(), kIcmp4ErrorMaxLen);  // 576 - 20: the IP datagram stays within 576
  auto m = parse_icmp4(err);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->checksum_ok);
  EXPECT_EQ(m->mtu, 1400);
  EXPECT_BYTES(ByteView(m->body).first(20), to_hex(ByteView(original).first(20)));
  // A tiny limit still quotes the IP header and 8 bytes (RFC 792).
  Bytes small = build_icmp4_error(kIcmp4TimeExceeded, kIcmp4TtlExceeded, original, 0, 10);
  EXPECT_EQ(small.size(), 8u + 20 + 8);
  // A short original is quoted whole.
  Bytes tiny = build_icmp4_error(kIcmp4DestUnreachable, kIcmp4PortUnreachable, hex("45 00"));
  EXPECT_EQ(tiny.size(), 10u);
}

const Ipv6Endpoints kNsIp{*parse_ipv6("fe80::1"), *parse_ipv6("ff02::1:ff00:2")};

TEST(Icmp6, NeighborSolicitExact) {
  Icmp6Message ns = make_nd_ns(*parse_ipv6("fe80::2"), *parse_mac("00:00:00:00:00:01"));
  Bytes b = *build_icmp6(kNsIp, ns);
  EXPECT_BYTES(b,
               "87 00 7c 97 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02"
               " 01 01 00 00 00 00 00 01");
  EXPECT_TRUE(icmp6_checksum_ok(kNsIp, b));
  auto m = parse_icmp6(b);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, kNdNeighborSolicit);
  EXPECT_EQ(m->target.to_string(), "fe80::2");
  EXPECT_EQ(m->options.source_lla->to_string(), "00:00:00:00:00:01");
  Bytes bad = b;
  bad[23] ^= 1;
  EXPECT_FALSE(icmp6_checksum_ok(kNsIp, bad));
}

TEST(Icmp6, NeighborAdvertRoundTrip) {
  Icmp6Message na = make_nd_na(*parse_ipv6("fe80::2"), *parse_mac("0a:00:00:00:00:02"), true);
  Ipv6Endpoints ip{*parse_ipv6("fe80::2"), *parse_ipv6("fe80::1")};
  Bytes b = *build_icmp6(ip, na);
  EXPECT_EQ(b[0], 0x88);
  EXPECT_BYTES(ByteView(b).subspan(4, 4), "e0 00 00 00");            // R, S, O
  EXPECT_BYTES(ByteView(b).subspan(24), "02 01 0a 00 00 00 00 02");  // target link-layer addr
  EXPECT_TRUE(icmp6_checksum_ok(ip, b));
  auto m = parse_icmp6(b);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->router && m->solicited && m->override);
  EXPECT_EQ(m->options, na.options);
}

TEST(Icmp6, RouterAdvertWithAllOptions) {
  Icmp6Message ra;
  ra.type = kNdRouterAdvert;
  ra.cur_hop_limit = 255;
  ra.managed = true;
  ra.router_preference = 1;
  ra.router_lifetime = 0xffff;
  ra.options.source_lla = *parse_mac("ae:01:02:03:04:05");
  ra.options.mtu = 1500;
  ra.options.prefixes.push_back(
      NdPrefixInfo{*parse_ipv6_prefix("aef0::/64"), true, false, 0xffffffff, 0xffffffff});
  ra.options.routes.push_back(NdRouteInfo{*parse_ipv6_prefix("2001:db8::/48"), -1, 3600});
  ra.options.rdnss = {*parse_ipv6("aef0::1"), *parse_ipv6("aef0::2")};
  ra.options.rdnss_lifetime = 600;
  ra.options.dnssl = {"ovn.org", "example.com"};
  ra.options.dnssl_lifetime = 600;
  ra.options.other.push_back(NdRawOption{200, hex("01 02 03 04 05 06")});
  Ipv6Endpoints ip{*parse_ipv6("fe80::1"), *parse_ipv6("ff02::1")};
  Bytes b = *build_icmp6(ip, ra);
  // Fixed part: type, code, checksum, hop limit 255, flags M|prf high (0x88), lifetime.
  EXPECT_BYTES(ByteView(b).subspan(4, 12), "ff 88 ff ff 00 00 00 00 00 00 00 00");
  // The options start with SLL then MTU, exactly as RFC 4861 4.6.1 and 4.6.4 lay them out.
  EXPECT_BYTES(ByteView(b).subspan(16, 16), "01 01 ae 01 02 03 04 05 05 01 00 00 00 00 05 dc");
  // Prefix information: /64, L only, infinite lifetimes, reserved, the prefix.
  EXPECT_BYTES(ByteView(b).subspan(32, 32),
               "03 04 40 80 ff ff ff ff ff ff ff ff 00 00 00 00"
               " ae f0 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
  EXPECT_EQ(b.size() % 8, 0u);
  EXPECT_TRUE(icmp6_checksum_ok(ip, b));
  auto m = parse_icmp6(b);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->options, ra.options);
  EXPECT_TRUE(m->managed);
  EXPECT_FALSE(m->other_config);
  EXPECT_EQ(m->router_preference, 1);
  EXPECT_EQ(m->router_lifetime, 0xffff);
}

TEST(Icmp6, MalformedNdOptions) {
  Ipv6Endpoints ip;
  Icmp6Message rs;
  rs.type = kNdRouterSolicit;
  Bytes b = *build_icmp6(ip, rs);
  Bytes zero = b;
  Bytes opt = hex("01 00 00 00 00 00 00 00");  // length 0 is forbidden (RFC 4861 4.6)
  zero.insert(zero.end(), opt.begin(), opt.end());
  auto r = parse_icmp6(zero);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details.find("length 0"), std::string::npos);
  Bytes overrun = b;
  Bytes big = hex("01 02 00 00 00 00 00 00");  // claims 16 bytes, has 8
  overrun.insert(overrun.end(), big.begin(), big.end());
  EXPECT_FALSE(parse_icmp6(overrun).ok());
  Bytes bad_prefix = b;
  Bytes pi = hex("03 01 81 00 00 00 00 00");  // prefix info with the wrong length
  bad_prefix.insert(bad_prefix.end(), pi.begin(), pi.end());
  EXPECT_FALSE(parse_icmp6(bad_prefix).ok());
  EXPECT_FALSE(parse_icmp6(hex("87 00 00 00 00 00 00 00 fe 80")).ok());  // truncated target
}

TEST(Icmp6, UnencodableOptionsAreErrors) {
  Icmp6Message ra;
  ra.type = kNdRouterAdvert;
  ra.options.dnssl = {"ok.org", "bad..name"};
  auto r = build_icmp6(Ipv6Endpoints{}, ra);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details.find("bad..name"), std::string::npos);
  ra.options.dnssl.clear();
  ra.options.rdnss.assign(128, Ipv6Addr{});
  EXPECT_FALSE(build_icmp6(Ipv6Endpoints{}, ra).ok());
}

TEST(Icmp6, EchoAndErrors) {
  Ipv6Endpoints ip{*parse_ipv6("2001:db8::1"), *parse_ipv6("2001:db8::2")};
  Icmp6Message echo;
  echo.type = kIcmp6EchoRequest;
  echo.id = 7;
  echo.seq = 9;
  Bytes data = hex("aa bb");
  echo.body = data;
  Bytes b = *build_icmp6(ip, echo);
  auto m = parse_icmp6(b);
  ASSERT_TRUE(m.ok());
  Icmp6Message reply = make_icmp6_echo_reply(*m);
  Bytes rb = *build_icmp6(Ipv6Endpoints{ip.dst, ip.src}, reply);
  EXPECT_TRUE(icmp6_checksum_ok(Ipv6Endpoints{ip.dst, ip.src}, rb));
  EXPECT_BYTES(ByteView(rb).subspan(4), "00 07 00 09 aa bb");

  Bytes big(2000, 0x55);
  Bytes e = *build_icmp6(ip, make_icmp6_error(kIcmp6PacketTooBig, 0, big, 1280));
  EXPECT_EQ(e.size(), 1280u - 40);  // the whole packet within the IPv6 minimum MTU
  EXPECT_EQ(parse_icmp6(e)->param, 1280u);
  EXPECT_BYTES(ByteView(e).first(8), to_hex(ByteView(e).first(4)) + " 00 00 05 00");
  EXPECT_TRUE(icmp6_checksum_ok(ip, e));
  Bytes te = *build_icmp6(ip, make_icmp6_error(kIcmp6TimeExceeded, 0, hex("60 00 00 00")));
  EXPECT_BYTES(te, "03 00 " + to_hex(ByteView(te).subspan(2, 2)) + " 00 00 00 00 60 00 00 00");
}

}  // namespace
}  // namespace ovnx::packets
