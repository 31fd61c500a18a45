#include "northd/lflow.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace ovnx::northd {

namespace {
// Most datapaths' flows take tens of kilobytes of text; the arena grows geometrically.
constexpr size_t kFirstTextBlock = 16 * 1024;
}  // namespace

FlowSink::FlowSink()
    : text_(std::make_unique<std::pmr::monotonic_buffer_resource>(kFirstTextBlock)) {}

std::string_view FlowSink::copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(text_->allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void FlowSink::keep_only(std::vector<Uuid> groups) {
  std::sort(groups.begin(), groups.end());
  keep_ = std::move(groups);
  filtered_ = true;
}

bool FlowSink::wants(const Uuid& group) const {
  return !filtered_ || std::binary_search(keep_.begin(), keep_.end(), group);
}

void FlowSink::add(Stage stage, uint16_t priority, std::string_view match,
                   std::string_view actions, const FlowOpts& opts, std::source_location where) {
  if (!wants(group_)) return;
  Lflow f;
  f.stage = stage;
  f.group = group_;
  f.priority = priority;
  f.match = copy(match);
  f.actions = copy(actions);
  f.hint = opts.hint;
  f.io_port = copy(opts.io_port);
  f.ctrl_meter = copy(opts.ctrl_meter);
  f.file = where.file_name();
  f.line = where.line();
  flows_.push_back(std::move(f));
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
