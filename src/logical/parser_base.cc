#include "logical/parser_base.h"

#include <fmt/format.h>

namespace ovnx::logical {

Error ParserBase::error_at(size_t pos, std::string_view msg) const {
  return make_error(std::string(kSyntaxError), fmt::format("column {}: {}", pos + 1, msg));
}

Error ParserBase::error_here(std::string_view msg) const {
  if (tok().type == TokenType::kError) return error_at(tok().pos, tok().text);
  return error_at(tok().pos, msg);
}

Error ParserBase::expecting(std::string_view what) const {
  if (tok().type == TokenType::kError) return error_at(tok().pos, tok().text);
  return error_at(tok().pos,
                  fmt::format("expecting {}, found {}", what, describe_token(tok(), text())));
}

Status ParserBase::expect(TokenType type, std::string_view what) {
  if (!lexer_.match(type)) return expecting(what);
  return ok_status();
}

Result<FieldRef> ParserBase::parse_field() {
  if (tok().type != TokenType::kId) return expecting("field name");
  const Symbol* sym = symtab_.find(tok().text);
  if (!sym) return error_here(fmt::format("unknown field `{}`", tok().text));
  size_t pos = tok().pos;
  lexer_.advance();
  return parse_subscript(sym, pos);
}

Result<FieldRef> ParserBase::parse_subscript(const Symbol* sym, size_t pos) {
  FieldRef ref;
  ref.symbol = sym;
  ref.ofs = 0;
  ref.n_bits = sym->width;
  if (tok().type != TokenType::kLSquare) return ref;
  size_t bracket = tok().pos;
  lexer_.advance();
  if (sym->is_string || sym->kind == SymbolKind::kPredicate || sym->level != Level::kOrdinal) {
    return error_at(bracket, fmt::format("cannot select bits of {} field `{}`",
                                         sym->is_string ? "string" : "nominal", sym->name));
  }
  if (tok().type != TokenType::kInteger || tok().value > U128(127u)) {
    return expecting("bit index");
  }
  int lo = int(tok().value.lo);
  int hi = lo;
  lexer_.advance();
  if (lexer_.match(TokenType::kEllipsis)) {
    if (tok().type != TokenType::kInteger || tok().value > U128(127u)) {
      return expecting("bit index");
    }
    hi = int(tok().value.lo);
    lexer_.advance();
  }
  if (!lexer_.match(TokenType::kRSquare)) return expecting("`]`");
  if (hi < lo) {
    return error_at(bracket, fmt::format("bit range [{}..{}] of `{}` is reversed", lo, hi,
                                         sym->name));
  }
  if (hi >= sym->width) {
    return error_at(bracket, fmt::format("bit {} is outside {}-bit field `{}`", hi, sym->width,
                                         sym->name));
  }
  (void)pos;
  ref.ofs = lo;
  ref.n_bits = hi - lo + 1;
  ref.subscripted = true;
  return ref;
}

Result<Constant> ParserBase::parse_constant() {
  Constant c;
  OVNX_RETURN_IF_ERROR(parse_constant(c));
  return c;
}

Status ParserBase::parse_constant(Constant& c) {
  // Fields set in place: a Constant holds a string, and every move of one copies its buffer.
  const Token& t = tok();
  switch (t.type) {
    case TokenType::kString:
      c.is_string = true;
      c.string = t.text;
      break;
    case TokenType::kInteger:
      c.value = t.value;
      c.format = t.format;
      break;
    case TokenType::kMaskedInteger:
      c.value = t.value;
      c.format = t.format;
      c.mask = t.mask;
      c.masked = true;
      break;
    default:
      return expecting("constant");
  }
  lexer_.advance();
  return ok_status();
}

bool ParserBase::at_constant() const {
  switch (tok().type) {
    case TokenType::kString:
    case TokenType::kInteger:
    case TokenType::kMaskedInteger:
    case TokenType::kLCurly:
    case TokenType::kMacro:
    case TokenType::kPortGroup:
      return true;
    default:
      return false;
  }
}

namespace {

Status add_to_set(ConstantSet& set, const ConstantSet& more, bool& typed) {
  if (more.values.empty()) return ok_status();
  if (typed && set.is_string != more.is_string) {
    return make_error("", "set mixes strings and integers");
  }
  typed = true;
  set.is_string = more.is_string;
  set.values.insert(set.values.end(), more.values.begin(), more.values.end());
  return ok_status();
}

}  // namespace

Result<ConstantSet> ParserBase::parse_constant_set(bool* is_set) {
  ConstantSet set;
  bool typed = false;
  auto add_named = [&](bool port_group) -> Status {
    size_t pos = tok().pos;
    std::string_view name = tok().text;  // a slice of the input
    const ConstantSet* found = nullptr;
    if (resolver_) found = port_group ? resolver_->port_group(name) : resolver_->address_set(name);
    if (!found) {
      return error_at(pos, fmt::format("unknown {} `{}{}`", port_group ? "port group" : "address set",
                                       port_group ? '@' : '$', name));
    }
    lexer_.advance();
    Status s = add_to_set(set, *found, typed);
    if (!s.ok()) return error_at(pos, s.error().details);
    return ok_status();
  };
  auto add_one = [&]() -> Status {
    size_t pos = tok().pos;
    // Parsed straight into the set (no one-element set to copy from, no Constant to move).
    Constant& c = set.values.emplace_back();
    OVNX_RETURN_IF_ERROR(parse_constant(c));
    if (typed && set.is_string != c.is_string) {
      return error_at(pos, "set mixes strings and integers");
    }
    typed = true;
    set.is_string = c.is_string;
    return ok_status();
  };

  if (is_set) *is_set = true;
  switch (tok().type) {
    case TokenType::kMacro:
      OVNX_RETURN_IF_ERROR(add_named(false));
      return set;
    case TokenType::kPortGroup:
      OVNX_RETURN_IF_ERROR(add_named(true));
      return set;
    case TokenType::kLCurly:
      lexer_.advance();
      set.values.reserve(4);  // the usual few members: one allocation instead of 1, 2, 4
      while (!lexer_.match(TokenType::kRCurly)) {
        if (tok().type == TokenType::kMacro) {
          OVNX_RETURN_IF_ERROR(add_named(false));
        } else if (tok().type == TokenType::kPortGroup) {
          OVNX_RETURN_IF_ERROR(add_named(true));
        } else if (tok().type == TokenType::kEnd) {
          return expecting("`}`");
        } else {
          OVNX_RETURN_IF_ERROR(add_one());
        }
        lexer_.match(TokenType::kComma);
      }
      return set;
    default:
      if (is_set) *is_set = false;
      OVNX_RETURN_IF_ERROR(add_one());
      return set;
  }
}

}  // namespace ovnx::logical
