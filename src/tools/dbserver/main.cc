// ovnx-dbserver: the OVSDB server, with the command line of ovsdb-server(1).
#include <getopt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/daemon.h"
#include "base/log.h"
#include "jsonrpc/daemon_loop.h"
#include "ovsdb/server/server.h"

OVNX_LOG_MODULE(ovnx_dbserver);

namespace {

using namespace ovnx;

constexpr const char* kVersion = "ovnx-dbserver (ovnx) 0.1.0";

enum : int {
  kOptRemote = daemon::kOptFirstProgramOption,
  kOptUnixctl,
  kOptMaxMessage,
  kOptMaxBacklog,
};

void usage() {
  std::printf(
      "%s: OVSDB server\n"
      "usage: ovnx-dbserver [OPTIONS] [DATABASE...]\n"
      "where each DATABASE is a database file in ovsdb format.\n"
      "The default DATABASE, if none is given, is\n"
      "$OVS_DBDIR/conf.db or /etc/openvswitch/conf.db.\n"
      "\n"
      "JSON-RPC options (may be specified any number of times):\n"
      "  --remote=REMOTE         connect or listen to REMOTE: punix:PATH, ptcp:PORT[:IP],\n"
      "                          unix:PATH, tcp:IP:PORT or db:DB,TABLE,COLUMN\n"
      "\n"
      "Daemon options:\n"
      "  --detach                run in background as daemon\n"
      "  --monitor               creates a process to monitor this daemon\n"
      "  --no-chdir              do not chdir to '/'\n"
      "  --pidfile[=FILE]        create pidfile (default: %s)\n"
      "  --overwrite-pidfile     with --pidfile, start even if already running\n"
      "\n"
      "Logging options:\n"
      "  -vSPEC, --verbose=SPEC  set logging levels\n"
      "  -v, --verbose           set maximum verbosity level\n"
      "  --log-file[=FILE]       enable logging to specified FILE\n"
      "                          (default: %s)\n"
      "\n"
      "Other options:\n"
      "  --unixctl=SOCKET        override default control socket name\n"
      "  -h, --help              display this help message\n"
      "  -V, --version           display version information\n",
      "ovnx-dbserver", "$OVS_RUNDIR/ovnx-dbserver.pid", "$OVS_LOGDIR/ovnx-dbserver.log");
}

std::string absolute(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char buf[4096];
  if (!getcwd(buf, sizeof buf)) return path;
  return std::string(buf) + "/" + path;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

int main(int argc, char* argv[]) {
  daemon::Options dopts;
  dopts.program = "ovnx-dbserver";
  dopts.rundir_env = "OVS_RUNDIR";
  dopts.default_rundir = "/var/run/openvswitch";
  dopts.logdir_env = "OVS_LOGDIR";
  dopts.default_logdir = "/var/log/openvswitch";

  std::vector<std::string> remotes;
  std::string unixctl_path;
  ovsdb::server::ServerOptions server_options;

  std::vector<struct option> long_options = daemon::common_long_options();
  long_options.push_back({"remote", required_argument, nullptr, kOptRemote});
  long_options.push_back({"unixctl", required_argument, nullptr, kOptUnixctl});
  long_options.push_back({"max-message-bytes", required_argument, nullptr, kOptMaxMessage});
  long_options.push_back({"max-backlog-bytes", required_argument, nullptr, kOptMaxBacklog});
  long_options.push_back({"help", no_argument, nullptr, 'h'});
  long_options.push_back({"version", no_argument, nullptr, 'V'});
  long_options.push_back({nullptr, 0, nullptr, 0});

  for (;;) {
    int c = getopt_long(argc, argv, "hVv::", long_options.data(), nullptr);
    if (c == -1) break;
    if (daemon::handle_common_option(c, optarg, &dopts)) continue;
    switch (c) {
      case kOptRemote: remotes.push_back(optarg); break;
      case kOptUnixctl: unixctl_path = optarg; break;
      case kOptMaxMessage: server_options.max_message_bytes = std::strtoull(optarg, nullptr, 10); break;
      case kOptMaxBacklog: server_options.max_backlog_bytes = std::strtoull(optarg, nullptr, 10); break;
      case 'h': usage(); return 0;
      case 'V': std::printf("%s\n", kVersion); return 0;
      default:
        std::fprintf(stderr, "Try `ovnx-dbserver --help' for more information.\n");
        return 1;
    }
  }
  std::vector<std::string> databases;
  for (int i = optind; i < argc; ++i) databases.push_back(absolute(argv[i]));
  if (databases.empty()) {
    databases.push_back(env_or("OVS_DBDIR", env_or("OVS_SYSCONFDIR", "/etc") + "/openvswitch") +
                        "/conf.db");
  }
  for (std::string& r : remotes) {
    if (r.rfind("punix:", 0) == 0 && r.size() > 6 && r[6] != '/') r = "punix:" + absolute(r.substr(6));
  }

  // Like ovsdb-server, relative pidfile and control socket names live in the run directory.
  auto loop = jsonrpc::DaemonLoop::start(dopts, unixctl_path, kVersion);
  if (!loop.ok()) {
    std::fprintf(stderr, "ovnx-dbserver: %s\n", loop.error().to_string().c_str());
    return 1;
  }
  jsonrpc::DaemonLoop& daemon_loop = *loop.value();
  auto server = std::make_unique<ovsdb::server::Server>(daemon_loop.io(), server_options);
  for (const std::string& db : databases) {
    Status st = server->open_database(db);
    if (!st.ok()) {
      LOG_ERR("{}", st.error().to_string());
      std::fprintf(stderr, "ovnx-dbserver: %s\n", st.error().to_string().c_str());
      return 1;
    }
  }
  for (const std::string& r : remotes) {
    Status st = server->add_remote(r);
    if (!st.ok() && st.error().tag == "syntax error") {
      std::fprintf(stderr, "ovnx-dbserver: %s\n", st.error().to_string().c_str());
      return 1;
    }
  }
  // Stop a moment later, so the reply to "exit" reaches ovs-appctl.
  if (daemon_loop.unixctl() != nullptr) {
    server->register_commands(*daemon_loop.unixctl(), [&] { daemon_loop.stop_soon(); });
  }
  daemon_loop.run();
  // Orderly exit: sockets and the pidfile go away; the logs are already durable.
  server.reset();
  return 0;
}
