// Engine node "lflow_output": logical flows and MAC bindings of the local datapaths compiled
// into the FlowStore, maintained incrementally:
//   - a Logical_Flow inserted, modified or deleted: that flow alone;
//   - a datapath becoming local (or not): the flows of that datapath;
//   - an address set or port group changing: the flows whose match names it;
//   - a port or multicast group of a local datapath appearing, vanishing or changing key: the
//     flows of that datapath that name it;
//   - a local binding appearing or vanishing, or a port's chassis changing: the flows using
//     is_chassis_resident() of that port, the flows tagged in_out_port with it whose skip
//     (while it is elsewhere: lflow.h) flips, and the flows naming a port group whose
//     local members (sb_resolver.h) gain or lose it; a claim or an ofport recompiles nothing;
//   - a MAC_Binding / Static_MAC_Binding change: its two flows.
// Anything else (our chassis row changing, a datapath's key changing, a new replica) recomputes.
#pragma once

#include <unordered_map>
#include <unordered_set>

#include "controller/en_runtime.h"
#include "controller/en_sb.h"
#include "controller/flow_store.h"
#include "controller/lflow.h"
#include "controller/sb_resolver.h"
#include "engine/node.h"

namespace ovnx::controller {

struct LflowData {
  size_t lflows = 0;         // logical flows compiled
  size_t mac_bindings = 0;   // MAC bindings installed
  uint64_t recompiled = 0;   // tracked: (re)compilations in the last run
};

class EnLflow final : public engine::Node<LflowData, EnRuntime, EnSb> {
 public:
  EnLflow(FlowStore& store, logical::GroupTable& groups, logical::MeterTable& meters)
      : Node("lflow_output"), store_(store), translator_(store), groups_(groups), meters_(meters) {}

  engine::Handled on_runtime(const RuntimeData& rt);
  engine::Handled on_sb(const SbData& sb);

  const LflowTranslator& translator() const { return translator_; }

 protected:
  engine::Computed recompute() override;
  void clear_tracked() override { mutable_data().recompiled = 0; }

 private:
  LflowContext context();
  void translate(const sb::LogicalFlow& lf);
  void translate_uuid(const Uuid& uuid);
  // Logical flows of datapath DP (directly or through a datapath group).
  std::vector<const sb::LogicalFlow*> flows_of(const sb::DatapathBinding& dp) const;
  // Recompiles the flows tagged in_out_port=LPORT whose skip (the port is elsewhere) no
  // longer holds (those not in DONE, then added to it); true if any.
  bool redo_tagged(const std::string& lport, std::unordered_set<Uuid>& done);
  // Recompiles the compiled flows whose match or actions contain NEEDLE (on DP_KEY, if given).
  bool retranslate_mentioning(const std::string& needle, std::optional<uint32_t> dp_key);
  // The same for any of NEEDLES, in one pass over the flows.
  bool retranslate_mentioning_any(const std::vector<std::string>& needles,
                                  std::optional<uint32_t> dp_key);
  // LPORTS may have become local or remote: recompiles the flows naming a port group whose
  // local members (SbResolver) that changes.
  bool redo_local_port_groups(const std::vector<std::string>& lports);
  void update_mac_binding(const Uuid& uuid, const sb::MACBinding* mb);
  void update_static_mac_binding(const Uuid& uuid, const sb::StaticMACBinding* mb);
  void add_datapath_mac_bindings(const sb::DatapathBinding& dp);
  void update_counts();

  FlowStore& store_;
  LflowTranslator translator_;
  logical::GroupTable& groups_;
  logical::MeterTable& meters_;
  SetCache sets_;
  // MAC binding owners installed, by datapath key (to drop them with the datapath).
  std::unordered_map<uint32_t, std::unordered_set<Uuid>> mac_bindings_;
  std::unordered_set<Uuid> resident_lflows_;  // compiled flows using is_chassis_resident()
};

}  // namespace ovnx::controller
