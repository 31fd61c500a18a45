#include "ovsdb/server/server_state.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "ovsdb/server/session.h"

OVNX_LOG_MODULE(ovsdb_server);

namespace ovnx::ovsdb::server {

namespace asio = boost::asio;

ServerState::ServerState(asio::io_context& io) : io_(io) {
  auto sdb = ServerDatabase::create();
  // The built-in schema is part of the program: failing to parse it is a bug.
  if (!sdb.ok()) {
    LOG_EMER("cannot create _Server database: {}", sdb.error().to_string());
    std::abort();
  }
  server_db_ = std::move(*sdb);
  auto entry = std::make_unique<DbEntry>();
  entry->name = ServerDatabase::kName;
  entry->db = &server_db_->db();
  entry->is_server_db = true;
  dbs_.emplace(entry->name, std::move(entry));
}

ServerState::~ServerState() {
  for (auto& s : sessions_) s->close();
  *alive_ = false;
}

DbEntry* ServerState::find_db(std::string_view name) {
  auto it = dbs_.find(name);
  return it == dbs_.end() ? nullptr : it->second.get();
}

Status ServerState::add_db(std::unique_ptr<Database> db, std::unique_ptr<Storage> storage) {
  const std::string name = db->name();
  if (dbs_.count(name)) {
    return make_error("ovsdb error", fmt::format("{}: database with this name is already open",
                                                 name));
  }
  auto entry = std::make_unique<DbEntry>();
  entry->name = name;
  entry->owned = std::move(db);
  entry->db = entry->owned.get();
  entry->storage = std::move(storage);
  OVNX_ASSIGN_OR_RETURN(ChangeSetPtr change, server_db_->add(*entry->db));
  dbs_.emplace(name, std::move(entry));
  committed(*find_db(ServerDatabase::kName), change);
  return {};
}

Status ServerState::remove_db(const std::string& name) {
  DbEntry* entry = find_db(name);
  if (!entry || entry->is_server_db) {
    return make_error("ovsdb error", fmt::format("{}: no database with this name", name));
  }
  std::vector<std::shared_ptr<ClientSession>> sessions = sessions_;
  for (auto& s : sessions) {
    if (s->is_open()) s->database_removed(*entry);
  }
  OVNX_ASSIGN_OR_RETURN(ChangeSetPtr change, server_db_->remove(name));
  dbs_.erase(name);
  committed(*find_db(ServerDatabase::kName), change);
  return {};
}

void ServerState::committed(DbEntry& entry, const ChangeSetPtr& changes) {
  entry.history.add(changes, entry.db->n_atoms());
  UpdateCache cache(*changes);
  for (size_t i = 0; i < sessions_.size(); ++i) {
    ClientSession& s = *sessions_[i];
    if (s.is_open() && s.n_monitors()) s.send_updates(entry, cache);
  }
  for (auto& hook : commit_hooks) hook(entry, *changes);
  // Waiting transactions and compaction run later, outside the committer's call chain.
  std::weak_ptr<bool> alive = alive_;
  std::string name = entry.name;
  bool waiting = false;
  for (const auto& s : sessions_) waiting = waiting || s->has_triggers();
  if (waiting) {
    asio::post(io_, [this, alive, name] {
      if (alive.expired()) return;
      if (DbEntry* e = find_db(name)) retry_triggers(e);
    });
  }
  if (entry.storage && !compaction_pending_ && entry.storage->should_compact()) {
    compaction_pending_ = true;
    asio::post(io_, [this, alive, name] {
      if (alive.expired()) return;
      compaction_pending_ = false;
      if (DbEntry* e = find_db(name)) {
        Status st = compact(*e);
        if (!st.ok()) LOG_WARN("{}: automatic compaction failed: {}", name, st.error().to_string());
      }
    });
  }
}

void ServerState::retry_triggers(DbEntry* entry) {
  std::vector<std::shared_ptr<ClientSession>> sessions = sessions_;
  for (auto& s : sessions) {
    if (s->is_open()) s->retry_triggers(*entry);
  }
}

std::shared_ptr<ClientSession> ServerState::add_session(jsonrpc::ConnectionPtr conn,
                                                        SessionSettings settings) {
  auto s = std::make_shared<ClientSession>(*this, std::move(conn), std::move(settings));
  sessions_.push_back(s);
  s->start();
  return s;
}

void ServerState::remove_session(ClientSession* session) {
  // Deferred: the session may be running one of its own handlers.
  std::weak_ptr<bool> alive = alive_;
  asio::post(io_, [this, alive, session] {
    if (alive.expired()) return;
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->get() == session) {
        sessions_.erase(it);
        return;
      }
    }
  });
}

void ServerState::close_sessions(const RemoteStats* stats) {
  std::vector<std::shared_ptr<ClientSession>> sessions = sessions_;
  for (auto& s : sessions) {
    if (!stats || s->settings().stats.get() == stats) s->close();
  }
}

void ServerState::disconnect_unaware_sessions() {
  std::vector<std::shared_ptr<ClientSession>> sessions = sessions_;
  for (auto& s : sessions) {
    if (!s->db_change_aware()) s->close();
  }
}

Status ServerState::compact(DbEntry& entry) {
  if (!entry.storage) return {};
  auto start = std::chrono::steady_clock::now();
  OVNX_RETURN_IF_ERROR(entry.storage->compact(*entry.db));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  LOG_INFO("{}: compacted database to {} bytes in {} ms", entry.name, entry.storage->size(), ms);
  return {};
}

}  // namespace ovnx::ovsdb::server
