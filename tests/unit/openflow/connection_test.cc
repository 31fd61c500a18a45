// Connection against a scripted fake switch on a unix socket: hello negotiation, echo,
// request/reply tracking by xid, multipart merging, batches with errors, reconnect with
// backoff, the inactivity probe, and failing fast when not connected.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "openflow/connection.h"
#include "../support/tcp_tos.h"

namespace ovnx::openflow {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

// Accepts connections one at a time and speaks OpenFlow just enough to script a switch.
class FakeSwitch {
 public:
  // Returns true if it handled the message itself.
  using Handler = std::function<bool(FakeSwitch&, const Envelope&)>;

  FakeSwitch(asio::io_context& io, const std::string& path) : io_(io), acceptor_(io) {
    std::filesystem::remove(path);
    acceptor_.open(local());
    acceptor_.bind(local::endpoint(path));
    acceptor_.listen();
    accept();
  }
  // A read that completed just before the switch went away may still be queued in the
  // io_context (TearDown polls it): the handlers check ALIVE before touching the switch.
  ~FakeSwitch() {
    *alive_ = false;
    close_client();
  }

  void send(const Message& m, uint32_t xid) {
    auto bytes = encode(m, xid);
    ASSERT_TRUE(bytes.ok());
    send_raw(std::move(bytes).value());
  }
  void send_raw(std::vector<uint8_t> bytes) {
    if (!sock_) return;
    auto buf = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    asio::async_write(*sock_, asio::buffer(*buf), [buf](boost::system::error_code, size_t) {});
  }
  void close_client() {
    if (sock_) sock_->close();
    sock_.reset();
  }
  void stop_accepting() { acceptor_.close(); }

  Handler handler;
  bool answer_echo = true;
  std::vector<uint8_t> hello = {0x06, 0x00, 0x00, 0x10, 0, 0, 0, 1,
                                0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0x40};
  int accepted = 0;
  std::vector<Envelope> received;

 private:
  void accept() {
    acceptor_.async_accept([this, alive = alive_](boost::system::error_code ec, local::socket s) {
      if (ec || !*alive) return;
      accepted++;
      sock_ = std::make_shared<local::socket>(std::move(s));
      send_raw(hello);
      read(sock_);
      accept();
    });
  }

  void read(std::shared_ptr<local::socket> s) {
    auto hdr = std::make_shared<std::array<uint8_t, 8>>();
    asio::async_read(*s, asio::buffer(*hdr), [this, s, hdr, alive = alive_](
                                                 boost::system::error_code ec, size_t) {
      if (ec || !*alive || s != sock_) return;
      size_t len = (size_t{(*hdr)[2]} << 8) | (*hdr)[3];
      auto body = std::make_shared<std::vector<uint8_t>>(hdr->begin(), hdr->end());
      body->resize(len);
      asio::async_read(*s, asio::buffer(body->data() + 8, len - 8),
                       [this, s, body, alive](boost::system::error_code ec2, size_t) {
                         if (ec2 || !*alive || s != sock_) return;
                         auto env = decode(*body);
                         ASSERT_TRUE(env.ok()) << env.error().to_string();
                         received.push_back(*env);
                         dispatch(*env);
                         read(s);
                       });
    });
  }

  void dispatch(const Envelope& env) {
    if (handler && handler(*this, env)) return;
    if (std::holds_alternative<EchoRequest>(env.message) && answer_echo) {
      send(EchoReply{}, env.xid);
    } else if (std::holds_alternative<BarrierRequest>(env.message)) {
      send(BarrierReply{}, env.xid);
    }
  }

  asio::io_context& io_;
  local::acceptor acceptor_;
  std::shared_ptr<local::socket> sock_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ovnx-of-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/br0.mgmt";
    sw_ = std::make_unique<FakeSwitch>(io_, path_);
  }
  void TearDown() override {
    conn_.reset();
    sw_.reset();
    io_.poll();
    std::filesystem::remove_all(dir_);
  }

