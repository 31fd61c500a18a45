// The logical flows of all datapaths, merged into SB rows (one row per distinct stage,
// priority, match, actions and controller meter, with the set of datapaths that have it), and
// kept up to date datapath by datapath.
//
// Each row has a stable id for as long as it exists, so a writer can remember which SB row it
// became. Every change of a row (created, deleted, datapath set or external_ids changed) is
// recorded as "touched" until take_touched(); touched ids that no longer exist were deleted.
//
// Rows, their text and their contributions live in per-shard memory pools (std::pmr), so a
// build makes no call to the global allocator per row and dropping the table releases a few
// large blocks instead of millions of small ones.
//
// Not thread-safe, except rebuild(), which parallelizes internally.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "northd/lflow.h"
#include "northd/sb.h"

namespace ovnx::northd {

class LflowTable {
 public:
  // What one group of flows of one datapath contributes to a row.
  struct Contribution {
    Uuid datapath;
    Uuid group;
    Uuid hint;
    std::string_view io_port;  // text in the table's pool
    const char* file = nullptr;
    uint32_t line = 0;
    uint64_t pass = 0;  // the replace() that last reached it (bookkeeping, not content)
    bool operator==(const Contribution& o) const {
      return datapath == o.datapath && group == o.group && hint == o.hint &&
             io_port == o.io_port &&
             file == o.file && line == o.line;
    }
    // Contributions of a row are sorted by (datapath, group), so finding one is a binary search
    // even in a row that hundreds of datapaths share.
    bool operator<(const Contribution& o) const {
      return datapath < o.datapath || (datapath == o.datapath && group < o.group);
    }
  };
  struct Row {
    explicit Row(std::pmr::memory_resource* pool) : contribs(pool) {}
    uint64_t id = 0;
    Stage stage{};
    uint16_t priority = 0;
    // One block of text in the table's pool.
    std::string_view match;
    std::string_view actions;
    std::string_view ctrl_meter;
    size_t hash = 0;
    // One per (datapath, group), sorted by them.
    std::pmr::vector<Contribution> contribs;
    // The SB row: datapaths sorted; stage hint the smallest one; io_port and source from the
    // contribution of the smallest datapath UUID.
    sb::LogicalFlow to_sb() const;
  };

  LflowTable();
  ~LflowTable();
  LflowTable(const LflowTable&) = delete;
  LflowTable& operator=(const LflowTable&) = delete;

  // Replaces everything with these flows (consumed), building rows in parallel.
  void rebuild(std::vector<DatapathFlows>&& per_dp, unsigned threads);
  // Replaces all flows of one datapath (an empty vector removes it).
  void set_datapath_flows(const Uuid& dp, std::vector<Lflow>&& flows);
  void remove_datapath(const Uuid& dp) { set_datapath_flows(dp, {}); }
  // Replaces the flows of the given groups of one datapath with `flows` (whose groups must be
  // among them), leaving its other groups alone.
  void set_group_flows(const Uuid& dp, const std::vector<Uuid>& groups, std::vector<Lflow>&& flows);

  size_t size() const;
  const Row* find(uint64_t id) const;
  template <class F>
  void for_each(F&& fn) const {
    for_each_row([&](const Row& r) { fn(r); });
  }
  // Ids changed since the last call (sorted, unique), and whether everything changed (after a
  // rebuild, when ids are new).
  std::vector<uint64_t> take_touched();
  bool take_rebuilt();

 private:
  struct Shard;
  Row* find_or_create(Shard& shard, const Lflow& flow, size_t hash, bool* created);
  void erase_row(Row* row);
  Shard& shard_of(size_t hash);
  void reset_shards();

  void for_each_row(const std::function<void(const Row&)>& fn) const;
  void replace(const Uuid& dp, const std::vector<Uuid>& groups, std::vector<Lflow>&& flows);

  std::vector<std::unique_ptr<Shard>> shards_;
  // The rows each group of each datapath reached: datapath -> group -> rows.
  using GroupRows = std::unordered_map<Uuid, std::vector<Row*>>;
  std::unordered_map<Uuid, GroupRows> groups_;
  std::vector<uint64_t> touched_;
  bool rebuilt_ = false;
  uint64_t pass_ = 0;  // counts replace() calls
};

// The identity hash of a flow (stage, priority, match, actions, meter).
size_t lflow_hash(const Lflow& f);

}  // namespace ovnx::northd
