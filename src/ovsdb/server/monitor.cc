#include "ovsdb/server/monitor.h"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "ovsdb/json.h"
#include "ovsdb/server/row_format.h"

namespace ovnx::ovsdb::server {

namespace json = boost::json;

Result<MonitorCondition> MonitorCondition::from_json(const TableSchema& table,
                                                     const json::value* where) {
  MonitorCondition cond;
  if (!where) {
    cond.always_ = true;
    return cond;
  }
  const json::array* clauses = where->if_array();
  if (!clauses) return make_error("syntax error", "\"where\" must be an array of conditions");
  if (clauses->empty()) cond.always_ = true;
  for (const json::value& c : *clauses) {
    if (c.is_bool()) {
      cond.always_ = cond.always_ || c.get_bool();
      continue;
    }
    OVNX_ASSIGN_OR_RETURN(Condition parsed, Condition::from_json(table, json::array{c}));
    const Clause& clause = parsed.clauses()[0];
    if (clause.function == ConditionFunction::eq) {
      auto it = std::find_if(cond.equal_.begin(), cond.equal_.end(),
                             [&](const EqualityClauses& e) {
                               return e.column == clause.column->index;
                             });
      if (it == cond.equal_.end()) {
        cond.equal_.push_back({clause.column->index, {}});
        it = cond.equal_.end() - 1;
      }
      it->values.insert(clause.arg);
    } else if (clause.function == ConditionFunction::true_) {
      cond.always_ = true;
    } else if (clause.function != ConditionFunction::false_) {
      cond.others_.push_back(clause);
    }
  }
  return cond;
}

bool MonitorCondition::matches(const Row& row) const {
  if (always_) return true;
  for (const EqualityClauses& e : equal_) {
    if (e.values.contains(row.columns[e.column])) return true;
  }
  for (const Clause& c : others_) {
    if (c.evaluate(row)) return true;
  }
  return false;
}

namespace {

Status parse_select(const json::value& v, MonitorSelect* s) {
  const json::object* o = v.if_object();
  if (!o) return make_error("syntax error", "\"select\" must be an object");
  for (const auto& kv : *o) {
    if (!kv.value().is_bool()) {
      return make_error("syntax error", fmt::format("\"select\" member \"{}\" must be a boolean",
                                                    std::string_view(kv.key())));
    }
    bool b = kv.value().get_bool();
    if (kv.key() == "initial") {
      s->initial = b;
    } else if (kv.key() == "insert") {
      s->insert = b;
    } else if (kv.key() == "delete") {
      s->del = b;
    } else if (kv.key() == "modify") {
      s->modify = b;
    }
  }
  return {};
}

}  // namespace

Result<MonitorTableSpec> parse_monitor_request(const Table& table, const json::value& req,
                                               bool v2, bool cond_allowed) {
  MonitorTableSpec spec;
  spec.table = &table;
  spec.v2 = v2;
  std::vector<const json::value*> requests;
  if (const json::array* a = req.if_array()) {
    for (const json::value& r : *a) requests.push_back(&r);
  } else {
    requests.push_back(&req);
  }
  bool all_columns = false;
  bool any_select = false;
  json::array where_all;
  bool where_given = false;
  MonitorSelect select{false, false, false, false};
  for (const json::value* r : requests) {
    const json::object* o = r->if_object();
    if (!o) return make_error("syntax error", "monitor request must be an object");
    if (const json::value* cols = o->if_contains("columns")) {
      const json::array* names = cols->if_array();
      if (!names) return make_error("syntax error", "\"columns\" must be an array");
      std::vector<size_t> mine;
      for (const json::value& n : *names) {
        const ColumnSchema* c = n.is_string() ? table.schema().find_column(n.get_string())
                                              : nullptr;
        if (!c) {
          return make_error("syntax error",
                            fmt::format("{} is not a valid column name",
                                        n.is_string() ? std::string(n.get_string())
                                                      : json::serialize(n)));
        }
        if (std::find(mine.begin(), mine.end(), c->index) != mine.end()) {
          return make_error("syntax error",
                            fmt::format("column {} mentioned more than once", c->name));
        }
        mine.push_back(c->index);
        spec.column_set.insert(c->index);
      }
    } else {
      all_columns = true;
    }
    MonitorSelect s;
    if (const json::value* sel = o->if_contains("select")) {
      OVNX_RETURN_IF_ERROR(parse_select(*sel, &s));
    }
    select.initial |= s.initial;
    select.insert |= s.insert;
    select.del |= s.del;
    select.modify |= s.modify;
    any_select = true;
    if (const json::value* where = o->if_contains("where")) {
      if (!cond_allowed) return make_error("syntax error", "\"where\" is not allowed in monitor");
      const json::array* clauses = where->if_array();
      if (!clauses) return make_error("syntax error", "\"where\" must be an array");
      // Several requests: a row is monitored if any request's condition holds.
      if (clauses->empty()) where_all.push_back(true);
      for (const json::value& c : *clauses) where_all.push_back(c);
      where_given = true;
    } else if (requests.size() > 1) {
      where_all.push_back(true);
    }
  }
  if (any_select) spec.select = select;
  if (all_columns) {
    // Every column but _uuid (the row's key already says it).
    for (size_t c = kVersionColumn; c < table.schema().columns().size(); ++c) {
      spec.column_set.insert(c);
    }
  }
  spec.column_set.for_each([&](size_t c) { spec.columns.push_back(c); });
  json::value where_json = where_all;
  OVNX_ASSIGN_OR_RETURN(spec.condition, MonitorCondition::from_json(
                                            table.schema(), where_given ? &where_json : nullptr));
  spec.key = fmt::format("{}|{}|{}{}{}{}|{}|", table.index(), v2, spec.select.initial,
                         spec.select.insert, spec.select.del, spec.select.modify,
                         where_given ? json::serialize(where_json) : "*");
  for (size_t c : spec.columns) spec.key += fmt::format("{},", c);
  return spec;
}

SpecPtr SpecRegistry::intern(MonitorTableSpec spec) {
  auto it = specs_.find(spec.key);
  if (it != specs_.end()) {
    if (SpecPtr p = it->second.lock()) return p;
  }
  if (specs_.size() > 64 && specs_.size() % 64 == 0) {
    // Forget specs nobody uses any more.
    for (auto i = specs_.begin(); i != specs_.end();) {
      i = i->second.expired() ? specs_.erase(i) : std::next(i);
    }
  }
  std::string key = spec.key;
  auto p = std::make_shared<const MonitorTableSpec>(std::move(spec));
  specs_[key] = p;
  return p;
}

namespace {

void begin_row(const Uuid& uuid, size_t* n, std::string* out) {
  if ((*n)++) out->push_back(',');
  out->push_back('"');
  append_uuid_text(uuid, out);
  out->append("\":");
}

void append_full_row(const MonitorTableSpec& spec, const Row& row, bool skip_defaults,
                     std::string* out) {
  append_row_json(row, spec.table->schema(), spec.columns, skip_defaults, out);
}

}  // namespace

size_t append_table_update(const MonitorTableSpec& spec, const TableChange& change,
                           std::string* out) {
  size_t n = 0;
  const bool all = spec.condition.is_true();
  const TableSchema& schema = spec.table->schema();
  for (const RowChange& rc : change.rows) {
    bool old_match = rc.old_row && (all || spec.condition.matches(*rc.old_row));
    bool new_match = rc.new_row && (all || spec.condition.matches(*rc.new_row));
    if (old_match && new_match) {
      if (!spec.select.modify || !rc.changed.intersects(spec.column_set)) continue;
      begin_row(rc.uuid(), &n, out);
      if (spec.v2) {
        out->append("{\"modify\":{");
        bool first = true;
        for (size_t c : spec.columns) {
          if (!rc.changed.contains(c)) continue;
          if (!first) out->push_back(',');
          first = false;
          const ColumnSchema& col = schema.column(c);
          append_json_string(col.name, out);
          out->push_back(':');
          append_diff_json(rc.old_row->columns[c], rc.new_row->columns[c], col.type, out);
        }
        out->append("}}");
      } else {
        out->append("{\"old\":{");
        bool first = true;
        for (size_t c : spec.columns) {
          if (!rc.changed.contains(c)) continue;
          if (!first) out->push_back(',');
          first = false;
          const ColumnSchema& col = schema.column(c);
          append_json_string(col.name, out);
          out->push_back(':');
          append_datum(rc.old_row->columns[c], col.type, out);
        }
        out->append("},\"new\":");
        append_full_row(spec, *rc.new_row, false, out);
        out->push_back('}');
      }
    } else if (new_match) {
      if (!spec.select.insert) continue;
      begin_row(rc.uuid(), &n, out);
      out->append(spec.v2 ? "{\"insert\":" : "{\"new\":");
      append_full_row(spec, *rc.new_row, spec.v2, out);
      out->push_back('}');
    } else if (old_match) {
      if (!spec.select.del) continue;
      begin_row(rc.uuid(), &n, out);
      if (spec.v2) {
        out->append("{\"delete\":null}");
      } else {
        out->append("{\"old\":");
        append_full_row(spec, *rc.old_row, false, out);
        out->push_back('}');
      }
    }
  }
  return n;
}

size_t append_initial(const MonitorTableSpec& spec, std::string* out) {
  size_t n = 0;
  const bool all = spec.condition.is_true();
  spec.table->for_each([&](const RowRef& row) {
    if (!all && !spec.condition.matches(*row)) return;
    begin_row(row->uuid(), &n, out);
    out->append(spec.v2 ? "{\"initial\":" : "{\"new\":");
    append_full_row(spec, *row, spec.v2, out);
    out->push_back('}');
  });
  return n;
}

size_t append_condition_change(const MonitorTableSpec& old_spec,
                               const MonitorTableSpec& new_spec, std::string* out) {
  size_t n = 0;
  new_spec.table->for_each([&](const RowRef& row) {
    bool was = old_spec.condition.matches(*row);
    bool is = new_spec.condition.matches(*row);
    if (is && !was && new_spec.select.insert) {
      begin_row(row->uuid(), &n, out);
      out->append("{\"insert\":");
      append_full_row(new_spec, *row, true, out);
      out->push_back('}');
    } else if (was && !is && new_spec.select.del) {
      begin_row(row->uuid(), &n, out);
      out->append("{\"delete\":null}");
    }
  });
  return n;
}

const std::string& UpdateCache::table_update(const MonitorTableSpec& spec) {
  auto it = cache_.find(&spec);
  if (it != cache_.end()) return it->second;
  std::string text;
  if (const TableChange* tc = changes_.find(spec.table->index())) {
    text.push_back('{');
    if (append_table_update(spec, *tc, &text)) {
      text.push_back('}');
    } else {
      text.clear();
    }
  }
  return cache_.emplace(&spec, std::move(text)).first->second;
}

std::string Monitor::initial_text() const {
  std::string out = "{";
  bool first = true;
  for (const SpecPtr& spec : tables_) {
    if (!spec->select.initial) continue;
    size_t mark = out.size();
    if (!first) out.push_back(',');
    append_json_string(spec->table->name(), &out);
    out.append(":{");
    if (append_initial(*spec, &out)) {
      out.push_back('}');
      first = false;
    } else {
      out.resize(mark);
    }
  }
  out.push_back('}');
  return out;
}

std::string Monitor::notification(const std::string& table_updates, const Uuid& txn_id) const {
  std::string out;
  out.reserve(table_updates.size() + id_text_.size() + 96);
  out.append("{\"id\":null,\"method\":\"");
  out.append(version_ == UpdateVersion::v1   ? "update"
             : version_ == UpdateVersion::v2 ? "update2"
                                             : "update3");
  out.append("\",\"params\":[");
  out.append(id_text_);
  out.push_back(',');
  if (version_ == UpdateVersion::v3) {
    out.push_back('"');
    append_uuid_text(txn_id, &out);
    out.append("\",");
  }
  out.append(table_updates);
  out.append("]}");
  return out;
}

std::string Monitor::update_notification(UpdateCache& cache) const {
  std::string body = "{";
  bool any = false;
  for (const SpecPtr& spec : tables_) {
    const std::string& t = cache.table_update(*spec);
    if (t.empty()) continue;
    if (any) body.push_back(',');
    any = true;
    append_json_string(spec->table->name(), &body);
    body.push_back(':');
    body.append(t);
  }
  if (!any) return {};
  body.push_back('}');
  return notification(body, cache.changes().txn_id);
}

}  // namespace ovnx::ovsdb::server
