#include "ovsdb/server/execution.h"

#include <algorithm>
#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "ovsdb/condition.h"
#include "ovsdb/json.h"
#include "ovsdb/mutation.h"
#include "ovsdb/server/row_format.h"
#include "ovsdb/server/transaction.h"

namespace ovnx::ovsdb::server {

namespace json = boost::json;

namespace {

// Raised (as an Error with this tag) by a "wait" that must be retried later.
constexpr std::string_view kRetryTag = "<retry>";

// Reads the members of one operation object, remembering which were used so that unexpected
// members can be reported as the real server does.
class OpParser {
 public:
  OpParser(const json::object& op, size_t index, size_t count)
      : op_(op), index_(index), count_(count) {}

  Error error(std::string details) const {
    return make_error("syntax error", fmt::format("Parsing ovsdb operation {} of {} failed: {}",
                                                  index_, count_, details));
  }
  // A member of the given JSON kind; missing optional members give nullptr.
  Result<const json::value*> member(std::string_view name, json::kind kind, bool optional) {
    used_.push_back(name);
    const json::value* v = op_.if_contains(name);
    if (!v) {
      if (optional) return static_cast<const json::value*>(nullptr);
      return error(fmt::format("Required '{}' member is missing.", name));
    }
    bool ok = v->kind() == kind || (kind == json::kind::int64 && v->is_uint64()) ||
              (kind == json::kind::double_ && v->is_number());
    if (!ok) return error(fmt::format("Type mismatch for member '{}'.", name));
    return v;
  }
  Status finish() const {
    for (const auto& kv : op_) {
      if (std::find(used_.begin(), used_.end(), kv.key()) == used_.end()) {
        return error(fmt::format("Member '{}' is present but not allowed here.",
                                 std::string_view(kv.key())));
      }
    }
    return {};
  }

