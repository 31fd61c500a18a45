// The controller's incremental-processing DAG, wired in one place:
//
//   ovs ──────────────┬──────────────┬───────────────┐
//    │                │              │               │
//    ▼                ▼              │               │
//   runtime_data ◀── sb ─────────────┼───────┐       │
//    │   │   │                       │       │       │
//    │   │   └──▶ ct_zones ◀─────────┘       │       │
//    │   │          │                        │       │
//    │   └────────▶ physical_flow_output ◀───┴───────┘   (also ◀ sb)
//    └────────────▶ lflow_output ◀── sb
//
// Input nodes: ovs (configuration and bridge ports), sb (the Southbound replica). The outputs
// write into the FlowStore the daemon installs from.
#pragma once

#include "controller/en_ct_zones.h"
#include "controller/en_lflow.h"
#include "controller/en_ovs.h"
#include "controller/en_physical.h"
#include "controller/en_runtime.h"
#include "controller/en_sb.h"
#include "engine/graph.h"

namespace ovnx::controller {

struct ControllerDag {
  engine::Graph g;
  EnOvs& ovs;
  EnSb& sb;
  EnRuntime& runtime;
  EnCtZones& ct_zones;
  EnPhysical& physical;
  EnLflow& lflow;

  ControllerDag(FlowStore& store, logical::GroupTable& groups, logical::MeterTable& meters)
      : ovs(g.add<EnOvs>()),
        sb(g.add<EnSb>()),
        runtime(g.add<EnRuntime>()),
        ct_zones(g.add<EnCtZones>()),
        physical(g.add<EnPhysical>(store)),
        lflow(g.add<EnLflow>(store, groups, meters)) {
    g.connect(runtime, ovs);
    g.connect(runtime, sb, &EnRuntime::on_sb);
    g.connect(ct_zones, runtime, &EnCtZones::on_runtime);
    g.connect(ct_zones, ovs, &EnCtZones::on_ovs);
    g.connect(physical, runtime, &EnPhysical::on_runtime);
    g.connect(physical, ct_zones, &EnPhysical::on_ct_zones);
    g.connect(physical, sb, &EnPhysical::on_sb);
    g.connect(physical, ovs, &EnPhysical::on_ovs);
    g.connect(lflow, runtime, &EnLflow::on_runtime);
    g.connect(lflow, sb, &EnLflow::on_sb);
  }
};

}  // namespace ovnx::controller
