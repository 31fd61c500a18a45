#include "northd/lflow.h"

#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

namespace ovnx::northd {
namespace {

// Identity of a flow across datapaths: what OVN compares when merging into a datapath group.
struct FlowKeyRef {
  const Lflow* flow;
  size_t hash;
};

size_t hash_flow(const Lflow& f) {
  size_t h = std::hash<std::string_view>{}(f.match);
  h = h * 31 + std::hash<std::string_view>{}(f.actions);
  h = h * 31 + std::hash<std::string_view>{}(f.ctrl_meter);
  h = h * 31 + (static_cast<size_t>(f.stage) << 16 | f.priority);
  return h;
}

struct FlowKeyHash {
  size_t operator()(const FlowKeyRef& k) const { return k.hash; }
};
struct FlowKeyEq {
  bool operator()(const FlowKeyRef& a, const FlowKeyRef& b) const {
    const Lflow& x = *a.flow;
    const Lflow& y = *b.flow;
    return a.hash == b.hash && x.stage == y.stage && x.priority == y.priority &&
           x.match == y.match && x.actions == y.actions && x.ctrl_meter == y.ctrl_meter;
  }
};

}  // namespace

void FlowSink::add(Stage stage, uint16_t priority, std::string match, std::string actions,
                   const FlowOpts& opts, std::source_location where) {
  Lflow f;
  f.stage = stage;
  f.priority = priority;
  f.match = std::move(match);
  f.actions = std::move(actions);
  f.hint = opts.hint;
  f.io_port = std::string(opts.io_port);
  f.ctrl_meter = std::string(opts.ctrl_meter);
  f.file = where.file_name();
  f.line = where.line();
  flows_.push_back(std::move(f));
}

std::string flow_source(const Lflow& flow) {
  if (!flow.file) return {};
  const char* base = std::strrchr(flow.file, '/');
  return fmt::format("{}:{}", base ? base + 1 : flow.file, flow.line);
}

std::vector<sb::LogicalFlow> merge_flows(const std::vector<DatapathFlows>& per_dp) {
  size_t total = 0;
  for (const auto& d : per_dp) total += d.flows.size();

  struct Entry {
    const Lflow* first;
    std::vector<Uuid> datapaths;
    Uuid hint;  // the smallest non-zero hint of the merged flows
  };
  std::vector<Entry> entries;
  entries.reserve(total);
  std::unordered_map<FlowKeyRef, size_t, FlowKeyHash, FlowKeyEq> index;
  index.reserve(total);
  for (const auto& d : per_dp) {
    for (const Lflow& f : d.flows) {
      FlowKeyRef key{&f, hash_flow(f)};
      auto [it, inserted] = index.emplace(key, entries.size());
      if (inserted) {
        entries.push_back(Entry{&f, {d.datapath}, f.hint});
        continue;
      }
      Entry& e = entries[it->second];
      if (e.datapaths.back() != d.datapath) e.datapaths.push_back(d.datapath);
      if (!f.hint.is_zero() && (e.hint.is_zero() || f.hint < e.hint)) e.hint = f.hint;
    }
  }

  std::vector<sb::LogicalFlow> out;
  out.reserve(entries.size());
  for (Entry& e : entries) {
    const Lflow& f = *e.first;
    sb::LogicalFlow row;
    row.datapaths = std::move(e.datapaths);
    std::sort(row.datapaths.begin(), row.datapaths.end());
    const StageInfo& si = stage_info(f.stage);
    row.pipeline = si.pipeline;
    row.table_id = si.table;
    row.priority = f.priority;
    row.match = f.match;
    row.actions = f.actions;
    row.external_ids.emplace("stage-name", std::string(si.name));
    if (!e.hint.is_zero()) {
      row.external_ids.emplace("stage-hint", fmt::format("{:08x}", e.hint.prefix32()));
    }
    if (std::string src = flow_source(f); !src.empty()) {
      row.external_ids.emplace("source", std::move(src));
    }
    if (!f.io_port.empty()) row.tags.emplace("in_out_port", f.io_port);
    if (!f.ctrl_meter.empty()) row.controller_meter = f.ctrl_meter;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace ovnx::northd
