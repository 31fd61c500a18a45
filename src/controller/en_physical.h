// Engine node "physical_flow_output": the physical tables (physical.h, port_security.h) in the
// FlowStore under one pseudo-owner. Rebuilt as a whole when the local state, the zones, the
// tunnels or the Southbound ports / multicast groups / chassis change — it is a few flows per
// local port — and the store turns the rebuild into the small difference it is.
#pragma once

#include "controller/en_ct_zones.h"
#include "controller/en_ovs.h"
#include "controller/en_runtime.h"
#include "controller/en_sb.h"
#include "controller/flow_store.h"
#include "engine/node.h"

namespace ovnx::controller {

// The FlowStore owner of every physical flow.
inline constexpr Uuid kPhysicalFlowsOwner{0, 1};

struct PhysicalData {
  size_t n_flows = 0;
};

class EnPhysical final : public engine::Node<PhysicalData, EnRuntime, EnCtZones, EnSb, EnOvs> {
 public:
  explicit EnPhysical(FlowStore& store) : Node("physical_flow_output"), store_(store) {}

  engine::Handled on_sb(const SbData& sb);
  engine::Handled on_ovs(const OvsData& ovs);

 protected:
  engine::Computed recompute() override;

 private:
  FlowStore& store_;
};

}  // namespace ovnx::controller