  Connection& connect(int probe_ms = 0) {
    conn_ = std::make_unique<Connection>(
        io_, ConnectionOptions{.target = "unix:" + path_,
                               .min_backoff_ms = 10,
                               .max_backoff_ms = 40,
                               .probe_interval_ms = probe_ms});
    conn_->start({.on_connected = [this] { connects_++; },
                  .on_message = [this](const Envelope& e) { async_.push_back(e); },
                  .on_disconnected = [this](const Error& e) { disconnects_.push_back(e); }});
    return *conn_;
  }

  bool run_until(const std::function<bool()>& pred, int ms = 3000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  asio::io_context io_;
  std::string dir_;
  std::string path_;
  std::unique_ptr<FakeSwitch> sw_;
  std::unique_ptr<Connection> conn_;
  int connects_ = 0;
  std::vector<Envelope> async_;
  std::vector<Error> disconnects_;
};

TEST_F(ConnectionTest, HelloThenEchoAndAsyncMessages) {
  Connection& c = connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  EXPECT_TRUE(c.is_connected());
  EXPECT_EQ(c.connection_seqno(), 1u);
  ASSERT_FALSE(sw_->received.empty());
  EXPECT_TRUE(std::holds_alternative<Hello>(sw_->received[0].message));
  // The connection answers the switch's echo requests itself.
  sw_->send(EchoRequest{{1, 2, 3}}, 77);
  ASSERT_TRUE(run_until([&] {
    return std::any_of(sw_->received.begin(), sw_->received.end(), [](const Envelope& e) {
      auto* r = std::get_if<EchoReply>(&e.message);
      return r && e.xid == 77 && r->data == std::vector<uint8_t>{1, 2, 3};
    });
  }));
  // Unsolicited messages go to on_message.
  PacketIn pin;
  pin.packet = {1, 2};
  pin.userdata = {9};
  sw_->send(pin, 0);
  ASSERT_TRUE(run_until([&] { return !async_.empty(); }));
  EXPECT_EQ(std::get<PacketIn>(async_[0].message), pin);
}

TEST_F(ConnectionTest, RequestsGetTheirRepliesAndErrors) {
  sw_->handler = [](FakeSwitch& s, const Envelope& e) {
    if (std::holds_alternative<FeaturesRequest>(e.message)) {
      s.send(FeaturesReply{.datapath_id = 42}, e.xid);
      return true;
    }
    if (std::holds_alternative<TlvTableRequest>(e.message)) {
      s.send(ErrorMsg{1, 5}, e.xid);  // OFPBRC_EPERM
      return true;
    }
    if (std::holds_alternative<FlowStatsRequest>(e.message)) {
      Flow f;
      f.priority = 1;
      s.send(FlowStatsReply{{FlowStats{f}}, true}, e.xid);
      f.priority = 2;
      s.send(FlowStatsReply{{FlowStats{f}}, false}, e.xid);
      return true;
    }
    return false;
  };
  Connection& c = connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  std::optional<Result<Envelope>> features, tlv, stats;
  c.request(FeaturesRequest{}, [&](Result<Envelope> r) { features = std::move(r); });
  c.request(TlvTableRequest{}, [&](Result<Envelope> r) { tlv = std::move(r); });
  c.request(FlowStatsRequest{}, [&](Result<Envelope> r) { stats = std::move(r); });
  ASSERT_TRUE(run_until([&] { return features && tlv && stats; }));
  ASSERT_TRUE(features->ok());
  EXPECT_EQ(std::get<FeaturesReply>((*features)->message).datapath_id, 42u);
  ASSERT_FALSE(tlv->ok());
  EXPECT_EQ(tlv->error().details, "OFPBRC_EPERM (type 1, code 5)");
  ASSERT_TRUE(stats->ok());
  const auto& merged = std::get<FlowStatsReply>((*stats)->message);
  ASSERT_EQ(merged.flows.size(), 2u);  // both parts of the multipart reply
  EXPECT_EQ(merged.flows[1].flow.priority, 2);
  EXPECT_TRUE(async_.empty());
}

TEST_F(ConnectionTest, BatchReportsErrorsByMessageIndex) {
  sw_->handler = [](FakeSwitch& s, const Envelope& e) {
    if (auto* fm = std::get_if<FlowMod>(&e.message); fm && fm->flow.priority == 2) {
      s.send(ErrorMsg{2, 4}, e.xid);  // OFPBAC_BAD_OUT_PORT for the second flow_mod
    }
    return false;
  };
  Connection& c = connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  std::vector<Message> batch;
  for (uint16_t p = 1; p <= 3; p++) {
    FlowMod fm;
    fm.flow.priority = p;
    batch.push_back(fm);
  }
  std::optional<BatchResult> result;
  c.send_batch(batch, [&](const BatchResult& r) { result = r; });
  ASSERT_TRUE(run_until([&] { return result.has_value(); }));
  EXPECT_FALSE(result->failure);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].first, 1u);
  EXPECT_EQ(result->errors[0].second.code, 4);
  EXPECT_NE(result->status().error().details.find("message 1: OFPBAC_BAD_OUT_PORT"),
            std::string::npos);
  // An empty batch is just a barrier.
  std::optional<BatchResult> empty;
  c.send_batch({}, [&](const BatchResult& r) { empty = r; });
  ASSERT_TRUE(run_until([&] { return empty.has_value(); }));
  EXPECT_TRUE(empty->ok());
  EXPECT_TRUE(async_.empty());
}

