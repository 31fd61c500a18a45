#include "ovsdb/client/idl.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <set>

#include "base/log.h"
#include "jsonrpc/address.h"
#include "jsonrpc/session.h"
#include "ovsdb/client/server_status.h"
#include "ovsdb/client/txn_encoder.h"
#include "ovsdb/json.h"

OVNX_LOG_MODULE(idl);

namespace ovnx::ovsdb::client {

namespace asio = boost::asio;
namespace json = boost::json;

const char* monitor_method_name(MonitorMethod method) {
  switch (method) {
    case MonitorMethod::none:
      return "none";
    case MonitorMethod::monitor_cond_since:
      return "monitor_cond_since";
    case MonitorMethod::monitor_cond:
      return "monitor_cond";
    case MonitorMethod::monitor:
      return "monitor";
  }
  return "?";
}

namespace {

constexpr const char* kDataMonitorId = "ovnx_data";
constexpr const char* kServerMonitorId = "ovnx_server";
const char* const kZeroUuid = "00000000-0000-0000-0000-000000000000";

const char* function_name(ConditionFunction f) {
  switch (f) {
    case ConditionFunction::lt:
      return "<";
    case ConditionFunction::le:
      return "<=";
    case ConditionFunction::eq:
      return "==";
    case ConditionFunction::ne:
      return "!=";
    case ConditionFunction::ge:
      return ">=";
    case ConditionFunction::gt:
      return ">";
    case ConditionFunction::includes:
      return "includes";
    case ConditionFunction::excludes:
      return "excludes";
    case ConditionFunction::true_:
      return "true";
    case ConditionFunction::false_:
      return "false";
  }
  return "==";
}

bool is_unknown_method(const Error& e) {
  return e.tag.find("unknown method") != std::string::npos ||
         e.details.find("unknown method") != std::string::npos;
}

bool same_type(const Type& a, const Type& b) {
  if (a.key.type != b.key.type || a.is_map() != b.is_map()) return false;
  return !a.is_map() || a.value->type == b.value->type;
}

}  // namespace

struct Idl::Impl : std::enable_shared_from_this<Idl::Impl> {
  struct TableRequest {
    bool monitored = false;
    bool all_columns = false;
    bool required = false;
    std::set<size_t> columns;
    MonitorCondition wanted;
    MonitorCondition acked;  // what the server applies on the current connection
    MonitorCondition in_flight;
  };

  Impl(asio::io_context& io_, std::shared_ptr<const DatabaseBinding> b, IdlOptions o)
      : io(io_),
        binding(std::move(b)),
        options(std::move(o)),
        replica(binding),
        tables(binding->tables().size()) {}

  asio::io_context& io;
  std::shared_ptr<const DatabaseBinding> binding;
  IdlOptions options;
  Replica replica;
  std::unique_ptr<jsonrpc::Session> session;
  std::vector<TableRequest> tables;
  bool started = false;
  bool gave_up = false;

  // Per connection.
  uint64_t conn = 0;
  bool synced = false;
  MonitorMethod method = MonitorMethod::none;
  std::vector<std::vector<size_t>> sent_columns;  // per table, what the monitor asked for
  bool cond_change_in_flight = false;
  ServerStatus server_status;
  bool waiting_for_database = false;  // _Server does not list it (yet): wait for it

  // Across connections.
  uint64_t sync_seqno = 0;
  std::optional<Uuid> last_txn_id;  // for monitor_cond_since resumption
  std::shared_ptr<const DatabaseSchema> server_schema;
  std::vector<std::vector<bool>> server_has;  // [table][column]
  std::set<std::string> warned;
  std::optional<Error> last_error;
  std::string lock_name;
  bool has_lock = false;
  bool contended = false;
  std::function<void()> on_change;
  bool change_posted = false;
  std::vector<std::function<void()>> waiters;  // run at the next change notification
  IdlStats stats;

  // ---- Helpers.
  bool current(uint64_t c) const { return session && session->connection_seqno() == c; }

  void notify() {
    if (change_posted) return;
    change_posted = true;
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::post(io, [weak]() {
      auto self = weak.lock();
      if (!self) return;
      self->change_posted = false;
      auto w = std::move(self->waiters);
      self->waiters.clear();
      for (auto& f : w) f();
      if (self->on_change) self->on_change();
    });
  }

  void fail(Error e, bool reconnect) {
    LOG_WARN("{}: {}", binding->name(), e.to_string());
    last_error = std::move(e);
    notify();
    if (reconnect && session) session->force_reconnect();
  }