 private:
  const json::object& op_;
  size_t index_, count_;
  std::vector<std::string_view> used_{"op"};
};

struct OpContext {
  const ExecuteParams& params;
  Transaction& txn;
  SymbolTable symtab;
  std::string comment;
  bool durable = false;
  std::optional<ExecuteParams::Clock::time_point> retry_deadline;
};

// The real server reports a wrongly sized set while parsing, as a syntax error.
Status check_size(const Datum& d, const Type& type) {
  if (d.size() >= type.n_min && d.size() <= type.n_max) return {};
  std::string what;
  if (type.n_min == type.n_max) {
    what = type.n_min == 1 ? "exactly one member" : fmt::format("exactly {} members", type.n_min);
  } else if (type.n_max == Type::kUnlimited) {
    what = type.n_min == 1 ? "at least one member" : fmt::format("at least {} members", type.n_min);
  } else {
    what = fmt::format("{} to {} members", type.n_min, type.n_max);
  }
  return make_error("syntax error", fmt::format("{} must have {} but {} are present",
                                                type.is_map() ? "map" : "set", what, d.size()));
}

Result<Datum> parse_value(const ColumnSchema& col, const json::value& v, SymbolTable* symtab) {
  OVNX_ASSIGN_OR_RETURN(Datum d, datum_from_json(col.type, v, symtab));
  OVNX_RETURN_IF_ERROR(check_size(d, col.type));
  OVNX_RETURN_IF_ERROR(d.check_constraints(col.type));
  return d;
}

Error unknown_column(const Table& table, std::string_view name) {
  return make_error("unknown column",
                    fmt::format("No column {} in table {}.", name, table.name()));
}

// "columns": a list of column names, or every column when absent.
Result<std::vector<size_t>> parse_columns(const Table& table, const json::value* v) {
  std::vector<size_t> out;
  if (!v) {
    for (const ColumnSchema& c : table.schema().columns()) out.push_back(c.index);
    return out;
  }
  for (const json::value& name : v->get_array()) {
    const ColumnSchema* c = name.is_string() ? table.schema().find_column(name.get_string())
                                             : nullptr;
    if (!c) {
      return make_error("syntax error",
                        fmt::format("{} is not a valid column name",
                                    name.is_string() ? std::string(name.get_string())
                                                     : json::serialize(name)));
    }
    if (std::find(out.begin(), out.end(), c->index) == out.end()) out.push_back(c->index);
  }
  return out;
}

// If COND pins every column of one of TABLE's unique indexes with "==", the rows matching it:
// at most one committed row, found by lookup, plus the rows this transaction wrote.
std::optional<std::vector<const Row*>> index_lookup(OpContext& ctx, const Table& table,
                                                    const Condition& cond) {
  for (const UniqueIndex& index : table.indexes()) {
    Row probe;
    bool pinned = true;
    for (size_t c : index.columns()) {
      const Clause* eq = nullptr;
      for (const Clause& clause : cond.clauses()) {
        if (clause.function == ConditionFunction::eq && clause.column->index == c) eq = &clause;
      }
      if (!eq) {
        pinned = false;
        break;
      }
      if (probe.columns.empty()) probe.columns.resize(table.schema().columns().size());
      probe.columns[c] = eq->arg;
    }
    if (!pinned) continue;
    std::vector<const Row*> rows;
    if (const Row* hit = index.find(probe)) {
      if (!ctx.txn.staged(table, hit->uuid()) && cond.evaluate(*hit)) rows.push_back(hit);
    }
    ctx.txn.for_each_staged(table, [&](const Row& r) {
      if (cond.evaluate(r)) rows.push_back(&r);
    });
    return rows;
  }
  return std::nullopt;
}

// Rows matching COND as this transaction sees them.
std::vector<const Row*> matching_rows(OpContext& ctx, const Table& table, const Condition& cond) {
  std::vector<const Row*> rows;
  if (cond.is_false()) return rows;
  if (!table.indexes().empty() && !cond.uuid_equality()) {
    if (auto found = index_lookup(ctx, table, cond)) return std::move(*found);
  }
  if (const Uuid* u = cond.uuid_equality()) {
    const Row* r = ctx.txn.get(table, *u);
    if (r && cond.evaluate(*r)) rows.push_back(r);
    return rows;
  }
  ctx.txn.for_each(table, [&](const Row& r) {
    if (cond.evaluate(r)) rows.push_back(&r);
  });
  return rows;
}

Result<Condition> parse_where(OpContext& ctx, const Table& table, const json::value* where) {
  return Condition::from_json(table.schema(), *where, &ctx.symtab);
}

Status check_writable(OpContext& ctx, std::string_view op) {
  if (!ctx.params.read_only) return {};
  return make_error("not allowed", fmt::format("{} operation not allowed {}", op,
                                               ctx.params.read_only_reason));
}

// A parsed "row" member: column index -> value.
using RowValues = std::vector<std::pair<size_t, Datum>>;

Result<RowValues> parse_row(OpContext& ctx, const Table& table, const json::object& row,
                            bool for_update) {
  RowValues values;
  values.reserve(row.size());
  for (const auto& kv : row) {
    const ColumnSchema* col = table.schema().find_column(kv.key());
    if (!col) return unknown_column(table, kv.key());
    if (for_update && (!col->is_mutable || col->index < kFirstUserColumn)) {
      return make_error("constraint violation",
                        fmt::format("Cannot update immutable column {} in table {}.", col->name,
                                    table.name()));
    }
    if (col->index < kFirstUserColumn) continue;  // insert ignores _uuid and _version
    OVNX_ASSIGN_OR_RETURN(Datum d, parse_value(*col, kv.value(), &ctx.symtab));
    values.emplace_back(col->index, std::move(d));
  }
  return values;
}

using OpResult = Result<json::object>;

OpResult op_insert(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* row_json, p.member("row", json::kind::object, true));
  OVNX_ASSIGN_OR_RETURN(const json::value* name, p.member("uuid-name", json::kind::string, true));
  OVNX_ASSIGN_OR_RETURN(const json::value* uuid_json, p.member("uuid", json::kind::string, true));
  OVNX_RETURN_IF_ERROR(p.finish());
  OVNX_RETURN_IF_ERROR(check_writable(ctx, "insert"));
  Uuid uuid;
  if (uuid_json) {
    auto u = Uuid::parse(uuid_json->get_string());
    if (!u) {
      return make_error("syntax error", fmt::format("\"{}\" is not a valid UUID",
                                                    std::string_view(uuid_json->get_string())));
    }
    uuid = *u;
  }
  if (name) {
    std::string_view n = name->get_string();
    if (!is_valid_id(n)) {
      return make_error("syntax error", fmt::format("\"{}\" is not a valid uuid-name", n));
    }
    SymbolTable::Symbol& sym = ctx.symtab.get(n);
    if (sym.created) {
      return make_error("duplicate uuid-name",
                        "This \"uuid-name\" appeared on an earlier \"insert\" operation.");
    }
    sym.created = true;
    if (uuid_json) {
      sym.uuid = uuid;
    } else {
      uuid = sym.uuid;
    }
  } else if (!uuid_json) {
    uuid = Uuid::generate();
  }
  Row row = Row::make_default(table.schema(), uuid);
  if (row_json) {
    OVNX_ASSIGN_OR_RETURN(RowValues values, parse_row(ctx, table, row_json->get_object(), false));
    for (auto& [c, d] : values) row.columns[c] = std::move(d);
  }
  // Columns left at their default must satisfy the schema too (e.g. an enum without "").
  for (size_t c = kFirstUserColumn; c < row.columns.size(); ++c) {
    OVNX_RETURN_IF_ERROR(row.columns[c].check_constraints(table.schema().column(c).type));
  }
  OVNX_RETURN_IF_ERROR(ctx.txn.insert(table, std::move(row)));
  std::string text;
  text.reserve(36);
  append_uuid_text(uuid, &text);
  json::object result;
  result["uuid"] = json::array{"uuid", std::move(text)};
  return result;
}

OpResult op_select(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* where, p.member("where", json::kind::array, false));
  OVNX_ASSIGN_OR_RETURN(const json::value* cols, p.member("columns", json::kind::array, true));
  OVNX_RETURN_IF_ERROR(p.finish());
  OVNX_ASSIGN_OR_RETURN(Condition cond, parse_where(ctx, table, where));
  OVNX_ASSIGN_OR_RETURN(std::vector<size_t> columns, parse_columns(table, cols));
  json::array rows;
  for (const Row* r : matching_rows(ctx, table, cond)) {
    json::object o;
    for (size_t c : columns) {
      const ColumnSchema& col = table.schema().column(c);
      o[col.name] = datum_to_json(r->columns[c], col.type);
    }
    rows.push_back(std::move(o));
  }
  json::object result;
  result["rows"] = std::move(rows);
  return result;
}

