#include "ctl/db_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace ovnx::ctl::internal {

using ovsdb::Atom;
using ovsdb::ColumnSchema;
using ovsdb::Datum;
using ovsdb::Type;
using ovsdb::client::Row;
using ovsdb::client::TableBinding;

const std::vector<std::string>& condition_operators() {
  static const std::vector<std::string> ops = {
      "=",    "!=",  "<",   ">",    "<=",   ">=",   "{=}",
      "{!=}", "{<}", "{>}", "{<=}", "{>=}", "{in}", "{not-in}"};
  return ops;
}

const std::vector<std::string>& assignment_operators() {
  static const std::vector<std::string> ops = {"="};
  return ops;
}

namespace {

std::string operator_list(const std::vector<std::string>& ops) {
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i) out += ops.size() > 2 ? ", " : " ";
    if (i + 1 == ops.size() && ops.size() > 1) out += "or ";
    out += "\"" + ops[i] + "\"";
  }
  return out;
}

}  // namespace

Result<ColumnArg> parse_column_arg(Context& ctx, const TableBinding& table, std::string_view arg,
                                   const std::vector<std::string>& operators, bool allow_uuid) {
  ColumnArg out;
  size_t i = 0;
  while (i < arg.size() && !std::strchr(":=!<>{", arg[i])) ++i;
  std::string_view name = arg.substr(0, i);
  if (name.empty()) return make_error(fmt::format("{}: missing column name", arg));
  OVNX_ASSIGN_OR_RETURN(out.column, ctx.column(table, name, allow_uuid));
  std::string_view rest = arg.substr(i);
  if (!rest.empty() && rest[0] == ':') {
    std::string_view after;
    OVNX_ASSIGN_OR_RETURN(std::string key, parse_token(rest.substr(1), &after));
    (void)key;
    // Keep the key as typed (quotes included): it is parsed against the key type later.
    out.key_text = std::string(rest.substr(1, rest.size() - 1 - after.size()));
    rest = after;
  }
  if (operators.empty()) {
    if (!rest.empty()) return make_error(fmt::format("{}: trailing garbage in column name", arg));
    return out;
  }
  size_t best = 0;
  for (const std::string& op : operators) {
    if (rest.substr(0, op.size()) == op && op.size() > best) {
      best = op.size();
      out.op = op;
    }
  }
  if (out.op.empty() || best == rest.size()) {
    return make_error(fmt::format("{}: argument does not end in {} followed by a value.", arg,
                                  operator_list(operators)));
  }
  out.value = std::string(rest.substr(best));
  return out;
}

Datum column_value(const Row& row, const ColumnSchema& column) {
  if (column.index == ovsdb::kUuidColumn) return Datum::scalar(Atom(row.uuid()));
  return row.datum(column.index);
}

Status apply_assignment(Context& ctx, const TableBinding& table, const Row* row,
                        std::string_view arg) {
  OVNX_ASSIGN_OR_RETURN(ColumnArg ca,
                        parse_column_arg(ctx, table, arg, assignment_operators(), false));
  const ColumnSchema& col = *ca.column;
  if (ca.key_text) {
    if (!col.type.is_map()) {
      return make_error(fmt::format("cannot specify key to set for non-map column {}", col.name));
    }
    OVNX_ASSIGN_OR_RETURN(Atom key, ctx.parse_atom(*ca.key_text, col.type.key));
    OVNX_ASSIGN_OR_RETURN(Atom value, ctx.parse_atom(ca.value, *col.type.value));
    ctx.txn().map_put(row, col.index, std::move(key), std::move(value));
    return {};
  }
  OVNX_ASSIGN_OR_RETURN(Datum value, ctx.parse_datum(ca.value, col.type));
  ctx.txn().write(row, col.index, std::move(value));
  return {};
}

namespace {

// The tools' order of data: by size, then elements, then values.
int compare_data(const Datum& a, const Datum& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    if (int c = a.key(i).compare(b.key(i))) return c;
  }
  if (a.is_map() && b.is_map()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (int c = a.value(i).compare(b.value(i))) return c;
    }
  }
  return 0;
}

}  // namespace

