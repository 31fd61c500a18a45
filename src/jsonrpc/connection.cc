#include "jsonrpc/connection.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <deque>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "jsonrpc/framer.h"

OVNX_LOG_MODULE(jsonrpc);

namespace ovnx::jsonrpc {

namespace asio = boost::asio;
namespace json = boost::json;
using local_stream = asio::local::stream_protocol;
using tcp = asio::ip::tcp;

namespace {

// OVS marks its OVSDB TCP connections, both ends, as network control traffic (DSCP CS6 = 48,
// the IP TOS byte 0xc0) so an underlay with QoS keeps them ahead of tenant traffic; so do we.
// Best effort: a socket that refuses the option still works.
constexpr int kControlTrafficTos = 48 << 2;

template <class TcpSocketOrAcceptor>
void mark_control_traffic(TcpSocketOrAcceptor& socket, bool v6) {
  int tos = kControlTrafficTos;
  if (v6) {
    setsockopt(socket.native_handle(), IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  } else {
    setsockopt(socket.native_handle(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  }
}

template <class Socket>
class SocketConnection final : public Connection,
                               public std::enable_shared_from_this<SocketConnection<Socket>> {
 public:
  SocketConnection(Socket socket, std::string name, ConnectionOptions options)
      : socket_(std::move(socket)),
        name_(std::move(name)),
        options_(options),
        framer_(options.max_message_bytes, options.arena_per_message),
        probe_timer_(socket_.get_executor()) {}

  void start(MessageHandler on_message, CloseHandler on_close) override {
    on_message_ = std::move(on_message);
    on_close_ = std::move(on_close);
    last_rx_ = std::chrono::steady_clock::now();
    read();
    if (options_.probe_interval_ms > 0) arm_probe();
  }

  void send(const Message& message) override { send_serialized(message.serialize()); }

  void send_serialized(std::string text) override {
    if (!open_) return;
    backlog_ += text.size();
    out_.push_back(std::move(text));
    if (options_.max_backlog_bytes && backlog_ > options_.max_backlog_bytes) {
      fail(make_error("io error", fmt::format("{}: peer not reading, {} bytes queued", name_,
                                              backlog_)));
      return;
    }
    if (!writing_) write();
  }

  size_t backlog_bytes() const override { return backlog_; }
  bool is_open() const override { return open_; }
  const std::string& name() const override { return name_; }

  void close() override {
    if (!open_) return;
    open_ = false;
    shutdown();
  }

  void close_after_flush() override {
    if (!open_) return;
    if (out_.empty()) {
      close();
    } else {
      closing_after_flush_ = true;
    }
  }

 private:
  void shutdown() {
    boost::system::error_code ec;
    probe_timer_.cancel();
    socket_.close(ec);
    out_.clear();
    backlog_ = 0;
    // Drop handlers so captured owners are released (breaks reference cycles) -- but never
    // destroy the message handler while it is running (it may be what called close()).
    if (!dispatching_) on_message_ = nullptr;
    on_close_ = nullptr;
  }

  void fail(const Error& error) {
    if (!open_) return;
    open_ = false;
    CloseHandler handler = std::move(on_close_);
    shutdown();
    if (handler) handler(error);
  }

  void read() {
    auto self = this->shared_from_this();
    socket_.async_read_some(asio::buffer(buffer_), [self](const boost::system::error_code& ec,
                                                          size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, size_t n) {
    if (!open_) return;
    if (ec) {
      fail(make_error(ec == asio::error::eof ? "connection closed" : "io error",
                      fmt::format("{}: {}", name_, ec == asio::error::eof ? "end of stream"
                                                                           : ec.message())));
      return;
    }
    last_rx_ = std::chrono::steady_clock::now();
    probe_sent_ = false;
    values_.clear();
    Status status = framer_.feed(std::string_view(buffer_.data(), n), &values_);
    // Deliver what was complete before an error, then fail.
    for (json::value& v : values_) {
      if (!open_) return;
      Result<Message> m = message_from_json(std::move(v));
      if (!m.ok()) {
        LOG_WARN("{}: received bad JSON-RPC message: {}", name_, m.error().to_string());
        fail(make_error("protocol error", fmt::format("{}: {}", name_, m.error().to_string())));
        return;
      }
      dispatch(std::move(*m));
    }
    if (!status.ok()) {
      LOG_WARN("{}: {}", name_, status.error().to_string());
      fail(make_error("protocol error", fmt::format("{}: {}", name_, status.error().to_string())));
      return;
    }
    if (open_) read();
  }

  void dispatch(Message&& m) {
    if (m.type == Message::Type::request && m.method == "echo") {
      send(Message::reply(m.params, m.id));
      return;
    }
    if (m.type == Message::Type::reply && m.id.is_string() && m.id.get_string() == "echo") {
      return;  // answer to our inactivity probe
    }
    if (!on_message_) return;
    dispatching_ = true;
    on_message_(std::move(m));
    dispatching_ = false;
    if (!open_) on_message_ = nullptr;
  }

  void write() {
    writing_ = true;
    write_bufs_.clear();
    size_t n = std::min<size_t>(out_.size(), 64);
    for (size_t i = 0; i < n; ++i) write_bufs_.push_back(asio::buffer(out_[i]));
    auto self = this->shared_from_this();
    asio::async_write(socket_, write_bufs_,
                      [self, n](const boost::system::error_code& ec, size_t bytes) {
                        self->on_write(ec, n, bytes);
                      });
  }

  void on_write(const boost::system::error_code& ec, size_t n, size_t bytes) {
    writing_ = false;
    if (!open_) return;
    if (ec) {
      fail(make_error("io error", fmt::format("{}: {}", name_, ec.message())));
      return;
    }
    for (size_t i = 0; i < n; ++i) out_.pop_front();
    backlog_ -= std::min(backlog_, bytes);
    if (!out_.empty()) {
      write();
    } else if (closing_after_flush_) {
      close();
    }
  }

  void arm_probe() {
    auto self = this->shared_from_this();
    probe_timer_.expires_after(std::chrono::milliseconds(options_.probe_interval_ms));
    probe_timer_.async_wait([self](const boost::system::error_code& ec) {
      if (ec || !self->open_) return;
      self->on_probe_timer();
    });
  }

  void on_probe_timer() {
    auto idle = std::chrono::steady_clock::now() - last_rx_;
    auto interval = std::chrono::milliseconds(options_.probe_interval_ms);
    if (idle >= interval) {
      if (probe_sent_) {
        fail(make_error("timed out", fmt::format("{}: no response to inactivity probe after {} "
                                                 "seconds, disconnecting",
                                                 name_, options_.probe_interval_ms / 1000.0)));
        return;
      }
      send(Message::request("echo", json::array(), json::value("echo")));
      probe_sent_ = true;
      last_rx_ = std::chrono::steady_clock::now();
    }
    arm_probe();
  }

  Socket socket_;
  std::string name_;
  ConnectionOptions options_;
  Framer framer_;
  asio::steady_timer probe_timer_;
  MessageHandler on_message_;
  CloseHandler on_close_;
  std::array<char, 65536> buffer_{};
  std::vector<json::value> values_;
  std::deque<std::string> out_;
  std::vector<asio::const_buffer> write_bufs_;
  size_t backlog_ = 0;
  bool open_ = true;
  bool writing_ = false;
  bool closing_after_flush_ = false;
  bool probe_sent_ = false;
  bool dispatching_ = false;
  std::chrono::steady_clock::time_point last_rx_;
};

std::string tcp_name(const tcp::endpoint& ep) {
  auto addr = ep.address();
  if (addr.is_v6()) return fmt::format("tcp:[{}]:{}", addr.to_string(), ep.port());
  return fmt::format("tcp:{}:{}", addr.to_string(), ep.port());
}

template <class Acceptor, class Socket>
class SocketListener final : public Listener {
 public:
  SocketListener(asio::io_context& io, Acceptor acceptor, Address address,
                 ConnectionOptions options, AcceptHandler on_accept)
      : io_(io),
        state_(std::make_shared<State>(std::move(acceptor), std::move(on_accept), options)),
        address_(std::move(address)) {
    accept(state_, address_);
  }
  ~SocketListener() override { close(); }

  const Address& address() const override { return address_; }

  void close() override {
    if (state_->closed) return;
    state_->closed = true;
    boost::system::error_code ec;
    state_->acceptor.close(ec);
    if (address_.kind == Address::Kind::unix_socket) ::unlink(address_.path.c_str());
  }

 private:
  struct State {
    State(Acceptor a, AcceptHandler h, ConnectionOptions o)
        : acceptor(std::move(a)), on_accept(std::move(h)), options(o) {}
    Acceptor acceptor;
    AcceptHandler on_accept;
    ConnectionOptions options;
    bool closed = false;
  };

  static void accept(std::shared_ptr<State> state, const Address& address) {
    std::string base = address.to_string();
    state->acceptor.async_accept([state, address](const boost::system::error_code& ec,
                                                  Socket socket) {
      if (state->closed) return;
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
        LOG_WARN("{}: accept failed: {}", address.to_string(), ec.message());
      } else {
        std::string name;
        if constexpr (std::is_same_v<Socket, tcp::socket>) {
          boost::system::error_code ec2;
          auto ep = socket.remote_endpoint(ec2);
          name = ec2 ? address.to_string() : tcp_name(ep);
          socket.set_option(tcp::no_delay(true), ec2);
          mark_control_traffic(socket, !ec2 && ep.address().is_v6());
        } else {
          name = "unix#" + std::to_string(socket.native_handle());
        }
        auto conn = std::make_shared<SocketConnection<Socket>>(std::move(socket), std::move(name),
                                                               state->options);
        state->on_accept(std::move(conn));
      }
      if (!state->closed) accept(state, address);
    });
  }

  asio::io_context& io_;
  std::shared_ptr<State> state_;
  Address address_;
};

}  // namespace

void async_connect(asio::io_context& io, const Address& address, ConnectionOptions options,
                   std::function<void(Result<ConnectionPtr>)> on_done) {
  if (address.passive) {
    on_done(make_error("syntax error", address.to_string() + ": not an active connection method"));
    return;
  }
  if (address.kind == Address::Kind::ssl) {
    on_done(make_error("not supported", address.to_string() + ": SSL is not supported yet"));
    return;
  }
  if (address.kind == Address::Kind::unix_socket) {
    auto socket = std::make_shared<local_stream::socket>(io);
    std::string name = address.to_string();
    socket->async_connect(local_stream::endpoint(address.path),
                          [socket, name, options, on_done](const boost::system::error_code& ec) {
                            if (ec) {
                              on_done(make_error("io error", fmt::format("{}: {}", name,
                                                                         ec.message())));
                              return;
                            }
                            on_done(ConnectionPtr(std::make_shared<SocketConnection<
                                local_stream::socket>>(std::move(*socket), name, options)));
                          });
    return;
  }
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (ec) {
    on_done(make_error("syntax error",
                       fmt::format("{}: \"{}\" is not an IP address", address.to_string(),
                                   address.host)));
    return;
  }
  auto socket = std::make_shared<tcp::socket>(io);
  std::string name = address.to_string();
  tcp::endpoint endpoint(ip, address.port);
  // Opened before connecting so that the SYN already carries the mark.
  socket->open(endpoint.protocol(), ec);
  if (!ec) mark_control_traffic(*socket, ip.is_v6());
  socket->async_connect(endpoint,
                        [socket, name, options, on_done](const boost::system::error_code& ec) {
                          if (ec) {
                            on_done(make_error("io error", fmt::format("{}: {}", name,
                                                                       ec.message())));
                            return;
                          }
                          boost::system::error_code ec2;
                          socket->set_option(tcp::no_delay(true), ec2);
                          on_done(ConnectionPtr(std::make_shared<SocketConnection<tcp::socket>>(
                              std::move(*socket), name, options)));
                        });
}

Result<std::unique_ptr<Listener>> Listener::create(asio::io_context& io, const Address& address,
                                                   ConnectionOptions options,
                                                   AcceptHandler on_accept) {
  if (!address.passive) {
    return make_error("syntax error", address.to_string() + ": not a passive connection method");
  }
  boost::system::error_code ec;
  if (address.kind == Address::Kind::unix_socket) {
    // A stale socket file from a crashed process would make bind fail: remove it, as OVS does.
    struct stat st;
    if (::stat(address.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      ::unlink(address.path.c_str());
    }
    local_stream::acceptor acceptor(io);
    acceptor.open(local_stream(), ec);
    if (!ec) acceptor.bind(local_stream::endpoint(address.path), ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return make_error("io error", fmt::format("{}: bind failed: {}", address.to_string(),
                                                ec.message()));
    }
    return std::unique_ptr<Listener>(new SocketListener<local_stream::acceptor,
                                                       local_stream::socket>(
        io, std::move(acceptor), address, options, std::move(on_accept)));
  }
  if (address.kind == Address::Kind::ssl) {
    return make_error("not supported", address.to_string() + ": SSL is not supported yet");
  }
  asio::ip::address ip = asio::ip::address_v4::any();
  if (!address.host.empty()) {
    ip = asio::ip::make_address(address.host, ec);
    if (ec) {
      return make_error("syntax error", fmt::format("{}: \"{}\" is not an IP address",
                                                    address.to_string(), address.host));
    }
  }
  tcp::endpoint ep(ip, address.port);
  tcp::acceptor acceptor(io);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) mark_control_traffic(acceptor, ip.is_v6());  // the SYN-ACKs too
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error("io error", fmt::format("{}: bind failed: {}", address.to_string(),
                                              ec.message()));
  }
  Address bound = address;
  bound.port = acceptor.local_endpoint(ec).port();
  return std::unique_ptr<Listener>(new SocketListener<tcp::acceptor, tcp::socket>(
      io, std::move(acceptor), bound, options, std::move(on_accept)));
}

}  // namespace ovnx::jsonrpc
