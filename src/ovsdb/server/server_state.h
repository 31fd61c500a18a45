// Internal to the server: the state shared by client sessions, remotes and the control
// commands -- the hosted databases (each with its storage, transaction history and interned
// monitor specs), the lock table, and the commit fan-out that keeps every monitor, waiting
// transaction and db: remote in step after each commit. Single-threaded (the event loop).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "jsonrpc/connection.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/database.h"
#include "ovsdb/server/lock.h"
#include "ovsdb/server/monitor.h"
#include "ovsdb/server/server_db.h"
#include "ovsdb/server/storage.h"
#include "ovsdb/server/txn_history.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::ovsdb::server {

class ClientSession;

struct DbEntry {
  std::string name;
  std::unique_ptr<Database> owned;  // hosted databases (null for _Server)
  Database* db = nullptr;
  std::unique_ptr<Storage> storage;  // null for _Server and in-memory databases
  TxnHistory history;
  SpecRegistry specs;
  bool is_server_db = false;
};

// Per-remote counters a session reports to (Connection.status / is_connected).
struct RemoteStats {
  size_t n_connections = 0;
  std::chrono::steady_clock::time_point last_connect{};
  std::chrono::steady_clock::time_point last_disconnect{};
  bool ever_connected = false;
  bool ever_disconnected = false;
};

struct SessionSettings {
  int probe_interval_ms = 0;
  bool read_only = false;
  std::shared_ptr<RemoteStats> stats;  // may be null
};

class ServerState {
 public:
  explicit ServerState(boost::asio::io_context& io);
  ~ServerState();

  boost::asio::io_context& io() { return io_; }
  const Uuid& server_id() const { return server_id_; }
  LockTable& locks() { return locks_; }
  jsonrpc::ConnectionOptions connection_options;  // limits for client connections

  // Databases, by name (including _Server).
  DbEntry* find_db(std::string_view name);
  const std::map<std::string, std::unique_ptr<DbEntry>, std::less<>>& dbs() const { return dbs_; }
  Status add_db(std::unique_ptr<Database> db, std::unique_ptr<Storage> storage);
  Status remove_db(const std::string& name);

  // Everything that must follow a commit to ENTRY: history, monitor updates to every session
  // (before the committer's reply, which the caller sends afterwards), retrying waiting
  // transactions, the commit hooks (db: remotes), automatic compaction.
  void committed(DbEntry& entry, const ChangeSetPtr& changes);
  // Called after each commit (e.g. by the remotes to follow their configuration).
  std::vector<std::function<void(DbEntry&, const ChangeSet&)>> commit_hooks;

  // Client sessions.
  std::shared_ptr<ClientSession> add_session(jsonrpc::ConnectionPtr conn, SessionSettings settings);
  void remove_session(ClientSession* session);
  const std::vector<std::shared_ptr<ClientSession>>& sessions() const { return sessions_; }
  // Closes every session using STATS (a remote that went away), or all with null.
  void close_sessions(const RemoteStats* stats);
  // Closes the sessions that did not ask for database change awareness.
  void disconnect_unaware_sessions();

  Status compact(DbEntry& entry);

 private:
  void retry_triggers(DbEntry* entry);

  boost::asio::io_context& io_;
  Uuid server_id_ = Uuid::generate();
  LockTable locks_;
  std::unique_ptr<ServerDatabase> server_db_;
  std::map<std::string, std::unique_ptr<DbEntry>, std::less<>> dbs_;
  std::vector<std::shared_ptr<ClientSession>> sessions_;
  bool compaction_pending_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // guards posted work
};

}  // namespace ovnx::ovsdb::server
