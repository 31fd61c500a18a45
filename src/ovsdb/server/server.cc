#include "ovsdb/server/server.h"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "jsonrpc/unixctl.h"
#include "ovsdb/server/remotes.h"
#include "ovsdb/server/server_state.h"
#include "ovsdb/server/session.h"

OVNX_LOG_MODULE(ovsdb_server);

namespace ovnx::ovsdb::server {

struct Server::Impl {
  explicit Impl(boost::asio::io_context& io) : state(io), remotes(state) {}
  ServerState state;
  RemoteManager remotes;
};

Server::Server(boost::asio::io_context& io, ServerOptions options)
    : impl_(std::make_unique<Impl>(io)) {
  impl_->state.connection_options.max_message_bytes = options.max_message_bytes;
  impl_->state.connection_options.max_backlog_bytes = options.max_backlog_bytes;
  // Requests are turned into our own data structures and dropped: parse each in an arena.
  impl_->state.connection_options.arena_per_message = true;
}

Server::~Server() = default;

Status Server::open_database(const std::string& path) {
  std::unique_ptr<Database> db;
  OVNX_ASSIGN_OR_RETURN(std::unique_ptr<Storage> storage, Storage::open(path, &db));
  std::string name = db->name();
  OVNX_RETURN_IF_ERROR(impl_->state.add_db(std::move(db), std::move(storage)));
  LOG_INFO("{}: serving database {}", path, name);
  impl_->remotes.reconfigure();
  return {};
}

Status Server::add_database(std::unique_ptr<Database> db) {
  OVNX_RETURN_IF_ERROR(impl_->state.add_db(std::move(db), nullptr));
  impl_->remotes.reconfigure();
  return {};
}

Status Server::remove_database(const std::string& name) {
  OVNX_RETURN_IF_ERROR(impl_->state.remove_db(name));
  impl_->remotes.reconfigure();
  return {};
}

std::vector<std::string> Server::database_names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : impl_->state.dbs()) names.push_back(name);
  return names;
}

Status Server::add_remote(const std::string& target) { return impl_->remotes.add(target); }
Status Server::remove_remote(const std::string& target) { return impl_->remotes.remove(target); }
std::vector<std::string> Server::remotes() const { return impl_->remotes.list(); }
std::vector<jsonrpc::Address> Server::listening_addresses() const {
  return impl_->remotes.listening();
}

Status Server::compact(const std::string& db_name) {
  // The messages are ovsdb-server's, so scripts that look at them keep working.
  if (!db_name.empty()) {
    DbEntry* entry = impl_->state.find_db(db_name);
    if (!entry) return make_error("", "no database by that name");
    if (entry->is_server_db) return make_error("", "cannot compact built-in databases");
    return impl_->state.compact(*entry);
  }
  for (const auto& [name, entry] : impl_->state.dbs()) {
    OVNX_RETURN_IF_ERROR(impl_->state.compact(*entry));
  }
  return {};
}

std::string Server::memory_report() const {
  size_t atoms = 0, cells = 0, monitors = 0, history = 0, history_rows = 0;
  for (const auto& [name, entry] : impl_->state.dbs()) {
    const Database& db = *entry->db;
    for (size_t i = 0; i < db.n_tables(); ++i) {
      const Table& t = db.table(i);
      cells += t.count_cells();
      t.for_each([&](const RowRef& row) {
        for (const Datum& d : row->columns) atoms += d.size() * (d.is_map() ? 2 : 1);
      });
    }
    history += entry->history.size();
    history_rows += entry->history.n_rows();
  }
  for (const auto& s : impl_->state.sessions()) monitors += s->n_monitors();
  return fmt::format("atoms:{} cells:{} monitors:{} sessions:{} txn-history:{} "
                     "txn-history-rows:{}\n",
                     atoms, cells, monitors, impl_->state.sessions().size(), history,
                     history_rows);
}

void Server::serve(jsonrpc::ConnectionPtr conn) { impl_->state.add_session(std::move(conn), {}); }

void Server::register_commands(jsonrpc::UnixctlServer& unixctl, std::function<void()> exit) {
  using Args = jsonrpc::UnixctlServer::Args;
  auto text_error = [](const Error& e) { return make_error("", e.to_string()); };
  unixctl.add_command("exit", "", 0, 0, [exit](const Args&) -> Result<std::string> {
    exit();
    return std::string();
  });
  unixctl.add_command("memory/show", "", 0, 0, [this](const Args&) -> Result<std::string> {
    return memory_report();
  });
  unixctl.add_command("ovsdb-server/compact", "[DB]", 0, 1,
                      [this, text_error](const Args& a) -> Result<std::string> {
                        Status st = compact(a.empty() ? "" : a[0]);
                        if (!st.ok() && st.error().tag.empty()) {
                          return make_error("", st.error().details);
                        }
                        if (!st.ok()) return text_error(st.error());
                        return std::string();
                      });
  unixctl.add_command("ovsdb-server/list-dbs", "", 0, 0, [this](const Args&) -> Result<std::string> {
    std::string out;
    for (const std::string& n : database_names()) out += n + "\n";
    return out;
  });
  unixctl.add_command("ovsdb-server/add-remote", "REMOTE", 1, 1,
                      [this, text_error](const Args& a) -> Result<std::string> {
                        Status st = add_remote(a[0]);
                        if (!st.ok()) return text_error(st.error());
                        return std::string();
                      });
  unixctl.add_command("ovsdb-server/remove-remote", "REMOTE", 1, 1,
                      [this](const Args& a) -> Result<std::string> {
                        Status st = remove_remote(a[0]);
                        if (!st.ok()) return make_error("", "no such remote");
                        return std::string();
                      });
  unixctl.add_command("ovsdb-server/list-remotes", "", 0, 0,
                      [this](const Args&) -> Result<std::string> {
                        std::string out;
                        for (const std::string& r : remotes()) out += r + "\n";
                        return out;
                      });
  unixctl.add_command("ovsdb-server/add-db", "DB", 1, 1,
                      [this, text_error](const Args& a) -> Result<std::string> {
                        Status st = open_database(a[0]);
                        if (!st.ok()) return text_error(st.error());
                        // As the real server: clients unaware of database changes reconnect.
                        impl_->state.disconnect_unaware_sessions();
                        return std::string();
                      });
  unixctl.add_command("ovsdb-server/remove-db", "DB", 1, 1,
                      [this](const Args& a) -> Result<std::string> {
                        Status st = remove_database(a[0]);
                        if (!st.ok()) {
                          return make_error("", fmt::format("Failed to find the database {}.",
                                                            a[0]));
                        }
                        return std::string();
                      });
  unixctl.add_command("ovsdb-server/reconnect", "", 0, 0, [this](const Args&) -> Result<std::string> {
    impl_->state.close_sessions(nullptr);
    return std::string();
  });
}

}  // namespace ovnx::ovsdb::server
