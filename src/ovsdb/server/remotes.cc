#include "ovsdb/server/remotes.h"

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "ovsdb/server/session.h"
#include "ovsdb/server/transaction.h"

OVNX_LOG_MODULE(ovsdb_remotes);

namespace ovnx::ovsdb::server {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kDefaultTcpProbeMs = 5000;  // as OVS: probes on TCP, none on unix sockets
constexpr auto kTickInterval = std::chrono::milliseconds(2500);

}  // namespace

struct RemoteManager::Desired {
  std::string target;
  int probe_ms = -1;  // -1: default for the method
  bool read_only = false;
  // The row the target came from, for status updates (db: sources with row references).
  std::string db, table;
  Uuid row;
  bool has_row = false;
};

struct RemoteManager::Remote {
  Desired config;
  jsonrpc::Address address;
  std::shared_ptr<RemoteStats> stats = std::make_shared<RemoteStats>();
  std::unique_ptr<jsonrpc::Listener> listener;
  bool connecting = false;
  bool closed = false;
  std::string last_error;

  int probe_ms() const {
    if (config.probe_ms >= 0) return config.probe_ms;
    return address.kind == jsonrpc::Address::Kind::unix_socket ? 0 : kDefaultTcpProbeMs;
  }
};

struct RemoteManager::Tick {
  explicit Tick(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

RemoteManager::RemoteManager(ServerState& state) : state_(state) {
  std::weak_ptr<bool> alive = alive_;
  state_.commit_hooks.push_back([this, alive](DbEntry& entry, const ChangeSet&) {
    if (alive.expired()) return;
    bool relevant = false;
    for (const std::string& s : db_sources_) {
      relevant = relevant || s.compare(3, entry.name.size() + 1, entry.name + ",") == 0;
    }
    if (!relevant || reconfigure_pending_) return;
    reconfigure_pending_ = true;
    asio::post(state_.io(), [this, alive] {
      if (alive.expired()) return;
      reconfigure_pending_ = false;
      reconfigure();
    });
  });
  tick_ = std::make_unique<Tick>(state_.io());
  arm_tick();
}

void RemoteManager::arm_tick() {
  std::weak_ptr<bool> alive = alive_;
  tick_->timer.expires_after(kTickInterval);
  tick_->timer.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    reconfigure();
    arm_tick();
  });
}

RemoteManager::~RemoteManager() {
  alive_.reset();
  tick_.reset();
  for (auto& [t, r] : configured_) close_remote(*r);
  for (auto& [t, r] : from_db_) close_remote(*r);
}

Status RemoteManager::open_remote(Remote& r) {
  if (r.listener || r.connecting) return {};
  auto parsed = jsonrpc::parse_address(r.config.target);
  if (!parsed.ok()) {
    r.last_error = parsed.error().details;
    return std::move(parsed).error();
  }
  r.address = *parsed;
  jsonrpc::ConnectionOptions options = state_.connection_options;
  options.probe_interval_ms = r.probe_ms();
  if (!r.address.passive) return {};  // connected from the tick (and right away, below)
  SessionSettings settings{r.probe_ms(), r.config.read_only, r.stats};
  ServerState* state = &state_;
  auto listener = jsonrpc::Listener::create(
      state_.io(), r.address, options, [state, settings](jsonrpc::ConnectionPtr conn) {
        state->add_session(std::move(conn), settings);
      });
  if (!listener.ok()) {
    if (r.last_error != listener.error().details) {
      LOG_WARN("{}: {}", r.config.target, listener.error().to_string());
    }
    r.last_error = listener.error().details;
    return std::move(listener).error();
  }
  r.listener = std::move(*listener);
  r.last_error.clear();
  LOG_INFO("{}: listening on {}", r.config.target, r.listener->address().to_string());
  return {};
}

void RemoteManager::connect_active(const std::shared_ptr<Remote>& r) {
  if (r->closed || r->connecting || r->stats->n_connections || r->address.passive) return;
  r->connecting = true;
  jsonrpc::ConnectionOptions options = state_.connection_options;
  options.probe_interval_ms = r->probe_ms();
  std::weak_ptr<Remote> weak = r;
  ServerState* state = &state_;
  jsonrpc::async_connect(state_.io(), r->address, options,
                         [weak, state](Result<jsonrpc::ConnectionPtr> conn) {
                           auto r = weak.lock();
                           if (!r || r->closed) return;
                           r->connecting = false;
                           if (!conn.ok()) {
                             r->last_error = conn.error().details;
                             return;
                           }
                           r->last_error.clear();
                           state->add_session(std::move(*conn),
                                              {r->probe_ms(), r->config.read_only, r->stats});
                         });
}

void RemoteManager::close_remote(Remote& r) {
  r.closed = true;
  if (r.listener) r.listener->close();
  r.listener.reset();
  state_.close_sessions(r.stats.get());
}

