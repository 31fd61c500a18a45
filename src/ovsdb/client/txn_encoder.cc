#include "ovsdb/client/txn_encoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "ovsdb/client/transaction_edit.h"
#include "ovsdb/json.h"

namespace ovnx::ovsdb::client {

namespace json = boost::json;

namespace {

using NameMap = std::unordered_map<Uuid, std::string>;

json::value atom_json(const Atom& atom, const NameMap& names) {
  if (atom.type() == AtomicType::uuid) {
    auto it = names.find(atom.uuid());
    if (it != names.end()) return json::array{"named-uuid", json::string(it->second)};
  }
  return atom_to_json(atom);
}

// RFC 7047 notation, with the provisional uuids of new rows as named-uuids. Mutation
// arguments (AS_SET) are always in ["set", ...] form, as the OVS tools send them.
json::value datum_json(const Datum& d, bool is_map, const NameMap& names, bool as_set = false) {
  if (is_map) {
    json::array pairs;
    pairs.reserve(d.size());
    for (size_t i = 0; i < d.size(); ++i) {
      pairs.push_back(json::array{atom_json(d.key(i), names), atom_json(d.value(i), names)});
    }
    return json::array{"map", std::move(pairs)};
  }
  if (d.size() == 1 && !as_set) return atom_json(d.key(0), names);
  json::array elems;
  elems.reserve(d.size());
  for (const Atom& a : d.keys()) elems.push_back(atom_json(a, names));
  return json::array{"set", std::move(elems)};
}

json::value where_uuid(const Uuid& uuid) {
  return json::array{json::array{"_uuid", "==", json::array{"uuid", uuid.to_string()}}};
}

// JSON text with object members sorted by name, as the OVS tools print errors.
void sorted_text(const json::value& v, std::string* out) {
  if (const json::object* o = v.if_object()) {
    std::vector<std::string_view> keys;
    for (const auto& kv : *o) keys.push_back(kv.key());
    std::sort(keys.begin(), keys.end());
    out->push_back('{');
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i) out->push_back(',');
      *out += json::serialize(json::value(json::string(keys[i])));
      out->push_back(':');
      sorted_text(o->at(keys[i]), out);
    }
    out->push_back('}');
  } else if (const json::array* a = v.if_array()) {
    out->push_back('[');
    for (size_t i = 0; i < a->size(); ++i) {
      if (i) out->push_back(',');
      sorted_text((*a)[i], out);
    }
    out->push_back(']');
  } else {
    *out += json::serialize(v);
  }
}

std::string error_text(const json::object& e) {
  std::string tag = e.contains("error") && e.at("error").is_string()
                        ? std::string(e.at("error").get_string())
                        : std::string("unknown error");
  if (const json::value* d = e.if_contains("details"); d && d->is_string()) {
    return tag + ": " + std::string(d->get_string());
  }
  return tag;
}

}  // namespace