Result<bool> evaluate_condition(Context& ctx, const TableBinding& table, const Row& row,
                                std::string_view arg) {
  OVNX_ASSIGN_OR_RETURN(ColumnArg ca,
                        parse_column_arg(ctx, table, arg, condition_operators(), true));
  const ColumnSchema& col = *ca.column;
  Datum have = column_value(row, col);
  Type want_type = col.type;
  bool arithmetic = ca.op[0] != '{';
  if (ca.key_text) {
    if (!col.type.is_map()) {
      return make_error(fmt::format("cannot specify key to check for non-map column {}", col.name));
    }
    OVNX_ASSIGN_OR_RETURN(Atom key, ctx.parse_atom(*ca.key_text, col.type.key));
    long i = have.find(key);
    Datum value;
    if (i >= 0) value.append_unchecked(have.value(i));
    have = std::move(value);
    want_type = Type(col.type.value->type);
    want_type.key = *col.type.value;
    want_type.n_min = 0;
    want_type.n_max = Type::kUnlimited;
    if (arithmetic && i < 0) {
      OVNX_RETURN_IF_ERROR(ctx.parse_datum(ca.value, want_type));  // still report bad values
      return false;
    }
  }
  OVNX_ASSIGN_OR_RETURN(Datum want, ctx.parse_datum(ca.value, want_type));
  const std::string& op = ca.op;
  int c = compare_data(have, want);
  if (op == "=" || op == "{=}") return c == 0;
  if (op == "!=" || op == "{!=}") return c != 0;
  if (op == "<") return c < 0;
  if (op == ">") return c > 0;
  if (op == "<=") return c <= 0;
  if (op == ">=") return c >= 0;
  if (op == "{<=}" || op == "{in}") return want.includes(have);
  if (op == "{<}") return want.includes(have) && c != 0;
  if (op == "{>=}") return have.includes(want);
  if (op == "{>}") return have.includes(want) && c != 0;
  if (op == "{not-in}") {
    for (const Atom& a : have.keys()) {
      if (want.contains(a)) return false;
    }
    return true;
  }
  return make_error(fmt::format("{}: unknown operator", arg));
}

std::vector<const Row*> sorted_rows(Context& ctx, const TableBinding& table) {
  std::vector<const Row*> rows = ctx.txn().rows(table.id);
  std::sort(rows.begin(), rows.end(),
            [](const Row* a, const Row* b) { return a->uuid() < b->uuid(); });
  return rows;
}

Status output_rows(Context& ctx, const TableBinding& table, const std::vector<const Row*>& rows) {
  std::vector<const ColumnSchema*> columns;
  if (const std::string* list = ctx.option("--columns")) {
    size_t start = 0;
    for (;;) {
      size_t comma = list->find(',', start);
      std::string_view name = std::string_view(*list).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      OVNX_ASSIGN_OR_RETURN(const ColumnSchema* c, ctx.column(table, name, true));
      columns.push_back(c);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    columns.push_back(&table.schema->column(ovsdb::kUuidColumn));
    std::vector<const ColumnSchema*> user;
    for (const ColumnSchema& c : table.schema->columns()) {
      if (c.index >= ovsdb::kFirstUserColumn) user.push_back(&c);
    }
    std::sort(user.begin(), user.end(),
              [](const ColumnSchema* a, const ColumnSchema* b) { return a->name < b->name; });
    columns.insert(columns.end(), user.begin(), user.end());
  }
  OutputTable& out = ctx.table_output();
  std::vector<std::string> headings;
  for (const ColumnSchema* c : columns) headings.push_back(c->name);
  out.set_headings(std::move(headings));
  for (const Row* row : rows) {
    std::vector<OutputTable::Cell> cells;
    for (const ColumnSchema* c : columns) cells.push_back({column_value(*row, *c), c->type});
    out.add_row(std::move(cells));
  }
  return {};
}

void monitor_first_arg_table(Context& ctx) {
  if (ctx.args().size() < 2) return;
  auto table = ctx.table(ctx.args()[1]);
  if (!table.ok()) return;
  ctx.monitor(**table);
  // Tables whose rows name this table's records.
  if (const auto* specs = row_ids_for(ctx.row_ids(), (*table)->name())) {
    for (const RowIdSpec& s : *specs) {
      if (!s.table.empty()) ctx.monitor(s.table);
    }
  }
}

}  // namespace ovnx::ctl::internal