  template <class F>
  void request(const char* method, json::value params, F&& on_reply) {
    uint64_t c = conn;
    std::weak_ptr<Impl> weak = shared_from_this();
    session->request(method, std::move(params),
                     [weak, c, on_reply = std::forward<F>(on_reply)](Result<json::value> r) {
                       auto self = weak.lock();
                       if (!self || !self->current(c)) return;
                       if (!r.ok() && r.error().tag == "connection closed") return;
                       on_reply(*self, std::move(r));
                     });
  }

  // ---- Connection life cycle.
  void on_connected() {
    conn = session->connection_seqno();
    synced = false;
    method = MonitorMethod::none;
    cond_change_in_flight = false;
    has_lock = false;
    server_status = ServerStatus();
    waiting_for_database = false;
    ++stats.connections;
    if (options.monitor_server) {
      request_server_monitor();
    } else {
      request_schema();
    }
  }

  void on_disconnected() {
    synced = false;
    has_lock = false;
    method = MonitorMethod::none;
    notify();
  }

  void request_server_monitor() {
    json::object req{
        {"columns", json::array{"name", "model", "connected", "leader", "schema", "cid", "index"}},
        {"where", json::array{json::array{"name", "==", json::string(binding->name())}}}};
    json::array params{"_Server", kServerMonitorId, json::object{{"Database", json::array{req}}}};
    request("monitor_cond", std::move(params), [](Impl& self, Result<json::value> r) {
      if (!r.ok()) {
        // A server without _Server (older than OVS 2.9): carry on without it.
        LOG_DBG("no _Server database ({}); not checking database status", r.error().to_string());
        self.request_schema();
        return;
      }
      Status s = self.server_status.apply(*r, self.binding->name());
      if (!s.ok()) return self.fail(s.error(), true);
      if (!self.server_status.found()) {
        // A server lists its databases in _Server shortly after it starts, and a database
        // can be added later: wait for the row on this connection.
        self.waiting_for_database = true;
        self.last_error = make_error(
            "database unavailable", fmt::format("server has no database {}", self.binding->name()));
        LOG_INFO("{}: {}; waiting for it", self.binding->name(), self.last_error->to_string());
        self.notify();
        return;
      }
      if (auto problem =
              self.server_status.problem(self.binding->name(), self.options.leader_only)) {
        return self.fail(make_error("database unavailable", *problem), true);
      }
      self.request_schema();
    });
  }

  void on_server_update(const json::value& updates) {
    bool schema_changed = false;
    Status s = server_status.apply(updates, binding->name(), &schema_changed);
    if (!s.ok()) return fail(s.error(), true);
    if (waiting_for_database) {
      if (!server_status.found()) return;
      waiting_for_database = false;
      if (auto problem = server_status.problem(binding->name(), options.leader_only)) {
        return fail(make_error("database unavailable", *problem), true);
      }
      return request_schema();
    }
    if (auto problem = server_status.problem(binding->name(), options.leader_only)) {
      return fail(make_error("database unavailable", *problem), true);
    }
    if (schema_changed) {
      LOG_INFO("{}: schema changed on the server; resynchronizing", binding->name());
      last_txn_id.reset();
      session->force_reconnect();
    }
  }

  void request_schema() {
    request("get_schema", json::array{json::string(binding->name())},
            [](Impl& self, Result<json::value> r) {
              if (!r.ok()) {
                return self.fail(make_error("database unavailable",
                                            fmt::format("get_schema {}: {}", self.binding->name(),
                                                        r.error().to_string())),
                                 true);
              }
              auto schema = DatabaseSchema::from_json(*r);
              if (!schema.ok()) {
                return self.fail(make_error("schema error", schema.error().to_string()), true);
              }
              Status s = self.check_schema(*schema);
              if (!s.ok()) return self.fail(s.error(), true);
              if (!self.lock_name.empty()) self.request_lock();
              self.method = MonitorMethod::monitor_cond_since;
              self.request_monitor();
            });
  }

  void warn_once(const std::string& key, const std::string& text) {
    if (warned.insert(key).second) LOG_WARN("{}", text);
  }

