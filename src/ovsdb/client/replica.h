// The in-memory replica of a database's monitored tables, kept up to date from monitor
// updates, with change tracking and secondary indexes. No I/O: the Idl feeds it the updates
// it receives (and tests can feed it directly).
//
// Change tracking: every applied update adds to the current tracked batch; a program reads,
// per table, the rows inserted / modified (and which columns, with their old values) / deleted
// since the last clear_tracked(), then calls clear_tracked(). Deleted rows stay readable until
// then. A row inserted and deleted within one batch is not reported at all.
//
// Single-threaded: use from the thread that runs the Idl.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "ovsdb/client/binding.h"
#include "ovsdb/client/index.h"
#include "ovsdb/client/row.h"

namespace ovnx::ovsdb::client {

using RowMap = std::unordered_map<Uuid, std::unique_ptr<Row>>;

// Update notation: RFC 7047 "update" ({"old", "new"}), or the "update2" notation of
// monitor_cond / monitor_cond_since ("initial", "insert", "modify" with diffs, "delete").
enum class UpdateFormat { update1, update2 };

class Replica final : public RowSource {
 public:
  explicit Replica(std::shared_ptr<const DatabaseBinding> binding);
  ~Replica() override;
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  const DatabaseBinding& binding() const { return *binding_; }
  const std::shared_ptr<const DatabaseBinding>& binding_ptr() const { return binding_; }

  // Lookup.
  const Row* find_row(size_t table_id, const Uuid& uuid) const override;
  const RowMap& rows(size_t table_id) const { return tables_[table_id].rows; }
  size_t size(size_t table_id) const { return tables_[table_id].rows.size(); }

  // Increases whenever an applied update changed some row (a cheap "did anything change?").
  uint64_t seqno() const { return seqno_; }

  // Change tracking. Rows changed in the current batch, in first-change order, with their
  // final Change (none of them is Change::none). Filter with Row::change().
  std::vector<const Row*> tracked(size_t table_id) const;
  bool has_tracked_changes() const;
  // Forgets the tracked changes and frees deleted rows.
  void clear_tracked();
  // Tracking is on by default; when off, deleted rows are freed at once and nothing is
  // recorded (for one-shot tools).
  void set_tracking(bool on) { tracking_ = on; }

  // Indexes. The schema's own indexes exist for every table (schema_index(t, i) is the i-th
  // entry of the table's "indexes"). add_index() makes a generic one, built from the current
  // rows and maintained from then on; the pointer stays valid for the replica's lifetime.
  const Index* schema_index(size_t table_id, size_t i) const;
  const Index* add_index(size_t table_id, std::vector<size_t> columns);

  // Applies a <table-updates> (UpdateFormat::update1) or <table-updates2> object. Tables and
  // columns the binding does not know are ignored. Errors name what was malformed; the rows
  // processed before the error stay applied (the caller then resynchronizes).
  Status apply(const boost::json::value& table_updates, UpdateFormat format);

  // A full reload (a monitor reply that is a complete snapshot, e.g. after a reconnect that
  // could not resume): call begin_reload(), apply() the snapshot, then end_reload(TABLES) to
  // delete the rows of TABLES the snapshot did not contain. Rows whose values did not change
  // are not reported as changed, so a reload costs the program only the real differences.
  void begin_reload();
  void end_reload(const std::vector<size_t>& table_ids);

  // Deletes every row (tracked as deletions).
  void clear();

 private:
  struct Table {
    RowMap rows;
    std::vector<Row*> changed;                    // tracked, first-change order
    std::vector<std::unique_ptr<Row>> graveyard;  // deleted rows kept for tracking
    std::vector<std::unique_ptr<Index>> indexes;  // schema indexes first, then generic ones
    size_t n_schema_indexes = 0;
  };
  struct ColumnValue {
    size_t column;
    Datum value;
  };

  Status apply_row_update1(size_t table_id, const Uuid& uuid, const boost::json::value& update);
  Status apply_row_update2(size_t table_id, const Uuid& uuid, const boost::json::value& update);
  Status parse_columns(const TableBinding& table, const boost::json::value& row,
                       std::vector<ColumnValue>* out) const;
  Row* insert_row(size_t table_id, const Uuid& uuid, std::vector<ColumnValue> values);
  // Replaces (DIFF false) or applies diffs to (DIFF true) columns of ROW.
  void modify_row(size_t table_id, Row* row, std::vector<ColumnValue> values, bool diff);
  void delete_row(size_t table_id, const Uuid& uuid);
  void note_change(Table& table, Row* row, Change change);
  void index_remove(Table& table, const Row* row, const std::vector<ColumnValue>* only_if);
  void index_add(Table& table, const Row* row, const std::vector<ColumnValue>* only_if);

  std::shared_ptr<const DatabaseBinding> binding_;
  std::vector<Table> tables_;
  uint64_t seqno_ = 0;
  bool changed_ = false;  // the current apply() changed something
  bool tracking_ = true;
  uint32_t generation_ = 0;
};

// Applies an update2 "modify" diff of a set or map column to VALUE: set elements in DIFF are
// toggled; map pairs replace the value of an existing key, remove it if the value is equal,
// add it if absent (ovsdb-server(7), "update2").
void apply_datum_diff(Datum* value, const Datum& diff, bool is_map);

}  // namespace ovnx::ovsdb::client
