#include "openflow/connection.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <deque>
#include <unordered_map>

#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "base/log.h"

OVNX_LOG_MODULE(openflow);

namespace ovnx::openflow {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using GenericSocket = asio::generic::stream_protocol::socket;
using GenericEndpoint = asio::generic::stream_protocol::endpoint;

Status BatchResult::status() const {
  if (ok()) return ok_status();
  std::string details;
  if (failure) details = failure->to_string();
  for (const auto& [index, err] : errors) {
    if (!details.empty()) details += "; ";
    details += fmt::format("message {}: {}", index, err.to_string());
  }
  return make_error("openflow error", details);
}

namespace {

constexpr uint16_t kDefaultPort = 6653;
constexpr int kHelloTimeoutMs = 10000;

Result<GenericEndpoint> parse_target(const std::string& target) {
  if (target.rfind("unix:", 0) == 0) {
    std::string path = target.substr(5);
    if (path.empty()) return make_error("invalid argument", "empty unix socket path");
    return GenericEndpoint(asio::local::stream_protocol::endpoint(path));
  }
  if (target.rfind("tcp:", 0) == 0) {
    std::string rest = target.substr(4);
    std::string host;
    std::string port;
    if (!rest.empty() && rest[0] == '[') {
      size_t close = rest.find(']');
      if (close == std::string::npos) {
        return make_error("invalid argument", fmt::format("unterminated [ in \"{}\"", target));
      }
      host = rest.substr(1, close - 1);
      if (close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
    } else {
      size_t colon = rest.find(':');
      host = rest.substr(0, colon);
      if (colon != std::string::npos) port = rest.substr(colon + 1);
    }
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec) {
      return make_error("invalid argument",
                        fmt::format("\"{}\" is not a numeric IP address in \"{}\"", host, target));
    }
    unsigned long p = kDefaultPort;
    if (!port.empty()) {
      char* end = nullptr;
      p = std::strtoul(port.c_str(), &end, 10);
      if (*end != '\0' || p == 0 || p > 65535) {
        return make_error("invalid argument", fmt::format("bad port in \"{}\"", target));
      }
    }
    return GenericEndpoint(asio::ip::tcp::endpoint(addr, static_cast<uint16_t>(p)));
  }
  return make_error("invalid argument",
                    fmt::format("\"{}\" is not unix:PATH or tcp:IP[:PORT]", target));
}

Error closed_error(const std::string& why) {
  return make_error("connection closed", why);
}

// OVS marks its OpenFlow TCP connections as network control traffic (DSCP CS6, the IP TOS byte
// 0xc0) so an underlay with QoS keeps them ahead of tenant traffic; so do we, from the SYN on.
// Best effort: a socket that refuses the option still connects.
void mark_control_traffic(GenericSocket& sock, const GenericEndpoint& ep) {
  int tos = 48 << 2;
  int family = ep.protocol().family();
  if (family == AF_INET) {
    setsockopt(sock.native_handle(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  } else if (family == AF_INET6) {
    setsockopt(sock.native_handle(), IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  }
}

}  // namespace

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl> {
  enum class State { kIdle, kConnecting, kHello, kConnected, kStopped };

  struct Pending {
    ReplyHandler handler;
    std::optional<FlowStatsReply> stats;  // multipart parts so far
  };
  // A batch's messages have the consecutive xids first_xid + index; its barrier is
  // first_xid + count. A range, not an entry per message: a full table is ~10k messages.
  struct Batch {
    BatchHandler done;
    BatchResult result;
    uint32_t first_xid = 0;
    size_t count = 0;
  };

  asio::io_context& io;
  ConnectionOptions opt;
  Handlers handlers;
  GenericSocket sock;
  asio::steady_timer reconnect_timer;
  asio::steady_timer probe_timer;
  State state = State::kIdle;
  int backoff_ms;
  uint64_t seqno = 0;
  uint64_t epoch = 0;  // bumps on every disconnect: stale callbacks compare and bail out
  uint32_t next_xid = 1;
  std::vector<uint8_t> rbuf;
  size_t rlen = 0;
  std::deque<std::vector<uint8_t>> wqueue;
  std::vector<asio::const_buffer> wbufs;  // the front of wqueue, being written
  bool writing = false;
  Clock::time_point last_rx;
  Clock::time_point connect_time;
  bool probe_sent = false;
  std::unordered_map<uint32_t, Pending> requests;
  std::unordered_map<uint32_t, Batch> batches;  // keyed by barrier xid (a few at a time)

  Impl(asio::io_context& io_, ConnectionOptions o)
      : io(io_),
        opt(std::move(o)),
        sock(io_),
        reconnect_timer(io_),
        probe_timer(io_),
        backoff_ms(opt.min_backoff_ms),
        rbuf(std::max<size_t>(opt.max_message_bytes, 65535) + 4096) {}

  uint32_t alloc_xid() {
    if (next_xid == 0) next_xid = 1;
    return next_xid++;
  }

  // N consecutive xids (the first returned); they do not wrap past 0.
  uint32_t alloc_xids(size_t n) {
    if (next_xid == 0 || next_xid > UINT32_MAX - n) next_xid = 1;
    uint32_t first = next_xid;
    next_xid += static_cast<uint32_t>(n);
    return first;
  }

  // The batch whose message or barrier has XID.
  std::unordered_map<uint32_t, Batch>::iterator find_batch(uint32_t xid) {
    for (auto it = batches.begin(); it != batches.end(); ++it) {
      if (xid - it->second.first_xid <= it->second.count) return it;
    }
    return batches.end();
  }

  void start(Handlers h) {
    handlers = std::move(h);
    connect();
  }

  void connect() {
    if (state == State::kStopped) return;
    auto ep = parse_target(opt.target);
    if (!ep.ok()) {
      LOG_ERR("{}: {}", opt.target, ep.error().to_string());
      state = State::kIdle;
      schedule_reconnect();
      return;
    }
    state = State::kConnecting;
    boost::system::error_code ec;
    sock = GenericSocket(io);
    sock.open(ep->protocol(), ec);
    if (!ec) mark_control_traffic(sock, *ep);
    auto self = shared_from_this();
    uint64_t my_epoch = epoch;
    sock.async_connect(*ep, [this, self, my_epoch](boost::system::error_code err) {
      if (my_epoch != epoch || state == State::kStopped) return;
      if (err) {
        LOG_DBG("{}: connection attempt failed: {}", opt.target, err.message());
        state = State::kIdle;
        boost::system::error_code ignored;
        sock.close(ignored);
        schedule_reconnect();
        return;
      }
      LOG_DBG("{}: connected, sending hello", opt.target);
      state = State::kHello;
      rlen = 0;
      connect_time = last_rx = Clock::now();
      probe_sent = false;
      enqueue_message(Hello{}, alloc_xid());
      read();
      arm_probe();
    });
  }

  void schedule_reconnect() {
    if (state == State::kStopped) return;
    int delay = backoff_ms;
    backoff_ms = std::min(opt.max_backoff_ms, std::max(1, backoff_ms * 2));
    reconnect_timer.expires_after(std::chrono::milliseconds(delay));
    auto self = shared_from_this();
    reconnect_timer.async_wait([this, self](boost::system::error_code err) {
      if (err || state == State::kStopped) return;
      connect();
    });
  }

  void arm_probe() {
    int interval = opt.probe_interval_ms > 0 ? opt.probe_interval_ms : kHelloTimeoutMs;
    if (state == State::kHello) interval = std::min(interval, kHelloTimeoutMs);
    probe_timer.expires_after(std::chrono::milliseconds(interval));
    auto self = shared_from_this();
    uint64_t my_epoch = epoch;
    probe_timer.async_wait([this, self, my_epoch](boost::system::error_code err) {
      if (err || my_epoch != epoch || state == State::kStopped) return;
      on_probe_timer();
    });
  }

  void on_probe_timer() {
    auto now = Clock::now();
    if (state == State::kHello) {
      if (now - connect_time >= std::chrono::milliseconds(kHelloTimeoutMs)) {
        return disconnect(closed_error("no hello from the switch"));
      }
    } else if (state == State::kConnected && opt.probe_interval_ms > 0) {
      auto idle = now - last_rx;
      if (idle >= std::chrono::milliseconds(opt.probe_interval_ms)) {
        if (probe_sent) {
          return disconnect(closed_error(fmt::format(
              "no response to inactivity probe after {} ms", 2 * opt.probe_interval_ms)));
        }
        probe_sent = true;
        enqueue_message(EchoRequest{}, alloc_xid());
      }
    }
    arm_probe();
  }

  void read() {
    auto self = shared_from_this();
    uint64_t my_epoch = epoch;
    sock.async_read_some(
        asio::buffer(rbuf.data() + rlen, rbuf.size() - rlen),
        [this, self, my_epoch](boost::system::error_code err, size_t n) {
          if (my_epoch != epoch || state == State::kStopped) return;
          if (err) {
            return disconnect(closed_error(err == asio::error::eof ? "closed by the switch"
                                                                    : err.message()));
          }
          rlen += n;
          if (!process_input(my_epoch)) return;
          read();
        });
  }

  // Frames and dispatches buffered input. False if the connection went away meanwhile.
  bool process_input(uint64_t my_epoch) {
    size_t pos = 0;
    while (true) {
      std::span<const uint8_t> avail(rbuf.data() + pos, rlen - pos);
      auto len = peek_length(avail);
      if (!len.ok()) {
        disconnect(closed_error("framing error: " + len.error().to_string()));
        return false;
      }
      if (!*len || **len > avail.size()) break;
      auto frame = avail.first(**len);
      pos += **len;
      handle_frame(frame);
      if (my_epoch != epoch || state == State::kStopped) return false;
    }
    if (pos > 0) {
      std::copy(rbuf.begin() + static_cast<ptrdiff_t>(pos),
                rbuf.begin() + static_cast<ptrdiff_t>(rlen), rbuf.begin());
      rlen -= pos;
    }
    return true;
  }

  void handle_frame(std::span<const uint8_t> frame) {
    last_rx = Clock::now();
    probe_sent = false;
    auto env = decode(frame);
    if (!env.ok()) {
      uint32_t xid = (uint32_t{frame[4]} << 24) | (uint32_t{frame[5]} << 16) |
                     (uint32_t{frame[6]} << 8) | frame[7];
      LOG_WARN("{}: undecodable message (type {}, xid {:#x}): {}", opt.target, frame[1], xid,
               env.error().to_string());
      if (auto it = requests.find(xid); it != requests.end()) {
        auto handler = std::move(it->second.handler);
        requests.erase(it);
        handler(env.error());
      } else if (auto bt = find_batch(xid); bt != batches.end()) {
        if (!bt->second.result.failure) bt->second.result.failure = env.error();
      }
      return;
    }
    dispatch(std::move(env).value());
  }

  void dispatch(Envelope env) {
    if (state == State::kHello) {
      if (!std::holds_alternative<Hello>(env.message)) {
        return disconnect(closed_error(fmt::format("expected hello, got {}",
                                                   message_name(env.message))));
      }
      auto v = negotiate_version(env);
      if (!v.ok()) {
        LOG_WARN("{}: {}", opt.target, v.error().to_string());
        enqueue_message(ErrorMsg{0, 0, 0, {}}, env.xid);  // OFPHFC_INCOMPATIBLE
        return disconnect(v.error());
      }
      state = State::kConnected;
      backoff_ms = opt.min_backoff_ms;
      seqno++;
      LOG_INFO("{}: connected (OpenFlow 1.5)", opt.target);
      if (opt.receive_packet_ins) {
        enqueue_message(SetPacketInFormat{kPacketInFormatNxt2}, alloc_xid());
        enqueue_message(SetConfig{SwitchConfig{0, kMaxLenNoBuffer}}, alloc_xid());
      }
      if (handlers.on_connected) handlers.on_connected();
      return;
    }
    if (auto* echo = std::get_if<EchoRequest>(&env.message)) {
      enqueue_message(EchoReply{std::move(echo->data)}, env.xid);
      return;
    }
    if (auto bt = find_batch(env.xid); bt != batches.end()) {
      return on_batch_message(bt, env);
    }
    if (auto it = requests.find(env.xid); it != requests.end()) {
      return on_reply(it, std::move(env));
    }
    if (std::holds_alternative<EchoReply>(env.message)) return;  // our probe's answer
    if (auto* err = std::get_if<ErrorMsg>(&env.message)) {
      LOG_WARN("{}: error from switch (xid {:#x}): {}", opt.target, env.xid, err->to_string());
    }
    if (handlers.on_message) handlers.on_message(env);
  }

  void on_reply(std::unordered_map<uint32_t, Pending>::iterator it, Envelope env) {
    Pending& p = it->second;
    if (auto* part = std::get_if<FlowStatsReply>(&env.message)) {
      if (!p.stats) p.stats.emplace();
      for (auto& fs : part->flows) p.stats->flows.push_back(std::move(fs));
      if (part->more) return;
      env.message = std::move(*p.stats);
    }
    auto handler = std::move(p.handler);
    requests.erase(it);
    if (auto* err = std::get_if<ErrorMsg>(&env.message)) {
      return handler(make_error("openflow error", err->to_string()));
    }
    handler(std::move(env));
  }

  void on_batch_message(std::unordered_map<uint32_t, Batch>::iterator bt, const Envelope& env) {
    uint32_t barrier_xid = bt->first;
    Batch& batch = bt->second;
    if (auto* err = std::get_if<ErrorMsg>(&env.message)) {
      // Open vSwitch names a bundled message's error by its bundle-add's xid.
      size_t index = env.xid - batch.first_xid;  // count for the barrier
      LOG_DBG("{}: batch message {} failed: {}", opt.target, index, err->to_string());
      batch.result.errors.emplace_back(index, *err);
      return;
    }
    if (env.xid == barrier_xid && std::holds_alternative<BarrierReply>(env.message)) {
      Batch done = std::move(batch);
      batches.erase(bt);
      done.done(done.result);
    }
    // Other replies to batch messages (bundle control replies) need no action.
  }

  void enqueue_message(const Message& m, uint32_t xid) {
    auto bytes = encode(m, xid);
    if (!bytes.ok()) {
      LOG_ERR("{}: cannot encode {}: {}", opt.target, message_name(m),
              bytes.error().to_string());
      return;
    }
    enqueue(std::move(bytes).value());
  }

  void enqueue(std::vector<uint8_t> bytes) {
    wqueue.push_back(std::move(bytes));
    if (!writing) write();
  }

  void write() {
    if (wqueue.empty()) {
      writing = false;
      return;
    }
    writing = true;
    // Everything queued goes in one gathered write: a bundle of 10,000 flow_mods is then a
    // few system calls instead of one per message. (Deque elements stay put while more are
    // queued behind them.)
    constexpr size_t kMaxGather = 1024;
    wbufs.clear();
    for (size_t i = 0; i < wqueue.size() && i < kMaxGather; i++) {
      wbufs.push_back(asio::buffer(wqueue[i]));
    }
    auto self = shared_from_this();
    uint64_t my_epoch = epoch;
    asio::async_write(sock, wbufs,
                      [this, self, my_epoch, n = wbufs.size()](boost::system::error_code err,
                                                               size_t) {
                        if (my_epoch != epoch || state == State::kStopped) return;
                        if (err) return disconnect(closed_error("write failed: " + err.message()));
                        wqueue.erase(wqueue.begin(), wqueue.begin() + static_cast<ptrdiff_t>(n));
                        write();
                      });
  }

  void disconnect(const Error& why) {
    bool was_up = state == State::kConnected || state == State::kHello;
    bool was_connected = state == State::kConnected;
    epoch++;
    boost::system::error_code ignored;
    sock.close(ignored);
    probe_timer.cancel();
    wqueue.clear();
    writing = false;
    rlen = 0;
    if (state != State::kStopped) state = State::kIdle;
    if (was_up) LOG_INFO("{}: disconnected: {}", opt.target, why.to_string());
    fail_pending(why);
    if (was_connected && handlers.on_disconnected) handlers.on_disconnected(why);
    if (state != State::kStopped) schedule_reconnect();
  }

  void fail_pending(const Error& why) {
    auto reqs = std::move(requests);
    requests.clear();
    auto bats = std::move(batches);
    batches.clear();
    for (auto& [xid, p] : reqs) p.handler(why);
    for (auto& [xid, b] : bats) {
      b.result.failure = why;
      b.done(b.result);
    }
  }

  void stop() {
    if (state == State::kStopped) return;
    state = State::kStopped;
    reconnect_timer.cancel();
    disconnect(closed_error("stopped"));
  }

  // For the destructor: the owner's objects may already be gone, so no handler may run.
  void stop_silently() {
    handlers = {};
    requests.clear();
    batches.clear();
    stop();
  }

  Result<uint32_t> send(const Message& m) {
    if (state != State::kConnected) return make_error("not connected", opt.target);
    uint32_t xid = alloc_xid();
    OVNX_ASSIGN_OR_RETURN(auto bytes, encode(m, xid));
    enqueue(std::move(bytes));
    return xid;
  }

  template <class Fn>
  void post(Fn fn) {
    asio::post(io, [self = shared_from_this(), fn = std::move(fn)]() mutable {
      if (self->state != State::kStopped) fn();
    });
  }

  void send_batch(std::vector<Message> messages, BatchHandler done) {
    EncodedBatch batch;
    for (size_t i = 0; i < messages.size(); i++) {
      Status st = batch.add(messages[i]);
      if (!st.ok()) {
        Error e = make_error(st.error().tag, fmt::format("message {} ({}): {}", i,
                                                          message_name(messages[i]),
                                                          st.error().details));
        return post([d = std::move(done), e] { d(BatchResult{{}, e}); });
      }
    }
    send_encoded_batch(std::move(batch), std::move(done));
  }

  void send_encoded_batch(EncodedBatch encoded, BatchHandler done) {
    if (state != State::kConnected) {
      return post([done = std::move(done), t = opt.target] {
        done(BatchResult{{}, make_error("not connected", t)});
      });
    }
    Batch batch;
    batch.done = std::move(done);
    batch.count = encoded.count();
    batch.first_xid = alloc_xids(batch.count + 1);
    uint32_t barrier = batch.first_xid + static_cast<uint32_t>(batch.count);
    std::vector<uint8_t> bytes = encoded.take(batch.first_xid);
    batches.emplace(barrier, std::move(batch));
    if (!bytes.empty()) enqueue(std::move(bytes));
    enqueue_message(BarrierRequest{}, barrier);
  }

  void request(Message m, ReplyHandler on_reply) {
    if (state != State::kConnected) {
      return post([h = std::move(on_reply), t = opt.target] { h(make_error("not connected", t)); });
    }
    uint32_t xid = alloc_xid();
    auto bytes = encode(m, xid);
    if (!bytes.ok()) {
      return post([h = std::move(on_reply), e = bytes.error()] { h(e); });
    }
    requests[xid] = Pending{std::move(on_reply), std::nullopt};
    enqueue(std::move(bytes).value());
  }
};

Connection::Connection(asio::io_context& io, ConnectionOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

Connection::~Connection() { impl_->stop_silently(); }

void Connection::start(Handlers handlers) { impl_->start(std::move(handlers)); }
void Connection::stop() { impl_->stop(); }
bool Connection::is_connected() const { return impl_->state == Impl::State::kConnected; }
uint64_t Connection::connection_seqno() const { return impl_->seqno; }
const std::string& Connection::target() const { return impl_->opt.target; }
Result<uint32_t> Connection::send(const Message& message) { return impl_->send(message); }
void Connection::send_batch(std::vector<Message> messages, BatchHandler done) {
  impl_->send_batch(std::move(messages), std::move(done));
}
void Connection::send_encoded_batch(EncodedBatch batch, BatchHandler done) {
  impl_->send_encoded_batch(std::move(batch), std::move(done));
}
void Connection::request(Message request, ReplyHandler on_reply) {
  impl_->request(std::move(request), std::move(on_reply));
}
void Connection::force_reconnect() {
  if (impl_->state == Impl::State::kConnected || impl_->state == Impl::State::kHello) {
    impl_->disconnect(closed_error("reconnect requested"));
  }
}

}  // namespace ovnx::openflow
