#include "ctl/lookup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace ovnx::ctl {

using ovsdb::client::DatabaseBinding;
using ovsdb::client::Row;
using ovsdb::client::TableBinding;
using ovsdb::client::Transaction;

namespace {

char fold(char c) {
  if (c == '-') return '_';
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// 2: exact (modulo case and -/_), 1: NAME abbreviates CANDIDATE, 0: no match.
int match_score(std::string_view candidate, std::string_view name) {
  if (name.size() > candidate.size()) return 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if (fold(candidate[i]) != fold(name[i])) return 0;
  }
  return name.size() == candidate.size() ? 2 : 1;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

bool is_hex_prefix(std::string_view id) {
  if (id.size() < 4) return false;
  for (char c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

}  // namespace

Result<const TableBinding*> find_table(const DatabaseBinding& db, std::string_view name) {
  std::vector<const TableBinding*> partial;
  for (const TableBinding& t : db.tables()) {
    int s = match_score(t.name(), name);
    if (s == 2) return &t;
    if (s == 1) partial.push_back(&t);
  }
  if (partial.size() == 1 && !name.empty()) return partial[0];
  if (partial.empty() || name.empty()) return make_error(fmt::format("unknown table \"{}\"", name));
  std::vector<std::string> names;
  for (const TableBinding* t : partial) names.push_back(t->name());
  return make_error(fmt::format("\"{}\" matches multiple table names: {}", name, join(names)));
}

Result<const ovsdb::ColumnSchema*> find_column(const TableBinding& table, std::string_view name,
                                               bool allow_uuid) {
  std::vector<const ovsdb::ColumnSchema*> partial;
  for (const ovsdb::ColumnSchema& c : table.schema->columns()) {
    if (c.index < ovsdb::kFirstUserColumn) {
      if (allow_uuid && c.index == ovsdb::kUuidColumn && name == c.name) return &c;
      continue;
    }
    int s = match_score(c.name, name);
    if (s == 2) return &c;
    if (s == 1) partial.push_back(&c);
  }
  if (partial.size() == 1 && !name.empty()) return partial[0];
  if (partial.empty() || name.empty()) {
    return make_error(
        fmt::format("{} does not contain a column whose name matches \"{}\"", table.name(), name));
  }
  std::vector<std::string> names;
  for (const auto* c : partial) names.push_back(c->name);
  std::sort(names.begin(), names.end());
  return make_error(fmt::format("{} contains more than one column whose name matches \"{}\": {}",
                                table.name(), name, join(names)));
}

const std::vector<RowIdSpec>* row_ids_for(const std::vector<TableIds>& ids,
                                          std::string_view table) {
  for (const TableIds& t : ids) {
    if (t.table == table) return &t.ids;
  }
  return nullptr;
}

namespace {

// The rows of SPEC's table named ID (by column or map key).
std::vector<const Row*> rows_named(const Transaction& txn, const TableBinding& table,
                                   const RowIdSpec& spec, std::string_view id) {
  std::vector<const Row*> out;
  const ovsdb::ColumnSchema* column = table.schema->find_column(spec.name_column);
  if (!column || column->index < ovsdb::kFirstUserColumn) return out;
  for (const Row* row : txn.rows(table.id)) {
    const ovsdb::Datum& d = row->datum(column->index);
    if (!spec.key.empty()) {
      long i = d.find(ovsdb::Atom(spec.key));
      if (i >= 0 && d.value(i).type() == ovsdb::AtomicType::string && d.value(i).string() == id) {
        out.push_back(row);
      }
    } else if (d.size() == 1 && d.key(0).type() == ovsdb::AtomicType::string &&
               d.key(0).string() == id) {
      out.push_back(row);
    }
  }
  return out;
}

}  // namespace

Result<const Row*> find_row(const Transaction& txn, const TableBinding& table, std::string_view id,
                            const std::vector<TableIds>& ids, bool must_exist) {
  const DatabaseBinding& db = txn.replica().binding();
  if (auto uuid = Uuid::parse(id)) {
    if (const Row* r = txn.find_row(table.id, *uuid)) return r;
  }
  if (const auto* specs = row_ids_for(ids, table.name())) {
    for (const RowIdSpec& spec : *specs) {
      if (spec.name_column.empty()) {
        if (id != ".") continue;
        auto rows = txn.rows(table.id);
        if (!rows.empty()) return rows.front();
        continue;
      }
      const TableBinding* named_table = db.find_table(spec.table);
      if (!named_table) continue;
      auto rows = rows_named(txn, *named_table, spec, id);
      if (rows.size() > 1) {
        return make_error(fmt::format("multiple rows in {} match \"{}\"", table.name(), id));
      }
      if (rows.empty()) continue;
      if (spec.uuid_column.empty()) return rows[0];
      const ovsdb::ColumnSchema* ref = named_table->schema->find_column(spec.uuid_column);
      if (!ref) continue;
      const ovsdb::Datum& d = rows[0]->datum(ref->index);
      if (d.size() == 1 && d.key(0).type() == ovsdb::AtomicType::uuid) {
        if (const Row* r = txn.find_row(table.id, d.key(0).uuid())) return r;
      }
    }
  }
  if (is_hex_prefix(id)) {
    const Row* found = nullptr;
    for (const Row* row : txn.rows(table.id)) {
      std::string text = row->uuid().to_string();
      if (text.compare(0, id.size(), id) == 0) {
        if (found) {
          return make_error(fmt::format("multiple rows in {} match \"{}\"", table.name(), id));
        }
        found = row;
      }
    }
    if (found) return found;
  }
  if (must_exist) return make_error(fmt::format("no row \"{}\" in table {}", id, table.name()));
  return static_cast<const Row*>(nullptr);
}

}  // namespace ovnx::ctl
