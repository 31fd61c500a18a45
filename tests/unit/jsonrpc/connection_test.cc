#include "jsonrpc/connection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include "jsonrpc/session.h"
#include "../support/tcp_tos.h"

namespace ovnx::jsonrpc {
namespace {

namespace json = boost::json;

std::string temp_socket(const char* tag) {
  return "/tmp/ovnx-test-" + std::string(tag) + "-" + std::to_string(getpid()) + ".sock";
}

// A server that answers "add" requests; used over unix and tcp.
struct AddServer {
  std::unique_ptr<Listener> listener;
  std::vector<ConnectionPtr> conns;
  AddServer(boost::asio::io_context& io, const Address& a) {
    auto l = Listener::create(io, a, {}, [this](ConnectionPtr c) {
      conns.push_back(c);
      Connection* raw = c.get();
      c->start(
          [raw](Message&& m) {
            if (m.method == "add") {
              auto& p = m.params.get_array();
              raw->send(Message::reply(p[0].as_int64() + p[1].as_int64(), m.id));
            } else if (m.method == "hangup") {
              raw->close();
            } else {
              raw->send(Message::error_reply(json::value("unknown method"), m.id));
            }
          },
          [](const Error&) {});
    });
    EXPECT_TRUE(l.ok()) << l.error().to_string();
    listener = std::move(*l);
  }
};

void run_session_roundtrip(const Address& passive) {
  boost::asio::io_context io;
  AddServer server(io, passive);
  Address active = server.listener->address();
  active.passive = false;
  if (active.kind == Address::Kind::tcp) active.host = "127.0.0.1";
  SessionOptions so;
  so.remotes = {active};
  Session session(io, so);
  int result = 0;
  std::string error;
  session.start({.on_connected =
                     [&] {
                       session.request("add", json::array{2, 3}, [&](Result<json::value> r) {
                         result = static_cast<int>(r->as_int64());
                         session.request("nope", json::array{}, [&](Result<json::value> r2) {
                           error = r2.error().tag;
                           io.stop();
                         });
                       });
                     }});
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(result, 5);
  EXPECT_EQ(error, "unknown method");
}

TEST(Connection, SessionRoundTripUnix) {
  std::string path = temp_socket("rt");
  run_session_roundtrip(*parse_address("punix:" + path));
  unlink(path.c_str());
}

TEST(Connection, SessionRoundTripTcp) { run_session_roundtrip(*parse_address("ptcp:0:127.0.0.1")); }

// Both ends of an OVSDB TCP connection carry DSCP CS6 (TOS 0xc0), as OVS's do; `ss --tos`
// reads what the kernel puts in the sockets' packets.
TEST(Connection, TcpConnectionsAreMarkedAsControlTraffic) {
  boost::asio::io_context io;
  AddServer server(io, *parse_address("ptcp:0:127.0.0.1"));
  Address active = server.listener->address();
  active.passive = false;
  active.host = "127.0.0.1";
  ConnectionPtr client;
  async_connect(io, active, {}, [&](Result<ConnectionPtr> r) {
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    client = *r;
    client->start([](Message&&) {}, [](const Error&) {});
  });
  for (int i = 0; i < 500 && (!client || server.conns.empty()); ++i) {
    io.run_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(client);
  ASSERT_EQ(server.conns.size(), 1u);
  std::string out;
  size_t marked = test::sockets_marked_cs6(active.port, &out);
  EXPECT_EQ(marked, 2u) << out;
}

TEST(Connection, SessionReconnectsAfterServerHangsUp) {
  boost::asio::io_context io;
  std::string path = temp_socket("rc");
  AddServer server(io, *parse_address("punix:" + path));
  SessionOptions so;
  so.remotes = {*parse_address("unix:" + path)};
  so.min_backoff_ms = 10;
  Session session(io, so);
  int connects = 0;
  std::string pending_error;
  session.start({.on_connected = [&] {
    if (++connects == 1) {
      // The server closes on "hangup": the pending request fails, the session reconnects.
      session.request("hangup", json::array{}, [&](Result<json::value> r) {
        pending_error = r.ok() ? "" : r.error().tag;
      });
    } else {
      io.stop();
    }
  }});
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(connects, 2);
  EXPECT_EQ(pending_error, "connection closed");
  EXPECT_EQ(session.connection_seqno(), 2u);
  unlink(path.c_str());
}

TEST(Connection, AnswersEchoAndClosesOnGarbage) {
  boost::asio::io_context io;
  std::string path = temp_socket("echo");
  AddServer server(io, *parse_address("punix:" + path));
  ConnectionPtr client;
  std::string closed_with;
  json::value echoed;
  async_connect(io, *parse_address("unix:" + path), {}, [&](Result<ConnectionPtr> r) {
    ASSERT_TRUE(r.ok());
    client = *r;
    client->start(
        [&](Message&& m) {
          echoed = m.result;
          // Now garbage: the server must drop only this client.
          client->send_serialized("{\"method\":\"add\",\"params\":[1,2],\"id\":1,\"x\":}");
        },
        [&](const Error& e) {
          closed_with = e.tag;
          io.stop();
        });
    client->send(Message::request("echo", json::array{"hi"}, 9));
  });
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(json::serialize(echoed), R"(["hi"])");
  EXPECT_EQ(closed_with, "connection closed");
  unlink(path.c_str());
}

TEST(Connection, InactivityProbeDisconnectsSilentPeer) {
  boost::asio::io_context io;
  std::string path = temp_socket("probe");
  // A listener whose connections never read: probes go unanswered.
  std::vector<ConnectionPtr> held;
  auto l = Listener::create(io, *parse_address("punix:" + path), {},
                            [&](ConnectionPtr c) { held.push_back(c); });
  ASSERT_TRUE(l.ok());
  std::string closed_with;
  ConnectionOptions co;
  co.probe_interval_ms = 50;
  ConnectionPtr client;
  async_connect(io, *parse_address("unix:" + path), co, [&](Result<ConnectionPtr> r) {
    client = *r;
    client->start([](Message&&) {}, [&](const Error& e) {
      closed_with = e.tag;
      io.stop();
    });
  });
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(closed_with, "timed out");
  unlink(path.c_str());
}

}  // namespace
}  // namespace ovnx::jsonrpc