  Status check_schema(std::shared_ptr<const DatabaseSchema> schema) {
    if (schema->name() != binding->name()) {
      return make_error("schema error", fmt::format("server database is {}, expected {}",
                                                    schema->name(), binding->name()));
    }
    server_schema = schema;
    server_has.assign(tables.size(), {});
    sent_columns.assign(tables.size(), {});
    for (const TableBinding& tb : binding->tables()) {
      const TableSchema* st = schema->find_table(tb.name());
      const auto& ours = tb.schema->columns();
      server_has[tb.id].assign(ours.size(), false);
      if (st) {
        for (const ColumnSchema& c : ours) {
          const ColumnSchema* sc = st->find_column(c.name);
          server_has[tb.id][c.index] = sc && same_type(sc->type, c.type);
        }
      }
      TableRequest& req = tables[tb.id];
      if (!req.monitored) continue;
      if (!st) {
        if (req.required) {
          return make_error("schema error", fmt::format("server has no table {}", tb.name()));
        }
        warn_once(tb.name(), fmt::format("{}: server has no table {}; not replicating it",
                                         binding->name(), tb.name()));
        continue;
      }
      std::vector<size_t>& sent = sent_columns[tb.id];
      for (const ColumnSchema& c : ours) {
        if (c.index < kFirstUserColumn) continue;
        if (!req.all_columns && !req.columns.count(c.index)) continue;
        if (server_has[tb.id][c.index]) {
          sent.push_back(c.index);
          continue;
        }
        if (req.required && req.columns.count(c.index)) {
          return make_error("schema error", fmt::format("server table {} has no column {} of "
                                                        "the expected type",
                                                        tb.name(), c.name));
        }
        warn_once(tb.name() + "." + c.name,
                  fmt::format("{}: server table {} has no column {} (older schema?); it keeps "
                              "its default value",
                              binding->name(), tb.name(), c.name));
      }
      if (sent.empty()) {
        // Monitoring no column still replicates which rows exist.
        sent.push_back(kUuidColumn);
      }
    }
    return {};
  }

  json::value condition_json(size_t table_id, const MonitorCondition& cond) const {
    json::array where;
    const TableSchema& ts = *binding->table(table_id).schema;
    for (const auto& c : cond.clauses()) {
      if (c.function == ConditionFunction::true_) {
        where.push_back(true);
      } else if (c.function == ConditionFunction::false_) {
        where.push_back(false);
      } else {
        const ColumnSchema& col = ts.column(c.column);
        where.push_back(json::array{json::string(col.name), function_name(c.function),
                                    datum_to_json(c.arg, col.type)});
      }
    }
    return where;
  }

  json::object monitor_requests() {
    json::object requests;
    for (const TableBinding& tb : binding->tables()) {
      const TableRequest& req = tables[tb.id];
      if (!req.monitored || sent_columns[tb.id].empty()) continue;
      json::array cols;
      for (size_t c : sent_columns[tb.id]) {
        if (c >= kFirstUserColumn) cols.push_back(json::string(tb.schema->column(c).name));
      }
      json::object r{{"columns", std::move(cols)}};
      if (method == MonitorMethod::monitor) {
        requests[tb.name()] = std::move(r);
        continue;
      }
      if (!req.wanted.matches_all()) r["where"] = condition_json(tb.id, req.wanted);
      requests[tb.name()] = json::array{std::move(r)};
    }
    return requests;
  }

  std::vector<size_t> monitored_table_ids() const {
    std::vector<size_t> ids;
    for (size_t i = 0; i < tables.size(); ++i) {
      if (tables[i].monitored && !sent_columns[i].empty()) ids.push_back(i);
    }
    return ids;
  }

  void request_monitor() {
    // Resuming is only valid if the server applies the conditions our replica reflects.
    bool conditions_same = true;
    for (const TableRequest& t : tables) conditions_same &= t.wanted == t.acked;
    if (!conditions_same) last_txn_id.reset();

    json::array params{json::string(binding->name()), kDataMonitorId, monitor_requests()};
    const char* name = monitor_method_name(method);
    if (method == MonitorMethod::monitor_cond_since) {
      params.push_back(json::string(last_txn_id ? last_txn_id->to_string() : kZeroUuid));
    }
    for (TableRequest& t : tables) t.in_flight = t.wanted;
    request(name, std::move(params), [](Impl& self, Result<json::value> r) {
      if (!r.ok()) {
        if (is_unknown_method(r.error()) && self.method != MonitorMethod::monitor) {
          self.method = self.method == MonitorMethod::monitor_cond_since
                            ? MonitorMethod::monitor_cond
                            : MonitorMethod::monitor;
          LOG_INFO("{}: server lacks that monitor method; trying {}", self.binding->name(),
                   monitor_method_name(self.method));
          return self.request_monitor();
        }
        return self.fail(make_error("monitor failed", r.error().to_string()), true);
      }
      self.on_monitor_reply(*r);
    });
  }

