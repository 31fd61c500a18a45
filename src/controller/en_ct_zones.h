// Engine node "ct_zones": conntrack zone assignments for the local ports and datapaths. The
// first assignment adopts the zones saved in the bridge's external_ids by a previous run (ours
// or ovn-controller's), so a restart keeps established connections in their zones.
#pragma once

#include "controller/ct_zones.h"
#include "controller/en_ovs.h"
#include "controller/en_runtime.h"
#include "engine/node.h"

namespace ovnx::controller {

class EnCtZones final : public engine::Node<CtZones, EnRuntime, EnOvs> {
 public:
  EnCtZones() : Node("ct_zones") {}

  engine::Handled on_runtime(const RuntimeData& rt);
  // The bridge's external_ids only matter before the first assignment (we write them after).
  engine::Handled on_ovs(const OvsData& ovs);

 protected:
  engine::Computed recompute() override;

 private:
  engine::Computed assign();
  bool adopted_ = false;
};

}  // namespace ovnx::controller
