// Match expressions of the logical-flow language: the syntax tree and the public pipeline
//
//   parse_expr      text -> Expr over symbols (negations already pushed down, sets expanded)
//   annotate_expr   predicates and subfields expanded to OpenFlow field bits, prerequisites
//                   added, nominal fields checked
//   simplify_expr   <, <=, >, >=, != rewritten as masked equalities OpenFlow can match
//   normalize_expr  (normalize.h) -> disjunctive normal form -> OpenFlow matches (compile.h)
//   evaluate_expr   (expr_eval.h) the truth of an annotated expression for one packet
//
// All are pure functions of their inputs; an Expr is a value (copyable, no shared state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "logical/lexer.h"
#include "logical/resolver.h"
#include "logical/symtab.h"
#include "logical/u128.h"

namespace ovnx::logical {

// kRef: a shared, immutable, already annotated subexpression (a symbol's prerequisites or a
// predicate's expansion), referenced instead of copied; see RefTarget in normalize.h.
// kSet: `field == {a, b, ...}` (op kEq: some member is equal) or `field != {a, b, ...}` (op kNe:
// none is), the members held in one node rather than one kCmp each (an address set or port
// group of thousands stays one node through annotate, simplify and normalize). It means exactly
// expand_set() of it. The parser makes one for a set of two or more constants compared to a
// field or subfield (never a predicate); simplify_expr() makes them too, for the alternatives it
// writes for <, <=, >, >= and != (see README.md).
enum class ExprType : uint8_t { kCmp, kAnd, kOr, kBool, kCondition, kRef, kSet };

struct RefTarget;
enum class RelOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

std::string_view relop_to_string(RelOp op);
// The operator that is true exactly when `op` is false (== <-> !=, < <-> >=, ...).
RelOp relop_negate(RelOp op);
// The operator with its operands swapped (a < b  <=>  b > a).
RelOp relop_swap(RelOp op);

// A symbol, possibly subscripted (`reg0[3..7]`), and where its bits live in OpenFlow.
struct FieldRef {
  const Symbol* symbol = nullptr;
  int ofs = 0;     // first bit, relative to the symbol
  int n_bits = 0;  // number of bits; symbol->width when not subscripted
  bool subscripted = false;

  const PhysField* phys() const { return symbol->field; }
  int phys_ofs() const { return symbol->ofs + ofs; }
  friend bool operator==(const FieldRef&, const FieldRef&) = default;
};

// One member of a kSet: what a kCmp of the same field would hold.
struct SetMember {
  U128 value;
  U128 mask;  // n_bits wide, all-ones unless written as value/mask
  bool masked = false;
  IntFormat format = IntFormat::kDecimal;
  std::string string;  // string fields
  friend bool operator==(const SetMember&, const SetMember&) = default;
};

// Members are ordered by size rather than by the node kind they serve (the one-byte ones first):
// that keeps an Expr at 160 bytes instead of 184, and vectors of them are moved a lot.
struct Expr {
  ExprType type = ExprType::kBool;
  RelOp op = RelOp::kEq;                   // kCmp, kSet
  bool masked = false;                     // kCmp
  IntFormat format = IntFormat::kDecimal;  // kCmp
  // kBool: the constant; kCondition: `is_chassis_resident(string)`, negated when false;
  // kRef: true once simplified (stands for RefTarget::simplified rather than ::annotated).
  bool boolean = true;
  size_t pos = 0;  // source position (byte offset) of the comparison, for error messages

  // kCmp: `field op value`. For integer symbols, value/mask are n_bits wide (mask all-ones
  // unless written as value/mask); for string symbols, `string` holds the constant.
  FieldRef field;
  U128 value;
  U128 mask;
  std::string string;

  // kAnd / kOr.
  std::vector<Expr> children;

  // kSet: the members (`field` and `op` as for kCmp; op is kEq or kNe).
  std::vector<SetMember> members;

  // kRef: what it stands for (owned by the symbol table).
  const RefTarget* ref = nullptr;

  static Expr make_bool(bool b) {
    Expr e;
    e.type = ExprType::kBool;
    e.boolean = b;
    return e;
  }
  static Expr make_cmp(const FieldRef& f, RelOp op, U128 value, U128 mask, size_t pos = 0);
  static Expr make_ref(const RefTarget* target) {
    Expr e;
    e.type = ExprType::kRef;
    e.ref = target;
    e.boolean = false;
    return e;
  }
  static Expr make_string_cmp(const FieldRef& f, RelOp op, std::string s, size_t pos = 0);
  // Builds an And/Or, flattening nested nodes of the same type and dropping neutral constants.
  static Expr make_and(std::vector<Expr> children);
  static Expr make_or(std::vector<Expr> children);
  // Two operands, moved (a braced list would copy them).
  static Expr make_and(Expr a, Expr b);
};

// Parses `text` as a match expression. `$name` and `@name` are looked up in `resolver` (may be
// null when the text uses none). Errors are "syntax error" with the column and the reason.
Result<Expr> parse_expr(std::string_view text, const SymbolTable& symtab,
                        const Resolver* resolver = nullptr);

// Expands predicates and subfields, adds prerequisites, checks nominal fields. The result refers
// only to field symbols (PhysField::canonical) and string fields.
Result<Expr> annotate_expr(const Expr& expr, const SymbolTable& symtab, std::string_view text = {});
// The same, consuming `expr` (no copies).
Result<Expr> annotate_expr(Expr&& expr, const SymbolTable& symtab);

// parse_expr + annotate_expr.
Result<Expr> parse_and_annotate(std::string_view text, const SymbolTable& symtab,
                                const Resolver* resolver = nullptr);

// Rewrites every integer comparison as == on (value, mask) pairs OpenFlow can match: != becomes a
// disjunction over mask bits, relational operators a disjunction of prefixes. REQUIRES: annotated.
Expr simplify_expr(const Expr& annotated);
Expr simplify_expr(Expr&& annotated);

// The logical negation of `expr`, pushed down to the comparisons.
Expr negate_expr(Expr expr);

// The prerequisites implied by the symbols `parsed` uses, annotated, without the expression
// itself (Bool true when there are none).
Result<Expr> prerequisites_of(const Expr& parsed, const SymbolTable& symtab);

// Formats in the language's own syntax; parse_expr(format_expr(e)) gives back e.
std::string format_expr(const Expr& expr);

// `expr` with every kRef replaced by a copy of what it stands for and every kSet by its
// expansion (junctions flattened): only kCmp, kAnd, kOr, kBool and kCondition remain.
Expr inline_refs(const Expr& expr);

// A kSet as the junction of comparisons it stands for: `f == {a, b}` is `f == a || f == b`,
// `f != {a, b}` is `f != a && f != b`. Anything else is returned unchanged.
Expr expand_set(const Expr& expr);

// Appends to `out` the symbols `expr` uses, each once, in order of first use.
void collect_symbols(const Expr& expr, std::vector<const Symbol*>& out);

}  // namespace ovnx::logical
