// Parser for match expressions (ovn-sb(5), Logical_Flow "match").
//
//   expr      := unary { "&&" unary } | unary { "||" unary }   (mixing needs parentheses)
//   unary     := "!" operand_of_not | primary
//   primary   := "(" expr ")" | "is_chassis_resident" "(" string ")"
//              | operand [relop operand [relop operand]]
//   operand   := field | constant | "{" constants "}" | $address_set | @port_group
//
// `!` applies to a parenthesized expression, another `!` or a bare Boolean (field or constant);
// negation is pushed down to the comparisons as it is parsed.
#include <span>

#include <fmt/format.h>

#include "logical/expr.h"
#include "logical/parser_base.h"

namespace ovnx::logical {
namespace {

bool is_relop(TokenType t) {
  switch (t) {
    case TokenType::kEq:
    case TokenType::kNe:
    case TokenType::kLt:
    case TokenType::kLe:
    case TokenType::kGt:
    case TokenType::kGe:
      return true;
    default:
      return false;
  }
}

RelOp to_relop(TokenType t) {
  switch (t) {
    case TokenType::kNe:
      return RelOp::kNe;
    case TokenType::kLt:
      return RelOp::kLt;
    case TokenType::kLe:
      return RelOp::kLe;
    case TokenType::kGt:
      return RelOp::kGt;
    case TokenType::kGe:
      return RelOp::kGe;
    default:
      return RelOp::kEq;
  }
}

// One side of a comparison.
struct Operand {
  bool is_field = false;
  FieldRef field;
  // The constants: one (the common case, no allocation), a set written in braces, or an
  // address set / port group used in place (not copied).
  Constant single;
  bool has_single = false;
  ConstantSet constants;
  const ConstantSet* named = nullptr;
  bool is_set = false;
  size_t pos = 0;

  std::span<const Constant> values() const {
    if (has_single) return {&single, 1};
    return named ? std::span<const Constant>(named->values) : std::span<const Constant>(constants.values);
  }
  bool is_string() const {
    return has_single ? single.is_string : named ? named->is_string : constants.is_string;
  }
};

class ExprParser : public ParserBase {
 public:
  using ParserBase::ParserBase;

  // The Results are passed on as they are (not unwrapped and rewrapped): an Expr is 160 bytes
  // and each unwrap is a move of it.
  Result<Expr> parse_top() {
    Result<Expr> e = parse_expr();
    if (e.ok() && tok().type != TokenType::kEnd) {
      return expecting("`&&`, `||` or end of expression");
    }
    return e;
  }

 private:
  static constexpr int kMaxDepth = 100;

  Result<Expr> parse_expr() {
    if (++depth_ > kMaxDepth) return error_here("expression nested too deeply");
    Result<Expr> first = parse_unary();
    if (!first.ok()) return first;
    TokenType op = tok().type;
    if (op != TokenType::kAnd && op != TokenType::kOr) {
      --depth_;
      return first;
    }
    std::vector<Expr> parts;
    parts.reserve(4);  // room for the usual few operands (and annotation's prerequisites)
    parts.push_back(std::move(first).value());
    while (lexer_.match(op)) {
      // Straight from the Result into the vector: one move of the large node, not two.
      Result<Expr> next = parse_unary();
      if (!next.ok()) return std::move(next).error();
      parts.push_back(std::move(next).value());
    }
    TokenType other = op == TokenType::kAnd ? TokenType::kOr : TokenType::kAnd;
    if (tok().type == other) {
      return error_here("`&&` and `||` must be parenthesized when used together");
    }
    --depth_;
    return op == TokenType::kAnd ? Expr::make_and(std::move(parts))
                                 : Expr::make_or(std::move(parts));
  }

  Result<Expr> parse_unary() {
    if (!lexer_.match(TokenType::kNot)) {
      bool had_relop = false;
      return parse_primary(&had_relop);
    }
    size_t pos = tok().pos;
    if (tok().type == TokenType::kNot || tok().type == TokenType::kLParen) {
      OVNX_ASSIGN_OR_RETURN(Expr operand, parse_unary());
      return negate_expr(std::move(operand));
    }
    bool had_relop = false;
    OVNX_ASSIGN_OR_RETURN(Expr operand, parse_primary(&had_relop));
    if (had_relop) return error_at(pos, "missing parentheses around operand of `!`");
    return negate_expr(std::move(operand));
  }

