// ovnx-controller: the per-hypervisor OVN controller, with the command line of
// ovn-controller(8):  ovnx-controller [OPTIONS] [OVS-DATABASE]
#include <getopt.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/daemon.h"
#include "base/log.h"
#include "controller/controller.h"
#include "controller/pinctrl_handlers.h"
#include "jsonrpc/daemon_loop.h"

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
  if (unixctl_path == "none") {
    std::fprintf(stderr, "ovnx-controller: --unixctl=none: the control socket is required\n");
    return 1;
  }
  auto loop = jsonrpc::DaemonLoop::start(dopts, unixctl_path, kVersion);
  if (!loop.ok()) {
    std::fprintf(stderr, "ovnx-controller: %s\n", loop.error().to_string().c_str());
    return 1;
  }
  jsonrpc::DaemonLoop& daemon_loop = *loop.value();
  jsonrpc::UnixctlServer& unixctl = *daemon_loop.unixctl();
  auto ctl = std::make_unique<controller::Controller>(daemon_loop.io(), copts);
  controller::register_default_handlers(ctl->pinctrl());
  ctl->start(&unixctl);
  // "exit" replies first, then the loop stops a moment later so the reply gets out.
  unixctl.add_async_command(
      "exit", "[--restart]", 0, 1,
      [&](const jsonrpc::UnixctlServer::Args& args, jsonrpc::UnixctlServer::Reply reply) {
        bool restart = !args.empty() && args[0] == "--restart";
        if (!args.empty() && !restart) {
          reply(make_error("invalid argument", "unknown option \"" + args[0] + "\""));
          return;
        }
        ctl->exit(restart, [&, reply] {
          reply(std::string());
          daemon_loop.stop_soon(std::chrono::milliseconds(50));
        });
      });
  // A signal is like a crash for the databases: the chassis stays registered.
  daemon_loop.run();
  ctl.reset();
  return 0;
}
