#include "engine/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace ovnx::engine {

std::string_view state_name(NodeState state) {
  switch (state) {
    case NodeState::stale:
      return "stale";
    case NodeState::unchanged:
      return "unchanged";
    case NodeState::updated:
      return "updated";
    case NodeState::canceled:
      return "canceled";
  }
  return "?";
}

std::vector<std::string> NodeBase::input_names() const {
  std::vector<std::string> names;
  for (const Edge& e : edges_) names.push_back(e.input->name());
  return names;
}

Graph::~Graph() = default;

void Graph::adopt(std::unique_ptr<NodeBase> node) {
  assert(!finalized_);
  node->graph_ = this;
  order_.push_back(node.get());
  owned_.push_back(std::move(node));
}

void Graph::add_edge(NodeBase& node, NodeBase& input, HandlerFn handler) {
  assert(!finalized_);
  if (node.graph_ != this || input.graph_ != this) {
    note_wiring_error(node, input, "nodes belong to different graphs");
    return;
  }
  node.edges_.push_back(NodeBase::Edge{&input, std::move(handler)});
}

void Graph::note_wiring_error(const NodeBase& node, const NodeBase& input, std::string_view what) {
  wiring_errors_.push_back(
      fmt::format("input \"{}\" of node \"{}\" {}", input.name(), node.name(), what));
}

Status Graph::finalize() {
  std::vector<std::string> errors = wiring_errors_;
  std::set<std::string_view> names;
  for (NodeBase* n : order_) {
    if (!names.insert(n->name()).second) {
      errors.push_back(fmt::format("duplicate node name \"{}\"", n->name()));
    }
    if (!n->inputs_bound()) {
      errors.push_back(
          fmt::format("node \"{}\" has a declared input that is not connected", n->name()));
    }
  }
  if (errors.empty()) {
    OVNX_RETURN_IF_ERROR(check_acyclic_and_sort());
  }
  if (!errors.empty()) {
    std::string details;
    for (const std::string& e : errors) details += (details.empty() ? "" : "; ") + e;
    return make_error("engine wiring error", details);
  }
  finalized_ = true;
  return {};
}

Status Graph::check_acyclic_and_sort() {
  // Kahn's algorithm; ties broken by insertion order so the order is deterministic.
  std::map<const NodeBase*, size_t> index;
  for (size_t i = 0; i < order_.size(); ++i) index[order_[i]] = i;
  std::vector<size_t> missing(order_.size(), 0);
  std::vector<std::vector<size_t>> dependents(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) {
    for (const auto& e : order_[i]->edges_) {
      ++missing[i];
      dependents[index[e.input]].push_back(i);
    }
  }
  std::set<size_t> ready;
  for (size_t i = 0; i < order_.size(); ++i) {
    if (missing[i] == 0) ready.insert(i);
  }
  std::vector<NodeBase*> sorted;
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    sorted.push_back(order_[i]);
    for (size_t d : dependents[i]) {
      if (--missing[d] == 0) ready.insert(d);
    }
  }
  if (sorted.size() == order_.size()) {
    order_ = std::move(sorted);
    return {};
  }
  // Walk input edges among the unsorted nodes until one repeats: that is a cycle.
  const NodeBase* start = nullptr;
  for (size_t i = 0; i < order_.size(); ++i) {
    if (missing[i] != 0) start = order_[i];
  }
  std::vector<const NodeBase*> path;
  std::map<const NodeBase*, size_t> seen;
  const NodeBase* cur = start;
  while (!seen.count(cur)) {
    seen[cur] = path.size();
    path.push_back(cur);
    for (const auto& e : cur->edges_) {
      if (missing[index[e.input]] != 0) {
        cur = e.input;
        break;
      }
    }
  }
  // path[seen[cur]..] is the cycle, each depending on the next; print it in data-flow order.
  std::string text = cur->name();
  for (size_t i = path.size(); i-- > seen[cur];) text += " -> " + path[i]->name();
  return make_error("engine wiring error", fmt::format("dependency cycle: {}", text));
}

NodeBase* Graph::find(std::string_view name) const {
  for (NodeBase* n : order_) {
    if (n->name() == name) return n;
  }
  return nullptr;
}

RunResult Graph::run(const RunOptions& options) {
  RunResult result;
  if (!finalized_) return RunResult{false, "", "the graph was not finalized"};
  ++runs_;
  for (NodeBase* n : order_) {
    n->clear_tracked();
    n->state_ = NodeState::stale;
  }
  for (size_t i = 0; i < order_.size(); ++i) {
    if (!run_node(*order_[i], options, result)) {
      mark_missed_after_cancel(i);
      has_run_ = false;
      return result;
    }
  }
  force_ = false;
  has_run_ = true;
  return result;
}

