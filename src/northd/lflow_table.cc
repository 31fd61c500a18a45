#include "northd/lflow_table.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <boost/unordered/unordered_flat_set.hpp>

#include "northd/thread_pool.h"

namespace ovnx::northd {
namespace {

constexpr size_t kShardBits = 6;
constexpr size_t kShards = size_t{1} << kShardBits;

// What identifies a row: stage, priority, match, actions and meter.
bool same_key(const LflowTable::Row& r, const Lflow& f, size_t hash) {
  return r.hash == hash && r.stage == f.stage && r.priority == f.priority && r.match == f.match &&
         r.actions == f.actions && r.ctrl_meter == f.ctrl_meter;
}

// The contribution of (dp, group) in a row's sorted contributions, or where it would go.
using Contributions = std::pmr::vector<LflowTable::Contribution>;

Contributions::iterator find_contribution(
    Contributions& contribs, const Uuid& dp, const Uuid& group) {
  return std::lower_bound(contribs.begin(), contribs.end(), std::pair{dp, group},
                          [](const LflowTable::Contribution& c, const std::pair<Uuid, Uuid>& k) {
                            return c.datapath < k.first ||
                                   (c.datapath == k.first && c.group < k.second);
                          });
}

bool is_at(Contributions::iterator it, const Contributions& contribs, const Uuid& dp,
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

// The rows whose hash maps to one shard, in the shard's pool: found by key through a hash set
// of rows looked up by flow, and by id through a slot number (with a generation, so an id is
// never reused).
struct LflowTable::Shard {
  explicit Shard(size_t i) : index(i) {}
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;
  // Rows need no destructor call: all they hold is in `pool`, released as a whole.

  // A flow being looked up, with its hash.
  struct FlowKey {
    const Lflow& flow;
    size_t hash;
  };
  // Rows hash by their stored hash; a flow finds the row with its key. Distinct rows never
  // have the same key, so rows compare by address.
  struct RowHash {
    using is_transparent = void;
    size_t operator()(const Row* r) const { return r->hash; }
    size_t operator()(const FlowKey& k) const { return k.hash; }
  };
  struct RowEqual {
    using is_transparent = void;
    bool operator()(const Row* a, const Row* b) const { return a == b; }
    bool operator()(const FlowKey& k, const Row* r) const { return same_key(*r, k.flow, k.hash); }
    bool operator()(const Row* r, const FlowKey& k) const { return same_key(*r, k.flow, k.hash); }
  };

  size_t index;
  std::pmr::unsynchronized_pool_resource pool;
  boost::unordered_flat_set<Row*, RowHash, RowEqual> by_key;
  std::vector<Row*> slots;  // by slot number; nullptr: free
  std::vector<uint32_t> generation;
  std::vector<uint32_t> free_slots;

  std::string_view copy_text(std::string_view text) {
    if (text.empty()) return {};
    char* p = static_cast<char*>(pool.allocate(text.size(), 1));
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
  }
  void free_text(std::string_view text) {
    if (!text.empty()) pool.deallocate(const_cast<char*>(text.data()), text.size(), 1);
  }

  void reserve(size_t rows) {
    by_key.reserve(rows);
    slots.reserve(rows);
    generation.reserve(rows);
  }

  Row* find(const Lflow& f, size_t hash) const {
    auto it = by_key.find(FlowKey{f, hash});
    return it == by_key.end() ? nullptr : *it;
  }

  Row* create(const Lflow& f, size_t hash) {
    Row* row = std::pmr::polymorphic_allocator<Row>(&pool).new_object<Row>(&pool);
    row->stage = f.stage;
    row->priority = f.priority;
    row->hash = hash;
    // match, actions and meter in one block.
    const size_t total = f.match.size() + f.actions.size() + f.ctrl_meter.size();
    if (total) {
      char* p = static_cast<char*>(pool.allocate(total, 1));
      auto put = [&p](std::string_view text) {
        if (!text.empty()) std::memcpy(p, text.data(), text.size());
        std::string_view placed(p, text.size());
        p += text.size();
        return placed;
      };
      row->match = put(f.match);
      row->actions = put(f.actions);
      row->ctrl_meter = put(f.ctrl_meter);
    }
    uint32_t slot;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
      slots[slot] = row;
    } else {
      slot = static_cast<uint32_t>(slots.size());
      slots.push_back(row);
      generation.push_back(1);
    }
    row->id = ((uint64_t{generation[slot]} << 32 | slot) << kShardBits) | index;
    by_key.insert(row);
    return row;
  }

  Row* by_id(uint64_t id) const {
    const uint64_t slot = (id >> kShardBits) & 0xffffffffu;
    if (slot >= slots.size() || !slots[slot] || slots[slot]->id != id) return nullptr;
    return slots[slot];
  }

  void erase(Row* row) {
    by_key.erase(row);
    const uint32_t slot = static_cast<uint32_t>((row->id >> kShardBits) & 0xffffffffu);
    slots[slot] = nullptr;
    generation[slot] = (generation[slot] + 1) & 0x3ffffffu;  // ids keep 26 bits of it
    if (generation[slot] == 0) generation[slot] = 1;
    free_slots.push_back(slot);
    for (const Contribution& c : row->contribs) free_text(c.io_port);
    const size_t total = row->match.size() + row->actions.size() + row->ctrl_meter.size();
    if (total) pool.deallocate(const_cast<char*>(row->match.data()), total, 1);
    std::pmr::polymorphic_allocator<Row>(&pool).delete_object(row);
  }
};

LflowTable::LflowTable() { reset_shards(); }

LflowTable::~LflowTable() = default;

void LflowTable::reset_shards() {
  shards_.clear();
  for (size_t i = 0; i < kShards; ++i) shards_.push_back(std::make_unique<Shard>(i));
}

LflowTable::Shard& LflowTable::shard_of(size_t hash) {
  // The low bits index the shard's rows; shard on high bits.
  return *shards_[(hash >> 40) & (kShards - 1)];
}

LflowTable::Row* LflowTable::find_or_create(Shard& shard, const Lflow& f, size_t hash,
                                            bool* created) {
  if (Row* row = shard.find(f, hash)) {
    *created = false;
    return row;
  }
  *created = true;
  return shard.create(f, hash);
}

size_t LflowTable::size() const {
  size_t n = 0;
  for (const auto& s : shards_) n += s->by_key.size();
  return n;
}

void LflowTable::for_each_row(const std::function<void(const Row&)>& fn) const {
  for (const auto& s : shards_) {
    for (const Row* row : s->slots) {
      if (row) fn(*row);
    }
  }
}

const LflowTable::Row* LflowTable::find(uint64_t id) const {
  return shards_[id & (kShards - 1)]->by_id(id);
}

void LflowTable::erase_row(Row* row) { shard_of(row->hash).erase(row); }

void LflowTable::rebuild(std::vector<DatapathFlows>&& per_dp, unsigned threads) {
  reset_shards();
  groups_.clear();
  touched_.clear();
  rebuilt_ = true;

  // Bucket the flows by shard once; each shard then owns the rows whose hash maps to it and
  // fills in parallel, noting which rows each (datapath, group) reached.
  struct Ref {
    uint32_t dp;
    uint32_t flow;
    size_t hash;
  };
  // Hashing reads all the text: in parallel, by datapath.
  std::vector<std::vector<size_t>> hashes(per_dp.size());
  parallel_for(per_dp.size(), threads, [&](size_t d) {
    const auto& flows = per_dp[d].flows;
    hashes[d].resize(flows.size());
    for (size_t i = 0; i < flows.size(); ++i) hashes[d][i] = lflow_hash(flows[i]);
  });
  std::vector<std::vector<Ref>> buckets(kShards);
  size_t total = 0;
  for (const auto& d : per_dp) total += d.flows.size();
  // Hashes spread evenly over shards; a little slack avoids most regrowth.
  for (auto& b : buckets) b.reserve(total / kShards + total / kShards / 8 + 16);
  for (size_t d = 0; d < per_dp.size(); ++d) {
    const std::vector<size_t>& hs = hashes[d];
    for (size_t i = 0; i < hs.size(); ++i) {
      buckets[(hs[i] >> 40) & (kShards - 1)].push_back(
          Ref{static_cast<uint32_t>(d), static_cast<uint32_t>(i), hs[i]});
    }
  }
  hashes = {};
  // The row each flow reached (null: a duplicate), written by the flow's shard only.
  std::vector<std::vector<Row*>> row_of(per_dp.size());
  for (size_t d = 0; d < per_dp.size(); ++d) row_of[d].assign(per_dp[d].flows.size(), nullptr);
  parallel_for(kShards, threads, [&](size_t si) {
    Shard& shard = *shards_[si];
    shard.reserve(buckets[si].size());
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
      row->contribs.push_back(Contribution{dp, f.group, f.hint, shard.copy_text(f.io_port),
                                           basename_of(f.file), f.line});
      row_of[ref.dp][ref.flow] = row;
    }
    for (Row* row : shard.slots) std::sort(row->contribs.begin(), row->contribs.end());
  });
  // Each datapath's groups, in parallel. In a datapath's own order a group's flows come
  // together (a port's flows, a switch's defaults), so a group is looked up once per run of its
  // flows, not once per flow.
  std::vector<GroupRows> dp_groups(per_dp.size());
  parallel_for(per_dp.size(), threads, [&](size_t d) {
    const auto& flows = per_dp[d].flows;
    GroupRows& groups = dp_groups[d];
    std::vector<Row*>* rows = nullptr;
    const Uuid* last = nullptr;
    for (size_t i = 0; i < flows.size(); ++i) {
      Row* row = row_of[d][i];
      if (!row) continue;
      if (!last || flows[i].group != *last) {
        rows = &groups[flows[i].group];
        last = &flows[i].group;
      }
      rows->push_back(row);
    }
  });
  groups_.reserve(per_dp.size());
  for (size_t d = 0; d < per_dp.size(); ++d) {
    if (dp_groups[d].empty()) continue;
    auto [it, inserted] = groups_.try_emplace(per_dp[d].datapath, std::move(dp_groups[d]));
    if (inserted) continue;
    // The same datapath twice (not from the compiler, but allowed): its groups together.
    for (auto& [group, rows] : dp_groups[d]) {
      auto& into = it->second[group];
      into.insert(into.end(), rows.begin(), rows.end());
    }
  }
}

void LflowTable::set_datapath_flows(const Uuid& dp, std::vector<Lflow>&& flows) {
  std::vector<Uuid> groups;
  if (auto it = groups_.find(dp); it != groups_.end()) {
    groups.reserve(it->second.size() + flows.size());
    for (const auto& [group, rows] : it->second) groups.push_back(group);
  }
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
    const std::string_view io_port = f.io_port;
    Shard& shard = shard_of(h);
    Row* row = find_or_create(shard, f, h, &created);
    auto ci = find_contribution(row->contribs, dp, group);
    if (!is_at(ci, row->contribs, dp, group)) {
      ci = row->contribs.insert(
          ci, Contribution{dp, group, hint, shard.copy_text(io_port), file, line});
      touched_.push_back(row->id);
    } else if (ci->pass == pass) {
      continue;  // the same flow twice from one group: once is enough
    } else if (ci->hint != hint || ci->io_port != io_port || ci->file != file || ci->line != line) {
      ci->hint = hint;
      if (ci->io_port != io_port) {
        shard.free_text(ci->io_port);
        ci->io_port = shard.copy_text(io_port);
      }
      ci->file = file;
      ci->line = line;
      touched_.push_back(row->id);
    }
    ci->pass = pass;
    rows_of(group).push_back(row);
  }
  GroupRows& dp_groups = groups_[dp];
  for (const Uuid& g : groups) {
    auto it = dp_groups.find(g);
    if (it != dp_groups.end()) {
      for (Row* row : it->second) {
        auto ci = find_contribution(row->contribs, dp, g);
        if (!is_at(ci, row->contribs, dp, g) || ci->pass == pass) continue;
        shard_of(row->hash).free_text(ci->io_port);
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
      if (it != dp_groups.end()) dp_groups.erase(it);
    } else if (it != dp_groups.end()) {
      it->second = std::move(*reached);
    } else {
      dp_groups.emplace(g, std::move(*reached));
    }
  }
  if (dp_groups.empty()) groups_.erase(dp);
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
  out.match = std::string(match);
  out.actions = std::string(actions);
  out.stage_name = si.name.data();
  out.stage_hint = hint;
  out.source_file = first->file;
  out.source_line = first->line;
  out.io_port = std::string(first->io_port);
  if (!ctrl_meter.empty()) out.controller_meter = std::string(ctrl_meter);
  return out;
}

}  // namespace ovnx::northd
