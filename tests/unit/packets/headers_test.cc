// Ethernet, ARP, IPv4, IPv6, checksums, UDP, TCP. Expected bytes follow the RFC layouts;
// checksums were computed with an independent Python implementation of RFC 1071.
#include <gtest/gtest.h>

#include "packets/arp.h"
#include "packets/checksum.h"
#include "packets/ethernet.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/tcp.h"
#include "packets/udp.h"
#include "test_util.h"

namespace ovnx::packets {
namespace {

using testing::hex;

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: these bytes sum to ddf2, so the checksum is its complement.
  Bytes b = hex("00 01 f2 03 f4 f5 f6 f7");
  EXPECT_EQ(checksum_finish(checksum_add(0, b)), 0x220d);
  EXPECT_EQ(internet_checksum(hex("01")), 0xfeff);  // odd length pads with zero
}

TEST(Ethernet, BuildAndParseWithVlan) {
  EthernetHeader h{*parse_mac("ff:ff:ff:ff:ff:ff"), *parse_mac("0a:00:00:00:00:01"),
                   VlanTag{kEthTypeVlan, 5, true, 100}, kEthTypeArp};
  Bytes frame = build_ethernet(h, hex("de ad"));
  EXPECT_BYTES(frame, "ff ff ff ff ff ff 0a 00 00 00 00 01 81 00 b0 64 08 06 de ad");
  auto f = parse_ethernet(frame);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->header, h);
  EXPECT_BYTES(f->payload, "de ad");

  h.vlan.reset();
  EXPECT_BYTES(build_ethernet(h, {}), "ff ff ff ff ff ff 0a 00 00 00 00 01 08 06");
}

TEST(Ethernet, Malformed) {
  EXPECT_FALSE(parse_ethernet(hex("ff ff ff ff ff ff 0a 00 00 00 00 01 08")).ok());
  auto tag_cut = parse_ethernet(hex("ff ff ff ff ff ff 0a 00 00 00 00 01 81 00 00"));
  ASSERT_FALSE(tag_cut.ok());
  EXPECT_EQ(tag_cut.error().tag, "malformed packet");
  EXPECT_NE(tag_cut.error().details.find("VLAN tag"), std::string::npos);
  auto llc = parse_ethernet(hex("ff ff ff ff ff ff 0a 00 00 00 00 01 00 40"));
  ASSERT_FALSE(llc.ok());
  EXPECT_NE(llc.error().details.find("802.3"), std::string::npos);
}

TEST(Arp, RequestReplyRoundTrip) {
  ArpPacket req{kArpRequest, *parse_mac("0a:00:00:00:00:01"), *parse_ipv4("10.0.0.1"), MacAddr{},
                *parse_ipv4("10.0.0.2")};
  Bytes b = build_arp(req);
  EXPECT_BYTES(b,
               "00 01 08 00 06 04 00 01 0a 00 00 00 00 01 0a 00 00 01 00 00 00 00 00 00 0a 00 00 "
               "02");
  Bytes padded = b;
  padded.resize(46, 0);  // Ethernet minimum padding is ignored
  EXPECT_EQ(*parse_arp(padded), req);
  ArpPacket rep = make_arp_reply(req, *parse_mac("0a:00:00:00:00:02"));
  EXPECT_EQ(rep.op, kArpReply);
  EXPECT_EQ(rep.spa, req.tpa);
  EXPECT_EQ(rep.tha, req.sha);
  EXPECT_EQ(rep.tpa, req.spa);
  EXPECT_FALSE(parse_arp(Bytes(b.begin(), b.end() - 1)).ok());
  Bytes other = b;
  other[1] = 6;  // IEEE 802 hardware type
  EXPECT_FALSE(parse_arp(other).ok());
}

TEST(Ipv4, BuildMatchesKnownChecksum) {
  // A widely used worked example: 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7.
  Ipv4Header h;
  h.dont_fragment = true;
  h.ttl = 64;
  h.protocol = kIpProtoUdp;
  h.src = *parse_ipv4("192.168.0.1");
  h.dst = *parse_ipv4("192.168.0.199");
  Bytes payload(0x73 - 20, 0);
  Bytes pkt = build_ipv4(h, payload);
  EXPECT_BYTES(ByteView(pkt).first(20),
               "45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");
  auto p = parse_ipv4(pkt);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->checksum_ok);
  EXPECT_EQ(p->header, h);
  EXPECT_EQ(p->payload.size(), payload.size());
  pkt[8] = 63;  // TTL change without checksum update
  EXPECT_FALSE(parse_ipv4(pkt)->checksum_ok);
}