Status RemoteManager::add(const std::string& target) {
  if (target.rfind("db:", 0) == 0) {
    if (std::count(target.begin(), target.end(), ',') != 2) {
      return make_error("syntax error",
                        fmt::format("{}: expected db:DATABASE,TABLE,COLUMN", target));
    }
    if (std::find(db_sources_.begin(), db_sources_.end(), target) == db_sources_.end()) {
      db_sources_.push_back(target);
    }
    reconfigure();
    return {};
  }
  if (configured_.count(target)) return {};
  OVNX_RETURN_IF_ERROR(jsonrpc::parse_address(target));
  auto r = std::make_shared<Remote>();
  r->config.target = target;
  // A database remote with the same target yields to the configured one.
  if (auto it = from_db_.find(target); it != from_db_.end()) {
    close_remote(*it->second);
    from_db_.erase(it);
  }
  configured_[target] = r;
  Status st = open_remote(*r);
  connect_active(r);
  return st;
}

Status RemoteManager::remove(const std::string& target) {
  auto db = std::find(db_sources_.begin(), db_sources_.end(), target);
  if (db != db_sources_.end()) {
    db_sources_.erase(db);
    reconfigure();
    return {};
  }
  auto it = configured_.find(target);
  if (it == configured_.end()) {
    return make_error("ovsdb error", fmt::format("{}: no such remote", target));
  }
  close_remote(*it->second);
  configured_.erase(it);
  return {};
}

