// Oracle test: every small expression over a few narrow fields is evaluated directly and through
// the OpenFlow matches it compiles to (a tiny flow-table lookup, conjunctive matches included),
// for every value of those fields. Any disagreement is a compiler bug.
#include <gtest/gtest.h>

#include <random>

#include "logical/expr.h"
#include "logical/expr_eval.h"
#include "logical/normalize.h"
#include "test_env.h"

namespace ovnx::logical::testing {
namespace {

// What a flow table containing `flows` (one logical flow's worth) decides for `state`.
bool table_matches(const MatchResult& m, const FlowState& state) {
  std::map<uint32_t, std::set<int>> clauses_hit;  // conj_id -> clauses matched
  std::map<uint32_t, int> n_clauses;
  for (const MatchFlow& f : m.flows) {
    if (f.clause) n_clauses[f.conj_id] = f.n_clauses;
  }
  for (const MatchFlow& f : m.flows) {
    if (!matches_fields(f.fields, state)) continue;
    if (f.clause) {
      clauses_hit[f.conj_id].insert(f.clause);
    } else if (!f.conj_id) {
      return true;
    }
  }
  for (const MatchFlow& f : m.flows) {
    if (f.clause || !f.conj_id || !matches_fields(f.fields, state)) continue;
    if (int(clauses_hit[f.conj_id].size()) == n_clauses[f.conj_id]) return true;
  }
  return false;
}

// The variables: two 2-bit subfields of the same OpenFlow field (xxreg0), one in another
// (xreg4), and ct.new, whose prerequisite ct.trk lives in ct_state too.
constexpr const char* kVars[] = {"reg0[0..1]", "reg0[2..3]", "reg9[0..1]"};

std::vector<std::string> terminals() {
  std::vector<std::string> t;
  for (const char* v : kVars) {
    for (const char* op : {"==", "!=", "<", "<=", ">", ">="}) {
      for (int c = 0; c < 4; c++) t.push_back(std::string(v) + " " + op + " " + std::to_string(c));
    }
    t.push_back(std::string(v) + " == {0, 3}");
    t.push_back(std::string(v) + " == {0, 1, 2}");
    t.push_back(std::string(v) + " != {1, 2}");
    t.push_back(std::string(v) + " == 1/1");
    t.push_back(std::string(v) + " == 2/2");
    t.push_back(std::string(v) + " != 1/1");
  }
  t.push_back("ct.new");
  t.push_back("!ct.new");
  t.push_back("ct.trk");
  t.push_back("1");
  t.push_back("0");
  return t;
}

std::vector<FlowState> all_states(const SymbolTable& symtab) {
  std::vector<FlowState> states;
  for (int bits = 0; bits < 256; bits++) {
    FlowState s(symtab);
    EXPECT_TRUE(s.set("reg0", U128(uint64_t(bits & 0xf))).ok());
    EXPECT_TRUE(s.set("reg9", U128(uint64_t((bits >> 4) & 3))).ok());
    EXPECT_TRUE(s.set("ct.new", U128(uint64_t((bits >> 6) & 1))).ok());
    EXPECT_TRUE(s.set("ct.trk", U128(uint64_t((bits >> 7) & 1))).ok());
    states.push_back(std::move(s));
  }
  return states;
}

struct Variant {
  bool merge;
  bool conjunction;
};

void check(const std::string& text, const std::vector<FlowState>& states, int& checked) {
  const SymbolTable& symtab = ovn_symbol_table();
  const MapResolver& r = test_resolver();
  auto annotated = parse_and_annotate(text, symtab, &r);
  ASSERT_TRUE(annotated.ok()) << text << ": " << annotated.error().to_string();
  Expr simplified = simplify_expr(*annotated);
  for (Variant v : {Variant{true, true}, Variant{false, true}, Variant{true, false}}) {
    NormalizeOptions nopts;
    nopts.merge_adjacent = v.merge;
    auto dnf = normalize_expr(simplified, r, nopts);
    ASSERT_TRUE(dnf.ok()) << text << ": " << dnf.error().to_string();
    MatchOptions mopts;
    mopts.merge_adjacent = v.merge;
    mopts.conjunction = v.conjunction;
    MatchResult flows = dnf_to_flows(*dnf, mopts);
    for (const FlowState& s : states) {
      bool direct = evaluate_expr(*annotated, s, r);
      bool via_simplified = evaluate_expr(simplified, s, r);
      bool via_flows = table_matches(flows, s);
      ASSERT_EQ(direct, via_simplified) << text << " (simplified: " << format_expr(simplified) << ")";
      ASSERT_EQ(direct, via_flows) << text << " merge=" << v.merge << " conj=" << v.conjunction
                                   << "\n  normalized: " << format_dnf(*dnf) << "\n  state reg0="
                                   << s.get("reg0")->to_hex() << " reg9=" << s.get("reg9")->to_hex()
                                   << " ct_state=" << s.get("ct_state")->to_hex();
    }
    checked++;
  }
}

TEST(Oracle, EveryTerminal) {
  auto states = all_states(ovn_symbol_table());
  int checked = 0;
  for (const std::string& t : terminals()) check(t, states, checked);
  EXPECT_GT(checked, 200);
}

TEST(Oracle, EveryPairOfTerminals) {
  auto states = all_states(ovn_symbol_table());
  auto t = terminals();
  int checked = 0;
  // All pairs would be ~20,000 expressions x 3 variants x 256 states; a fixed stride keeps the
  // run short while still pairing every terminal with many others.
  for (size_t i = 0; i < t.size(); i++) {
    for (size_t j = i % 3; j < t.size(); j += 3) {
      check(t[i] + " && " + t[j], states, checked);
      check(t[i] + " || " + t[j], states, checked);
    }
  }
  EXPECT_GT(checked, 10000);
}

TEST(Oracle, RandomNestedExpressions) {
  auto states = all_states(ovn_symbol_table());
  auto t = terminals();
  std::mt19937 rng(20230303);
  auto pick = [&] { return t[rng() % t.size()]; };
  std::function<std::string(int)> gen = [&](int depth) -> std::string {
    if (depth == 0 || rng() % 4 == 0) return pick();
    switch (rng() % 3) {
      case 0:
        return "(" + gen(depth - 1) + " && " + gen(depth - 1) + ")";
      case 1:
        return "(" + gen(depth - 1) + " || " + gen(depth - 1) + ")";
      default:
        return "!(" + gen(depth - 1) + ")";
    }
  };
  int checked = 0;
  for (int i = 0; i < 1500; i++) check(gen(4), states, checked);
  EXPECT_EQ(checked, 4500);
}

}  // namespace
}  // namespace ovnx::logical::testing
