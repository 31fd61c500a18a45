// libFuzzer target for match expressions: parse, then (if it parsed) format, re-parse and
// check the round trip, annotate, simplify, normalize and turn into flows, and evaluate against
// a packet. Any crash, sanitizer report or broken invariant is a bug.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "logical/expr.h"
#include "logical/expr_eval.h"
#include "logical/normalize.h"

using namespace ovnx::logical;

namespace {

const MapResolver& resolver() {
  static const MapResolver* r = [] {
    auto* m = new MapResolver();
    m->ports["lp1"] = 1;
    m->ports["lp2"] = 2;
    m->resident["lp1"] = true;
    m->address_sets["set1"] =
        ConstantSet::parse_addresses({"10.0.0.1", "10.0.0.2", "10.1.0.0/16"}).value();
    m->port_groups["pg1"] = ConstantSet::of_strings({"lp1", "lp2"});
    return m;
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const SymbolTable& symtab = ovn_symbol_table();
  auto parsed = parse_expr(text, symtab, &resolver());
  if (!parsed.ok()) return 0;
  // Formatting gives back an expression that parses to the same formatted text.
  std::string formatted = format_expr(*parsed);
  auto again = parse_expr(formatted, symtab, &resolver());
  if (!again.ok() || format_expr(*again) != formatted) std::abort();
  auto annotated = annotate_expr(*parsed, symtab);
  if (!annotated.ok()) return 0;
  Expr simplified = simplify_expr(*annotated);
  NormalizeOptions opts;
  opts.max_terms = 5000;  // keep each input cheap
  auto dnf = normalize_expr(simplified, resolver(), opts);
  if (!dnf.ok()) return 0;
  MatchResult flows = dnf_to_flows(*dnf);
  // One packet: the flows and the expression must agree on it.
  FlowState s(symtab);
  (void)s.set("eth.type", U128(0x800u));
  (void)s.set("ip.proto", U128(6u));
  (void)s.set("inport", U128(1u));
  (void)s.set("ip4.src", U128(0x0a000001u));
  bool direct = evaluate_expr(*annotated, s, resolver());
  bool any = false;
  for (const MatchFlow& f : flows.flows) {
    if (!f.clause && !f.conj_id && matches_fields(f.fields, s)) any = true;
  }
  bool conj_only = false;
  for (const MatchFlow& f : flows.flows) conj_only |= f.conj_id != 0;
  if (!conj_only && any != direct) std::abort();
  return 0;
}
