// A reconnecting JSON-RPC client: connects to one of a list of remotes, reconnects with
// exponential backoff after a failure, tracks outstanding requests by id.
//
// Single-threaded on the caller's io_context. Pending requests fail with "connection closed"
// when the connection drops; the owner re-sends what it needs from its on_connected handler.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jsonrpc/connection.h"

namespace ovnx::jsonrpc {

struct SessionOptions {
  std::vector<Address> remotes;  // tried in turn
  int min_backoff_ms = 100;
  int max_backoff_ms = 8000;
  int probe_interval_ms = 5000;  // 0 disables inactivity probes
  int max_attempts = 0;          // 0: retry forever; else give up (on_give_up) after N failures
  ConnectionOptions connection;
};

class Session {
 public:
  using ReplyHandler = std::function<void(Result<boost::json::value>)>;

  struct Handlers {
    std::function<void()> on_connected;
    std::function<void(Message&&)> on_message;  // requests and notifications from the peer
    std::function<void(const Error&)> on_disconnected;
    std::function<void(const Error&)> on_give_up;  // only with max_attempts
  };

  Session(boost::asio::io_context& io, SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start(Handlers handlers);
  void close();

  bool is_connected() const;
  // The remote in use (or being tried).
  const Address& remote() const;
  // Number of successful connections so far (changes on every reconnect).
  uint64_t connection_seqno() const;

  // Sends a request; ON_REPLY gets the result, the peer's error (tag = error text or JSON), or
  // "connection closed". Returns the id used. If not connected, fails at once (asynchronously).
  boost::json::value request(std::string method, boost::json::value params, ReplyHandler on_reply);
  Status notify(std::string method, boost::json::value params);
  Status send(const Message& message);

  // Drops the current connection and reconnects (e.g. after the owner detects a problem).
  void force_reconnect();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ovnx::jsonrpc
