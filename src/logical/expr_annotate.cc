// Annotation: from symbols to OpenFlow field bits.
//
// Predicates are replaced by their (already annotated) expansions, subfields by bit ranges of
// their field, and every comparison gains the prerequisites of its symbol. A nominal field may
// only be tested for equality once enclosing `!` are taken into account: `inport != "p"` cannot
// become OpenFlow, so it is rejected here with the position of the comparison.
#include <algorithm>

#include <fmt/format.h>

#include "logical/expr.h"
#include "logical/parser_base.h"

namespace ovnx::logical {
namespace {

Error semantic_error(size_t pos, std::string_view msg) {
  return make_error(std::string(kSyntaxError), fmt::format("column {}: {}", pos + 1, msg));
}

// Distinct symbols in order of addition; a few inline, more on the heap.
class SmallSymbols {
 public:
  void add(const Symbol* s) {
    for (size_t i = 0; i < size(); i++) {
      if ((*this)[i] == s) return;
    }
    if (n_ < kInline) {
      inline_[n_++] = s;
    } else {
      more_.push_back(s);
    }
  }
  size_t size() const { return n_ + more_.size(); }
  const Symbol* operator[](size_t i) const { return i < n_ ? inline_[i] : more_[i - n_]; }

 private:
  static constexpr size_t kInline = 8;
  const Symbol* inline_[kInline] = {};
  size_t n_ = 0;
  std::vector<const Symbol*> more_;
};

class Annotator {
 public:
  explicit Annotator(const SymbolTable& symtab) : symtab_(symtab) {}

  // Consumes `e` (comparisons are rewritten in place, children moved, not copied). Taken by
  // reference: an Expr is large, and a by-value parameter is one more move of it per node.
  Result<Expr> annotate(Expr&& e) {
    switch (e.type) {
      case ExprType::kBool:
      case ExprType::kCondition:
      case ExprType::kRef:  // shared and already annotated
        return std::move(e);
      case ExprType::kCmp:
      case ExprType::kSet:  // never a predicate (the parser expands those)
        return annotate_cmp(std::move(e));
      case ExprType::kAnd:
      case ExprType::kOr: {
        // Children are annotated in place (no new vector).
        if (e.type == ExprType::kOr && is_single_symbol_set(e)) {
          // (c1 && P) || (c2 && P) is (c1 || c2) && P: keeps `field == {big set}` one set.
          const Symbol* sym = e.children[0].field.symbol;
          for (Expr& c : e.children) OVNX_RETURN_IF_ERROR(annotate_cmp_bare(c));
          Expr any = Expr::make_or(std::move(e.children));
          if (!sym->prereqs_ref) return any;
          return Expr::make_and(std::move(any), Expr::make_ref(sym->prereqs_ref.get()));
        }
        // Prerequisites of the comparisons directly under an && are added once per symbol.
        SmallSymbols prereq_syms;
        bool is_and = e.type == ExprType::kAnd;
        for (Expr& c : e.children) {
          // (`f != {..}` is a conjunction of comparisons, and joins them; `f == {..}` is a
          // disjunction, annotated on its own like any other.)
          bool cmp = c.type == ExprType::kCmp || (c.type == ExprType::kSet && c.op == RelOp::kNe);
          if (is_and && cmp && c.field.symbol->kind != SymbolKind::kPredicate) {
            const Symbol* sym = c.field.symbol;
            OVNX_RETURN_IF_ERROR(annotate_cmp_bare(c));
            if (sym->prereqs_ref) prereq_syms.add(sym);
            continue;
          }
          OVNX_ASSIGN_OR_RETURN(c, annotate(std::move(c)));
        }
        std::vector<Expr> kids = std::move(e.children);
        kids.reserve(kids.size() + prereq_syms.size());
        for (size_t i = 0; i < prereq_syms.size(); i++) {
          kids.push_back(Expr::make_ref(prereq_syms[i]->prereqs_ref.get()));
        }
        return is_and ? Expr::make_and(std::move(kids)) : Expr::make_or(std::move(kids));
      }
    }
    return std::move(e);
  }

