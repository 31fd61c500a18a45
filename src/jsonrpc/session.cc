#include "jsonrpc/session.h"

#include <map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "base/log.h"

OVNX_LOG_MODULE(reconnect);

namespace ovnx::jsonrpc {

namespace asio = boost::asio;
namespace json = boost::json;

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  Impl(asio::io_context& io_, SessionOptions o) : io(io_), options(std::move(o)), timer(io_) {}

  asio::io_context& io;
  SessionOptions options;
  Handlers handlers;
  asio::steady_timer timer;
  ConnectionPtr conn;
  bool connecting = false;
  bool closed = false;
  size_t remote_index = 0;
  int backoff_ms = 0;
  int failures = 0;
  uint64_t seqno = 0;
  int64_t next_id = 1;
  std::map<int64_t, ReplyHandler> pending;

  void connect() {
    if (closed || connecting || conn) return;
    connecting = true;
    const Address& a = options.remotes[remote_index];
    ConnectionOptions co = options.connection;
    co.probe_interval_ms = options.probe_interval_ms;
    auto self = shared_from_this();
    async_connect(io, a, co, [self](Result<ConnectionPtr> r) { self->on_connect(std::move(r)); });
  }

  void on_connect(Result<ConnectionPtr> r) {
    connecting = false;
    if (closed) {
      if (r.ok()) (*r)->close();
      return;
    }
    if (!r.ok()) {
      LOG_DBG("{}", r.error().to_string());
      schedule_retry(r.error());
      return;
    }
    conn = std::move(*r);
    failures = 0;
    backoff_ms = 0;
    ++seqno;
    LOG_INFO("{}: connected", options.remotes[remote_index].to_string());
    std::weak_ptr<Impl> weak = shared_from_this();
    ConnectionPtr c = conn;
    conn->start(
        [weak](Message&& m) {
          if (auto self = weak.lock()) self->on_message(std::move(m));
        },
        [weak, c](const Error& e) {
          if (auto self = weak.lock()) {
            if (self->conn == c) self->on_close(e);
          }
        });
    if (handlers.on_connected) handlers.on_connected();
  }

  void on_message(Message&& m) {
    if (m.type == Message::Type::reply || m.type == Message::Type::error) {
      if (!m.id.is_int64()) {
        if (handlers.on_message) handlers.on_message(std::move(m));
        return;
      }
      auto it = pending.find(m.id.get_int64());
      if (it == pending.end()) {
        LOG_DBG("reply to unknown request id {}", m.id.get_int64());
        return;
      }
      ReplyHandler h = std::move(it->second);
      pending.erase(it);
      if (m.type == Message::Type::reply) {
        h(std::move(m.result));
      } else {
        std::string text = m.error.is_string() ? std::string(m.error.get_string())
                                               : json::serialize(m.error);
        h(Error{text, json::serialize(m.error)});
      }
      return;
    }
    if (handlers.on_message) handlers.on_message(std::move(m));
  }

  void fail_pending(const Error& e) {
    auto p = std::move(pending);
    pending.clear();
    for (auto& [id, h] : p) h(e);
  }

  void on_close(const Error& e) {
    LOG_INFO("{}: connection dropped ({})", options.remotes[remote_index].to_string(),
             e.to_string());
    conn.reset();
    fail_pending(make_error("connection closed", e.to_string()));
    if (handlers.on_disconnected) handlers.on_disconnected(e);
    schedule_retry(e);
  }

  void schedule_retry(const Error& e) {
    if (closed) return;
    ++failures;
    if (options.max_attempts > 0 && failures >= options.max_attempts) {
      if (handlers.on_give_up) handlers.on_give_up(e);
      return;
    }
    remote_index = (remote_index + 1) % options.remotes.size();
    // Try the next remote at once the first time around the list; back off after that.
    if (failures % static_cast<int>(options.remotes.size()) != 0) {
      connect();
      return;
    }
    backoff_ms = backoff_ms == 0 ? options.min_backoff_ms
                                 : std::min(backoff_ms * 2, options.max_backoff_ms);
    auto self = shared_from_this();
    timer.expires_after(std::chrono::milliseconds(backoff_ms));
    timer.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->connect();
    });
  }
};

Session::Session(asio::io_context& io, SessionOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

Session::~Session() { close(); }

void Session::start(Handlers handlers) {
  impl_->handlers = std::move(handlers);
  impl_->closed = false;
  if (impl_->options.remotes.empty()) {
    Error e = make_error("syntax error", "no remote to connect to");
    if (impl_->handlers.on_give_up) impl_->handlers.on_give_up(e);
    return;
  }
  impl_->connect();
}

void Session::close() {
  impl_->closed = true;
  impl_->timer.cancel();
  if (impl_->conn) {
    impl_->conn->close();
    impl_->conn.reset();
  }
  impl_->fail_pending(make_error("connection closed", "session closed"));
}

bool Session::is_connected() const { return impl_->conn && impl_->conn->is_open(); }

const Address& Session::remote() const { return impl_->options.remotes[impl_->remote_index]; }

uint64_t Session::connection_seqno() const { return impl_->seqno; }

json::value Session::request(std::string method, json::value params, ReplyHandler on_reply) {
  int64_t id = impl_->next_id++;
  if (!is_connected()) {
    asio::post(impl_->io, [h = std::move(on_reply)]() {
      h(make_error("connection closed", "not connected"));
    });
    return json::value(id);
  }
  impl_->pending.emplace(id, std::move(on_reply));
  impl_->conn->send(Message::request(std::move(method), std::move(params), json::value(id)));
  return json::value(id);
}

Status Session::notify(std::string method, json::value params) {
  return send(Message::notify(std::move(method), std::move(params)));
}

Status Session::send(const Message& message) {
  if (!is_connected()) return make_error("connection closed", "not connected");
  impl_->conn->send(message);
  return {};
}

void Session::force_reconnect() {
  if (!impl_->conn) return;
  ConnectionPtr c = std::move(impl_->conn);
  c->close();
  impl_->on_close(make_error("connection closed", "reconnect requested"));
}

}  // namespace ovnx::jsonrpc
