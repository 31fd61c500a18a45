// The OVSDB client: keeps a Replica of the tables and columns a program asks for, over a
// reconnecting JSON-RPC session, and commits its transactions.
//
// On every connection it (1) watches the _Server database to learn that the database is there
// (and, for a cluster, that this server is connected and, with leader_only, the leader;
// otherwise it moves on to the next remote), (2) fetches the schema and checks the requested
// tables and columns (a column or table the server lacks is skipped with a warning, as for an
// older schema, unless the program marked it required), (3) takes the lock if the program
// wants one, (4) monitors with monitor_cond_since, resuming from the last transaction id it
// saw, so a reconnect to a server that still has that history costs only the changes; older
// servers get monitor_cond, then monitor. A full snapshot after a reconnect is applied as a
// difference (see Replica::end_reload), so change tracking reports only real changes.
//
// Everything runs on the caller's io_context thread; callbacks are invoked there. The Idl must
// outlive nothing it hands out except rows, which live in its replica.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "ovsdb/client/binding.h"
#include "ovsdb/client/monitor_condition.h"
#include "ovsdb/client/replica.h"
#include "ovsdb/client/transaction.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::ovsdb::client {

struct IdlOptions {
  std::string remote;          // connection methods, comma separated ("unix:a,tcp:b:6641")
  bool leader_only = true;     // for clustered databases, only talk to the leader
  bool monitor_server = true;  // use _Server to check the database (off for old servers)
  int min_backoff_ms = 100;
  int max_backoff_ms = 8000;
  int probe_interval_ms = 5000;  // inactivity probe; 0 disables
  // 0: keep reconnecting; else give up after that many failed connection attempts in a row
  // (gave_up() and last_error() tell); one-shot tools use the number of remotes.
  int max_connect_attempts = 0;
};

// Which monitor method the current connection uses.
enum class MonitorMethod { none, monitor_cond_since, monitor_cond, monitor };
const char* monitor_method_name(MonitorMethod method);

struct IdlStats {
  uint64_t connections = 0;    // successful connections
  uint64_t full_loads = 0;     // monitor replies that were complete snapshots
  uint64_t resumed_loads = 0;  // monitor_cond_since replies that resumed (found = true)
  uint64_t updates = 0;        // update notifications applied
  uint64_t commits = 0;        // transactions sent
  uint64_t retries = 0;        // transactions rebuilt by transact() after try_again
};

class Idl {
 public:
  using CommitHandler = std::function<void(const TxnReport&)>;
  // Builds a transaction; returning an error abandons it (the report says error).
  using TxnBuilder = std::function<Status(Transaction&)>;

  Idl(boost::asio::io_context& io, std::shared_ptr<const DatabaseBinding> binding,
      IdlOptions options);
  ~Idl();
  Idl(const Idl&) = delete;
  Idl& operator=(const Idl&) = delete;

  // ---- What to replicate; call before start().
  // Replicates COLUMNS (schema column indexes; empty = every column) of a table. With
  // REQUIRED, a server without the table or one of those columns is an error (last_error())
  // instead of a warning. Calling again for a table adds columns.
  void monitor_table(size_t table_id, std::vector<size_t> columns = {}, bool required = false);
  // Every column of every table.
  void monitor_all();
  template <class T>
  void monitor(std::vector<size_t> columns = {}, bool required = false) {
    monitor_table(T::kTableId, std::move(columns), required);
  }

  // ---- May be called at any time.
  // Replicate only the rows of a table that match CONDITION (see MonitorCondition). Rows enter
  // and leave the replica (tracked as inserts and deletes) once the server applied it. (A
  // server that only knows "monitor", older than OVS 2.6, sends every row.)
  void set_condition(size_t table_id, MonitorCondition condition);
  // True when the server has applied every condition set so far.
  bool conditions_acked() const;
  // Asks for (or, with "", releases) the named lock; has_lock() tells when it is held.
  // Transactions assert the lock, so they fail (not_locked) after it was stolen.
  void set_lock(std::string name);
  bool has_lock() const;
  // Another client holds the lock we asked for.
  bool is_lock_contended() const;
  // Called (posted, coalesced) after the replica, the connection state or the lock changed.
  void set_on_change(std::function<void()> on_change);

  void start();
  void close();

  Replica& replica();
  const Replica& replica() const;
  const DatabaseBinding& binding() const;
  bool is_connected() const;
  // The replica reflects the server: the current connection's initial monitor reply arrived.
  bool is_synced() const;
  // Changes every time a new connection gets synced.
  uint64_t sync_seqno() const;
  MonitorMethod monitor_method() const;
  // The last error that stops replication (database missing, schema incompatible), if any;
  // cleared once synced.
  const std::optional<Error>& last_error() const;
  // True once the connection attempts allowed by max_connect_attempts all failed.
  bool gave_up() const;
  const IdlStats& stats() const;

  // What the server's schema has (false before the schema was fetched).
  bool server_has_table(size_t table_id) const;
  bool server_has_column(size_t table_id, size_t column) const;
  // The server's schema, once fetched on some connection.
  std::shared_ptr<const DatabaseSchema> server_schema() const;

  // ---- Transactions.
  // Sends TXN (not retried). DONE gets the report: unchanged if TXN is empty, try_again if not
  // connected and synced or the connection dropped, not_locked if we want a lock we lack.
  void commit(const Transaction& txn, CommitHandler done);
  // Builds a transaction with BUILD against the current replica and commits it; on try_again
  // waits until the replica changed (or resynchronized) and rebuilds, up to MAX_ATTEMPTS.
  void transact(TxnBuilder build, CommitHandler done, int max_attempts = 20);

  // Drops the connection and reconnects (tests, and programs that detect a problem).
  void force_reconnect();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Runs IO until PREDICATE holds or TIMEOUT_MS elapses (< 0: no limit); returns PREDICATE().
// For command-line tools and tests; daemons run their io_context normally.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& predicate, int timeout_ms);

}  // namespace ovnx::ovsdb::client
