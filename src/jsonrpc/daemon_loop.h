// What every ovnx daemon's main() does around its own object, as OVS daemons do: relative
// --pidfile and --unixctl names live in the run directory; daemon::start() (detach, monitor);
// the ovs-appctl control socket; SIGINT/SIGTERM end the loop; orderly clean-up on exit.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/daemon.h"
#include "base/result.h"
#include "jsonrpc/unixctl.h"

namespace ovnx::jsonrpc {

class DaemonLoop {
 public:
  // Starts the daemon (after which only the detached child returns) and listens on the control
  // socket UNIXCTL_PATH: empty for daemon::default_unixctl_path(), "none" for no socket.
  // Relative pidfile and socket names are resolved against the run directory first.
  static Result<std::unique_ptr<DaemonLoop>> start(daemon::Options options,
                                                    std::string unixctl_path,
                                                    std::string_view version);
  ~DaemonLoop();  // closes the control socket, removes the pidfile and registered files
  DaemonLoop(const DaemonLoop&) = delete;
  DaemonLoop& operator=(const DaemonLoop&) = delete;

  boost::asio::io_context& io();
  // Null with --unixctl=none.
  UnixctlServer* unixctl();

  // Ends run() after DELAY, so that a reply to "exit" sent now still gets out.
  void stop_soon(std::chrono::milliseconds delay = std::chrono::milliseconds(20));

  // Tells a --detach parent that the daemon is ready, then runs the loop until a signal or
  // stop_soon(). The daemon's own object should be destroyed after this returns, before the loop.
  void run();

 private:
  struct Impl;
  explicit DaemonLoop(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A relative PATH resolved against DIR (absolute paths and empty ones unchanged).
std::string in_directory(const std::string& dir, const std::string& path);

}  // namespace ovnx::jsonrpc
