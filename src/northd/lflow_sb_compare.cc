#include "northd/lflow_sb_compare.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "northd/stage.h"
#include "ovsdb/client/sb.h"

namespace ovnx::northd {
namespace {

namespace sbidl = ::ovnx::sb;

// A small string formatted on the stack.
struct ShortText {
  char buf[160];
  size_t len = 0;
  std::string_view view() const { return {buf, len}; }
};

// The external_ids a table row's SB row has, in key order (source < stage-hint < stage-name),
// as to_sb() and sb::LogicalFlow::external_ids() produce them.
struct WantedIds {
  ShortText source;
  ShortText hint;
  std::string_view stage_name;
  bool has_source = false;
  bool has_hint = false;
};

WantedIds wanted_ids(const LflowTable::Row& want) {
  WantedIds w;
  const LflowTable::Contribution& first = want.contribs[0];
  Uuid hint;
  for (const LflowTable::Contribution& c : want.contribs) {
    if (!c.hint.is_zero() && (hint.is_zero() || c.hint < hint)) hint = c.hint;
  }
  w.stage_name = stage_info(want.stage).name;
  if (!hint.is_zero()) {  // "{:08x}" of the first 32 bits, without fmt's parsing per flow
    static constexpr char kHex[] = "0123456789abcdef";
    uint32_t v = hint.prefix32();
    for (int i = 7; i >= 0; --i, v >>= 4) w.hint.buf[i] = kHex[v & 0xf];
    w.hint.len = 8;
    w.has_hint = true;
  }
  if (first.file) {  // "file:line"
    std::string_view file(first.file);
    if (file.size() + 12 <= sizeof w.source.buf) {  // always: source file names are short
      char* p = std::copy(file.begin(), file.end(), w.source.buf);
      *p++ = ':';
      p = std::to_chars(p, w.source.buf + sizeof w.source.buf, first.line).ptr;
      w.source.len = p - w.source.buf;
      w.has_source = true;
    }
  }
  return w;
}

// Accumulates a fingerprint from the columns in a fixed order.
class Fingerprint {
 public:
  void add(uint64_t v) {
    h_ = (h_ ^ v) * 0xff51afd7ed558ccdULL;
    h_ ^= h_ >> 33;
  }
  void add(std::string_view s) {
    add(s.size());
    add(std::hash<std::string_view>{}(s));
  }
  void add(const Uuid& u) {
    add(u.hi);
    add(u.lo);
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0x2545f4914f6cdd1dULL;
};

// The stage of each stage name.
const std::unordered_map<std::string_view, Stage>& stages_by_name() {
  static const std::unordered_map<std::string_view, Stage> by_name = [] {
    std::unordered_map<std::string_view, Stage> m;
    for (int i = 0; i < kNumStages; ++i) {
      m.emplace(stage_info(static_cast<Stage>(i)).name, static_cast<Stage>(i));
    }
    return m;
  }();
  return by_name;
}

}  // namespace

uint64_t sb_flow_fingerprint(const sbidl::LogicalFlow& row) {
  Fingerprint f;
  auto ids = row.external_ids();
  std::optional<std::string_view> meter = row.controller_meter();
  // The table row's precomputed hash stands for its stage, priority, match, actions and meter
  // (lflow_hash): the SB row's is computed alike, from the stage its stage-name names. Pipeline,
  // table and priority are added on their own as the stage name may not agree with them.
  const auto& stages = stages_by_name();
  auto stage = stages.find(ids.get_or("stage-name", ""));
  if (stage == stages.end() || row.priority() < 0 || row.priority() > 0xffff) {
    f.add(row.match());  // matches no table row: the compare's second step looks at it
  } else {
    Lflow l;
    l.stage = stage->second;
    l.priority = static_cast<uint16_t>(row.priority());
    l.match = row.match();
    l.actions = row.actions();
    l.ctrl_meter = meter.value_or(std::string_view());
    f.add(lflow_hash(l));
  }
  f.add(row.pipeline());
  f.add(static_cast<uint64_t>(row.table_id()));
  f.add(static_cast<uint64_t>(row.priority()));
  f.add(meter.has_value());
  const auto* dp = row.logical_datapath();
  const auto* group = row.logical_dp_group();
  f.add(dp ? dp->uuid() : Uuid());
  f.add(group ? group->uuid() : Uuid());
  f.add(ids.size());
  for (auto [k, v] : ids) {
    f.add(k);
    f.add(v);
  }
  auto tags = row.tags();
  f.add(tags.size());
  for (auto [k, v] : tags) {
    f.add(k);
    f.add(v);
  }
  return f.value();
}

uint64_t sb_flow_fingerprint(const LflowTable::Row& want, const Uuid& datapath,
                             const Uuid& group) {
  const StageInfo& si = stage_info(want.stage);
  Fingerprint f;
  f.add(want.hash);  // lflow_hash of stage, priority, match, actions and meter
  f.add(sb::pipeline_name(si.pipeline));
  f.add(static_cast<uint64_t>(si.table));
  f.add(static_cast<uint64_t>(want.priority));
  f.add(!want.ctrl_meter.empty());
  f.add(datapath);
  f.add(group);
  WantedIds w = wanted_ids(want);
  f.add(size_t{1} + w.has_source + w.has_hint);  // in key order, as the SB map
  if (w.has_source) {
    f.add(std::string_view("source"));
    f.add(w.source.view());
  }
  if (w.has_hint) {
    f.add(std::string_view("stage-hint"));
    f.add(w.hint.view());
  }
  f.add(std::string_view("stage-name"));
  f.add(w.stage_name);
  const std::string_view io_port = want.contribs[0].io_port;
  f.add(size_t{io_port.empty() ? 0u : 1u});
  if (!io_port.empty()) {
    f.add(std::string_view("in_out_port"));
    f.add(std::string_view(io_port));
  }
  return f.value();
}

size_t sb_flow_content_hash(std::string_view pipeline, int64_t table_id, int64_t priority,
                            std::string_view match, std::string_view actions) {
  size_t h = std::hash<std::string_view>{}(match);
  h = h * 0x9e3779b97f4a7c15ULL + std::hash<std::string_view>{}(actions);
  return h * 31 + static_cast<size_t>(table_id * 65536 + priority) + pipeline.size();
}

size_t sb_flow_content_hash(const LflowTable::Row& want) {
  const StageInfo& si = stage_info(want.stage);
  return sb_flow_content_hash(sb::pipeline_name(si.pipeline), si.table, want.priority, want.match,
                              want.actions);
}

size_t sb_flow_content_hash(const sbidl::LogicalFlow& row) {
  return sb_flow_content_hash(row.pipeline(), row.table_id(), row.priority(), row.match(),
                              row.actions());
}

bool sb_flow_same_content(const sbidl::LogicalFlow& row, const LflowTable::Row& want) {
  const StageInfo& si = stage_info(want.stage);
  if (row.table_id() != si.table || row.priority() != want.priority ||
      row.match() != want.match || row.actions() != want.actions ||
      row.pipeline() != sb::pipeline_name(si.pipeline)) {
    return false;
  }
  std::optional<std::string_view> meter = row.controller_meter();
  if (want.ctrl_meter.empty()) return !meter;
  return meter && *meter == want.ctrl_meter;
}

bool sb_flow_same_ids_and_tags(const sbidl::LogicalFlow& row, const LflowTable::Row& want) {
  const std::string_view io_port = want.contribs[0].io_port;
  auto tags = row.tags();
  if (io_port.empty()) {
    if (!tags.empty()) return false;
  } else {
    if (tags.size() != 1) return false;
    auto [k, v] = *tags.begin();
    if (k != "in_out_port" || v != io_port) return false;
  }
  WantedIds w = wanted_ids(want);
  std::pair<std::string_view, std::string_view> expect[3];
  size_t n = 0;
  if (w.has_source) expect[n++] = {"source", w.source.view()};
  if (w.has_hint) expect[n++] = {"stage-hint", w.hint.view()};
  expect[n++] = {"stage-name", w.stage_name};
  auto ids = row.external_ids();
  if (ids.size() != n) return false;
  size_t i = 0;
  for (auto [k, v] : ids) {  // sorted by key, as `expect`
    if (k != expect[i].first || v != expect[i].second) return false;
    ++i;
  }
  return true;
}

}  // namespace ovnx::northd
