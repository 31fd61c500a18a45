#include "packets/dns.h"

#include <gtest/gtest.h>

#include "packets/dns_name.h"
#include "test_util.h"

namespace ovnx::packets {
namespace {

using testing::hex;

// A query for vm1.ovn.org A, id 0xbeef, RD set, with an EDNS OPT record in the additional
// section as dig sends it.
const char* kQuery =
    "be ef 01 20 00 01 00 00 00 00 00 01"
    " 03 76 6d 31 03 6f 76 6e 03 6f 72 67 00 00 01 00 01"
    " 00 00 29 10 00 00 00 00 00 00 00";

TEST(DnsName, EncodeAndDecode) {
  Bytes b;
  ASSERT_TRUE(encode_dns_name("ovn.org.", b).ok());
  EXPECT_BYTES(b, "03 6f 76 6e 03 6f 72 67 00");
  size_t off = 0;
  EXPECT_EQ(*decode_dns_name(b, off), "ovn.org");
  EXPECT_EQ(off, b.size());
  Bytes root;
  ASSERT_TRUE(encode_dns_name(".", root).ok());
  EXPECT_BYTES(root, "00");
  Bytes esc;
  ASSERT_TRUE(encode_dns_name("a\\.b.c\\032d", esc).ok());
  EXPECT_BYTES(esc, "03 61 2e 62 03 63 20 64 00");
  off = 0;
  EXPECT_EQ(*decode_dns_name(esc, off), "a\\.b.c\\032d");
  Bytes ignored;
  EXPECT_FALSE(encode_dns_name("a..b", ignored).ok());
  EXPECT_FALSE(encode_dns_name(std::string(64, 'x') + ".org", ignored).ok());
  std::string long_name;
  for (int i = 0; i < 51; ++i) long_name += "abcd.";
  EXPECT_FALSE(encode_dns_name(long_name, ignored).ok());  // 51 labels: 256 wire bytes
}

TEST(DnsName, CompressionLikeDhcpOption119) {
  // RFC 3397 allows pointers relative to the option data; suffixes are shared.
  Bytes out = hex("aa");  // something before the option data
  DnsNameCompressor c(1);
  for (const char* n : {"ovn.org", "abc.ovn.org", "test.org", "abc.com"}) {
    ASSERT_TRUE(c.encode(n, out).ok());
  }
  EXPECT_BYTES(ByteView(out).subspan(1),
               "03 6f 76 6e 03 6f 72 67 00  03 61 62 63 c0 00  04 74 65 73 74 c0 04"
               " 03 61 62 63 03 63 6f 6d 00");
  auto names = decode_dns_name_list(ByteView(out).subspan(1), true);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"ovn.org", "abc.ovn.org", "test.org", "abc.com"}));
  EXPECT_FALSE(decode_dns_name_list(ByteView(out).subspan(1), false).ok());
}

TEST(DnsName, HostilePointers) {
  size_t off = 0;
  // A pointer to itself, a forward pointer, a loop between two pointers, a truncated pointer.
  // A label followed by a pointer back to it repeats forever: stopped by the 255-byte limit.
  for (const char* bad : {"c0 00", "c0 02 00 00", "03 61 62 63 c0 06 c0 00", "c0", "05 61 62",
                          "40 00", "03 61 62 63", "03 61 62 63 c0 00"}) {
    off = 0;
    auto r = decode_dns_name(hex(bad), off);
    EXPECT_FALSE(r.ok()) << bad;
  }
  // Pointers to pointers: legal but bounded.
  Bytes hops = {0};
  for (int i = 0; i < 200; ++i) {
    size_t target = hops.size() == 1 ? 0 : hops.size() - 2;
    hops.push_back(uint8_t(0xc0 | target >> 8));
    hops.push_back(uint8_t(target));
  }
  off = hops.size() - 2;
  auto too_many = decode_dns_name(hops, off);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().details.find("too many pointers"), std::string::npos);
  off = 5;  // three hops is fine
  EXPECT_EQ(*decode_dns_name(hops, off), ".");
  // A long chain of backward pointers ends, and the 255-byte limit holds across the jumps.
  Bytes chain = {1, 'a', 0};
  size_t prev = 0;
  for (int i = 0; i < 200; ++i) {
    size_t here = chain.size();
    chain.push_back(1);
    chain.push_back('a');
    chain.push_back(uint8_t(0xc0 | prev >> 8));
    chain.push_back(uint8_t(prev));
    prev = here;
  }
  off = prev;
  auto r = decode_dns_name(chain, off);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().details.find("255"), std::string::npos);
}

