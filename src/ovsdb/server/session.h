// Internal to the server: one client connection and the OVSDB JSON-RPC methods it may call
// (RFC 7047 section 4 and ovsdb-server(7)), dispatched through a name -> handler table:
// list_dbs, get_schema, transact, cancel, monitor, monitor_cond, monitor_cond_since,
// monitor_cond_change, monitor_cancel, lock, steal, unlock, set_db_change_aware,
// get_server_id (echo is answered by the connection itself).
//
// A peer's bytes never crash the server: every parameter is validated and answered with an
// error reply; a stream that cannot be parsed closes only this connection.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/json/value.hpp>

#include "jsonrpc/connection.h"
#include "jsonrpc/message.h"
#include "ovsdb/server/lock.h"
#include "ovsdb/server/monitor.h"
#include "ovsdb/server/server_state.h"

namespace ovnx::ovsdb::server {

class ClientSession : public LockWaiter, public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(ServerState& state, jsonrpc::ConnectionPtr conn, SessionSettings settings);
  ~ClientSession() override;

  void start();
  // Closes the connection (server side) and releases everything the session held.
  void close();
  bool is_open() const { return open_; }
  const std::string& name() const;
  const SessionSettings& settings() const { return settings_; }
  bool db_change_aware() const { return db_change_aware_; }
  size_t n_monitors() const { return monitors_.size(); }
  bool has_triggers() const { return !triggers_.empty(); }

  // Sends this session's update notifications for a commit to ENTRY.
  void send_updates(DbEntry& entry, UpdateCache& cache);
  // Runs again the transactions waiting (in "wait" operations) on ENTRY.
  void retry_triggers(DbEntry& entry);
  // ENTRY is going away: cancel what uses it (or disconnect an unaware client).
  void database_removed(DbEntry& entry);

  void lock_acquired(const std::string& name) override;
  void lock_stolen(const std::string& name) override;

 private:
  struct Trigger;
  struct MonitorEntry {
    DbEntry* db;
    std::unique_ptr<Monitor> monitor;
  };
  using Handler = void (ClientSession::*)(jsonrpc::Message&);

  void on_message(jsonrpc::Message&& m);
  void release();
  void reply(const boost::json::value& result, const boost::json::value& id);
  void reply_text(const std::string& result_text, const boost::json::value& id);
  void reply_error(const Error& error, const boost::json::value& id);
  DbEntry* db_param(jsonrpc::Message& m, const char* method);

  void do_list_dbs(jsonrpc::Message& m);
  void do_get_schema(jsonrpc::Message& m);
  void do_transact(jsonrpc::Message& m);
  void do_cancel(jsonrpc::Message& m);
  void do_monitor(jsonrpc::Message& m);
  void do_monitor_cond_change(jsonrpc::Message& m);
  void do_monitor_cancel(jsonrpc::Message& m);
  void do_lock(jsonrpc::Message& m);
  void do_steal(jsonrpc::Message& m);
  void do_unlock(jsonrpc::Message& m);
  void do_set_db_change_aware(jsonrpc::Message& m);
  void do_get_server_id(jsonrpc::Message& m);

  // Runs a transaction; false if it waits for a later change.
  bool run_trigger(Trigger& t);
  void arm_trigger_timer(Trigger& t);
  static const std::map<std::string, Handler, std::less<>>& handlers();

  ServerState& state_;
  jsonrpc::ConnectionPtr conn_;
  SessionSettings settings_;
  bool open_ = true;
  bool db_change_aware_ = false;
  std::map<std::string, MonitorEntry> monitors_;  // by the id's JSON text
  std::set<std::string> locks_;                   // requested (owned or waiting)
  std::list<std::unique_ptr<Trigger>> triggers_;
};

}  // namespace ovnx::ovsdb::server
