// Output node: one "flow" per VLAN, from the counts (handled) and the config (recompute).
#pragma once

#include <map>
#include <string>

#include "engine/node.h"
#include "example/en_config.h"
#include "example/en_vlan_count.h"

namespace ovnx::engine::example {

struct Flows {
  std::map<int, std::string> by_vlan;
};

class EnFlows final : public Node<Flows, EnVlanCount, EnConfig> {
 public:
  EnFlows() : Node("flows") {}

  Handled on_vlan_count(const VlanCount& counts);

  bool cancel_next_recompute = false;  // test knob: recompute returns Computed::canceled

 protected:
  Computed recompute() override;

 private:
  std::string flow_for(int vlan, int count) const;
};

}  // namespace ovnx::engine::example
