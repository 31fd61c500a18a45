// Ready-made input nodes with change tracking, for inputs set by the program between runs
// (configuration values, interface sets) and as worked examples of input nodes.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "engine/node.h"

namespace ovnx::engine {

// A single value. set() between runs; the next run reports the node updated iff it differs.
template <class T>
class ValueInput : public Node<T> {
 public:
  explicit ValueInput(std::string name, T initial = T{})
      : Node<T>(std::move(name), std::move(initial)) {}
  void set(T value) { pending_ = std::move(value); }

 protected:
  // The first load counts as a change: dependents have never seen the value.
  Computed recompute() override {
    bool changed = first_ || (pending_.has_value() && !(*pending_ == this->data()));
    if (pending_) this->mutable_data() = std::move(*pending_);
    pending_.reset();
    first_ = false;
    return changed ? Computed::updated : Computed::unchanged;
  }

 private:
  std::optional<T> pending_;
  bool first_ = true;
};

// A keyed collection plus the keys that changed in the current run.
template <class K, class V>
struct TrackedMap {
  std::map<K, V> items;
  std::set<K> added, updated, removed;  // changes seen by this run's handlers
  bool has_changes() const { return !added.empty() || !updated.empty() || !removed.empty(); }
};

// A map edited between runs with set()/erase(). Each run's poll applies the edits and records
// the net change per key (set then erase of a new key is no change at all).
template <class K, class V>
class MapInput : public Node<TrackedMap<K, V>> {
 public:
  explicit MapInput(std::string name) : Node<TrackedMap<K, V>>(std::move(name)) {}
  void set(const K& key, V value) { pending_[key] = std::move(value); }
  void erase(const K& key) { pending_[key] = std::nullopt; }

 protected:
  Computed poll() override {
    auto& d = this->mutable_data();
    for (auto& [key, value] : pending_) {
      auto it = d.items.find(key);
      if (value) {
        if (it == d.items.end()) {
          d.items.emplace(key, std::move(*value));
          d.added.insert(key);
        } else if (!(it->second == *value)) {
          it->second = std::move(*value);
          d.updated.insert(key);
        }
      } else if (it != d.items.end()) {
        d.items.erase(it);
        d.removed.insert(key);
      }
    }
    pending_.clear();
    return d.has_changes() ? Computed::updated : Computed::unchanged;
  }
  // A full reload is the same as applying the edits, then telling dependents "everything".
  Computed recompute() override {
    poll();
    return Computed::updated;
  }
  void clear_tracked() override {
    auto& d = this->mutable_data();
    d.added.clear();
    d.updated.clear();
    d.removed.clear();
  }

 private:
  std::map<K, std::optional<V>> pending_;
};

}  // namespace ovnx::engine
