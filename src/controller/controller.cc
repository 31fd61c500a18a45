#include "controller/controller.h"

#include <chrono>
#include <ctime>
#include <malloc.h>
#include <map>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "controller/binding.h"
#include "controller/bridge.h"
#include "controller/chassis.h"
#include "controller/controller_internal.h"
#include "controller/inc_proc.h"
#include "controller/ofctrl.h"
#include "controller/tunnels.h"
#include "jsonrpc/unixctl.h"
#include "ovsdb/client/idl.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/vswitch.h"

OVNX_LOG_MODULE(controller);

namespace ovnx::controller {

namespace asio = boost::asio;
using ovsdb::client::Idl;
using ovsdb::client::IdlOptions;
using ovsdb::client::Transaction;
using ovsdb::client::TxnReport;
using ovsdb::client::TxnStatus;

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
}

Controller::Impl::Impl(asio::io_context& io_, ControllerOptions o)
    : io(io_),
      opts(std::move(o)),
      dag(store, groups, meters),
      ofctrl(io_, [this] { schedule_run(); }),
      timer(std::make_unique<asio::steady_timer>(io_)),
      exit_timer(std::make_unique<asio::steady_timer>(io_)) {
  ofctrl.set_packet_in_handler([this](const openflow::PacketIn& pin) {
    pinctrl.dispatch(pin, *this);
    schedule_run();
  });
}

Controller::Impl::~Impl() {
  *alive = false;
  timer->cancel();
  exit_timer->cancel();
  dag.sb.set_source(nullptr, nullptr);
  dag.ovs.set_source(nullptr, "");
}

void Controller::Impl::schedule_run() {
  if (run_posted) return;
  run_posted = true;
  std::weak_ptr<bool> a = alive;
  asio::post(io, [this, a] {
    if (auto p = a.lock(); p && *p) run();
  });
}

void Controller::Impl::arm_timer() {
  timer->expires_after(std::chrono::seconds(2));
  std::weak_ptr<bool> a = alive;
  timer->async_wait([this, a](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto p = a.lock(); !p || !*p) return;
    schedule_run();
    arm_timer();
  });
}

void Controller::Impl::start_ovs() {
  IdlOptions o;
  o.remote = opts.ovs_remote;
  o.leader_only = false;
  ovs_idl = std::make_unique<Idl>(io, vswitch::binding_ptr(), o);
  using OC = vswitch::OpenvSwitch::Col;
  using BC = vswitch::Bridge::Col;
  using PC = vswitch::Port::Col;
  using IC = vswitch::Interface::Col;
  // Only what the controller reads: statistics and status change all the time.
  ovs_idl->monitor<vswitch::OpenvSwitch>(
      {OC::bridges, OC::external_ids, OC::other_config, OC::iface_types, OC::datapath_types});
  ovs_idl->monitor<vswitch::Bridge>({BC::name, BC::ports, BC::external_ids, BC::fail_mode,
                                 BC::datapath_type, BC::other_config, BC::protocols});
  ovs_idl->monitor<vswitch::Port>({PC::name, PC::interfaces, PC::external_ids});
  ovs_idl->monitor<vswitch::Interface>(
      {IC::name, IC::type, IC::options, IC::ofport, IC::external_ids, IC::error});
  ovs_idl->replica().set_tracking(false);
  ovs_idl->set_on_change([this] { schedule_run(); });
  ovs_idl->start();
}

