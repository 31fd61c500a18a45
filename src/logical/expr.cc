// Expr construction, negation and formatting.
#include "logical/expr.h"
#include "logical/normalize.h"

#include <algorithm>

namespace ovnx::logical {

std::string_view relop_to_string(RelOp op) {
  switch (op) {
    case RelOp::kEq:
      return "==";
    case RelOp::kNe:
      return "!=";
    case RelOp::kLt:
      return "<";
    case RelOp::kLe:
      return "<=";
    case RelOp::kGt:
      return ">";
    case RelOp::kGe:
      return ">=";
  }
  return "?";
}

RelOp relop_negate(RelOp op) {
  switch (op) {
    case RelOp::kEq:
      return RelOp::kNe;
    case RelOp::kNe:
      return RelOp::kEq;
    case RelOp::kLt:
      return RelOp::kGe;
    case RelOp::kLe:
      return RelOp::kGt;
    case RelOp::kGt:
      return RelOp::kLe;
    case RelOp::kGe:
      return RelOp::kLt;
  }
  return op;
}

RelOp relop_swap(RelOp op) {
  switch (op) {
    case RelOp::kLt:
      return RelOp::kGt;
    case RelOp::kLe:
      return RelOp::kGe;
    case RelOp::kGt:
      return RelOp::kLt;
    case RelOp::kGe:
      return RelOp::kLe;
    default:
      return op;
  }
}

Expr Expr::make_cmp(const FieldRef& f, RelOp op, U128 value, U128 mask, size_t pos) {
  Expr e;
  e.type = ExprType::kCmp;
  e.pos = pos;
  e.field = f;
  e.op = op;
  e.value = value;
  e.mask = mask;
  e.masked = mask != U128::low_bits(f.n_bits);
  e.format = IntFormat::kDecimal;
  return e;
}

Expr Expr::make_string_cmp(const FieldRef& f, RelOp op, std::string s, size_t pos) {
  Expr e;
  e.type = ExprType::kCmp;
  e.pos = pos;
  e.field = f;
  e.op = op;
  e.string = std::move(s);
  return e;
}

namespace {

Expr make_junction(ExprType type, std::vector<Expr> children) {
  // `absorbing` decides the whole junction (false for &&, true for ||); the other is neutral.
  bool absorbing = type == ExprType::kOr;
  // Usually nothing needs flattening or dropping: keep the vector as it is.
  // A set is the junction of its comparisons (== {..} a disjunction, != {..} a conjunction):
  // inside a junction of that kind it is flattened too, as its expansion would be.
  auto set_of_type = [type](const Expr& c) {
    return c.type == ExprType::kSet &&
           (c.op == RelOp::kNe ? ExprType::kAnd : ExprType::kOr) == type;
  };
  bool plain = children.size() >= 2;
  for (const Expr& c : children) {
    plain &= c.type != ExprType::kBool && c.type != type && !set_of_type(c);
  }
  if (plain) {
    Expr e;
    e.type = type;
    e.children = std::move(children);
    return e;
  }
  std::vector<Expr> flat;
  size_t n_flat = 0;  // an upper bound, so that the vector never regrows (moving every node)
  for (const Expr& c : children) {
    n_flat += c.type == type ? c.children.size() : set_of_type(c) ? c.members.size() : 1;
  }
  flat.reserve(n_flat);
  for (Expr& c : children) {
    if (c.type == ExprType::kBool) {
      if (c.boolean == absorbing) return Expr::make_bool(absorbing);
      continue;
    }
    if (c.type == type) {
      for (Expr& g : c.children) flat.push_back(std::move(g));
    } else if (set_of_type(c)) {
      Expr expanded = expand_set(c);
      if (expanded.type == type) {
        for (Expr& g : expanded.children) flat.push_back(std::move(g));
      } else if (expanded.type == ExprType::kBool) {
        if (expanded.boolean == absorbing) return Expr::make_bool(absorbing);
      } else {
        flat.push_back(std::move(expanded));
      }
    } else {
      flat.push_back(std::move(c));
    }
  }
  if (flat.empty()) return Expr::make_bool(!absorbing);
  if (flat.size() == 1) return std::move(flat[0]);
  Expr e;
  e.type = type;
  e.children = std::move(flat);
  return e;
}

std::string format_field(const FieldRef& f) {
  std::string out = f.symbol->name;
  if (f.subscripted) {
    out += '[';
    out += std::to_string(f.ofs);
    if (f.n_bits > 1) {
      out += "..";
      out += std::to_string(f.ofs + f.n_bits - 1);
    }
    out += ']';
  }
  return out;
}

std::string format_value(const Expr& e) {
  if (e.field.symbol->is_string) {
    // Normalized forms hold port keys, not names.
    return e.string.empty() ? format_integer(e.value, IntFormat::kDecimal) : quote_string(e.string);
  }
  if (e.masked) return format_masked(e.value, e.mask, e.format, e.field.n_bits);
  return format_integer(e.value, e.format);
}

bool is_boolean_cmp(const Expr& e) {
  return !e.field.symbol->is_string && e.field.n_bits == 1 && !e.masked &&
         (e.op == RelOp::kEq || e.op == RelOp::kNe) && e.value <= U128(1);
}

// A junction all of whose children compare the same field with `op` formats as a set.
bool is_set(const Expr& e, RelOp op) {
  if (e.children.size() < 2) return false;
  for (const Expr& c : e.children) {
    if (c.type != ExprType::kCmp || c.op != op || !(c.field == e.children[0].field)) return false;
    if (is_boolean_cmp(c)) return false;
  }
  return true;
}

void format_into(const Expr& e, std::string& out, bool in_junction);

void format_junction(const Expr& e, std::string& out, bool in_junction) {
  RelOp set_op = e.type == ExprType::kOr ? RelOp::kEq : RelOp::kNe;
  if (is_set(e, set_op)) {
    out += format_field(e.children[0].field);
    out += ' ';
    out += relop_to_string(set_op);
    out += " {";
    for (size_t i = 0; i < e.children.size(); i++) {
      if (i) out += ", ";
      out += format_value(e.children[i]);
    }
    out += '}';
    return;
  }
  if (in_junction) out += '(';
  std::string_view sep = e.type == ExprType::kAnd ? " && " : " || ";
  for (size_t i = 0; i < e.children.size(); i++) {
    if (i) out += sep;
    format_into(e.children[i], out, true);
  }
  if (in_junction) out += ')';
}

void format_into(const Expr& e, std::string& out, bool in_junction) {
  switch (e.type) {
    case ExprType::kBool:
      out += e.boolean ? "1" : "0";
      return;
    case ExprType::kCondition:
      if (!e.boolean) out += '!';
      out += "is_chassis_resident(";
      out += quote_string(e.string);
      out += ')';
      return;
    case ExprType::kCmp:
      if (e.masked && !e.field.subscripted && !e.field.symbol->is_string &&
          e.format == IntFormat::kHex) {
        // A whole-field test of contiguous bits reads better as a subfield: ip.frag[1] == 0.
        int lo = e.mask.lsb();
        U128 run = e.mask >> lo;
        if (lo >= 0 && run.is_low_mask()) {
          Expr sub = e;
          sub.field.ofs = lo;
          sub.field.n_bits = run.popcount();
          sub.field.subscripted = true;
          sub.value = e.value >> lo;
          sub.mask = run;
          sub.masked = false;
          format_into(sub, out, in_junction);
          return;
        }
      }
      if (is_boolean_cmp(e)) {
        bool truth = (e.value == U128(1)) == (e.op == RelOp::kEq);
        if (!truth) out += '!';
        out += format_field(e.field);
        return;
      }
      out += format_field(e.field);
      out += ' ';
      out += relop_to_string(e.op);
      out += ' ';
      out += format_value(e);
      return;
    case ExprType::kAnd:
    case ExprType::kOr:
      format_junction(e, out, in_junction);
      return;
    case ExprType::kRef:
      format_into(e.boolean ? e.ref->simplified : e.ref->annotated, out, in_junction);
      return;
    case ExprType::kSet:
      format_into(expand_set(e), out, in_junction);
      return;
  }
}

void collect(const Expr& e, std::vector<const Symbol*>& out) {
  if (e.type == ExprType::kCmp || e.type == ExprType::kSet) {
    if (std::find(out.begin(), out.end(), e.field.symbol) == out.end()) {
      out.push_back(e.field.symbol);
    }
  }
  for (const Expr& c : e.children) collect(c, out);
}

}  // namespace

Expr Expr::make_and(std::vector<Expr> children) {
  return make_junction(ExprType::kAnd, std::move(children));
}

Expr Expr::make_and(Expr a, Expr b) {
  // The usual cases without a new vector, giving exactly what make_junction() would: a
  // constant operand, or an operand appended to a conjunction that is already flat.
  auto flattens = [](const Expr& e) {
    return e.type == ExprType::kBool || e.type == ExprType::kAnd ||
           (e.type == ExprType::kSet && e.op == RelOp::kNe);
  };
  auto flat_and = [&](const Expr& e) {
    if (e.type != ExprType::kAnd || e.children.size() < 2) return false;
    return std::none_of(e.children.begin(), e.children.end(), flattens);
  };
  if (b.type == ExprType::kBool && !b.boolean) return make_bool(false);
  if (a.type == ExprType::kBool && !a.boolean) return make_bool(false);
  if (flat_and(a)) {
    if (b.type == ExprType::kBool) return a;
    if (!flattens(b)) {
      a.children.push_back(std::move(b));
      return a;
    }
    if (flat_and(b)) {
      a.children.insert(a.children.end(), std::make_move_iterator(b.children.begin()),
                        std::make_move_iterator(b.children.end()));
      return a;
    }
  }
  if (b.type == ExprType::kBool && !flattens(a)) return a;
  if (a.type == ExprType::kBool && !flattens(b)) return b;
  std::vector<Expr> kids;
  kids.reserve(2);
  kids.push_back(std::move(a));
  kids.push_back(std::move(b));
  return make_junction(ExprType::kAnd, std::move(kids));
}

Expr Expr::make_or(std::vector<Expr> children) {
  return make_junction(ExprType::kOr, std::move(children));
}

Expr negate_expr(Expr e) {
  switch (e.type) {
    case ExprType::kBool:
    case ExprType::kCondition:
      e.boolean = !e.boolean;
      return e;
    case ExprType::kCmp:
    case ExprType::kSet:  // == {..} <-> != {..}
      e.op = relop_negate(e.op);
      return e;
    case ExprType::kAnd:
    case ExprType::kOr: {
      std::vector<Expr> kids;
      kids.reserve(e.children.size());
      for (Expr& c : e.children) kids.push_back(negate_expr(std::move(c)));
      return e.type == ExprType::kAnd ? Expr::make_or(std::move(kids))
                                      : Expr::make_and(std::move(kids));
    }
    case ExprType::kRef:
      return negate_expr(Expr(e.ref->annotated));
  }
  return e;
}

Expr inline_refs(const Expr& e) {
  switch (e.type) {
    case ExprType::kRef:
      return inline_refs(e.boolean ? e.ref->simplified : e.ref->annotated);
    case ExprType::kSet:
      return expand_set(e);
    case ExprType::kAnd:
    case ExprType::kOr: {
      std::vector<Expr> kids;
      kids.reserve(e.children.size());
      for (const Expr& c : e.children) kids.push_back(inline_refs(c));
      return e.type == ExprType::kAnd ? Expr::make_and(std::move(kids))
                                      : Expr::make_or(std::move(kids));
    }
    default:
      return e;
  }
}

Expr expand_set(const Expr& e) {
  if (e.type != ExprType::kSet) return e;
  std::vector<Expr> cmps;
  cmps.reserve(e.members.size());
  for (const SetMember& m : e.members) {
    Expr c;
    c.type = ExprType::kCmp;
    c.pos = e.pos;
    c.field = e.field;
    c.op = e.op;
    c.value = m.value;
    c.mask = m.mask;
    c.masked = m.masked;
    c.format = m.format;
    c.string = m.string;
    cmps.push_back(std::move(c));
  }
  return e.op == RelOp::kNe ? Expr::make_and(std::move(cmps)) : Expr::make_or(std::move(cmps));
}

std::string format_expr(const Expr& expr) {
  // Shared subexpressions print as if they had been copied in (flattened into their parent).
  std::string out;
  format_into(inline_refs(expr), out, false);
  return out;
}

void collect_symbols(const Expr& expr, std::vector<const Symbol*>& out) { collect(expr, out); }

std::string Constant::to_string(int width) const {
  if (is_string) return quote_string(string);
  if (masked) return format_masked(value, mask, format, width);
  return format_integer(value, format);
}

}  // namespace ovnx::logical
