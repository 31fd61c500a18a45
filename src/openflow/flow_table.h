// FlowTable: keeps a switch's flow table equal to a desired set of flows with minimal changes.
//
// The owner states the flows it wants (set_desired / upsert / erase); sync() computes the
// difference against what this object knows is installed and sends it as one atomic, ordered
// OpenFlow bundle: strict deletes, strict modifies (actions) and adds. A rejected
// bundle changes nothing in the switch, and nothing here; the result names the flows the
// switch refused. After a reconnect call forget_installed(): the next sync then replaces the
// switch's entire flow table in one bundle (delete-all + add-all, atomic, so traffic never sees
// an empty table), or call load_installed() first to dump the switch's flows and send only the
// difference.
//
// Single-threaded; the Channel's callbacks drive it. One sync runs at a time; calls made while
// one is in flight run after it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "openflow/channel.h"
#include "openflow/match.h"
#include "openflow/messages.h"

namespace ovnx::openflow {

using FlowMap = std::unordered_map<FlowKey, Flow>;

struct SyncResult {
  Status status;                      // ok, or what went wrong
  size_t added = 0;
  size_t modified = 0;
  size_t deleted = 0;
  bool full_replace = false;          // the whole table was replaced
  // Flows the switch refused (the bundle was then not applied), with the switch's error.
  std::vector<std::pair<Flow, ErrorMsg>> rejected;
};

class FlowTable {
 public:
  using SyncHandler = std::function<void(const SyncResult&)>;

  explicit FlowTable(Channel& channel);

  // Replaces the desired set. Flows with the same (table, priority, match) collide: the first
  // is kept; returns how many were dropped as duplicates.
  size_t set_desired(std::vector<Flow> flows);
  // Adds or replaces one desired flow / removes one.
  void upsert(Flow flow);
  void erase(const FlowKey& key);
  const FlowMap& desired() const { return desired_; }
  // What the switch holds as far as we know; meaningless while installed_known() is false.
  const FlowMap& installed() const { return installed_; }
  bool installed_known() const { return installed_known_; }

  // Brings the switch to the desired set. DONE may run before sync() returns (nothing to do or
  // an encoding error).
  void sync(SyncHandler done);

  // The switch's flows are unknown (e.g. reconnected): the next sync replaces them all.
  void forget_installed();
  // Dumps the switch's flows (all tables) and adopts them as the installed set.
  void load_installed(std::function<void(Status)> done);

  // The flow_mods that turn INSTALLED into DESIRED: strict deletes, then strict modifies, then
  // adds, each group sorted by key (deterministic). A flow whose only change is its actions is
  // modified in place (its counters survive); one whose cookie, timeouts or flags changed is
  // re-added, because an OpenFlow 1.1+ modify keeps those (an add replaces the flow).
  static std::vector<FlowMod> diff(const FlowMap& installed, const FlowMap& desired);

 private:
  void run_next();
  void start_sync(SyncHandler done);
  void finish(SyncHandler done, SyncResult result);

  Channel& channel_;
  FlowMap desired_;
  FlowMap installed_;
  bool installed_known_ = false;
  bool busy_ = false;
  uint32_t next_bundle_id_ = 1;
  std::deque<std::function<void()>> queue_;
};

}  // namespace ovnx::openflow
