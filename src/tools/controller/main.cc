// ovnx-controller: the per-hypervisor OVN controller, with the command line of
// ovn-controller(8):  ovnx-controller [OPTIONS] [OVS-DATABASE]
#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/daemon.h"
#include "base/log.h"
#include "controller/controller.h"
#include "controller/pinctrl_handlers.h"
#include "jsonrpc/unixctl.h"

OVNX_LOG_MODULE(main);

namespace {

using namespace ovnx;

constexpr const char* kVersion = "ovnx-controller (ovnx) 0.1.0";

enum : int {
  kOptUnixctl = daemon::kOptFirstProgramOption,
  kOptChassis,
};

void usage() {
  std::printf(
      "%s: OVN controller\n"
      "usage: ovnx-controller [OPTIONS] [OVS-DATABASE]\n"
      "where OVS-DATABASE is a socket on which the OVS OVSDB server is listening\n"
      "(default: unix:$OVS_RUNDIR/db.sock).\n"
      "\n"
      "Daemon options:\n"
      "  --detach                run in background as daemon\n"
      "  --monitor               creates a process to monitor this daemon\n"
      "  --no-chdir              do not chdir to '/'\n"
      "  --pidfile[=FILE]        create pidfile (default: $OVN_RUNDIR/ovnx-controller.pid)\n"
      "  --overwrite-pidfile     with --pidfile, start even if already running\n"
      "\n"
      "Logging options:\n"
      "  -vSPEC, --verbose=SPEC  set logging levels\n"
      "  -v, --verbose           set maximum verbosity level\n"
      "  --log-file[=FILE]       enable logging to specified FILE\n"
      "                          (default: $OVN_LOGDIR/ovnx-controller.log)\n"
      "\n"
      "Other options:\n"
      "  -n, --chassis=NAME      chassis name (overrides external_ids:system-id)\n"
      "  --unixctl=SOCKET        override default control socket name\n"
      "  -h, --help              display this help message\n"
      "  -V, --version           display version information\n",
      "ovnx-controller");
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

int main(int argc, char* argv[]) {
  daemon::Options dopts;
  dopts.program = "ovnx-controller";
  std::string unixctl_path;
  controller::ControllerOptions copts;

  std::vector<struct option> long_options = daemon::common_long_options();
  long_options.push_back({"unixctl", required_argument, nullptr, kOptUnixctl});
  long_options.push_back({"chassis", required_argument, nullptr, 'n'});
  long_options.push_back({"help", no_argument, nullptr, 'h'});
  long_options.push_back({"version", no_argument, nullptr, 'V'});
  long_options.push_back({nullptr, 0, nullptr, 0});
  for (;;) {
    int c = getopt_long(argc, argv, "hVv::n:", long_options.data(), nullptr);
    if (c == -1) break;
    if (daemon::handle_common_option(c, optarg, &dopts)) continue;
    switch (c) {
      case kOptUnixctl: unixctl_path = optarg; break;
      case 'n': copts.system_id_override = optarg; break;
      case 'h': usage(); return 0;
      case 'V': std::printf("%s\n", kVersion); return 0;
      default:
        std::fprintf(stderr, "Try `ovnx-controller --help' for more information.\n");
        return 1;
    }
  }
  copts.ovs_rundir = env_or("OVS_RUNDIR", "/var/run/openvswitch");
  if (optind < argc) {
    copts.ovs_remote = argv[optind];
    if (optind + 1 < argc) {
      std::fprintf(stderr, "ovnx-controller: exactly zero or one non-option argument required\n");
      return 1;
    }
  } else {
    copts.ovs_remote = "unix:" + copts.ovs_rundir + "/db.sock";
  }
  std::string rundir = daemon::rundir(dopts);
  if (dopts.pidfile && !dopts.pidfile_path.empty() && dopts.pidfile_path[0] != '/') {
    dopts.pidfile_path = rundir + "/" + dopts.pidfile_path;
  }
  if (!unixctl_path.empty() && unixctl_path[0] != '/') unixctl_path = rundir + "/" + unixctl_path;

  Status started = daemon::start(dopts);
  if (!started.ok()) {
    std::fprintf(stderr, "ovnx-controller: %s\n", started.error().to_string().c_str());
    return 1;
  }

  boost::asio::io_context io;
  if (unixctl_path.empty()) unixctl_path = daemon::default_unixctl_path(dopts);
  auto unixctl = jsonrpc::UnixctlServer::create(io, unixctl_path, kVersion);
  if (!unixctl.ok()) {
    std::fprintf(stderr, "ovnx-controller: %s\n", unixctl.error().to_string().c_str());
    daemon::cleanup();
    return 1;
  }
  daemon::register_cleanup_file(unixctl_path);

  auto ctl = std::make_unique<controller::Controller>(io, copts);
  controller::register_default_handlers(ctl->pinctrl());
  boost::asio::steady_timer stop_timer(io);
  ctl->start(unixctl->get());
  // "exit" replies first, then the loop stops a moment later so the reply gets out.
  unixctl.value()->add_async_command(
      "exit", "[--restart]", 0, 1,
      [&](const jsonrpc::UnixctlServer::Args& args, jsonrpc::UnixctlServer::Reply reply) {
        bool restart = !args.empty() && args[0] == "--restart";
        if (!args.empty() && !restart) {
          reply(make_error("invalid argument", "unknown option \"" + args[0] + "\""));
          return;
        }
        ctl->exit(restart, [&, reply] {
          reply(std::string());
          stop_timer.expires_after(std::chrono::milliseconds(50));
          stop_timer.async_wait([&io](const boost::system::error_code&) { io.stop(); });
        });
      });

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    LOG_INFO("terminating with signal {}", sig);
    io.stop();  // like a crash for the databases: the chassis stays registered
  });

  daemon::complete();
  io.run();
  ctl.reset();
  unixctl.value().reset();
  daemon::cleanup();
  return 0;
}
