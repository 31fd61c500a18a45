// Controller internals shared by controller.cc (main loop) and controller_commands.cc (control
// socket). Not part of the public surface.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "controller/controller.h"
#include "controller/inc_proc.h"
#include "controller/ofctrl.h"
#include "controller/sb_indexes.h"
#include "logical/encode_env.h"
#include "ovsdb/client/idl.h"


namespace ovnx::controller {

int64_t wall_clock_ms();
// CPU time this thread has used, in microseconds: the debug timeline reports it beside the
// wall clock, which on a loaded machine says more about the other processes than about us.
int64_t thread_cpu_us();

struct Controller::Impl final : PinctrlContext {
  Impl(boost::asio::io_context& io, ControllerOptions options);
  ~Impl() override;

  void schedule_run();
  void arm_timer();
  void start_ovs();
  void update_sb_client(const ChassisConfig& config);
  void run();
  Status build_ovs_txn(ovsdb::client::Transaction& txn);
  Status build_sb_txn(ovsdb::client::Transaction& txn);
  void run_ovs_txn();
  void run_sb_txn();
  void check_exit_done();
  int64_t sb_nb_cfg() const;
  bool flows_installed_for(uint64_t seqno) const;
  std::set<std::string> installed_lports() const;

  // PinctrlContext.
  bool send(const openflow::Message& message) override;
  void queue_sb_write(SbWrite write) override;
  const ovsdb::client::Replica* sb() const override;
  const LocalState& local() const override;
  int64_t now_ms() const override;

  boost::asio::io_context& io;
  ControllerOptions opts;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  std::unique_ptr<ovsdb::client::Idl> ovs_idl;
  std::unique_ptr<ovsdb::client::Idl> sb_idl;
  std::string sb_remote;
  std::unique_ptr<SbIndexes> sb_indexes;
  bool ovs_source_set = false;
  bool sb_source_set = false;
  bool trim_heap = false;  // give freed heap pages back after the next engine run

  FlowStore store;
  logical::SimpleGroupTable groups;
  logical::SimpleMeterTable meters;
  ControllerDag dag;
  Ofctrl ofctrl;
  Pinctrl pinctrl;

  bool run_posted = false;
  bool force_recompute = false;
  bool ovs_txn_busy = false;
  bool sb_txn_busy = false;
  // A pass ran while the transaction was in flight: it was built from older state, so run
  // again once it completes even if it changed nothing.
  bool ovs_txn_stale = false;
  bool sb_txn_stale = false;
  uint64_t flow_seqno = 0;        // increases whenever the desired flows changed
  int64_t nb_cfg_seen = -1;       // SB_Global nb_cfg seen by the last engine run
  uint64_t nb_cfg_seqno = 0;      // its flows are in once the switch holds this flow_seqno
  int64_t sb_txn_nb_cfg = -1;
  // lport -> its OpenFlow port and the flow_seqno from which the switch has its flows (the
  // port's physical flows wait for the OpenFlow port: a new one restarts the wait).
  struct BindingProgress {
    int64_t ofport = 0;
    uint64_t seqno = 0;
  };
  std::map<std::string, BindingProgress> binding_seqno;
  std::vector<SbWrite> sb_writes;                 // queued by packet-in handlers
  size_t sb_txn_writes = 0;
  std::set<std::string> reported_problems;

  bool exiting = false;
  bool exit_restart = false;
  bool ovs_cleaned = false;
  bool sb_cleaned = false;
  bool ovs_txn_cleanup = false;  // the transaction in flight is the exit cleanup
  int64_t ovs_build_cpu_us = 0;   // CPU of the last build_ovs_txn() (debug timeline)
  int64_t sb_build_cpu_us = 0;    // ... and of build_sb_txn()
  bool sb_txn_cleanup = false;
  std::function<void()> exit_done;

  std::unique_ptr<boost::asio::steady_timer> timer;
  std::unique_ptr<boost::asio::steady_timer> exit_timer;
};

// Registers the control-socket commands (controller_commands.cc).
void register_commands(Controller& controller, Controller::Impl& impl,
                       jsonrpc::UnixctlServer& unixctl);

}  // namespace ovnx::controller