bool Graph::run_node(NodeBase& node, const RunOptions& options, RunResult& result) {
  std::string why;  // set when the node must recompute
  if (force_) {
    why = "forced recompute";
  } else if (node.pending_recompute_) {
    why = node.stats_.recompute == 0 && node.stats_.cancel == 0 ? "first run"
                                                                : "pending after a canceled run";
  }

  if (why.empty() && node.is_input_node()) {
    Computed c = node.poll();
    if (c == Computed::canceled) return cancel(node, "canceled by its poll", result);
    node.state_ = c == Computed::updated ? NodeState::updated : NodeState::unchanged;
    node.reason_ = c == Computed::updated ? "polled: changes" : "polled: no change";
    if (c == Computed::updated) ++node.stats_.compute;
    return true;
  }

  if (why.empty()) {
    bool any_updated = false;
    bool data_changed = false;
    std::vector<std::string> handled;
    for (auto& e : node.edges_) {
      if (e.input->state_ != NodeState::updated) continue;
      any_updated = true;
      if (!e.handler) {
        why = fmt::format("input \"{}\" changed and has no change handler", e.input->name());
        break;
      }
      Handled h = e.handler();
      if (h == Handled::no) {
        why = fmt::format("handler for input \"{}\" could not handle its changes", e.input->name());
        break;
      }
      data_changed |= h == Handled::updated;
      handled.push_back(e.input->name());
    }
    if (!any_updated) {
      node.state_ = NodeState::unchanged;
      node.reason_ = "no input changed";
      return true;
    }
    if (why.empty()) {
      ++node.stats_.compute;
      node.state_ = data_changed ? NodeState::updated : NodeState::unchanged;
      std::string list;
      for (const auto& h : handled) list += (list.empty() ? "\"" : ", \"") + h + "\"";
      node.reason_ = fmt::format("computed: handled changes of {}", list);
      return true;
    }
  }

  // Reading a source is always allowed: only derived nodes write outputs.
  if (!options.recompute_allowed && !node.is_input_node()) {
    return cancel(node, fmt::format("canceled: recompute not allowed ({})", why), result);
  }
  ++node.stats_.recompute;
  Computed c = node.recompute();
  if (c == Computed::canceled) {
    return cancel(node, fmt::format("canceled by its recompute ({})", why), result);
  }
  node.pending_recompute_ = false;
  node.state_ = c == Computed::updated ? NodeState::updated : NodeState::unchanged;
  node.reason_ = fmt::format("recomputed: {}", why);
  return true;
}

bool Graph::cancel(NodeBase& node, std::string reason, RunResult& result) {
  ++node.stats_.cancel;
  node.state_ = NodeState::canceled;
  node.pending_recompute_ = true;
  node.reason_ = std::move(reason);
  result = RunResult{false, node.name(), node.reason_};
  return false;
}

void Graph::mark_missed_after_cancel(size_t canceled_index) {
  // An unvisited node missed changes if one of its inputs changed in this run or will itself be
  // rebuilt; in a forced run, everything unvisited still owes its recompute (force_ stays set).
  for (size_t i = canceled_index + 1; i < order_.size(); ++i) {
    NodeBase& n = *order_[i];
    if (n.is_input_node()) continue;  // keeps its source's pending changes for the next poll
    for (const auto& e : n.edges_) {
      if (e.input->state_ == NodeState::updated || e.input->state_ == NodeState::canceled ||
          e.input->pending_recompute_) {
        n.pending_recompute_ = true;
        break;
      }
    }
    if (n.pending_recompute_) n.reason_ = "pending: an earlier node canceled the run";
  }
}

std::string Graph::stats_text(std::string_view node, std::string_view stat) const {
  std::string out;
  for (const NodeBase* n : order_) {
    if (!node.empty() && n->name() != node) continue;
    const NodeStats& s = n->stats_;
    if (!node.empty() && !stat.empty()) {
      if (stat == "recompute") return fmt::format("{}\n", s.recompute);
      if (stat == "compute") return fmt::format("{}\n", s.compute);
      if (stat == "cancel" || stat == "abort") return fmt::format("{}\n", s.cancel);
      return fmt::format("Invalid stat type : {}\n", stat);
    }
    out += fmt::format("Node: {}\n{:<12}{:>13}\n{:<12}{:>13}\n{:<12}{:>13}\n", n->name(),
                       "- recompute:", s.recompute, "- compute:", s.compute, "- abort:", s.cancel);
  }
  return out;
}

void Graph::clear_stats() {
  for (NodeBase* n : order_) n->stats_ = NodeStats{};
}

std::string Graph::to_dot() const {
  std::string out = "digraph \"ovnx-engine\" {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const NodeBase* n : order_) out += fmt::format("  \"{}\";\n", n->name());
  for (const NodeBase* n : order_) {
    for (const auto& e : n->edges_) {
      out += fmt::format("  \"{}\" -> \"{}\"{};\n", e.input->name(), n->name(),
                         e.handler ? "" : " [style=dashed]");
    }
  }
  out += "}\n";
  return out;
}

std::string Graph::state_text() const {
  std::string out;
  for (const NodeBase* n : order_) {
    out += fmt::format("{}: {}{}{}{}\n", n->name(), state_name(n->state_),
                       n->pending_recompute_ ? " (recompute pending)" : "",
                       n->reason_.empty() ? "" : " - ", n->reason_);
  }
  return out;
}

}  // namespace ovnx::engine
