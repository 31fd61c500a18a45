// The Idl against a scripted old server (no _Server, no monitor_cond_since, no monitor_cond):
// it falls back to "monitor" and the RFC 7047 update notation.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "jsonrpc/connection.h"
#include "ovsdb/client/idl.h"
#include "ovsdb/client/sb.h"
#include "test_server.h"

namespace ovnx::ovsdb::client {
namespace {

namespace json = boost::json;

const char* const kU1 = "11111111-1111-4111-8111-111111111111";

TEST(IdlFallback, OldServerGetsMonitorAndUpdateNotation) {
  boost::asio::io_context io;
  std::string path = fmt::format("/tmp/ovnx-fallback-{}.sock", getpid());
  ::unlink(path.c_str());
  auto address = jsonrpc::parse_address("punix:" + path);
  ASSERT_TRUE(address.ok());
  std::ifstream in(testing::schema_path("ovn-sb"));
  std::stringstream schema;
  schema << in.rdbuf();
  std::vector<std::string> methods;
  std::vector<jsonrpc::ConnectionPtr> conns;
  auto listener = jsonrpc::Listener::create(io, *address, {}, [&](jsonrpc::ConnectionPtr c) {
    conns.push_back(c);
    jsonrpc::Connection* raw = c.get();
    c->start(
        [&, raw](jsonrpc::Message&& m) {
          if (m.type != jsonrpc::Message::Type::request) return;
          methods.push_back(m.method);
          if (m.method == "monitor_cond" && m.params.as_array()[0] == "_Server") {
            raw->send(jsonrpc::Message::error_reply(json::string("unknown database"), m.id));
          } else if (m.method == "get_schema") {
            raw->send(jsonrpc::Message::reply(json::parse(schema.str()), m.id));
          } else if (m.method == "monitor") {
            json::value monitor_id = m.params.as_array()[1];
            raw->send(jsonrpc::Message::reply(
                json::parse(fmt::format(R"({{"Chassis": {{"{}": {{"new": {{"name": "hv1",
                        "hostname": "h"}}}}}}}})",
                                        kU1)),
                m.id));
            raw->send(jsonrpc::Message::notify(
                "update",
                json::array{monitor_id, json::parse(fmt::format(R"({{"Chassis": {{"{}": {{"old":
                                    {{"name": "hv1"}}, "new": {{"name": "hv2", "hostname": "h"}}}}}}}})",
                                                                kU1))}));
          } else {
            // monitor_cond_since, monitor_cond: an older server does not know them.
            raw->send(jsonrpc::Message::error_reply(json::string("unknown method"), m.id));
          }
        },
        [](const Error&) {});
  });
  ASSERT_TRUE(listener.ok()) << listener.error().to_string();

  IdlOptions options;
  options.remote = "unix:" + path;
  Idl idl(io, sb::binding_ptr(), options);
  idl.monitor<sb::Chassis>();
  idl.start();
  ASSERT_TRUE(run_until(
      io, [&] { return sb::Chassis::find_by_name(idl.replica(), "hv2"); }, 10000));
  EXPECT_EQ(idl.monitor_method(), MonitorMethod::monitor);
  const sb::Chassis* ch = sb::Chassis::find_by_name(idl.replica(), "hv2");
  EXPECT_EQ(ch->hostname(), "h");
  EXPECT_TRUE(ch->is_inserted());  // inserted and renamed within one tracked batch
  EXPECT_EQ(methods, (std::vector<std::string>{"monitor_cond", "get_schema", "monitor_cond_since",
                                               "monitor_cond", "monitor"}));
  idl.close();
  (*listener)->close();
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace ovnx::ovsdb::client
