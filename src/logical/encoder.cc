// Encoder and Prereqs helpers, and the public entry points of actions.h.
#include "logical/encoder.h"

#include <algorithm>

#include <fmt/format.h>

#include "logical/action_registry.h"
#include "logical/actions.h"
#include "openflow/codec.h"

namespace ovnx::logical {

std::string_view pipeline_name(Pipeline p) {
  return p == Pipeline::kIngress ? "ingress" : "egress";
}

openflow::Subfield Encoder::subfield(const FieldRef& f) {
  return openflow::Subfield{f.phys()->of_field, uint16_t(f.phys_ofs()), uint16_t(f.n_bits)};
}

void Encoder::move(const openflow::Subfield& src, const openflow::Subfield& dst) {
  if (src == dst) return;
  add(openflow::Move{src, dst});
}

std::vector<openflow::Subfield> Encoder::setup_args(const std::vector<Arg>& args) {
  // Save every register about to be overwritten, then go through the stack so that arguments
  // that read each other's destinations still see the original values.
  std::vector<const Arg*> live;
  for (const Arg& a : args) {
    if (!(a.src == a.dst)) live.push_back(&a);
  }
  std::vector<openflow::Subfield> saved;
  for (const Arg* a : live) {
    add(openflow::StackPush{a->dst});
    saved.push_back(a->dst);
  }
  for (auto it = live.rbegin(); it != live.rend(); ++it) add(openflow::StackPush{(*it)->src});
  for (const Arg* a : live) add(openflow::StackPop{a->dst});
  return saved;
}

void Encoder::restore_args(const std::vector<openflow::Subfield>& saved) {
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) add(openflow::StackPop{*it});
}

void Encoder::controller(ControllerOp op, std::span<const uint8_t> payload, bool pause) {
  openflow::Controller c;
  c.max_len = openflow::kMaxLenNoBuffer;
  c.reason = openflow::kPacketInReasonAction;
  c.userdata = make_userdata(op, payload);
  c.pause = pause;
  c.meter_id = params_.controller_meter;
  add(std::move(c));
}

Result<std::vector<uint8_t>> Encoder::nested_bytes(const std::vector<Action>& nested) const {
  openflow::ActionList ofacts;
  Encoder inner(params_, ofacts);
  for (const Action& a : nested) OVNX_RETURN_IF_ERROR(encode_action(a, inner));
  return openflow::encode_actions(ofacts);
}

uint32_t Encoder::oxm_header(openflow::Field f) {
  const openflow::OxmCode& c = openflow::field_info(f).wire;
  return uint32_t(c.oxm_class) << 16 | uint32_t(c.field) << 9 | c.length;
}

void Prereqs::add_symbol(const Symbol* s) {
  if (!s) return;
  std::span<const Symbol* const> have = symbols();
  if (std::find(have.begin(), have.end(), s) != have.end()) return;
  if (more_.empty() && n_inline_ < kInline) {
    inline_[n_inline_++] = s;
    return;
  }
  if (more_.empty()) more_.assign(inline_.begin(), inline_.end());
  more_.push_back(s);
}

void Prereqs::add(std::string_view symbol) { add_symbol(symtab_.find(symbol)); }

void Prereqs::add_field(const FieldRef& f) {
  if (f.symbol->prereqs) add_symbol(f.symbol);
}

void Prereqs::add_actions(const std::vector<Action>& nested) {
  for (const Action& a : nested) action_prerequisites(a, *this);
}

std::string format_field_ref(const FieldRef& f) {
  std::string out = f.symbol->name;
  if (f.subscripted) {
    out += fmt::format("[{}", f.ofs);
    if (f.n_bits > 1) out += fmt::format("..{}", f.ofs + f.n_bits - 1);
    out += ']';
  }
  return out;
}

void format_block(const std::vector<Action>& actions, std::string& out) {
  out += '{';
  for (const Action& a : actions) {
    out += ' ';
    format_action(a, out);
  }
  out += actions.empty() ? " }" : " }";
}

std::string format_actions(const ActionList& actions) {
  if (actions.empty()) return "drop;";
  std::string out;
  for (const Action& a : actions) {
    if (!out.empty()) out += ' ';
    format_action(a, out);
  }
  return out;
}

std::vector<const Symbol*> actions_prerequisites(const ActionList& actions,
                                                 const SymbolTable& symtab) {
  Prereqs pre(symtab);
  pre.add_actions(actions);
  std::span<const Symbol* const> symbols = pre.symbols();
  return {symbols.begin(), symbols.end()};
}

Expr actions_prerequisites_expr(const ActionList& actions, const SymbolTable& symtab) {
  Prereqs pre(symtab);
  pre.add_actions(actions);
  std::span<const Symbol* const> symbols = pre.symbols();
  if (symbols.empty()) return Expr::make_bool(true);
  // One prerequisite (the usual case when there is any): the reference itself, which is what
  // make_and() of a single operand gives, without building a vector for it.
  const RefTarget* only = nullptr;
  size_t n_parts = 0;
  for (const Symbol* s : symbols) {
    if (s->kind == SymbolKind::kPredicate) {
      only = s->predicate_true_ref.get();
      n_parts++;
    } else if (s->prereqs_ref) {
      only = s->prereqs_ref.get();
      n_parts++;
    }
  }
  if (n_parts == 1) return Expr::make_ref(only);
  std::vector<Expr> parts;
  parts.reserve(symbols.size());
  for (const Symbol* s : symbols) {
    if (s->kind == SymbolKind::kPredicate) {
      parts.push_back(Expr::make_ref(s->predicate_true_ref.get()));
    } else if (s->prereqs_ref) {
      parts.push_back(Expr::make_ref(s->prereqs_ref.get()));
    }
  }
  return Expr::make_and(std::move(parts));
}

Status encode_actions(const ActionList& actions, const EncodeParams& params,
                      openflow::ActionList* out) {
  Encoder e(params, *out);
  out->reserve(out->size() + actions.size() + 1);  // usually one or two per logical action
  for (const Action& a : actions) OVNX_RETURN_IF_ERROR(encode_action(a, e));
  return ok_status();
}

uint32_t SimpleGroupTable::group_id(const GroupSpec& spec) {
  for (const auto& [id, g] : groups_) {
    if (g == spec) return id;
  }
  groups_.emplace_back(next_, spec);
  return next_++;
}

std::optional<uint32_t> SimpleMeterTable::named_meter(std::string_view name) {
  auto it = named.find(name);
  if (it == named.end()) return std::nullopt;
  return it->second;
}

uint32_t SimpleMeterTable::rate_meter(const MeterSpec& spec) {
  for (const auto& [id, m] : rates_) {
    if (m == spec) return id;
  }
  uint32_t id = next_++;
  while (std::any_of(named.begin(), named.end(), [&](const auto& kv) { return kv.second == id; })) {
    id = next_++;
  }
  rates_.emplace_back(id, spec);
  return id;
}

}  // namespace ovnx::logical
