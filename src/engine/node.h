// Nodes of the incremental-processing engine (see graph.h for the whole picture).
//
// A node owns one piece of derived data and knows how to (re)build it from the data of its
// inputs. Nodes are classes deriving from Node<Data, InputNodes...>: the input node types are
// part of the node's type, so `input<EnFoo>()` is checked at compile time and returns
// `const EnFoo::data_type&` -- no void pointers, no lookups by name.
//
//   class EnLflow final : public engine::Node<LflowData, EnNorthd, EnSbMulticastGroup> {
//    public:
//     EnLflow() : Node("lflow") {}
//     engine::Handled on_northd(const NorthdData& changes);   // a change handler
//    protected:
//     engine::Computed recompute() override;                  // full rebuild
//   };
//
// Change handlers are connected to inputs in one place (Graph::connect), which is also where the
// DAG is wired. Node objects are owned by their Graph; they are not thread-safe.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/types.h"

namespace ovnx::engine {

class Graph;

// The part of a node the Graph drives, independent of its data type.
class NodeBase {
 public:
  NodeBase(const NodeBase&) = delete;
  NodeBase& operator=(const NodeBase&) = delete;
  virtual ~NodeBase() = default;

  const std::string& name() const { return name_; }
  // State after the last run (stale before any run, and for nodes an aborted run did not reach).
  NodeState state() const { return state_; }
  const NodeStats& stats() const { return stats_; }
  // What the node did in the last run and why ("recomputed: input \"x\" has no change handler").
  const std::string& reason() const { return reason_; }
  // True if the next run must recompute this node (first run, or a canceled run missed changes).
  bool pending_recompute() const { return pending_recompute_; }
  // Names of the nodes this one depends on, in connection order.
  std::vector<std::string> input_names() const;
  bool is_input_node() const { return edges_.empty(); }

 protected:
  explicit NodeBase(std::string name) : name_(std::move(name)) {}

  // Rebuilds the node's data from its inputs' data, ignoring their change tracking. An input
  // node (one without inputs) reloads from its source. Returning `canceled` aborts the run; the
  // data must then still be usable by the next run, which recomputes this node again.
  virtual Computed recompute() = 0;
  // Input nodes only: called on each run that is not a forced recompute, to take in what changed
  // at the source since the last run. Defaults to recompute().
  virtual Computed poll() { return recompute(); }
  // Called at the start of every run, before anything else: drop change tracking that describes
  // the previous run's changes (dependents have consumed it by now).
  virtual void clear_tracked() {}
  // False if a declared input was never connected (Graph::finalize reports it).
  virtual bool inputs_bound() const { return true; }

 private:
  friend class Graph;

  struct Edge {
    NodeBase* input;
    HandlerFn handler;  // empty: any change of `input` forces a recompute
  };

  std::string name_;
  std::vector<Edge> edges_;
  NodeState state_ = NodeState::stale;
  NodeStats stats_;
  std::string reason_;
  bool pending_recompute_ = true;
  Graph* graph_ = nullptr;
};

// A node holding `Data` and reading the data of `Inputs...` (each a node class).
template <class Data, class... Inputs>
class Node : public NodeBase {
 public:
  using data_type = Data;
  using node_type = Node;
  // True if `In` is one of the declared inputs.
  template <class In>
  static constexpr bool declares_input = (std::is_same_v<In, Inputs> || ...);

  const Data& data() const { return data_; }

 protected:
  template <class... Args>
  explicit Node(std::string name, Args&&... data_args)
      : NodeBase(std::move(name)), data_(std::forward<Args>(data_args)...) {}

  Data& mutable_data() { return data_; }

  // The current data of input node `In`. REQUIRES: the graph was finalized.
  template <class In>
  const typename In::data_type& input() const {
    static_assert(declares_input<In>, "not a declared input of this node");
    const In* in = std::get<const In*>(bound_);
    assert(in != nullptr);
    return in->data();
  }

  bool inputs_bound() const override {
    return std::apply([](auto*... p) { return ((p != nullptr) && ...); }, bound_);
  }

 private:
  friend class Graph;
  std::tuple<const Inputs*...> bound_{};
  Data data_;
};

}  // namespace ovnx::engine
