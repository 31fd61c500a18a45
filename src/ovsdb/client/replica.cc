#include "ovsdb/client/replica.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cassert>

#include "base/log.h"
#include "ovsdb/json.h"

OVNX_LOG_MODULE(replica);

namespace ovnx::ovsdb::client {

namespace json = boost::json;

Replica::Replica(std::shared_ptr<const DatabaseBinding> binding) : binding_(std::move(binding)) {
  tables_.resize(binding_->tables().size());
  for (const TableBinding& tb : binding_->tables()) {
    Table& t = tables_[tb.id];
    for (const std::vector<size_t>& cols : tb.schema->indexes()) {
      t.indexes.push_back(std::make_unique<Index>(cols));
    }
    t.n_schema_indexes = t.indexes.size();
  }
}

Replica::~Replica() = default;

const Row* Replica::find_row(size_t table_id, const Uuid& uuid) const {
  const RowMap& rows = tables_[table_id].rows;
  auto it = rows.find(uuid);
  return it == rows.end() ? nullptr : it->second.get();
}

std::vector<const Row*> Replica::tracked(size_t table_id) const {
  std::vector<const Row*> out;
  const Table& t = tables_[table_id];
  out.reserve(t.changed.size());
  for (const Row* r : t.changed) {
    if (!r->transient_ && r->change_ != Change::none) out.push_back(r);
  }
  return out;
}

bool Replica::has_tracked_changes() const {
  for (const Table& t : tables_) {
    for (const Row* r : t.changed) {
      if (!r->transient_ && r->change_ != Change::none) return true;
    }
  }
  return false;
}

void Replica::clear_tracked() {
  for (Table& t : tables_) {
    for (Row* r : t.changed) {
      r->change_ = Change::none;
      r->delta_.reset();
    }
    t.changed.clear();
    t.graveyard.clear();
  }
}

const Index* Replica::schema_index(size_t table_id, size_t i) const {
  const Table& t = tables_[table_id];
  return i < t.n_schema_indexes ? t.indexes[i].get() : nullptr;
}

const Index* Replica::add_index(size_t table_id, std::vector<size_t> columns) {
  Table& t = tables_[table_id];
  auto index = std::make_unique<Index>(std::move(columns));
  for (const auto& [uuid, row] : t.rows) index->add(row.get());
  t.indexes.push_back(std::move(index));
  return t.indexes.back().get();
}

void Replica::note_change(Table& table, Row* row, Change change) {
  changed_ = true;
  if (!tracking_) return;
  if (row->change_ == Change::none) {
    row->change_ = change;
    table.changed.push_back(row);
    return;
  }
  if (change == Change::deleted) {
    if (row->change_ == Change::inserted) row->transient_ = true;
    row->change_ = Change::deleted;
  }
  // inserted + modified stays inserted; modified + modified stays modified.
}

namespace {

// True if an index on INDEX's columns is affected by CHANGES (all of them when null).
template <class Values>
bool index_touched(const Index& index, const Values* changes) {
  if (!changes) return true;
  for (const auto& v : *changes) {
    if (std::find(index.columns().begin(), index.columns().end(), v.column) !=
        index.columns().end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

void Replica::index_remove(Table& table, const Row* row, const std::vector<ColumnValue>* only_if) {
  for (auto& index : table.indexes) {
    if (index_touched(*index, only_if)) index->remove(row);
  }
}

void Replica::index_add(Table& table, const Row* row, const std::vector<ColumnValue>* only_if) {
  for (auto& index : table.indexes) {
    if (index_touched(*index, only_if)) index->add(row);
  }
}

Status Replica::parse_columns(const TableBinding& table, const json::value& row,
                              std::vector<ColumnValue>* out) const {
  const json::object* obj = row.if_object();
  if (!obj) {
    return make_error("syntax error",
                      fmt::format("row update for table {} is not an object", table.name()));
  }
  out->reserve(obj->size());
  for (const auto& [name, value] : *obj) {
    const ColumnSchema* column = table.schema->find_column(name);
    // Columns this program does not know (a newer server schema) and the implicit columns.
    if (!column || column->index < kFirstUserColumn) continue;
    auto datum = datum_from_json(column->type, value);
    if (!datum.ok()) {
      return make_error("syntax error", fmt::format("table {} column {}: {}", table.name(),
                                                    column->name, datum.error().to_string()));
    }
    out->push_back({column->index, std::move(*datum)});
  }
  return {};
}

Row* Replica::insert_row(size_t table_id, const Uuid& uuid, std::vector<ColumnValue> values) {
  const TableBinding& tb = binding_->table(table_id);
  Table& t = tables_[table_id];
  std::unique_ptr<Row> row = tb.new_row();
  row->uuid_ = uuid;
  row->table_ = &tb;
  row->source_ = this;
  row->generation_ = generation_;
  row->columns_.reserve(tb.n_user_columns());
  const auto& columns = tb.schema->columns();
  for (size_t c = kFirstUserColumn; c < columns.size(); ++c) {
    row->columns_.push_back(Datum::default_for(columns[c].type));
  }
  for (ColumnValue& v : values) row->columns_[v.column - kFirstUserColumn] = std::move(v.value);
  Row* raw = row.get();
  t.rows.emplace(uuid, std::move(row));
  index_add(t, raw, nullptr);
  note_change(t, raw, Change::inserted);
  return raw;
}

void Replica::modify_row(size_t table_id, Row* row, std::vector<ColumnValue> values, bool diff) {
  Table& t = tables_[table_id];
  const TableSchema& schema = *binding_->table(table_id).schema;
  // Keep only real changes (a full reload or update1 "new" may repeat unchanged values).
  std::vector<ColumnValue> changes;
  changes.reserve(values.size());
  for (ColumnValue& v : values) {
    const Datum& cur = row->columns_[v.column - kFirstUserColumn];
    const Type& type = schema.column(v.column).type;
    // ovsdb-server(7) 4.1.14: a column holding at most one value (scalar or optional) carries
    // its new value; only sets and maps carry a difference.
    if (diff && (type.is_map() || type.n_max > 1)) {
      if (v.value.empty()) continue;
      Datum next = cur;
      apply_datum_diff(&next, v.value, type.is_map());
      v.value = std::move(next);
    }
    if (v.value != cur) changes.push_back(std::move(v));
  }
  if (changes.empty()) return;
  index_remove(t, row, &changes);
  bool track = tracking_ && row->change_ != Change::inserted;
  if (track && !row->delta_) row->delta_ = std::make_unique<Row::Delta>();
  for (ColumnValue& v : changes) {
    Datum& cur = row->columns_[v.column - kFirstUserColumn];
    if (track) {
      bool seen = false;
      for (const auto& [c, old] : row->delta_->old) seen |= c == v.column;
      if (!seen) row->delta_->old.emplace_back(v.column, std::move(cur));
    }
    cur = std::move(v.value);
  }
  index_add(t, row, &changes);
  note_change(t, row, Change::modified);
}

void Replica::delete_row(size_t table_id, const Uuid& uuid) {
  Table& t = tables_[table_id];
  auto it = t.rows.find(uuid);
  if (it == t.rows.end()) return;
  std::unique_ptr<Row> row = std::move(it->second);
  t.rows.erase(it);
  index_remove(t, row.get(), nullptr);
  note_change(t, row.get(), Change::deleted);
  if (tracking_) t.graveyard.push_back(std::move(row));
}

Status Replica::apply_row_update1(size_t table_id, const Uuid& uuid, const json::value& update) {
  const json::object* obj = update.if_object();
  if (!obj) return make_error("syntax error", "<row-update> is not an object");
  const json::value* next = obj->if_contains("new");
  if (!next || next->is_null()) {
    delete_row(table_id, uuid);
    return {};
  }
  std::vector<ColumnValue> values;
  OVNX_RETURN_IF_ERROR(parse_columns(binding_->table(table_id), *next, &values));
  Row* row = const_cast<Row*>(find_row(table_id, uuid));
  if (row) {
    row->generation_ = generation_;
    modify_row(table_id, row, std::move(values), false);
  } else {
    insert_row(table_id, uuid, std::move(values));
  }
  return {};
}

Status Replica::apply_row_update2(size_t table_id, const Uuid& uuid, const json::value& update) {
  const json::object* obj = update.if_object();
  if (!obj || obj->size() != 1) {
    return make_error("syntax error", "<row-update2> must have exactly one member");
  }
  const auto& [kind, body] = *obj->begin();
  if (kind == "delete") {
    delete_row(table_id, uuid);
    return {};
  }
  bool is_modify = kind == "modify";
  if (!is_modify && kind != "initial" && kind != "insert") {
    return make_error("syntax error",
                      fmt::format("unknown <row-update2> member \"{}\"", std::string_view(kind)));
  }
  std::vector<ColumnValue> values;
  OVNX_RETURN_IF_ERROR(parse_columns(binding_->table(table_id), body, &values));
  Row* row = const_cast<Row*>(find_row(table_id, uuid));
  if (is_modify) {
    if (!row) {
      return make_error("syntax error",
                        fmt::format("modify of unknown row {} in table {}", uuid.to_string(),
                                    binding_->table(table_id).name()));
    }
    modify_row(table_id, row, std::move(values), true);
    return {};
  }
  if (!row) {
    insert_row(table_id, uuid, std::move(values));
    return {};
  }
  // A snapshot of a row we already have (reload): columns not mentioned are at their default.
  row->generation_ = generation_;
  const auto& columns = binding_->table(table_id).schema->columns();
  std::vector<bool> given(columns.size(), false);
  for (const ColumnValue& v : values) given[v.column] = true;
  for (size_t c = kFirstUserColumn; c < columns.size(); ++c) {
    if (!given[c]) values.push_back({c, Datum::default_for(columns[c].type)});
  }
  modify_row(table_id, row, std::move(values), false);
  return {};
}

Status Replica::apply(const json::value& table_updates, UpdateFormat format) {
  const json::object* tables = table_updates.if_object();
  if (!tables) return make_error("syntax error", "<table-updates> is not an object");
  changed_ = false;
  Status status;
  for (const auto& [table_name, table_update] : *tables) {
    const TableBinding* tb = binding_->find_table(table_name);
    if (!tb) {
      LOG_DBG("ignoring update for unknown table {}", std::string_view(table_name));
      continue;
    }
    const json::object* rows = table_update.if_object();
    if (!rows) {
      status = make_error("syntax error",
                          fmt::format("<table-update> for {} is not an object", tb->name()));
      break;
    }
    for (const auto& [uuid_text, row_update] : *rows) {
      auto uuid = Uuid::parse(uuid_text);
      if (!uuid) {
        status = make_error("syntax error",
                            fmt::format("\"{}\" is not a valid UUID", std::string_view(uuid_text)));
        break;
      }
      status = format == UpdateFormat::update1 ? apply_row_update1(tb->id, *uuid, row_update)
                                               : apply_row_update2(tb->id, *uuid, row_update);
      if (!status.ok()) break;
    }
    if (!status.ok()) break;
  }
  if (changed_) ++seqno_;
  return status;
}

void Replica::begin_reload() { ++generation_; }

void Replica::end_reload(const std::vector<size_t>& table_ids) {
  bool any = false;
  for (size_t id : table_ids) {
    std::vector<Uuid> stale;
    for (const auto& [uuid, row] : tables_[id].rows) {
      if (row->generation_ != generation_) stale.push_back(uuid);
    }
    for (const Uuid& u : stale) delete_row(id, u);
    any |= !stale.empty();
  }
  if (any) ++seqno_;
}

void Replica::clear() {
  bool any = false;
  for (size_t id = 0; id < tables_.size(); ++id) {
    std::vector<Uuid> all;
    for (const auto& [uuid, row] : tables_[id].rows) all.push_back(uuid);
    for (const Uuid& u : all) delete_row(id, u);
    any |= !all.empty();
  }
  if (any) ++seqno_;
}

void apply_datum_diff(Datum* value, const Datum& diff, bool is_map) {
  if (!is_map) {
    // Symmetric difference of two sorted sets.
    Datum out;
    const auto& a = value->keys();
    const auto& b = diff.keys();
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      int c = i == a.size() ? 1 : j == b.size() ? -1 : a[i].compare(b[j]);
      if (c < 0) {
        out.append_unchecked(a[i++]);
      } else if (c > 0) {
        out.append_unchecked(b[j++]);
      } else {
        ++i;
        ++j;
      }
    }
    *value = std::move(out);
    return;
  }
  Datum out = Datum::empty_map();
  size_t i = 0, j = 0;
  const size_t na = value->size(), nb = diff.size();
  while (i < na || j < nb) {
    int c = i == na ? 1 : j == nb ? -1 : value->key(i).compare(diff.key(j));
    if (c < 0) {
      out.append_unchecked(value->key(i), value->value(i));
      ++i;
    } else if (c > 0) {
      out.append_unchecked(diff.key(j), diff.value(j));
      ++j;
    } else {
      if (!(value->value(i) == diff.value(j))) out.append_unchecked(diff.key(j), diff.value(j));
      ++i;
      ++j;
    }
  }
  *value = std::move(out);
}

}  // namespace ovnx::ovsdb::client
