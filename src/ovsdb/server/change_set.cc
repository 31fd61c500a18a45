#include "ovsdb/server/change_set.h"

#include <map>

namespace ovnx::ovsdb::server {

size_t ChangeSet::n_rows() const {
  size_t n = 0;
  for (const TableChange& t : tables) n += t.rows.size();
  return n;
}

const TableChange* ChangeSet::find(size_t table_index) const {
  for (const TableChange& t : tables) {
    if (t.table->index() == table_index) return &t;
  }
  return nullptr;
}

ChangeSet merge_changes(const std::vector<ChangeSetPtr>& sets) {
  ChangeSet out;
  if (sets.empty()) return out;
  out.txn_id = sets.back()->txn_id;
  // table index -> (row uuid -> position in that table's rows)
  std::map<size_t, std::pair<const Table*, UuidMap<size_t>>> index;
  std::map<size_t, std::vector<RowChange>> rows;
  for (const ChangeSetPtr& set : sets) {
    for (const TableChange& tc : set->tables) {
      auto& [table, positions] = index[tc.table->index()];
      table = tc.table;
      std::vector<RowChange>& list = rows[tc.table->index()];
      for (const RowChange& rc : tc.rows) {
        auto it = positions.find(rc.uuid());
        if (it == positions.end()) {
          positions.emplace(rc.uuid(), list.size());
          list.push_back(rc);
          continue;
        }
        RowChange& m = list[it->second];
        m.new_row = rc.new_row;
        if (m.old_row && m.new_row) {
          // Recompute the difference between the first and last versions.
          m.changed.clear();
          const auto& a = m.old_row->columns;
          const auto& b = m.new_row->columns;
          for (size_t c = 0; c < a.size(); ++c) {
            if (a[c] != b[c]) m.changed.insert(c);
          }
        } else {
          m.changed.clear();
        }
      }
    }
  }
  for (auto& [ti, list] : rows) {
    TableChange tc;
    tc.table = index[ti].first;
    for (RowChange& rc : list) {
      // Inserted then deleted: nothing happened as far as a reader is concerned.
      if (!rc.old_row && !rc.new_row) continue;
      tc.rows.push_back(std::move(rc));
    }
    if (!tc.rows.empty()) out.tables.push_back(std::move(tc));
  }
  return out;
}

}  // namespace ovnx::ovsdb::server
