#include "ovsdb/client/transaction.h"

#include <cassert>

#include "ovsdb/client/transaction_edit.h"

namespace ovnx::ovsdb::client {

const char* txn_status_name(TxnStatus status) {
  switch (status) {
    case TxnStatus::unchanged:
      return "unchanged";
    case TxnStatus::success:
      return "success";
    case TxnStatus::try_again:
      return "try again";
    case TxnStatus::not_locked:
      return "not locked";
    case TxnStatus::error:
      return "error";
  }
  return "?";
}

Uuid TxnReport::real_uuid(const Uuid& u) const {
  auto it = new_uuids.find(u);
  return it == new_uuids.end() ? u : it->second;
}

Transaction::Transaction(const Replica& replica)
    : replica_(&replica), by_table_(replica.binding().tables().size()) {}

Transaction::~Transaction() = default;

Transaction::Edit* Transaction::find_edit(size_t table_id, const Uuid& uuid) const {
  const auto& m = by_table_[table_id];
  auto it = m.find(uuid);
  return it == m.end() ? nullptr : it->second;
}

const Row* Transaction::find_row(size_t table_id, const Uuid& uuid) const {
  if (Edit* e = find_edit(table_id, uuid)) return e->deleted ? nullptr : e->shadow.get();
  return replica_->find_row(table_id, uuid);
}

const Row* Transaction::view(const Row* row) const {
  if (Edit* e = find_edit(row->table_binding().id, row->uuid())) {
    return e->deleted ? nullptr : e->shadow.get();
  }
  return row;
}

bool Transaction::is_inserted(const Row* row) const {
  Edit* e = find_edit(row->table_binding().id, row->uuid());
  return e && !e->base;
}

std::vector<const Row*> Transaction::rows(size_t table_id) const {
  std::vector<const Row*> out;
  const RowMap& base = replica_->rows(table_id);
  out.reserve(base.size());
  for (const auto& [uuid, row] : base) {
    if (find_edit(table_id, uuid)) continue;
    out.push_back(row.get());
  }
  for (const auto& e : edits_) {
    if (e->table_id == table_id && !e->deleted) out.push_back(e->shadow.get());
  }
  return out;
}

// Access to Row internals for the transaction (a friend of Row).
struct RowAccess {
  static std::unique_ptr<Row> make(const TableBinding& table, const Uuid& uuid,
                                   const RowSource* source) {
    std::unique_ptr<Row> row = table.new_row();
    row->uuid_ = uuid;
    row->table_ = &table;
    row->source_ = source;
    const auto& columns = table.schema->columns();
    row->columns_.reserve(table.n_user_columns());
    for (size_t c = kFirstUserColumn; c < columns.size(); ++c) {
      row->columns_.push_back(Datum::default_for(columns[c].type));
    }
    return row;
  }
  static std::unique_ptr<Row> copy(const Row& from, const RowSource* source) {
    std::unique_ptr<Row> row = from.table_->new_row();
    row->uuid_ = from.uuid_;
    row->table_ = from.table_;
    row->source_ = source;
    row->columns_ = from.columns_;
    return row;
  }
  static Datum& column(Row* row, size_t column) { return row->columns_[column - kFirstUserColumn]; }
};

Transaction::Edit& Transaction::edit_for(const Row* row) {
  size_t table_id = row->table_binding().id;
  if (Edit* e = find_edit(table_id, row->uuid())) return *e;
  auto e = std::make_unique<Edit>();
  e->table_id = table_id;
  e->base = replica_->find_row(table_id, row->uuid());
  assert(e->base && "editing a row that is neither in the replica nor in the transaction");
  e->shadow = RowAccess::copy(*e->base, this);
  Edit* raw = e.get();
  by_table_[table_id].emplace(row->uuid(), raw);
  edits_.push_back(std::move(e));
  return *raw;
}

Row* Transaction::mutable_shadow(const Row* row) { return edit_for(row).shadow.get(); }

const Row* Transaction::insert(const TableBinding& table, const Uuid* provisional) {
  assert(&table == &replica_->binding().table(table.id));
  auto e = std::make_unique<Edit>();
  e->table_id = table.id;
  Uuid uuid = provisional ? *provisional : Uuid::generate();
  e->shadow = RowAccess::make(table, uuid, this);
  std::string text = uuid.to_string();
  for (char& c : text) c = c == '-' ? '_' : c;
  e->uuid_name = "row" + text;
  Edit* raw = e.get();
  by_table_[table.id].emplace(uuid, raw);
  edits_.push_back(std::move(e));
  return raw->shadow.get();
}

void Transaction::write(const Row* row, size_t column, Datum value) {
  Edit& e = edit_for(row);
  e.mutations.erase(column);
  Datum& cur = RowAccess::column(e.shadow.get(), column);
  cur = std::move(value);
  // Writing back the replica's value is no write at all.
  if (e.base && e.base->datum(column) == cur) {
    e.written.erase(column);
  } else {
    e.written.insert(column);
  }
}

void Transaction::map_put(const Row* row, size_t column, Atom key, Atom value) {
  Edit& e = edit_for(row);
  Datum& cur = RowAccess::column(e.shadow.get(), column);
  long i = cur.find(key);
  if (i >= 0 && cur.value(i) == value) return;
  Datum pair = Datum::empty_map();
  pair.append_unchecked(key, value);
  cur.erase_key(key);
  cur.union_with(pair);
  if (!e.base || e.written.count(column)) return;  // sent as part of the full value
  Edit::ColumnMutation& m = e.mutations[column];
  if (m.ins.empty()) m.ins = Datum::empty_map();
  m.del.insert(key);
  m.ins.erase_key(key);
  m.ins.union_with(pair);
}

void Transaction::map_erase(const Row* row, size_t column, const Atom& key) {
  Edit& e = edit_for(row);
  Datum& cur = RowAccess::column(e.shadow.get(), column);
  if (!cur.contains(key)) return;
  cur.erase_key(key);
  if (!e.base || e.written.count(column)) return;
  Edit::ColumnMutation& m = e.mutations[column];
  m.del.insert(key);
  m.ins.erase_key(key);
}

void Transaction::set_insert(const Row* row, size_t column, Atom element) {
  Edit& e = edit_for(row);
  Datum& cur = RowAccess::column(e.shadow.get(), column);
  if (cur.contains(element)) return;
  cur.insert(element);
  if (!e.base || e.written.count(column)) return;
  e.mutations[column].ins.insert(std::move(element));
}

void Transaction::set_erase(const Row* row, size_t column, const Atom& element) {
  Edit& e = edit_for(row);
  Datum& cur = RowAccess::column(e.shadow.get(), column);
  if (!cur.contains(element)) return;
  cur.erase_key(element);
  if (!e.base || e.written.count(column)) return;
  Edit::ColumnMutation& m = e.mutations[column];
  m.ins.erase_key(element);
  m.del.insert(element);
}

void Transaction::remove(const Row* row) {
  Edit& e = edit_for(row);
  e.deleted = true;
}

void Transaction::verify(const Row* row, size_t column) {
  Edit& e = edit_for(row);
  if (e.base) e.verified.insert(column);
}

void Transaction::increment(const Row* row, size_t column) {
  Edit& e = edit_for(row);
  increment_row_ = e.shadow.get();
  increment_column_ = column;
}

void Transaction::add_comment(std::string text) { comments_.push_back(std::move(text)); }

bool Transaction::empty() const {
  if (increment_row_) return false;
  for (const auto& e : edits_) {
    if (!e->base) {
      if (!e->deleted) return false;
      continue;
    }
    if (e->deleted || !e->written.empty() || !e->verified.empty()) return false;
    for (const auto& [c, m] : e->mutations) {
      if (!m.ins.empty() || !m.del.empty()) return false;
    }
  }
  return true;
}

}  // namespace ovnx::ovsdb::client
