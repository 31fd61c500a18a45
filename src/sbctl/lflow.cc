// lflow-list (dump-flows) and count-flows, in ovn-sbctl's format and order: per datapath (by
// name) and pipeline (ingress first), flows by table, descending priority, match, actions.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "ctl/lookup.h"
#include "ovsdb/client/sb.h"
#include "sbctl/sbctl.h"

namespace ovnx::sbctl {

namespace {

using ctl::Context;

struct Entry {
  const sb::DatapathBinding* dp;
  const sb::LogicalFlow* flow;
};

std::string_view ext(const sb::DatapathBinding* dp, std::string_view key) {
  return dp->external_ids().get_or(key, "");
}

// "name" aka "name2", as ovn-sbctl names datapaths.
std::string datapath_title(const sb::DatapathBinding* dp) {
  std::string_view name = ext(dp, "name"), name2 = ext(dp, "name2");
  std::string out;
  if (!name.empty()) out = fmt::format("\"{}\"", name);
  if (!name2.empty()) out += fmt::format("{}\"{}\"", out.empty() ? "" : " aka ", name2);
  return out;
}

int pipeline_rank(const sb::LogicalFlow* f) { return f->pipeline() == "ingress" ? 0 : 1; }

bool entry_less(const Entry& a, const Entry& b) {
  auto key = [](const Entry& e) {
    return std::make_tuple(ext(e.dp, "name"), ext(e.dp, "name2"), e.dp->uuid(),
                           pipeline_rank(e.flow), e.flow->table_id(), -e.flow->priority(),
                           std::string_view(e.flow->match()), std::string_view(e.flow->actions()),
                           e.flow->uuid());
  };
  return key(a) < key(b);
}

// A logical flow given as a UUID prefix (optionally "0x"-prefixed) that some UUID could have.
bool valid_uuid_prefix(std::string_view s) {
  if (s.empty() || s.size() > 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string strip_0x(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every (datapath, flow) pair, for DATAPATH only if given, sorted.
std::vector<Entry> collect(Context& ctx, const sb::DatapathBinding* datapath) {
  std::vector<Entry> out;
  auto& txn = ctx.txn();
  for (const sb::LogicalFlow* f : sb::LogicalFlow::rows(txn)) {
    std::vector<const sb::DatapathBinding*> dps;
    if (const sb::DatapathBinding* dp = f->logical_datapath()) dps.push_back(dp);
    if (const sb::LogicalDPGroup* g = f->logical_dp_group()) {
      for (const sb::DatapathBinding* dp : g->datapaths()) dps.push_back(dp);
    }
    for (const sb::DatapathBinding* dp : dps) {
      if (!datapath || dp->uuid() == datapath->uuid()) out.push_back({dp, f});
    }
  }
  std::sort(out.begin(), out.end(), entry_less);
  return out;
}

// The optional DATAPATH argument (by the Datapath_Binding record names); ARG_INDEX is moved
// past it if it named one.
Result<const sb::DatapathBinding*> datapath_arg(Context& ctx, size_t* arg_index) {
  if (ctx.args().size() <= *arg_index) return static_cast<const sb::DatapathBinding*>(nullptr);
  OVNX_ASSIGN_OR_RETURN(const ovsdb::client::Row* row,
                        ctx.row(sb::DatapathBinding::binding_table(), ctx.args()[*arg_index],
                                /*must_exist=*/false));
  if (row) ++*arg_index;
  return static_cast<const sb::DatapathBinding*>(row);
}

std::string stage(const sb::LogicalFlow* f) {
  return std::string(f->external_ids().get_or("stage-name", ""));
}

Status cmd_lflow_list(Context& ctx) {
  size_t next = 1;
  OVNX_ASSIGN_OR_RETURN(const sb::DatapathBinding* datapath, datapath_arg(ctx, &next));
  std::vector<std::string> prefixes;
  for (; next < ctx.args().size(); ++next) {
    std::string p = strip_0x(ctx.args()[next]);
    if (!valid_uuid_prefix(p)) {
      return make_error(
          fmt::format("{} is not a UUID or the beginning of a UUID", ctx.args()[next]));
    }
    prefixes.push_back(p);
  }
  bool with_uuid = ctx.has_option("--uuid");
  std::string& out = ctx.output();
  const sb::DatapathBinding* cur_dp = nullptr;
  int cur_pipeline = -1;
  for (const Entry& e : collect(ctx, datapath)) {
    if (!prefixes.empty()) {
      std::string u = e.flow->uuid().to_string();
      bool hit = false;
      for (const std::string& p : prefixes) hit |= u.compare(0, p.size(), p) == 0;
      if (!hit) continue;
    }
    if (e.dp != cur_dp || pipeline_rank(e.flow) != cur_pipeline) {
      cur_dp = e.dp;
      cur_pipeline = pipeline_rank(e.flow);
      out += fmt::format("Datapath: {} ({})  Pipeline: {}\n", datapath_title(e.dp),
                         e.dp->uuid().to_string(), e.flow->pipeline());
    }
    out += "  ";
    if (with_uuid) out += fmt::format("uuid=0x{:08x}, ", e.flow->uuid().prefix32());
    out += fmt::format("table={:<2}({:<19}), priority={:<5}, match=({}), action=({})\n",
                       e.flow->table_id(), stage(e.flow), e.flow->priority(), e.flow->match(),
                       e.flow->actions());
  }
  return {};
}

Status cmd_count_flows(Context& ctx) {
  size_t next = 1;
  OVNX_ASSIGN_OR_RETURN(const sb::DatapathBinding* datapath, datapath_arg(ctx, &next));
  if (next < ctx.args().size()) {
    return make_error(fmt::format("{} is not a UUID or the beginning of a UUID", ctx.args()[next]));
  }
  std::vector<Entry> entries = collect(ctx, datapath);
  std::string& out = ctx.output();
  size_t i = 0;
  while (i < entries.size()) {
    const sb::DatapathBinding* dp = entries[i].dp;
    int pipeline = pipeline_rank(entries[i].flow);
    std::string title = fmt::format("{} ({})", datapath_title(dp), dp->uuid().to_string());
    out += fmt::format("Datapath: {}  Pipeline: {}\n", title, entries[i].flow->pipeline());
    std::map<int64_t, std::pair<std::string, size_t>> tables;
    size_t n = 0;
    for (; i < entries.size() && entries[i].dp == dp && pipeline_rank(entries[i].flow) == pipeline;
         ++i, ++n) {
      auto& t = tables[entries[i].flow->table_id()];
      if (t.second++ == 0) t.first = stage(entries[i].flow);
    }
    for (const auto& [table, info] : tables) {
      out += fmt::format("  table={:<2}({:<19}) lflows={}\n", table, info.first, info.second);
    }
    out += fmt::format("Total number of logical flows in the datapath {} Pipeline: {} = {}\n\n",
                       title, pipeline == 0 ? "ingress" : "egress", n);
  }
  out += fmt::format("Total number of logical flows = {}\n", entries.size());
  return {};
}

void lflow_prereqs(Context& ctx) {
  ctx.monitor(sb::LogicalFlow::binding_table());
  ctx.monitor(sb::DatapathBinding::binding_table());
  ctx.monitor(sb::LogicalDPGroup::binding_table());
}

}  // namespace

std::vector<ctl::CommandSpec> lflow_commands() {
  constexpr int kMany = ctl::CommandSpec::kUnlimited;
  return {
      {"lflow-list", "[DATAPATH] [LFLOW...]", 0, kMany, "--uuid", lflow_prereqs, cmd_lflow_list,
       nullptr},
      {"dump-flows", "[DATAPATH] [LFLOW...]", 0, kMany, "--uuid", lflow_prereqs, cmd_lflow_list,
       nullptr},
      {"count-flows", "[DATAPATH]", 0, 1, "", lflow_prereqs, cmd_count_flows, nullptr},
  };
}

}  // namespace ovnx::sbctl
