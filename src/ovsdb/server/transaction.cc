#include "ovsdb/server/transaction.h"

#include <algorithm>

#include <fmt/format.h>

namespace ovnx::ovsdb::server {

namespace {

bool is_bare_word(const std::string& s) {
  if (s.empty() || !(isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string atom_text(const Atom& a) {
  switch (a.type()) {
    case AtomicType::integer: return std::to_string(a.integer());
    case AtomicType::real: return fmt::format("{}", a.real());
    case AtomicType::boolean: return a.boolean() ? "true" : "false";
    case AtomicType::string:
      return is_bare_word(a.string()) ? a.string() : fmt::format("\"{}\"", a.string());
    case AtomicType::uuid: return a.uuid().to_string();
  }
  return "?";
}

// A datum as the real server prints it in messages: "a", "[a, b]", "{k=v}".
std::string datum_text(const Datum& d, const Type& type) {
  if (type.is_map()) {
    std::string s = "{";
    for (size_t i = 0; i < d.size(); ++i) {
      if (i) s += ", ";
      s += atom_text(d.key(i)) + "=" + atom_text(d.value(i));
    }
    return s + "}";
  }
  if (type.is_scalar() && d.size() == 1) return atom_text(d.key(0));
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) s += ", ";
    s += atom_text(d.key(i));
  }
  return s + "]";
}

// "a", "a and b", "a, b, and c".
std::string join_and(const std::vector<std::string>& items) {
  if (items.size() == 1) return items[0];
  if (items.size() == 2) return items[0] + " and " + items[1];
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    s += items[i];
    if (i + 2 < items.size()) s += ", ";
    if (i + 2 == items.size()) s += ", and ";
  }
  return s;
}

// Removes from column SPEC.column of ROW every reference whose target DEAD(uuid) says is gone.
// Returns the number of references removed.
template <class Dead>
size_t remove_refs(Row& row, const RefSpec& spec, Dead&& dead) {
  Datum& d = row.columns[spec.column];
  const std::vector<Atom>& refs = spec.in_values ? d.values() : d.keys();
  size_t n_dead = 0;
  for (const Atom& a : refs) n_dead += dead(a.uuid()) ? 1 : 0;
  if (!n_dead) return 0;
  Datum kept = d.is_map() ? Datum::empty_map() : Datum();
  for (size_t i = 0; i < d.size(); ++i) {
    if (dead(refs[i].uuid())) continue;
    if (d.is_map()) {
      kept.append_unchecked(d.key(i), d.value(i));
    } else {
      kept.append_unchecked(d.key(i));
    }
  }
  d = std::move(kept);
  return n_dead;
}

// Calls REMOVED(uuid) for each reference SPEC finds in OLD_ROW but not in NEW_ROW and ADDED(uuid)
// for each one in NEW_ROW but not in OLD_ROW (either row may be null). Keys are sorted and
// unique, so they merge in one pass; map values may repeat and are counted.
template <class Removed, class Added>
void diff_refs(const Row* old_row, const Row* new_row, const RefSpec& spec, Removed&& removed,
               Added&& added) {
  static const std::vector<Atom> kNone;
  const std::vector<Atom>& a = !old_row ? kNone
                               : spec.in_values ? old_row->columns[spec.column].values()
                                                : old_row->columns[spec.column].keys();
  const std::vector<Atom>& b = !new_row ? kNone
                               : spec.in_values ? new_row->columns[spec.column].values()
                                                : new_row->columns[spec.column].keys();
  auto merge = [&](const auto& x, const auto& y, auto get) {
    size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      if (j == y.size() || (i < x.size() && get(x[i]) < get(y[j]))) {
        removed(get(x[i++]));
      } else if (i == x.size() || get(y[j]) < get(x[i])) {
        added(get(y[j++]));
      } else {
        ++i;
        ++j;
      }
    }
  };
  if (!spec.in_values) {
    merge(a, b, [](const Atom& atom) -> const Uuid& { return atom.uuid(); });
    return;
  }
  std::vector<Uuid> x, y;
  x.reserve(a.size());
  y.reserve(b.size());
  for (const Atom& atom : a) x.push_back(atom.uuid());
  for (const Atom& atom : b) y.push_back(atom.uuid());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  merge(x, y, [](const Uuid& u) -> const Uuid& { return u; });
}

// Whether any weak reference column of ROW (in TABLE) refers to row TARGET of table DST.
bool refers_weakly(const Table& table, const Row& row, size_t dst, const Uuid& target) {
  for (const RefSpec& spec : table.weak_refs()) {
    if (spec.dst_table != dst) continue;
    const Datum& d = row.columns[spec.column];
    if (!spec.in_values) {
      if (d.contains(Atom(target))) return true;
      continue;
    }
    for (const Atom& a : d.values()) {
      if (a.uuid() == target) return true;
    }
  }
  return false;
}

}  // namespace

