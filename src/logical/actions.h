// Actions of the logical-flow language: parse, format, prerequisites, encode to OpenFlow.
//
//   auto acts = parse_actions("eth.dst <-> eth.src; output;", ovn_symbol_table());
//   format_actions(*acts)                   -> "eth.dst <-> eth.src; output;"
//   actions_prerequisites(*acts)            -> the symbols the match must imply (none here)
//   encode_actions(*acts, params, &ofacts)  -> push/pop of eth_src/eth_dst, resubmit(,37)
//
// The individual actions are the structs of action_types.h; see there for the registry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "logical/action_types.h"
#include "logical/encode_env.h"
#include "logical/expr.h"
#include "logical/symtab.h"
#include "openflow/actions.h"

namespace ovnx::logical {

// Parses an actions column: zero or more actions, each ending with `;`. Empty text (or only
// comments) means drop, as ovn-sb(5) says.
Result<ActionList> parse_actions(std::string_view text, const SymbolTable& symtab,
                                 const Resolver* resolver = nullptr);

// Canonical text, actions separated by single spaces; "drop;" for an empty list.
std::string format_actions(const ActionList& actions);

// The symbols (predicates or fields) whose conditions a flow with these actions must meet, e.g.
// `ip4` for `ip4.dst <-> ip4.src`, `tcp` for `tcp_reset { ... }`. Each appears once.
std::vector<const Symbol*> actions_prerequisites(const ActionList& actions,
                                                 const SymbolTable& symtab);
// The same, as an annotated expression to AND with the match (Bool true when none).
Expr actions_prerequisites_expr(const ActionList& actions, const SymbolTable& symtab);

// Appends the OpenFlow translation of `actions` to `out`. Fails on what only the context can
// rule out (e.g. setting outport in the egress pipeline, ct_lb backends without a group table).
Status encode_actions(const ActionList& actions, const EncodeParams& params,
                      openflow::ActionList* out);

}  // namespace ovnx::logical
