// Which MAC, IP and CIDR arguments ovnx-nbctl accepts and how it normalizes them; the expected
// values are what the real ovn-nbctl 23.03 accepts and stores (observed by running it).
#include "nbctl/addresses.h"

#include <gtest/gtest.h>

namespace ovnx::nbctl {
namespace {

bool mac_prefix_ok(std::string_view text) {
  Scanner s(text);
  Mac mac;
  return scan_mac(s, &mac);
}

TEST(Mac, ScanAcceptsWhatOvsScanfAccepts) {
  EXPECT_TRUE(mac_prefix_ok("00:00:00:00:00:01"));
  EXPECT_TRUE(mac_prefix_ok("0:0:0:0:0:1"));
  EXPECT_TRUE(mac_prefix_ok("+1:2:3:4:5:6"));
  EXPECT_TRUE(mac_prefix_ok("-1:2:3:4:5:6"));
  EXPECT_TRUE(mac_prefix_ok("1: 2:3:4:5:6"));        // blanks before a number
  EXPECT_TRUE(mac_prefix_ok("100:00:00:00:00:01"));  // truncated to 8 bits
  EXPECT_TRUE(mac_prefix_ok("00:00:00:00:00:01x"));  // only the prefix is looked at
  EXPECT_TRUE(mac_prefix_ok("99999999999999999999:1:2:3:4:5"));
  EXPECT_FALSE(mac_prefix_ok("0:0:0:0:0"));
  EXPECT_FALSE(mac_prefix_ok("0:0:0:0:0:"));
  EXPECT_FALSE(mac_prefix_ok("g0:0:0:0:0:1"));
  EXPECT_FALSE(mac_prefix_ok("0x:1:2:3:4:5"));
  EXPECT_FALSE(mac_prefix_ok("1 :2:3:4:5:6"));
  EXPECT_FALSE(mac_prefix_ok("zz:00:00:00:00:01"));
  EXPECT_FALSE(mac_prefix_ok(""));
}

TEST(Mac, WholeArgument) {
  EXPECT_TRUE(parse_mac("0:0:0:0:0:1"));
  EXPECT_TRUE(parse_mac(" 00:00:00:00:00:01"));
  EXPECT_FALSE(parse_mac("00:00:00:00:00:01 "));
  EXPECT_FALSE(parse_mac("00:00:00:00:00:01x"));
  EXPECT_EQ(parse_mac("0:A:b:c:d:ff")->to_string(), "00:0a:0b:0c:0d:ff");
  EXPECT_EQ(parse_mac("100:0:0:0:0:1")->to_string(), "00:00:00:00:00:01");
}

TEST(Ipv4Cidr, Accepted) {
  for (const char* ok : {"10.0.0.1/24", "10.0.0.1", "10.0.0.256/24", " 1.2.3.4/24", "1.2.3.4/ 24",
                         "1.2.3.4/255.255.255.0", "1.2.3.4/+8", "0.0.0.0/0", "1.2.3.4/32"}) {
    EXPECT_TRUE(parse_ipv4_cidr(ok)) << ok;
  }
  for (const char* bad : {"10.0.0.1/33", "foo", "1.2.3.4/24x", "1.2.3.4/24 ", "1.2.3/24",
                          "1.2.3.4/-1", "1.2.3.4/255.0.255.0", "fe80::1/64", ""}) {
    EXPECT_FALSE(parse_ipv4_cidr(bad)) << bad;
  }
  auto c = parse_ipv4_cidr("10.0.0.5/255.255.0.0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->plen, 16);
  EXPECT_EQ(ipv4_to_string(c->addr), "10.0.0.5");
}

TEST(Ipv6Cidr, Accepted) {
  for (const char* ok : {"fe80::1/64", "fe80::1", " fe80::1/64", "fe80::1/ 64",
                         "fe80::1/ffff:ffff::", "::ffff:1.2.3.4/128", "fe80::1/+64"}) {
    EXPECT_TRUE(parse_ipv6_cidr(ok)) << ok;
  }
  for (const char* bad : {"fe80::1/129", "fe80::1/64 ", "fe80::1/ffff:0:ffff::", "10.0.0.1/8",
                          "g::1", ""}) {
    EXPECT_FALSE(parse_ipv6_cidr(bad)) << bad;
  }
  EXPECT_EQ(parse_ipv6_cidr("fe80::1/ffff:ffff::")->plen, 32);
}

TEST(Prefix, NormalizedAsRoutesStoreThem) {
  EXPECT_EQ(normalize_prefix("192.168.1.1/24"), "192.168.1.0/24");
  EXPECT_EQ(normalize_prefix("10.9.0.1"), "10.9.0.1");
  EXPECT_EQ(normalize_prefix("10.9.0.2/32"), "10.9.0.2");
  EXPECT_EQ(normalize_prefix("0.0.0.0/0"), "0.0.0.0/0");
  EXPECT_EQ(normalize_prefix("2001:DB8:0:1::1/64"), "2001:db8:0:1::/64");
  EXPECT_EQ(normalize_prefix("FE80::0005"), "fe80::5");
  EXPECT_FALSE(normalize_prefix("10.0.0.0/33"));
  EXPECT_FALSE(normalize_prefix("bad"));
  EXPECT_EQ(normalize_ipv4("10.0.0.1"), "10.0.0.1");
  EXPECT_FALSE(normalize_ipv4("010.0.0.1"));
  EXPECT_FALSE(normalize_ipv4("10.0.0.1/24"));
  EXPECT_EQ(normalize_ipv6("FE80::0001"), "fe80::1");
}

TEST(LportAddresses, ExtractsIpsUntilTheFirstBadToken) {
  auto a = extract_lport_addresses("00:00:00:00:00:01 10.0.0.1 fe80::1 10.0.0.2/24 foo 10.0.0.9");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->mac.to_string(), "00:00:00:00:00:01");
  ASSERT_EQ(a->ipv4.size(), 2u);
  EXPECT_EQ(ipv4_to_string(a->ipv4[1]), "10.0.0.2");
  ASSERT_EQ(a->ipv6.size(), 1u);
  EXPECT_EQ(ipv6_to_string(a->ipv6[0]), "fe80::1");
  auto b = extract_lport_addresses("00:00:00:00:00:03 010.0.0.002");
  ASSERT_TRUE(b);
  EXPECT_EQ(ipv4_to_string(b->ipv4[0]), "10.0.0.2");
  EXPECT_FALSE(extract_lport_addresses("router"));
  EXPECT_FALSE(extract_lport_addresses("dynamic 10.0.0.1"));
}

TEST(LportAddresses, DynamicForms) {
  EXPECT_TRUE(is_dynamic_lsp_address("dynamic"));
  EXPECT_TRUE(is_dynamic_lsp_address("dynamic 10.0.0.1"));
  EXPECT_TRUE(is_dynamic_lsp_address("dynamic 10.0.0.1 fe80::1"));
  EXPECT_TRUE(is_dynamic_lsp_address("dynamic fe80::1"));
  EXPECT_TRUE(is_dynamic_lsp_address("00:00:00:00:00:01 dynamic"));
  EXPECT_FALSE(is_dynamic_lsp_address("dynamicx"));
  EXPECT_FALSE(is_dynamic_lsp_address("00:00:00:00:00:01 10.0.0.1"));
}

TEST(Endpoint, ParsesAndNormalizes) {
  auto e = parse_endpoint("10.0.0.1:080", false);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->to_string(), "10.0.0.1:80");
  EXPECT_EQ(parse_endpoint("[FE80::1]:80", false)->to_string(), "[fe80::1]:80");
  EXPECT_EQ(parse_endpoint("[fe80::9]", false)->to_string(), "fe80::9");
  EXPECT_EQ(parse_endpoint("fe80::9:80", false)->to_string(), "fe80::9:80");  // all address
  EXPECT_EQ(parse_endpoint("10.0.0.43:", false)->to_string(), "10.0.0.43");
  EXPECT_EQ(parse_endpoint("10.0.0.63:+80", false)->to_string(), "10.0.0.63:80");
  EXPECT_EQ(parse_endpoint("[fe80::1:80", false)->to_string(), "fe80::1:80");
  for (const char* bad : {"bad", "1:2", ":80", "", "10.0.0.1:99999", "10.0.0.1:-1",
                          "10.0.0.1:8O", "10.0.0.1%x", " 10.0.0.1", "1.2.3"}) {
    EXPECT_FALSE(parse_endpoint(bad, false)) << bad;
  }
}

}  // namespace
}  // namespace ovnx::nbctl
