// The parser of the actions column, and the helpers each action's parse() uses. Internal.
#pragma once

#include <string>
#include <string_view>

#include "logical/action_types.h"
#include "logical/parser_base.h"

namespace ovnx::logical {

// What a nested action list may contain.
enum class NestScope {
  kTop,       // the actions column
  kNested,    // clone { }, arp { }, icmp4 { }, ...: anything but drop
  kCtCommit,  // ct_commit { }: only assignments to ct_mark / ct_label
};

class ActionParser : public ParserBase {
 public:
  ActionParser(std::string_view text, const SymbolTable& symtab, const Resolver* resolver)
      : ParserBase(text, symtab, resolver) {}

  // The whole column.
  Result<ActionList> parse_top();
  // `{ action; ... }` (the current token must be `{`), then the caller's `;`.
  Result<ActionList> parse_block(NestScope scope);
  NestScope scope() const { return scope_; }

  // A field that an action reads (`P`, `A` of put_arp(P, A, E)): integer of `width` bits, or a
  // string field when width is 0.
  Result<FieldRef> parse_arg_field(std::string_view what, int width);
  // A field an action writes: must be writable here (ct_mark only inside ct_commit { }).
  Status check_writable(const FieldRef& f, size_t pos);
  // A 1-bit destination for `R = function()`.
  Status check_result_bit(const ParseCall& call);
  // `(` [nothing] `)` for functions without arguments.
  Status parse_empty_args();
  // An unsigned integer constant in [lo, hi].
  Result<uint64_t> parse_uint(std::string_view what, uint64_t lo, uint64_t hi);
  // The text between two positions of the input (for values kept as written).
  std::string slice(size_t from, size_t to) const {
    return std::string(text().substr(from, to - from));
  }

 private:
  Result<ActionList> parse_list(NestScope scope, TokenType end);
  Result<Action> parse_one();
  Result<Action> parse_assignment_or_function();

  NestScope scope_ = NestScope::kTop;
  int depth_ = 0;
};

}  // namespace ovnx::logical
