// ovnx's OVSDB server (the library behind ovnx-dbserver): hosts databases from standalone
// files (plus the built-in _Server), serves OVSDB JSON-RPC clients on the configured remotes,
// and offers the ovsdb-server control commands on a unixctl socket.
//
// Usage:
//   boost::asio::io_context io;
//   Server server(io);
//   server.open_database("nb.db");
//   server.add_remote("punix:/run/nb.sock");
//   io.run();
// Single-threaded: every call and all work happen on IO's thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "jsonrpc/address.h"
#include "jsonrpc/connection.h"

namespace boost::asio {
class io_context;
}
namespace ovnx::jsonrpc {
class UnixctlServer;
}

namespace ovnx::ovsdb::server {

class Database;

struct ServerOptions {
  // A client sending a larger message is disconnected.
  size_t max_message_bytes = 512u << 20;
  // A client that lets this much output pile up unread is disconnected (0: no limit).
  size_t max_backlog_bytes = 512u << 20;
};

class Server {
 public:
  explicit Server(boost::asio::io_context& io, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens a database file (created by ovsdb-tool/ovnx-dbtool create) and serves it.
  Status open_database(const std::string& path);
  // Serves DB from memory only (no file): tests and benchmarks.
  Status add_database(std::unique_ptr<Database> db);
  Status remove_database(const std::string& name);
  // Names of the databases served, _Server included, sorted.
  std::vector<std::string> database_names() const;

  // Remotes: punix:PATH, ptcp:PORT[:IP], unix:PATH, tcp:IP:PORT or db:DB,TABLE,COLUMN.
  Status add_remote(const std::string& target);
  Status remove_remote(const std::string& target);
  std::vector<std::string> remotes() const;
  std::vector<jsonrpc::Address> listening_addresses() const;

  // Compacts one database file (or all with an empty name).
  Status compact(const std::string& db_name = "");
  // The memory/show line.
  std::string memory_report() const;

  // Adds exit, memory/show and the ovsdb-server/... commands to UNIXCTL; "exit" calls EXIT.
  void register_commands(jsonrpc::UnixctlServer& unixctl, std::function<void()> exit);

  // Serves an already established connection.
  void serve(jsonrpc::ConnectionPtr conn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ovnx::ovsdb::server
