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
  dp_rows_.clear();
  touched_.clear();
  rebuilt_ = true;

  std::vector<std::vector<size_t>> hashes(per_dp.size());
  parallel_for(per_dp.size(), threads, [&](size_t i) {
    hashes[i].reserve(per_dp[i].flows.size());
    for (const Lflow& f : per_dp[i].flows) hashes[i].push_back(lflow_hash(f));
  });
  // Each shard owns the rows whose hash maps to it, so shards fill in parallel; each also
  // notes which rows each datapath reached.
  std::vector<std::vector<std::pair<size_t, Row*>>> reached(kShards);
  parallel_for(kShards, threads, [&](size_t si) {
    Shard& shard = *shards_[si];
    for (size_t d = 0; d < per_dp.size(); ++d) {
      const Uuid& dp = per_dp[d].datapath;
      auto& flows = per_dp[d].flows;
      for (size_t i = 0; i < flows.size(); ++i) {
        size_t h = hashes[d][i];
        if (((h >> 40) & (kShards - 1)) != si) continue;
        Lflow& f = flows[i];
        bool created = false;
        Row* row = find_or_create(shard, f, h, &created);
        if (!created && row->contribs.back().datapath == dp) continue;  // duplicate in dp
        row->contribs.push_back(
            Contribution{dp, f.hint, std::move(f.io_port), basename_of(f.file), f.line});
        reached[si].emplace_back(d, row);
      }
    }
  });
  for (auto& r : reached) {
    for (auto& [d, row] : r) dp_rows_[per_dp[d].datapath].push_back(row);
  }
}

void LflowTable::set_datapath_flows(const Uuid& dp, std::vector<Lflow>&& flows) {
  std::vector<Row*> old;
  if (auto it = dp_rows_.find(dp); it != dp_rows_.end()) old = std::move(it->second);
  std::unordered_map<Row*, bool> seen;  // rows this call reached
  seen.reserve(flows.size());
  std::vector<Row*> now;
  now.reserve(flows.size());
  for (Lflow& f : flows) {
    size_t h = lflow_hash(f);
    bool created = false;
    Contribution c{dp, f.hint, f.io_port, basename_of(f.file), f.line};
    Row* row = find_or_create(shard_of(h), f, h, &created);
    if (!seen.emplace(row, true).second) continue;  // duplicate within this datapath
    now.push_back(row);
    auto ci = std::find_if(row->contribs.begin(), row->contribs.end(),
                           [&](const Contribution& x) { return x.datapath == dp; });
    if (ci == row->contribs.end()) {
      row->contribs.push_back(std::move(c));
      touched_.push_back(row->id);
    } else if (!(*ci == c)) {
      *ci = std::move(c);
      touched_.push_back(row->id);
    }
  }
  for (Row* row : old) {
    if (seen.count(row)) continue;
    auto ci = std::find_if(row->contribs.begin(), row->contribs.end(),
                           [&](const Contribution& x) { return x.datapath == dp; });
    if (ci != row->contribs.end()) row->contribs.erase(ci);
    touched_.push_back(row->id);
    if (row->contribs.empty()) erase_row(row);
  }
  if (now.empty()) {
    dp_rows_.erase(dp);
  } else {
    dp_rows_[dp] = std::move(now);
  }
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
  const Contribution* first = &contribs[0];
  Uuid hint;
  out.datapaths.reserve(contribs.size());
  for (const Contribution& c : contribs) {
    out.datapaths.push_back(c.datapath);
    if (c.datapath < first->datapath) first = &c;
    if (!c.hint.is_zero() && (hint.is_zero() || c.hint < hint)) hint = c.hint;
  }
  std::sort(out.datapaths.begin(), out.datapaths.end());
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