void Controller::Impl::update_sb_client(const ChassisConfig& config) {
  if (config.remote.empty() || (sb_idl && config.remote == sb_remote)) return;
  if (sb_idl) {
    LOG_INFO("Southbound remote changed from {} to {}", sb_remote, config.remote);
    dag.sb.set_source(nullptr, nullptr);
    sb_source_set = false;
    sb_txn_busy = false;
    sb_indexes.reset();
    sb_idl.reset();
  }
  sb_remote = config.remote;
  IdlOptions o;
  o.remote = config.remote;
  o.probe_interval_ms = config.remote_probe_interval_ms;
  o.leader_only = true;
  sb_idl = std::make_unique<Idl>(io, sb::binding_ptr(), o);
  for (size_t t : {sb::SBGlobal::kTableId, sb::Chassis::kTableId, sb::ChassisPrivate::kTableId,
                   sb::Encap::kTableId, sb::DatapathBinding::kTableId, sb::PortBinding::kTableId,
                   sb::MulticastGroup::kTableId, sb::LogicalFlow::kTableId,
                   sb::LogicalDPGroup::kTableId, sb::MACBinding::kTableId,
                   sb::StaticMACBinding::kTableId, sb::AddressSet::kTableId,
                   sb::PortGroup::kTableId, sb::DHCPOptions::kTableId, sb::DHCPv6Options::kTableId,
                   sb::DNS::kTableId, sb::Meter::kTableId, sb::MeterBand::kTableId,
                   sb::LoadBalancer::kTableId, sb::FDB::kTableId, sb::ServiceMonitor::kTableId}) {
    if (t == sb::LogicalFlow::kTableId || t == sb::PortBinding::kTableId) {
      // As ovn-controller does: nothing here reads their external_ids (stage names and
      // sources of the logical flows, a CMS's port annotations), a large share of the rows.
      size_t skip = t == sb::LogicalFlow::kTableId ? sb::LogicalFlow::Col::external_ids
                                                   : sb::PortBinding::Col::external_ids;
      std::vector<size_t> columns;
      const auto& table = sb::binding_ptr()->tables()[t];
      for (size_t c = ovsdb::kFirstUserColumn; c < ovsdb::kFirstUserColumn + table.n_user_columns();
           ++c) {
        if (c != skip) columns.push_back(c);
      }
      sb_idl->monitor_table(t, std::move(columns));
    } else {
      sb_idl->monitor_table(t);
    }
  }
  sb_indexes = std::make_unique<SbIndexes>(sb_idl->replica());
  sb_idl->set_on_change([this] { schedule_run(); });
  sb_idl->start();
  LOG_INFO("connecting to the Southbound database at {}", sb_remote);
}

int64_t Controller::Impl::sb_nb_cfg() const {
  if (!sb_source_set) return -1;
  for (const sb::SBGlobal* g : sb::SBGlobal::rows(sb_idl->replica())) return g->nb_cfg();
  return -1;
}

bool Controller::Impl::flows_installed_for(uint64_t seqno) const {
  return ofctrl.is_connected() && ofctrl.installed_seqno() >= seqno;
}

std::set<std::string> Controller::Impl::installed_lports() const {
  std::set<std::string> out;
  for (const auto& [lport, b] : dag.runtime.data().state.bindings) {
    auto it = binding_seqno.find(lport);
    if (b.ofport > 0 && it != binding_seqno.end() && flows_installed_for(it->second.seqno)) {
      out.insert(lport);
    }
  }
  return out;
}