  void on_monitor_reply(const json::value& result) {
    bool resumed = false;
    const json::value* updates = &result;
    if (method == MonitorMethod::monitor_cond_since) {
      const json::array* a = result.if_array();
      if (!a || a->size() != 3 || !(*a)[0].is_bool() || !(*a)[1].is_string()) {
        return fail(make_error("syntax error", "malformed monitor_cond_since reply"), true);
      }
      resumed = (*a)[0].get_bool();
      auto id = Uuid::parse((*a)[1].get_string());
      last_txn_id = id && !id->is_zero() ? id : std::nullopt;
      updates = &(*a)[2];
    }
    UpdateFormat format =
        method == MonitorMethod::monitor ? UpdateFormat::update1 : UpdateFormat::update2;
    Status s;
    if (resumed) {
      ++stats.resumed_loads;
      s = replica.apply(*updates, format);
    } else {
      ++stats.full_loads;
      replica.begin_reload();
      s = replica.apply(*updates, format);
      if (s.ok()) replica.end_reload(monitored_table_ids());
    }
    if (!s.ok()) {
      last_txn_id.reset();
      return fail(make_error("update error", s.error().to_string()), true);
    }
    for (TableRequest& t : tables) t.acked = t.in_flight;
    synced = true;
    ++sync_seqno;
    last_error.reset();
    LOG_DBG("{}: synced with {} ({})", binding->name(), monitor_method_name(method),
            resumed ? "resumed" : "full");
    send_condition_changes();
    notify();
  }

  void on_notification(jsonrpc::Message&& m) {
    const json::array* p = m.params.if_array();
    if (m.method == "locked" || m.method == "stolen") {
      if (!p || p->empty() || !(*p)[0].is_string() || (*p)[0].get_string() != lock_name) return;
      has_lock = m.method == "locked";
      contended = !has_lock;
      LOG_INFO("{}: lock {} {}", binding->name(), lock_name, has_lock ? "acquired" : "lost");
      notify();
      return;
    }
    bool u1 = m.method == "update", u2 = m.method == "update2", u3 = m.method == "update3";
    if (!u1 && !u2 && !u3) return;
    if (!p || p->size() != (u3 ? 3u : 2u)) {
      LOG_WARN("{}: malformed {} notification", binding->name(), m.method);
      return;
    }
    const json::value& id = (*p)[0];
    if (id.is_string() && id.get_string() == kServerMonitorId) {
      on_server_update((*p)[1]);
      return;
    }
    if (!id.is_string() || id.get_string() != kDataMonitorId) return;
    ++stats.updates;
    Status s =
        replica.apply(u3 ? (*p)[2] : (*p)[1], u1 ? UpdateFormat::update1 : UpdateFormat::update2);
    if (!s.ok()) {
      last_txn_id.reset();
      return fail(make_error("update error", s.error().to_string()), true);
    }
    if (u3 && (*p)[1].is_string()) {
      auto tid = Uuid::parse((*p)[1].get_string());
      if (tid && !tid->is_zero()) last_txn_id = tid;
    }
    notify();
  }

  // ---- Conditions.
  void send_condition_changes() {
    if (!synced || cond_change_in_flight || method == MonitorMethod::monitor) return;
    json::object changes;
    for (const TableBinding& tb : binding->tables()) {
      TableRequest& t = tables[tb.id];
      if (!t.monitored || sent_columns[tb.id].empty() || t.wanted == t.acked) continue;
      t.in_flight = t.wanted;
      changes[tb.name()] = json::array{json::object{{"where", condition_json(tb.id, t.wanted)}}};
    }
    if (changes.empty()) return;
    cond_change_in_flight = true;
    json::array params{kDataMonitorId, kDataMonitorId, std::move(changes)};
    request("monitor_cond_change", std::move(params), [](Impl& self, Result<json::value> r) {
      self.cond_change_in_flight = false;
      if (!r.ok())
        return self.fail(make_error("monitor_cond_change failed", r.error().to_string()), true);
      for (TableRequest& t : self.tables) t.acked = t.in_flight;
      self.notify();
      self.send_condition_changes();
    });
  }

