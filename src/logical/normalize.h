// Normalization: a simplified expression (only `field == value/mask` tests, strings, Booleans)
// into disjunctive normal form, and that into the matches of OpenFlow flows.
//
// Each DNF term keeps at most one test per field plus "sets": alternatives for one field
// (`ip4.src == $big_set`). Keeping sets whole is what avoids the cross-product explosion:
// a term with two or more sets becomes a conjunctive match (ovs-fields(7), conj_id) with one flow
// per alternative per dimension, so 1,000 addresses x 100 ports is ~1,100 flows, not 100,000.
// Sets on fields other flows' fields depend on (eth.type, ip.proto, icmp6.type/code: the
// symbol's must_crossproduct) are expanded instead, since every flow must carry its OpenFlow
// prerequisites itself.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "logical/expr.h"
#include "logical/resolver.h"
#include "logical/symtab.h"
#include "logical/u128.h"

namespace ovnx::logical {

// One test of a flow: the field's bits under `mask` equal `value` (value has no bits outside
// mask).
struct FieldMatch {
  const PhysField* field = nullptr;
  U128 value;
  U128 mask;
  friend bool operator==(const FieldMatch&, const FieldMatch&) = default;
};

// Alternatives for one field: the term holds when any of them does.
struct FieldSet {
  const PhysField* field = nullptr;
  std::vector<std::pair<U128, U128>> alts;  // (value, mask)
  // The alternatives are already sorted, with adjacent ones merged (when the options ask for
  // it) and subsumed ones dropped, so normalize_expr() need not do it again.
  bool canonical = false;
};

struct Conjunct {
  std::vector<FieldMatch> fixed;  // sorted by field index, at most one per field
  std::vector<FieldSet> sets;     // one per field, each with >= 2 alternatives
};

// false when empty; true when it holds a single Conjunct with nothing in it.
struct Dnf {
  std::vector<Conjunct> terms;
};

// A subexpression every flow using a symbol shares (its prerequisites, a predicate's
// expansion), prepared once when the symbol table is built: annotated (for evaluation and
// formatting), and normalized (it never depends on ports or chassis). Expr kRef nodes point here.
struct RefTarget {
  Expr annotated;
  Expr simplified;  // simplify_expr(annotated)
  bool normalized = false;  // false when too big to keep normalized (e.g. !ip6.mcast_flood)
  std::vector<Conjunct> terms;
};
// Builds a RefTarget for `annotated`. REQUIRES: no string comparisons or conditions in it.
Result<std::shared_ptr<const RefTarget>> make_ref_target(Expr annotated);

struct NormalizeOptions {
  // Upper bound on DNF terms (and on set alternatives), to fail cleanly instead of running out
  // of memory on a pathological expression.
  size_t max_terms = 200000;
  // Merge alternatives of a maskable field that differ in one bit (x == {4, 5} -> x == 4/0xfe).
  bool merge_adjacent = true;
};

// REQUIRES: `simplified` comes from simplify_expr(). Port names resolve through `resolver`
// (unknown ports make their comparison false); is_chassis_resident() too.
Result<Dnf> normalize_expr(const Expr& simplified, const Resolver& resolver,
                           const NormalizeOptions& options = {});

// "1", "0", or the terms joined by " || ", for golden tests.
std::string format_dnf(const Dnf& dnf);

// One flow's match: the tests, and its role in a conjunctive match.
struct MatchFlow {
  std::vector<FieldMatch> fields;  // sorted by field index
  // Dimension flows: action conjunction(conj_id, clause/n_clauses) instead of the flow's own.
  // Otherwise, when conj_id != 0, the flow matches conj_id == conj_id and runs the actions.
  uint32_t conj_id = 0;
  uint8_t clause = 0;     // 1-based; 0 for a flow that is not a dimension
  uint8_t n_clauses = 0;
};

struct MatchOptions {
  // conj_id values available to this expression: conj_id_base, conj_id_base + 1, ...
  uint32_t conj_id_base = 1;
  // Use conjunctive match only when it gives fewer flows than the cross product.
  bool conjunction = true;
  bool merge_adjacent = true;
};

struct MatchResult {
  std::vector<MatchFlow> flows;
  uint32_t conj_ids_used = 0;
};

// The flows whose matches together are equivalent to `dnf`.
MatchResult dnf_to_flows(const Dnf& dnf, const MatchOptions& options = {});
// The same, taking the terms' storage when it can (a single term: its tests are moved, not
// copied).
MatchResult dnf_to_flows(Dnf&& dnf, const MatchOptions& options = {});

// Whether the sets `dims` of one term (those not multiplied out) become the dimensions of a
// conjunctive match: allowed, and fewer flows than their cross product.
bool use_conjunction(const std::vector<const FieldSet*>& dims, const MatchOptions& options);

// Formats a flow's tests as the language's own expression (for tests and tools).
std::string format_field_matches(const std::vector<FieldMatch>& fields);

}  // namespace ovnx::logical
