// Monitors (RFC 7047 section 4.1.5, ovsdb-server(7) sections 4.1.12 to 4.1.16): what one
// client asked to replicate, and the text of the updates it must receive.
//
// A MonitorTableSpec is one table's (columns, select flags, condition, update format). Specs
// are interned per database, so clients that ask for the same thing share one spec and a
// committed transaction is turned into JSON text once per distinct spec (UpdateCache), no
// matter how many clients watch it. All text is written directly, without building JSON values.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/fwd.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "base/result.h"
#include "ovsdb/condition.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/column_set.h"
#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

// The notification method a monitor's updates use: "update", "update2" or "update3".
enum class UpdateVersion { v1, v2, v3 };

struct MonitorSelect {
  bool initial = true;
  bool insert = true;
  bool del = true;
  bool modify = true;
};

// A monitor_cond "where": a row matches when any clause holds; no clauses matches everything.
// "column == value" clauses are grouped per column in hash sets, so conditions with thousands
// of clauses (ovn-controller's per-datapath conditions) cost one lookup per column.
class MonitorCondition {
 public:
  // WHERE may be null (match everything).
  static Result<MonitorCondition> from_json(const TableSchema& table,
                                            const boost::json::value* where);
  bool matches(const Row& row) const;
  bool is_true() const { return always_; }

 private:
  struct DatumHash {
    size_t operator()(const Datum& d) const noexcept { return d.hash(); }
  };
  struct EqualityClauses {
    size_t column;
    boost::unordered_flat_set<Datum, DatumHash> values;
  };
  bool always_ = false;
  std::vector<EqualityClauses> equal_;
  std::vector<Clause> others_;
};

struct MonitorTableSpec {
  const Table* table = nullptr;
  std::vector<size_t> columns;  // in schema order
  ColumnSet column_set;
  MonitorSelect select;
  MonitorCondition condition;
  bool v2 = false;   // update2/update3 notation (else update)
  std::string key;   // identity for interning
};
using SpecPtr = std::shared_ptr<const MonitorTableSpec>;

// Parses the <monitor-request> array (or single object) for one table. COND_ALLOWED is false
// for the plain "monitor" method, which has no "where".
Result<MonitorTableSpec> parse_monitor_request(const Table& table, const boost::json::value& req,
                                               bool v2, bool cond_allowed);

// Interns specs of one database.
class SpecRegistry {
 public:
  SpecPtr intern(MonitorTableSpec spec);
  size_t size() const { return specs_.size(); }

 private:
  std::unordered_map<std::string, std::weak_ptr<const MonitorTableSpec>> specs_;
};

// Per committed transaction: the <table-update(2)> text for each spec, computed on first use.
class UpdateCache {
 public:
  explicit UpdateCache(const ChangeSet& changes) : changes_(changes) {}
  const ChangeSet& changes() const { return changes_; }
  // The {"<uuid>":{...},...} text of SPEC's table in these changes, or "" if none is visible.
  const std::string& table_update(const MonitorTableSpec& spec);

 private:
  const ChangeSet& changes_;
  std::unordered_map<const MonitorTableSpec*, std::string> cache_;
};

// Appends the row updates of CHANGE as SPEC sees them, as "<uuid>":{...} members separated by
// commas (no braces). Returns the number of rows written.
size_t append_table_update(const MonitorTableSpec& spec, const TableChange& change,
                           std::string* out);
// Appends the current contents of SPEC's table as "initial" (v2) or "new" (v1) row updates,
// as above. Returns the number of rows written.
size_t append_initial(const MonitorTableSpec& spec, std::string* out);
// The row updates that a change of condition implies: rows matching only NEW_SPEC are
// inserted, rows matching only OLD_SPEC deleted (subject to the select flags).
size_t append_condition_change(const MonitorTableSpec& old_spec, const MonitorTableSpec& new_spec,
                               std::string* out);

// One monitor of one client.
class Monitor {
 public:
  Monitor(std::string id_text, UpdateVersion version, std::vector<SpecPtr> tables)
      : id_text_(std::move(id_text)), version_(version), tables_(std::move(tables)) {}

  const std::string& id_text() const { return id_text_; }  // the <json-value> as JSON text
  UpdateVersion version() const { return version_; }
  const std::vector<SpecPtr>& tables() const { return tables_; }
  void replace_table(size_t i, SpecPtr spec) { tables_[i] = std::move(spec); }

  // <table-updates(2)> of the current contents: {"T":{...},...}.
  std::string initial_text() const;
  // The update notification for one committed transaction, or "" if nothing is visible.
  std::string update_notification(UpdateCache& cache) const;
  // Wraps <table-updates> text in this monitor's notification. TXN_ID is for update3.
  std::string notification(const std::string& table_updates, const Uuid& txn_id) const;

 private:
  std::string id_text_;
  UpdateVersion version_;
  std::vector<SpecPtr> tables_;
};

}  // namespace ovnx::ovsdb::server
