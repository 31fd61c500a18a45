#include "trace/microflow.h"

#include <gtest/gtest.h>

#include "logical/lexer.h"
#include "topology.h"
#include "trace/tracer.h"

namespace ovnx::trace {
namespace {

using logical::U128;

U128 field(const logical::FlowState& s, std::string_view name) {
  auto v = s.get(name);
  EXPECT_TRUE(v.ok()) << name;
  return v.ok() ? *v : U128();
}

TEST(Microflow, EqualityTermsSetFields) {
  Snapshot snap = testing::seed_like_snapshot();
  DatapathResolver resolver(snap, 0);
  auto s = parse_microflow(
      "inport == \"vm2\" && eth.src == 0a:00:00:00:00:02 && ip4.src == 192.168.1.20 && "
      "ip4.dst == 192.168.2.30 && ip.ttl == 64",
      resolver);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(field(*s, "inport"), U128(2));
  EXPECT_EQ(field(*s, "eth.src"), U128(0x0a0000000002ULL));
  EXPECT_EQ(field(*s, "eth.type"), U128(0x800));  // the prerequisite of ip4.src
  EXPECT_EQ(field(*s, "ip4.dst"), U128(0xc0a8021eULL));
  EXPECT_EQ(field(*s, "ip.ttl"), U128(64));
}

TEST(Microflow, PredicatesExpand) {
  Snapshot snap = testing::seed_like_snapshot();
  DatapathResolver resolver(snap, 0);
  auto s = parse_microflow("inport == \"vm1\" && icmp4 && icmp4.type == 8", resolver);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(field(*s, "eth.type"), U128(0x800));
  EXPECT_EQ(field(*s, "ip.proto"), U128(1));
  EXPECT_EQ(field(*s, "icmp4.type"), U128(8));
}

TEST(Microflow, MaskedTermSetsOnlyItsBits) {
  Snapshot snap = testing::seed_like_snapshot();
  DatapathResolver resolver(snap, 0);
  auto s = parse_microflow("inport == \"vm1\" && reg0[0..7] == 0x12 && reg0[8..11] == 5", resolver);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(field(*s, "reg0"), U128(0x512));
}

TEST(Microflow, Errors) {
  Snapshot snap = testing::seed_like_snapshot();
  DatapathResolver resolver(snap, 0);
  EXPECT_FALSE(parse_microflow("inport == \"nosuch\"", resolver).ok());
  EXPECT_FALSE(parse_microflow("inport == \"vm1\" && ip4.src ==", resolver).ok());
  // Not one packet: neither alternative is pinned.
  EXPECT_FALSE(
      parse_microflow("inport == \"vm1\" && (ip4.src == 1.1.1.1 || ip4.src == 2.2.2.2)", resolver)
          .ok());
  EXPECT_FALSE(parse_microflow("inport == \"vm1\" && ip4.src != 0.0.0.0", resolver).ok());
}

TEST(Microflow, FormatsNonZeroFields) {
  Snapshot snap = testing::seed_like_snapshot();
  DatapathResolver resolver(snap, 0);
  auto s = parse_microflow("inport == \"vm1\" && eth.src == 0a:00:00:00:00:01", resolver);
  ASSERT_TRUE(s.ok());
  std::string text = format_flow_state(*s);
  EXPECT_NE(text.find("reg14=0x1"), std::string::npos) << text;
  EXPECT_NE(text.find("0a:00:00:00:00:01"), std::string::npos) << text;
}

TEST(CtFlags, ParseAndFormat) {
  auto bits = parse_ct_flags("new");
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(format_ct_flags(*bits), "new|trk");  // trk always
  bits = parse_ct_flags("trk,est rpl");
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(format_ct_flags(*bits), "est|rpl|trk");
  EXPECT_FALSE(parse_ct_flags("bogus").ok());
}

}  // namespace
}  // namespace ovnx::trace
