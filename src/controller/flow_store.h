// FlowStore: the desired OpenFlow table of the integration bridge, built from contributions.
//
// Each contribution has an owner (a Logical_Flow, a MAC_Binding, or a pseudo-owner for the
// physical flows) and the owner's flows replace its previous ones as a whole. Two owners may
// produce a flow with the same identity (table, priority, match): conjunctive-match dimension
// flows of different logical flows (their conjunction actions are merged into one flow, as
// ovn-controller does), or plain duplicates (one wins, deterministically: the lowest owner).
//
// The store remembers which identities changed since take_dirty(), so the installer sends only
// the difference. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/uuid.h"
#include "openflow/match.h"

namespace ovnx::controller {

class FlowStore {
 public:
  // Replaces every flow OWNER contributed by FLOWS (empty: removes the owner).
  void set_owner_flows(const Uuid& owner, std::vector<openflow::Flow> flows);
  void remove_owner(const Uuid& owner) { set_owner_flows(owner, {}); }
  bool has_owner(const Uuid& owner) const { return owners_.count(owner) != 0; }
  // Makes room for MORE_FLOWS flows of MORE_OWNERS new owners (a hint before a big batch,
  // e.g. the datapaths of a bind: growing the tables step by step rehashes them again and
  // again). Never shrinks anything.
  void reserve_more(size_t more_flows, size_t more_owners);
  // Owners currently contributing.
  std::vector<Uuid> owners() const;
  void clear();

  // The flow the switch should hold for KEY, or nullopt if none.
  std::optional<openflow::Flow> desired(const openflow::FlowKey& key) const;
  // The same into OUT (false, OUT untouched, if none): a caller going over many keys reuses
  // one Flow's storage instead of allocating a copy of each.
  bool desired_into(const openflow::FlowKey& key, openflow::Flow& out) const;
  // Calls FN for every desired flow (in unspecified order; the Flow is only valid during the
  // call).
  void for_each(const std::function<void(const openflow::Flow&)>& fn) const;
  size_t size() const { return entries_.size(); }

  // Identities whose desired flow may have changed since the last call (handed over, not
  // copied: the keys are a good part of the table's size).
  std::unordered_set<openflow::FlowKey> take_dirty() { return std::exchange(dirty_, {}); }
  bool has_dirty() const { return !dirty_.empty(); }

 private:
  struct Contribution {
    Uuid owner;
    uint64_t cookie = 0;
    openflow::ActionList actions;
    uint16_t idle_timeout = 0, hard_timeout = 0, flags = 0;
    bool operator==(const Contribution&) const = default;
  };
  struct Entry {
    std::vector<Contribution> contribs;  // sorted by owner
  };
  using EntryMap = std::unordered_map<openflow::FlowKey, Entry>;

  // True if OWNER's contribution, at KEYS, is exactly FLOWS (in that order).
  bool same_contribution(const Uuid& owner, const std::vector<const openflow::FlowKey*>& keys,
                         const std::vector<openflow::Flow>& flows) const;
  static void merged_into(const openflow::FlowKey& key, const Entry& e, openflow::Flow& f);
  void add(const Uuid& owner, openflow::Flow flow, std::vector<const openflow::FlowKey*>* keys);
  void drop(const Uuid& owner, const openflow::FlowKey& key);

  EntryMap entries_;
  // Keys each owner contributes to (pointers into entries_, stable in an unordered_map).
  std::unordered_map<Uuid, std::vector<const openflow::FlowKey*>> owners_;
  std::unordered_set<openflow::FlowKey> dirty_;
};

}  // namespace ovnx::controller
