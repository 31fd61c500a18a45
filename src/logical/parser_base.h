// Shared machinery of the match and action parsers: the lexer, error messages with positions,
// fields with subscripts, constants and constant sets. Internal to the logical module.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "logical/constant.h"
#include "logical/expr.h"
#include "logical/lexer.h"
#include "logical/resolver.h"
#include "logical/symtab.h"

namespace ovnx::logical {

// Error tag for everything a parser rejects.
inline constexpr std::string_view kSyntaxError = "syntax error";

class ParserBase {
 public:
  ParserBase(std::string_view text, const SymbolTable& symtab, const Resolver* resolver)
      : lexer_(text), symtab_(symtab), resolver_(resolver) {}

  Lexer& lexer() { return lexer_; }
  const Token& tok() const { return lexer_.token(); }
  const SymbolTable& symtab() const { return symtab_; }
  const Resolver* resolver() const { return resolver_; }
  std::string_view text() const { return lexer_.input(); }

  // "syntax error: column N: msg" (column is 1-based).
  Error error_at(size_t pos, std::string_view msg) const;
  // An error at the current token; a lexical error token reports its own message.
  Error error_here(std::string_view msg) const;
  // "expecting WHAT, found `TOKEN`".
  Error expecting(std::string_view what) const;
  Status expect(TokenType type, std::string_view what);

  // A symbol name with an optional subscript: `reg0`, `reg0[3]`, `reg0[0..15]`.
  Result<FieldRef> parse_field();
  // Completes a field whose name token is current and already resolved to `sym`.
  Result<FieldRef> parse_subscript(const Symbol* sym, size_t pos);

  // One integer or string constant.
  Result<Constant> parse_constant();
  // The same, into `c` (default-constructed): no Constant moved in and out of a Result.
  Status parse_constant(Constant& c);
  // A constant, a `{...}` set (commas optional), `$address_set` or `@port_group`.
  // `is_set` tells whether the syntax was a set (for "only == and != with sets").
  Result<ConstantSet> parse_constant_set(bool* is_set);

  // True when the current token can start a constant or constant set.
  bool at_constant() const;

 protected:
  Lexer lexer_;
  const SymbolTable& symtab_;
  const Resolver* resolver_;
};

}  // namespace ovnx::logical