Transaction::Transaction(Database& db) : db_(db) {}

Transaction::TxnTable& Transaction::txn_table_for(size_t index) {
  if (index >= tables_.size()) tables_.resize(db_.n_tables());
  if (!tables_[index]) tables_[index] = std::make_unique<TxnTable>();
  return *tables_[index];
}

Transaction::TxnRow* Transaction::find_txn_row(size_t table, const Uuid& uuid) const {
  TxnTable* t = txn_table(table);
  if (!t) return nullptr;
  auto it = t->find(uuid);
  return it == t->end() ? nullptr : &it->second;
}

const Row* Transaction::get(const Table& table, const Uuid& uuid) const {
  if (const TxnRow* tr = find_txn_row(table.index(), uuid)) return tr->new_row.get();
  return table.find(uuid);
}

bool Transaction::inserted_here(const Table& table, const Uuid& uuid) const {
  const TxnRow* tr = find_txn_row(table.index(), uuid);
  return tr && !tr->old_row;
}

Status Transaction::insert(Table& table, Row row) {
  const Uuid uuid = row.uuid();
  if (find_txn_row(table.index(), uuid) || table.find(uuid)) {
    return make_error("duplicate uuid",
                      fmt::format("This UUID would duplicate a UUID already present within the "
                                  "table or deleted within the same transaction."));
  }
  TxnRow tr;
  tr.new_row = std::make_shared<Row>(std::move(row));
  txn_table_for(table.index()).emplace(uuid, std::move(tr));
  return {};
}

Transaction::TxnRow& Transaction::modify(Table& table, const Uuid& uuid) {
  TxnTable& t = txn_table_for(table.index());
  auto it = t.find(uuid);
  if (it != t.end()) return it->second;
  const Table::Entry* e = table.find_entry(uuid);
  TxnRow tr;
  tr.old_row = e->row;
  tr.new_row = std::make_shared<Row>(*e->row);
  return t.emplace(uuid, std::move(tr)).first->second;
}

void Transaction::erase(Table& table, const Uuid& uuid) {
  TxnTable& t = txn_table_for(table.index());
  auto it = t.find(uuid);
  if (it != t.end()) {
    it->second.new_row.reset();
    return;
  }
  TxnRow tr;
  tr.old_row = table.find_entry(uuid)->row;
  t.emplace(uuid, std::move(tr));
}

int Transaction::refs_after(size_t table, const Uuid& uuid) const {
  int n = 0;
  if (const Table::Entry* e = db_.table(table).find_entry(uuid)) n = static_cast<int>(e->n_refs);
  if (table < ref_delta_.size() && !ref_delta_[table].empty()) {
    auto it = ref_delta_[table].find(uuid);
    if (it != ref_delta_[table].end()) n += it->second;
  }
  return n;
}

Status Transaction::prepare() {
  OVNX_RETURN_IF_ERROR(drop_unchanged_rows());
  OVNX_RETURN_IF_ERROR(check_strong_refs_and_collect_garbage());
  OVNX_RETURN_IF_ERROR(remove_dangling_weak_refs());
  OVNX_RETURN_IF_ERROR(check_max_rows());
  OVNX_RETURN_IF_ERROR(check_indexes());
  build_changes();
  return {};
}

