#include "trace/microflow.h"

#include <fmt/format.h>

#include "logical/expr.h"
#include "logical/lexer.h"
#include "logical/symtab.h"

namespace ovnx::trace {

using logical::Expr;
using logical::ExprType;
using logical::U128;

namespace {

// Applies the `==` comparisons of the conjunction `e` to `state`.
Status apply(const Expr& e, logical::FlowState& state, const logical::Resolver& resolver) {
  switch (e.type) {
    case ExprType::kAnd:
      for (const Expr& c : e.children) OVNX_RETURN_IF_ERROR(apply(c, state, resolver));
      return ok_status();
    case ExprType::kCmp: {
      if (e.op != logical::RelOp::kEq) return ok_status();
      const logical::PhysField* f = e.field.phys();
      if (!f) return ok_status();
      if (e.field.symbol->is_string) {
        auto key = resolver.resolve_port(e.string);
        if (!key) return make_error("unknown logical port", fmt::format("\"{}\"", e.string));
        state.set(*f, U128(*key));
        return ok_status();
      }
      int ofs = e.field.phys_ofs(), n = e.field.n_bits;
      U128 old = state.get_bits(*f, ofs, n);
      state.set_bits(*f, ofs, n, (old & ~e.mask) | (e.value & e.mask));
      return ok_status();
    }
    default:  // disjunctions, constants, conditions: nothing to derive
      return ok_status();
  }
}

}  // namespace

Result<logical::FlowState> parse_microflow(std::string_view text,
                                           const logical::Resolver& resolver) {
  const logical::SymbolTable& symtab = logical::ovn_symbol_table();
  OVNX_ASSIGN_OR_RETURN(Expr expr, logical::parse_and_annotate(text, symtab, &resolver));
  Expr flat = logical::inline_refs(expr);
  logical::FlowState state(symtab);
  OVNX_RETURN_IF_ERROR(apply(flat, state, resolver));
  if (!logical::evaluate_expr(flat, state, resolver)) {
    return make_error("microflow does not describe a single packet",
                      "the packet built from its == terms does not satisfy it; add terms that "
                      "pin every field it tests");
  }
  return state;
}

std::string format_flow_state(const logical::FlowState& state) {
  std::string out;
  const logical::SymbolTable& symtab = state.symtab();
  for (int i = 0; i < symtab.num_fields(); ++i) {
    const logical::PhysField& f = symtab.field(i);
    U128 v = state.get(f);
    if (v.is_zero()) continue;
    logical::IntFormat format = f.format;
    if (format == logical::IntFormat::kDecimal && f.name.starts_with("reg")) {
      format = logical::IntFormat::kHex;
    }
    if (!out.empty()) out += ',';
    out += fmt::format("{}={}", f.name, logical::format_integer(v, format));
  }
  return out.empty() ? "(all fields zero)" : out;
}

}  // namespace ovnx::trace