// Queued messages go out in gathered writes: thousands of them, and more queued while the
// first are being written, arrive whole and in order.
TEST_F(ConnectionTest, LargeBatchesArriveInOrder) {
  Connection& c = connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  size_t before = sw_->received.size();
  std::vector<Message> first, second;
  for (uint16_t p = 0; p < 3000; p++) {
    FlowMod fm;
    fm.flow.priority = p;
    (p < 2500 ? first : second).push_back(fm);
  }
  int done = 0;
  c.send_batch(first, [&](const BatchResult& r) { done += r.ok(); });
  c.send_batch(second, [&](const BatchResult& r) { done += r.ok(); });
  ASSERT_TRUE(run_until([&] { return done == 2; }, 10000));
  std::vector<uint16_t> prios;
  for (size_t i = before; i < sw_->received.size(); i++) {
    if (auto* fm = std::get_if<FlowMod>(&sw_->received[i].message)) {
      prios.push_back(fm->flow.priority);
    }
  }
  ASSERT_EQ(prios.size(), 3000u);
  for (uint16_t p = 0; p < 3000; p++) ASSERT_EQ(prios[p], p);
}

TEST_F(ConnectionTest, ReconnectsAndFailsPendingRequests) {
  // The switch ignores features requests and barriers, so a request and a batch stay pending.
  sw_->handler = [&](FakeSwitch&, const Envelope& e) {
    return std::holds_alternative<FeaturesRequest>(e.message) ||
           std::holds_alternative<BarrierRequest>(e.message);
  };
  Connection& c = connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  std::optional<Result<Envelope>> pending;
  c.request(FeaturesRequest{}, [&](Result<Envelope> r) { pending = std::move(r); });
  std::optional<BatchResult> batch;
  c.send_batch({FeaturesRequest{}}, [&](const BatchResult& r) { batch = r; });
  ASSERT_TRUE(run_until([&] { return sw_->received.size() >= 4; }));  // hello, 2 requests, barrier
  sw_->close_client();
  ASSERT_TRUE(run_until([&] { return pending.has_value() && batch.has_value(); }));
  ASSERT_FALSE(pending->ok());
  EXPECT_EQ(pending->error().tag, "connection closed");
  ASSERT_TRUE(batch->failure);
  ASSERT_TRUE(run_until([&] { return !disconnects_.empty(); }));
  // It comes back by itself.
  ASSERT_TRUE(run_until([&] { return connects_ == 2; }));
  EXPECT_EQ(sw_->accepted, 2);
  EXPECT_EQ(c.connection_seqno(), 2u);
  EXPECT_TRUE(c.is_connected());
}

