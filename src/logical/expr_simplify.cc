// Simplification: every integer comparison becomes `field == value/mask` on a whole OpenFlow
// field, the only test a flow can make.
//
//   f != c   -> some bit differs:           OR over bits i of (f[i] == !c[i])
//   f >= c   -> f == c, or at some 0-bit i of c, f has c's higher bits and a 1 at i
//   f <= c   -> f == c, or at some 1-bit i of c, f has c's higher bits and a 0 at i
//   f > c, f < c: the same without f == c
// Lower bits are wildcarded in each alternative. This is the expansion ovn-controller uses, so
// `udp.dst >= 1000 && udp.dst <= 1999` gives the same 13 flows; normalization may later merge
// adjacent alternatives. Two or more alternatives are one kSet node (`f == {..}`), which means
// exactly their disjunction: a port range is then two nodes instead of ~30 comparisons, and it
// folds into its conjunction's term like any set instead of being multiplied out.
#include <utility>
#include <vector>

#include "logical/expr.h"

namespace ovnx::logical {
namespace {

// `value/mask` over the field's n bits, moved to the field's position in its OpenFlow field.
Expr whole_field_cmp(const Expr& src, U128 value, U128 mask) {
  const PhysField* f = src.field.phys();
  FieldRef whole;
  whole.symbol = f->canonical;
  whole.ofs = 0;
  whole.n_bits = f->width;
  int shift = src.field.phys_ofs();
  Expr e = Expr::make_cmp(whole, RelOp::kEq, value << shift, mask << shift, src.pos);
  // Addresses keep their notation; shifted integers read better in the field's own.
  bool address = src.format == IntFormat::kIPv4 || src.format == IntFormat::kIPv6 ||
                 src.format == IntFormat::kEthernet;
  e.format = address && shift == 0 ? src.format : f->format;
  return e;
}

// The disjunction of `f == value/mask` over `alts` (value, mask pairs on the field's own bits),
// as whole_field_cmp() would write each: false, one comparison, or one kSet.
Expr any_of(const Expr& src, const std::vector<std::pair<U128, U128>>& alts) {
  if (alts.empty()) return Expr::make_bool(false);
  if (alts.size() == 1) return whole_field_cmp(src, alts[0].first, alts[0].second);
  const PhysField* f = src.field.phys();
  int shift = src.field.phys_ofs();
  bool address = src.format == IntFormat::kIPv4 || src.format == IntFormat::kIPv6 ||
                 src.format == IntFormat::kEthernet;
  IntFormat format = address && shift == 0 ? src.format : f->format;
  U128 whole_mask = U128::low_bits(f->width);
  Expr set;
  set.type = ExprType::kSet;
  set.pos = src.pos;
  set.field.symbol = f->canonical;
  set.field.ofs = 0;
  set.field.n_bits = f->width;
  set.op = RelOp::kEq;
  set.members.resize(alts.size());
  for (size_t i = 0; i < alts.size(); i++) {
    SetMember& m = set.members[i];
    m.value = alts[i].first << shift;
    m.mask = alts[i].second << shift;
    m.masked = m.mask != whole_mask;
    m.format = format;
  }
  return set;
}

Expr simplify_cmp(const Expr& e) {
  if (e.field.symbol->is_string) return e;
  int n = e.field.n_bits;
  U128 all = U128::low_bits(n);
  U128 c = e.value;
  switch (e.op) {
    case RelOp::kEq:
      return whole_field_cmp(e, c & e.mask, e.mask);
    case RelOp::kNe: {
      // Only the masked bits are compared (all of them when not masked).
      std::vector<std::pair<U128, U128>> alts;
      alts.reserve(size_t(n));
      for (int i = 0; i < n; i++) {
        if (e.masked && !e.mask.test(i)) continue;
        alts.emplace_back(~c & U128::bit(i), U128::bit(i));
      }
      return any_of(e, alts);
    }
    case RelOp::kGe:
    case RelOp::kGt:
    case RelOp::kLe:
    case RelOp::kLt: {
      bool greater = e.op == RelOp::kGe || e.op == RelOp::kGt;
      bool or_equal = e.op == RelOp::kGe || e.op == RelOp::kLe;
      std::vector<std::pair<U128, U128>> alts;
      alts.reserve(size_t(n) + 1);  // at most one per bit, plus equality: no regrowth
      if (or_equal) alts.emplace_back(c, all);
      for (int i = 0; i < n; i++) {
        if (c.test(i) == greater) continue;  // >: flip 0-bits to 1; <: flip 1-bits to 0
        U128 higher = all & ~U128::low_bits(i + 1);
        U128 value = (c & higher) | (greater ? U128::bit(i) : U128());
        alts.emplace_back(value, higher | U128::bit(i));
      }
      return any_of(e, alts);
    }
  }
  return e;
}

// `field == {..}` on the members' bits of the whole OpenFlow field, still one node; `!=` is
// rewritten through its expansion (a conjunction of `!=`, each a disjunction over bits).
Expr simplify_set(Expr&& e) {
  if (e.field.symbol->is_string) return std::move(e);
  if (e.op != RelOp::kEq) return simplify_expr(expand_set(e));
  const PhysField* f = e.field.phys();
  int shift = e.field.phys_ofs();
  U128 whole_mask = U128::low_bits(f->width);
  for (SetMember& m : e.members) {
    // As whole_field_cmp() does for one comparison.
    bool address = m.format == IntFormat::kIPv4 || m.format == IntFormat::kIPv6 ||
                   m.format == IntFormat::kEthernet;
    m.value = (m.value & m.mask) << shift;
    m.mask = m.mask << shift;
    m.masked = m.mask != whole_mask;
    m.format = address && shift == 0 ? m.format : f->format;
  }
  e.field.symbol = f->canonical;
  e.field.ofs = 0;
  e.field.n_bits = f->width;
  e.field.subscripted = false;
  return std::move(e);
}


// Simplifies `e` where it stands: most nodes (equalities, sets, references, junctions whose
// children stay what they were) are rewritten in place instead of rebuilt and moved.
void simplify_in_place(Expr& e) {
  switch (e.type) {
    case ExprType::kCmp:
      if (e.field.symbol->is_string) return;
      if (e.op == RelOp::kEq && e.string.empty() && e.children.empty() && e.members.empty() &&
          e.boolean && !e.ref) {
        // What whole_field_cmp() would build, on the node itself.
        const PhysField* f = e.field.phys();
        int shift = e.field.phys_ofs();
        bool address = e.format == IntFormat::kIPv4 || e.format == IntFormat::kIPv6 ||
                       e.format == IntFormat::kEthernet;
        e.value = (e.value & e.mask) << shift;
        e.mask = e.mask << shift;
        e.masked = e.mask != U128::low_bits(f->width);
        e.format = address && shift == 0 ? e.format : f->format;
        e.field.symbol = f->canonical;
        e.field.ofs = 0;
        e.field.n_bits = f->width;
        e.field.subscripted = false;
        return;
      }
      e = simplify_cmp(e);
      return;
    case ExprType::kSet:
      if (e.field.symbol->is_string) return;
      e = simplify_set(std::move(e));
      return;
    case ExprType::kAnd:
    case ExprType::kOr: {
      // When a child became a constant or a junction, flatten as make_junction() does.
      bool regroup = false;
      for (Expr& c : e.children) {
        ExprType before = c.type;
        simplify_in_place(c);
        regroup |= c.type != before || c.type == ExprType::kBool;
      }
      if (!regroup) return;
      std::vector<Expr> kids = std::move(e.children);
      e = e.type == ExprType::kAnd ? Expr::make_and(std::move(kids))
                                   : Expr::make_or(std::move(kids));
      return;
    }
    case ExprType::kRef:
      e.boolean = true;  // now stands for the target's simplified form
      return;
    default:
      return;
  }
}

}  // namespace

Expr simplify_expr(const Expr& e) { return simplify_expr(Expr(e)); }

Expr simplify_expr(Expr&& e) {
  simplify_in_place(e);
  return std::move(e);
}

}  // namespace ovnx::logical
