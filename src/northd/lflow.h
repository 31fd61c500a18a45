// Logical flows as the pipeline builders produce them, and their merge into SB rows.
//
// Builders add flows for one datapath at a time into a FlowSink (not thread-safe; one per task).
// A sink copies each flow's text into its own arena (a few large blocks), so the flows of a
// build make no allocation each and are dropped at once. LflowTable (lflow_table.h) then folds identical flows of different datapaths into one row
// with a datapath group, as OVN 23.03 does (same stage, priority, match, actions and meter).
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "northd/sb.h"
#include "northd/stage.h"

namespace ovnx::northd {

// Its text lives in the arena of the FlowSink that made it (FlowSink::Text).
struct Lflow {
  Stage stage{};
  Uuid group;  // what within the datapath produced it (an ACL, ...); zero: the datapath itself
  uint16_t priority = 0;
  std::string_view match;
  std::string_view actions;
  Uuid hint;                  // NB row the flow comes from (stage-hint); zero for none
  std::string_view io_port;   // tags:in_out_port, so controllers can skip flows of remote ports
  std::string_view ctrl_meter;
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
  // Where flows' text is kept; flows() are valid as long as it lives.
  using Text = std::unique_ptr<std::pmr::monotonic_buffer_resource>;

  FlowSink();
  // Copies the text; the arguments need to live only for the call.
  void add(Stage stage, uint16_t priority, std::string_view match, std::string_view actions,
           const FlowOpts& opts = {},
           std::source_location where = std::source_location::current());
  // Flows with a hint from NB row `hint`.
  void add(Stage stage, uint16_t priority, std::string_view match, std::string_view actions,
           const Uuid& hint, std::source_location where = std::source_location::current()) {
    add(stage, priority, match, actions, FlowOpts{.hint = hint}, where);
  }

  // Flows added from now on belong to `group` (an NB row whose change rebuilds just them);
  // Uuid{} is the datapath's own group.
  void set_group(const Uuid& group) { group_ = group; }
  const Uuid& group() const { return group_; }

  // A partial rebuild: only flows of these groups are kept, the others are dropped as they
  // come. Builders also ask wants() to skip work for groups nobody keeps.
  void keep_only(std::vector<Uuid> groups);
  bool wants(const Uuid& group) const;

  // Sets the group for one scope (e.g. one port's flows) and restores the previous one.
  class GroupScope {
   public:
    GroupScope(FlowSink& sink, const Uuid& group) : sink_(sink), prev_(sink.group_) {
      sink.group_ = group;
    }
    ~GroupScope() { sink_.group_ = prev_; }
    GroupScope(const GroupScope&) = delete;
    GroupScope& operator=(const GroupScope&) = delete;

   private:
    FlowSink& sink_;
    Uuid prev_;
  };

  std::vector<Lflow>& flows() { return flows_; }
  const std::vector<Lflow>& flows() const { return flows_; }
  // The arena of flows()' text, to keep it past the sink (the sink adds no more flows after).
  Text take_text() { return std::move(text_); }

 private:
  std::string_view copy(std::string_view s);

  Text text_;
  std::vector<Lflow> flows_;
  Uuid group_;
  bool filtered_ = false;
  std::vector<Uuid> keep_;  // sorted; meaningful when filtered_
};

// The flows of one datapath.
struct DatapathFlows {
  Uuid datapath;
  std::vector<Lflow> flows;
  FlowSink::Text text;  // of `flows`
};

}  // namespace ovnx::northd