Status Transaction::drop_unchanged_rows() {
  for (auto& t : tables_) {
    if (!t) continue;
    for (auto it = t->begin(); it != t->end();) {
      TxnRow& tr = it->second;
      bool unchanged = false;
      if (tr.old_row && tr.new_row) {
        unchanged = true;
        tr.touched.for_each([&](size_t c) {
          if (unchanged && tr.old_row->columns[c] != tr.new_row->columns[c]) unchanged = false;
        });
      }
      it = unchanged ? t->erase(it) : std::next(it);
    }
  }
  return {};
}

Status Transaction::check_strong_refs_and_collect_garbage() {
  ref_delta_.clear();
  bool any_refs = false;
  for (size_t ti = 0; ti < tables_.size() && !any_refs; ++ti) {
    any_refs = tables_[ti] && (!db_.table(ti).strong_refs().empty() ||
                               !db_.table(ti).schema().is_root());
  }
  // Without reference columns or non-root tables involved there is nothing to count or
  // collect; deleted rows are still checked below against the committed counts.
  if (any_refs) OVNX_RETURN_IF_ERROR(count_refs_and_collect_garbage());
  return check_deleted_rows_unreferenced();
}

Status Transaction::count_refs_and_collect_garbage() {
  ref_delta_.resize(db_.n_tables());
  // Reference count changes implied by what operations wrote, and existence of new targets.
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    Table& table = db_.table(ti);
    if (table.strong_refs().empty()) continue;
    for (auto& [uuid, tr] : *tables_[ti]) {
      for (const RefSpec& spec : table.strong_refs()) {
        bool changed = !tr.old_row || !tr.new_row ||
                       (tr.touched.contains(spec.column) &&
                        tr.old_row->columns[spec.column] != tr.new_row->columns[spec.column]);
        if (!changed) continue;
        UuidMap<int>& delta = ref_delta_[spec.dst_table];
        const Table& dst = db_.table(spec.dst_table);
        const Uuid& row_uuid = uuid;  // (clang 14 cannot capture structured bindings)
        Status missing;
        diff_refs(
            tr.old_row.get(), tr.new_row.get(), spec, [&](const Uuid& u) { --delta[u]; },
            [&](const Uuid& u) {
              ++delta[u];
              if (missing.ok() && !get(dst, u)) {
                missing = make_error(
                    "referential integrity violation",
                    fmt::format("Table {} column {} row {} references nonexistent row {} in table "
                                "{}.",
                                table.name(), table.schema().column(spec.column).name,
                                row_uuid.to_string(), u.to_string(), dst.name()));
              }
            });
        OVNX_RETURN_IF_ERROR(missing);
      }
    }
  }

  // Garbage collection: a row of a non-root table with no strong reference left goes away,
  // which may in turn orphan the rows it referred to.
  std::vector<std::pair<size_t, Uuid>> work;
  for (size_t ti = 0; ti < db_.n_tables(); ++ti) {
    if (db_.table(ti).schema().is_root()) continue;
    if (TxnTable* t = txn_table(ti)) {
      for (const auto& [uuid, tr] : *t) {
        if (!tr.old_row && tr.new_row) work.emplace_back(ti, uuid);
      }
    }
    for (const auto& [uuid, d] : ref_delta_[ti]) {
      if (d < 0) work.emplace_back(ti, uuid);
    }
  }
  while (!work.empty()) {
    auto [ti, uuid] = work.back();
    work.pop_back();
    Table& table = db_.table(ti);
    if (table.schema().is_root()) continue;
    const Row* row = get(table, uuid);
    if (!row || refs_after(ti, uuid) > 0) continue;
    for (const RefSpec& spec : table.strong_refs()) {
      for_each_ref(*row, spec, [&](const Uuid& u) {
        --ref_delta_[spec.dst_table][u];
        work.emplace_back(spec.dst_table, u);
      });
    }
    erase(table, uuid);
  }

  return {};
}

