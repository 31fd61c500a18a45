// Logical flow translation: each Southbound Logical_Flow that applies to a local datapath (its
// logical_datapath, or any member of its logical_dp_group) is compiled with src/logical for that
// datapath — port names to keys, address sets, port groups, is_chassis_resident() — and its
// OpenFlow flows replace the ones it had in the FlowStore (owner: the Logical_Flow uuid, cookie:
// the uuid's first 32 bits, as ovn-architecture(7) says).
//
// Also keeps the bookkeeping the incremental engine needs to recompile only what a change
// touches: which logical flows were compiled for which datapath.
//
// Not thread-safe; the FlowStore, group and meter tables are the caller's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "controller/flow_store.h"
#include "controller/local_datapaths.h"
#include "controller/sb_indexes.h"
#include "controller/sb_resolver.h"
#include "logical/encode_env.h"

namespace ovnx::controller {

struct LflowContext {
  const SbIndexes* sb = nullptr;
  const LocalState* local = nullptr;
  SetCache* sets = nullptr;
  logical::GroupTable* groups = nullptr;
  logical::MeterTable* meters = nullptr;
};

struct LflowStats {
  uint64_t compiled = 0;  // (logical flow, datapath) compilations
  uint64_t errors = 0;    // of which failed
  uint64_t flows = 0;     // OpenFlow flows produced by the last compilations, summed
  uint64_t skipped = 0;   // translations skipped: the flow's port is elsewhere
};

class LflowTranslator {
 public:
  explicit LflowTranslator(FlowStore& store) : store_(store) {}

  // (Re)compiles LF for every local datapath it applies to; removes it if none.
  void translate(const sb::LogicalFlow& lf, const LflowContext& ctx);
  // Removes the flows of the Logical_Flow with UUID.
  void remove(const Uuid& lflow);
  // Removes every logical flow's flows.
  void clear();

  // Logical flows of local datapaths tagged in_out_port=LPORT (compiled or skipped): they
  // must be translated again when LPORT's binding changes.
  std::vector<Uuid> lflows_tagged(const std::string& lport) const;
  // Those of lflows_tagged(LPORT) whose skip decision was not SKIP_NOW (see
  // port_is_elsewhere()): the only ones a change of LPORT's binding or chassis affects, as
  // nothing else of the compiled flows depends on them (is_chassis_resident() aside).
  std::vector<Uuid> lflows_tagged_to_redo(const std::string& lport, bool skip_now) const;
  // Logical flows currently compiled for datapath DP_KEY.
  std::vector<Uuid> lflows_on(uint32_t dp_key) const;
  bool has(const Uuid& lflow) const { return entries_.count(lflow) != 0; }
  size_t size() const { return entries_.size(); }
  const LflowStats& stats() const { return stats_; }

 private:
  struct Entry {
    std::vector<uint32_t> dps;  // datapath keys it was compiled for
  };
  void forget(const Uuid& lflow);
  void untag(const Uuid& lflow);

  FlowStore& store_;
  std::unordered_map<Uuid, Entry> entries_;
  std::unordered_map<uint32_t, std::unordered_set<Uuid>> by_dp_;
  std::unordered_map<std::string, std::unordered_set<Uuid>> by_tag_;  // in_out_port -> lflows
  std::unordered_map<Uuid, std::string> tag_of_;
  std::unordered_set<Uuid> skipped_;  // tagged flows left out: their port is elsewhere
  uint32_t next_conj_id_ = 1;
  LflowStats stats_;
};

// True if LF is tagged in_out_port=P (it can only match packets entering from, or egressing
// to, P) and P is elsewhere (a VIF neither bound nor claimed here, or another chassis's
// gateway router port): ovn-controller skips such flows (ovn-sb(5), Logical_Flow tags), and
// so do we.
bool lflow_for_remote_port(const sb::LogicalFlow& lf, const LocalState& local,
                           const ovsdb::client::Replica& sb);
// (The port half of it is port_is_elsewhere(), sb_resolver.h.)

// The local datapaths logical flow LF applies to.
std::vector<const sb::DatapathBinding*> lflow_datapaths(const sb::LogicalFlow& lf,
                                                        const LocalState& local);

}  // namespace ovnx::controller
