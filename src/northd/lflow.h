// Logical flows as the pipeline builders produce them, and their merge into SB rows.
//
// Builders add flows for one datapath at a time into a FlowSink (not thread-safe; one per task).
// LflowTable (lflow_table.h) then folds identical flows of different datapaths into one row
// with a datapath group, as OVN 23.03 does (same stage, priority, match, actions and meter).
#pragma once

#include <cstdint>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "northd/sb.h"
#include "northd/stage.h"

namespace ovnx::northd {

struct Lflow {
  Stage stage{};
  Uuid group;  // what within the datapath produced it (an ACL, ...); zero: the datapath itself
  uint16_t priority = 0;
  std::string match;
  std::string actions;
  Uuid hint;             // NB row the flow comes from (stage-hint); zero for none
  std::string io_port;   // tags:in_out_port, so controllers can skip flows of remote ports
  std::string ctrl_meter;
  const char* file = nullptr;  // where it was built (external_ids:source)
  uint32_t line = 0;
};

// Optional attributes of a flow.
struct FlowOpts {
  Uuid hint;
  std::string_view io_port;
  std::string_view ctrl_meter;
};

class FlowSink {
 public:
  void add(Stage stage, uint16_t priority, std::string match, std::string actions,
           const FlowOpts& opts = {},
           std::source_location where = std::source_location::current());
  // Flows with a hint from NB row `hint`.
  void add(Stage stage, uint16_t priority, std::string match, std::string actions,
           const Uuid& hint, std::source_location where = std::source_location::current()) {
    add(stage, priority, std::move(match), std::move(actions), FlowOpts{.hint = hint}, where);
  }

  // Flows added from now on belong to `group` (an NB row whose change rebuilds just them);
  // Uuid{} is the datapath's own group.
  void set_group(const Uuid& group) { group_ = group; }

  std::vector<Lflow>& flows() { return flows_; }
  const std::vector<Lflow>& flows() const { return flows_; }

 private:
  std::vector<Lflow> flows_;
  Uuid group_;
};

// The flows of one datapath.
struct DatapathFlows {
  Uuid datapath;
  std::vector<Lflow> flows;
};

}  // namespace ovnx::northd
