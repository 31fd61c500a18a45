#include "ovsdb/server/storage.h"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "ovsdb/json.h"
#include "ovsdb/schema.h"
#include "ovsdb/server/row_format.h"
#include "ovsdb/server/transaction.h"

OVNX_LOG_MODULE(ovsdb_file);

namespace ovnx::ovsdb::server {

namespace json = boost::json;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Columns that are written to disk (not _uuid, _version or ephemeral ones).
bool persistent(const ColumnSchema& c) { return c.index >= kFirstUserColumn && !c.ephemeral; }

void append_trailer(const std::string& comment, std::string* out) {
  char date[24];
  auto [end, ec] = std::to_chars(date, date + sizeof date, now_ms());
  out->append("\"_date\":");
  out->append(date, static_cast<size_t>(end - date));
  out->append(",\"_is_diff\":true");
  if (!comment.empty()) {
    out->append(",\"_comment\":");
    append_json_string(comment, out);
  }
  out->push_back('}');
}

Error bad_record(std::string details) { return make_error("syntax error", std::move(details)); }

}  // namespace

Status Storage::create(const std::string& path, std::string_view schema_text) {
  auto schema = DatabaseSchema::from_text(schema_text);
  if (!schema.ok()) return std::move(schema).error();
  // One line of JSON, as the format requires.
  boost::system::error_code ec;
  json::value v = json::parse(schema_text, ec);
  return LogFile::create(path, frame_record(json::serialize(v)));
}

std::string Storage::record_text(const ChangeSet& changes) {
  std::string out = "{";
  bool any = false;
  for (const TableChange& tc : changes.tables) {
    const TableSchema& schema = tc.table->schema();
    size_t mark = out.size();
    if (any) out.push_back(',');
    append_json_string(schema.name(), &out);
    out.append(":{");
    size_t n = 0;
    for (const RowChange& rc : tc.rows) {
      size_t row_mark = out.size();
      if (n) out.push_back(',');
      out.push_back('"');
      append_uuid_text(rc.uuid(), &out);
      out.append("\":");
      if (rc.is_delete()) {
        out.append("null");
      } else {
        out.push_back('{');
        bool first = true;
        for (const ColumnSchema& c : schema.columns()) {
          if (!persistent(c)) continue;
          const Datum& nv = rc.new_row->columns[c.index];
          if (rc.is_insert()) {
            if (is_default_datum(nv, c.type)) continue;
          } else if (!rc.changed.contains(c.index)) {
            continue;
          }
          if (!first) out.push_back(',');
          first = false;
          append_json_string(c.name, &out);
          out.push_back(':');
          if (rc.is_insert()) {
            append_datum(nv, c.type, &out);
          } else {
            append_diff_json(rc.old_row->columns[c.index], nv, c.type, &out);
          }
        }
        out.push_back('}');
        if (first && rc.is_modify()) {  // only ephemeral columns changed
          out.resize(row_mark);
          continue;
        }
      }
      ++n;
    }
    if (n == 0) {
      out.resize(mark);
      continue;
    }
    out.push_back('}');
    any = true;
  }
  if (!any) return {};
  out.push_back(',');
  append_trailer(changes.comment, &out);
  return out;
}

std::string Storage::snapshot_text(const Database& db, const std::string& comment) {
  std::string out = "{";
  bool any = false;
  for (size_t ti = 0; ti < db.n_tables(); ++ti) {
    const Table& table = db.table(ti);
    if (table.size() == 0) continue;
    if (any) out.push_back(',');
    any = true;
    append_json_string(table.name(), &out);
    out.append(":{");
    size_t n = 0;
    std::vector<size_t> cols;
    for (const ColumnSchema& c : table.schema().columns()) {
      if (persistent(c)) cols.push_back(c.index);
    }
    table.for_each([&](const RowRef& row) {
      if (n++) out.push_back(',');
      out.push_back('"');
      append_uuid_text(row->uuid(), &out);
      out.append("\":");
      append_row_json(*row, table.schema(), cols, true, &out);
    });
    out.push_back('}');
  }
  if (any) out.push_back(',');
  append_trailer(comment, &out);
  return out;
}

