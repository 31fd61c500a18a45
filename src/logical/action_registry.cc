#include "logical/action_registry.h"

#include <unordered_map>
#include <utility>

namespace ovnx::logical {
namespace {

template <class T>
Result<Action> parse_as(ActionParser& p, const ParseCall& call) {
  Result<T> t = T::parse(p, call);  // not unwrapped first: one move fewer
  if (!t.ok()) return std::move(t).error();
  return Action(std::move(*t));
}

using Registry = std::unordered_map<std::string_view, ActionEntry>;

template <class T>
void register_type(Registry& r) {
  static_assert(LogicalAction<T>, "every action must provide parse, format, encode, prerequisites");
  for (std::string_view name : T::kNames) {
    r.emplace(name, ActionEntry{name, T::kSyntax, &parse_as<T>});
  }
}

template <class... Ts>
Registry build(std::type_identity<std::variant<Ts...>>) {
  Registry r;
  (register_type<Ts>(r), ...);
  return r;
}

const Registry& registry() {
  static const Registry r = build(std::type_identity<ActionVariant>{});
  return r;
}

}  // namespace

const ActionEntry* find_action(std::string_view name) {
  const Registry& r = registry();
  auto it = r.find(name);
  return it == r.end() ? nullptr : &it->second;
}

Result<Action> parse_load_or_move(ActionParser& p, const ParseCall& call) {
  // The value decides: a field name means a copy, anything else a constant.
  const Symbol* dst = call.dst->symbol;
  if (dst->kind == SymbolKind::kOvnField) return parse_as<act::OvnFieldLoad>(p, call);
  if (p.tok().type == TokenType::kId) return parse_as<act::Move>(p, call);
  return parse_as<act::Load>(p, call);
}

Result<Action> parse_exchange(ActionParser& p, const ParseCall& call) {
  return parse_as<act::Exchange>(p, call);
}

Result<Action> parse_dec_ttl(ActionParser& p, const ParseCall& call) {
  return parse_as<act::DecTtl>(p, call);
}

void format_action(const Action& a, std::string& out) {
  std::visit([&](const auto& x) { x.format(out); }, a.variant());
}

Status encode_action(const Action& a, Encoder& e) {
  return std::visit([&](const auto& x) { return x.encode(e); }, a.variant());
}

void action_prerequisites(const Action& a, Prereqs& pre) {
  std::visit([&](const auto& x) { x.prerequisites(pre); }, a.variant());
}

}  // namespace ovnx::logical
