// Binds a database schema to the client library: the tables a program knows, their column
// types, and how rows are allocated. Generated bindings (idlgen) build one from the schema
// compiled into the program and register a row factory per table, so each replica row has
// the generated class (e.g. nb::LogicalSwitch) as its dynamic type. Generic programs (the ctl
// tools' database commands) can bind any schema with plain rows.
//
// Immutable after construction; shared (shared_ptr) between replicas and transactions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ovsdb/schema.h"

namespace ovnx::ovsdb::client {

class Row;
using RowFactory = std::unique_ptr<Row> (*)();

struct TableBinding {
  size_t id = 0;                        // position in DatabaseBinding::tables()
  const TableSchema* schema = nullptr;  // owned by the binding's DatabaseSchema
  RowFactory make_row = nullptr;        // null: plain client::Row

  const std::string& name() const { return schema->name(); }
  // Number of user columns (schema columns after _uuid and _version).
  size_t n_user_columns() const { return schema->columns().size() - kFirstUserColumn; }
  std::unique_ptr<Row> new_row() const;
};

class DatabaseBinding {
 public:
  // One table binding per table of SCHEMA, ids in the schema's (name) order. FACTORIES gives
  // the row factory of some tables by name; the others get plain rows.
  DatabaseBinding(std::shared_ptr<const DatabaseSchema> schema,
                  const std::vector<std::pair<std::string_view, RowFactory>>& factories = {});
  DatabaseBinding(const DatabaseBinding&) = delete;
  DatabaseBinding& operator=(const DatabaseBinding&) = delete;

  // A binding with plain rows for a schema parsed from TEXT (e.g. fetched with get_schema).
  static Result<std::shared_ptr<const DatabaseBinding>> from_schema_text(std::string_view text);

  const DatabaseSchema& schema() const { return *schema_; }
  const std::shared_ptr<const DatabaseSchema>& schema_ptr() const { return schema_; }
  const std::string& name() const { return schema_->name(); }
  const std::vector<TableBinding>& tables() const { return tables_; }
  const TableBinding& table(size_t id) const { return tables_[id]; }
  // Exact (case-sensitive) name; nullptr if unknown.
  const TableBinding* find_table(std::string_view name) const;
  // The binding of the table that SCHEMA describes (a table of this binding's schema).
  const TableBinding& table_of(const TableSchema& schema) const;

 private:
  std::shared_ptr<const DatabaseSchema> schema_;
  std::vector<TableBinding> tables_;
};

}  // namespace ovnx::ovsdb::client
