// The server through real sockets: the JSON-RPC methods, update-before-reply ordering,
// monitor_cond_since resumption, locks, waiting transactions, _Server, and robustness against
// bad peers (malformed JSON, oversized messages, clients that stop reading).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <deque>
#include <filesystem>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "jsonrpc/connection.h"
#include "ovsdb/server/database.h"
#include "ovsdb/server/server.h"
#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using jsonrpc::Message;

class Client {
 public:
  Client(boost::asio::io_context& io, const std::string& address) : io_(io) {
    jsonrpc::async_connect(io, *jsonrpc::parse_address(address), {},
                           [this](Result<jsonrpc::ConnectionPtr> c) {
                             ASSERT_TRUE(c.ok()) << c.error().to_string();
                             conn_ = *c;
                             conn_->start([this](Message&& m) { inbox_.push_back(std::move(m)); },
                                          [this](const Error&) { closed_ = true; });
                           });
    run_until([&] { return conn_ != nullptr; });
  }
  ~Client() {
    if (conn_) conn_->close();
  }
  void send(const std::string& text) { conn_->send_serialized(text); }
  void request(const std::string& method, const std::string& params, int id) {
    send(R"({"method":")" + method + R"(","params":)" + params + R"(,"id":)" + std::to_string(id) + "}");
  }
  // The next message (reply or notification).
  Message next() {
    run_until([&] { return !inbox_.empty() || closed_; });
    if (inbox_.empty()) return Message::notify("<closed>", json::array());
    Message m = std::move(inbox_.front());
    inbox_.pop_front();
    return m;
  }
  // Skips notifications until the reply with ID.
  Message reply(int id) {
    for (;;) {
      Message m = next();
      if (m.method == "<closed>") return m;
      if ((m.type == Message::Type::reply || m.type == Message::Type::error) && m.id == json::value(id)) return m;
    }
  }
  json::value call(const std::string& method, const std::string& params, int id = 99) {
    request(method, params, id);
    Message m = reply(id);
    return m.type == Message::Type::reply ? m.result : json::value{{"rpc_error", m.error}};
  }
  bool idle_for(int ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline && inbox_.empty()) io_.run_one_for(std::chrono::milliseconds(5));
    return inbox_.empty();
  }
  bool closed() {
    run_until([&] { return closed_; }, 2000);
    return closed_;
  }

 private:
  template <class F>
  void run_until(F done, int ms = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(std::chrono::milliseconds(10));
  }
  boost::asio::io_context& io_;
  jsonrpc::ConnectionPtr conn_;
  std::deque<Message> inbox_;
  bool closed_ = false;
};

struct Harness {
  fs::path dir;
  std::string address;
  boost::asio::io_context io;
  std::unique_ptr<Server> server;

  void start(ServerOptions options = {}) {
    char tmpl[] = "/tmp/ovnx-session-test-XXXXXX";
    dir = mkdtemp(tmpl);
    server = std::make_unique<Server>(io, options);
    ASSERT_TRUE(server->add_database(testing::make_db()).ok());
    address = "unix:" + (dir / "db.sock").string();
    ASSERT_TRUE(server->add_remote("p" + address).ok());
  }
  void stop() {
    server.reset();
    io.run_for(std::chrono::milliseconds(20));
    fs::remove_all(dir);
  }
  static std::string txn(const std::string& ops) { return R"(["Conf",)" + ops + "]"; }
};

struct SessionTest : ::testing::Test, Harness {
  void SetUp() override { start(); }
  void TearDown() override { stop(); }
};

TEST_F(SessionTest, ListDbsGetSchemaEchoAndServerId) {
  Client c(io, address);
  EXPECT_EQ(json::serialize(c.call("list_dbs", "[]")), R"(["Conf","_Server"])");
  EXPECT_EQ(c.call("get_schema", R"(["Conf"])").as_object().at("name").as_string(), "Conf");
  json::value err = c.call("get_schema", R"(["Nope"])");
  EXPECT_EQ(err.at("rpc_error").at("error").as_string(), "unknown database");
  EXPECT_EQ(json::serialize(c.call("echo", R"(["x",1])")), R"(["x",1])");
  json::value id = c.call("get_server_id", "[]");
  EXPECT_TRUE(Uuid::parse(id.as_string()).has_value());
  EXPECT_EQ(json::serialize(c.call("set_db_change_aware", "[true]")), "{}");
  EXPECT_EQ(c.call("frobnicate", "[]").at("rpc_error").as_string(), "unknown method");
}

