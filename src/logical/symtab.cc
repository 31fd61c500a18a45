#include "logical/symtab.h"

#include <charconv>

#include <fmt/format.h>

#include "logical/expr.h"
#include "logical/normalize.h"

namespace ovnx::logical {
namespace {

IntFormat display_format(std::string_view name) {
  for (std::string_view eth : {"eth_src", "eth_dst", "arp_sha", "arp_tha", "nd_sll", "nd_tll"}) {
    if (name == eth) return IntFormat::kEthernet;
  }
  for (std::string_view ip4 : {"ip_src", "ip_dst", "arp_spa", "arp_tpa"}) {
    if (name == ip4) return IntFormat::kIPv4;
  }
  for (std::string_view ip6 : {"ipv6_src", "ipv6_dst", "nd_target"}) {
    if (name == ip6) return IntFormat::kIPv6;
  }
  for (std::string_view dec : {"nw_proto", "ip_dscp", "nw_ecn", "nw_ttl", "arp_op", "tcp_src",
                               "tcp_dst", "udp_src", "udp_dst", "sctp_src", "sctp_dst",
                               "icmp_type", "icmp_code", "icmpv6_type", "icmpv6_code"}) {
    if (name == dec) return IntFormat::kDecimal;
  }
  return IntFormat::kHex;
}

Error definition_error(std::string_view name, std::string_view why) {
  return make_error("invalid symbol", fmt::format("`{}`: {}", name, why));
}

}  // namespace

PhysField* SymbolTable::get_or_add_field(std::string_view of_name, int width, bool maskable,
                                         bool writable) {
  auto it = fields_by_name_.find(of_name);
  if (it != fields_by_name_.end()) return it->second;
  auto of = openflow::field_from_name(of_name);
  if (!of || openflow::field_bits(*of) < width) return nullptr;
  auto f = std::make_unique<PhysField>();
  f->of_field = *of;
  f->index = int(fields_.size());
  f->name = std::string(of_name);
  f->width = width;
  f->maskable = maskable;
  f->writable = writable;
  f->format = display_format(of_name);
  PhysField* raw = f.get();
  fields_.push_back(std::move(f));
  fields_by_name_.emplace(raw->name, raw);
  return raw;
}

Status SymbolTable::add_symbol(std::unique_ptr<Symbol> sym) {
  if (symbols_.count(sym->name)) return definition_error(sym->name, "defined twice");
  order_.push_back(sym.get());
  std::string name = sym->name;
  symbols_.emplace(std::move(name), std::move(sym));
  return ok_status();
}

Status SymbolTable::add_field(std::string name, std::string_view of_field, int width,
                              bool maskable, bool writable, std::string prereqs,
                              bool must_crossproduct) {
  if (width < 1 || width > 128) return definition_error(name, "width must be 1..128 bits");
  PhysField* f = get_or_add_field(of_field, width, maskable, writable);
  if (!f) return definition_error(name, fmt::format("no OpenFlow field `{}` of {} bits", of_field, width));
  if (f->width != width) return definition_error(name, "width differs from an earlier use");
  auto sym = std::make_unique<Symbol>();
  sym->name = std::move(name);
  sym->kind = SymbolKind::kField;
  sym->level = maskable ? Level::kOrdinal : Level::kNominal;
  sym->width = width;
  sym->field = f;
  sym->prereqs_text = std::move(prereqs);
  sym->must_crossproduct = must_crossproduct;
  sym->write = writable ? WriteScope::kAnywhere : WriteScope::kReadOnly;
  if (!f->canonical) f->canonical = sym.get();
  return add_symbol(std::move(sym));
}

Status SymbolTable::add_string_field(std::string name, std::string_view of_field, int width,
                                     std::string prereqs) {
  PhysField* f = get_or_add_field(of_field, width, true, true);
  if (!f) return definition_error(name, fmt::format("no OpenFlow field `{}` of {} bits", of_field, width));
  auto sym = std::make_unique<Symbol>();
  sym->name = std::move(name);
  sym->kind = SymbolKind::kField;
  sym->level = Level::kNominal;
  sym->is_string = true;
  sym->width = width;
  sym->field = f;
  sym->prereqs_text = std::move(prereqs);
  sym->write = WriteScope::kAnywhere;
  if (!f->canonical) f->canonical = sym.get();
  return add_symbol(std::move(sym));
}

Status SymbolTable::add_subfield(std::string name, std::string_view expansion,
                                 std::string prereqs, WriteScope write) {
  size_t lb = expansion.find('[');
  if (lb == std::string_view::npos || expansion.back() != ']') {
    return definition_error(name, "subfield must be written parent[a..b]");
  }
  const Symbol* parent = find(expansion.substr(0, lb));
  if (!parent) return definition_error(name, "unknown parent symbol");
  if (parent->kind == SymbolKind::kPredicate || parent->is_string ||
      parent->level != Level::kOrdinal) {
    return definition_error(name, "parent must be an ordinal field");
  }
  std::string_view range = expansion.substr(lb + 1, expansion.size() - lb - 2);
  int lo = 0, hi = 0;
  size_t dots = range.find("..");
  auto num = [](std::string_view s, int& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  bool ok = dots == std::string_view::npos
                ? num(range, lo) && (hi = lo, true)
                : num(range.substr(0, dots), lo) && num(range.substr(dots + 2), hi);
  if (!ok || lo < 0 || hi < lo || hi >= parent->width) {
    return definition_error(name, "bad bit range");
  }
  auto sym = std::make_unique<Symbol>();
  sym->name = std::move(name);
  sym->kind = SymbolKind::kSubfield;
  sym->level = Level::kOrdinal;
  sym->width = hi - lo + 1;
  sym->field = parent->field;
  sym->ofs = parent->ofs + lo;
  sym->parent = parent;
  sym->expansion = std::string(expansion);
  sym->prereqs_text = std::move(prereqs);
  sym->write = parent->write == WriteScope::kReadOnly ? WriteScope::kReadOnly : write;
  return add_symbol(std::move(sym));
}

Status SymbolTable::add_predicate(std::string name, std::string expansion) {
  auto sym = std::make_unique<Symbol>();
  sym->name = std::move(name);
  sym->kind = SymbolKind::kPredicate;
  sym->level = Level::kBoolean;  // refined in finalize()
  sym->width = 1;
  sym->expansion = std::move(expansion);
  return add_symbol(std::move(sym));
}

Status SymbolTable::add_ovn_field(std::string name, int width, std::string prereqs) {
  auto sym = std::make_unique<Symbol>();
  sym->name = std::move(name);
  sym->kind = SymbolKind::kOvnField;
  sym->level = Level::kNominal;
  sym->width = width;
  sym->prereqs_text = std::move(prereqs);
  sym->write = WriteScope::kAnywhere;
  return add_symbol(std::move(sym));
}

Status SymbolTable::set_write_scope(std::string_view name, WriteScope scope) {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) return definition_error(name, "unknown symbol");
  it->second->write = scope;
  return ok_status();
}

const Symbol* SymbolTable::find(std::string_view name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : it->second.get();
}

const PhysField* SymbolTable::find_field(std::string_view of_name) const {
  auto it = fields_by_name_.find(of_name);
  return it == fields_by_name_.end() ? nullptr : it->second;
}

Status SymbolTable::finalize() {
  for (const Symbol* s : order_) {
    if (s->kind != SymbolKind::kPredicate) continue;
    Symbol& sym = *symbols_.find(s->name)->second;
    auto parsed = parse_expr(sym.expansion, *this);
    if (!parsed.ok()) {
      return definition_error(sym.name, "expansion: " + parsed.error().to_string());
    }
    sym.predicate = std::make_shared<const Expr>(std::move(parsed).value());
  }
  std::unordered_map<const Symbol*, int> state;
  for (const Symbol* s : order_) {
    OVNX_RETURN_IF_ERROR(finalize_symbol(*symbols_.find(s->name)->second, state));
  }
  return ok_status();
}

// Depth-first so that every symbol an expansion or prerequisite mentions is complete before it
// is used to annotate; a cycle is a definition error.
Status SymbolTable::finalize_symbol(Symbol& sym, std::unordered_map<const Symbol*, int>& state) {
  if (auto it = state.find(&sym); it != state.end()) {
    if (it->second == 2) return ok_status();
    return definition_error(sym.name, "circular prerequisites or expansion");
  }
  state[&sym] = 1;  // (no reference kept: recursion below may rehash the map)

  std::vector<const Symbol*> deps;
  Expr prereq_parsed = Expr::make_bool(true);
  if (!sym.prereqs_text.empty()) {
    auto parsed = parse_expr(sym.prereqs_text, *this);
    if (!parsed.ok()) {
      return definition_error(sym.name, "prerequisites: " + parsed.error().to_string());
    }
    prereq_parsed = std::move(parsed).value();
    collect_symbols(prereq_parsed, deps);
  }
  if (sym.predicate) collect_symbols(*sym.predicate, deps);
  if (sym.parent) deps.push_back(sym.parent);
  for (const Symbol* d : deps) {
    if (d == &sym) return definition_error(sym.name, "refers to itself");
    OVNX_RETURN_IF_ERROR(finalize_symbol(*symbols_.find(d->name)->second, state));
  }

  std::vector<Expr> raw;
  if (sym.parent && sym.parent->prereqs_raw) raw.push_back(*sym.parent->prereqs_raw);
  if (!sym.prereqs_text.empty()) raw.push_back(prereq_parsed);
  if (!raw.empty()) sym.prereqs_raw = std::make_shared<const Expr>(Expr::make_and(std::move(raw)));

  std::vector<Expr> parts;
  if (sym.parent && sym.parent->prereqs) parts.push_back(*sym.parent->prereqs);
  if (!sym.prereqs_text.empty()) {
    auto annotated = annotate_expr(prereq_parsed, *this, sym.prereqs_text);
    if (!annotated.ok()) {
      return definition_error(sym.name, "prerequisites: " + annotated.error().to_string());
    }
    parts.push_back(std::move(annotated).value());
  }
  auto share = [&](const Expr& e, std::shared_ptr<const RefTarget>& out) -> Status {
    auto target = make_ref_target(e);
    if (!target.ok()) return definition_error(sym.name, target.error().to_string());
    out = std::move(target).value();
    return ok_status();
  };
  if (!parts.empty()) {
    Expr all = Expr::make_and(std::move(parts));
    if (!(all.type == ExprType::kBool && all.boolean)) {
      sym.prereqs = std::make_shared<const Expr>(std::move(all));
      OVNX_RETURN_IF_ERROR(share(*sym.prereqs, sym.prereqs_ref));
    }
  }

  if (sym.predicate) {
    std::vector<const Symbol*> used;
    collect_symbols(*sym.predicate, used);
    for (const Symbol* u : used) {
      if (u->level == Level::kNominal) sym.level = Level::kNominal;
    }
    auto pos = annotate_expr(*sym.predicate, *this, sym.expansion);
    if (!pos.ok()) return definition_error(sym.name, "expansion: " + pos.error().to_string());
    sym.predicate_true = std::make_shared<const Expr>(std::move(pos).value());
    OVNX_RETURN_IF_ERROR(share(*sym.predicate_true, sym.predicate_true_ref));
    auto neg = annotate_expr(negate_expr(*sym.predicate), *this, sym.expansion);
    if (neg.ok()) {
      sym.predicate_false = std::make_shared<const Expr>(std::move(neg).value());
      OVNX_RETURN_IF_ERROR(share(*sym.predicate_false, sym.predicate_false_ref));
    } else {
      // Keep the reason, not the position inside the expansion text.
      std::string why = neg.error().details;
      if (why.rfind("column ", 0) == 0 && why.find(": ") != std::string::npos) {
        why = why.substr(why.find(": ") + 2);
      }
      sym.predicate_false_error = std::move(why);
    }
  }
  state[&sym] = 2;
  return ok_status();
}

}  // namespace ovnx::logical
