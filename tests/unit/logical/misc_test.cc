// Evaluation API, symbol table invariants and controller user data.
#include <gtest/gtest.h>

#include "logical/controller_ops.h"
#include "logical/expr_eval.h"
#include "logical/symtab.h"
#include "test_env.h"

namespace ovnx::logical {
namespace {

TEST(SymbolTable, EveryFieldMapsToAnOpenFlowField) {
  const SymbolTable& t = ovn_symbol_table();
  EXPECT_GT(t.num_fields(), 40);
  for (int i = 0; i < t.num_fields(); i++) {
    const PhysField& f = t.field(i);
    EXPECT_EQ(openflow::field_name(f.of_field), f.name);
    EXPECT_LE(f.width, openflow::field_bits(f.of_field)) << f.name;
    EXPECT_EQ(f.maskable, openflow::field_info(f.of_field).maskable) << f.name;
    ASSERT_NE(f.canonical, nullptr) << f.name;
  }
}

TEST(SymbolTable, RegistersOverlayLikeOvn) {
  const SymbolTable& t = ovn_symbol_table();
  const Symbol* reg0 = t.find("reg0");
  ASSERT_TRUE(reg0);
  EXPECT_EQ(reg0->field->name, "xxreg0");
  EXPECT_EQ(reg0->ofs, 96);
  EXPECT_EQ(t.find("reg3")->ofs, 0);
  EXPECT_EQ(t.find("reg8")->field->name, "xreg4");
  EXPECT_EQ(t.find("reg8")->ofs, 32);
  EXPECT_EQ(t.find("xreg1")->ofs, 0);
  EXPECT_EQ(t.find("inport")->field->name, "reg14");
  EXPECT_EQ(t.find("flags.loopback")->field->name, "reg10");
  EXPECT_EQ(t.find("reg10"), nullptr);  // OVN keeps reg10..15 for itself
  EXPECT_EQ(t.find("ip4")->level, Level::kNominal);
  EXPECT_EQ(t.find("vlan.present")->level, Level::kBoolean);
  EXPECT_TRUE(t.find("eth.type")->must_crossproduct);
}

TEST(SymbolTable, RejectsBadDefinitions) {
  SymbolTable t;
  EXPECT_TRUE(t.add_field("a", "reg0", 32, true, true).ok());
  EXPECT_FALSE(t.add_field("a", "reg1", 32, true, true).ok());
  EXPECT_FALSE(t.add_field("b", "no_such_field", 8, true, true).ok());
  EXPECT_FALSE(t.add_subfield("c", "a[30..40]").ok());
  EXPECT_FALSE(t.add_subfield("d", "nope[1]").ok());
  EXPECT_TRUE(t.add_predicate("p", "q").ok());
  EXPECT_TRUE(t.add_predicate("q", "p").ok());
  EXPECT_FALSE(t.finalize().ok());  // circular
}

TEST(Evaluate, AgainstPacketFields) {
  const SymbolTable& t = ovn_symbol_table();
  const auto& r = testing::test_resolver();
  FlowState s(t);
  ASSERT_TRUE(s.set("eth.type", U128(0x800u)).ok());
  ASSERT_TRUE(s.set("ip.proto", U128(6u)).ok());
  ASSERT_TRUE(s.set("tcp.dst", U128(443u)).ok());
  ASSERT_TRUE(s.set("inport", U128(2u)).ok());
  ASSERT_TRUE(s.set("ip4.src", U128(0x0a000002u)).ok());
  auto yes = parse_and_annotate("inport == @pg1 && ip4.src == $set1 && tcp.dst >= 443", t, &r);
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(evaluate_expr(*yes, s, r));
  auto no = parse_and_annotate("udp || ip6 || inport == \"lp1\"", t, &r);
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(evaluate_expr(*no, s, r));
  EXPECT_FALSE(s.set("tcp.dst", U128(70000u)).ok());
  EXPECT_FALSE(s.set("no.such.field", U128(1u)).ok());
  EXPECT_EQ(*s.get("reg0"), U128(0u));
}

TEST(ControllerOps, UserDataRoundTrip) {
  std::vector<uint8_t> payload = {0x00, 0x01, 0xde, 0x10, 0, 0, 0, 99, 0, 4, 10, 0, 0, 4};
  auto ud = make_userdata(ControllerOp::kPutDhcpOpts, payload);
  auto d = decode_userdata(ud);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->op, ControllerOp::kPutDhcpOpts);
  auto rb = decode_result_bit(d->payload);
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(rb->oxm_header, 0x0001de10u);
  EXPECT_EQ(rb->bit, 99u);
  auto opts = decode_options(rb->rest, false);
  ASSERT_TRUE(opts.ok());
  ASSERT_EQ(opts->size(), 1u);
  EXPECT_EQ((*opts)[0].code, 0);
  EXPECT_EQ((*opts)[0].value.size(), 4u);
}

TEST(ControllerOps, RejectsMalformedUserData) {
  std::vector<uint8_t> short_data = {0, 0, 0};
  EXPECT_FALSE(decode_userdata(short_data).ok());
  std::vector<uint8_t> bad_op = {0, 0, 0, 99, 0, 0, 0, 0};
  EXPECT_FALSE(decode_userdata(bad_op).ok());
  std::vector<uint8_t> bad_bit = {0x00, 0x01, 0x1e, 0x04, 0, 0, 0, 32};  // bit 32 of reg0
  EXPECT_FALSE(decode_result_bit(bad_bit).ok());
  std::vector<uint8_t> truncated = {6, 8, 1, 2};
  EXPECT_FALSE(decode_options(truncated, false).ok());
  std::vector<uint8_t> log = {2};
  EXPECT_FALSE(decode_log(log).ok());
}

}  // namespace
}  // namespace ovnx::logical