TEST(Ipv4, OptionsSkippedAndPaddingDropped) {
  // IHL 6 (one 4-byte option: NOP NOP NOP EOL), total length 28, 4 bytes of trailing padding.
  Bytes pkt =
      hex("46 00 00 1c 00 01 20 05 01 06 00 00 0a 00 00 01 0a 00 00 02 01 01 01 00"
          " aa bb cc dd  00 00 00 00");
  auto p = parse_ipv4(pkt);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->header_len, 24u);
  EXPECT_BYTES(p->payload, "aa bb cc dd");
  EXPECT_TRUE(p->header.more_fragments);
  EXPECT_EQ(p->header.frag_offset, 5);
  EXPECT_TRUE(p->is_fragment());
  EXPECT_FALSE(p->is_first_fragment());
}

TEST(Ipv4, Malformed) {
  Bytes good = build_ipv4(Ipv4Header{}, hex("01 02"));
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(parse_ipv4(ByteView(good).first(n)).ok()) << n;
  }
  Bytes v = good;
  v[0] = 0x65;
  EXPECT_NE(parse_ipv4(v).error().details.find("version 6"), std::string::npos);
  Bytes ihl = good;
  ihl[0] = 0x44;
  EXPECT_NE(parse_ipv4(ihl).error().details.find("header length 16"), std::string::npos);
  Bytes big_ihl = good;
  big_ihl[0] = 0x4f;  // 60-byte header in a 22-byte packet
  EXPECT_FALSE(parse_ipv4(big_ihl).ok());
  Bytes total = good;
  total[3] = 0xff;
  EXPECT_NE(parse_ipv4(total).error().details.find("exceeds"), std::string::npos);
}

TEST(Ipv6, BuildParseAndExtensionHeaders) {
  Ipv6Header h;
  h.traffic_class = 0x12;
  h.flow_label = 0xabcde;
  h.next_header = kIpv6NextHopByHop;
  h.hop_limit = 255;
  h.src = *parse_ipv6("fe80::1");
  h.dst = *parse_ipv6("ff02::1");
  // Hop-by-hop (8 bytes: next=60, len 0, PadN), destination options (16 bytes: next=44, len 1),
  // fragment (first fragment, M=1, next=17), then 4 bytes of UDP-ish payload.
  Bytes ext =
      hex("3c 00 01 04 00 00 00 00"
          " 2c 01 01 0c 00 00 00 00 00 00 00 00 00 00 00 00"
          " 11 00 00 01 00 00 12 34"
          " de ad be ef");
  Bytes pkt = build_ipv6(h, ext);
  EXPECT_BYTES(ByteView(pkt).first(8), "61 2a bc de 00 24 00 ff");
  auto p = parse_ipv6(pkt);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->header, h);
  EXPECT_EQ(p->protocol, kIpProtoUdp);
  EXPECT_BYTES(p->payload, "de ad be ef");
  EXPECT_TRUE(p->is_fragment);
  EXPECT_TRUE(p->is_first_fragment);
  EXPECT_TRUE(p->more_fragments);

  // A later fragment: the walk stops at the fragment header.
  Bytes later = pkt;
  later[40 + 24 + 2] = 0x00;
  later[40 + 24 + 3] = 0x08;  // offset 1 (8 bytes), M=0
  auto q = parse_ipv6(later);
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->is_first_fragment);
  EXPECT_EQ(q->frag_offset, 1);
}

TEST(Ipv6, MalformedExtensionHeaders) {
  Ipv6Header h;
  h.next_header = kIpv6NextDestOpts;
  // Destination options claiming 3*8 extra bytes that are not there.
  auto cut = parse_ipv6(build_ipv6(h, hex("11 03 00 00 00 00 00 00")));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().details.find("extension header body"), std::string::npos);
  // A chain of 17 destination-options headers is refused.
  Bytes chain;
  for (int i = 0; i < 17; ++i) {
    Bytes one = hex("3c 00 01 04 00 00 00 00");
    chain.insert(chain.end(), one.begin(), one.end());
  }
  auto many = parse_ipv6(build_ipv6(h, chain));
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.error().details.find("too many"), std::string::npos);
  // Hop-by-hop must come first.
  auto hbh = parse_ipv6(build_ipv6(h, hex("00 00 01 04 00 00 00 00 11 00 01 04 00 00 00 00")));
  EXPECT_FALSE(hbh.ok());
  // Payload length beyond the capture.
  Bytes pkt = build_ipv6(Ipv6Header{}, hex("01 02"));
  pkt[5] = 3;
  EXPECT_FALSE(parse_ipv6(pkt).ok());
  for (size_t n = 0; n < 40; ++n) EXPECT_FALSE(parse_ipv6(ByteView(pkt).first(n)).ok());
}