TEST_F(SessionTest, UpdatesReachTheCommitterBeforeItsReply) {
  Client c(io, address);
  json::value initial = c.call("monitor_cond", R"(["Conf","m",{"Plain":[{"columns":["s"]}]}])");
  EXPECT_EQ(json::serialize(initial), "{}");
  c.request("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"a"}})"), 7);
  Message first = c.next();
  EXPECT_EQ(first.method, "update2");
  Message second = c.next();
  EXPECT_EQ(second.type, Message::Type::reply);
  EXPECT_EQ(second.id, json::value(7));
}

TEST_F(SessionTest, EveryMonitorKindAndCancel) {
  Client c(io, address), w(io, address);
  w.call("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"a"}})"));
  json::value v1 = c.call("monitor", R"(["Conf",1,{"Plain":{"columns":["s"]}}])");
  EXPECT_NE(json::serialize(v1).find(R"({"new":{"s":"a"}})"), std::string::npos);
  json::value v2 = c.call("monitor_cond", R"(["Conf",2,{"Plain":[{"columns":["s"]}]}])");
  EXPECT_NE(json::serialize(v2).find(R"({"initial":{"s":"a"}})"), std::string::npos);
  json::value dup = c.call("monitor_cond", R"(["Conf",2,{"Plain":[{"columns":["s"]}]}])");
  EXPECT_EQ(dup.at("rpc_error").at("details").as_string(), "duplicate monitor ID");
  json::value bad = c.call("monitor", R"(["Conf",3,{"Zed":{}}])");
  EXPECT_EQ(bad.at("rpc_error").at("details").as_string(), "no table named Zed");
  w.call("transact", txn(R"({"op":"update","table":"Plain","where":[],"row":{"s":"b"}})"));
  int update = 0, update2 = 0;
  for (int i = 0; i < 2; ++i) {
    Message m = c.next();
    update += m.method == "update";
    update2 += m.method == "update2";
  }
  EXPECT_EQ(update, 1);
  EXPECT_EQ(update2, 1);
  EXPECT_EQ(json::serialize(c.call("monitor_cancel", "[1]")), "{}");
  EXPECT_EQ(c.call("monitor_cancel", "[1]").at("rpc_error").as_string(), "unknown monitor");
  w.call("transact", txn(R"({"op":"update","table":"Plain","where":[],"row":{"s":"c"}})"));
  EXPECT_EQ(c.next().method, "update2");
  EXPECT_TRUE(c.idle_for(50));
}

TEST_F(SessionTest, MonitorCondSinceResumesFromTheLastTransaction) {
  Client w(io, address);
  json::value first;
  std::string last;
  {
    Client c(io, address);
    first = c.call("monitor_cond_since",
                   R"(["Conf","m",{"Plain":[{"columns":["s"]}]},"00000000-0000-0000-0000-000000000000"])");
    EXPECT_FALSE(first.as_array()[0].as_bool());
    w.call("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"a"}})"));
    Message u = c.next();
    ASSERT_EQ(u.method, "update3");
    last = std::string(u.params.as_array()[1].as_string());
  }
  w.call("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"b"}})"));
  Client c2(io, address);
  json::value resumed = c2.call("monitor_cond_since",
                                R"(["Conf","m",{"Plain":[{"columns":["s"]}]},")" + last + "\"]");
  ASSERT_TRUE(resumed.as_array()[0].as_bool()) << json::serialize(resumed);
  std::string text = json::serialize(resumed.as_array()[2]);
  EXPECT_NE(text.find(R"({"insert":{"s":"b"}})"), std::string::npos) << text;
  EXPECT_EQ(text.find(R"("s":"a")"), std::string::npos) << text;
  // An unknown id gets everything.
  Client c3(io, address);
  json::value full = c3.call("monitor_cond_since",
                             R"(["Conf","m",{"Plain":[{"columns":["s"]}]},")" + Uuid::generate().to_string() + "\"]");
  EXPECT_FALSE(full.as_array()[0].as_bool());
  EXPECT_EQ(full.as_array()[2].as_object().at("Plain").as_object().size(), 2u);
}