  Result<Expr> parse_primary(bool* had_relop) {
    if (lexer_.match(TokenType::kLParen)) {
      Result<Expr> e = parse_expr();
      if (e.ok() && !lexer_.match(TokenType::kRParen)) return expecting("`)`");
      return e;
    }
    if (tok().type == TokenType::kId && tok().text == "is_chassis_resident" &&
        lexer_.peek().type == TokenType::kLParen) {
      return parse_chassis_resident();
    }
    // Operands are parsed into locals (an Operand is large: returning one in a Result and
    // unwrapping it again would move it twice).
    Operand lhs;
    OVNX_RETURN_IF_ERROR(parse_operand(lhs));
    if (!is_relop(tok().type)) {
      TokenType t = tok().type;
      bool may_end = t == TokenType::kEnd || t == TokenType::kAnd || t == TokenType::kOr ||
                     t == TokenType::kRParen;
      if (!may_end) return expecting("relational operator");
      return bare_operand(lhs);
    }

    *had_relop = true;
    RelOp op1 = to_relop(tok().type);
    size_t op1_pos = tok().pos;
    lexer_.advance();
    Operand mid;
    OVNX_RETURN_IF_ERROR(parse_operand(mid));
    if (!is_relop(tok().type)) return compare(lhs, op1, op1_pos, mid);

    // A range: constant relop field relop constant.
    RelOp op2 = to_relop(tok().type);
    size_t op2_pos = tok().pos;
    lexer_.advance();
    Operand rhs;
    OVNX_RETURN_IF_ERROR(parse_operand(rhs));
    if (lhs.is_field || !mid.is_field || rhs.is_field) {
      return error_at(op2_pos, "a range comparison must have the form `constant < field < constant`");
    }
    OVNX_ASSIGN_OR_RETURN(Expr a, compare(lhs, op1, op1_pos, mid));
    OVNX_ASSIGN_OR_RETURN(Expr b, compare(mid, op2, op2_pos, rhs));
    if (is_relop(tok().type)) return error_here("too many relational operators in one comparison");
    return Expr::make_and(std::move(a), std::move(b));
  }

  Result<Expr> parse_chassis_resident() {
    lexer_.advance();  // name
    lexer_.advance();  // (
    if (tok().type != TokenType::kString) return expecting("quoted logical port name");
    Expr e;
    e.type = ExprType::kCondition;
    e.pos = tok().pos;
    e.string = tok().text;
    e.boolean = true;
    lexer_.advance();
    OVNX_RETURN_IF_ERROR(expect(TokenType::kRParen, "`)`"));
    return e;
  }

  // Fills `o`, which is default-constructed.
  Status parse_operand(Operand& o) {
    o.pos = tok().pos;
    if (tok().type == TokenType::kId) {
      const Symbol* sym = symtab_.find(tok().text);
      if (!sym) {
        if (tok().text == "true" || tok().text == "false") {
          o.single = Constant::integer(U128(tok().text == "true" ? 1 : 0));
          o.has_single = true;
          lexer_.advance();
          return ok_status();
        }
        return error_here(fmt::format("unknown field `{}`", tok().text));
      }
      lexer_.advance();
      OVNX_ASSIGN_OR_RETURN(o.field, parse_subscript(sym, o.pos));
      o.is_field = true;
      return ok_status();
    }
    if (!at_constant()) return expecting("field, constant or `(`");
    TokenType t = tok().type;
    if ((t == TokenType::kMacro || t == TokenType::kPortGroup) && resolver_) {
      bool pg = t == TokenType::kPortGroup;
      o.named = pg ? resolver_->port_group(tok().text) : resolver_->address_set(tok().text);
      if (o.named) {
        o.is_set = true;
        lexer_.advance();
        return ok_status();
      }
    }
    if (t == TokenType::kInteger || t == TokenType::kMaskedInteger || t == TokenType::kString) {
      OVNX_RETURN_IF_ERROR(parse_constant(o.single));
      o.has_single = true;
      return ok_status();
    }
    OVNX_ASSIGN_OR_RETURN(o.constants, parse_constant_set(&o.is_set));
    return ok_status();
  }

  // An operand used as a whole Boolean: `ct.trk`, `reg0[3]`, `1`, `true`.
  Result<Expr> bare_operand(const Operand& o) {
    if (o.is_field) {
      const Symbol* sym = o.field.symbol;
      if (sym->is_string || (o.field.n_bits != 1 && sym->kind != SymbolKind::kPredicate)) {
        return error_at(o.pos, fmt::format("explicit comparison required: `{}` is {}", sym->name,
                                           sym->is_string ? "a string field"
                                                          : fmt::format("a {}-bit field",
                                                                        o.field.n_bits)));
      }
      return Expr::make_cmp(o.field, RelOp::kEq, U128(1), U128(1), o.pos);
    }
    auto vals = o.values();
    if (!o.is_set && vals.size() == 1 && !vals[0].is_string && !vals[0].masked &&
        vals[0].value <= U128(1)) {
      return Expr::make_bool(vals[0].value == U128(1));
    }
    return error_at(o.pos, "a constant here must be 0, 1, true or false, or be compared to a field");
  }