Status Transaction::check_deleted_rows_unreferenced() const {
  // A deleted row must not remain strongly referenced.
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    for (const auto& [uuid, tr] : *tables_[ti]) {
      if (!tr.old_row || tr.new_row) continue;
      int n = refs_after(ti, uuid);
      if (n > 0) {
        return make_error("referential integrity violation",
                          fmt::format("cannot delete {} row {} because of {} remaining "
                                      "reference(s)",
                                      db_.table(ti).name(), uuid.to_string(), n));
      }
    }
  }
  return {};
}

Status Transaction::remove_dangling_weak_refs() {
  struct Removal {
    size_t table;
    Uuid row;
    size_t column;
    size_t count;
    bool zero_uuid;
  };
  std::vector<Removal> removals;

  // Rows that referred weakly to a row this transaction deletes lose that reference.
  std::vector<std::pair<size_t, Uuid>> deleted;
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    for (const auto& [uuid, tr] : *tables_[ti]) {
      if (tr.old_row && !tr.new_row) deleted.emplace_back(ti, uuid);
    }
  }
  for (const auto& dead : deleted) {
    const size_t ti = dead.first;
    const Uuid& dead_uuid = dead.second;
    const std::vector<Table::WeakReferrer>* referrers = db_.table(ti).weak_referrers(dead_uuid);
    if (!referrers) continue;
    std::vector<Table::WeakReferrer> copy = *referrers;
    for (const Table::WeakReferrer& r : copy) {
      Table& src = db_.table(r.table);
      if (!get(src, r.row)) continue;
      TxnRow* tr = nullptr;
      for (const RefSpec& spec : src.weak_refs()) {
        if (spec.dst_table != ti) continue;
        const Row* current = get(src, r.row);
        bool present = false;
        for_each_ref(*current, spec, [&](const Uuid& u) { present = present || u == dead_uuid; });
        if (!present) continue;
        if (!tr) tr = &modify(src, r.row);
        size_t n = remove_refs(*tr->new_row, spec, [&](const Uuid& u) { return u == dead_uuid; });
        tr->touched.insert(spec.column);
        removals.push_back({r.table, r.row, spec.column, n, false});
      }
    }
  }

  // New weak references (written by operations) to rows that do not exist are dropped. Only
  // references this transaction added need checking: older ones name rows that existed, and
  // the ones among those deleted now were handled above.
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    Table& table = db_.table(ti);
    if (table.weak_refs().empty()) continue;
    for (auto& [uuid, tr] : *tables_[ti]) {
      if (!tr.new_row) continue;
      for (const RefSpec& spec : table.weak_refs()) {
        if (tr.old_row && !tr.touched.contains(spec.column)) continue;
        const Table& dst = db_.table(spec.dst_table);
        std::vector<Uuid> dead;
        bool zero = false;
        diff_refs(
            tr.old_row.get(), tr.new_row.get(), spec, [](const Uuid&) {},
            [&](const Uuid& u) {
              if (get(dst, u)) return;
              zero = zero || u.is_zero();
              dead.push_back(u);
            });
        if (dead.empty()) continue;
        std::sort(dead.begin(), dead.end());
        size_t n = remove_refs(*tr.new_row, spec, [&](const Uuid& u) {
          return std::binary_search(dead.begin(), dead.end(), u);
        });
        tr.touched.insert(spec.column);
        removals.push_back({ti, uuid, spec.column, n, zero});
      }
    }
  }

  for (const Removal& r : removals) {
    const Table& table = db_.table(r.table);
    const ColumnSchema& col = table.schema().column(r.column);
    const Row* row = get(table, r.row);
    if (!row || row->columns[r.column].size() >= col.type.n_min) continue;
    std::string where = inserted_here(table, r.row) ? " (inserted within this transaction)" : "";
    if (r.zero_uuid) {
      return make_error(
          "constraint violation",
          fmt::format("Weak reference column \"{}\" in \"{}\" row {}{} contained all-zeros UUID "
                      "(probably as the default value for this column) but deleting this value "
                      "caused a constraint volation because this column is not allowed to be "
                      "empty.",
                      col.name, table.name(), r.row.to_string(), where));
    }
    return make_error(
        "constraint violation",
        fmt::format("Deletion of {} weak reference(s) to deleted (or never-existing) rows from "
                    "column \"{}\" in \"{}\" row {}{} caused this column to become empty, but "
                    "constraints on this column disallow an empty column.",
                    r.count, col.name, table.name(), r.row.to_string(), where));
  }
  return {};
}

