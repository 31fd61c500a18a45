// The pipeline walk: tables, output between pipelines, datapaths and multicast groups.
#include "trace/tracer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "logical/symtab.h"
#include "trace/packet_fields.h"
#include "trace/walker.h"

namespace ovnx::trace {

using logical::FlowState;
using logical::Pipeline;
using logical::U128;

namespace {

constexpr uint32_t kCtTrk = 1u << 5;
constexpr uint32_t kCtEst = 1u << 1;
constexpr std::array<std::string_view, 8> kCtNames{"new", "est", "rel",  "rpl",
                                                   "inv", "trk", "snat", "dnat"};

U128 get(const FlowState& s, std::string_view name) {
  auto v = s.get(name);
  return v.ok() ? *v : U128();
}

}  // namespace

Result<uint32_t> parse_ct_flags(std::string_view text) {
  uint32_t bits = kCtTrk;
  std::string words(text);
  std::replace_if(
      words.begin(), words.end(), [](char c) { return c == ',' || c == '|'; }, ' ');
  std::istringstream in(words);
  std::string w;
  while (in >> w) {
    auto it = std::find(kCtNames.begin(), kCtNames.end(), w);
    if (it == kCtNames.end()) {
      return make_error("unknown connection tracking flag",
                        fmt::format("{} (one of new, est, rel, rpl, inv, trk, snat, dnat)", w));
    }
    bits |= 1u << (it - kCtNames.begin());
  }
  return bits;
}

std::string format_ct_flags(uint32_t bits) {
  std::string out;
  for (size_t i = 0; i < kCtNames.size(); ++i) {
    if (bits & (1u << i)) out += fmt::format("{}{}", out.empty() ? "" : "|", kCtNames[i]);
  }
  return out.empty() ? "0" : out;
}

// ---- Tracer

Tracer::Tracer(const Snapshot& snapshot) : snapshot_(snapshot) {
  for (size_t i = 0; i < snapshot.flows.size(); ++i) {
    const LogicalFlow& f = snapshot.flows[i];
    for (size_t dp : f.datapaths) {
      tables_[{dp, int(f.pipeline), f.table}].push_back(i);
      int& last = last_table_[{dp, int(f.pipeline)}];
      last = std::max(last, f.table);
    }
  }
  for (auto& [key, flows] : tables_) {
    std::stable_sort(flows.begin(), flows.end(), [&](size_t a, size_t b) {
      const LogicalFlow &fa = snapshot.flows[a], &fb = snapshot.flows[b];
      if (fa.priority != fb.priority) return fa.priority > fb.priority;
      return fa.uuid < fb.uuid;
    });
  }
}

const std::vector<size_t>* Tracer::table(size_t dp, Pipeline p, int table) const {
  auto it = tables_.find({dp, int(p), table});
  return it == tables_.end() ? nullptr : &it->second;
}

int Tracer::last_table(size_t dp, Pipeline p) const {
  auto it = last_table_.find({dp, int(p)});
  return it == last_table_.end() ? -1 : it->second;
}

const DatapathResolver& Tracer::resolver(size_t dp) {
  auto it = resolvers_.find(dp);
  if (it == resolvers_.end()) it = resolvers_.try_emplace(dp, snapshot_, dp).first;
  return it->second;
}

const Tracer::Compiled& Tracer::compiled(size_t flow, size_t dp) {
  auto key = std::make_pair(flow, dp);
  if (auto it = compiled_.find(key); it != compiled_.end()) return it->second;
  const LogicalFlow& f = snapshot_.flows[flow];
  const logical::SymbolTable& symtab = logical::ovn_symbol_table();
  Compiled c;
  auto match = logical::parse_and_annotate(f.match, symtab, &resolver(dp));
  auto actions = logical::parse_actions(f.actions, symtab, &resolver(dp));
  if (match.ok() && actions.ok()) {
    c.ok = true;
    c.match = std::move(*match);
    c.actions = std::move(*actions);
  }
  return compiled_.emplace(key, std::move(c)).first->second;
}

Node Tracer::trace(size_t dp, const FlowState& packet, const TraceOptions& options) {
  Node root;
  Walker w(*this, options);
  w.run_pipeline(dp, Pipeline::kIngress, packet, root);
  return root;
}

// ---- Walker: pipelines and tables

std::string Walker::port_label(size_t dp, uint32_t key) {
  auto name = t_.resolver(dp).port_name(key);
  return name ? fmt::format("\"{}\"", *name) : std::to_string(key);
}

std::string Walker::heading(size_t dp, Pipeline p, const FlowState& state) {
  std::string out = fmt::format("{}(dp=\"{}\", inport={}", logical::pipeline_name(p),
                                t_.snapshot_.datapaths[dp].name,
                                port_label(dp, uint32_t(get(state, "inport").lo)));
  if (p == Pipeline::kEgress) {
    out += fmt::format(", outport={}", port_label(dp, uint32_t(get(state, "outport").lo)));
  }
  return out + ")";
}

void Walker::run_pipeline(size_t dp, Pipeline p, FlowState state, Node& parent) {
  Node& node = parent.add(NodeType::kPipeline, heading(dp, p, state));
  if (++pipelines_ > options_.max_pipelines) {
    node.add(NodeType::kComment,
             fmt::format("/* trace stopped: more than {} pipelines (a loop?) */",
                         options_.max_pipelines));
    return;
  }
  run_table(Place{dp, p, 0}, state, node);
}

void Walker::run_table(const Place& at, FlowState& state, Node& parent) {
  const Snapshot& s = t_.snapshot_;
  int last = t_.last_table(at.dp, at.pipeline);
  for (int table = at.table; table <= last; ++table) {
    static const std::vector<size_t> kNone;
    const std::vector<size_t>* flows = t_.table(at.dp, at.pipeline, table);
    const LogicalFlow* hit = nullptr;
    const Tracer::Compiled* code = nullptr;
    for (size_t i : flows ? *flows : kNone) {
      const Tracer::Compiled& c = t_.compiled(i, at.dp);
      if (c.ok && logical::evaluate_expr(c.match, state, t_.resolver(at.dp))) {
        hit = &s.flows[i];
        code = &c;
        break;
      }
    }
    if (!hit) {
      parent.add(NodeType::kTable, fmt::format("{:2}. no match (implicit drop)", table));
      return;
    }
    // A stage the packet just passes through is not worth showing.
    bool plain_next = hit->match == "1" && code->actions.size() == 1 &&
                      std::holds_alternative<logical::act::Next>(code->actions[0]) &&
                      !std::get<logical::act::Next>(code->actions[0]).table &&
                      !std::get<logical::act::Next>(code->actions[0]).pipeline;
    if (plain_next) continue;
    std::string source = hit->source.empty() ? "" : fmt::format(" ({})", hit->source);
    Node& node = parent.add(NodeType::kTable,
                            fmt::format("{:2}. {}{}: {}, priority {}, uuid {}", table, hit->stage,
                                        source, hit->match, hit->priority, hit->uuid.substr(0, 8)));
    if (code->actions.empty()) {
      node.add(NodeType::kAction, "drop;");  // how an empty actions column parses
    } else {
      execute(code->actions, Place{at.dp, at.pipeline, table}, state, node);
    }
    return;
  }
  parent.add(NodeType::kComment, "/* no more tables: the packet is dropped */");
}

// ---- Walker: output

void Walker::output(const Place& at, FlowState& state, Node& node) {
  if (at.pipeline == Pipeline::kEgress) {
    deliver(at, state, node);
    return;
  }
  const Snapshot& s = t_.snapshot_;
  auto inport = uint32_t(get(state, "inport").lo);
  auto outport = uint32_t(get(state, "outport").lo);
  bool loopback = get(state, "flags.loopback").lo != 0;
  // The egress pipeline starts with fresh registers; ports, flags and ct state carry over.
  FlowState egress = state;
  clear_registers(egress, /*flags_and_ports=*/false);
  if (const MulticastGroup* g = s.multicast_by_key(at.dp, outport)) {
    Node& m = node.add(NodeType::kMulticast, fmt::format("multicast(dp=\"{}\", mcgroup=\"{}\")",
                                                         s.datapaths[at.dp].name, g->name));
    std::vector<std::string> members = g->ports;
    std::sort(members.begin(), members.end());
    for (const std::string& name : members) {
      auto key = t_.resolver(at.dp).port_key(name);
      if (!key) continue;
      if (*key == inport && !loopback) continue;
      FlowState copy = egress;
      (void)copy.set("outport", U128(*key));
      run_pipeline(at.dp, Pipeline::kEgress, copy, m);
    }
    return;
  }
  if (outport == inport && !loopback) {
    node.add(NodeType::kComment,
             "/* omitting output because inport == outport && !flags.loopback */");
    return;
  }
  if (outport == 0) {
    node.add(NodeType::kComment, "/* no output port: the packet is dropped */");
    return;
  }
  run_pipeline(at.dp, Pipeline::kEgress, egress, node);
}

void Walker::deliver(const Place& at, FlowState& state, Node& node) {
  const Snapshot& s = t_.snapshot_;
  auto outport = uint32_t(get(state, "outport").lo);
  const Port* port = s.port_by_key(at.dp, outport);
  if (!port) {
    node.add(NodeType::kComment, fmt::format("/* no logical port with key {} */", outport));
    return;
  }
  std::string where = fmt::format("/* output to \"{}\", type \"{}\" */", port->name, port->type);
  if (port->peer.empty()) {
    node.add(NodeType::kEffect, where, fmt::format("output(\"{}\");", port->name));
    return;
  }
  node.add(NodeType::kEffect, where);
  const Port* peer = s.find_port(port->peer);
  if (!peer) {
    node.add(NodeType::kComment,
             fmt::format("/* the peer port \"{}\" does not exist */", port->peer));
    return;
  }
  FlowState next = state;
  clear_registers(next, /*flags_and_ports=*/true);
  (void)next.set("inport", U128(peer->key));
  run_pipeline(peer->datapath, Pipeline::kIngress, next, node);
}

uint32_t Walker::next_ct_state(std::string* note) {
  if (ct_used_ < options_.ct_states.size()) {
    note->clear();
    return options_.ct_states[ct_used_++];
  }
  *note = " /* default (use --ct to customize) */";
  return kCtTrk | kCtEst;
}

}  // namespace ovnx::trace
