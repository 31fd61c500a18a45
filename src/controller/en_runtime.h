// Engine node "runtime_data": the local state (bound ports, local datapaths) from the bridge and
// the Southbound Port_Binding / Datapath_Binding / Chassis rows, with what changed since the
// previous run so dependents can work incrementally.
#pragma once

#include <set>
#include <string>

#include "controller/en_ovs.h"
#include "controller/en_sb.h"
#include "controller/local_datapaths.h"
#include "engine/node.h"

namespace ovnx::controller {

struct RuntimeData {
  LocalState state;
  bool complete = false;  // computed from a configured OVS and a Southbound replica
  // Tracked: changes of the last run.
  std::set<uint32_t> added_dps;
  std::set<uint32_t> removed_dps;
  // Lports bound, unbound, or whose binding changed in what the flows use (a claim alone,
  // `claimed` turning true, changes no flow: it is left out so it recompiles nothing).
  std::set<std::string> changed_bindings;
  std::set<std::string> bound_or_unbound;  // the subset that appeared or vanished
  bool chassis_changed = false;            // our Chassis row appeared, vanished or changed name
  bool changed() const {
    return !added_dps.empty() || !removed_dps.empty() || !changed_bindings.empty() ||
           chassis_changed;
  }
};

class EnRuntime final : public engine::Node<RuntimeData, EnOvs, EnSb> {
 public:
  EnRuntime() : Node("runtime_data") {}

  // Southbound changes: only Port_Binding, Datapath_Binding and Chassis matter here.
  engine::Handled on_sb(const SbData& sb);

 protected:
  engine::Computed recompute() override;
  void clear_tracked() override;
};

}  // namespace ovnx::controller
