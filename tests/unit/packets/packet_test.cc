// Whole frames: dissect what clients send, build what the controller answers, and cross-check a
// built frame with an independent decoder (Python's struct, when python3 is installed).
#include "packets/packet.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "packets/dhcp4.h"
#include "packets/dhcp_options.h"
#include "test_util.h"

namespace ovnx::packets {
namespace {

const MacAddr kClient = *parse_mac("0a:00:00:00:00:10");
const MacAddr kServer = *parse_mac("0a:00:00:00:00:01");

// A DHCPOFFER for 10.0.0.10 from 10.0.0.1, as pinctrl would send it.
Bytes build_offer_frame() {
  DhcpMessage discover;
  discover.xid = 0xabcdef01;
  discover.set_client_mac(kClient);
  discover.options.push_back({kDhcpOptMessageType, {1}});
  DhcpMessage offer = make_dhcp4_reply(discover, DhcpMessageType::offer);
  offer.yiaddr = *parse_ipv4("10.0.0.10");
  offer.set(kDhcpOptServerId, *encode_dhcp4_option("server_id", "10.0.0.1"));
  offer.set(kDhcpOptLeaseTime, *encode_dhcp4_option("lease_time", "3600"));
  offer.set(kDhcpOptRouter, *encode_dhcp4_option("router", "10.0.0.1"));
  offer.set(kDhcpOptNetmask, *encode_dhcp4_option("netmask", "255.255.255.0"));
  Bytes dhcp = build_dhcp4(offer);
  Ipv4Endpoints ip{*parse_ipv4("10.0.0.1"), *parse_ipv4("10.0.0.10")};
  Bytes udp = build_udp(ip, kDhcp4ServerPort, kDhcp4ClientPort, dhcp);
  Ipv4Header ih;
  ih.protocol = kIpProtoUdp;
  ih.src = ip.src;
  ih.dst = ip.dst;
  Bytes l3 = build_ipv4(ih, udp);
  return build_ethernet({kClient, kServer, VlanTag{kEthTypeVlan, 0, false, 42}, kEthTypeIpv4}, l3);
}

TEST(Packet, DissectDhcpOffer) {
  Bytes frame = build_offer_frame();
  auto p = parse_packet(frame);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->eth.header.vlan->vid, 42);
  ASSERT_TRUE(p->ipv4);
  EXPECT_TRUE(p->ipv4->checksum_ok);
  ASSERT_TRUE(p->udp);
  EXPECT_EQ(p->udp->dst_port, kDhcp4ClientPort);
  EXPECT_TRUE(udp_checksum_ok(p->endpoints(), p->l4));
  auto dhcp = parse_dhcp4(p->udp->payload);
  ASSERT_TRUE(dhcp.ok());
  EXPECT_EQ(dhcp->message_type(), DhcpMessageType::offer);
  EXPECT_EQ(dhcp->yiaddr.to_string(), "10.0.0.10");
  EXPECT_FALSE(p->tcp || p->icmp4 || p->arp);
}

TEST(Packet, DissectArpIcmpv6AndUnknown) {
  ArpPacket req{kArpRequest, kClient, *parse_ipv4("10.0.0.10"), MacAddr{}, *parse_ipv4("10.0.0.1")};
  Bytes arp_frame =
      build_ethernet({MacAddr::broadcast(), kClient, {}, kEthTypeArp}, build_arp(req));
  auto arp = parse_packet(arp_frame);
  ASSERT_TRUE(arp.ok());
  EXPECT_EQ(*arp->arp, req);

  Ipv6Endpoints ip{*parse_ipv6("fe80::1"), *parse_ipv6("fe80::2")};
  Bytes icmp = *build_icmp6(ip, make_nd_ns(ip.dst, kClient));
  Ipv6Header h{0, 0, kIpProtoIcmpv6, 255, ip.src, ip.dst};
  Bytes frame = build_ethernet({kServer, kClient, {}, kEthTypeIpv6}, build_ipv6(h, icmp));
  auto ns = parse_packet(frame);  // views into `frame`: it must outlive `ns`
  ASSERT_TRUE(ns.ok());
  ASSERT_TRUE(ns->icmp6);
  EXPECT_EQ(ns->icmp6->type, kNdNeighborSolicit);
  EXPECT_TRUE(icmp6_checksum_ok(ip, ns->l4));

  Bytes lldp = build_ethernet({kServer, kClient, {}, 0x88cc}, Bytes(10, 0));
  auto other = parse_packet(lldp);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->ipv4 || other->ipv6 || other->arp);
}

TEST(Packet, TruncationAtEveryByteIsAnErrorNotACrash) {
  Bytes frame = build_offer_frame();
  // Cutting inside any header fails cleanly; ASan would flag any read past the end.
  size_t headers = 18 + 20 + 8;
  for (size_t n = 0; n < headers; ++n) {
    EXPECT_FALSE(parse_packet(ByteView(frame).first(n)).ok()) << n;
  }
  // Cutting inside the DHCP payload is caught by the IPv4 total length.
  EXPECT_FALSE(parse_packet(ByteView(frame).first(frame.size() - 1)).ok());
}

// An independent decoder: checks the IPv4 header checksum, the UDP checksum over the
// pseudo-header and the DHCP fields with nothing but Python's struct module.
constexpr const char* kPythonCheck = R"PY(
import struct, sys
f = bytes.fromhex(sys.argv[1])
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return s
tpid, tci, etype = struct.unpack('!HHH', f[12:18])
assert (tpid, tci & 0xfff, etype) == (0x8100, 42, 0x0800)
ip = f[18:]
ihl = (ip[0] & 15) * 4
assert csum(ip[:ihl]) == 0xffff, 'ip checksum'
total, proto, src, dst = struct.unpack('!2xH5xB2x4s4s', ip[:20])
udp = ip[ihl:total]
ph = src + dst + struct.pack('!BBH', 0, proto, len(udp))
assert csum(ph + udp) == 0xffff, 'udp checksum'
sport, dport, ulen = struct.unpack('!HHH', udp[:6])
assert (sport, dport, ulen) == (67, 68, len(udp))
d = udp[8:]
assert d[0] == 2 and struct.unpack('!I', d[4:8])[0] == 0xabcdef01
assert d[16:20] == bytes([10, 0, 0, 10])
assert d[236:240] == bytes([99, 130, 83, 99])
i, opts = 240, {}
while d[i] != 255:
    opts[d[i]] = d[i + 2:i + 2 + d[i + 1]]
    i += 2 + d[i + 1]
assert opts[53] == b'\x02' and opts[51] == struct.pack('!I', 3600)
assert opts[1] == bytes([255, 255, 255, 0]) and opts[54] == bytes([10, 0, 0, 1])
print('OK')
)PY";

TEST(Packet, CrossCheckWithPythonStruct) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  char path[] = "/tmp/ovnx-packets-check-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string script(kPythonCheck);
  ASSERT_EQ(write(fd, script.data(), script.size()), ssize_t(script.size()));
  close(fd);
  std::string hexframe;
  for (uint8_t b : build_offer_frame()) hexframe += fmt::format("{:02x}", b);
  std::string cmd = fmt::format("/usr/bin/python3 {} {} 2>&1", path, hexframe);
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (pipe && fgets(buf, sizeof buf, pipe)) out += buf;
  int rc = pipe ? pclose(pipe) : -1;
  unlink(path);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "OK\n");
}

}  // namespace
}  // namespace ovnx::packets