Status Transaction::check_max_rows() const {
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    const Table& table = db_.table(ti);
    auto max = table.schema().max_rows();
    if (!max) continue;
    long n = static_cast<long>(table.size());
    for (const auto& [uuid, tr] : *tables_[ti]) {
      if (!tr.old_row && tr.new_row) ++n;
      if (tr.old_row && !tr.new_row) --n;
    }
    if (n > static_cast<long>(*max)) {
      return make_error("constraint violation",
                        fmt::format("transaction causes \"{}\" table to contain {} rows, greater "
                                    "than the schema-defined limit of {} row(s)",
                                    table.name(), n, *max));
    }
  }
  return {};
}

Status Transaction::check_indexes() const {
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    const Table& table = db_.table(ti);
    if (table.indexes().empty()) continue;
    for (const UniqueIndex& index : table.indexes()) {
      auto describe = [&](const Uuid& u, bool in_txn) -> std::string {
        const TxnRow* tr = find_txn_row(ti, u);
        if (!in_txn || !tr) {
          return "existed in the database before this transaction and was not modified by the "
                 "transaction";
        }
        return tr->old_row ? "was modified by this transaction" : "was inserted by this transaction";
      };
      auto collision = [&](const Row& a, bool a_in_txn, const Row& b, bool b_in_txn) {
        std::vector<std::string> values, names;
        for (size_t c : index.columns()) {
          values.push_back(datum_text(a.columns[c], table.schema().column(c).type));
          names.push_back("\"" + table.schema().column(c).name + "\"");
        }
        return make_error(
            "constraint violation",
            fmt::format("Transaction causes multiple rows in \"{}\" table to have identical "
                        "values ({}) for index on column{} {}.  First row, with UUID {}, {}.  "
                        "Second row, with UUID {}, {}.",
                        table.name(), join_and(values), names.size() > 1 ? "s" : "",
                        join_and(names), a.uuid().to_string(), describe(a.uuid(), a_in_txn),
                        b.uuid().to_string(), describe(b.uuid(), b_in_txn)));
      };
      auto cols = std::make_shared<const std::vector<size_t>>(index.columns());
      boost::unordered_flat_set<const Row*, UniqueIndex::KeyHash, UniqueIndex::KeyEq> local(
          0, UniqueIndex::KeyHash{cols}, UniqueIndex::KeyEq{cols});
      for (const auto& [uuid, tr] : *tables_[ti]) {
        if (!tr.new_row) continue;
        if (tr.old_row && index.same_key(*tr.old_row, *tr.new_row)) continue;
        auto [it, fresh] = local.insert(tr.new_row.get());
        if (!fresh) return collision(**it, true, *tr.new_row, true);
        const Row* other = index.find(*tr.new_row);
        if (!other || other->uuid() == uuid) continue;
        const TxnRow* otr = find_txn_row(ti, other->uuid());
        if (otr && !otr->new_row) continue;  // deleted by this transaction
        if (otr && !index.same_key(*otr->new_row, *other)) continue;  // moved to another key
        return collision(*other, otr != nullptr, *tr.new_row, true);
      }
    }
  }
  return {};
}

