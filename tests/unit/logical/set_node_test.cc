// kSet: a field compared with a set of constants is one expression node from parsing to
// normalization, and means exactly its expansion into one comparison per member.
#include <gtest/gtest.h>

#include "logical/expr.h"
#include "logical/expr_eval.h"
#include "logical/normalize.h"
#include "test_env.h"

namespace ovnx::logical {
namespace {

Expr parse(std::string_view text) {
  auto e = parse_expr(text, ovn_symbol_table(), &testing::test_resolver());
  EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().to_string());
  return e.ok() ? std::move(e).value() : Expr::make_bool(false);
}

bool has_set(const Expr& e) {
  if (e.type == ExprType::kSet) return true;
  for (const Expr& c : e.children) {
    if (has_set(c)) return true;
  }
  return false;
}

TEST(SetNode, ParsesSetsAddressSetsAndPortGroupsAsOneNode) {
  Expr braces = parse("ip4.src == {10.0.0.1, 10.0.0.0/8}");
  ASSERT_EQ(braces.type, ExprType::kSet);
  EXPECT_EQ(braces.op, RelOp::kEq);
  ASSERT_EQ(braces.members.size(), 2u);
  EXPECT_EQ(braces.members[1].mask, U128(0xff000000u));
  EXPECT_TRUE(braces.members[1].masked);
  EXPECT_EQ(braces.members[0].format, IntFormat::kIPv4);

  Expr as = parse("ip4.src == $set1");
  ASSERT_EQ(as.type, ExprType::kSet);
  EXPECT_EQ(as.members.size(), 3u);

  Expr pg = parse("inport == @pg1");
  ASSERT_EQ(pg.type, ExprType::kSet);
  ASSERT_EQ(pg.members.size(), 2u);
  EXPECT_EQ(pg.members[1].string, "lp2");

  // One member stays a comparison; none is a constant.
  EXPECT_EQ(parse("ip4.src == {10.0.0.1}").type, ExprType::kCmp);
  EXPECT_EQ(parse("ip4.src == $empty").type, ExprType::kBool);
  // Negation flips the operator.
  Expr neg = parse("!(tcp.dst == {80, 443})");
  ASSERT_EQ(neg.type, ExprType::kSet);
  EXPECT_EQ(neg.op, RelOp::kNe);
}

TEST(SetNode, FormatsAndInlinesAsItsExpansion) {
  for (const char* text : {"ip4.src == {10.0.0.1, 10.0.0.0/8}", "inport == {\"lp1\", \"lp2\"}",
                           "tcp.dst != {80, 443}", "reg0[0..3] == {1, 2, 0x3}"}) {
    Expr e = parse(text);
    EXPECT_EQ(format_expr(e), format_expr(expand_set(e))) << text;
    EXPECT_FALSE(has_set(inline_refs(e))) << text;
  }
  EXPECT_EQ(format_expr(parse("ip4.src == {10.0.0.1, 10.0.0.0/8}")),
            "ip4.src == {10.0.0.1, 10.0.0.0/8}");
  EXPECT_EQ(format_expr(parse("tcp.dst != {80, 443}")), "tcp.dst != {80, 443}");
  Expr x = parse("ip4.src == $set1");
  Expr y = expand_set(x);
  ASSERT_EQ(y.type, ExprType::kOr);
  EXPECT_EQ(y.children.size(), 3u);
  EXPECT_EQ(expand_set(y).type, ExprType::kOr);  // not a set: unchanged
}

TEST(SetNode, ErrorsAreThoseOfTheMembers) {
  const SymbolTable& t = ovn_symbol_table();
  const Resolver* r = &testing::test_resolver();
  auto wide = parse_expr("reg0[0..3] == {1, 16}", t, r);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.error().to_string().find("too wide"), std::string::npos);
  auto nominal = parse_and_annotate("inport != @pg1", t, r);
  ASSERT_FALSE(nominal.ok());
  EXPECT_NE(nominal.error().to_string().find("nominal field `inport`"), std::string::npos);
}

// The set node and its expansion agree through annotation, simplification, normalization,
// flow generation and evaluation.
TEST(SetNode, CompilesAndEvaluatesLikeItsExpansion) {
  const SymbolTable& t = ovn_symbol_table();
  const Resolver& r = testing::test_resolver();
  for (const char* text :
       {"ip4.src == $set1 && tcp.dst == {22, 80, 443}", "inport == @pg1 && ip4.dst == $nets",
        "inport == @pg_unknown", "ip4.src != {10.0.0.1, 10.0.0.3} && ip4",
        "reg0[4..7] == {1, 2, 3} && reg0[0..3] != {0, 15}", "eth.src == $macs || ip6.src == $set6",
        "ip4.src == {10.0.0.2, 10.0.0.3} || ip4.src == 10.0.0.4", "vlan.vid == {1, 2}"}) {
    SCOPED_TRACE(text);
    Expr set = parse(text);
    Expr expanded = inline_refs(set);
    ASSERT_FALSE(has_set(expanded));
    auto a = annotate_expr(set, t);
    auto b = annotate_expr(expanded, t);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(format_expr(*a), format_expr(*b));
    Expr sa = simplify_expr(*a), sb = simplify_expr(*b);
    EXPECT_EQ(format_expr(sa), format_expr(sb));
    auto da = normalize_expr(sa, r), db = normalize_expr(sb, r);
    ASSERT_TRUE(da.ok());
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(format_dnf(*da), format_dnf(*db));
    MatchResult fa = dnf_to_flows(*da), fb = dnf_to_flows(*db);
    ASSERT_EQ(fa.flows.size(), fb.flows.size());
    for (size_t i = 0; i < fa.flows.size(); i++) {
      EXPECT_EQ(fa.flows[i].fields, fb.flows[i].fields);
    }
    // Evaluation at a few packets, annotated and simplified forms alike.
    for (uint32_t src : {0x0a000001u, 0x0a000002u, 0x0a000004u, 0xc0a80001u}) {
      for (uint32_t reg0 : {0x10u, 0x2fu, 0x40u}) {
        FlowState s(t);
        ASSERT_TRUE(s.set("eth.type", U128(0x800u)).ok());
        ASSERT_TRUE(s.set("ip.proto", U128(6u)).ok());
        ASSERT_TRUE(s.set("tcp.dst", U128(80u)).ok());
        ASSERT_TRUE(s.set("ip4.src", U128(src)).ok());
        ASSERT_TRUE(s.set("ip4.dst", U128(src)).ok());
        ASSERT_TRUE(s.set("reg0", U128(reg0)).ok());
        ASSERT_TRUE(s.set("inport", U128(src & 3)).ok());
        bool want = evaluate_expr(*b, s, r);
        EXPECT_EQ(evaluate_expr(*a, s, r), want);
        EXPECT_EQ(evaluate_expr(set, s, r), want);
        EXPECT_EQ(evaluate_expr(sa, s, r), want);
      }
    }
  }
}

}  // namespace
}  // namespace ovnx::logical
