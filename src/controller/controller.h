// Controller: the ovnx-controller daemon's state and main loop.
//
// It owns the two OVSDB clients (the local Open vSwitch database, and the Southbound database
// named by external_ids:ovn-remote, reconnected when that changes), the incremental engine
// (inc_proc.h), the OpenFlow session with the integration bridge (ofctrl.h) and the packet-in
// dispatcher (pinctrl.h). Every event — a database update, a finished transaction, the switch
// connecting, a control command — schedules one pass of run():
//   1. bring the engine up to date (local state, zones, physical and logical flows);
//   2. send the flow difference to the switch;
//   3. write the local Open vSwitch database: br-int, tunnels, conntrack zones, ovn-installed,
//      the installed nb_cfg;
//   4. write the Southbound database: Chassis/Encap/Chassis_Private, port claims and `up`,
//      nb_cfg once its flows are in, and whatever the packet-in handlers queued.
// At most one transaction per database is in flight; what could not be written is written on a
// later pass. Nothing here blocks; everything runs on the io_context's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "controller/pinctrl.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::jsonrpc {
class UnixctlServer;
}

namespace ovnx::controller {

struct ControllerOptions {
  std::string ovs_remote;          // the Open vSwitch database ("unix:$OVS_RUNDIR/db.sock")
  std::string ovs_rundir;          // where <bridge>.mgmt lives
  std::string system_id_override;  // -n / --chassis
};

class Controller {
 public:
  Controller(boost::asio::io_context& io, ControllerOptions options);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Starts the database clients and registers the control commands on UNIXCTL (may be null).
  void start(jsonrpc::UnixctlServer* unixctl);

  // Packet-in handlers (pinctrl) plug in here.
  Pinctrl& pinctrl();

  // Graceful exit: unless RESTART, removes this chassis from the Southbound database (its
  // Chassis, Encaps and Chassis_Private; port claims go with it) and the tunnel ports, then
  // calls DONE. With RESTART, leaves everything for the next run and calls DONE at once.
  void exit(bool restart, std::function<void()> done);

  // Forces a full recomputation on the next pass.
  void recompute();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ovnx::controller
