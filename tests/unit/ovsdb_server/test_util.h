// Shared helpers for the server tests: a schema exercising every feature (types and
// constraints, strong and weak references, garbage collection, indexes, maxRows, immutable and
// ephemeral columns), and running "transact" requests against a Database.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "ovsdb/server/database.h"
#include "ovsdb/server/execution.h"

namespace ovnx::ovsdb::server::testing {

inline const char* kConfSchema = R"({"name": "Conf", "version": "1.0.0",
 "tables": {
  "Parent": {"columns": {
     "name": {"type": "string"},
     "count": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 100}}},
     "ratio": {"type": "real"},
     "flag": {"type": "boolean"},
     "color": {"type": {"key": {"type": "string", "enum": ["set", ["red", "green"]]}}},
     "tags": {"type": {"key": {"type": "string", "maxLength": 4}, "min": 0, "max": 3}},
     "nums": {"type": {"key": "integer", "min": 0, "max": "unlimited"}},
     "reals": {"type": {"key": "real", "min": 0, "max": "unlimited"}},
     "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
     "children": {"type": {"key": {"type": "uuid", "refTable": "Child"}, "min": 0,
                           "max": "unlimited"}},
     "weak": {"type": {"key": {"type": "uuid", "refTable": "Child", "refType": "weak"},
                       "min": 0, "max": 1}},
     "weak1": {"type": {"key": {"type": "uuid", "refTable": "Other", "refType": "weak"},
                        "min": 1, "max": 2}},
     "wmap": {"type": {"key": "string", "value": {"type": "uuid", "refTable": "Other",
                       "refType": "weak"}, "min": 0, "max": "unlimited"}},
     "opt": {"type": {"key": "integer", "min": 0, "max": 1}},
     "fixed": {"type": "integer", "mutable": false},
     "temp": {"type": "integer", "ephemeral": true}},
   "isRoot": true, "indexes": [["name"], ["count", "color"]]},
  "Child": {"columns": {"n": {"type": "integer"},
     "grand": {"type": {"key": {"type": "uuid", "refTable": "Grand"}, "min": 0, "max": 1}}}},
  "Grand": {"columns": {"g": {"type": "string"}}},
  "Other": {"columns": {"o": {"type": "integer"}}, "isRoot": true, "maxRows": 3},
  "Plain": {"columns": {"s": {"type": "string"}, "i": {"type": "integer"},
     "set": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
     "map": {"type": {"key": "string", "value": "integer", "min": 0, "max": "unlimited"}}},
   "isRoot": true},
  "Holder": {"columns": {"plain": {"type": {"key": {"type": "uuid", "refTable": "Plain"},
     "min": 0, "max": "unlimited"}}}, "isRoot": true}
 }})";

inline std::shared_ptr<const DatabaseSchema> conf_schema() {
  static auto schema = *DatabaseSchema::from_text(kConfSchema);
  return schema;
}

inline std::unique_ptr<Database> make_db() { return std::make_unique<Database>(conf_schema()); }

struct TxnResult {
  boost::json::array results;
  ChangeSetPtr committed;
  bool retry = false;

  // The error tag of the first failing element, or "" if all succeeded.
  std::string error() const {
    for (const auto& r : results) {
      if (r.is_object() && r.as_object().contains("error")) {
        return std::string(r.as_object().at("error").as_string());
      }
    }
    return "";
  }
  std::string details() const {
    for (const auto& r : results) {
      if (r.is_object() && r.as_object().contains("details")) {
        return std::string(r.as_object().at("details").as_string());
      }
    }
    return "";
  }
  std::string text() const { return boost::json::serialize(results); }
  // The UUID inserted by operation I.
  Uuid uuid(size_t i) const {
    return *Uuid::parse(results.at(i).as_object().at("uuid").as_array().at(1).as_string());
  }
  const boost::json::array& rows(size_t i) const {
    return results.at(i).as_object().at("rows").as_array();
  }
  int64_t count(size_t i) const { return results.at(i).as_object().at("count").as_int64(); }
};

// Runs OPS (a JSON array of operations, without the database name).
inline TxnResult transact(Database& db, const std::string& ops, ExecuteParams params = {}) {
  boost::json::value v = boost::json::parse(ops);
  boost::json::array a;
  a.push_back(boost::json::value(db.name()));
  for (auto& op : v.as_array()) a.push_back(op);
  params.db = &db;
  ExecuteOutcome out = execute_transaction(params, a, 1);
  TxnResult r{std::move(out.results), std::move(out.committed), out.retry};
  return r;
}

// Values of COLUMN in every row of TABLE, as JSON text, sorted.
inline std::vector<std::string> column_values(const Database& db, const std::string& table,
                                              const std::string& column);

}  // namespace ovnx::ovsdb::server::testing

#include "ovsdb/json.h"

namespace ovnx::ovsdb::server::testing {

inline std::vector<std::string> column_values(const Database& db, const std::string& table,
                                              const std::string& column) {
  const Table* t = db.find_table(table);
  const ColumnSchema* c = t->schema().find_column(column);
  std::vector<std::string> out;
  t->for_each([&](const RowRef& row) {
    out.push_back(boost::json::serialize(datum_to_json(row->columns[c->index], c->type)));
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ovnx::ovsdb::server::testing
