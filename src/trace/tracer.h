// The tracer: runs one packet through the logical pipelines of a Snapshot the way ovn-trace(8)
// does. In each table of a pipeline the highest-priority flow whose match the packet satisfies
// runs its actions; `next` goes on to the following table, `output` in ingress to the egress
// pipeline (to every member of a multicast group), `output` in egress delivers the packet, and
// through a patch port into the peer datapath's ingress pipeline with fresh metadata.
// Connection tracking and the controller's actions are approximated: ct_next reports the flags
// of the next --ct option (default trk,est), lookups consult MAC_Binding and port security,
// packets the controller would build continue as modified copies.
//
// Thread-compatible: a Tracer caches parsed flows; use one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "logical/actions.h"
#include "logical/expr.h"
#include "logical/expr_eval.h"
#include "trace/snapshot.h"
#include "trace/trace_tree.h"

namespace ovnx::trace {

struct TraceOptions {
  // ct_state flag bits for successive ct_next (and ct_lb, ct_dnat ...) actions; once used up,
  // trk|est. See parse_ct_flags().
  std::vector<uint32_t> ct_states;
  // The choice select() makes when it is one of its values (else the first).
  std::optional<uint16_t> select_id;
  // Pipelines entered before the trace gives up (a forwarding loop).
  int max_pipelines = 64;
};

// "trk,new" / "est rpl" / "trk|est" -> ct_state bits (trk always included).
Result<uint32_t> parse_ct_flags(std::string_view text);
// Bits -> "new|trk", in ct_state bit order.
std::string format_ct_flags(uint32_t bits);

class Tracer {
 public:
  // REQUIRES: `snapshot` outlives the tracer.
  explicit Tracer(const Snapshot& snapshot);

  // Traces `packet` (its inport set, as parse_microflow() builds it) from table 0 of the
  // ingress pipeline of datapath `dp`. The root's children are the top-level pipelines.
  Node trace(size_t dp, const logical::FlowState& packet, const TraceOptions& options);

 private:
  friend class Walker;
  struct Compiled {
    bool ok = false;
    logical::Expr match;
    logical::ActionList actions;
  };
  // The flows of (dp, pipeline, table), by descending priority.
  const std::vector<size_t>* table(size_t dp, logical::Pipeline p, int table) const;
  int last_table(size_t dp, logical::Pipeline p) const;
  const Compiled& compiled(size_t flow, size_t dp);
  const DatapathResolver& resolver(size_t dp);

  const Snapshot& snapshot_;
  std::map<std::tuple<size_t, int, int>, std::vector<size_t>> tables_;
  std::map<std::pair<size_t, int>, int> last_table_;
  std::map<std::pair<size_t, size_t>, Compiled> compiled_;
  std::map<size_t, DatapathResolver> resolvers_;
};

}  // namespace ovnx::trace
