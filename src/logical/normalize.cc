// Disjunctive normal form with per-field sets; see normalize.h.
#include "logical/normalize.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace ovnx::logical {
namespace {

using Alt = std::pair<U128, U128>;  // (value, mask)

bool compatible(U128 v1, U128 m1, U128 v2, U128 m2) { return ((v1 ^ v2) & m1 & m2).is_zero(); }

// Adds a test to a sorted list of tests, combining with an existing test of the same field.
// Returns false when the two contradict.
bool add_fixed(std::vector<FieldMatch>& fixed, const PhysField* f, U128 v, U128 m) {
  if (m.is_zero()) return true;  // tests nothing
  auto it = std::lower_bound(fixed.begin(), fixed.end(), f->index,
                             [](const FieldMatch& fm, int idx) { return fm.field->index < idx; });
  if (it != fixed.end() && it->field == f) {
    if (!compatible(it->value, it->mask, v, m)) return false;
    it->value |= v;
    it->mask |= m;
    return true;
  }
  fixed.insert(it, FieldMatch{f, v & m, m});
  return true;
}

const FieldMatch* find_fixed(const std::vector<FieldMatch>& fixed, const PhysField* f) {
  auto it = std::lower_bound(fixed.begin(), fixed.end(), f->index,
                             [](const FieldMatch& fm, int idx) { return fm.field->index < idx; });
  return it != fixed.end() && it->field == f ? &*it : nullptr;
}

void dedupe(std::vector<Alt>& alts) {
  // Sets are often deduped already (a set met again in reduce()): checking is cheaper than sorting.
  if (!std::is_sorted(alts.begin(), alts.end())) std::sort(alts.begin(), alts.end());
  alts.erase(std::unique(alts.begin(), alts.end()), alts.end());
}

// The last value of an interval member (see are_intervals()).
U128 interval_end(const Alt& a) { return a.first | U128::low_bits(a.second.lsb()); }

// True when every member is an interval of values: its mask one run of ones, all masks with the
// same top bit, no value bits outside the mask. (v, m) is then [v, interval_end()], and two
// members either nest or are disjoint. Port ranges and merged port groups have this shape.
bool are_intervals(const std::vector<Alt>& alts) {
  int top = alts[0].second.msb();
  for (const auto& [v, m] : alts) {
    int b = m.lsb();
    if (b < 0 || m.msb() != top || !((m + U128::bit(b)) & m).is_zero() || !(v & ~m).is_zero()) {
      return false;
    }
  }
  return true;
}

// Drops alternatives contained in another one (x == 4 when x == 4/0xfe is there too).
void drop_subsumed(std::vector<Alt>& alts) {
  if (alts.size() < 2 || alts.size() > 1024) return;
  // Distinct values under one mask never contain each other (the common case: a plain set).
  bool one_mask = true;
  for (const Alt& a : alts) one_mask &= a.second == alts[0].second;
  if (one_mask) return;
  // Sorted intervals: one sweep. A member starting inside the last one kept nests in it, since
  // at the same start the wider one sorts first. (Equal members stay, as below.)
  if (std::is_sorted(alts.begin(), alts.end()) && are_intervals(alts)) {
    size_t out = 1;
    U128 end = interval_end(alts[0]);
    for (size_t i = 1; i < alts.size(); i++) {
      if (alts[i].first > end || alts[i] == alts[out - 1]) {
        end = std::max(end, interval_end(alts[i]));
        alts[out++] = alts[i];
      }
    }
    alts.resize(out);
    return;
  }
  bool dead[1024] = {};  // (a vector<bool> costs more than the tests themselves)
  for (size_t i = 0; i < alts.size(); i++) {
    const auto& [vi, mi] = alts[i];
    for (size_t j = 0; j < alts.size(); j++) {
      if (i == j || dead[j]) continue;
      const auto& [vj, mj] = alts[j];
      // alts[i] is inside alts[j] when j tests a subset of i's bits with the same values.
      if ((mj & ~mi).is_zero() && (vi & mj) == vj && !(alts[i] == alts[j])) {
        dead[i] = true;
        break;
      }
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < alts.size(); i++) {
    if (!dead[i]) alts[out++] = alts[i];
  }
  alts.resize(out);
}

// True when `alts` (all under one mask) has no two members merge_adjacent() would combine; sorts
// and dedupes them as merge_adjacent() leaves them. False (order unspecified) otherwise.
bool nothing_to_merge(std::vector<Alt>& alts) {
  U128 m = alts[0].second;
  for (const Alt& a : alts) {
    if (a.second != m) return false;
  }
  // Under one mask, v and v | bit(lsb) are neighbours in value order: every value has the bits
  // below the lowest tested one clear. (Callers often sorted them already.)
  if (!std::is_sorted(alts.begin(), alts.end())) std::sort(alts.begin(), alts.end());
  alts.erase(std::unique(alts.begin(), alts.end()), alts.end());
  int b = m.lsb();
  if (b < 0) return true;
  for (size_t i = 0; i + 1 < alts.size(); i++) {
    if (!alts[i].first.test(b) && alts[i + 1].first == (alts[i].first | U128::bit(b))) return false;
  }
  return true;
}

// merge_adjacent() for members sharing one mask, sorted, deduped and with no bits outside the
// mask (port groups of consecutive keys, address ranges): one linear pass per round. Each
// round's merges share one new, narrower mask, so only they can merge again, and v's partner
// v | bit(lsb) is its successor in value order. Gives what the general loop gives.
// The result covers the input's values with disjoint members, so none contains another.
void merge_one_mask(std::vector<Alt>& alts) {
  size_t done = 0;  // alts[0, done) can merge no further; alts[done, end) is the last round's
  std::vector<Alt> merged;  // a round's merges (mask m & ~bit), in value order
  for (;;) {
    U128 m = alts[done].second;
    int b = m.lsb();
    if (b < 0) break;
    U128 bit = U128::bit(b);
    size_t in = done, out = done;
    merged.clear();
    while (in < alts.size()) {
      const Alt& a = alts[in];
      if (!a.first.test(b) && in + 1 < alts.size() && alts[in + 1].first == (a.first | bit)) {
        merged.emplace_back(a.first, m & ~bit);
        in += 2;
      } else {
        alts[out++] = alts[in++];
      }
    }
    if (merged.empty()) break;
    alts.resize(out);
    alts.insert(alts.end(), merged.begin(), merged.end());
    done = out;
    if (alts.size() - done < 2) break;
  }
  dedupe(alts);
}

// True when `alts` are sorted, disjoint intervals (are_intervals()).
bool disjoint_intervals(const std::vector<Alt>& alts) {
  if (!std::is_sorted(alts.begin(), alts.end()) || !are_intervals(alts)) return false;
  for (size_t i = 0; i + 1 < alts.size(); i++) {
    if (!(alts[i + 1].first > interval_end(alts[i]))) return false;
  }
  return true;
}

// merge_adjacent() for sorted, disjoint intervals (a decomposed port range, a port group after a
// merge): one pass with a stack. A member's partner v | bit(lsb) starts right where it ends, so
// partners are neighbours; merging partners until none are left gives the same blocks whatever
// the order (the largest aligned blocks covering the values), so this matches the round loop.
void merge_intervals(std::vector<Alt>& alts) {
  size_t top = 0;  // alts[0, top) is the stack, sorted and with no partners left
  for (const Alt& a : alts) {
    Alt cur = a;
    while (top > 0) {
      const auto& [v, m] = alts[top - 1];
      int b = m.lsb();
      if (b < 0 || m != cur.second || v.test(b) || cur.first != (v | U128::bit(b))) break;
      cur = Alt{v, m & ~U128::bit(b)};
      top--;
    }
    alts[top++] = cur;
  }
  alts.resize(top);
}

// Repeatedly merges pairs with the same mask that differ in exactly one masked bit. True when
// the result is known to have no member inside another (drop_subsumed() would do nothing).
bool merge_adjacent(std::vector<Alt>& alts) {
  if (alts.size() > 1 && nothing_to_merge(alts)) return true;
  if (alts.size() > 1 && alts[0].second == alts.back().second &&
      std::all_of(alts.begin(), alts.end(), [&](const Alt& a) {
        return a.second == alts[0].second && (a.first & ~a.second).is_zero();
      })) {
    merge_one_mask(alts);
    return true;
  }
  if (alts.size() > 1 && disjoint_intervals(alts)) {
    merge_intervals(alts);
    return true;
  }
  bool changed = true;
  while (changed && alts.size() > 1) {
    changed = false;
    // Sorted by (value, mask); look partners up by binary search on the same key order.
    std::sort(alts.begin(), alts.end(),
              [](const Alt& a, const Alt& b) { return a.second != b.second ? a.second < b.second
                                                                            : a.first < b.first; });
    auto find = [&](U128 v, U128 m) {
      auto it = std::lower_bound(alts.begin(), alts.end(), Alt{v, m}, [](const Alt& a, const Alt& b) {
        return a.second != b.second ? a.second < b.second : a.first < b.first;
      });
      return it != alts.end() && it->first == v && it->second == m ? it - alts.begin() : -1;
    };
    std::vector<bool> used(alts.size(), false);
    std::vector<Alt> next;
    next.reserve(alts.size());
    for (size_t i = 0; i < alts.size(); i++) {
      if (used[i]) continue;
      auto [v, m] = alts[i];
      // Only the lowest tested bit: prefixes stay prefixes (10.0.0.2 + 10.0.0.3 = 10.0.0.2/31),
      // rather than odd masks like 10.0.0.1/255.255.255.253.
      bool merged = false;
      int b = m.lsb();
      if (b >= 0 && !v.test(b)) {
        auto j = find(v | U128::bit(b), m);
        if (j >= 0 && !used[size_t(j)]) {
          used[i] = used[size_t(j)] = true;
          next.emplace_back(v, m & ~U128::bit(b));
          merged = changed = true;
        }
      }
      if (!merged) {
        used[i] = true;
        next.emplace_back(v, m);
      }
    }
    alts = std::move(next);
  }
  dedupe(alts);
  return false;
}

class Normalizer {
 public:
  Normalizer(const Resolver& resolver, const NormalizeOptions& options)
      : resolver_(resolver), options_(options) {}

  Result<std::vector<Conjunct>> norm(const Expr& e) {
    switch (e.type) {
      case ExprType::kBool:
        return e.boolean ? std::vector<Conjunct>(1) : std::vector<Conjunct>();
      case ExprType::kCondition:
        return resolver_.is_chassis_resident(e.string) == e.boolean ? std::vector<Conjunct>(1)
                                                                    : std::vector<Conjunct>();
      case ExprType::kCmp: {
        std::vector<Conjunct> out;
        FieldMatch fm;
        if (!leaf(e, fm)) return out;
        out.emplace_back();
        out[0].fixed.push_back(fm);
        return out;
      }
      case ExprType::kAnd:
        return norm_and(e);
      case ExprType::kOr:
        return norm_or(e);
      case ExprType::kRef:
        if (e.ref->normalized) return e.ref->terms;
        return norm(e.ref->simplified);
      case ExprType::kSet:
        if (e.op != RelOp::kEq) return norm(expand_set(e));
        return norm_set(e);
    }
    return std::vector<Conjunct>();
  }

  bool reduce(Conjunct& c) {
    if (c.sets.empty()) return true;
    // Sets on the same field intersect; a set meets the fixed test of its field. Done in place
    // in c.sets (no second vector): `out` is where the next distinct field goes.
    std::sort(c.sets.begin(), c.sets.end(), [](const FieldSet& a, const FieldSet& b) {
      return a.field->index < b.field->index;
    });
    size_t out = 0;
    for (size_t i = 0; i < c.sets.size(); i++) {
      FieldSet& s = c.sets[i];
      if (out > 0 && c.sets[out - 1].field == s.field) {
        FieldSet& prev = c.sets[out - 1];
        if (prev.alts.size() * s.alts.size() > options_.max_terms) {
          overflow_ = true;
          return false;
        }
        std::vector<Alt> both;
        for (const Alt& a : prev.alts) {
          for (const Alt& b : s.alts) {
            if (compatible(a.first, a.second, b.first, b.second)) {
              both.emplace_back(a.first | b.first, a.second | b.second);
            }
          }
        }
        prev.alts = std::move(both);
        prev.canonical = false;
        continue;
      }
      if (out != i) c.sets[out] = std::move(s);
      out++;
    }
    c.sets.resize(out);
    size_t kept_sets = 0;
    for (size_t i = 0; i < c.sets.size(); i++) {
      FieldSet& s = c.sets[i];
      if (const FieldMatch* f = find_fixed(c.fixed, s.field)) {
        std::vector<Alt> kept;
        kept.reserve(s.alts.size());
        for (const Alt& a : s.alts) {
          if (compatible(a.first, a.second, f->value, f->mask)) {
            kept.emplace_back(a.first | f->value, a.second | f->mask);
          }
        }
        s.alts = std::move(kept);
        s.canonical = false;
      }
      if (!s.canonical) dedupe(s.alts);  // a canonical set is sorted and free of duplicates
      if (s.alts.empty()) return false;
      if (s.alts.size() == 1) {
        if (!add_fixed(c.fixed, s.field, s.alts[0].first, s.alts[0].second)) return false;
        continue;
      }
      if (kept_sets != i) c.sets[kept_sets] = std::move(s);
      kept_sets++;
    }
    c.sets.resize(kept_sets);
    return true;
  }

 private:
  // A comparison as one field test; false when it can never hold (unknown port).
  bool leaf(const Expr& e, FieldMatch& out) {
    const PhysField* f = e.field.phys();
    out.field = f;
    if (e.field.symbol->is_string) {
      auto key = resolver_.resolve_port(e.string);
      if (!key) return false;
      out.value = U128(*key);
      out.mask = U128::low_bits(f->width);
      return true;
    }
    int shift = e.field.phys_ofs();
    out.mask = e.mask << shift;
    out.value = (e.value << shift) & out.mask;
    return true;
  }

  Error too_complex() {
    return make_error("expression too complex",
                      fmt::format("normal form would exceed {} terms", options_.max_terms));
  }

  Result<std::vector<Conjunct>> norm_and(const Expr& e) {
    // The plain comparisons go straight into one term; the rest multiply it out.
    Conjunct base;
    base.fixed.reserve(8);  // a flow tests a handful of fields: grow once, not 1, 2, 4, 8
    std::vector<const Expr*> rest;
    for (const Expr& c : e.children) {
      if (c.type == ExprType::kCmp) {
        FieldMatch fm;
        if (!leaf(c, fm) || !add_fixed(base.fixed, fm.field, fm.value, fm.mask)) {
          return std::vector<Conjunct>();
        }
      } else if (c.type == ExprType::kRef && c.ref->normalized && c.ref->terms.size() == 1) {
        // A shared prerequisite that is a single term folds straight into the base term.
        const Conjunct& t = c.ref->terms[0];
        for (const FieldMatch& f : t.fixed) {
          if (!add_fixed(base.fixed, f.field, f.value, f.mask)) return std::vector<Conjunct>();
        }
        base.sets.insert(base.sets.end(), t.sets.begin(), t.sets.end());
      } else if (c.type == ExprType::kRef && c.ref->normalized && c.ref->terms.empty()) {
        return std::vector<Conjunct>();
      } else if (c.type == ExprType::kSet && c.op == RelOp::kEq) {
        // `field == {..}` is at most one term: folded into the base term like a comparison
        // (reduce() below intersects it with the rest), not multiplied out as a product.
        if (!set_into(c, base)) return std::vector<Conjunct>();
      } else {
        rest.push_back(&c);
      }
    }
    if (!base.sets.empty() && !reduce(base)) {
      if (overflow_) return too_complex();
      return std::vector<Conjunct>();
    }
    std::vector<Conjunct> acc;
    acc.push_back(std::move(base));
    for (const Expr* c : rest) {
      OVNX_ASSIGN_OR_RETURN(std::vector<Conjunct> terms, norm(*c));
      if (terms.empty()) return terms;
      if (acc.size() * terms.size() > options_.max_terms) return too_complex();
      std::vector<Conjunct> next;
      next.reserve(acc.size() * terms.size());
      for (const Conjunct& a : acc) {
        for (const Conjunct& b : terms) {
          Conjunct m = a;
          bool ok = true;
          for (const FieldMatch& f : b.fixed) {
            if (!add_fixed(m.fixed, f.field, f.value, f.mask)) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          m.sets.insert(m.sets.end(), b.sets.begin(), b.sets.end());
          if (reduce(m)) next.push_back(std::move(m));
          if (overflow_) return too_complex();
        }
      }
      acc = std::move(next);
      if (acc.empty()) return acc;
    }
    return acc;
  }

  // The field all of `c`'s content is about, when it tests just one field.
  static const PhysField* single_field(const Conjunct& c) {
    if (c.fixed.size() == 1 && c.sets.empty()) return c.fixed[0].field;
    if (c.fixed.empty() && c.sets.size() == 1) return c.sets[0].field;
    return nullptr;
  }

  // Sorts, merges and drops subsumed alternatives of a set, as a normal form keeps them.
  void canonicalize(FieldSet& set) {
    dedupe(set.alts);
    if (!(options_.merge_adjacent && set.field->maskable && merge_adjacent(set.alts))) {
      drop_subsumed(set.alts);
    }
    set.canonical = options_.merge_adjacent;
  }

  // The alternatives of one field as a conjunct: none (never true), one match, or a set.
  std::vector<Conjunct> one_field_conjunct(FieldSet set) {
    std::vector<Conjunct> out;
    if (set.alts.empty()) return out;
    canonicalize(set);
    out.emplace_back();
    if (set.alts.size() == 1) {
      out[0].fixed.push_back(FieldMatch{set.field, set.alts[0].first, set.alts[0].second});
    } else {
      out[0].sets.push_back(std::move(set));
    }
    return out;
  }

  // The alternatives of a kSet (`field == {..}`), as norm_set() would give them.
  FieldSet set_alternatives(const Expr& e, bool* always) {
    const PhysField* f = e.field.phys();
    FieldSet set;
    set.field = f;
    set.alts.reserve(e.members.size());
    if (e.field.symbol->is_string) {
      U128 mask = U128::low_bits(f->width);
      for (const SetMember& m : e.members) {
        auto key = resolver_.resolve_port(m.string);
        if (key) set.alts.emplace_back(U128(*key), mask);
      }
    } else {
      int shift = e.field.phys_ofs();
      for (const SetMember& m : e.members) {
        U128 mask = m.mask << shift;
        if (mask.is_zero()) {
          *always = true;  // one alternative always holds
          return set;
        }
        set.alts.emplace_back((m.value << shift) & mask, mask);
      }
    }
    return set;
  }

  // A kSet (`field == {..}`) added to `term` (one test or one more set), as norm_set()'s single
  // term would be, without building that term. False when it can never hold.
  bool set_into(const Expr& e, Conjunct& term) {
    bool always = false;
    FieldSet set = set_alternatives(e, &always);
    if (always) return true;
    if (set.alts.empty()) return false;
    canonicalize(set);
    if (set.alts.size() == 1) {
      return add_fixed(term.fixed, set.field, set.alts[0].first, set.alts[0].second);
    }
    term.sets.push_back(std::move(set));
    return true;
  }

  // `field == {a, b, c}` (and address sets, port groups) straight into one set.
  std::optional<std::vector<Conjunct>> plain_set(const Expr& e) {
    const PhysField* f = nullptr;
    for (const Expr& c : e.children) {
      if (c.type != ExprType::kCmp) return std::nullopt;
      if (f && c.field.phys() != f) return std::nullopt;
      f = c.field.phys();
    }
    FieldSet set;
    set.field = f;
    set.alts.reserve(e.children.size());
    for (const Expr& c : e.children) {
      FieldMatch fm;
      if (!leaf(c, fm)) continue;
      if (fm.mask.is_zero()) return std::vector<Conjunct>(1);  // one alternative always holds
      set.alts.emplace_back(fm.value, fm.mask);
    }
    return one_field_conjunct(std::move(set));
  }

  // A kSet (`field == {..}`) straight into one FieldSet, as plain_set() does.
  std::vector<Conjunct> norm_set(const Expr& e) {
    bool always = false;
    FieldSet set = set_alternatives(e, &always);
    if (always) return std::vector<Conjunct>(1);
    return one_field_conjunct(std::move(set));
  }

  Result<std::vector<Conjunct>> norm_or(const Expr& e) {
    if (auto fast = plain_set(e)) return std::move(*fast);
    std::vector<Conjunct> all;
    for (const Expr& c : e.children) {
      OVNX_ASSIGN_OR_RETURN(std::vector<Conjunct> terms, norm(c));
      for (Conjunct& t : terms) {
        if (t.fixed.empty() && t.sets.empty()) {
          // A term that always holds makes the whole disjunction true.
          std::vector<Conjunct> yes(1);
          return yes;
        }
        all.push_back(std::move(t));
      }
      if (all.size() > options_.max_terms) return too_complex();
    }
    if (all.size() < 2) return all;
    // Alternatives that all test the same single field become one set.
    const PhysField* f = single_field(all[0]);
    for (const Conjunct& t : all) {
      if (!f || single_field(t) != f) return all;
    }
    FieldSet set;
    set.field = f;
    for (const Conjunct& t : all) {
      if (!t.fixed.empty()) {
        set.alts.emplace_back(t.fixed[0].value, t.fixed[0].mask);
      } else {
        set.alts.insert(set.alts.end(), t.sets[0].alts.begin(), t.sets[0].alts.end());
      }
    }
    dedupe(set.alts);
    if (!(options_.merge_adjacent && f->maskable && merge_adjacent(set.alts))) {
      drop_subsumed(set.alts);
    }
    set.canonical = options_.merge_adjacent;
    std::vector<Conjunct> out(1);
    if (set.alts.size() == 1) {
      out[0].fixed.push_back(FieldMatch{f, set.alts[0].first, set.alts[0].second});
    } else {
      out[0].sets.push_back(std::move(set));
    }
    return out;
  }

  const Resolver& resolver_;
  const NormalizeOptions& options_;
  bool overflow_ = false;  // a set intersection would exceed max_terms
};

Expr field_cmp(const PhysField* f, U128 v, U128 m) {
  FieldRef ref;
  ref.symbol = f->canonical;
  ref.n_bits = f->width;
  Expr e = Expr::make_cmp(ref, RelOp::kEq, v, m);
  e.format = f->format;
  return e;
}

// For format_*: a string field prints its port key as an integer.
Expr printable_cmp(const PhysField* f, U128 v, U128 m) { return field_cmp(f, v, m); }

}  // namespace

Result<Dnf> normalize_expr(const Expr& simplified, const Resolver& resolver,
                           const NormalizeOptions& options) {
  Normalizer n(resolver, options);
  OVNX_ASSIGN_OR_RETURN(std::vector<Conjunct> terms, n.norm(simplified));
  Dnf dnf;
  for (Conjunct& t : terms) {
    if (options.merge_adjacent) {
      for (FieldSet& s : t.sets) {
        if (s.canonical) continue;  // merging and dropping again would change nothing
        if (!(s.field->maskable && merge_adjacent(s.alts))) drop_subsumed(s.alts);
        s.canonical = true;
      }
    }
    if (t.fixed.empty() && t.sets.empty()) {
      dnf.terms.assign(1, Conjunct{});
      return dnf;
    }
  }
  dnf.terms = std::move(terms);  // the terms' own vector: no copy of it
  return dnf;
}

Result<std::shared_ptr<const RefTarget>> make_ref_target(Expr annotated) {
  // Kept normalized only when small; a huge expansion is normalized where it is used.
  MapResolver none;
  NormalizeOptions small;
  small.max_terms = 64;
  auto t = std::make_shared<RefTarget>();
  t->simplified = simplify_expr(annotated);
  auto dnf = normalize_expr(t->simplified, none, small);
  t->annotated = std::move(annotated);
  if (dnf.ok()) {
    t->normalized = true;
    t->terms = std::move(dnf->terms);
  }
  return std::shared_ptr<const RefTarget>(std::move(t));
}

std::string format_field_matches(const std::vector<FieldMatch>& fields) {
  if (fields.empty()) return "1";
  std::vector<Expr> parts;
  for (const FieldMatch& f : fields) parts.push_back(printable_cmp(f.field, f.value, f.mask));
  return format_expr(Expr::make_and(std::move(parts)));
}

std::string format_dnf(const Dnf& dnf) {
  std::vector<Expr> terms;
  for (const Conjunct& c : dnf.terms) {
    std::vector<Expr> parts;
    for (const FieldMatch& f : c.fixed) parts.push_back(printable_cmp(f.field, f.value, f.mask));
    for (const FieldSet& s : c.sets) {
      std::vector<Expr> alts;
      for (const Alt& a : s.alts) alts.push_back(printable_cmp(s.field, a.first, a.second));
      Expr any;
      any.type = ExprType::kOr;  // built directly: make_or would keep it, but be explicit
      any.children = std::move(alts);
      parts.push_back(std::move(any));
    }
    terms.push_back(Expr::make_and(std::move(parts)));
  }
  if (terms.empty()) return "0";
  Expr all;
  if (terms.size() == 1) {
    all = std::move(terms[0]);
  } else {
    all.type = ExprType::kOr;
    all.children = std::move(terms);
  }
  return format_expr(all);
}

}  // namespace ovnx::logical