  // ---- Locks.
  void request_lock() {
    std::string name = lock_name;
    request("lock", json::array{json::string(name)}, [name](Impl& self, Result<json::value> r) {
      if (name != self.lock_name) return;
      if (!r.ok()) return self.fail(make_error("lock failed", r.error().to_string()), false);
      const json::object* o = r->if_object();
      const json::value* locked = o ? o->if_contains("locked") : nullptr;
      self.has_lock = locked && locked->is_bool() && locked->get_bool();
      self.contended = !self.has_lock;
      LOG_INFO("{}: lock {} {}", self.binding->name(), name,
               self.has_lock ? "acquired" : "held by another client; waiting");
      self.notify();
    });
  }

  // ---- Transactions.
  void post_report(CommitHandler done, TxnReport report) {
    asio::post(io, [done = std::move(done), report = std::move(report)]() { done(report); });
  }

  void commit(const Transaction& txn, CommitHandler done) {
    TxnReport report;
    if (!lock_name.empty() && !has_lock) {
      report.status = TxnStatus::not_locked;
      report.error = fmt::format("lock {} is not held", lock_name);
      return post_report(std::move(done), std::move(report));
    }
    auto encoded = std::make_shared<EncodedTransaction>(
        EncodedTransaction::encode(txn, binding->name(), lock_name));
    if (encoded->empty()) return post_report(std::move(done), std::move(report));
    if (!session || !session->is_connected() || !synced) {
      report.status = TxnStatus::try_again;
      report.error = "not connected";
      return post_report(std::move(done), std::move(report));
    }
    ++stats.commits;
    uint64_t c = conn;
    std::weak_ptr<Impl> weak = shared_from_this();
    session->request("transact", json::value(encoded->take_params()),
                     [weak, c, encoded, done = std::move(done)](Result<json::value> r) {
                       TxnReport rep = encoded->interpret(r);
                       auto self = weak.lock();
                       if (self && !self->current(c) && rep.status == TxnStatus::error) {
                         rep.status = TxnStatus::try_again;
                       }
                       done(rep);
                     });
  }

  void transact(std::shared_ptr<TxnBuilder> build, CommitHandler done, int attempts_left) {
    if (!synced) {
      std::weak_ptr<Impl> weak = shared_from_this();
      waiters.push_back([weak, build, done, attempts_left]() {
        if (auto self = weak.lock()) self->transact(build, done, attempts_left);
      });
      return;
    }
    Transaction txn(replica);
    Status s = (*build)(txn);
    if (!s.ok()) {
      TxnReport report;
      report.status = TxnStatus::error;
      report.error = s.error().to_string();
      return post_report(std::move(done), std::move(report));
    }
    uint64_t seqno = replica.seqno(), sync = sync_seqno;
    std::weak_ptr<Impl> weak = shared_from_this();
    commit(txn, [weak, build, done, attempts_left, seqno, sync](const TxnReport& report) {
      auto self = weak.lock();
      if (!self || report.status != TxnStatus::try_again || attempts_left <= 1) {
        return done(report);
      }
      ++self->stats.retries;
      LOG_DBG("transaction: {}; retrying", report.error);
      auto retry = [weak, build, done, attempts_left]() {
        if (auto s2 = weak.lock()) s2->transact(build, done, attempts_left - 1);
      };
      if (self->synced && (self->replica.seqno() != seqno || self->sync_seqno != sync)) {
        retry();
      } else {
        self->waiters.push_back(retry);  // at the next change or resync
      }
    });
  }
};

Idl::Idl(asio::io_context& io, std::shared_ptr<const DatabaseBinding> binding, IdlOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(binding), std::move(options))) {}

Idl::~Idl() { close(); }

void Idl::monitor_table(size_t table_id, std::vector<size_t> columns, bool required) {
  Impl::TableRequest& t = impl_->tables.at(table_id);
  t.monitored = true;
  t.required |= required;
  if (columns.empty()) t.all_columns = true;
  for (size_t c : columns) t.columns.insert(c);
}

void Idl::monitor_all() {
  for (size_t i = 0; i < impl_->tables.size(); ++i) monitor_table(i);
}

void Idl::set_condition(size_t table_id, MonitorCondition condition) {
  impl_->tables.at(table_id).wanted = std::move(condition);
  impl_->send_condition_changes();
}

bool Idl::conditions_acked() const {
  for (const auto& t : impl_->tables) {
    if (t.monitored && !(t.wanted == t.acked)) return false;
  }
  return impl_->synced;
}

