// ovnx-northd: translates OVN_Northbound into OVN_Southbound, with the command line of
// ovn-northd(8):  ovnx-northd [--ovnnb-db=DATABASE] [--ovnsb-db=DATABASE] [OPTIONS]
#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/daemon.h"
#include "base/log.h"
#include "jsonrpc/daemon_loop.h"
#include "northd/northd_daemon.h"

OVNX_LOG_MODULE(main);

namespace {

using namespace ovnx;

constexpr const char* kVersion = "ovnx-northd (ovnx) 0.1.0";

enum : int {
  kOptUnixctl = daemon::kOptFirstProgramOption,
  kOptNbDb,
  kOptSbDb,
  kOptDryRun,
  kOptThreads,
};

void usage(const std::string& rundir) {
  std::printf(
      "ovnx-northd: OVN northbound management daemon\n"
      "usage: ovnx-northd [OPTIONS]\n"
      "\n"
      "Options:\n"
      "  --ovnnb-db=DATABASE     connect to ovn-nb database at DATABASE\n"
      "                          (default: unix:%s/ovnnb_db.sock)\n"
      "  --ovnsb-db=DATABASE     connect to ovn-sb database at DATABASE\n"
      "                          (default: unix:%s/ovnsb_db.sock)\n"
      "  --dry-run               start in paused state (do not commit db changes)\n"
      "  --n-threads=N           number of threads for the logical-flow build\n"
      "  --unixctl=SOCKET        override default control socket name\n"
      "  -h, --help              display this help message\n"
      "  -V, --version           display version information\n"
      "\n"
      "Daemon options:\n"
      "  --detach                run in background as daemon\n"
      "  --monitor               creates a process to monitor this daemon\n"
      "  --no-chdir              do not chdir to '/'\n"
      "  --pidfile[=FILE]        create pidfile (default: %s/ovnx-northd.pid)\n"
      "  --overwrite-pidfile     with --pidfile, start even if already running\n"
      "\n"
      "Logging options:\n"
      "  -vSPEC, --verbose=SPEC  set logging levels\n"
      "  -v, --verbose           set maximum verbosity level\n"
      "  --log-file[=FILE]       enable logging to specified FILE\n"
      "                          (default: $OVN_LOGDIR/ovnx-northd.log)\n",
      rundir.c_str(), rundir.c_str(), rundir.c_str());
}

}  // namespace

int main(int argc, char* argv[]) {
  daemon::Options dopts;
  dopts.program = "ovnx-northd";
  std::string unixctl_path;
  northd::DaemonOptions nopts;

  std::vector<struct option> long_options = daemon::common_long_options();
  long_options.push_back({"ovnnb-db", required_argument, nullptr, kOptNbDb});
  long_options.push_back({"ovnsb-db", required_argument, nullptr, kOptSbDb});
  long_options.push_back({"dry-run", no_argument, nullptr, kOptDryRun});
  long_options.push_back({"n-threads", required_argument, nullptr, kOptThreads});
  long_options.push_back({"unixctl", required_argument, nullptr, kOptUnixctl});
  long_options.push_back({"help", no_argument, nullptr, 'h'});
  long_options.push_back({"version", no_argument, nullptr, 'V'});
  long_options.push_back({nullptr, 0, nullptr, 0});
  for (;;) {
    int c = getopt_long(argc, argv, "hVv::", long_options.data(), nullptr);
    if (c == -1) break;
    if (daemon::handle_common_option(c, optarg, &dopts)) continue;
    switch (c) {
      case kOptNbDb: nopts.nb_remote = optarg; break;
      case kOptSbDb: nopts.sb_remote = optarg; break;
      case kOptDryRun: nopts.paused = true; break;
      case kOptThreads: {
        char* end = nullptr;
        long n = std::strtol(optarg, &end, 10);
        if (!*optarg || *end || n < 1 || n > 256) {
          std::fprintf(stderr, "ovnx-northd: invalid --n-threads \"%s\" (1 to 256)\n", optarg);
          return 1;
        }
        nopts.threads = static_cast<unsigned>(n);
        break;
      }
      case kOptUnixctl: unixctl_path = optarg; break;
      case 'h': usage(daemon::rundir(dopts)); return 0;
      case 'V': std::printf("%s\n", kVersion); return 0;
      default:
        std::fprintf(stderr, "Try `ovnx-northd --help' for more information.\n");
        return 1;
    }
  }
  if (optind < argc) {
    std::fprintf(stderr, "ovnx-northd: non-option argument not supported (use --help for help)\n");
    return 1;
  }
  std::string rundir = daemon::rundir(dopts);
  if (nopts.nb_remote.empty()) nopts.nb_remote = "unix:" + rundir + "/ovnnb_db.sock";
  if (nopts.sb_remote.empty()) nopts.sb_remote = "unix:" + rundir + "/ovnsb_db.sock";

  if (unixctl_path == "none") {
    std::fprintf(stderr, "ovnx-northd: --unixctl=none: the control socket is required\n");
    return 1;
  }
  auto loop = jsonrpc::DaemonLoop::start(dopts, unixctl_path, kVersion);
  if (!loop.ok()) {
    std::fprintf(stderr, "ovnx-northd: %s\n", loop.error().to_string().c_str());
    return 1;
  }
  jsonrpc::DaemonLoop& daemon_loop = *loop.value();
  auto northd = std::make_unique<northd::NorthdDaemon>(daemon_loop.io(), nopts);
  Status s = northd->start();
  if (!s.ok()) {
    std::fprintf(stderr, "ovnx-northd: %s\n", s.error().to_string().c_str());
    return 1;
  }
  // "exit" replies first; the loop stops a moment later so that the reply gets out.
  northd->register_commands(*daemon_loop.unixctl(), [&] { daemon_loop.stop_soon(); });
  daemon_loop.run();
  northd.reset();
  return 0;
}
