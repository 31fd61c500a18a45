#include "ovsdb/server/session.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "ovsdb/json.h"
#include "ovsdb/server/execution.h"
#include "ovsdb/server/row_format.h"

OVNX_LOG_MODULE(ovsdb_jsonrpc_server);

namespace ovnx::ovsdb::server {

namespace asio = boost::asio;
namespace json = boost::json;
using jsonrpc::Message;
using Clock = std::chrono::steady_clock;

struct ClientSession::Trigger {
  // Takes the parsed request's params as they are (in the message's own arena).
  explicit Trigger(json::value&& p) : params_value(std::move(p)), params(params_value.as_array()) {}
  json::value id;
  DbEntry* db = nullptr;
  json::value params_value;
  const json::array& params;  // [db-name, operation...]
  Clock::time_point start;
  Clock::time_point deadline = Clock::time_point::max();
  std::unique_ptr<asio::steady_timer> timer;
};

namespace {

Error syntax_error(std::string details) { return make_error("syntax error", std::move(details)); }

const json::array* params_array(const Message& m) { return m.params.if_array(); }

}  // namespace

const std::map<std::string, ClientSession::Handler, std::less<>>& ClientSession::handlers() {
  static const std::map<std::string, Handler, std::less<>> kHandlers = {
      {"list_dbs", &ClientSession::do_list_dbs},
      {"get_schema", &ClientSession::do_get_schema},
      {"transact", &ClientSession::do_transact},
      {"cancel", &ClientSession::do_cancel},
      {"monitor", &ClientSession::do_monitor},
      {"monitor_cond", &ClientSession::do_monitor},
      {"monitor_cond_since", &ClientSession::do_monitor},
      {"monitor_cond_change", &ClientSession::do_monitor_cond_change},
      {"monitor_cancel", &ClientSession::do_monitor_cancel},
      {"lock", &ClientSession::do_lock},
      {"steal", &ClientSession::do_steal},
      {"unlock", &ClientSession::do_unlock},
      {"set_db_change_aware", &ClientSession::do_set_db_change_aware},
      {"get_server_id", &ClientSession::do_get_server_id},
  };
  return kHandlers;
}

ClientSession::ClientSession(ServerState& state, jsonrpc::ConnectionPtr conn,
                             SessionSettings settings)
    : state_(state), conn_(std::move(conn)), settings_(std::move(settings)) {
  if (settings_.stats) {
    ++settings_.stats->n_connections;
    settings_.stats->last_connect = Clock::now();
    settings_.stats->ever_connected = true;
  }
}

ClientSession::~ClientSession() = default;

const std::string& ClientSession::name() const { return conn_->name(); }

void ClientSession::start() {
  std::weak_ptr<ClientSession> weak = shared_from_this();
  conn_->start(
      [weak](Message&& m) {
        if (auto self = weak.lock()) self->on_message(std::move(m));
      },
      [weak](const Error& error) {
        auto self = weak.lock();
        if (!self || !self->open_) return;
        LOG_DBG("{}: connection closed: {}", self->name(), error.to_string());
        self->open_ = false;
        self->release();
        self->state_.remove_session(self.get());
      });
  LOG_DBG("{}: new client session", name());
}

void ClientSession::close() {
  if (!open_) return;
  open_ = false;
  conn_->close();
  release();
  state_.remove_session(this);
}

void ClientSession::release() {
  std::set<std::string> locks = std::move(locks_);
  locks_.clear();
  for (const std::string& l : locks) state_.locks().unlock(this, l);
  monitors_.clear();
  triggers_.clear();
  if (settings_.stats) {
    settings_.stats->n_connections -= std::min<size_t>(settings_.stats->n_connections, 1);
    settings_.stats->last_disconnect = Clock::now();
    settings_.stats->ever_disconnected = true;
    settings_.stats.reset();
  }
}

void ClientSession::reply(const json::value& result, const json::value& id) {
  if (open_) conn_->send(Message::reply(result, id));
}

void ClientSession::reply_text(const std::string& result_text, const json::value& id) {
  if (!open_) return;
  std::string text = "{\"id\":";
  text += json::serialize(id);
  text += ",\"result\":";
  text += result_text;
  text += ",\"error\":null}";
  conn_->send_serialized(std::move(text));
}

void ClientSession::reply_error(const Error& error, const json::value& id) {
  if (open_) conn_->send(Message::error_reply(error_to_json(error), id));
}

void ClientSession::on_message(Message&& m) {
  auto self = shared_from_this();  // a handler may close this session
  if (!open_) return;
  if (m.type != Message::Type::request && m.type != Message::Type::notify) return;
  auto it = handlers().find(m.method);
  if (it == handlers().end()) {
    if (m.type == Message::Type::request) {
      conn_->send(Message::error_reply(json::value("unknown method"), m.id));
    }
    return;
  }
  if (m.type == Message::Type::notify && m.method != "cancel") return;
  (this->*(it->second))(m);
}

DbEntry* ClientSession::db_param(Message& m, const char* method) {
  const json::array* p = params_array(m);
  if (!p || p->empty() || !(*p)[0].is_string()) {
    reply_error(syntax_error(fmt::format("{} request params must begin with <db-name>", method)),
                m.id);
    return nullptr;
  }
  std::string_view name = (*p)[0].get_string();
  DbEntry* db = state_.find_db(name);
  if (!db) {
    reply_error(make_error("unknown database", fmt::format("{} request specifies unknown "
                                                           "database {}", method, name)),
                m.id);
  }
  return db;
}

void ClientSession::do_list_dbs(Message& m) {
  json::array names;
  for (const auto& [name, entry] : state_.dbs()) names.push_back(json::value(name));
  reply(names, m.id);
}

void ClientSession::do_get_schema(Message& m) {
  DbEntry* db = db_param(m, "get_schema");
  if (db) reply(db->db->schema().to_json(), m.id);
}

void ClientSession::do_transact(Message& m) {
  DbEntry* db = db_param(m, "transact");
  if (!db) return;
  auto t = std::make_unique<Trigger>(std::move(m.params));
  t->id = m.id;
  t->db = db;
  t->start = Clock::now();
  if (run_trigger(*t)) return;
  arm_trigger_timer(*t);
  triggers_.push_back(std::move(t));
}

bool ClientSession::run_trigger(Trigger& t) {
  ExecuteParams p;
  p.db = t.db->db;
  if (t.db->is_server_db) {
    p.read_only = true;
    p.read_only_reason = "on table in reserved database " + t.db->name;
  } else if (settings_.read_only) {
    p.read_only = true;
    p.read_only_reason = "when database server is in read only mode";
  }
  p.holds_lock = [this](std::string_view lock) {
    return state_.locks().owns(this, std::string(lock));
  };
  p.start = t.start;
  p.now = Clock::now();
  DbEntry* db = t.db;
  p.before_commit = [db](const ChangeSet& changes) -> Status {
    return db->storage ? db->storage->append(changes) : Status();
  };
  ExecuteOutcome out = execute_transaction(p, t.params, 1);
  if (out.retry) {
    t.deadline = out.deadline;
    return false;
  }
  if (out.committed) state_.committed(*db, out.committed);
  if (t.id.is_null()) return true;  // a notification gets no reply
  reply_text(json::serialize(out.results), t.id);
  return true;
}

void ClientSession::arm_trigger_timer(Trigger& t) {
  if (t.deadline == Clock::time_point::max()) {
    t.timer.reset();
    return;
  }
  if (!t.timer) t.timer = std::make_unique<asio::steady_timer>(state_.io());
  t.timer->expires_at(t.deadline);
  std::weak_ptr<ClientSession> weak = shared_from_this();
  Trigger* raw = &t;
  t.timer->async_wait([weak, raw](const boost::system::error_code& ec) {
    if (ec) return;  // canceled: the trigger is gone
    auto self = weak.lock();
    if (!self || !self->open_) return;
    for (auto it = self->triggers_.begin(); it != self->triggers_.end(); ++it) {
      if (it->get() != raw) continue;
      if (self->run_trigger(*raw)) {
        self->triggers_.erase(it);
      } else {
        self->arm_trigger_timer(*raw);
      }
      return;
    }
  });
}

void ClientSession::retry_triggers(DbEntry& entry) {
  auto self = shared_from_this();
  for (auto it = triggers_.begin(); it != triggers_.end() && open_;) {
    Trigger& t = **it;
    if (t.db != &entry) {
      ++it;
      continue;
    }
    if (run_trigger(t)) {
      it = triggers_.erase(it);
    } else {
      arm_trigger_timer(t);
      ++it;
    }
  }
}

void ClientSession::do_cancel(Message& m) {
  const json::array* p = params_array(m);
  if (!p || p->size() != 1) {
    if (m.type == Message::Type::request) {
      reply_error(syntax_error("cancel request params must be [<id>]"), m.id);
    }
    return;
  }
  for (auto it = triggers_.begin(); it != triggers_.end(); ++it) {
    if ((*it)->id == (*p)[0]) {
      conn_->send(Message::error_reply(json::value("canceled"), (*it)->id));
      triggers_.erase(it);
      break;
    }
  }
}

void ClientSession::do_monitor(Message& m) {
  UpdateVersion version = m.method == "monitor"        ? UpdateVersion::v1
                          : m.method == "monitor_cond" ? UpdateVersion::v2
                                                       : UpdateVersion::v3;
  const json::array* p = params_array(m);
  size_t want = version == UpdateVersion::v3 ? 4 : 3;
  if (!p || p->size() < want - (version == UpdateVersion::v3 ? 1 : 0) || p->size() > want) {
    reply_error(syntax_error(fmt::format("{} request params must be [<db-name>, <json-value>, "
                                         "<monitor-requests>{}]",
                                         m.method,
                                         version == UpdateVersion::v3 ? ", <last-txn-id>" : "")),
                m.id);
    return;
  }
  DbEntry* db = db_param(m, m.method.c_str());
  if (!db) return;
  std::string id_text = json::serialize((*p)[1]);
  if (monitors_.count(id_text)) {
    reply_error(syntax_error("duplicate monitor ID"), m.id);
    return;
  }
  const json::object* requests = (*p)[2].if_object();
  if (!requests) {
    reply_error(syntax_error("monitor requests must be an object"), m.id);
    return;
  }
  std::vector<SpecPtr> specs;
  for (const auto& [tname, req] : *requests) {
    const Table* table = db->db->find_table(tname);
    if (!table) {
      reply_error(syntax_error(fmt::format("no table named {}", std::string_view(tname))), m.id);
      return;
    }
    auto spec = parse_monitor_request(*table, req, version != UpdateVersion::v1,
                                      version != UpdateVersion::v1);
    if (!spec.ok()) {
      reply_error(spec.error(), m.id);
      return;
    }
    specs.push_back(db->specs.intern(std::move(*spec)));
  }
  auto monitor = std::make_unique<Monitor>(id_text, version, std::move(specs));
  std::string result;
  if (version != UpdateVersion::v3) {
    result = monitor->initial_text();
  } else {
    std::optional<std::vector<ChangeSetPtr>> since;
    if (p->size() == 4 && (*p)[3].is_string()) {
      if (auto last = Uuid::parse((*p)[3].get_string())) since = db->history.since(*last);
    }
    result = since ? "[true,\"" : "[false,\"";
    append_uuid_text(db->history.last_id(), &result);
    result += "\",";
    if (since) {
      ChangeSet merged = merge_changes(*since);
      UpdateCache cache(merged);
      std::string body = "{";
      bool any = false;
      for (const SpecPtr& spec : monitor->tables()) {
        const std::string& t = cache.table_update(*spec);
        if (t.empty()) continue;
        if (any) body.push_back(',');
        any = true;
        append_json_string(spec->table->name(), &body);
        body.push_back(':');
        body += t;
      }
      body.push_back('}');
      result += body;
    } else {
      result += monitor->initial_text();
    }
    result += "]";
  }
  monitors_.emplace(id_text, MonitorEntry{db, std::move(monitor)});
  reply_text(result, m.id);
}

void ClientSession::do_monitor_cond_change(Message& m) {
  const json::array* p = params_array(m);
  if (!p || p->size() != 3 || !(*p)[2].is_object()) {
    reply_error(syntax_error("monitor_cond_change request params must be [<json-value>, "
                             "<json-value>, <monitor-cond-update-requests>]"),
                m.id);
    return;
  }
  auto it = monitors_.find(json::serialize((*p)[0]));
  if (it == monitors_.end()) {
    reply_error(make_error("unknown monitor", "monitor_cond_change on an unknown monitor"), m.id);
    return;
  }
  std::string new_id = json::serialize((*p)[1]);
  if (new_id != it->first && monitors_.count(new_id)) {
    reply_error(syntax_error("duplicate monitor ID"), m.id);
    return;
  }
  MonitorEntry& entry = it->second;
  Monitor& monitor = *entry.monitor;
  if (monitor.version() == UpdateVersion::v1) {
    reply_error(syntax_error("monitor_cond_change is not allowed on a monitor created with "
                             "\"monitor\""),
                m.id);
    return;
  }
  std::vector<std::pair<size_t, SpecPtr>> changes;
  for (const auto& [tname, req] : (*p)[2].get_object()) {
    size_t index = monitor.tables().size();
    for (size_t i = 0; i < monitor.tables().size(); ++i) {
      if (monitor.tables()[i]->table->name() == tname) index = i;
    }
    if (index == monitor.tables().size()) {
      reply_error(syntax_error(fmt::format("no table named {} in this monitor",
                                           std::string_view(tname))),
                  m.id);
      return;
    }
    const MonitorTableSpec& old_spec = *monitor.tables()[index];
    const json::value* where = nullptr;
    const json::value* one = &req;
    if (const json::array* a = req.if_array()) {
      if (a->size() != 1) {
        reply_error(syntax_error("monitor_cond_change takes one request per table"), m.id);
        return;
      }
      one = &(*a)[0];
    }
    if (!one->is_object()) {
      reply_error(syntax_error("monitor_cond_change request must be an object"), m.id);
      return;
    }
    where = one->get_object().if_contains("where");
    // Same columns and select flags, new condition.
    json::object rebuilt;
    json::array cols;
    for (size_t c : old_spec.columns) cols.push_back(json::value(old_spec.table->schema().column(c).name));
    rebuilt["columns"] = std::move(cols);
    rebuilt["select"] = json::object{{"initial", old_spec.select.initial},
                                     {"insert", old_spec.select.insert},
                                     {"delete", old_spec.select.del},
                                     {"modify", old_spec.select.modify}};
    if (where) rebuilt["where"] = *where;
    auto spec = parse_monitor_request(*old_spec.table, rebuilt, true, true);
    if (!spec.ok()) {
      reply_error(spec.error(), m.id);
      return;
    }
    changes.emplace_back(index, entry.db->specs.intern(std::move(*spec)));
  }
  std::string body = "{";
  bool any = false;
  for (const auto& [index, spec] : changes) {
    std::string rows;
    if (append_condition_change(*monitor.tables()[index], *spec, &rows)) {
      if (any) body.push_back(',');
      any = true;
      append_json_string(spec->table->name(), &body);
      body += ":{" + rows + "}";
    }
    monitor.replace_table(index, spec);
  }
  body.push_back('}');
  if (new_id != it->first) {
    auto moved = std::make_unique<Monitor>(new_id, monitor.version(), monitor.tables());
    DbEntry* db = entry.db;
    monitors_.erase(it);
    it = monitors_.emplace(new_id, MonitorEntry{db, std::move(moved)}).first;
  }
  if (any) conn_->send_serialized(it->second.monitor->notification(body, it->second.db->history.last_id()));
  reply(json::object(), m.id);
}

void ClientSession::do_monitor_cancel(Message& m) {
  const json::array* p = params_array(m);
  if (!p || p->size() != 1) {
    reply_error(syntax_error("monitor_cancel request params must be [<json-value>]"), m.id);
    return;
  }
  auto it = monitors_.find(json::serialize((*p)[0]));
  if (it == monitors_.end()) {
    conn_->send(Message::error_reply(json::value("unknown monitor"), m.id));
    return;
  }
  monitors_.erase(it);
  reply(json::object(), m.id);
}

void ClientSession::send_updates(DbEntry& entry, UpdateCache& cache) {
  for (auto& [id, me] : monitors_) {
    if (me.db != &entry || !open_) continue;
    std::string text = me.monitor->update_notification(cache);
    if (!text.empty()) conn_->send_serialized(std::move(text));
  }
}

void ClientSession::database_removed(DbEntry& entry) {
  bool uses = false;
  for (auto& [id, me] : monitors_) uses = uses || me.db == &entry;
  for (auto& t : triggers_) uses = uses || t->db == &entry;
  if (!uses && db_change_aware_) return;
  if (!db_change_aware_) {
    close();
    return;
  }
  for (auto it = monitors_.begin(); it != monitors_.end();) {
    if (it->second.db != &entry) {
      ++it;
      continue;
    }
    conn_->send_serialized("{\"id\":null,\"method\":\"monitor_canceled\",\"params\":[" + it->first +
                           "]}");
    it = monitors_.erase(it);
  }
  for (auto it = triggers_.begin(); it != triggers_.end();) {
    if ((*it)->db != &entry) {
      ++it;
      continue;
    }
    conn_->send(Message::error_reply(json::value("canceled"), (*it)->id));
    it = triggers_.erase(it);
  }
}

namespace {

const std::string* lock_name(const Message& m) {
  const json::array* p = m.params.if_array();
  if (!p || p->size() != 1 || !(*p)[0].is_string()) return nullptr;
  static thread_local std::string name;
  name = std::string((*p)[0].get_string());
  return &name;
}

}  // namespace

void ClientSession::do_lock(Message& m) {
  const std::string* name = lock_name(m);
  if (!name) {
    reply_error(syntax_error("lock request params must be <id>"), m.id);
    return;
  }
  if (locks_.count(*name)) {
    reply_error(syntax_error("must issue \"unlock\" before new \"lock\""), m.id);
    return;
  }
  locks_.insert(*name);
  bool locked = state_.locks().lock(this, *name);
  reply(json::object{{"locked", locked}}, m.id);
}

void ClientSession::do_steal(Message& m) {
  const std::string* name = lock_name(m);
  if (!name) {
    reply_error(syntax_error("steal request params must be <id>"), m.id);
    return;
  }
  if (locks_.count(*name)) {
    reply_error(syntax_error("must issue \"unlock\" before new \"steal\""), m.id);
    return;
  }
  locks_.insert(*name);
  std::string n = *name;
  state_.locks().steal(this, n);
  reply(json::object{{"locked", true}}, m.id);
}

void ClientSession::do_unlock(Message& m) {
  const std::string* name = lock_name(m);
  if (!name) {
    reply_error(syntax_error("unlock request params must be <id>"), m.id);
    return;
  }
  if (!locks_.count(*name)) {
    reply_error(syntax_error("unlock: \"unlock\" without \"lock\" or \"steal\""), m.id);
    return;
  }
  std::string n = *name;
  locks_.erase(n);
  state_.locks().unlock(this, n);
  reply(json::object(), m.id);
}

void ClientSession::lock_acquired(const std::string& name) {
  if (open_) conn_->send(Message::notify("locked", json::array{json::value(name)}));
}

void ClientSession::lock_stolen(const std::string& name) {
  if (open_) conn_->send(Message::notify("stolen", json::array{json::value(name)}));
}

void ClientSession::do_set_db_change_aware(Message& m) {
  const json::array* p = params_array(m);
  if (!p || p->size() != 1 || !(*p)[0].is_bool()) {
    reply_error(syntax_error("set_db_change_aware request params must be [<boolean>]"), m.id);
    return;
  }
  db_change_aware_ = (*p)[0].get_bool();
  reply(json::object(), m.id);
}

void ClientSession::do_get_server_id(Message& m) {
  reply(json::value(state_.server_id().to_string()), m.id);
}

}  // namespace ovnx::ovsdb::server
