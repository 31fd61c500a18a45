// Small vocabulary types of the incremental-processing engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace ovnx::engine {

// What a change handler did with its input's changes.
enum class Handled {
  no,         // cannot process these changes incrementally: recompute the node
  unchanged,  // processed; the node's data did not change
  updated,    // processed; the node's data changed (dependents will see it)
};

// What a recompute (or an input node's poll) did.
enum class Computed {
  unchanged,
  updated,
  canceled,  // could not run now (e.g. no transaction to write into): abort the run
};

// A node's state after a run.
enum class NodeState {
  stale,      // not brought up to date by the last run (not reached, or never run)
  unchanged,  // up to date; data did not change in the last run
  updated,    // up to date; data changed in the last run
  canceled,   // the last run was aborted at this node
};
std::string_view state_name(NodeState state);

struct NodeStats {
  uint64_t recompute = 0;  // full recomputes
  uint64_t compute = 0;    // runs in which the node processed changes incrementally
  uint64_t cancel = 0;     // runs aborted at this node
};

using HandlerFn = std::function<Handled()>;

}  // namespace ovnx::engine