void Transaction::build_changes() {
  changes_ = std::make_shared<ChangeSet>();
  changes_->txn_id = Uuid::generate();
  for (size_t ti = 0; ti < tables_.size(); ++ti) {
    if (!tables_[ti]) continue;
    TableChange tc;
    tc.table = &db_.table(ti);
    for (auto& entry : *tables_[ti]) {
      TxnRow& tr = entry.second;
      if (!tr.old_row && !tr.new_row) continue;  // inserted, then deleted or collected
      RowChange rc;
      rc.old_row = tr.old_row;
      if (tr.new_row) {
        if (tr.old_row) {
          tr.touched.for_each([&](size_t c) {
            if (tr.old_row->columns[c] != tr.new_row->columns[c]) rc.changed.insert(c);
          });
          if (rc.changed.empty()) continue;
          rc.changed.insert(kVersionColumn);
        }
        tr.new_row->set_version(Uuid::generate());
        rc.new_row = tr.new_row;
      }
      tc.rows.push_back(std::move(rc));
    }
    if (!tc.rows.empty()) changes_->tables.push_back(std::move(tc));
  }
}

void Transaction::update_weak_index(Table& table, const RowChange& rc) {
  if (table.weak_refs().empty()) return;
  const Table::WeakReferrer self{static_cast<uint32_t>(table.index()), rc.uuid()};
  for (const RefSpec& spec : table.weak_refs()) {
    if (rc.is_modify() && !rc.changed.contains(spec.column)) continue;
    Table& dst = db_.table(spec.dst_table);
    diff_refs(
        rc.old_row.get(), rc.new_row.get(), spec,
        [&](const Uuid& u) {
          // Still referred to through another column (or another map value)?
          if (rc.new_row && refers_weakly(table, *rc.new_row, spec.dst_table, u)) return;
          auto it = dst.weak_in_.find(u);
          if (it == dst.weak_in_.end()) return;
          auto& v = it->second;
          auto pos = std::find(v.begin(), v.end(), self);
          if (pos != v.end()) v.erase(pos);
          if (v.empty()) dst.weak_in_.erase(it);
        },
        [&](const Uuid& u) {
          if (rc.old_row && refers_weakly(table, *rc.old_row, spec.dst_table, u)) return;
          auto& v = dst.weak_in_[u];
          if (std::find(v.begin(), v.end(), self) == v.end()) v.push_back(self);
        });
  }
}

ChangeSetPtr Transaction::commit() {
  for (const TableChange& tc : changes_->tables) {
    Table& table = db_.table(tc.table->index());
    for (const RowChange& rc : tc.rows) {
      const Uuid& uuid = rc.uuid();
      for (UniqueIndex& index : table.indexes_) {
        if (rc.old_row) index.rows_.erase(rc.old_row.get());
        if (rc.new_row) index.rows_.insert(rc.new_row.get());
      }
      update_weak_index(table, rc);
      if (rc.new_row) db_.n_atoms_ += count_atoms(*rc.new_row);
      if (rc.old_row) db_.n_atoms_ -= std::min(db_.n_atoms_, count_atoms(*rc.old_row));
      if (rc.is_delete()) {
        table.rows_.erase(uuid);
        table.weak_in_.erase(uuid);
      } else if (rc.is_insert()) {
        table.rows_.emplace(uuid, Table::Entry{rc.new_row, 0});
      } else {
        table.rows_.find(uuid)->second.row = rc.new_row;
      }
    }
  }
  for (size_t ti = 0; ti < ref_delta_.size(); ++ti) {
    Table& table = db_.table(ti);
    for (const auto& [uuid, d] : ref_delta_[ti]) {
      if (!d) continue;
      auto it = table.rows_.find(uuid);
      if (it != table.rows_.end()) {
        it->second.n_refs = static_cast<uint32_t>(static_cast<int>(it->second.n_refs) + d);
      }
    }
  }
  tables_.clear();
  ref_delta_.clear();
  return std::move(changes_);
}

}  // namespace ovnx::ovsdb::server