EncodedTransaction EncodedTransaction::encode(const Transaction& txn, const std::string& db,
                                              const std::string& lock) {
  EncodedTransaction out;
  out.params_.push_back(json::string(db));
  const DatabaseBinding& binding = txn.replica().binding();

  NameMap names;
  for (const auto& e : txn.edits_) {
    if (!e->base && !e->deleted) names.emplace(e->shadow->uuid(), e->uuid_name);
  }
  auto add = [&](json::object op, Check check, std::string what = {}, Uuid provisional = {}) {
    out.params_.push_back(std::move(op));
    out.checks_.push_back({check, provisional, std::move(what)});
  };
  auto column_type = [&](size_t table_id, size_t column) -> const Type& {
    return binding.table(table_id).schema->column(column).type;
  };

  for (const auto& e : txn.edits_) {
    const TableBinding& tb = binding.table(e->table_id);
    const TableSchema& schema = *tb.schema;
    std::string what = fmt::format("table {} row {}", tb.name(), e->shadow->uuid().to_string());
    if (!e->base) {
      if (e->deleted) continue;
      json::object row;
      for (size_t c = kFirstUserColumn; c < schema.columns().size(); ++c) {
        const Type& type = schema.column(c).type;
        const Datum& d = e->shadow->datum(c);
        if (d == Datum::default_for(type)) continue;
        row[schema.column(c).name] = datum_json(d, type.is_map(), names);
      }
      json::object op{{"op", "insert"}, {"table", tb.name()}, {"uuid-name", e->uuid_name}};
      op["row"] = std::move(row);
      add(std::move(op), Check::insert, what, e->shadow->uuid());
      continue;
    }
    for (size_t c : e->verified) {
      json::object expected;
      expected[schema.column(c).name] =
          datum_json(e->base->datum(c), column_type(e->table_id, c).is_map(), names);
      json::object op{{"op", "wait"},
                      {"timeout", 0},
                      {"table", tb.name()},
                      {"where", where_uuid(e->base->uuid())},
                      {"columns", json::array{json::string(schema.column(c).name)}},
                      {"until", "=="},
                      {"rows", json::array{std::move(expected)}}};
      add(std::move(op), Check::wait, what);
    }
    if (e->deleted) {
      add(
          json::object{
              {"op", "delete"}, {"table", tb.name()}, {"where", where_uuid(e->base->uuid())}},
          Check::count_one, what);
      continue;
    }
    if (!e->written.empty()) {
      json::object row;
      for (size_t c : e->written) {
        row[schema.column(c).name] =
            datum_json(e->shadow->datum(c), column_type(e->table_id, c).is_map(), names);
      }
      json::object op{
          {"op", "update"}, {"table", tb.name()}, {"where", where_uuid(e->base->uuid())}};
      op["row"] = std::move(row);
      add(std::move(op), Check::count_one, what);
    }
    json::array mutations;
    for (const auto& [c, m] : e->mutations) {
      bool is_map = column_type(e->table_id, c).is_map();
      const std::string& name = schema.column(c).name;
      // Deleting map keys takes a set of keys.
      if (!m.del.empty())
        mutations.push_back(
            json::array{json::string(name), "delete", datum_json(m.del, false, names, true)});
      if (!m.ins.empty())
        mutations.push_back(
            json::array{json::string(name), "insert", datum_json(m.ins, is_map, names, true)});
    }
    if (!mutations.empty()) {
      json::object op{
          {"op", "mutate"}, {"table", tb.name()}, {"where", where_uuid(e->base->uuid())}};
      op["mutations"] = std::move(mutations);
      add(std::move(op), Check::count_one, what);
    }
  }

  if (txn.increment_row_) {
    const Row* row = txn.increment_row_;
    const TableBinding& tb = row->table_binding();
    const std::string& name = tb.schema->column(txn.increment_column_).name;
    json::value where = names.count(row->uuid())
                            ? json::value(json::array{json::array{
                                  "_uuid", "==", json::array{"named-uuid", names[row->uuid()]}}})
                            : where_uuid(row->uuid());
    add(json::object{{"op", "mutate"},
                     {"table", tb.name()},
                     {"where", where},
                     {"mutations", json::array{json::array{json::string(name), "+=", 1}}}},
        Check::count_one, "increment");
    add(json::object{{"op", "select"},
                     {"table", tb.name()},
                     {"where", where},
                     {"columns", json::array{json::string(name)}}},
        Check::increment, "increment");
    out.increment_column_ = name;
  }
  if (!out.checks_.empty()) {
    for (const std::string& c : txn.comments_) {
      add(json::object{{"op", "comment"}, {"comment", c}}, Check::none);
    }
    if (!lock.empty()) {
      // The lock assertion goes first so nothing is done without the lock.
      out.params_.insert(out.params_.begin() + 1, json::object{{"op", "assert"}, {"lock", lock}});
      out.checks_.insert(out.checks_.begin(), OpCheck{Check::lock, {}, {}});
    }
  }
  return out;
}

TxnReport EncodedTransaction::interpret(const Result<json::value>& reply) const {
  TxnReport report;
  if (!reply.ok()) {
    const Error& e = reply.error();
    report.status = e.tag == "connection closed" ? TxnStatus::try_again : TxnStatus::error;
    report.error = e.to_string();
    return report;
  }
  const json::array* results = reply->if_array();
  if (!results) {
    report.status = TxnStatus::error;
    report.error = "transact reply is not an array";
    return report;
  }
  // The first error decides: an operation's, or the commit's (one extra element).
  for (size_t i = 0; i < results->size(); ++i) {
    const json::object* r = (*results)[i].if_object();
    if (!r || !r->contains("error")) continue;
    Check check = i < checks_.size() ? checks_[i].check : Check::none;
    std::string tag = r->at("error").is_string() ? std::string(r->at("error").get_string()) : "";
    report.error = error_text(*r);
    sorted_text((*results)[i], &report.error_json);
    if (check == Check::wait && tag == "timed out") {
      report.status = TxnStatus::try_again;
      report.error = "verify failed: " + checks_[i].what + " changed";
    } else if (check == Check::lock && tag == "not owner") {
      report.status = TxnStatus::not_locked;
    } else {
      report.status = TxnStatus::error;
    }
    return report;
  }
  if (results->size() < checks_.size()) {
    report.status = TxnStatus::error;
    report.error = fmt::format("transact reply has {} results for {} operations", results->size(),
                               checks_.size());
    return report;
  }
  report.status = TxnStatus::success;
  for (size_t i = 0; i < checks_.size(); ++i) {
    const json::object* r = (*results)[i].if_object();
    const OpCheck& c = checks_[i];
    if (c.check == Check::count_one) {
      const json::value* n = r ? r->if_contains("count") : nullptr;
      if (!n || !n->is_int64() || n->get_int64() != 1) {
        report.status = TxnStatus::try_again;
        report.error = c.what + " no longer exists";
        return report;
      }
    } else if (c.check == Check::insert) {
      const json::value* u = r ? r->if_contains("uuid") : nullptr;
      const json::array* a = u ? u->if_array() : nullptr;
      if (a && a->size() == 2 && (*a)[1].is_string()) {
        if (auto real = Uuid::parse((*a)[1].get_string())) report.new_uuids[c.provisional] = *real;
      }
    } else if (c.check == Check::increment) {
      const json::value* rows = r ? r->if_contains("rows") : nullptr;
      if (rows && rows->is_array() && rows->get_array().size() == 1) {
        const json::value& row = rows->get_array()[0];
        if (const json::value* v =
                row.is_object() ? row.get_object().if_contains(increment_column_) : nullptr;
            v && v->is_int64()) {
          report.increment_value = v->get_int64();
        }
      }
    }
  }
  return report;
}

}  // namespace ovnx::ovsdb::client
