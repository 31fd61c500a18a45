// The single registry of logical actions: every alternative of ActionVariant, checked against
// the LogicalAction concept, indexed by keyword. Internal.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "logical/action_parser.h"
#include "logical/action_types.h"
#include "logical/encoder.h"

namespace ovnx::logical {

// What an action type must provide to be registered (see action_types.h).
template <class T>
concept LogicalAction = requires(const T& a, ActionParser& p, const ParseCall& call,
                                 std::string& out, Encoder& e, Prereqs& pre) {
  { T::kNames.size() } -> std::convertible_to<size_t>;
  { T::kSyntax } -> std::convertible_to<Syntax>;
  { T::parse(p, call) } -> std::same_as<Result<T>>;
  { a.format(out) } -> std::same_as<void>;
  { a.encode(e) } -> std::same_as<Status>;
  { a.prerequisites(pre) } -> std::same_as<void>;
};

using ActionParseFn = Result<Action> (*)(ActionParser&, const ParseCall&);

struct ActionEntry {
  std::string_view name;
  Syntax syntax;
  ActionParseFn parse;
};

// The statement or function spelled `name`, or null.
const ActionEntry* find_action(std::string_view name);

// Parsers of the assignment forms (not reachable by keyword).
Result<Action> parse_load_or_move(ActionParser& p, const ParseCall& call);
Result<Action> parse_exchange(ActionParser& p, const ParseCall& call);
Result<Action> parse_dec_ttl(ActionParser& p, const ParseCall& call);

}  // namespace ovnx::logical