 private:
  static bool is_single_symbol_set(const Expr& e) {
    for (const Expr& c : e.children) {
      bool cmp = c.type == ExprType::kCmp || (c.type == ExprType::kSet && c.op == RelOp::kEq);
      if (!cmp || c.field.symbol != e.children[0].field.symbol ||
          c.field.symbol->kind == SymbolKind::kPredicate) {
        return false;
      }
    }
    return true;
  }

  Result<Expr> annotate_cmp(Expr&& e) {
    const Symbol* sym = e.field.symbol;
    if (sym->kind == SymbolKind::kPredicate) return expand_predicate(e);
    OVNX_RETURN_IF_ERROR(annotate_cmp_bare(e));
    if (!sym->prereqs_ref) return std::move(e);
    return Expr::make_and(std::move(e), Expr::make_ref(sym->prereqs_ref.get()));
  }

  Result<Expr> expand_predicate(const Expr& e) {
    const Symbol* sym = e.field.symbol;
    bool truth = (e.value == U128(1)) == (e.op == RelOp::kEq);
    // While the table is being built the shared forms may not exist yet: copy then.
    if (truth) {
      if (sym->predicate_true_ref) return Expr::make_ref(sym->predicate_true_ref.get());
      return *sym->predicate_true;
    }
    if (!sym->predicate_false) {
      return semantic_error(e.pos, fmt::format("cannot negate predicate `{}`: {}", sym->name,
                                               sym->predicate_false_error));
    }
    if (sym->predicate_false_ref) return Expr::make_ref(sym->predicate_false_ref.get());
    return *sym->predicate_false;
  }

  // The comparison itself on its field's bits, without prerequisites; rewritten in place (an
  // Expr is large: moving it in and out of a Result costs more than the rewrite).
  Status annotate_cmp_bare(Expr& e) {
    const Symbol* sym = e.field.symbol;
    if (sym->kind == SymbolKind::kOvnField) {
      return semantic_error(e.pos, fmt::format("`{}` can only be assigned, not matched", sym->name));
    }
    if (sym->level == Level::kNominal && e.op != RelOp::kEq) {
      return semantic_error(
          e.pos, fmt::format("nominal field `{}` may only be tested for equality (taking "
                             "enclosing `!` into account)",
                             sym->name));
    }
    const PhysField* f = sym->field;
    e.field.symbol = f->canonical;
    e.field.ofs = sym->ofs + e.field.ofs;
    e.field.subscripted = e.field.ofs != 0 || e.field.n_bits != f->width;
    return ok_status();
  }

  const SymbolTable& symtab_;
};

}  // namespace

Result<Expr> annotate_expr(const Expr& expr, const SymbolTable& symtab, std::string_view) {
  Annotator a(symtab);
  return a.annotate(Expr(expr));
}

Result<Expr> annotate_expr(Expr&& expr, const SymbolTable& symtab) {
  Annotator a(symtab);
  return a.annotate(std::move(expr));
}

Result<Expr> parse_and_annotate(std::string_view text, const SymbolTable& symtab,
                                const Resolver* resolver) {
  Result<Expr> parsed = parse_expr(text, symtab, resolver);  // annotated in place, not moved
  if (!parsed.ok()) return parsed;
  return annotate_expr(std::move(*parsed), symtab);
}

Result<Expr> prerequisites_of(const Expr& parsed, const SymbolTable& symtab) {
  std::vector<const Symbol*> syms;
  collect_symbols(parsed, syms);
  // As written (`tcp`, not its expansion), each distinct one once.
  std::vector<Expr> parts;
  std::vector<std::string> seen;
  for (const Symbol* s : syms) {
    if (!s->prereqs_raw) continue;
    std::string text = format_expr(*s->prereqs_raw);
    if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
    seen.push_back(std::move(text));
    parts.push_back(*s->prereqs_raw);
  }
  (void)symtab;
  return Expr::make_and(std::move(parts));
}

}  // namespace ovnx::logical
