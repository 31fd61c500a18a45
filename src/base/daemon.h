// Daemon life cycle shared by ovnx-dbserver, ovnx-northd and ovnx-controller, with the options
// and behaviour of OVS daemons: --pidfile, --detach (the parent exits once the child is ready),
// --monitor (a supervisor restarts the daemon after a crash), --no-chdir, --log-file.
#pragma once

#include <string>
#include <vector>

#include <getopt.h>

#include "base/result.h"

namespace ovnx::daemon {

struct Options {
  std::string program;          // e.g. "ovnx-northd"; names the default pid/log/ctl files
  std::string rundir_env = "OVN_RUNDIR";  // or "OVS_RUNDIR" for the OVSDB server
  std::string default_rundir = "/var/run/ovn";
  std::string logdir_env = "OVN_LOGDIR";
  std::string default_logdir = "/var/log/ovn";

  bool pidfile = false;         // --pidfile given
  std::string pidfile_path;     // its argument, empty for the default
  bool overwrite_pidfile = false;
  bool detach = false;
  bool monitor = false;
  bool no_chdir = false;
  bool log_file = false;        // --log-file given
  std::string log_file_path;    // its argument, empty for the default
  std::vector<std::string> verbose;  // -v/--verbose specs
};

std::string rundir(const Options& options);
std::string default_pidfile(const Options& options);
std::string default_log_file(const Options& options);
// The control socket path ovs-appctl -t PROGRAM finds: RUNDIR/PROGRAM.PID.ctl.
std::string default_unixctl_path(const Options& options);

// Applies log options and, with --detach/--monitor, forks. Returns in the process that should
// run the daemon. With --detach the original parent waits until complete() or the child's death.
Status start(const Options& options);

// Writes the pidfile (already done by start()), closes the console when detached and lets the
// waiting parent exit successfully. Call once the daemon is listening.
void complete();

// getopt_long entries for the options above (ids kOpt*), to append to a program's own table;
// "-v" is the short form of --verbose. handle_common_option() returns false for other ids.
enum : int {
  kOptPidfile = 1000,
  kOptOverwritePidfile,
  kOptDetach,
  kOptMonitor,
  kOptNoChdir,
  kOptLogFile,
  kOptFirstProgramOption = 1100,  // programs number their own long-only options from here
};
std::vector<struct option> common_long_options();
bool handle_common_option(int id, const char* arg, Options* options);

// Removes the pidfile and any files registered here; call on orderly exit.
void register_cleanup_file(const std::string& path);
void cleanup();

}  // namespace ovnx::daemon
