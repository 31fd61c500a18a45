#include "packets/addresses.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <unordered_set>

namespace ovnx::packets {
namespace {

TEST(MacAddr, ParseAndFormat) {
  auto m = parse_mac("0A:00:00:00:00:FF");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->to_string(), "0a:00:00:00:00:ff");
  EXPECT_EQ(m->to_u64(), 0x0a00000000ffULL);
  EXPECT_EQ(MacAddr::from_u64(0x0a00000000ffULL), *m);
  EXPECT_TRUE(MacAddr::broadcast().is_broadcast());
  EXPECT_TRUE(parse_mac("01:00:5e:00:00:01")->is_multicast());
  EXPECT_TRUE(parse_mac("02:00:00:00:00:01")->is_local());
  EXPECT_EQ(parse_mac("a:0:0:0:0:1")->to_string(), "0a:00:00:00:00:01");  // OVS accepts this
  for (const char* bad : {"", "0a:00:00:00:00", "0a:00:00:00:00:0g", "0a-00-00-00-00-00",
                          "0a:00:00:00:00:001", "0a:00:00:00:00:00:00", "0a:00:00:00:00:", ":0a:00:00:00:00:00",
                          "0a::00:00:00:00:00", "0a:00:00:00:00:00 "}) {
    auto r = parse_mac(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().tag, "syntax error");
    EXPECT_NE(r.error().details.find(bad), std::string::npos);
  }
}

TEST(Ipv4Addr, ParseAndFormat) {
  auto a = parse_ipv4("10.0.0.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value, 0x0a000001u);
  EXPECT_EQ(a->to_string(), "10.0.0.1");
  EXPECT_EQ(parse_ipv4("255.255.255.255")->value, 0xffffffffu);
  EXPECT_TRUE(parse_ipv4("224.0.0.251")->is_multicast());
  for (const char* bad : {"", "10.0.0", "10.0.0.1.", "10.0.0.256", "010.0.0.1", "1.2.3.4/8",
                          "a.b.c.d", "1..2.3", " 1.2.3.4", "1.2.3.4 ", "1.2.3.1000"}) {
    EXPECT_FALSE(parse_ipv4(bad).ok()) << bad;
  }
}

TEST(Ipv4Prefix, ParseAndMasks) {
  auto p = parse_ipv4_prefix("192.168.1.1/24");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->len, 24);
  EXPECT_EQ(p->network().to_string(), "192.168.1.0");
  EXPECT_EQ(p->broadcast().to_string(), "192.168.1.255");
  EXPECT_TRUE(p->has_host_bits());
  EXPECT_TRUE(p->contains(*parse_ipv4("192.168.1.77")));
  EXPECT_FALSE(p->contains(*parse_ipv4("192.168.2.1")));
  EXPECT_EQ(p->to_string(), "192.168.1.1/24");
  EXPECT_EQ(parse_ipv4_prefix("10.0.0.0/255.255.0.0")->len, 16);
  EXPECT_EQ(parse_ipv4_prefix("10.0.0.5")->len, 32);
  EXPECT_EQ(parse_ipv4_prefix("0.0.0.0/0")->mask().value, 0u);
  EXPECT_FALSE(parse_ipv4_prefix("10.0.0.0/33").ok());
  EXPECT_FALSE(parse_ipv4_prefix("10.0.0.0/").ok());
  EXPECT_FALSE(parse_ipv4_prefix("10.0.0.0/08").ok());
  EXPECT_FALSE(parse_ipv4_prefix("10.0.0.0/255.0.255.0").ok());
  EXPECT_EQ(netmask_length(Ipv4Addr{0xffffff00}), 24);
  EXPECT_EQ(netmask_length(Ipv4Addr{0xff00ff00}), -1);
}

// glibc's inet_pton/inet_ntop are the reference for IPv6 text forms.
std::string ntop(const Ipv6Addr& a) {
  char buf[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, a.bytes.data(), buf, sizeof buf);
}

TEST(Ipv6Addr, ParseMatchesInetPton) {
  for (const char* text : {"::", "::1", "1::", "fe80::1", "2001:db8::ff00:42:8329",
                           "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:10.0.0.1",
                           "::10.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
                           "1:2:3:4:5:6:1.2.3.4", "FE80::ABCD", "1::1.2.3.4"}) {
    auto a = parse_ipv6(text);
    ASSERT_TRUE(a.ok()) << text << ": " << a.error().to_string();
    uint8_t ref[16];
    ASSERT_EQ(inet_pton(AF_INET6, text, ref), 1) << text;
    EXPECT_EQ(0, memcmp(ref, a->bytes.data(), 16)) << text;
  }
  for (const char* text : {"", ":", ":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
                           "1:2:3:4:5:6:7", ":1::", "1::2:", "g::", "1:2:3:4:5:6:7:1.2.3.4",
                           "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:8::"}) {
    uint8_t ref[16];
    EXPECT_EQ(inet_pton(AF_INET6, text, ref), 0) << text;  // the oracle agrees it is bad
    EXPECT_FALSE(parse_ipv6(text).ok()) << text;
  }
}

TEST(Ipv6Addr, FormatMatchesInetNtop) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    Ipv6Addr a;
    // Mostly-zero words exercise the "::" choice; some mapped/compatible forms too.
    for (size_t w = 0; w < 8; ++w) {
      uint16_t v = (rng() % 3 == 0) ? uint16_t(rng()) : (rng() % 4 == 0 ? 1 : 0);
      a.bytes[2 * w] = uint8_t(v >> 8);
      a.bytes[2 * w + 1] = uint8_t(v);
    }
    if (i % 50 == 0) a = Ipv6Addr::mapped_v4(Ipv4Addr{uint32_t(rng())});
    ASSERT_EQ(a.to_string(), ntop(a));
    auto back = parse_ipv6(a.to_string());
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(*back, a);
  }
}