TEST_F(ConnectionTest, InactivityProbeDropsASilentSwitch) {
  sw_->answer_echo = false;
  connect(/*probe_ms=*/50);
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  ASSERT_TRUE(run_until([&] { return !disconnects_.empty(); }, 2000));
  EXPECT_NE(disconnects_[0].details.find("inactivity probe"), std::string::npos)
      << disconnects_[0].to_string();
  bool probed = std::any_of(sw_->received.begin(), sw_->received.end(), [](const Envelope& e) {
    return std::holds_alternative<EchoRequest>(e.message);
  });
  EXPECT_TRUE(probed);
}

TEST_F(ConnectionTest, AnsweredProbesKeepTheConnection) {
  connect(/*probe_ms=*/30);
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  run_until([] { return false; }, 300);
  EXPECT_TRUE(disconnects_.empty());
  EXPECT_EQ(connects_, 1);
}

TEST_F(ConnectionTest, RefusesAPeerWithoutOpenFlow15) {
  sw_->hello = {0x04, 0x00, 0x00, 0x08, 0, 0, 0, 1};  // OpenFlow 1.3, no bitmap
  Connection& c = connect();
  run_until([] { return false; }, 200);
  EXPECT_EQ(connects_, 0);
  EXPECT_FALSE(c.is_connected());
  EXPECT_GE(sw_->accepted, 2);  // it keeps retrying with backoff
}

TEST_F(ConnectionTest, NotConnectedFailsFast) {
  sw_->stop_accepting();
  std::filesystem::remove(path_);
  Connection& c = connect();
  EXPECT_FALSE(c.send(BarrierRequest{}).ok());
  std::optional<BatchResult> batch;
  std::optional<Result<Envelope>> reply;
  c.send_batch({BarrierRequest{}}, [&](const BatchResult& r) { batch = r; });
  c.request(FeaturesRequest{}, [&](Result<Envelope> r) { reply = std::move(r); });
  EXPECT_FALSE(batch.has_value());  // callbacks never run inside the call
  ASSERT_TRUE(run_until([&] { return batch.has_value() && reply.has_value(); }));
  ASSERT_TRUE(batch->failure);
  EXPECT_EQ(batch->failure->tag, "not connected");
  EXPECT_FALSE(reply->ok());
}

TEST_F(ConnectionTest, GarbageFromTheSwitchDisconnects) {
  connect();
  ASSERT_TRUE(run_until([&] { return connects_ == 1; }));
  sw_->send_raw({0x06, 0x02, 0x00, 0x03, 0, 0, 0, 1});  // length 3 < header
  ASSERT_TRUE(run_until([&] { return !disconnects_.empty(); }));
  EXPECT_NE(disconnects_[0].details.find("framing error"), std::string::npos);
}

TEST(ConnectionTarget, BadTargetsNeverConnect) {
  asio::io_context io;
  for (const char* t : {"tcp:not-an-ip:1", "ssl:1.2.3.4:5", "unix:", "tcp:1.2.3.4:99999"}) {
    Connection c(io, ConnectionOptions{.target = t, .min_backoff_ms = 5});
    int connects = 0;
    c.start({.on_connected = [&] { connects++; }});
    io.run_for(std::chrono::milliseconds(30));
    EXPECT_EQ(connects, 0) << t;
    EXPECT_FALSE(c.is_connected());
  }
}

// A TCP connection to the switch carries DSCP CS6 (TOS 0xc0) as OVS's own control connections
// do; the test's accepting end is unmarked, so exactly one of the two sockets `ss` lists has it.
TEST(ConnectionTarget, TcpConnectionIsMarkedAsControlTraffic) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket accepted(io);
  bool got = false;
  acceptor.async_accept(accepted, [&](boost::system::error_code ec) { got = !ec; });
  const std::string port = std::to_string(acceptor.local_endpoint().port());
  Connection c(io, ConnectionOptions{.target = "tcp:127.0.0.1:" + port});
  c.start({});
  for (int i = 0; i < 300 && !got; ++i) io.run_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(got);
  std::string out;
  size_t marked = test::sockets_marked_cs6(acceptor.local_endpoint().port(), &out);
  EXPECT_EQ(marked, 1u) << out;
}

}  // namespace
}  // namespace ovnx::openflow
