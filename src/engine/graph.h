// The incremental-processing engine: a DAG of typed nodes (node.h) that brings derived data up
// to date with its inputs, processing only what changed where it can.
//
// Life cycle:
//   engine::Graph g;
//   auto& nb = g.add<EnNbPorts>();            // nodes are owned by the graph
//   auto& northd = g.add<EnNorthd>();
//   g.connect(northd, nb, &EnNorthd::on_nb_ports);   // change handler for this input
//   g.connect(northd, config);                        // no handler: a change forces recompute
//   OVNX_RETURN_IF_ERROR(g.finalize());       // cycles, duplicate names, unbound inputs
//   ... each main-loop iteration:
//   engine::RunResult r = g.run({.recompute_allowed = have_txn});
//
// A run first lets every node drop last run's change tracking (clear_tracked), then visits nodes
// in topological order:
//   - an input node (no inputs) is polled for changes at its source;
//   - another node whose inputs are all unchanged is left alone;
//   - otherwise the handler of each updated input is called, in connection order; if every one
//     handles its changes the node counts a "compute", else it is recomputed from scratch.
// A forced run (force_recompute) recomputes every node.
//
// Cancel: when a node must recompute but the run disallows recomputing, or its recompute returns
// Computed::canceled, the run stops there. Nodes already visited are consistent; the canceled
// node and every unvisited node that may have missed changes (one of its inputs updated or itself
// pending) are marked pending_recompute, so the next run rebuilds them from full data instead of
// relying on change tracking that will have been cleared. Input nodes not yet polled keep their
// pending changes.
//
// Not thread-safe: one graph belongs to one thread (the daemon's main loop).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/result.h"
#include "engine/node.h"
#include "engine/types.h"

namespace ovnx::engine {

struct RunOptions {
  // False while the node outputs cannot be written (e.g. an OVSDB transaction is in flight):
  // a node needing a recompute cancels the run instead.
  bool recompute_allowed = true;
};

struct RunResult {
  bool completed = true;
  std::string canceled_node;  // set when !completed
  std::string reason;         // why it was canceled
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph();

  // Creates a node of class N owned by the graph. REQUIRES: not finalized.
  template <class N, class... Args>
  N& add(Args&&... args) {
    static_assert(std::is_base_of_v<NodeBase, N>);
    auto node = std::make_unique<N>(std::forward<Args>(args)...);
    N& ref = *node;
    adopt(std::move(node));
    return ref;
  }

  // Makes `input` an input of `node`, with `handler` processing its changes. `handler` is a
  // member function `Handled (N::*)(const I::data_type&)` or any callable taking
  // (N&, const I::data_type&). I must be one of the node's declared inputs.
  template <class N, class I, class F>
  void connect(N& node, I& input, F handler) {
    using Data = typename I::data_type;
    static_assert(std::is_invocable_r_v<Handled, F, N&, const Data&>,
                  "handler must take (N&, const Input::data_type&) and return Handled");
    bind(node, input);
    add_edge(node, input,
             [&node, &input, handler]() { return std::invoke(handler, node, input.data()); });
  }
  // Makes `input` an input of `node` without a handler: any change recomputes `node`.
  template <class N, class I>
  void connect(N& node, I& input) {
    bind(node, input);
    add_edge(node, input, HandlerFn{});
  }

  // Checks the wiring (unique names, every declared input connected exactly once, no cycle)
  // and fixes the topological order. Must succeed before run().
  Status finalize();
  bool finalized() const { return finalized_; }

  // Brings every node up to date. Before a successful finalize() it does nothing and reports
  // itself canceled.
  RunResult run(const RunOptions& options = {});
  // Makes the next run recompute every node (e.g. after a reconnection).
  void force_recompute() { force_ = true; }
  bool force_recompute_pending() const { return force_; }
  // True if the last run completed (false before the first run and after a cancel).
  bool has_run() const { return has_run_; }
  uint64_t run_count() const { return runs_; }

  // Nodes in topological order (insertion order before finalize).
  const std::vector<NodeBase*>& nodes() const { return order_; }
  NodeBase* find(std::string_view name) const;

  // "Node: X\n- recompute:    N\n- compute:      N\n- abort:        N\n" per node, aligned as
  // OVN's inc-engine/show-stats prints. With `node`, only that node (nothing if unknown); with
  // `stat` too ("recompute", "compute", "cancel" or OVN 23.03's name "abort"), just its number
  // (OVN 23.03 itself labels the third counter "abort").
  std::string stats_text(std::string_view node = {}, std::string_view stat = {}) const;
  void clear_stats();
  // The DAG in Graphviz DOT; edges without a change handler are dashed.
  std::string to_dot() const;
  // One line per node: state, pending recompute, and what the last run did and why.
  std::string state_text() const;

 private:
  template <class N, class I>
  void bind(N& node, I& input) {
    static_assert(std::is_base_of_v<NodeBase, I>);
    static_assert(N::template declares_input<I>,
                  "connect(node, input): input's class is not among the node's declared inputs");
    auto& slot = std::get<const I*>(static_cast<typename N::node_type&>(node).bound_);
    if (slot != nullptr) note_wiring_error(node, input, "connected twice");
    slot = &input;
  }
  void adopt(std::unique_ptr<NodeBase> node);
  void add_edge(NodeBase& node, NodeBase& input, HandlerFn handler);
  void note_wiring_error(const NodeBase& node, const NodeBase& input, std::string_view what);
  Status check_acyclic_and_sort();
  // Runs one node; false if the run must stop at it.
  bool run_node(NodeBase& node, const RunOptions& options, RunResult& result);
  bool cancel(NodeBase& node, std::string reason, RunResult& result);
  void mark_missed_after_cancel(size_t canceled_index);

  std::vector<std::unique_ptr<NodeBase>> owned_;
  std::vector<NodeBase*> order_;
  std::vector<std::string> wiring_errors_;
  bool finalized_ = false;
  bool force_ = false;
  bool has_run_ = false;
  uint64_t runs_ = 0;
};

}  // namespace ovnx::engine
