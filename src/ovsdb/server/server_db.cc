#include "ovsdb/server/server_db.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "ovsdb/server/transaction.h"

namespace ovnx::ovsdb::server {

Result<std::unique_ptr<ServerDatabase>> ServerDatabase::create() {
  OVNX_ASSIGN_OR_RETURN(auto schema, DatabaseSchema::from_text(server_schema_text()));
  auto s = std::unique_ptr<ServerDatabase>(new ServerDatabase());
  s->db_ = std::make_unique<Database>(std::move(schema));
  OVNX_RETURN_IF_ERROR(s->add(*s->db_));
  return s;
}

Result<ChangeSetPtr> ServerDatabase::add(const Database& db) {
  Table& table = *db_->find_table("Database");
  const TableSchema& ts = table.schema();
  auto set = [&](Row& row, const char* column, Atom value) {
    row.columns[ts.find_column(column)->index] = Datum::scalar(std::move(value));
  };
  Row row = Row::make_default(ts, Uuid::generate());
  set(row, "name", Atom(db.name()));
  set(row, "model", Atom("standalone"));
  set(row, "connected", Atom(true));
  set(row, "leader", Atom(true));
  set(row, "schema", Atom(boost::json::serialize(db.schema().to_json())));
  Transaction txn(*db_);
  OVNX_RETURN_IF_ERROR(txn.insert(table, std::move(row)));
  OVNX_RETURN_IF_ERROR(txn.prepare());
  return txn.commit();
}

Result<ChangeSetPtr> ServerDatabase::remove(const std::string& name) {
  Table& table = *db_->find_table("Database");
  size_t name_col = table.schema().find_column("name")->index;
  Transaction txn(*db_);
  std::vector<Uuid> doomed;
  table.for_each([&](const RowRef& row) {
    if (row->columns[name_col].scalar_atom().string() == name) doomed.push_back(row->uuid());
  });
  for (const Uuid& u : doomed) txn.erase(table, u);
  OVNX_RETURN_IF_ERROR(txn.prepare());
  return txn.commit();
}

}  // namespace ovnx::ovsdb::server