Status Storage::replay(Database& db, std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return bad_record(fmt::format("transaction record is not valid JSON: {}", ec.message()));
  const json::object* rec = v.if_object();
  if (!rec) return bad_record("transaction record is not a JSON object");
  bool is_diff = false;
  if (const json::value* d = rec->if_contains("_is_diff")) is_diff = d->is_bool() && d->get_bool();
  Transaction txn(db);
  for (const auto& [tname, tvalue] : *rec) {
    if (!tname.empty() && tname[0] == '_') continue;
    Table* table = db.find_table(tname);
    if (!table) return bad_record(fmt::format("No table named {}.", std::string_view(tname)));
    const json::object* rows = tvalue.if_object();
    if (!rows) return bad_record(fmt::format("table {}: expected an object", table->name()));
    for (const auto& [uuid_text, row_json] : *rows) {
      auto uuid = Uuid::parse(uuid_text);
      if (!uuid) {
        return bad_record(fmt::format("\"{}\" is not a valid UUID", std::string_view(uuid_text)));
      }
      const Row* existing = txn.get(*table, *uuid);
      if (row_json.is_null()) {
        if (!existing) {
          return bad_record(fmt::format("transaction deletes nonexistent row {} in table {}",
                                        uuid->to_string(), table->name()));
        }
        txn.erase(*table, *uuid);
        continue;
      }
      const json::object* cols = row_json.if_object();
      if (!cols) return bad_record(fmt::format("row {}: expected an object", uuid->to_string()));
      Row* row;
      Transaction::TxnRow* tr = nullptr;
      if (existing) {
        tr = &txn.modify(*table, *uuid);
        row = tr->new_row.get();
      } else {
        OVNX_RETURN_IF_ERROR(txn.insert(*table, Row::make_default(table->schema(), *uuid)));
        tr = &txn.modify(*table, *uuid);
        row = tr->new_row.get();
      }
      for (const auto& [cname, cvalue] : *cols) {
        const ColumnSchema* c = table->schema().find_column(cname);
        if (!c || c->index < kFirstUserColumn) {
          return bad_record(fmt::format("No column {} in table {}.", std::string_view(cname),
                                        table->name()));
        }
        Type loose = c->type;  // a diff may hold any number of elements
        loose.n_min = 0;
        loose.n_max = Type::kUnlimited;
        OVNX_ASSIGN_OR_RETURN(Datum d, datum_from_json(loose, cvalue));
        if (is_diff && existing) {
          apply_datum_diff(&row->columns[c->index], d, c->type);
        } else {
          row->columns[c->index] = std::move(d);
        }
        OVNX_RETURN_IF_ERROR(row->columns[c->index].check_constraints(c->type));
        tr->touched.insert(c->index);
      }
    }
  }
  OVNX_RETURN_IF_ERROR(txn.prepare());
  txn.commit();
  return {};
}

namespace {

// Reads every good record of PATH into a new database; GOOD_END is where they end.
Result<std::unique_ptr<Database>> read_log(const std::string& path, std::string* schema_text,
                                           size_t* n_records, size_t* good_end) {
  OVNX_ASSIGN_OR_RETURN(std::string data, LogFile::read_all(path));
  if (data.starts_with("OVSDB CLUSTER ")) {
    return make_error("syntax error", path + ": is a clustered database (ovsdb(5) clustered "
                                             "format); only standalone databases are supported");
  }
  RecordReader reader(data);
  auto first = reader.next();
  if (!first.ok()) return make_error("syntax error", path + ": " + first.error().details);
  if (!*first) return make_error("syntax error", path + ": file is empty (no schema record)");
  auto schema = DatabaseSchema::from_text(**first);
  if (!schema.ok()) {
    return make_error(schema.error().tag, path + ": " + schema.error().details);
  }
  if (schema_text) *schema_text = std::string(**first);
  auto db = std::make_unique<Database>(*schema);
  *n_records = 0;
  *good_end = reader.good_end();
  for (;;) {
    auto rec = reader.next();
    Status st;
    if (!rec.ok()) {
      st = std::move(rec).error();
    } else if (!*rec) {
      break;
    } else {
      st = Storage::replay(*db, **rec);
      if (st.ok()) {
        ++*n_records;
        *good_end = reader.good_end();
        continue;
      }
    }
    LOG_WARN("{}: {}; dropping the rest of the log from offset {} on", path,
             st.error().to_string(), *good_end);
    break;
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Database>> Storage::load(const std::string& path, std::string* schema_text,
                                                size_t* n_records) {
  size_t n = 0, good_end = 0;
  auto db = read_log(path, schema_text, &n, &good_end);
  if (n_records) *n_records = n;
  return db;
}

Result<std::unique_ptr<Storage>> Storage::open(const std::string& path,
                                               std::unique_ptr<Database>* db) {
  auto storage = std::unique_ptr<Storage>(new Storage());
  size_t n_records = 0, good_end = 0;
  OVNX_ASSIGN_OR_RETURN(*db, read_log(path, &storage->schema_text_, &n_records, &good_end));
  OVNX_ASSIGN_OR_RETURN(storage->file_, LogFile::open(path, good_end));
  storage->snapshot_size_ = good_end;
  storage->n_appended_ = n_records;
  return storage;
}

Status Storage::append(const ChangeSet& changes) {
  std::string text = record_text(changes);
  if (text.empty()) return {};
  OVNX_RETURN_IF_ERROR(file_->append(frame_record(text), changes.durable));
  ++n_appended_;
  return {};
}

Status Storage::compact(const Database& db, const std::string& comment) {
  std::string contents = frame_record(schema_text_);
  contents += frame_record(snapshot_text(db, comment));
  OVNX_RETURN_IF_ERROR(file_->replace(contents));
  snapshot_size_ = contents.size();
  n_appended_ = 0;
  last_compaction_ = std::chrono::steady_clock::now();
  return {};
}

bool Storage::should_compact() const {
  using namespace std::chrono;
  auto since = steady_clock::now() - last_compaction_;
  if (n_appended_ >= 100 && since >= hours(24)) return true;
  if (file_->size() < 10u * 1024 * 1024 || file_->size() < 2 * snapshot_size_) return false;
  return n_appended_ >= 100 || since >= minutes(10);
}

}  // namespace ovnx::ovsdb::server
