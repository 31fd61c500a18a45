// A private OVSDB server for client tests: the real ovsdb-server, or ovnx-dbserver when it is
// built, in a temp dir on a unix socket; standalone or a one-member cluster. Stopped and
// removed on destruction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace ovnx::testing {

class TestServer {
 public:
  enum class Kind { real, ovnx };
  struct Options {
    Kind kind = Kind::real;
    std::string schema;  // path of the .ovsschema
    bool clustered = false;
  };

  static Result<std::unique_ptr<TestServer>> start(const Options& options);
  ~TestServer();

  const std::string& remote() const { return remote_; }
  const std::string& dir() const { return dir_; }
  Kind kind() const { return options_.kind; }
  // Stops the server (the database file stays) / starts it again on the same socket.
  Status stop();
  Status restart();
  // Runs an ovsdb-client/ovs-appctl style command line in a shell; returns its stdout.
  static Result<std::string> run(const std::string& command);

 private:
  TestServer() = default;
  Status launch();

  Options options_;
  std::string dir_;
  std::string remote_;
  std::string db_;
  int pid_ = 0;
};

// The server kinds to test against: the real one, plus ours once it is built.
std::vector<TestServer::Kind> available_server_kinds();
const char* kind_name(TestServer::Kind kind);
// Path of a schema in the source tree (schemas/NAME.ovsschema).
std::string schema_path(const std::string& name);

}  // namespace ovnx::testing
