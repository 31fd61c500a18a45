// The built-in _Server database (ovsdb-server(5)): one Database row per hosted database with
// its name, storage model ("standalone"), connection and leadership status and schema, kept up
// to date as databases come and go. Clients (the C and Python IDLs, ovn-nbctl, ovn-northd)
// read it before anything else. Read-only for clients.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

// The _Server schema's JSON text (built in from schemas/_server.ovsschema).
const char* server_schema_text();

class ServerDatabase {
 public:
  static constexpr const char* kName = "_Server";

  static Result<std::unique_ptr<ServerDatabase>> create();

  Database& db() { return *db_; }
  // Adds the row describing DB (name, schema); returns the committed change.
  Result<ChangeSetPtr> add(const Database& db);
  // Deletes the row for database NAME.
  Result<ChangeSetPtr> remove(const std::string& name);

 private:
  std::unique_ptr<Database> db_;
};

}  // namespace ovnx::ovsdb::server
