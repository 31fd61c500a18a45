// The catalogue must match what OVN 23.03's northd writes to the SB (checked against a running
// ovn-northd), and value encodings must match OVN's published put_dhcp_opts/put_dhcpv6_opts
// byte vectors.
#include "packets/dhcp_options.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "test_util.h"

namespace ovnx::packets {
namespace {

Bytes enc4(std::string_view name, std::string_view text) {
  auto r = encode_dhcp4_option(name, text);
  EXPECT_TRUE(r.ok()) << name << "=" << text << ": " << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? *r : Bytes{};
}

std::string err4(std::string_view name, std::string_view text) {
  auto r = encode_dhcp4_option(name, text);
  EXPECT_FALSE(r.ok()) << name << "=" << text;
  return r.ok() ? "" : r.error().to_string();
}

TEST(DhcpCatalogue, MatchesOvn2303Southbound) {
  // name,code,type of every SB DHCP_Options row a fresh ovn-northd 23.03 writes.
  const std::set<std::string> expected = {"offerip,0,ipv4",
                                          "netmask,1,ipv4",
                                          "router,3,ipv4",
                                          "dns_server,6,ipv4",
                                          "log_server,7,ipv4",
                                          "lpr_server,9,ipv4",
                                          "hostname,12,str",
                                          "domain_name,15,str",
                                          "swap_server,16,ipv4",
                                          "ip_forward_enable,19,bool",
                                          "policy_filter,21,ipv4",
                                          "default_ttl,23,uint8",
                                          "mtu,26,uint16",
                                          "broadcast_address,28,ipv4",
                                          "router_discovery,31,bool",
                                          "router_solicitation,32,ipv4",
                                          "arp_cache_timeout,35,uint32",
                                          "ethernet_encap,36,bool",
                                          "tcp_ttl,37,uint8",
                                          "tcp_keepalive_interval,38,uint32",
                                          "nis_server,41,ipv4",
                                          "ntp_server,42,ipv4",
                                          "netbios_name_server,44,ipv4",
                                          "netbios_node_type,46,uint8",
                                          "lease_time,51,uint32",
                                          "server_id,54,ipv4",
                                          "T1,58,uint32",
                                          "T2,59,uint32",
                                          "tftp_server,66,host_id",
                                          "bootfile_name,67,str",
                                          "domain_search_list,119,domains",
                                          "classless_static_route,121,static_routes",
                                          "tftp_server_address,150,ipv4",
                                          "path_prefix,210,str",
                                          "ms_classless_static_route,249,static_routes",
                                          "wpad,252,str",
                                          "next_server,253,ipv4",
                                          "bootfile_name_alt,254,str"};
  std::set<std::string> actual;
  for (const DhcpOptionDef& d : dhcp4_option_catalogue()) {
    if (d.in_ovn_23_03) {
      actual.insert(fmt::format("{},{},{}", d.name, d.code, type_name(d.type)));
    }
  }
  EXPECT_EQ(actual, expected);

  const std::set<std::string> expected6 = {"server_id,2,mac", "dns_server,23,ipv6",
                                           "ia_addr,5,ipv6", "domain_search,24,str"};
  std::set<std::string> actual6;
  for (const DhcpOptionDef& d : dhcp6_option_catalogue()) {
    if (d.in_ovn_23_03) actual6.insert(fmt::format("{},{},{}", d.name, d.code, type_name(d.type)));
  }
  EXPECT_EQ(actual6, expected6);
  ASSERT_NE(find_dhcp6_option("fqdn"), nullptr);
  EXPECT_EQ(find_dhcp6_option("fqdn")->code, 39);
  EXPECT_EQ(find_dhcp4_option("nonesuch"), nullptr);
}

TEST(DhcpOptionEncoding, MatchesOvnVectors) {
  EXPECT_BYTES(enc4("router", "10.0.0.1"), "0a 00 00 01");
  EXPECT_BYTES(enc4("netmask", "255.255.254.0"), "ff ff fe 00");
  EXPECT_BYTES(enc4("mtu", "1400"), "05 78");
  EXPECT_BYTES(enc4("ip_forward_enable", "1"), "01");
  EXPECT_BYTES(enc4("default_ttl", "121"), "79");
  EXPECT_BYTES(enc4("dns_server", "{8.8.8.8, 7.7.7.7}"), "08 08 08 08 07 07 07 07");
  EXPECT_BYTES(enc4("dns_server", "{8.8.8.8 7.7.7.7}"), "08 08 08 08 07 07 07 07");
  EXPECT_BYTES(enc4("classless_static_route",
                    "{30.0.0.0/24,10.0.0.4,40.0.0.0/16,10.0.0.6,0.0.0.0/0,10.0.0.1}"),
               "18 1e 00 00 0a 00 00 04 10 28 00 0a 00 00 06 00 0a 00 00 01");
  EXPECT_BYTES(enc4("classless_static_route", "{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}"),
               "18 1e 00 00 0a 00 00 0a 00 0a 00 00 01");
  EXPECT_BYTES(enc4("arp_cache_timeout", "10"), "00 00 00 0a");
  EXPECT_BYTES(enc4("tftp_server_address", "{10.0.0.4,10.0.0.5}"), "0a 00 00 04 0a 00 00 05");
  EXPECT_BYTES(enc4("tftp_server", "10.0.0.10"), "0a 00 00 0a");
  EXPECT_BYTES(enc4("tftp_server", "\"tftp_server_test\""),
               "74 66 74 70 5f 73 65 72 76 65 72 5f 74 65 73 74");
  EXPECT_BYTES(enc4("domain_name", "\"ovn.org\""), "6f 76 6e 2e 6f 72 67");
  EXPECT_BYTES(enc4("wpad", "\"https://example.org\""),
               "68 74 74 70 73 3a 2f 2f 65 78 61 6d 70 6c 65 2e 6f 72 67");
  EXPECT_BYTES(enc4("domain_search_list", "\"ovn.org,abc.ovn.org\""),
               "03 6f 76 6e 03 6f 72 67 00 03 61 62 63 c0 00");
  EXPECT_BYTES(
      enc4("domain_search_list",
           "\"ovn.org,abc.ovn.org,def.ovn.org,ovn.test,def.ovn.test,test.org,abc.com\""),
      "03 6f 76 6e 03 6f 72 67 00 03 61 62 63 c0 00 03 64 65 66 c0 00 03 6f 76 6e 04 74 65 73 74"
      " 00 03 64 65 66 c0 15 04 74 65 73 74 c0 04 03 61 62 63 03 63 6f 6d 00");
  EXPECT_BYTES(enc4("netbios_node_type", "2"), "02");
  EXPECT_BYTES(enc4("broadcast_address", "255.255.255.255"), "ff ff ff ff");
}

TEST(DhcpOptionEncoding, Dhcp6WireForms) {
  // server_id travels as a DUID-LL; domain_search and fqdn as DNS names.
  EXPECT_BYTES(*encode_dhcp6_option("server_id", "00:00:00:00:10:02"),
               "00 03 00 01 00 00 00 00 10 02");
  EXPECT_BYTES(*encode_dhcp6_option("dns_server", "{ae70::1,ae89::2}"),
               "ae 70 00 00 00 00 00 00 00 00 00 00 00 00 00 01"
               " ae 89 00 00 00 00 00 00 00 00 00 00 00 00 00 02");
  EXPECT_BYTES(*encode_dhcp6_option("ia_addr", "ae70::4"),
               "ae 70 00 00 00 00 00 00 00 00 00 00 00 00 00 04");
  EXPECT_BYTES(*encode_dhcp6_option("domain_search", "\"ovn.org,a.ovn.org\""),
               "03 6f 76 6e 03 6f 72 67 00 01 61 03 6f 76 6e 03 6f 72 67 00");
  EXPECT_BYTES(*encode_dhcp6_option("fqdn", "\"ovn.org\""), "00 03 6f 76 6e 03 6f 72 67 00");
  EXPECT_FALSE(encode_dhcp6_option("server_id", "10.0.0.1").ok());
  EXPECT_FALSE(encode_dhcp6_option("nope", "1").ok());
}

TEST(DhcpOptionEncoding, ClearErrors) {
  EXPECT_EQ(err4("router", "10.0.0.256"),
            "syntax error: DHCP option \"router\": invalid IPv4 address \"10.0.0.256\"");
  EXPECT_EQ(err4("mtu", "70000"),
            "syntax error: DHCP option \"mtu\": 70000 is out of range 0..65535");
  EXPECT_EQ(err4("mtu", "{1, 2}"),
            "syntax error: DHCP option \"mtu\": expected one uint16 value, got 2");
  EXPECT_EQ(err4("lease_time", "soon"),
            "syntax error: DHCP option \"lease_time\": \"soon\" is not an unsigned integer");
  EXPECT_EQ(err4("ip_forward_enable", "2"),
            "syntax error: DHCP option \"ip_forward_enable\": \"2\" is not a boolean (0 or 1)");
  EXPECT_EQ(err4("classless_static_route", "{30.0.0.0/24}"),
            "syntax error: DHCP option \"classless_static_route\": expected pairs of destination "
            "prefix and router");
  EXPECT_EQ(err4("dns_server", "{8.8.8.8"),
            "syntax error: DHCP option \"dns_server\": missing '}'");
  EXPECT_EQ(err4("domain_name", "\"ovn.org"),
            "syntax error: DHCP option \"domain_name\": unterminated string");
  EXPECT_EQ(err4("domain_name", ""), "syntax error: DHCP option \"domain_name\": empty value");
  EXPECT_EQ(err4("bogus", "1"), "syntax error: unknown DHCPv4 option \"bogus\"");
  EXPECT_NE(err4("domain_search_list", "\"a..b\"").find("empty label"), std::string::npos);
  EXPECT_BYTES(enc4("lease_time", "0x10"), "00 00 00 10");
  EXPECT_BYTES(enc4("hostname", "\"a \\\"b\\\"\""), "61 20 22 62 22");
}

}  // namespace
}  // namespace ovnx::packets