void Idl::set_lock(std::string name) {
  Impl& d = *impl_;
  if (name == d.lock_name) return;
  bool connected = d.session && d.session->is_connected() && d.server_schema;
  if (connected && !d.lock_name.empty()) {
    d.request("unlock", json::array{json::string(d.lock_name)}, [](Impl&, Result<json::value>) {});
  }
  d.lock_name = std::move(name);
  d.has_lock = false;
  d.contended = false;
  if (connected && !d.lock_name.empty()) d.request_lock();
}

bool Idl::has_lock() const { return impl_->has_lock; }
bool Idl::is_lock_contended() const { return impl_->contended; }
void Idl::set_on_change(std::function<void()> on_change) {
  impl_->on_change = std::move(on_change);
}

void Idl::start() {
  Impl& d = *impl_;
  if (d.started) return;
  d.started = true;
  auto remotes = jsonrpc::parse_address_list(d.options.remote);
  jsonrpc::SessionOptions so;
  if (remotes.ok()) so.remotes = std::move(*remotes);
  so.min_backoff_ms = d.options.min_backoff_ms;
  so.max_backoff_ms = d.options.max_backoff_ms;
  so.probe_interval_ms = d.options.probe_interval_ms;
  so.max_attempts = d.options.max_connect_attempts;
  if (!remotes.ok()) {
    d.last_error = remotes.error();
    d.gave_up = true;
    d.notify();
    return;
  }
  d.session = std::make_unique<jsonrpc::Session>(d.io, std::move(so));
  std::weak_ptr<Impl> weak = impl_;
  jsonrpc::Session::Handlers h;
  h.on_connected = [weak]() {
    if (auto s = weak.lock()) s->on_connected();
  };
  h.on_message = [weak](jsonrpc::Message&& m) {
    if (auto s = weak.lock()) s->on_notification(std::move(m));
  };
  h.on_disconnected = [weak](const Error&) {
    if (auto s = weak.lock()) s->on_disconnected();
  };
  h.on_give_up = [weak](const Error& e) {
    if (auto s = weak.lock()) {
      s->gave_up = true;
      s->last_error = e;
      s->notify();
    }
  };
  d.session->start(std::move(h));
}

void Idl::close() {
  if (impl_->session) impl_->session->close();
  impl_->synced = false;
}

Replica& Idl::replica() { return impl_->replica; }
const Replica& Idl::replica() const { return impl_->replica; }
const DatabaseBinding& Idl::binding() const { return *impl_->binding; }
bool Idl::is_connected() const { return impl_->session && impl_->session->is_connected(); }
bool Idl::is_synced() const { return impl_->synced; }
uint64_t Idl::sync_seqno() const { return impl_->sync_seqno; }
MonitorMethod Idl::monitor_method() const { return impl_->method; }
const std::optional<Error>& Idl::last_error() const { return impl_->last_error; }
const IdlStats& Idl::stats() const { return impl_->stats; }
bool Idl::gave_up() const { return impl_->gave_up; }

bool Idl::server_has_table(size_t table_id) const {
  const auto& d = *impl_;
  return d.server_schema && d.server_schema->find_table(d.binding->table(table_id).name());
}

bool Idl::server_has_column(size_t table_id, size_t column) const {
  const auto& d = *impl_;
  return table_id < d.server_has.size() && column < d.server_has[table_id].size() &&
         d.server_has[table_id][column];
}

std::shared_ptr<const DatabaseSchema> Idl::server_schema() const { return impl_->server_schema; }

void Idl::commit(const Transaction& txn, CommitHandler done) {
  impl_->commit(txn, std::move(done));
}

void Idl::transact(TxnBuilder build, CommitHandler done, int max_attempts) {
  impl_->transact(std::make_shared<TxnBuilder>(std::move(build)), std::move(done), max_attempts);
}

void Idl::force_reconnect() {
  if (impl_->session) impl_->session->force_reconnect();
}

bool run_until(asio::io_context& io, const std::function<bool()>& predicate, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
  while (!predicate()) {
    if (io.stopped()) io.restart();
    if (timeout_ms < 0) {
      if (io.run_one() == 0 && io.stopped()) return predicate();
      continue;
    }
    auto now = Clock::now();
    if (now >= deadline) return predicate();
    io.run_one_for(deadline - now);
  }
  return true;
}

}  // namespace ovnx::ovsdb::client