TEST_F(SessionTest, MonitorCondChangeSendsTheDifferenceBeforeTheReply) {
  Client w(io, address), c(io, address);
  w.call("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"a"}},{"op":"insert","table":"Plain","row":{"s":"b"}})"));
  json::value init = c.call("monitor_cond", R"(["Conf","m",{"Plain":[{"columns":["s"],"where":[["s","==","a"]]}]}])");
  EXPECT_EQ(init.as_object().at("Plain").as_object().size(), 1u);
  c.request("monitor_cond_change", R"(["m","m2",{"Plain":[{"where":[["s","==","b"]]}]}])", 5);
  Message u = c.next();
  ASSERT_EQ(u.method, "update2");
  EXPECT_EQ(u.params.as_array()[0].as_string(), "m2");
  std::string text = json::serialize(u.params);
  EXPECT_NE(text.find(R"({"insert":{"s":"b"}})"), std::string::npos);
  EXPECT_NE(text.find(R"({"delete":null})"), std::string::npos);
  EXPECT_EQ(c.next().type, Message::Type::reply);
  w.call("transact", txn(R"({"op":"update","table":"Plain","where":[["s","==","b"]],"row":{"s":"bb"}})"));
  EXPECT_EQ(c.next().method, "update2");  // b left the condition: deleted for this monitor
}

TEST_F(SessionTest, LocksAreGrantedQueuedStolenAndAsserted) {
  Client a(io, address), b(io, address), t(io, address);
  EXPECT_EQ(json::serialize(a.call("lock", R"(["L"])")), R"({"locked":true})");
  EXPECT_EQ(json::serialize(b.call("lock", R"(["L"])")), R"({"locked":false})");
  EXPECT_EQ(a.call("lock", R"(["L"])").at("rpc_error").at("details").as_string(),
            "must issue \"unlock\" before new \"lock\"");
  json::value held = a.call("transact", txn(R"({"op":"assert","lock":"L"})"));
  EXPECT_EQ(json::serialize(held), "[{}]");
  json::value not_held = b.call("transact", txn(R"({"op":"assert","lock":"L"})"));
  EXPECT_EQ(not_held.as_array()[0].at("error").as_string(), "not owner");
  EXPECT_EQ(json::serialize(a.call("unlock", R"(["L"])")), "{}");
  Message locked = b.next();
  EXPECT_EQ(locked.method, "locked");
  EXPECT_EQ(json::serialize(t.call("steal", R"(["L"])")), R"({"locked":true})");
  EXPECT_EQ(b.next().method, "stolen");
  EXPECT_EQ(b.call("unlock", R"(["Q"])").at("rpc_error").at("details").as_string(),
            "unlock: \"unlock\" without \"lock\" or \"steal\"");
}

TEST_F(SessionTest, WaitingTransactionRunsWhenTheDatabaseChanges) {
  Client waiter(io, address), writer(io, address);
  waiter.request("transact", txn(R"({"op":"wait","timeout":10000,"table":"Plain","where":[],
      "columns":["s"],"until":"==","rows":[{"s":"go"}]},{"op":"insert","table":"Plain","row":{"s":"done"}})"), 1);
  EXPECT_TRUE(waiter.idle_for(50));
  writer.call("transact", txn(R"({"op":"insert","table":"Plain","row":{"s":"go"}})"));
  Message r = waiter.reply(1);
  ASSERT_EQ(r.type, Message::Type::reply) << r.summary();
  EXPECT_EQ(r.result.as_array()[0].as_object().size(), 0u);
  // Timed out.
  waiter.request("transact", txn(R"({"op":"wait","timeout":100,"table":"Plain","where":[],
      "columns":["s"],"until":"==","rows":[]})"), 2);
  Message t = waiter.reply(2);
  EXPECT_EQ(t.result.as_array()[0].at("error").as_string(), "timed out");
  // Canceled.
  waiter.request("transact", txn(R"({"op":"wait","table":"Plain","where":[],"columns":["s"],
      "until":"==","rows":[]})"), 3);
  EXPECT_TRUE(waiter.idle_for(30));
  waiter.send(R"({"method":"cancel","params":[3],"id":null})");
  Message c = waiter.reply(3);
  EXPECT_EQ(c.type, Message::Type::error);
  EXPECT_EQ(c.error.as_string(), "canceled");
}