std::vector<std::string> RemoteManager::list() const {
  std::vector<std::string> out = db_sources_;
  for (const auto& [t, r] : configured_) out.push_back(t);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<jsonrpc::Address> RemoteManager::listening() const {
  std::vector<jsonrpc::Address> out;
  for (const auto* m : {&configured_, &from_db_}) {
    for (const auto& [t, r] : *m) {
      if (r->listener) out.push_back(r->listener->address());
    }
  }
  return out;
}

std::vector<RemoteManager::Desired> RemoteManager::read_db_source(
    const std::string& source) const {
  std::vector<Desired> out;
  std::string spec = source.substr(3);
  size_t c1 = spec.find(','), c2 = spec.find(',', c1 + 1);
  std::string db_name = spec.substr(0, c1);
  std::string table_name = spec.substr(c1 + 1, c2 - c1 - 1);
  std::string column_name = spec.substr(c2 + 1);
  DbEntry* entry = const_cast<ServerState&>(state_).find_db(db_name);
  if (!entry) return out;
  const Table* table = entry->db->find_table(table_name);
  const ColumnSchema* column = table ? table->schema().find_column(column_name) : nullptr;
  if (!column) {
    LOG_DBG("{}: no such table or column", source);
    return out;
  }
  const BaseType& key = column->type.key;
  if (key.type == AtomicType::string && !column->type.is_map()) {
    table->for_each([&](const RowRef& row) {
      for (const Atom& a : row->columns[column->index].keys()) {
        if (!a.string().empty()) out.push_back(Desired{a.string()});
      }
    });
    return out;
  }
  if (key.type != AtomicType::uuid || !key.ref_table || column->type.is_map()) {
    LOG_DBG("{}: column type is not a string or a reference", source);
    return out;
  }
  const Table* refs = entry->db->find_table(key.ref_table->name());
  const TableSchema& rs = refs->schema();
  auto col = [&](const char* name, AtomicType type) -> const ColumnSchema* {
    const ColumnSchema* c = rs.find_column(name);
    return c && c->type.key.type == type && !c->type.is_map() ? c : nullptr;
  };
  const ColumnSchema* target = col("target", AtomicType::string);
  const ColumnSchema* probe = col("inactivity_probe", AtomicType::integer);
  const ColumnSchema* read_only = col("read_only", AtomicType::boolean);
  if (!target) return out;
  table->for_each([&](const RowRef& row) {
    for (const Atom& a : row->columns[column->index].keys()) {
      const Row* r = refs->find(a.uuid());
      if (!r || r->columns[target->index].empty()) continue;
      Desired d;
      d.target = r->columns[target->index].key(0).string();
      if (d.target.empty()) continue;
      if (probe && !r->columns[probe->index].empty()) {
        d.probe_ms = static_cast<int>(std::max<int64_t>(0, r->columns[probe->index].key(0).integer()));
      }
      if (read_only && !r->columns[read_only->index].empty()) {
        d.read_only = r->columns[read_only->index].key(0).boolean();
      }
      d.db = db_name;
      d.table = rs.name();
      d.row = a.uuid();
      d.has_row = true;
      out.push_back(std::move(d));
    }
  });
  return out;
}

void RemoteManager::reconfigure() {
  std::map<std::string, Desired> desired;
  for (const std::string& source : db_sources_) {
    for (Desired& d : read_db_source(source)) {
      if (configured_.count(d.target)) continue;
      desired.emplace(d.target, std::move(d));
    }
  }
  for (auto it = from_db_.begin(); it != from_db_.end();) {
    auto want = desired.find(it->first);
    const Desired& have = it->second->config;
    if (want == desired.end() || want->second.probe_ms != have.probe_ms ||
        want->second.read_only != have.read_only) {
      LOG_INFO("{}: remote removed or reconfigured", it->first);
      close_remote(*it->second);
      it = from_db_.erase(it);
    } else {
      it->second->config = want->second;  // status row may have moved
      ++it;
    }
  }
  for (auto& [target, d] : desired) {
    auto& r = from_db_[target];
    if (!r) {
      r = std::make_shared<Remote>();
      r->config = d;
    }
  }
  // (Re)try everything that is not up: new remotes, failed binds, dropped active connections.
  for (auto* m : {&configured_, &from_db_}) {
    for (auto& [t, r] : *m) {
      if (!r->listener) (void)open_remote(*r);
      connect_active(r);
    }
  }
  update_status();
}

void RemoteManager::update_status() {
  auto now = Clock::now();
  // Per database: the rows whose status changed.
  std::map<std::string, std::vector<std::pair<const Remote*, bool>>> by_db;
  for (const auto& [t, r] : from_db_) {
    if (r->config.has_row) by_db[r->config.db].emplace_back(r.get(), true);
  }
  for (auto& [db_name, remotes] : by_db) {
    DbEntry* entry = state_.find_db(db_name);
    if (!entry || entry->is_server_db) continue;
    Transaction txn(*entry->db);
    bool any = false;
    for (const auto& [r, unused] : remotes) {
      Table* table = entry->db->find_table(r->config.table);
      if (!table) continue;
      const ColumnSchema* status = table->schema().find_column("status");
      const ColumnSchema* connected = table->schema().find_column("is_connected");
      const Row* row = table->find(r->config.row);
      if (!row) continue;
      std::vector<std::pair<Atom, Atom>> pairs;
      auto secs = [&](Clock::time_point t, bool ever) {
        return std::to_string(
            ever ? std::chrono::duration_cast<std::chrono::seconds>(now - t).count() : 0);
      };
      if (r->listener && r->address.kind == jsonrpc::Address::Kind::tcp) {
        pairs.emplace_back(Atom("bound_port"), Atom(std::to_string(r->listener->address().port)));
      }
      pairs.emplace_back(Atom("sec_since_connect"),
                         Atom(secs(r->stats->last_connect, r->stats->ever_connected)));
      pairs.emplace_back(Atom("sec_since_disconnect"),
                         Atom(secs(r->stats->last_disconnect, r->stats->ever_disconnected)));
      if (r->stats->n_connections > 1) {
        pairs.emplace_back(Atom("n_connections"), Atom(std::to_string(r->stats->n_connections)));
      }
      if (!r->last_error.empty()) pairs.emplace_back(Atom("last_error"), Atom(r->last_error));
      if (!r->address.passive) {
        pairs.emplace_back(Atom("state"), Atom(r->stats->n_connections ? "ACTIVE" : "BACKOFF"));
      }
      bool is_connected = r->stats->n_connections > 0;
      bool status_ok = status && status->type.is_map() &&
                       status->type.key.type == AtomicType::string &&
                       status->type.value->type == AtomicType::string;
      bool connected_ok = connected && connected->type.is_scalar() &&
                          connected->type.key.type == AtomicType::boolean;
      Datum status_value;
      if (status_ok) {
        auto m = Datum::make_map(std::move(pairs));
        if (m.ok()) status_value = std::move(*m);
      }
      Datum connected_value = Datum::scalar(Atom(is_connected));
      bool change = (status_ok && row->columns[status->index] != status_value) ||
                    (connected_ok && row->columns[connected->index] != connected_value);
      if (!change) continue;
      Transaction::TxnRow& tr = txn.modify(*table, r->config.row);
      if (status_ok) {
        tr.new_row->columns[status->index] = std::move(status_value);
        tr.touched.insert(status->index);
      }
      if (connected_ok) {
        tr.new_row->columns[connected->index] = std::move(connected_value);
        tr.touched.insert(connected->index);
      }
      any = true;
    }
    if (!any) continue;
    Status st = txn.prepare();
    if (st.ok() && !txn.changes().empty() && entry->storage) st = entry->storage->append(txn.changes());
    if (!st.ok()) {
      LOG_WARN("{}: cannot update connection status: {}", db_name, st.error().to_string());
      continue;
    }
    if (txn.changes().empty()) continue;
    state_.committed(*entry, txn.commit());
  }
}

}  // namespace ovnx::ovsdb::server