void Controller::Impl::run() {
  run_posted = false;
  if (!ovs_idl) return;
  if (!ovs_source_set && ovs_idl->is_synced()) {
    dag.ovs.set_source(&ovs_idl->replica(), opts.system_id_override);
    ovs_source_set = true;
  }
  if (sb_idl && !sb_source_set && sb_idl->is_synced()) {
    dag.sb.set_source(&sb_idl->replica(), sb_indexes.get());
    sb_source_set = true;
    trim_heap = true;
    LOG_INFO("Southbound database synchronized");
  }
  if (force_recompute) {
    dag.g.force_recompute();
    force_recompute = false;
  }
  auto t0 = std::chrono::steady_clock::now();
  int64_t cpu0 = thread_cpu_us();
  engine::RunResult r = dag.g.run();
  if (sb_idl) sb_idl->replica().clear_tracked();
  if (trim_heap) {
    // The initial download's JSON and the first compile's temporaries are freed by now, in
    // the middle of the heap where glibc keeps them: give those pages back to the system.
    malloc_trim(0);
    trim_heap = false;
  }
  if (!r.completed) {
    LOG_WARN("engine run canceled at {}: {}", r.canceled_node, r.reason);
    dag.g.force_recompute();
    schedule_run();
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  if (ms > 500) LOG_INFO("engine run took {} ms", ms);
  int64_t cpu1 = thread_cpu_us();
  LOG_DBG("engine run: {} ms (cpu {} ms), {} desired flows, dirty {}", ms, (cpu1 - cpu0) / 1000,
          store.size(), store.has_dirty());

  const OvsData& od = dag.ovs.data();
  if (od.has_config) {
    for (const std::string& p : od.config.problems) {
      if (reported_problems.insert(p).second) LOG_WARN("configuration: {}", p);
    }
    update_sb_client(od.config);
    ofctrl.set_target("unix:" + opts.ovs_rundir + "/" + od.config.bridge + ".mgmt",
                      od.config.openflow_probe_interval_ms);
  }

  if (store.has_dirty()) flow_seqno++;

  int64_t nb_cfg = sb_nb_cfg();
  if (nb_cfg != nb_cfg_seen) {
    LOG_DBG("nb_cfg {} seen at flow seqno {}", nb_cfg, flow_seqno);
    nb_cfg_seen = nb_cfg;
    nb_cfg_seqno = flow_seqno;
  }
  const auto& bindings = dag.runtime.data().state.bindings;
  for (auto it = binding_seqno.begin(); it != binding_seqno.end();) {
    it = bindings.count(it->first) ? std::next(it) : binding_seqno.erase(it);
  }
  for (const auto& [lport, b] : bindings) {
    auto [it, added] = binding_seqno.try_emplace(lport, BindingProgress{b.ofport, flow_seqno});
    if (!added && it->second.ofport != b.ofport) it->second = {b.ofport, flow_seqno};
  }

  // The flows go before the transactions: ovs-vswitchd's apply of a big bundle (hundreds of
  // ms) is the longest step of a bind, the claims' round trip (tens of ms) still ends long
  // before it, and a pass that finds the flows installed reports them in its transactions.
  uint64_t installed_before = ofctrl.installed_seqno();
  auto t1 = std::chrono::steady_clock::now();
  int64_t cpu_send = thread_cpu_us();
  ofctrl.run(store, flow_seqno);
  auto t2 = std::chrono::steady_clock::now();
  int64_t cpu2 = thread_cpu_us();
  run_ovs_txn();
  auto t3 = std::chrono::steady_clock::now();
  int64_t cpu3 = thread_cpu_us();
  run_sb_txn();
  auto us = [](auto a, auto b) {
    return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
  };
  LOG_DBG("flows sent in {} us (cpu {}), transactions built and sent: Open vSwitch {} us (cpu "
          "{}, {} building), Southbound {} us (cpu {}, {} building)",
          us(t1, t2), cpu2 - cpu_send, us(t2, t3), cpu3 - cpu2, ovs_build_cpu_us,
          us(t3, std::chrono::steady_clock::now()), thread_cpu_us() - cpu3, sb_build_cpu_us);
  // Nothing to send but the switch now counts as up to date: report it (ovn-installed, nb_cfg).
  if (ofctrl.installed_seqno() != installed_before) schedule_run();
  pinctrl.run(*this);
  check_exit_done();
}

Status Controller::Impl::build_ovs_txn(Transaction& txn) {
  struct Timed {
    int64_t cpu0;
    int64_t& out;
    ~Timed() { out = thread_cpu_us() - cpu0; }
  } timed{thread_cpu_us(), ovs_build_cpu_us};
  ovs_txn_cleanup = exiting && !exit_restart;
  const OvsData& od = dag.ovs.data();
  if (!od.has_config) return ok_status();
  int64_t now = wall_clock_ms();
  if (ovs_txn_cleanup) {
    if (od.bridge.exists) remove_tunnels(txn, od.bridge);
    for (const auto& [id, li] : od.bridge.by_iface_id) {
      if (li.ovn_installed) set_ovn_installed(txn, li.uuid, false, now);
    }
    return ok_status();
  }
  ensure_integration_bridge(txn, od.config);
  if (!od.bridge.exists) return ok_status();  // the next pass fills the new bridge
  const RuntimeData& rt = dag.runtime.data();
  if (sb_source_set && od.config.complete()) {
    reconcile_tunnels(txn, od.bridge,
                      desired_tunnels(sb_idl->replica(), od.config, od.bridge.tunnels));
  }
  if (rt.complete) sync_ct_zone_ids(txn, od.bridge, dag.ct_zones.data());
  std::set<std::string> installed = installed_lports();
  for (const auto& [id, li] : od.bridge.by_iface_id) {
    const LocalBinding* b = rt.state.binding(id);
    bool want = b && b->iface_uuid == li.uuid && installed.count(id) &&
                (b->claimed || b->type == "localport");
    if (want != li.ovn_installed && (want || rt.complete)) {
      set_ovn_installed(txn, li.uuid, want, now);
    }
  }
  if (nb_cfg_seen >= 0 && flows_installed_for(nb_cfg_seqno)) {
    set_bridge_nb_cfg(txn, od.bridge, nb_cfg_seen, now);
  }
  return ok_status();
}

void Controller::Impl::run_ovs_txn() {
  if (ovs_txn_busy) ovs_txn_stale = true;
  if (ovs_txn_busy || !ovs_idl->is_synced()) return;
  ovs_txn_busy = true;
  ovs_txn_stale = false;
  std::weak_ptr<bool> a = alive;
  ovs_idl->transact([this](Transaction& txn) { return build_ovs_txn(txn); },
                [this, a](const TxnReport& rep) {
                  if (auto p = a.lock(); !p || !*p) return;
                  LOG_DBG("Open vSwitch transaction: {}", ovsdb::client::txn_status_name(rep.status));
                  ovs_txn_busy = false;
                  if (rep.status == TxnStatus::error) {
                    LOG_WARN("Open vSwitch transaction failed: {}", rep.error);
                  }
                  if (ovs_txn_cleanup && rep.ok()) ovs_cleaned = true;
                  if (rep.status != TxnStatus::unchanged || std::exchange(ovs_txn_stale, false)) {
                    schedule_run();
                  } else {
                    check_exit_done();
                  }
                });
}

Status Controller::Impl::build_sb_txn(Transaction& txn) {
  struct Timed {
    int64_t cpu0;
    int64_t& out;
    ~Timed() { out = thread_cpu_us() - cpu0; }
  } timed{thread_cpu_us(), sb_build_cpu_us};
  sb_txn_nb_cfg = -1;
  sb_txn_writes = 0;
  sb_txn_cleanup = exiting && !exit_restart;
  const OvsData& od = dag.ovs.data();
  if (!od.has_config || !od.config.complete()) return ok_status();
  const std::string& name = od.config.system_id;
  if (sb_txn_cleanup) {
    remove_chassis(txn, name);  // port claims are weak references: they clear themselves
    return ok_status();
  }
  if (!chassis_up_to_date(txn.replica(), od.config)) {
    std::vector<std::string> problems;
    reconcile_chassis(txn, od.config, &problems);
    for (const std::string& p : problems) {
      if (reported_problems.insert(p).second) LOG_ERR("{}", p);
    }
  }
  const RuntimeData& rt = dag.runtime.data();
  if (rt.complete) update_bindings(txn, rt.state, installed_lports());
  if (nb_cfg_seen >= 0 && flows_installed_for(nb_cfg_seqno)) {
    if (report_nb_cfg(txn, name, nb_cfg_seen, wall_clock_ms())) sb_txn_nb_cfg = nb_cfg_seen;
  }
  for (auto& w : sb_writes) {
    Status st = w(txn);
    if (!st.ok()) LOG_WARN("packet-in handler write: {}", st.error().to_string());
  }
  sb_txn_writes = sb_writes.size();
  return ok_status();
}

void Controller::Impl::run_sb_txn() {
  if (sb_txn_busy) sb_txn_stale = true;
  if (sb_txn_busy || !sb_idl || !sb_source_set || !sb_idl->is_synced()) return;
  sb_txn_busy = true;
  sb_txn_stale = false;
  std::weak_ptr<bool> a = alive;
  Idl* idl = sb_idl.get();
  sb_idl->transact([this](Transaction& txn) { return build_sb_txn(txn); },
               [this, a, idl](const TxnReport& rep) {
                 if (auto p = a.lock(); !p || !*p) return;
                 if (idl != sb_idl.get()) return;  // an older client's transaction
                 LOG_DBG("Southbound transaction: {}", ovsdb::client::txn_status_name(rep.status));
                 sb_txn_busy = false;
                 if (rep.ok()) {
                   sb_writes.erase(sb_writes.begin(),
                                   sb_writes.begin() + std::min(sb_txn_writes, sb_writes.size()));
                   if (sb_txn_cleanup) sb_cleaned = true;
                 } else {
                   LOG_WARN("Southbound transaction: {}: {}",
                            ovsdb::client::txn_status_name(rep.status), rep.error);
                 }
                 if (rep.status != TxnStatus::unchanged || std::exchange(sb_txn_stale, false)) {
                   schedule_run();
                 } else {
                   check_exit_done();
                 }
               });
}

void Controller::Impl::check_exit_done() {
  if (!exiting || !exit_done) return;
  bool sb_ok = sb_cleaned || !sb_idl || !sb_idl->is_connected();
  if (!ovs_cleaned && ovs_idl && ovs_idl->is_connected()) return;
  if (!sb_ok) return;
  auto done = std::move(exit_done);
  exit_done = nullptr;
  done();
}

// ---- PinctrlContext.
bool Controller::Impl::send(const openflow::Message& message) { return ofctrl.send(message); }
void Controller::Impl::queue_sb_write(SbWrite write) {
  sb_writes.push_back(std::move(write));
  schedule_run();
}
const ovsdb::client::Replica* Controller::Impl::sb() const {
  return sb_source_set ? &sb_idl->replica() : nullptr;
}
const LocalState& Controller::Impl::local() const { return dag.runtime.data().state; }
int64_t Controller::Impl::now_ms() const { return wall_clock_ms(); }

// ---- Controller.
Controller::Controller(asio::io_context& io, ControllerOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}

Controller::~Controller() = default;

Pinctrl& Controller::pinctrl() { return impl_->pinctrl; }

void Controller::start(jsonrpc::UnixctlServer* unixctl) {
  Status st = impl_->dag.g.finalize();
  if (!st.ok()) LOG_EMER("engine wiring: {}", st.error().to_string());
  impl_->start_ovs();
  if (unixctl) register_commands(*this, *impl_, *unixctl);
  impl_->arm_timer();
  impl_->schedule_run();
}

void Controller::exit(bool restart, std::function<void()> done) {
  Impl& m = *impl_;
  m.exiting = true;
  m.exit_restart = restart;
  if (restart) {
    LOG_INFO("exiting for a restart: keeping the chassis and its ports");
    return done();
  }
  LOG_INFO("exiting: removing this chassis from the Southbound database");
  m.exit_done = std::move(done);
  // Do not wait forever for an unreachable database.
  m.exit_timer->expires_after(std::chrono::seconds(5));
  std::weak_ptr<bool> a = m.alive;
  m.exit_timer->async_wait([&m, a](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto p = a.lock(); !p || !*p) return;
    if (m.exit_done) {
      LOG_WARN("exit: cleanup did not complete in time");
      auto d = std::move(m.exit_done);
      m.exit_done = nullptr;
      d();
    }
  });
  m.schedule_run();
}

void Controller::recompute() {
  impl_->force_recompute = true;
  impl_->ofctrl.force_full_sync();
  impl_->schedule_run();
}

}  // namespace ovnx::controller
