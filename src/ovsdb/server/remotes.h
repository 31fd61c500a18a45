// Internal to the server: where clients connect (ovsdb-server(1) --remote). A remote is a
// passive method (punix:, ptcp:) the server listens on, an active one (unix:, tcp:) it
// connects out to and keeps reconnecting, or db:DB,TABLE,COLUMN, which takes its methods from
// the database itself: strings in COLUMN, or rows COLUMN refers to with their target,
// inactivity_probe, max_backoff and read_only columns (OVN's Connection table). Database
// remotes follow every commit, and their rows' status and is_connected columns are kept up to
// date like the real server does.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "jsonrpc/address.h"
#include "ovsdb/server/server_state.h"

namespace ovnx::ovsdb::server {

class RemoteManager {
 public:
  explicit RemoteManager(ServerState& state);
  ~RemoteManager();

  // Adds or removes a configured remote (a connection method or a db: source).
  Status add(const std::string& target);
  Status remove(const std::string& target);
  // Configured remotes (not the ones found through db: sources), sorted.
  std::vector<std::string> list() const;
  // The addresses the server listens on now (ptcp:0 shows its real port).
  std::vector<jsonrpc::Address> listening() const;

  // Re-reads the db: sources and opens/closes remotes to match.
  void reconfigure();
  // Writes status/is_connected for remotes that came from rows with those columns.
  void update_status();

 private:
  struct Remote;
  struct Desired;
  struct Tick;  // the periodic timer
  Status open_remote(Remote& r);
  void close_remote(Remote& r);
  void connect_active(const std::shared_ptr<Remote>& r);
  void arm_tick();
  std::vector<Desired> read_db_source(const std::string& source) const;

  ServerState& state_;
  std::vector<std::string> db_sources_;                        // "db:..." as configured
  std::map<std::string, std::shared_ptr<Remote>> configured_;  // connection methods
  std::map<std::string, std::shared_ptr<Remote>> from_db_;     // found through db: sources
  std::unique_ptr<Tick> tick_;
  bool reconfigure_pending_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ovnx::ovsdb::server
