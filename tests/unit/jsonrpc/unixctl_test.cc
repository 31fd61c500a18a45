#include "jsonrpc/unixctl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/array.hpp>

#include "jsonrpc/connection.h"

namespace ovnx::jsonrpc {
namespace {

namespace json = boost::json;

struct Call {
  std::string result, error;
};

Call call(boost::asio::io_context& io, const std::string& path, const std::string& method,
          json::array params) {
  Call out;
  ConnectionPtr c;
  async_connect(io, *parse_address("unix:" + path), {}, [&](Result<ConnectionPtr> r) {
    ASSERT_TRUE(r.ok());
    c = *r;
    c->start(
        [&](Message&& m) {
          if (m.type == Message::Type::reply) out.result = std::string(m.result.as_string());
          if (m.type == Message::Type::error) out.error = std::string(m.error.as_string());
          c->close();
          io.stop();
        },
        [](const Error&) {});
    c->send(Message::request(method, params, 0));
  });
  io.restart();
  io.run_for(std::chrono::seconds(5));
  return out;
}

TEST(Unixctl, DispatchesCommandsAndChecksArity) {
  boost::asio::io_context io;
  std::string path = "/tmp/ovnx-unixctl-" + std::to_string(getpid()) + ".ctl";
  auto server = UnixctlServer::create(io, path, "ovnx-test 0.1");
  ASSERT_TRUE(server.ok());
  (*server)->add_command("greet", "NAME", 1, 1,
                         [](const UnixctlServer::Args& a) -> Result<std::string> {
                           if (a[0] == "bad") return make_error("", "no bad names");
                           return "hello " + a[0] + "\n";
                         });
  EXPECT_EQ(call(io, path, "greet", {"x"}).result, "hello x\n");
  EXPECT_EQ(call(io, path, "greet", {"bad"}).error, "no bad names\n");
  EXPECT_NE(call(io, path, "greet", {}).error.find("at least 1"), std::string::npos);
  EXPECT_NE(call(io, path, "nosuch", {}).error.find("not a valid command"), std::string::npos);
  EXPECT_NE(call(io, path, "help", {}).result.find("greet"), std::string::npos);
  EXPECT_EQ(call(io, path, "version", {}).result, "ovnx-test 0.1\n");
}

}  // namespace
}  // namespace ovnx::jsonrpc
