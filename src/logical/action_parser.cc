// Parser of the actions column: a sequence of `action;`, where an action is a keyword statement
// (`next(3);`, `ct_commit { ... };`), an assignment (`a = b;`, `a <-> b;`, `ip.ttl--;`) or a
// function whose result goes to a field (`reg0[3] = lookup_arp(inport, arp.spa, arp.sha);`).
#include "logical/action_parser.h"

#include <fmt/format.h>

#include "logical/action_registry.h"

namespace ovnx::logical {

Result<ActionList> ActionParser::parse_top() {
  OVNX_ASSIGN_OR_RETURN(ActionList list, parse_list(NestScope::kTop, TokenType::kEnd));
  bool has_drop = false;
  for (const Action& a : list) has_drop |= std::holds_alternative<act::Drop>(a);
  if (has_drop && list.size() > 1) {
    return error_at(0, "`drop` must be the only action");
  }
  return list;
}

Result<ActionList> ActionParser::parse_block(NestScope scope) {
  OVNX_RETURN_IF_ERROR(expect(TokenType::kLCurly, "`{`"));
  if (++depth_ > 20) return error_here("actions nested too deeply");
  NestScope saved = scope_;
  auto list = parse_list(scope, TokenType::kRCurly);
  scope_ = saved;
  --depth_;
  return list;
}

Result<ActionList> ActionParser::parse_list(NestScope scope, TokenType end) {
  scope_ = scope;
  ActionList list;
  list.reserve(8);  // most lists are short: one allocation instead of growing 1, 2, 4, 8
  while (!lexer_.match(end)) {
    if (tok().type == TokenType::kEnd) return expecting("`}`");
    size_t pos = tok().pos;
    // Checked in place and moved once, from the Result into the list (an Action is 120 bytes).
    Result<Action> one = parse_one();
    if (!one.ok()) return std::move(one).error();
    const Action& a = *one;
    if (scope == NestScope::kCtCommit && !std::holds_alternative<act::Load>(a) &&
        !std::holds_alternative<act::Move>(a)) {
      return error_at(pos, "only assignments to ct_mark and ct_label are allowed in ct_commit");
    }
    if (scope != NestScope::kTop && std::holds_alternative<act::Drop>(a)) {
      return error_at(pos, "`drop` is not allowed in a nested action");
    }
    // match() rather than expect(): no Status (two strings) built and destroyed per action.
    if (!lexer_.match(TokenType::kSemicolon)) return expecting("`;`");
    list.push_back(std::move(one).value());
  }
  return list;
}

Result<Action> ActionParser::parse_one() {
  if (tok().type != TokenType::kId) return expecting("action");
  TokenType next = lexer_.peek().type;
  bool assignment = next == TokenType::kEquals || next == TokenType::kExchange ||
                    next == TokenType::kLSquare || next == TokenType::kDecrement;
  if (!assignment) {
    const ActionEntry* entry = find_action(tok().text);
    if (!entry || entry->syntax != Syntax::kStatement) {
      if (symtab_.find(tok().text)) {
        lexer_.advance();
        return expecting("`=`, `<->` or `--` after a field");
      }
      return error_here(entry ? fmt::format("`{}` returns a value: write `R = {}(...)`",
                                            tok().text, tok().text)
                              : fmt::format("unknown action `{}`", tok().text));
    }
    ParseCall call{entry->name, tok().pos, std::nullopt};
    lexer_.advance();
    return entry->parse(*this, call);
  }
  return parse_assignment_or_function();
}

Result<Action> ActionParser::parse_assignment_or_function() {
  size_t pos = tok().pos;
  OVNX_ASSIGN_OR_RETURN(FieldRef dst, parse_field());
  ParseCall call{"", pos, dst};
  if (lexer_.match(TokenType::kDecrement)) {
    return parse_dec_ttl(*this, call);
  }
  if (lexer_.match(TokenType::kExchange)) {
    return parse_exchange(*this, call);
  }
  if (!lexer_.match(TokenType::kEquals)) return expecting("`=`, `<->` or `--`");
  if (tok().type == TokenType::kId && lexer_.peek().type == TokenType::kLParen) {
    const ActionEntry* entry = find_action(tok().text);
    if (!entry || entry->syntax != Syntax::kFunction) {
      return error_here(fmt::format("`{}` is not a function that returns a value", tok().text));
    }
    call.name = entry->name;
    call.pos = tok().pos;
    lexer_.advance();
    return entry->parse(*this, call);
  }
  return parse_load_or_move(*this, call);
}

Result<FieldRef> ActionParser::parse_arg_field(std::string_view what, int width) {
  size_t pos = tok().pos;
  OVNX_ASSIGN_OR_RETURN(FieldRef f, parse_field());
  const Symbol* s = f.symbol;
  if (s->kind == SymbolKind::kPredicate || s->kind == SymbolKind::kOvnField) {
    return error_at(pos, fmt::format("{} must be a field, not `{}`", what, s->name));
  }
  if (width == 0 && !s->is_string) {
    return error_at(pos, fmt::format("{} must be a string field (inport or outport), not `{}`",
                                     what, s->name));
  }
  if (width != 0 && (s->is_string || f.n_bits != width)) {
    return error_at(pos, fmt::format("{} must be a {}-bit field; `{}` is {}", what, width,
                                     s->name,
                                     s->is_string ? "a string" : fmt::format("{} bits", f.n_bits)));
  }
  return f;
}

Status ActionParser::check_writable(const FieldRef& f, size_t pos) {
  const Symbol* s = f.symbol;
  if (s->kind == SymbolKind::kPredicate) {
    return error_at(pos, fmt::format("predicate `{}` cannot be assigned", s->name));
  }
  if (s->write == WriteScope::kReadOnly || (f.symbol->field && !f.symbol->field->writable)) {
    return error_at(pos, fmt::format("field `{}` is read-only", s->name));
  }
  if (s->write == WriteScope::kCtCommit && scope_ != NestScope::kCtCommit) {
    return error_at(pos, fmt::format("field `{}` can be set only inside ct_commit {{ }}", s->name));
  }
  if (scope_ == NestScope::kCtCommit && s->write != WriteScope::kCtCommit) {
    return error_at(pos, fmt::format("only ct_mark and ct_label can be set inside ct_commit, not "
                                     "`{}`",
                                     s->name));
  }
  return ok_status();
}

Status ActionParser::check_result_bit(const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(check_writable(*call.dst, call.pos));
  if (call.dst->symbol->is_string || call.dst->n_bits != 1) {
    return error_at(call.pos, fmt::format("the result of {}() goes to a 1-bit field, not `{}`",
                                          call.name, format_field_ref(*call.dst)));
  }
  return ok_status();
}

Status ActionParser::parse_empty_args() {
  OVNX_RETURN_IF_ERROR(expect(TokenType::kLParen, "`(`"));
  return expect(TokenType::kRParen, "`)`");
}

Result<uint64_t> ActionParser::parse_uint(std::string_view what, uint64_t lo, uint64_t hi) {
  if (tok().type != TokenType::kInteger || tok().value.hi != 0 || tok().value.lo < lo ||
      tok().value.lo > hi) {
    if (tok().type == TokenType::kInteger) {
      return error_here(fmt::format("{} must be in the range {} to {}", what, lo, hi));
    }
    return expecting(what);
  }
  uint64_t v = tok().value.lo;
  lexer_.advance();
  return v;
}

Result<ActionList> parse_actions(std::string_view text, const SymbolTable& symtab,
                                 const Resolver* resolver) {
  ActionParser p(text, symtab, resolver);
  return p.parse_top();
}

}  // namespace ovnx::logical