TEST(Ipv6Addr, DerivedAddresses) {
  auto mac = *parse_mac("00:11:22:33:44:55");
  EXPECT_EQ(Ipv6Addr::link_local_from_mac(mac).to_string(), "fe80::211:22ff:fe33:4455");
  auto a = *parse_ipv6("2001:db8::1:2:3");
  EXPECT_EQ(a.solicited_node().to_string(), "ff02::1:ff02:3");
  EXPECT_EQ(a.solicited_node().multicast_mac().to_string(), "33:33:ff:02:00:03");
  EXPECT_TRUE(parse_ipv6("fe80::1")->is_link_local());
  EXPECT_TRUE(Ipv6Addr::mapped_v4(Ipv4Addr{1}).is_v4_mapped());
}

TEST(Ipv6Prefix, Parse) {
  auto p = parse_ipv6_prefix("2001:db8::1/64");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->network().to_string(), "2001:db8::");
  EXPECT_TRUE(p->contains(*parse_ipv6("2001:db8::ffff")));
  EXPECT_FALSE(p->contains(*parse_ipv6("2001:db9::1")));
  EXPECT_EQ(p->to_string(), "2001:db8::1/64");
  EXPECT_EQ(parse_ipv6_prefix("::/0")->len, 0);
  EXPECT_EQ(Ipv6Addr::netmask(65).to_string(), "ffff:ffff:ffff:ffff:8000::");
  EXPECT_FALSE(parse_ipv6_prefix("::/129").ok());
  EXPECT_FALSE(parse_ipv6_prefix("x::/64").ok());
}

TEST(IpPrefix, EitherFamily) {
  EXPECT_FALSE(parse_ip_prefix("10.0.0.0/8")->is_v6);
  EXPECT_EQ(parse_ip_prefix("10.0.0.0/8")->v4.len, 8);
  EXPECT_TRUE(parse_ip_prefix("fd00::/8")->is_v6);
  EXPECT_EQ(parse_ip_prefix("fd00::/8")->to_string(), "fd00::/8");
  EXPECT_EQ(parse_ip_prefix("10.1.2.3")->to_string(), "10.1.2.3/32");
  EXPECT_FALSE(parse_ip_prefix("10.0.0.0/40").ok());
  EXPECT_FALSE(parse_ip_prefix("fd00::/200").ok());
}

TEST(IpAddr, EitherFamilyAndHashing) {
  EXPECT_FALSE(parse_ip("10.0.0.1")->is_v6);
  EXPECT_TRUE(parse_ip("::1")->is_v6);
  EXPECT_EQ(parse_ip("::1")->to_string(), "::1");
  EXPECT_FALSE(parse_ip("bogus").ok());
  std::unordered_set<MacAddr> macs{MacAddr::broadcast(), MacAddr{}};
  std::unordered_set<Ipv6Addr> v6{*parse_ipv6("::1"), *parse_ipv6("::2")};
  EXPECT_EQ(macs.size() + v6.size(), 4u);
  EXPECT_LT(*parse_ipv4("10.0.0.1"), *parse_ipv4("10.0.0.2"));
}

}  // namespace
}  // namespace ovnx::packets
