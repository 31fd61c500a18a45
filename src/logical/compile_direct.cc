#include "logical/compile_direct.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ovnx::logical {
namespace {

using Alt = std::pair<U128, U128>;

openflow::U128 of(U128 v) { return openflow::U128(v.hi, v.lo); }

openflow::Flow make_flow(const FlowFrame& frame, const openflow::Match& base) {
  openflow::Flow f;
  f.table_id = frame.table_id;
  f.priority = frame.priority;
  f.match.reserve(base.size() + 1);
  f.match = base;
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
    openflow::Field field = dims[k]->field->of_field;
    for (const Alt& a : dims[k]->alts) {
      openflow::Flow f = make_flow(frame, base);
      f.match.set_masked(field, of(a.first), of(a.second));
      f.actions.push_back(openflow::Conjunction{id, uint8_t(k), n});
      out->flows.push_back(std::move(f));
    }
  }
  openflow::Flow f = make_flow(frame, base);
  f.cookie = frame.cookie;
  f.match.set(openflow::Field::conj_id, openflow::U128(id));
  f.actions = std::move(actions);
  out->flows.push_back(std::move(f));
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
  openflow::Field field = set.field->of_field;
  for (size_t i = 0; i < order.size(); i++) {
    openflow::Flow f = make_flow(frame, base);
    f.cookie = frame.cookie;
    f.match.set_masked(field, of(order[i]->first), of(order[i]->second));
    if (i + 1 == order.size()) {
      f.actions = std::move(actions);
    } else {
      f.actions = actions;
    }
    out->flows.push_back(std::move(f));
  }
}

}  // namespace

bool build_flows_directly(const Dnf& dnf, const MatchOptions& options, const FlowFrame& frame,
                          openflow::ActionList& actions, CompiledFlows* out) {
  if (dnf.terms.size() != 1 || dnf.terms[0].sets.empty()) return false;
  const Conjunct& term = dnf.terms[0];
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
