// The example DAG wired in one place, as a program's inc_proc file does:
//   ports -> vlan_count -> flows <- config (no handler: recompute)
#pragma once

#include "engine/graph.h"
#include "example/en_config.h"
#include "example/en_flows.h"
#include "example/en_ports.h"
#include "example/en_vlan_count.h"

namespace ovnx::engine::example {

struct ExampleDag {
  Graph g;
  EnPorts& ports = g.add<EnPorts>();
  EnConfig& config = g.add<EnConfig>();
  EnVlanCount& count = g.add<EnVlanCount>();
  EnFlows& flows = g.add<EnFlows>();

  ExampleDag() {
    g.connect(count, ports, &EnVlanCount::on_ports);
    g.connect(flows, count, &EnFlows::on_vlan_count);
    g.connect(flows, config);
  }
};

}  // namespace ovnx::engine::example
