#include "logical/compile_direct.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ovnx::logical {
namespace {

using Alt = std::pair<U128, U128>;

openflow::U128 of(U128 v) { return openflow::U128(v.hi, v.lo); }

// The matches of one field's alternatives on top of `base` (which does not test `field`): the
// field is looked up once, in a template holding the first alternative, and each flow's copy
// of it has that one constraint rewritten. Aliases (xxreg0 spans four registers) take
// set_masked() every time.
class AltMatches {
 public:
  AltMatches(const openflow::Match& base, openflow::Field field, const Alt& first)
      : field_(field) {
    tmpl_.reserve(base.size() + 1);
    tmpl_ = base;
    tmpl_.set_masked(field, of(first.first), of(first.second));
    if (!openflow::is_alias(field)) {
      if (const openflow::FieldMatch* fm = tmpl_.find(field)) index_ = fm - tmpl_.fields().data();
    }
  }
  // Sets f's match to base plus `alt`.
  void fill(openflow::Flow& f, const Alt& alt) const {
    f.match = tmpl_;
    if (index_ >= 0) {
      f.match.set_masked_at(size_t(index_), of(alt.first), of(alt.second));
    } else {
      f.match.set_masked(field_, of(alt.first), of(alt.second));
    }
  }

 private:
  openflow::Field field_;
  openflow::Match tmpl_;
  std::ptrdiff_t index_ = -1;
};

// A new flow at the end of out->flows with the frame's table and priority, built in place (a
// Flow is ~300 bytes: constructing a temporary and moving it in costs a copy of its match).
openflow::Flow& add_frame_flow(const FlowFrame& frame, CompiledFlows* out) {
  openflow::Flow& f = out->flows.emplace_back();
  f.table_id = frame.table_id;
  f.priority = frame.priority;
  return f;
}

// One conjunctive match: a flow per alternative per dimension, then the conj_id flow. The
// term's fixed tests are converted once; each flow adds its one alternative (a set's field has
// no fixed test, so nothing is replaced).
void conjunctive(const std::vector<const FieldSet*>& dims,
                 const MatchOptions& options, const FlowFrame& frame,
                 const openflow::Match& base, openflow::ActionList& actions, CompiledFlows* out) {
  uint32_t id = options.conj_id_base;
  auto n = uint8_t(dims.size());
  size_t sum = 1;
  for (const FieldSet* d : dims) sum += d->alts.size();
  out->flows.reserve(out->flows.size() + sum);
  for (size_t k = 0; k < dims.size(); k++) {
    AltMatches matches(base, dims[k]->field->of_field, dims[k]->alts[0]);
    for (const Alt& a : dims[k]->alts) {
      openflow::Flow& f = add_frame_flow(frame, out);
      matches.fill(f, a);
      f.actions.push_back(openflow::Conjunction{id, uint8_t(k), n});
    }
  }
  openflow::Flow& f = add_frame_flow(frame, out);
  f.cookie = frame.cookie;
  f.match = base;
  f.match.set(openflow::Field::conj_id, openflow::U128(id));
  f.actions = std::move(actions);
  out->conj_ids_used = 1;
}

// A flow per alternative of one set. dnf_to_flows() sorts flows by their tests; they differ
// only in this field, so that is the order of (mask, value). A canonical set has no duplicate
// or subsumed alternatives, so none is dropped.
void one_set(const FieldSet& set, const FlowFrame& frame, const openflow::Match& base,
             openflow::ActionList& actions, CompiledFlows* out) {
  std::vector<const Alt*> order;
  order.reserve(set.alts.size());
  for (const Alt& a : set.alts) order.push_back(&a);
  std::sort(order.begin(), order.end(), [](const Alt* x, const Alt* y) {
    if (x->second != y->second) return x->second < y->second;
    return x->first < y->first;
  });
  out->flows.reserve(out->flows.size() + order.size());
  AltMatches matches(base, set.field->of_field, *order[0]);
  for (size_t i = 0; i < order.size(); i++) {
    openflow::Flow& f = add_frame_flow(frame, out);
    f.cookie = frame.cookie;
    matches.fill(f, *order[i]);
    if (i + 1 == order.size()) {
      f.actions = std::move(actions);
    } else {
      f.actions = actions;
    }
  }
}

}  // namespace

bool build_flows_directly(const Dnf& dnf, const MatchOptions& options, const FlowFrame& frame,
                          openflow::ActionList& actions, CompiledFlows* out) {
  if (dnf.terms.size() != 1) return false;
  const Conjunct& term = dnf.terms[0];
  if (term.sets.empty()) {
    // One flow (most logical flows): no MatchFlow list to build.
    openflow::Flow& f = add_frame_flow(frame, out);
    f.cookie = frame.cookie;
    f.match = to_openflow_match(term.fixed);
    f.match.set(openflow::Field::metadata, openflow::U128(frame.datapath_key));
    f.actions = std::move(actions);
    return true;
  }
  std::vector<const FieldSet*> dims;
  dims.reserve(term.sets.size());
  for (const FieldSet& s : term.sets) {
    if (s.field->canonical->must_crossproduct) {
      dims.clear();
      break;
    }
    dims.push_back(&s);
  }
  bool conj = !dims.empty() && use_conjunction(dims, options);
  bool single = !conj && term.sets.size() == 1 && term.sets[0].canonical;
  if (!conj && !single) return false;

  openflow::Match base = to_openflow_match(term.fixed);
  base.set(openflow::Field::metadata, openflow::U128(frame.datapath_key));
  if (conj) {
    conjunctive(dims, options, frame, base, actions, out);
  } else {
    one_set(term.sets[0], frame, base, actions, out);
  }
  return true;
}

}  // namespace ovnx::logical
