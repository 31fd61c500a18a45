#include "controller/flow_store.h"

#include <algorithm>

namespace ovnx::controller {

using openflow::Flow;
using openflow::FlowKey;

namespace {

bool only_conjunctions(const openflow::ActionList& actions) {
  if (actions.empty()) return false;
  for (const auto& a : actions) {
    if (!std::holds_alternative<openflow::Conjunction>(a.variant())) return false;
  }
  return true;
}

}  // namespace

void FlowStore::drop(const Uuid& owner, const FlowKey& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  auto& c = it->second.contribs;
  c.erase(std::remove_if(c.begin(), c.end(), [&](const Contribution& x) { return x.owner == owner; }),
          c.end());
  dirty_.insert(key);
  if (c.empty()) entries_.erase(it);
}

void FlowStore::add(const Uuid& owner, Flow flow, std::vector<const FlowKey*>* keys) {
  FlowKey key = FlowKey::of(flow);
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  auto& c = it->second.contribs;
  auto pos = std::lower_bound(c.begin(), c.end(), owner,
                              [](const Contribution& x, const Uuid& o) { return x.owner < o; });
  if (pos != c.end() && pos->owner == owner) {
    // The same owner twice on one identity: conjunction dimensions accumulate, else first wins.
    if (only_conjunctions(pos->actions) && only_conjunctions(flow.actions)) {
      for (auto& a : flow.actions) pos->actions.push_back(std::move(a));
      dirty_.insert(it->first);
    }
    return;
  }
  c.insert(pos, Contribution{owner, flow.cookie, std::move(flow.actions), flow.idle_timeout,
                             flow.hard_timeout, flow.flags});
  dirty_.insert(it->first);
  keys->push_back(&it->first);
}

bool FlowStore::same_contribution(const Uuid& owner, const std::vector<const FlowKey*>& keys,
                                  const std::vector<Flow>& flows) const {
  if (keys.size() != flows.size()) return false;
  for (size_t i = 0; i < flows.size(); ++i) {
    const Flow& f = flows[i];
    const FlowKey& k = *keys[i];
    if (k.table_id != f.table_id || k.priority != f.priority || !(k.match == f.match)) {
      return false;
    }
    auto it = entries_.find(k);
    if (it == entries_.end()) return false;
    const auto& c = it->second.contribs;
    auto pos = std::lower_bound(c.begin(), c.end(), owner,
                                [](const Contribution& x, const Uuid& o) { return x.owner < o; });
    if (pos == c.end() || pos->owner != owner || pos->cookie != f.cookie ||
        pos->idle_timeout != f.idle_timeout || pos->hard_timeout != f.hard_timeout ||
        pos->flags != f.flags || !(pos->actions == f.actions)) {
      return false;
    }
  }
  return true;
}

void FlowStore::set_owner_flows(const Uuid& owner, std::vector<Flow> flows) {
  auto oit = owners_.find(owner);
  // Recompiling or rebuilding often yields what the owner already has: nothing changes then.
  if (oit != owners_.end() && same_contribution(owner, oit->second, flows)) return;
  if (oit != owners_.end()) {
    std::vector<const FlowKey*> old = std::move(oit->second);
    owners_.erase(oit);
    for (const FlowKey* k : old) {
      FlowKey copy = *k;  // drop() may free the entry that holds *k
      drop(owner, copy);
    }
  }
  if (flows.empty()) return;
  std::vector<const FlowKey*> keys;
  keys.reserve(flows.size());
  for (Flow& f : flows) add(owner, std::move(f), &keys);
  owners_.emplace(owner, std::move(keys));
}

namespace {

// reserve() to fewer elements than a table was sized for rehashes it down: only grow.
template <typename Table>
void grow_to(Table& t, size_t n) {
  if (n > t.bucket_count() * t.max_load_factor()) t.reserve(n);
}

}  // namespace

void FlowStore::reserve_more(size_t more_flows, size_t more_owners) {
  grow_to(entries_, entries_.size() + more_flows);
  grow_to(dirty_, dirty_.size() + more_flows);
  grow_to(owners_, owners_.size() + more_owners);
}

std::vector<Uuid> FlowStore::owners() const {
  std::vector<Uuid> out;
  out.reserve(owners_.size());
  for (const auto& [o, k] : owners_) out.push_back(o);
  return out;
}

void FlowStore::clear() {
  for (const auto& [key, e] : entries_) dirty_.insert(key);
  entries_.clear();
  owners_.clear();
}

void FlowStore::merged_into(const FlowKey& key, const Entry& e, Flow& f) {
  f.table_id = key.table_id;
  f.priority = key.priority;
  f.match = key.match;
  const Contribution& first = e.contribs.front();
  f.cookie = first.cookie;
  f.actions = first.actions;
  f.idle_timeout = first.idle_timeout;
  f.hard_timeout = first.hard_timeout;
  f.flags = first.flags;
  if (e.contribs.size() > 1 && only_conjunctions(first.actions)) {
    bool all = true;
    for (const auto& c : e.contribs) all &= only_conjunctions(c.actions);
    if (all) {
      f.actions.clear();
      for (const auto& c : e.contribs) {
        f.actions.insert(f.actions.end(), c.actions.begin(), c.actions.end());
      }
      std::sort(f.actions.begin(), f.actions.end());
      f.actions.erase(std::unique(f.actions.begin(), f.actions.end()), f.actions.end());
      f.cookie = 0;
    }
  }
}

std::optional<Flow> FlowStore::desired(const FlowKey& key) const {
  Flow f;
  if (!desired_into(key, f)) return std::nullopt;
  return f;
}

bool FlowStore::desired_into(const FlowKey& key, Flow& out) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  merged_into(it->first, it->second, out);
  return true;
}

void FlowStore::for_each(const std::function<void(const Flow&)>& fn) const {
  Flow scratch;  // copy-assigned each time: its vectors keep their capacity
  for (const auto& [key, e] : entries_) {
    merged_into(key, e, scratch);
    fn(scratch);
  }
}

}  // namespace ovnx::controller
