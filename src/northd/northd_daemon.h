// ovnx-northd's main loop: replicates OVN_Northbound and OVN_Southbound, runs the
// incremental-processing graph when either changes, and writes the SB difference; copies
// NB_Global.nb_cfg to SB_Global and reports sb_cfg / hv_cfg back to NB_Global (what
// `ovn-nbctl --wait=sb|hv` waits for); holds the SB lock "ovn_northd" so that only one of
// several northds (ours or the real one) is active; answers ovs-appctl commands.
//
// Everything runs on the caller's io_context thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"

namespace boost::asio {
class io_context;
}
namespace ovnx::jsonrpc {
class UnixctlServer;
}

namespace ovnx::northd {

struct DaemonOptions {
  std::string nb_remote;
  std::string sb_remote;
  unsigned threads = 0;     // flow-build threads; 0: all cores
  bool paused = false;      // --dry-run: start paused
};

class NorthdDaemon {
 public:
  NorthdDaemon(boost::asio::io_context& io, DaemonOptions options);
  ~NorthdDaemon();
  NorthdDaemon(const NorthdDaemon&) = delete;
  NorthdDaemon& operator=(const NorthdDaemon&) = delete;

  Status start();
  // Registers the ovs-appctl commands; `exit` calls `on_exit`.
  void register_commands(jsonrpc::UnixctlServer& unixctl, std::function<void()> on_exit);

  // "active", "standby" or "paused".
  std::string status() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ovnx::northd