OpResult op_update(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* where, p.member("where", json::kind::array, false));
  OVNX_ASSIGN_OR_RETURN(const json::value* row_json, p.member("row", json::kind::object, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  OVNX_RETURN_IF_ERROR(check_writable(ctx, "update"));
  OVNX_ASSIGN_OR_RETURN(RowValues values, parse_row(ctx, table, row_json->get_object(), true));
  OVNX_ASSIGN_OR_RETURN(Condition cond, parse_where(ctx, table, where));
  std::vector<Uuid> uuids;
  for (const Row* r : matching_rows(ctx, table, cond)) uuids.push_back(r->uuid());
  for (const Uuid& u : uuids) {
    Transaction::TxnRow& tr = ctx.txn.modify(table, u);
    for (const auto& [c, d] : values) {
      tr.new_row->columns[c] = d;
      tr.touched.insert(c);
    }
  }
  json::object result;
  result["count"] = static_cast<int64_t>(uuids.size());
  return result;
}

OpResult op_mutate(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* where, p.member("where", json::kind::array, false));
  OVNX_ASSIGN_OR_RETURN(const json::value* muts, p.member("mutations", json::kind::array, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  OVNX_RETURN_IF_ERROR(check_writable(ctx, "mutate"));
  OVNX_ASSIGN_OR_RETURN(MutationSet mutations,
                        MutationSet::from_json(table.schema(), *muts, &ctx.symtab));
  OVNX_ASSIGN_OR_RETURN(Condition cond, parse_where(ctx, table, where));
  std::vector<Uuid> uuids;
  for (const Row* r : matching_rows(ctx, table, cond)) uuids.push_back(r->uuid());
  for (const Uuid& u : uuids) {
    Transaction::TxnRow& tr = ctx.txn.modify(table, u);
    // On error the whole transaction is abandoned, so mutating the staged copy in place is safe.
    OVNX_RETURN_IF_ERROR(mutations.apply(&tr.new_row->columns));
    for (const Mutation& m : mutations.mutations()) tr.touched.insert(m.column->index);
  }
  json::object result;
  result["count"] = static_cast<int64_t>(uuids.size());
  return result;
}

OpResult op_delete(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* where, p.member("where", json::kind::array, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  OVNX_RETURN_IF_ERROR(check_writable(ctx, "delete"));
  OVNX_ASSIGN_OR_RETURN(Condition cond, parse_where(ctx, table, where));
  std::vector<Uuid> uuids;
  for (const Row* r : matching_rows(ctx, table, cond)) uuids.push_back(r->uuid());
  for (const Uuid& u : uuids) ctx.txn.erase(table, u);
  json::object result;
  result["count"] = static_cast<int64_t>(uuids.size());
  return result;
}

OpResult op_wait(OpContext& ctx, OpParser& p, Table& table) {
  OVNX_ASSIGN_OR_RETURN(const json::value* timeout, p.member("timeout", json::kind::int64, true));
  OVNX_ASSIGN_OR_RETURN(const json::value* where, p.member("where", json::kind::array, false));
  OVNX_ASSIGN_OR_RETURN(const json::value* cols, p.member("columns", json::kind::array, true));
  OVNX_ASSIGN_OR_RETURN(const json::value* until, p.member("until", json::kind::string, false));
  OVNX_ASSIGN_OR_RETURN(const json::value* rows_json, p.member("rows", json::kind::array, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  std::string_view until_s = until->get_string();
  if (until_s != "==" && until_s != "!=") {
    return make_error("syntax error", fmt::format("\"{}\" is not a valid \"until\" value", until_s));
  }
  int64_t timeout_ms = -1;  // no timeout: wait as long as it takes
  if (timeout) {
    timeout_ms = timeout->is_int64() ? timeout->get_int64() : -1;
    if (timeout_ms < 0) return make_error("syntax error", "\"timeout\" must be nonnegative");
  }
  OVNX_ASSIGN_OR_RETURN(Condition cond, parse_where(ctx, table, where));
  OVNX_ASSIGN_OR_RETURN(std::vector<size_t> columns, parse_columns(table, cols));

  using Projection = std::vector<Datum>;
  std::vector<Projection> expected, actual;
  for (const json::value& rv : rows_json->get_array()) {
    if (!rv.is_object()) return make_error("syntax error", "\"rows\" must contain row objects");
    Row r = Row::make_default(table.schema(), Uuid{});
    for (const auto& kv : rv.get_object()) {
      const ColumnSchema* col = table.schema().find_column(kv.key());
      if (!col) return unknown_column(table, kv.key());
      OVNX_ASSIGN_OR_RETURN(r.columns[col->index],
                            datum_from_json(col->type, kv.value(), &ctx.symtab));
    }
    Projection pr;
    for (size_t c : columns) pr.push_back(r.columns[c]);
    expected.push_back(std::move(pr));
  }
  for (const Row* r : matching_rows(ctx, table, cond)) {
    Projection pr;
    for (size_t c : columns) pr.push_back(r->columns[c]);
    actual.push_back(std::move(pr));
  }
  auto normalize = [](std::vector<Projection>* v) {
    auto less = [](const Projection& a, const Projection& b) {
      for (size_t i = 0; i < a.size(); ++i) {
        int c = a[i].compare(b[i]);
        if (c) return c < 0;
      }
      return false;
    };
    std::sort(v->begin(), v->end(), less);
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  normalize(&expected);
  normalize(&actual);
  bool equal = expected == actual;
  if (equal == (until_s == "==")) return json::object();

  auto deadline = ctx.params.start + std::chrono::milliseconds(timeout_ms);
  if (timeout_ms == 0 || (timeout_ms > 0 && ctx.params.now >= deadline)) {
    return make_error("timed out", "\"where\" clause test failed");
  }
  auto when = timeout_ms < 0 ? ExecuteParams::Clock::time_point::max() : deadline;
  ctx.retry_deadline = ctx.retry_deadline ? std::min(*ctx.retry_deadline, when) : when;
  return make_error(std::string(kRetryTag));
}

OpResult op_commit(OpContext& ctx, OpParser& p, Table*) {
  OVNX_ASSIGN_OR_RETURN(const json::value* durable, p.member("durable", json::kind::bool_, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  ctx.durable = ctx.durable || durable->get_bool();
  return json::object();
}

OpResult op_abort(OpContext&, OpParser& p, Table*) {
  OVNX_RETURN_IF_ERROR(p.finish());
  return make_error("aborted", "aborted by request");
}

OpResult op_comment(OpContext& ctx, OpParser& p, Table*) {
  OVNX_ASSIGN_OR_RETURN(const json::value* c, p.member("comment", json::kind::string, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  std::string_view text = c->get_string();
  if (!text.empty()) {
    if (!ctx.comment.empty()) ctx.comment += '\n';
    ctx.comment += text;
  }
  return json::object();
}

OpResult op_assert(OpContext& ctx, OpParser& p, Table*) {
  OVNX_ASSIGN_OR_RETURN(const json::value* lock, p.member("lock", json::kind::string, false));
  OVNX_RETURN_IF_ERROR(p.finish());
  std::string_view name = lock->get_string();
  if (!ctx.params.holds_lock || !ctx.params.holds_lock(name)) {
    return make_error("not owner", fmt::format("Asserted lock {} not held.", name));
  }
  return json::object();
}

// The operations of RFC 7047 section 5.2, by name.
struct Operation {
  std::string_view name;
  bool has_table;
  OpResult (*run_table)(OpContext&, OpParser&, Table&);
  OpResult (*run)(OpContext&, OpParser&, Table*);
};

constexpr Operation kOperations[] = {
    {"insert", true, op_insert, nullptr},  {"select", true, op_select, nullptr},
    {"update", true, op_update, nullptr},  {"mutate", true, op_mutate, nullptr},
    {"delete", true, op_delete, nullptr},  {"wait", true, op_wait, nullptr},
    {"commit", false, nullptr, op_commit}, {"abort", false, nullptr, op_abort},
    {"comment", false, nullptr, op_comment}, {"assert", false, nullptr, op_assert},
};

OpResult run_operation(OpContext& ctx, const json::value& op_json, size_t index, size_t count) {
  const json::object* op = op_json.if_object();
  if (!op) {
    return make_error("syntax error", fmt::format("Parsing ovsdb operation {} of {} failed: "
                                                  "Object expected.", index, count));
  }
  OpParser p(*op, index, count);
  OVNX_ASSIGN_OR_RETURN(const json::value* name, p.member("op", json::kind::string, false));
  std::string_view op_name = name->get_string();
  const Operation* operation = nullptr;
  for (const Operation& o : kOperations) {
    if (o.name == op_name) operation = &o;
  }
  if (!operation) return p.error(fmt::format("No operation \"{}\"", op_name));
  if (!operation->has_table) return operation->run(ctx, p, nullptr);
  OVNX_ASSIGN_OR_RETURN(const json::value* tname, p.member("table", json::kind::string, false));
  Table* table = ctx.params.db->find_table(tname->get_string());
  if (!table) {
    return p.error(fmt::format("No table named {}.", std::string_view(tname->get_string())));
  }
  return operation->run_table(ctx, p, *table);
}

}  // namespace

ExecuteOutcome execute_transaction(const ExecuteParams& params, const json::array& ops,
                                   size_t first_op) {
  ExecuteOutcome out;
  Transaction txn(*params.db);
  OpContext ctx{params, txn, {}, {}, false, std::nullopt};
  size_t n_ops = ops.size() > first_op ? ops.size() - first_op : 0;
  bool failed = false;
  for (size_t i = 0; i < n_ops && !failed; ++i) {
    OpResult r = run_operation(ctx, ops[first_op + i], i + 1, n_ops);
    if (r.ok()) {
      out.results.push_back(std::move(*r));
      continue;
    }
    if (r.error().tag == kRetryTag) {
      out.retry = true;
      out.deadline = *ctx.retry_deadline;
      out.results.clear();
      return out;
    }
    out.results.push_back(error_to_json(r.error()));
    failed = true;
  }
  while (out.results.size() < n_ops) out.results.push_back(nullptr);
  if (failed) return out;

  Status st = txn.prepare();
  if (st.ok() && !txn.changes().empty()) {
    ChangeSet& changes = txn.mutable_changes();
    changes.comment = std::move(ctx.comment);
    changes.durable = ctx.durable;
    if (params.before_commit) st = params.before_commit(changes);
    if (st.ok()) out.committed = txn.commit();
  }
  if (!st.ok()) out.results.push_back(error_to_json(st.error()));
  return out;
}

}  // namespace ovnx::ovsdb::server
