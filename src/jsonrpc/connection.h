// A JSON-RPC peer over a stream socket (unix or tcp), on a caller-supplied Boost.Asio
// io_context, single-threaded. Also: active connect and passive listeners.
//
// The connection answers "echo" requests itself and, with a probe interval, sends echo requests
// when the peer is idle and closes the connection if it stays silent (OVS's inactivity probe).
// Handlers are called on the io_context thread; after close they are never called again.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "jsonrpc/address.h"
#include "jsonrpc/message.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::jsonrpc {

struct ConnectionOptions {
  size_t max_message_bytes = 512u << 20;
  size_t max_backlog_bytes = 0;  // 0: unlimited; else closing a peer that does not read
  int probe_interval_ms = 0;     // 0: no inactivity probe
  bool arena_per_message = false;  // see Framer: for peers whose messages are not kept
};

class Connection {
 public:
  using MessageHandler = std::function<void(Message&&)>;
  using CloseHandler = std::function<void(const Error&)>;

  virtual ~Connection() = default;

  // Starts reading; messages go to ON_MESSAGE; ON_CLOSE runs once when the connection ends
  // for any reason other than close().
  virtual void start(MessageHandler on_message, CloseHandler on_close) = 0;

  // Queues a message (or an already serialized JSON text). No-op once closed.
  virtual void send(const Message& message) = 0;
  virtual void send_serialized(std::string text) = 0;

  virtual size_t backlog_bytes() const = 0;
  virtual bool is_open() const = 0;
  // Closes without calling the close handler; pending output is dropped.
  virtual void close() = 0;
  // Closes after queued output has been written.
  virtual void close_after_flush() = 0;
  virtual const std::string& name() const = 0;
};

using ConnectionPtr = std::shared_ptr<Connection>;

// Connects to an active address (unix:, tcp:). ON_DONE gets the connection or the error.
void async_connect(boost::asio::io_context& io, const Address& address, ConnectionOptions options,
                   std::function<void(Result<ConnectionPtr>)> on_done);

// Accepts connections on a passive address (punix:, ptcp:).
class Listener {
 public:
  using AcceptHandler = std::function<void(ConnectionPtr)>;
  virtual ~Listener() = default;
  // The address actually bound (ptcp:0 gets its real port).
  virtual const Address& address() const = 0;
  virtual void close() = 0;

  static Result<std::unique_ptr<Listener>> create(boost::asio::io_context& io,
                                                  const Address& address,
                                                  ConnectionOptions options,
                                                  AcceptHandler on_accept);
};

}  // namespace ovnx::jsonrpc
