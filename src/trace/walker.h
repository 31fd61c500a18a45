// One trace in progress: the pipeline walk (tracer.cc) and the action semantics (execute.cc).
// Internal to the trace library.
#pragma once

#include <cstdint>
#include <string>

#include "trace/tracer.h"

namespace ovnx::trace {

// Where an action list runs.
struct Place {
  size_t dp = 0;
  logical::Pipeline pipeline = logical::Pipeline::kIngress;
  int table = 0;
};

class Walker {
 public:
  Walker(Tracer& tracer, const TraceOptions& options) : t_(tracer), options_(options) {}

  // Runs the pipeline from table 0 under a new heading below `parent`.
  void run_pipeline(size_t dp, logical::Pipeline p, logical::FlowState state, Node& parent);
  // Looks up `table` and on (the tables after it when the hit is a plain `next;`).
  void run_table(const Place& at, logical::FlowState& state, Node& parent);
  // Executes `actions` of a flow at `at`; false once the packet is gone (drop, ttl expired).
  bool execute(const logical::ActionList& actions, const Place& at, logical::FlowState& state,
               Node& parent);

 private:
  void output(const Place& at, logical::FlowState& state, Node& node);
  void deliver(const Place& at, logical::FlowState& state, Node& node);
  // The flags for the next connection tracker pass, and their "/* ... */" note.
  uint32_t next_ct_state(std::string* note);
  std::string port_label(size_t dp, uint32_t key);
  std::string heading(size_t dp, logical::Pipeline p, const logical::FlowState& state);

  Tracer& t_;
  const TraceOptions& options_;
  size_t ct_used_ = 0;
  int pipelines_ = 0;
};

}  // namespace ovnx::trace
