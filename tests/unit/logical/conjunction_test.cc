// Conjunctive match keeps big set products linear: a 1,000-address set times a 100-port group
// is ~1,100 OpenFlow flows, not 100,000, and the flows still mean exactly the expression.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "logical/compile.h"
#include "logical/expr_eval.h"

namespace ovnx::logical {
namespace {

MapResolver big_resolver() {
  MapResolver r;
  std::vector<std::string> addrs, ports;
  // Distinct /24s, so no two addresses merge into a prefix.
  for (int i = 0; i < 1000; i++) addrs.push_back(fmt::format("10.{}.{}.7", i / 250, i % 250));
  for (int i = 0; i < 100; i++) {
    ports.push_back(fmt::format("p{}", i));
    r.ports[fmt::format("p{}", i)] = uint32_t(3 * i + 1);  // not adjacent either
  }
  r.address_sets["as1000"] = ConstantSet::parse_addresses(addrs).value();
  r.port_groups["pg100"] = ConstantSet::of_strings(ports);
  return r;
}

TEST(Conjunction, ThousandAddressesTimesHundredPortsIsLinear) {
  MapResolver r = big_resolver();
  CompileContext ctx;
  ctx.resolver = &r;
  ctx.datapath_key = 5;
  ctx.conj_id_base = 100;
  LogicalFlow lf;
  lf.table_id = 8;
  lf.priority = 2001;
  lf.cookie = 0x1234;
  lf.match = "inport == @pg100 && ip4.src == $as1000 && tcp.dst == 22";
  lf.actions = "next;";
  auto out = compile_logical_flow(lf, ctx);
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_EQ(out->conj_ids_used, 1u);
  // 100 inport flows + 1,000 ip4.src flows + the conj_id flow.
  EXPECT_EQ(out->flows.size(), 1101u);
  int dims = 0, conj_flow = 0;
  for (const auto& f : out->flows) {
    if (f.match.find(openflow::Field::conj_id)) {
      conj_flow++;
      EXPECT_EQ(f.cookie, 0x1234u);
      EXPECT_EQ(f.match.find(openflow::Field::conj_id)->value, openflow::U128(100));
    } else {
      dims++;
      EXPECT_EQ(f.cookie, 0u);
      ASSERT_EQ(f.actions.size(), 1u);
      EXPECT_TRUE(std::holds_alternative<openflow::Conjunction>(f.actions[0]));
    }
    EXPECT_EQ(f.table_id, 16);
    EXPECT_EQ(f.priority, 2001);
    EXPECT_EQ(f.match.find(openflow::Field::metadata)->value, openflow::U128(5));
    EXPECT_EQ(f.match.find(openflow::Field::tcp_dst)->value, openflow::U128(22));
  }
  EXPECT_EQ(dims, 1100);
  EXPECT_EQ(conj_flow, 1);

  // Without conjunctive match the same expression is the full cross product.
  ctx.conjunction = false;
  auto cross = compile_logical_flow(lf, ctx);
  ASSERT_TRUE(cross.ok());
  EXPECT_EQ(cross->flows.size(), 100000u);
}

TEST(Conjunction, MeansTheExpression) {
  MapResolver r = big_resolver();
  const SymbolTable& symtab = ovn_symbol_table();
  auto annotated = parse_and_annotate("inport == @pg100 && ip4.src == $as1000", symtab, &r);
  ASSERT_TRUE(annotated.ok());
  auto dnf = normalize_expr(simplify_expr(*annotated), r);
  ASSERT_TRUE(dnf.ok());
  MatchResult m = dnf_to_flows(*dnf);
  ASSERT_EQ(m.flows.size(), 1101u);
  // Probe packets in and out of each dimension.
  for (int port : {1, 4, 298, 2, 300}) {
    for (const char* src : {"10.0.0.7", "10.3.249.7", "10.0.0.8", "10.4.0.7"}) {
      FlowState s(symtab);
      ASSERT_TRUE(s.set("eth.type", U128(0x800u)).ok());
      ASSERT_TRUE(s.set("inport", U128(uint64_t(port))).ok());
      Token t;
      ASSERT_TRUE(lex_single_constant(src, t));
      ASSERT_TRUE(s.set("ip4.src", t.value).ok());
      bool want = evaluate_expr(*annotated, s, r);
      std::set<int> hit;
      bool fixed = false;
      for (const MatchFlow& f : m.flows) {
        if (!matches_fields(f.fields, s)) continue;
        if (f.clause) hit.insert(f.clause);
        if (!f.clause && f.conj_id) fixed = true;
      }
      EXPECT_EQ(want, fixed && hit.size() == 2) << "port " << port << " src " << src;
      EXPECT_EQ(want, (port - 1) % 3 == 0 && port <= 298 && std::string(src).ends_with(".7") &&
                          std::string(src) != "10.4.0.7");
    }
  }
}

}  // namespace
}  // namespace ovnx::logical
