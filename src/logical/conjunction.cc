// From DNF terms to flow matches: expansion of sets, conjunctive match when several sets would
// multiply out, duplicate and subsumed flows removed.
#include <algorithm>
#include <utility>

#include "logical/normalize.h"

namespace ovnx::logical {
namespace {

using Alt = std::pair<U128, U128>;

// `fixed` with field f's test replaced by (v, m) (which already includes any fixed bits of f).
std::vector<FieldMatch> with(const std::vector<FieldMatch>& fixed, const PhysField* f, U128 v,
                             U128 m) {
  std::vector<FieldMatch> out;
  out.reserve(fixed.size() + 1);
  bool placed = m.is_zero();  // a zero mask tests nothing: leave the field out
  for (const FieldMatch& fm : fixed) {
    if (fm.field == f) continue;
    if (!placed && fm.field->index > f->index) {
      out.push_back(FieldMatch{f, v, m});
      placed = true;
    }
    out.push_back(fm);
  }
  if (!placed) out.push_back(FieldMatch{f, v, m});
  return out;
}

bool less_fields(const std::vector<FieldMatch>& a, const std::vector<FieldMatch>& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](const FieldMatch& x, const FieldMatch& y) {
                                        if (x.field->index != y.field->index) {
                                          return x.field->index < y.field->index;
                                        }
                                        if (x.mask != y.mask) return x.mask < y.mask;
                                        return x.value < y.value;
                                      });
}

// True when every packet matching `a` matches `b` too.
bool within(const std::vector<FieldMatch>& a, const std::vector<FieldMatch>& b) {
  size_t i = 0;
  for (const FieldMatch& fb : b) {
    while (i < a.size() && a[i].field->index < fb.field->index) i++;
    if (i == a.size() || a[i].field != fb.field) return false;
    if (!(fb.mask & ~a[i].mask).is_zero() || (a[i].value & fb.mask) != fb.value) return false;
  }
  return true;
}

}  // namespace

bool use_conjunction(const std::vector<const FieldSet*>& dims, const MatchOptions& options) {
  if (!options.conjunction || dims.size() < 2 || dims.size() > 64) return false;
  size_t sum = 1, product = 1;
  for (const FieldSet* d : dims) {
    sum += d->alts.size();
    product *= d->alts.size();
  }
  return sum < product;
}

MatchResult dnf_to_flows(const Dnf& dnf, const MatchOptions& options) {
  MatchResult result;
  if (dnf.terms.size() == 1 && dnf.terms[0].sets.empty()) {
    // The common case: one flow.
    result.flows.push_back(MatchFlow{dnf.terms[0].fixed, 0, 0, 0});
    return result;
  }
  std::vector<MatchFlow> plain;
  for (const Conjunct& term : dnf.terms) {
    // Sets on fields other fields depend on are always multiplied out.
    std::vector<std::vector<FieldMatch>> bases{term.fixed};
    std::vector<const FieldSet*> dims;
    for (const FieldSet& s : term.sets) {
      if (!s.field->canonical->must_crossproduct) {
        dims.push_back(&s);
        continue;
      }
      std::vector<std::vector<FieldMatch>> next;
      for (const auto& b : bases) {
        for (const Alt& a : s.alts) next.push_back(with(b, s.field, a.first, a.second));
      }
      bases = std::move(next);
    }

    if (!use_conjunction(dims, options)) {
      // Cross product of the remaining sets.
      for (const FieldSet* d : dims) {
        std::vector<std::vector<FieldMatch>> next;
        next.reserve(bases.size() * d->alts.size());
        for (const auto& b : bases) {
          for (const Alt& a : d->alts) next.push_back(with(b, d->field, a.first, a.second));
        }
        bases = std::move(next);
      }
      for (auto& b : bases) plain.push_back(MatchFlow{std::move(b), 0, 0, 0});
      continue;
    }
    size_t sum = 1;
    for (const FieldSet* d : dims) sum += d->alts.size();
    result.flows.reserve(result.flows.size() + bases.size() * sum);  // no regrowth below
    for (const auto& b : bases) {
      uint32_t id = options.conj_id_base + result.conj_ids_used++;
      uint8_t n = uint8_t(dims.size());
      for (size_t k = 0; k < dims.size(); k++) {
        for (const Alt& a : dims[k]->alts) {
          result.flows.push_back(
              MatchFlow{with(b, dims[k]->field, a.first, a.second), id, uint8_t(k + 1), n});
        }
      }
      result.flows.push_back(MatchFlow{b, id, 0, 0});
    }
  }

  // Duplicates go; so do flows inside another flow of the same expression (they share the
  // priority and actions, so the larger one already covers them).
  std::sort(plain.begin(), plain.end(),
            [](const MatchFlow& a, const MatchFlow& b) { return less_fields(a.fields, b.fields); });
  plain.erase(std::unique(plain.begin(), plain.end(),
                          [](const MatchFlow& a, const MatchFlow& b) { return a.fields == b.fields; }),
              plain.end());
  if (plain.size() > 1 && plain.size() <= 2048) {
    std::vector<bool> dead(plain.size(), false);
    for (size_t i = 0; i < plain.size(); i++) {
      for (size_t j = 0; j < plain.size() && !dead[i]; j++) {
        if (i != j && !dead[j] && within(plain[i].fields, plain[j].fields)) dead[i] = true;
      }
    }
    size_t out = 0;
    for (size_t i = 0; i < plain.size(); i++) {
      if (dead[i]) continue;
      if (out != i) plain[out] = std::move(plain[i]);
      out++;
    }
    plain.resize(out);
  }
  result.flows.insert(result.flows.begin(), std::make_move_iterator(plain.begin()),
                      std::make_move_iterator(plain.end()));
  return result;
}

MatchResult dnf_to_flows(Dnf&& dnf, const MatchOptions& options) {
  if (dnf.terms.size() != 1 || !dnf.terms[0].sets.empty()) {
    return dnf_to_flows(std::as_const(dnf), options);
  }
  MatchResult result;
  result.flows.push_back(MatchFlow{std::move(dnf.terms[0].fixed), 0, 0, 0});
  return result;
}

}  // namespace ovnx::logical
