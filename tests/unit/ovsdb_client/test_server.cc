#include "test_server.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace ovnx::testing {

namespace fs = std::filesystem;

namespace {

std::string source_dir() {
  const char* s = std::getenv("OVNX_SOURCE_DIR");
  return s ? s : OVNX_TEST_SOURCE_DIR;
}

std::string dbserver_path() {
  const char* b = std::getenv("OVNX_BIN_DIR");
  std::string dir = b ? b : OVNX_TEST_BIN_DIR;
  return dir + "/ovnx-dbserver";
}

// Running and not a zombie (a detached server is not our child; nobody may reap it).
bool alive(int pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

}  // namespace

const char* kind_name(TestServer::Kind kind) {
  return kind == TestServer::Kind::real ? "RealServer" : "OvnxServer";
}

std::string schema_path(const std::string& name) {
  return source_dir() + "/schemas/" + name + ".ovsschema";
}

std::vector<TestServer::Kind> available_server_kinds() {
  std::vector<TestServer::Kind> kinds{TestServer::Kind::real};
  if (access(dbserver_path().c_str(), X_OK) == 0) kinds.push_back(TestServer::Kind::ovnx);
  return kinds;
}

Result<std::string> TestServer::run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return make_error("io error", "popen failed");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0)
    return make_error("command failed", fmt::format("{} (status {}): {}", command, rc, out));
  return out;
}

Result<std::unique_ptr<TestServer>> TestServer::start(const Options& options) {
  std::unique_ptr<TestServer> s(new TestServer());
  s->options_ = options;
  char tmpl[] = "/tmp/ovnx-client-test-XXXXXX";
  if (!mkdtemp(tmpl)) return make_error("io error", "mkdtemp failed");
  s->dir_ = tmpl;
  s->remote_ = "unix:" + s->dir_ + "/db.sock";
  s->db_ = s->dir_ + "/db";
  std::string create = options.clustered
                           ? fmt::format("ovsdb-tool create-cluster {} {} unix:{}/raft.sock 2>&1",
                                         s->db_, options.schema, s->dir_)
                           : fmt::format("ovsdb-tool create {} {} 2>&1", s->db_, options.schema);
  OVNX_RETURN_IF_ERROR(run(create));
  OVNX_RETURN_IF_ERROR(s->launch());
  return s;
}

Status TestServer::launch() {
  std::string bin = options_.kind == Kind::real ? "ovsdb-server" : dbserver_path();
  std::string cmd = fmt::format(
      "{} {} --remote=punix:{}/db.sock --unixctl={}/ctl --pidfile={}/pid --detach --no-chdir "
      "--log-file={}/server.log 2>&1",
      bin, db_, dir_, dir_, dir_, dir_);
  OVNX_RETURN_IF_ERROR(run(cmd));
  std::ifstream pidfile(dir_ + "/pid");
  pidfile >> pid_;
  if (!alive(pid_)) return make_error("io error", "server did not start: see " + dir_);
  // Wait for the socket (and, for a cluster, a leader).
  for (int i = 0; i < 100; ++i) {
    if (fs::exists(dir_ + "/db.sock")) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return make_error("io error", "server socket did not appear in " + dir_);
}

Status TestServer::stop() {
  if (!alive(pid_)) return {};
  kill(pid_, SIGTERM);
  for (int i = 0; i < 250 && alive(pid_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (alive(pid_)) kill(pid_, SIGKILL);
  for (int i = 0; i < 50 && alive(pid_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = 0;
  std::error_code ec;
  fs::remove(dir_ + "/db.sock", ec);
  return {};
}

Status TestServer::restart() {
  OVNX_RETURN_IF_ERROR(stop());
  return launch();
}

TestServer::~TestServer() {
  (void)stop();
  if (!std::getenv("OVNX_KEEP_TEST_DIRS")) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

}  // namespace ovnx::testing