TEST_F(SessionTest, ServerDatabaseDescribesEachDatabaseAndIsReadOnly) {
  Client c(io, address);
  json::value rows = c.call("transact", R"(["_Server",{"op":"select","table":"Database","where":[["name","==","Conf"]],"columns":["name","model","connected","leader","schema"]}])");
  const json::object& row = rows.as_array()[0].at("rows").as_array()[0].as_object();
  EXPECT_EQ(row.at("model").as_string(), "standalone");
  EXPECT_TRUE(row.at("connected").as_bool());
  EXPECT_TRUE(row.at("leader").as_bool());
  EXPECT_EQ(json::parse(row.at("schema").as_string()).at("name").as_string(), "Conf");
  json::value w = c.call("transact", R"(["_Server",{"op":"delete","table":"Database","where":[]}])");
  EXPECT_EQ(w.as_array()[0].at("error").as_string(), "not allowed");
  json::value mon = c.call("monitor_cond", R"(["_Server","s",{"Database":[{"columns":["name"]}]}])");
  EXPECT_EQ(mon.at("Database").as_object().size(), 2u);
}

TEST_F(SessionTest, MalformedInputClosesOnlyThatClient) {
  Client bad(io, address), good(io, address);
  bad.send("{\"method\":\"list_dbs\",\"params\":[],\"id\":1}{{{ not json");
  EXPECT_TRUE(bad.closed());
  Client bad2(io, address);
  bad2.send(R"({"method":"transact","params":"not an array","id":1})");
  EXPECT_TRUE(bad2.closed());
  Client bad3(io, address);
  EXPECT_EQ(bad3.call("transact", R"([5])").at("rpc_error").at("error").as_string(), "syntax error");
  EXPECT_EQ(bad3.call("monitor", R"(["Conf"])").at("rpc_error").at("error").as_string(), "syntax error");
  EXPECT_EQ(bad3.call("lock", R"([1])").at("rpc_error").at("error").as_string(), "syntax error");
  EXPECT_EQ(json::serialize(good.call("list_dbs", "[]")), R"(["Conf","_Server"])");
}

TEST(SessionLimits, OversizedMessageDisconnects) {
  Harness t;
  ServerOptions o;
  o.max_message_bytes = 4096;
  t.start(o);
  {
    Client big(t.io, t.address), good(t.io, t.address);
    big.send(R"({"method":"echo","params":[")" + std::string(300000, 'x') + R"("],"id":1})");
    EXPECT_TRUE(big.closed());
    EXPECT_EQ(json::serialize(good.call("list_dbs", "[]")), R"(["Conf","_Server"])");
  }
  t.stop();
}

TEST(SessionLimits, ClientThatStopsReadingIsDisconnected) {
  Harness t;
  ServerOptions o;
  o.max_backlog_bytes = 64 * 1024;
  t.start(o);
  {
    // A raw socket that sends a monitor request and then never reads.
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::string path = t.address.substr(5);
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    std::string req = R"({"method":"monitor","params":["Conf",1,{"Plain":{}}],"id":1})";
    ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    Client w(t.io, t.address);
    std::string big(20000, 'y');
    for (int i = 0; i < 100; ++i) {
      w.call("transact", R"(["Conf",{"op":"insert","table":"Plain","row":{"s":")" + big + "\"}}]", i);
    }
    t.io.run_for(std::chrono::milliseconds(50));
    EXPECT_NE(t.server->memory_report().find("sessions:1 "), std::string::npos)
        << t.server->memory_report();
    ::close(fd);
  }
  t.stop();
}

TEST_F(SessionTest, TcpRemoteOnAnEphemeralPort) {
  ASSERT_TRUE(server->add_remote("ptcp:0:127.0.0.1").ok());
  uint16_t port = 0;
  for (const auto& a : server->listening_addresses()) {
    if (a.kind == jsonrpc::Address::Kind::tcp) port = a.port;
  }
  ASSERT_NE(port, 0);
  Client c(io, "tcp:127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(json::serialize(c.call("list_dbs", "[]")), R"(["Conf","_Server"])");
  EXPECT_EQ(server->remotes().size(), 2u);
  ASSERT_TRUE(server->remove_remote("ptcp:0:127.0.0.1").ok());
  EXPECT_TRUE(c.closed());
}

}  // namespace
}  // namespace ovnx::ovsdb::server
