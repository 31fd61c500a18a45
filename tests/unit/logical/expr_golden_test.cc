// Golden tests for match expressions: tests/fixtures/logical/expr.txt.
#include <gtest/gtest.h>

#include "golden.h"
#include "logical/expr.h"
#include "logical/normalize.h"
#include "test_env.h"

namespace ovnx::logical::testing {
namespace {

std::vector<std::string> compute(const GoldenCase& c, const std::string& key) {
  const SymbolTable& symtab = ovn_symbol_table();
  const MapResolver& r = test_resolver();
  auto error = [](const Error& e) { return std::vector<std::string>{e.to_string()}; };
  auto parsed = parse_expr(c.input, symtab, &r);
  if (!parsed.ok()) return error(parsed.error());
  if (key == "formats as") return {format_expr(*parsed)};
  if (key == "has prerequisites") {
    auto p = prerequisites_of(*parsed, symtab);
    if (!p.ok()) return error(p.error());
    return {format_expr(*p)};
  }
  auto annotated = annotate_expr(*parsed, symtab);
  if (!annotated.ok()) return error(annotated.error());
  if (key == "annotates to") return {format_expr(*annotated)};
  Expr simplified = simplify_expr(*annotated);
  if (key == "simplifies to") return {format_expr(simplified)};
  NormalizeOptions nopts;
  nopts.merge_adjacent = c.context.count("no-merge") == 0;
  auto dnf = normalize_expr(simplified, r, nopts);
  if (!dnf.ok()) return error(dnf.error());
  if (key == "normalizes to") return {format_dnf(*dnf)};
  if (key == "flows") {
    MatchOptions mopts;
    mopts.merge_adjacent = nopts.merge_adjacent;
    MatchResult m = dnf_to_flows(*dnf, mopts);
    std::vector<std::string> out;
    for (const MatchFlow& f : m.flows) {
      std::string line = format_field_matches(f.fields);
      if (f.clause) {
        line += " => conjunction(" + std::to_string(f.conj_id) + ", " + std::to_string(f.clause) +
                "/" + std::to_string(f.n_clauses) + ")";
      } else if (f.conj_id) {
        line = "conj_id == " + std::to_string(f.conj_id) + " && " + line;
      }
      out.push_back(line);
    }
    if (out.empty()) out.push_back("(no flows)");
    return out;
  }
  if (key == "error") return {"(no error)"};
  return {"unknown expectation `" + key + "`"};
}

TEST(ExprGolden, Fixture) { EXPECT_GT(run_golden("expr.txt", compute), 0); }

}  // namespace
}  // namespace ovnx::logical::testing
