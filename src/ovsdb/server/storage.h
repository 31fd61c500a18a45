// Durable storage of one database in OVSDB's standalone file format (ovsdb(5)): the schema
// record, then one record per committed transaction, appended before the client is answered
// (and fsynced first when the transaction asked to be durable, as the real server does).
//
// Opening replays every record; a torn or corrupt record ends the log: it and everything
// after it is dropped with a warning and the file truncated, so the server always starts with
// the last consistent state. Compaction rewrites the file as a snapshot (schema + one record
// with every row), atomically through a temporary file. Ephemeral columns are never written.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/result.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/database.h"
#include "ovsdb/server/log_file.h"

namespace ovnx::ovsdb::server {

class Storage {
 public:
  // Creates a database file holding only SCHEMA_TEXT (a schema's JSON), as ovsdb-tool create.
  static Status create(const std::string& path, std::string_view schema_text);

  // Opens PATH and loads its contents into *DB (created from the file's schema).
  static Result<std::unique_ptr<Storage>> open(const std::string& path,
                                               std::unique_ptr<Database>* db);
  // Only reads PATH (no lock, no repair): the database as the file's good records describe it.
  static Result<std::unique_ptr<Database>> load(const std::string& path,
                                                std::string* schema_text = nullptr,
                                                size_t* n_records = nullptr);

  // Appends the record of one committed transaction (nothing if it only changed ephemeral
  // columns). With changes.durable, fsyncs before returning.
  Status append(const ChangeSet& changes);

  // Rewrites the file as a snapshot of DB (which must be this storage's database).
  Status compact(const Database& db, const std::string& comment = "compacting database online");
  // The automatic compaction rule of ovsdb-server(1): the log grew past twice its size after
  // the last compaction and at least 10 MB, and 100 commits or 10 minutes went by (or 24 hours
  // and 100 commits regardless of size).
  bool should_compact() const;

  const std::string& path() const { return file_->path(); }
  const std::string& schema_text() const { return schema_text_; }
  uint64_t size() const { return file_->size(); }
  size_t records_since_compaction() const { return n_appended_; }

  // The JSON text of a transaction record for CHANGES ("" if nothing persistent changed).
  static std::string record_text(const ChangeSet& changes);
  // The JSON text of a snapshot record holding every row of DB.
  static std::string snapshot_text(const Database& db, const std::string& comment);
  // Applies one transaction record (parsed JSON text) to DB, as a checked transaction.
  static Status replay(Database& db, std::string_view record_text);

 private:
  Storage() = default;
  std::unique_ptr<LogFile> file_;
  std::string schema_text_;
  size_t n_appended_ = 0;
  uint64_t snapshot_size_ = 0;
  std::chrono::steady_clock::time_point last_compaction_ = std::chrono::steady_clock::now();
};

}  // namespace ovnx::ovsdb::server
