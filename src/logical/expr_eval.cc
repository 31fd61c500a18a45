#include "logical/expr_eval.h"

#include <fmt/format.h>

namespace ovnx::logical {

void FlowState::set_bits(const PhysField& f, int ofs, int n, U128 v) {
  U128 m = U128::bit_range(ofs, n);
  U128 cur = get(f);
  set(f, (cur & ~m) | ((v << ofs) & m));
}

Status FlowState::set(std::string_view symbol, U128 value) {
  const Symbol* s = symtab_->find(symbol);
  if (!s || !s->field) return make_error("unknown field", std::string(symbol));
  if (!(value & ~U128::low_bits(s->width)).is_zero()) {
    return make_error("value too wide", fmt::format("{} for {}-bit {}", value.to_hex(), s->width,
                                                    symbol));
  }
  set_bits(*s->field, s->ofs, s->width, value);
  return ok_status();
}

Result<U128> FlowState::get(std::string_view symbol) const {
  const Symbol* s = symtab_->find(symbol);
  if (!s || !s->field) return make_error("unknown field", std::string(symbol));
  return get_bits(*s->field, s->ofs, s->width);
}

namespace {

bool eval_cmp(const Expr& e, const FlowState& state, const Resolver& resolver) {
  const Symbol* sym = e.field.symbol;
  if (sym->kind == SymbolKind::kPredicate) {
    bool truth = (e.value == U128(1)) == (e.op == RelOp::kEq);
    bool v = evaluate_expr(*sym->predicate_true, state, resolver);
    return truth ? v : !v;
  }
  if (!sym->field) return false;  // OVN fields are never matched
  U128 bits = state.get_bits(*sym->field, e.field.phys_ofs(), e.field.n_bits);
  if (sym->is_string) {
    auto key = resolver.resolve_port(e.string);
    bool eq = key && bits == U128(*key);
    return e.op == RelOp::kEq ? eq : (e.op == RelOp::kNe ? !eq : false);
  }
  switch (e.op) {
    case RelOp::kEq:
      return (bits & e.mask) == (e.value & e.mask);
    case RelOp::kNe:
      return (bits & e.mask) != (e.value & e.mask);
    case RelOp::kLt:
      return bits < e.value;
    case RelOp::kLe:
      return bits <= e.value;
    case RelOp::kGt:
      return bits > e.value;
    case RelOp::kGe:
      return bits >= e.value;
  }
  return false;
}

// `field == {..}`: some member equal; `field != {..}`: none.
bool eval_set(const Expr& e, const FlowState& state, const Resolver& resolver) {
  const Symbol* sym = e.field.symbol;
  if (!sym->field) return false;
  U128 bits = state.get_bits(*sym->field, e.field.phys_ofs(), e.field.n_bits);
  bool any = false;
  for (const SetMember& m : e.members) {
    if (sym->is_string) {
      auto key = resolver.resolve_port(m.string);
      any = key && bits == U128(*key);
    } else {
      any = (bits & m.mask) == (m.value & m.mask);
    }
    if (any) break;
  }
  return e.op == RelOp::kEq ? any : (e.op == RelOp::kNe ? !any : false);
}

}  // namespace

bool evaluate_expr(const Expr& e, const FlowState& state, const Resolver& resolver) {
  switch (e.type) {
    case ExprType::kBool:
      return e.boolean;
    case ExprType::kCondition:
      return resolver.is_chassis_resident(e.string) == e.boolean;
    case ExprType::kCmp:
      return eval_cmp(e, state, resolver);
    case ExprType::kAnd:
      for (const Expr& c : e.children) {
        if (!evaluate_expr(c, state, resolver)) return false;
      }
      return true;
    case ExprType::kOr:
      for (const Expr& c : e.children) {
        if (evaluate_expr(c, state, resolver)) return true;
      }
      return false;
    case ExprType::kRef:
      return evaluate_expr(e.ref->annotated, state, resolver);
    case ExprType::kSet:
      return eval_set(e, state, resolver);
  }
  return false;
}

bool matches_fields(const std::vector<FieldMatch>& fields, const FlowState& state) {
  for (const FieldMatch& f : fields) {
    if ((state.get(*f.field) & f.mask) != f.value) return false;
  }
  return true;
}

}  // namespace ovnx::logical