TEST(Dns, ParseQuery) {
  auto m = parse_dns(hex(kQuery));
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->header.id, 0xbeef);
  EXPECT_FALSE(m->header.qr);
  EXPECT_TRUE(m->header.rd);
  EXPECT_TRUE(m->header.ad);
  ASSERT_EQ(m->questions.size(), 1u);
  EXPECT_EQ(m->questions[0], (DnsQuestion{"vm1.ovn.org", kDnsTypeA, kDnsClassIn}));
  ASSERT_EQ(m->additional.size(), 1u);
  EXPECT_EQ(m->additional[0].type, 41);  // OPT
}

TEST(Dns, BuildAnswerA) {
  auto q = parse_dns(hex(kQuery));
  ASSERT_TRUE(q.ok());
  auto r = build_dns_response(*q, {DnsAnswer{"vm1.ovn.org", 3600, *parse_ipv4("10.0.0.4")}});
  ASSERT_TRUE(r.ok());
  EXPECT_BYTES(*r,
               "be ef 85 00 00 01 00 01 00 00 00 00"
               " 03 76 6d 31 03 6f 76 6e 03 6f 72 67 00 00 01 00 01"
               " c0 0c 00 01 00 01 00 00 0e 10 00 04 0a 00 00 04");
  auto back = parse_dns(*r);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->header.qr);
  EXPECT_TRUE(back->header.aa);
  ASSERT_EQ(back->answers.size(), 1u);
  EXPECT_EQ(back->answers[0].name, "vm1.ovn.org");
  EXPECT_EQ(back->answers[0].ttl, 3600u);
  EXPECT_BYTES(back->answers[0].rdata, "0a 00 00 04");
}

TEST(Dns, BuildAaaaPtrAndNxdomain) {
  DnsMessage q;
  q.header.id = 7;
  q.questions.push_back({"vm1.ovn.org", kDnsTypeAaaa, kDnsClassIn});
  auto r = build_dns_response(q, {DnsAnswer{"vm1.ovn.org", 60, *parse_ipv6("aef0::4")}});
  ASSERT_TRUE(r.ok());
  auto m = parse_dns(*r);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->answers[0].type, kDnsTypeAaaa);
  EXPECT_EQ(Ipv6Addr::from_bytes(m->answers[0].rdata.data()).to_string(), "aef0::4");

  DnsMessage ptr_q;
  ptr_q.questions.push_back({"4.0.0.10.in-addr.arpa", kDnsTypePtr, kDnsClassIn});
  r = build_dns_response(ptr_q,
                         {DnsAnswer{"4.0.0.10.in-addr.arpa", 60, DnsPtrTarget{"vm1.ovn.org"}}});
  ASSERT_TRUE(r.ok());
  m = parse_dns(*r);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->answers[0].ptr_name, "vm1.ovn.org");
  // The answer owner name is a pointer to the question.
  EXPECT_BYTES(ByteView(*r).subspan(12 + 23 + 4, 2), "c0 0c");

  auto nx = build_dns_response(q, {}, kDnsRcodeNxDomain);
  ASSERT_TRUE(nx.ok());
  EXPECT_BYTES(ByteView(*nx).first(8), "00 07 84 03 00 01 00 00");
  EXPECT_FALSE(build_dns_response(q, {DnsAnswer{"bad..name", 1, Ipv4Addr{}}}).ok());
}

TEST(Dns, Malformed) {
  Bytes q = hex(kQuery);
  for (size_t n = 0; n < q.size(); ++n) {
    EXPECT_FALSE(parse_dns(ByteView(q).first(n)).ok()) << n;
  }
  Bytes many = q;
  many[5] = 0xff;  // QDCOUNT 255 with one question present
  EXPECT_FALSE(parse_dns(many).ok());
  Bytes loop = hex("00 01 00 00 00 01 00 00 00 00 00 00 c0 0c 00 01 00 01");
  EXPECT_FALSE(parse_dns(loop).ok());
}

TEST(Dns, ReverseNames) {
  EXPECT_EQ(reverse_dns_name(*parse_ip("10.0.0.4")), "4.0.0.10.in-addr.arpa");
  EXPECT_EQ(reverse_dns_name(*parse_ip("2001:db8::567:89ab")),
            "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  for (const char* a : {"10.0.0.4", "2001:db8::567:89ab", "::1", "255.0.0.1"}) {
    auto ip = *parse_ip(a);
    EXPECT_EQ(parse_reverse_dns_name(reverse_dns_name(ip)), ip) << a;
  }
  EXPECT_FALSE(parse_reverse_dns_name("0.10.in-addr.arpa"));
  EXPECT_FALSE(parse_reverse_dns_name("vm1.ovn.org"));
  EXPECT_FALSE(parse_reverse_dns_name("x.ip6.arpa"));
}

}  // namespace
}  // namespace ovnx::packets