  Result<Expr> compare(const Operand& a, RelOp op, size_t op_pos, const Operand& b) {
    if (a.is_field && b.is_field) {
      return error_at(op_pos, "cannot compare two fields; compare a field with a constant");
    }
    if (!a.is_field && !b.is_field) {
      return error_at(op_pos, "a comparison needs a field on one side");
    }
    const Operand& f = a.is_field ? a : b;
    const Operand& c = a.is_field ? b : a;
    if (!a.is_field) op = relop_swap(op);
    return compare_field(f.field, f.pos, op, op_pos, c);
  }

  Result<Expr> compare_field(const FieldRef& field, size_t fpos, RelOp op, size_t op_pos,
                             const Operand& c) {
    const Symbol* sym = field.symbol;
    bool relational = op != RelOp::kEq && op != RelOp::kNe;
    if (c.is_set && relational) {
      return error_at(op_pos, "only == and != may be used with a set of values");
    }
    std::span<const Constant> values = c.values();
    if (values.empty()) {
      // Empty set: nothing is equal to a member, everything differs from all of them.
      return Expr::make_bool(op == RelOp::kNe);
    }
    if (c.is_string() != sym->is_string) {
      return error_at(c.pos, sym->is_string
                                 ? fmt::format("string field `{}` must be compared with a quoted "
                                               "string",
                                               sym->name)
                                 : fmt::format("integer field `{}` cannot be compared with a "
                                               "string",
                                               sym->name));
    }
    if (sym->is_string && relational) {
      return error_at(op_pos, fmt::format("string field `{}` supports only == and !=", sym->name));
    }
    if (sym->kind == SymbolKind::kPredicate) {
      for (const Constant& k : values) {
        if (relational || k.masked || k.value > U128(1)) {
          return error_at(op_pos, fmt::format("predicate `{}` may only be compared with 0 or 1 "
                                              "using == or !=",
                                              sym->name));
        }
      }
    }
    auto one = [&](const Constant& k) -> Result<Expr> {
      if (sym->is_string) return Expr::make_string_cmp(field, op, k.string, fpos);
      if (k.masked && relational) {
        return error_at(op_pos,
                        "only == and != may be used with a masked constant (compare a subfield "
                        "instead, e.g. `eth.src[0..15] > 0x1111`)");
      }
      U128 limit = U128::low_bits(field.n_bits);
      if (!(k.value & ~limit).is_zero() || (k.masked && !(k.mask & ~limit).is_zero())) {
        return error_at(c.pos, fmt::format("constant {} is too wide for {}-bit field `{}`",
                                           k.to_string(), field.n_bits, sym->name));
      }
      Expr e = Expr::make_cmp(field, op, k.value, k.masked ? k.mask : limit, fpos);
      e.format = k.format;
      return e;
    };
    if (values.size() == 1) return one(values[0]);
    if (sym->kind != SymbolKind::kPredicate) {
      // One node for the whole set (field == {..}, $address_set, @port_group).
      Expr set;
      set.type = ExprType::kSet;
      set.pos = fpos;
      set.field = field;
      set.op = op;
      set.members.resize(values.size());
      U128 limit = U128::low_bits(field.n_bits);
      for (size_t i = 0; i < values.size(); i++) {
        const Constant& k = values[i];
        SetMember& m = set.members[i];
        if (sym->is_string) {
          m.string = k.string;
          continue;
        }
        if (!(k.value & ~limit).is_zero() || (k.masked && !(k.mask & ~limit).is_zero())) {
          return error_at(c.pos, fmt::format("constant {} is too wide for {}-bit field `{}`",
                                             k.to_string(), field.n_bits, sym->name));
        }
        m.value = k.value;
        m.mask = k.masked ? k.mask : limit;
        m.masked = m.mask != limit;
        m.format = k.format;
      }
      return set;
    }
    std::vector<Expr> cmps;
    cmps.reserve(values.size());
    for (const Constant& k : values) {
      OVNX_ASSIGN_OR_RETURN(Expr e, one(k));
      cmps.push_back(std::move(e));
    }
    // field == {a, b}  means a || b;  field != {a, b}  means neither.
    if (op == RelOp::kNe) return Expr::make_and(std::move(cmps));
    return Expr::make_or(std::move(cmps));
  }

  int depth_ = 0;
};

}  // namespace

Result<Expr> parse_expr(std::string_view text, const SymbolTable& symtab,
                        const Resolver* resolver) {
  ExprParser parser(text, symtab, resolver);
  return parser.parse_top();
}

}  // namespace ovnx::logical
