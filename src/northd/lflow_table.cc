#include "northd/lflow_table.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "northd/thread_pool.h"

namespace ovnx::northd {
namespace {

constexpr size_t kShardBits = 6;
constexpr size_t kShards = size_t{1} << kShardBits;

struct Key {
  Stage stage;
  uint16_t priority;
  std::string_view match;
  std::string_view actions;
  std::string_view meter;
  size_t hash;
  bool operator==(const Key& o) const {
    return hash == o.hash && stage == o.stage && priority == o.priority && match == o.match &&
           actions == o.actions && meter == o.meter;
  }
};
struct KeyHash {
  size_t operator()(const Key& k) const { return k.hash; }
};

Key key_of(const Lflow& f, size_t hash) {
  return Key{f.stage, f.priority, f.match, f.actions, f.ctrl_meter, hash};
}
Key key_of(const LflowTable::Row& r) {
  return Key{r.stage, r.priority, r.match, r.actions, r.ctrl_meter, r.hash};
}

// The contribution of (dp, group) in a row's sorted contributions, or where it would go.
std::vector<LflowTable::Contribution>::iterator find_contribution(
    std::vector<LflowTable::Contribution>& contribs, const Uuid& dp, const Uuid& group) {
  return std::lower_bound(contribs.begin(), contribs.end(), std::pair{dp, group},
                          [](const LflowTable::Contribution& c, const std::pair<Uuid, Uuid>& k) {
                            return c.datapath < k.first ||
                                   (c.datapath == k.first && c.group < k.second);
                          });
}

bool is_at(std::vector<LflowTable::Contribution>::iterator it,
           const std::vector<LflowTable::Contribution>& contribs, const Uuid& dp,
           const Uuid& group) {
  return it != contribs.end() && it->datapath == dp && it->group == group;
}

const char* basename_of(const char* path) {
  if (!path) return nullptr;
  const char* base = std::strrchr(path, '/');
  return base ? base + 1 : path;
}

}  // namespace

size_t lflow_hash(const Lflow& f) {
  size_t h = std::hash<std::string_view>{}(f.match);
  h = h * 0x9e3779b97f4a7c15ULL + std::hash<std::string_view>{}(f.actions);
  if (!f.ctrl_meter.empty()) h = h * 31 + std::hash<std::string_view>{}(f.ctrl_meter);
  h = h * 31 + (static_cast<size_t>(f.stage) << 16 | f.priority);
  return h;
}

struct LflowTable::Shard {
  size_t index = 0;
  uint64_t next_id = 1;
  std::unordered_map<Key, std::unique_ptr<Row>, KeyHash> rows;
  std::unordered_map<uint64_t, Row*> by_id;
};

LflowTable::LflowTable() {
  for (size_t i = 0; i < kShards; ++i) {
    shards_.push_back(std::make_unique<Shard>());
    shards_.back()->index = i;
  }
}

LflowTable::~LflowTable() = default;

LflowTable::Shard& LflowTable::shard_of(size_t hash) {
  // The low bits feed unordered_map buckets; shard on high bits.
  return *shards_[(hash >> 40) & (kShards - 1)];
}

LflowTable::Row* LflowTable::find_or_create(Shard& shard, Lflow& f, size_t hash, bool* created) {
  auto it = shard.rows.find(key_of(f, hash));
  if (it != shard.rows.end()) {
    *created = false;
    return it->second.get();
  }
  auto row = std::make_unique<Row>();
  row->id = (shard.next_id++ << kShardBits) | shard.index;
  row->stage = f.stage;
  row->priority = f.priority;
  row->match = std::move(f.match);
  row->actions = std::move(f.actions);
  row->ctrl_meter = std::move(f.ctrl_meter);
  row->hash = hash;
  Row* raw = row.get();
  shard.rows.emplace(key_of(*raw), std::move(row));
  shard.by_id.emplace(raw->id, raw);
  *created = true;
  return raw;
}

size_t LflowTable::size() const {
  size_t n = 0;
  for (const auto& s : shards_) n += s->rows.size();
  return n;
}

void LflowTable::for_each_row(const std::function<void(const Row&)>& fn) const {
  for (const auto& s : shards_) {
    for (const auto& [key, row] : s->rows) fn(*row);
  }
}

const LflowTable::Row* LflowTable::find(uint64_t id) const {
  const Shard& s = *shards_[id & (kShards - 1)];
  auto it = s.by_id.find(id);
  return it == s.by_id.end() ? nullptr : it->second;
}

void LflowTable::erase_row(Row* row) {
  Shard& s = shard_of(row->hash);
  s.by_id.erase(row->id);
  s.rows.erase(key_of(*row));  // frees the row
}

void LflowTable::rebuild(std::vector<DatapathFlows>&& per_dp, unsigned threads) {
  for (auto& s : shards_) {
    s->rows.clear();
    s->by_id.clear();
  }
  group_rows_.clear();
  dp_groups_.clear();
  touched_.clear();
  rebuilt_ = true;

  // Bucket the flows by shard once; each shard then owns the rows whose hash maps to it and
  // fills in parallel, noting which rows each (datapath, group) reached.
  struct Ref {
    uint32_t dp;
    uint32_t flow;
    size_t hash;
  };
  std::vector<std::vector<Ref>> buckets(kShards);
  size_t total = 0;
  for (const auto& d : per_dp) total += d.flows.size();
  // Hashes spread evenly over shards; a little slack avoids most regrowth.
  for (auto& b : buckets) b.reserve(total / kShards + total / kShards / 8 + 16);
  for (size_t d = 0; d < per_dp.size(); ++d) {
    const auto& flows = per_dp[d].flows;
    for (size_t i = 0; i < flows.size(); ++i) {
      size_t h = lflow_hash(flows[i]);
      buckets[(h >> 40) & (kShards - 1)].push_back(
          Ref{static_cast<uint32_t>(d), static_cast<uint32_t>(i), h});
    }
  }
  // The row each flow reached (null: a duplicate), written by the flow's shard only.
  std::vector<std::vector<Row*>> row_of(per_dp.size());
  for (size_t d = 0; d < per_dp.size(); ++d) row_of[d].assign(per_dp[d].flows.size(), nullptr);
  parallel_for(kShards, threads, [&](size_t si) {
    Shard& shard = *shards_[si];
    for (const Ref& ref : buckets[si]) {
      const Uuid& dp = per_dp[ref.dp].datapath;
      Lflow& f = per_dp[ref.dp].flows[ref.flow];
      bool created = false;
      Row* row = find_or_create(shard, f, ref.hash, &created);
      if (!created) {
        // The same flow twice from one group: once is enough.
        bool dup = false;
        for (auto it = row->contribs.rbegin(); it != row->contribs.rend() && it->datapath == dp;
             ++it) {
          if (it->group == f.group) dup = true;
        }
        if (dup) continue;
      }
      row->contribs.push_back(Contribution{dp, f.group, f.hint, std::move(f.io_port),
                                           basename_of(f.file), f.line});
      row_of[ref.dp][ref.flow] = row;
    }
    for (auto& [key, row] : shard.rows) std::sort(row->contribs.begin(), row->contribs.end());
  });
  // In a datapath's own order a group's flows come together (a port's flows, a switch's
  // defaults), so a group is looked up once per run of its flows, not once per flow.
  for (size_t d = 0; d < per_dp.size(); ++d) {
    const Uuid& dp = per_dp[d].datapath;
    const auto& flows = per_dp[d].flows;
    std::vector<Row*>* rows = nullptr;
    const Uuid* last = nullptr;
    for (size_t i = 0; i < flows.size(); ++i) {
      Row* row = row_of[d][i];
      if (!row) continue;
      if (!last || flows[i].group != *last) {
        auto [it, inserted] = group_rows_.try_emplace(GroupKey{dp, flows[i].group});
        if (inserted) dp_groups_[dp].push_back(flows[i].group);
        rows = &it->second;
        last = &flows[i].group;
      }
      rows->push_back(row);
    }
  }
}

void LflowTable::set_datapath_flows(const Uuid& dp, std::vector<Lflow>&& flows) {
  std::vector<Uuid> groups;
  if (auto it = dp_groups_.find(dp); it != dp_groups_.end()) groups = it->second;
  for (const Lflow& f : flows) groups.push_back(f.group);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  replace(dp, groups, std::move(flows));
}

void LflowTable::set_group_flows(const Uuid& dp, const std::vector<Uuid>& groups,
                                 std::vector<Lflow>&& flows) {
  replace(dp, groups, std::move(flows));
}

void LflowTable::replace(const Uuid& dp, const std::vector<Uuid>& groups,
                         std::vector<Lflow>&& flows) {
  // Contributions this call reaches are marked with its pass; those of `groups` left unmarked
  // are gone.
  const uint64_t pass = ++pass_;
  std::vector<std::pair<Uuid, std::vector<Row*>>> now;  // rows reached, by group (few groups)
  auto rows_of = [&](const Uuid& g) -> std::vector<Row*>& {
    for (auto& [group, rows] : now) {
      if (group == g) return rows;
    }
    return now.emplace_back(g, std::vector<Row*>{}).second;
  };
  for (Lflow& f : flows) {
    size_t h = lflow_hash(f);
    bool created = false;
    const Uuid group = f.group;
    const Uuid hint = f.hint;
    const uint32_t line = f.line;
    const char* file = basename_of(f.file);
    std::string io_port = std::move(f.io_port);
    Row* row = find_or_create(shard_of(h), f, h, &created);
    auto ci = find_contribution(row->contribs, dp, group);
    if (!is_at(ci, row->contribs, dp, group)) {
      ci = row->contribs.insert(ci, Contribution{dp, group, hint, std::move(io_port), file, line});
      touched_.push_back(row->id);
    } else if (ci->pass == pass) {
      continue;  // the same flow twice from one group: once is enough
    } else if (ci->hint != hint || ci->io_port != io_port || ci->file != file || ci->line != line) {
      ci->hint = hint;
      ci->io_port = std::move(io_port);
      ci->file = file;
      ci->line = line;
      touched_.push_back(row->id);
    }
    ci->pass = pass;
    rows_of(group).push_back(row);
  }
  auto& dp_groups = dp_groups_[dp];
  for (const Uuid& g : groups) {
    auto it = group_rows_.find(GroupKey{dp, g});
    if (it != group_rows_.end()) {
      for (Row* row : it->second) {
        auto ci = find_contribution(row->contribs, dp, g);
        if (!is_at(ci, row->contribs, dp, g) || ci->pass == pass) continue;
        row->contribs.erase(ci);
        touched_.push_back(row->id);
        if (row->contribs.empty()) erase_row(row);
      }
    }
    std::vector<Row*>* reached = nullptr;
    for (auto& [group, rows] : now) {
      if (group == g) reached = &rows;
    }
    if (!reached) {
      if (it != group_rows_.end()) group_rows_.erase(it);
      std::erase(dp_groups, g);
    } else {
      if (it == group_rows_.end()) dp_groups.push_back(g);
      group_rows_[GroupKey{dp, g}] = std::move(*reached);
    }
  }
  if (dp_groups.empty()) dp_groups_.erase(dp);
}

std::vector<uint64_t> LflowTable::take_touched() {
  std::vector<uint64_t> out = std::move(touched_);
  touched_.clear();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool LflowTable::take_rebuilt() {
  bool r = rebuilt_;
  rebuilt_ = false;
  return r;
}

sb::LogicalFlow LflowTable::Row::to_sb() const {
  sb::LogicalFlow out;
  const Contribution* first = &contribs[0];  // of the smallest datapath (they are sorted)
  Uuid hint;
  out.datapaths.reserve(contribs.size());
  for (const Contribution& c : contribs) {
    if (out.datapaths.empty() || out.datapaths.back() != c.datapath) {
      out.datapaths.push_back(c.datapath);
    }
    if (!c.hint.is_zero() && (hint.is_zero() || c.hint < hint)) hint = c.hint;
  }
  const StageInfo& si = stage_info(stage);
  out.pipeline = si.pipeline;
  out.table_id = si.table;
  out.priority = priority;
  out.match = match;
  out.actions = actions;
  out.stage_name = si.name.data();
  out.stage_hint = hint;
  out.source_file = first->file;
  out.source_line = first->line;
  out.io_port = first->io_port;
  if (!ctrl_meter.empty()) out.controller_meter = ctrl_meter;
  return out;
}

}  // namespace ovnx::northd
