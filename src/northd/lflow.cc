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

namespace {

const char* basename_of(const char* path) {
  if (!path) return nullptr;
  const char* base = std::strrchr(path, '/');
  return base ? base + 1 : path;
}

}  // namespace

std::vector<sb::LogicalFlow> merge_flows(std::vector<DatapathFlows>&& per_dp) {
  size_t total = 0;
  for (const auto& d : per_dp) total += d.flows.size();

  struct Entry {
    Lflow* first;
    std::vector<Uuid> datapaths;
    Uuid hint;  // the smallest non-zero hint of the merged flows
  };
  std::vector<Entry> entries;
  entries.reserve(total);
  std::unordered_map<FlowKeyRef, size_t, FlowKeyHash, FlowKeyEq> index;
  index.reserve(total);
  for (auto& d : per_dp) {
    for (Lflow& f : d.flows) {
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
  index = {};  // the keys point into the flows about to be moved from

  std::vector<sb::LogicalFlow> out;
  out.reserve(entries.size());
  for (Entry& e : entries) {
    Lflow& f = *e.first;
    sb::LogicalFlow row;
    row.datapaths = std::move(e.datapaths);
    std::sort(row.datapaths.begin(), row.datapaths.end());
    const StageInfo& si = stage_info(f.stage);
    row.pipeline = si.pipeline;
    row.table_id = si.table;
    row.priority = f.priority;
    row.match = std::move(f.match);
    row.actions = std::move(f.actions);
    row.stage_name = si.name.data();
    row.stage_hint = e.hint;
    row.source_file = basename_of(f.file);
    row.source_line = f.line;
    row.io_port = std::move(f.io_port);
    if (!f.ctrl_meter.empty()) row.controller_meter = std::move(f.ctrl_meter);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace ovnx::northd

namespace ovnx::northd::sb {

Smap LogicalFlow::external_ids() const {
  Smap m;
  m.emplace("stage-name", stage_name);
  if (!stage_hint.is_zero()) m.emplace("stage-hint", fmt::format("{:08x}", stage_hint.prefix32()));
  if (source_file) m.emplace("source", fmt::format("{}:{}", source_file, source_line));
  return m;
}

Smap LogicalFlow::tags() const {
  Smap m;
  if (!io_port.empty()) m.emplace("in_out_port", io_port);
  return m;
}

}  // namespace ovnx::northd::sb