TEST(Udp, Ipv4ChecksumExact) {
  Ipv4Endpoints ip{*parse_ipv4("10.0.0.1"), *parse_ipv4("10.0.0.2")};
  Bytes seg = build_udp(ip, 68, 67, hex("68 69"));
  EXPECT_BYTES(seg, "00 44 00 43 00 0a 82 e7 68 69");
  EXPECT_TRUE(udp_checksum_ok(ip, seg));
  auto d = parse_udp(seg);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->src_port, 68);
  EXPECT_EQ(d->dst_port, 67);
  EXPECT_BYTES(d->payload, "68 69");
  Bytes bad = seg;
  bad[9] ^= 1;
  EXPECT_FALSE(udp_checksum_ok(ip, bad));
  Bytes none = seg;
  none[6] = none[7] = 0;  // "no checksum" is allowed over IPv4 only
  EXPECT_TRUE(udp_checksum_ok(ip, none));
  EXPECT_FALSE(udp_checksum_ok(Ipv6Endpoints{}, none));
}

TEST(Udp, Ipv6ChecksumExactAndMalformed) {
  Ipv6Endpoints ip{*parse_ipv6("fe80::1"), *parse_ipv6("ff02::1:2")};
  Bytes seg = build_udp(ip, 546, 547, hex("68 69"));
  EXPECT_BYTES(seg, "02 22 02 23 00 0a 95 a4 68 69");
  EXPECT_TRUE(udp_checksum_ok(ip, seg));
  EXPECT_FALSE(parse_udp(hex("00 44 00 43 00 0a")).ok());
  EXPECT_FALSE(parse_udp(hex("00 44 00 43 00 0b 00 00 68 69")).ok());  // length past the end
  EXPECT_FALSE(parse_udp(hex("00 44 00 43 00 07 00 00 68 69")).ok());  // length below 8
}

TEST(Tcp, RstForSegmentWithoutAck) {
  // A SYN from 10.0.0.1:12345 to 10.0.0.2:80 with seq 1000 and no data: the RST acks 1001.
  Ipv4Endpoints in_ip{*parse_ipv4("10.0.0.1"), *parse_ipv4("10.0.0.2")};
  TcpHeader syn{12345, 80, 1000, 0, kTcpSyn, 64240, 0};
  auto in = parse_tcp(build_tcp(in_ip, syn, {}));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->header, syn);
  TcpHeader rst = make_tcp_rst(*in);
  EXPECT_EQ(rst.flags, kTcpRst | kTcpAck);
  EXPECT_EQ(rst.seq, 0u);
  EXPECT_EQ(rst.ack, 1001u);
  Ipv4Endpoints out_ip{in_ip.dst, in_ip.src};
  Bytes seg = build_tcp(out_ip, rst, {});
  EXPECT_BYTES(seg, "00 50 30 39 00 00 00 00 00 00 03 e9 50 14 00 00 67 5c 00 00");
  EXPECT_TRUE(tcp_checksum_ok(out_ip, seg));
}

TEST(Tcp, RstForSegmentWithAckAndOptions) {
  // Data offset 6 (4 bytes of options: MSS kind 2 len 4), ACK|PSH with 3 bytes of data.
  Bytes seg =
      hex("30 39 00 50 00 00 00 64 00 00 07 d0 60 18 01 00 00 00 00 00 02 04 05 b4"
          " 61 62 63");
  auto in = parse_tcp(seg);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->header_len, 24u);
  EXPECT_BYTES(in->payload, "61 62 63");
  TcpHeader rst = make_tcp_rst(*in);
  EXPECT_EQ(rst.flags, kTcpRst);
  EXPECT_EQ(rst.seq, 2000u);
  EXPECT_EQ(rst.src_port, 80);
  EXPECT_EQ(rst.dst_port, 12345);
  seg[12] = 0x40;  // data offset 4 words: below the minimum
  EXPECT_FALSE(parse_tcp(seg).ok());
  seg[12] = 0xf0;  // 60 bytes: beyond the segment
  EXPECT_FALSE(parse_tcp(seg).ok());
  EXPECT_FALSE(parse_tcp(ByteView(seg).first(19)).ok());
}

}  // namespace
}  // namespace ovnx::packets
