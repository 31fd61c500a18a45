#include "northd/northd_daemon.h"

#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "jsonrpc/unixctl.h"
#include "northd/northd_engine.h"
#include "northd/sb_writer.h"
#include "ovsdb/client/idl.h"
#include "ovsdb/client/nb.h"
#include "ovsdb/client/sb.h"

OVNX_LOG_MODULE(northd);

namespace ovnx::northd {
namespace {

namespace nbidl = ::ovnx::nb;
namespace sbidl = ::ovnx::sb;
using ovsdb::client::Idl;
using ovsdb::client::Transaction;
using ovsdb::client::TxnReport;

constexpr const char* kLockName = "ovn_northd";  // the real ovn-northd's lock: one active

// CPU time of the whole process (the flow build runs on a thread pool), for the debug log: on a
// busy machine wall clock says little.
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct NorthdDaemon::Impl : std::enable_shared_from_this<Impl> {
  Impl(boost::asio::io_context& io, DaemonOptions o)
      : io(io), opts(std::move(o)), retry_timer(io) {}

  boost::asio::io_context& io;
  DaemonOptions opts;
  std::unique_ptr<Idl> nb_idl;
  std::unique_ptr<Idl> sb_idl;
  std::unique_ptr<NorthdGraph> g;
  SbWriter writer;
  // An SB transaction is in flight. Its Transaction is freed once sent: the initial one holds
  // every SB row and need not stay until the (slow) reply.
  bool sb_txn = false;
  std::unique_ptr<Transaction> nb_txn;  // in flight
  boost::asio::steady_timer retry_timer;  // after a refused SB transaction
  bool paused = false;
  bool run_posted = false;
  bool was_active = false;
  uint64_t nb_sync_seqno = 0;
  uint64_t sb_sync_seqno = 0;
  bool check_all_ports_up = true;
  std::set<std::string> ports_to_check;  // LSPs whose `up` may need updating
  uint64_t loops = 0;

  Status start();
  void post_run();
  void run();
  void run_engine_and_write();
  void write_nb();
  std::string status() const {
    if (paused) return "paused";
    return sb_idl && sb_idl->has_lock() ? "active" : "standby";
  }
};

NorthdDaemon::NorthdDaemon(boost::asio::io_context& io, DaemonOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

NorthdDaemon::~NorthdDaemon() {
  impl_->retry_timer.cancel();
  if (impl_->nb_idl) impl_->nb_idl->close();
  if (impl_->sb_idl) impl_->sb_idl->close();
}

Status NorthdDaemon::start() { return impl_->start(); }

std::string NorthdDaemon::status() const { return impl_->status(); }

Status NorthdDaemon::Impl::start() {
  paused = opts.paused;
  unsigned threads = opts.threads ? opts.threads : std::thread::hardware_concurrency();
  // As ovn-northd: no inactivity probes on unix sockets (a peer busy with a large
  // transaction is not a dead peer); the default interval elsewhere.
  auto probe_ms = [](const std::string& remote) { return remote.starts_with("unix:") ? 0 : 5000; };
  ovsdb::client::IdlOptions nbo;
  nbo.remote = opts.nb_remote;
  nbo.probe_interval_ms = probe_ms(opts.nb_remote);
  nb_idl = std::make_unique<Idl>(io, nbidl::binding_ptr(), nbo);
  nb_idl->monitor_all();
  ovsdb::client::IdlOptions sbo;
  sbo.remote = opts.sb_remote;
  sbo.probe_interval_ms = probe_ms(opts.sb_remote);
  sb_idl = std::make_unique<Idl>(io, sbidl::binding_ptr(), sbo);
  sb_idl->monitor_all();
  OVNX_ASSIGN_OR_RETURN(g, make_northd_graph(nb_idl->replica(), sb_idl->replica(), threads));
  writer.set_threads(threads);
  std::weak_ptr<Impl> weak = shared_from_this();
  auto on_change = [weak] {
    if (auto self = weak.lock()) self->post_run();
  };
  nb_idl->set_on_change(on_change);
  sb_idl->set_on_change(on_change);
  if (!paused) sb_idl->set_lock(kLockName);
  nb_idl->start();
  sb_idl->start();
  LOG_INFO("connecting to NB {} and SB {}", opts.nb_remote, opts.sb_remote);
  return ok_status();
}

void NorthdDaemon::Impl::post_run() {
  if (run_posted) return;
  run_posted = true;
  std::weak_ptr<Impl> weak = shared_from_this();
  boost::asio::post(io, [weak] {
    if (auto self = weak.lock()) {
      self->run_posted = false;
      self->run();
    }
  });
}

void NorthdDaemon::Impl::run() {
  ++loops;
  if (!nb_idl->is_synced() || !sb_idl->is_synced()) return;
  // A new connection's replica may differ from what we last wrote: compare everything.
  if (nb_idl->sync_seqno() != nb_sync_seqno || sb_idl->sync_seqno() != sb_sync_seqno) {
    nb_sync_seqno = nb_idl->sync_seqno();
    sb_sync_seqno = sb_idl->sync_seqno();
    writer.reset();
    g->nb->mark_stale();
    g->graph.force_recompute();
    check_all_ports_up = true;
  }
  const bool active = !paused && sb_idl->has_lock();
  if (!active) {
    if (was_active) LOG_INFO("northd lock lost; now {}", status());
    was_active = false;
    // Keep the replicas' change tracking bounded while standing by; catch up on activation.
    nb_idl->replica().clear_tracked();
    sb_idl->replica().clear_tracked();
    g->nb->mark_stale();
    return;
  }
  if (!was_active) {
    LOG_INFO("northd lock acquired; this instance is now active");
    was_active = true;
    writer.reset();
    g->graph.force_recompute();
    check_all_ports_up = true;
  }
  if (sb_txn || nb_txn) {  // one transaction of each kind at a time; run again after
    LOG_DBG("run deferred: {} transaction in flight", sb_txn ? "SB" : "NB");
    return;
  }
  run_engine_and_write();
}

void NorthdDaemon::Impl::run_engine_and_write() {
  // Switch ports whose NB row or SB binding changed may need their `up` updated.
  for (const nbidl::LogicalSwitchPort* p : nbidl::LogicalSwitchPort::tracked(nb_idl->replica())) {
    ports_to_check.insert(p->name());
  }
  for (const sbidl::PortBinding* pb : sbidl::PortBinding::tracked(sb_idl->replica())) {
    ports_to_check.insert(pb->logical_port());
  }
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = process_cpu_ms();
  engine::RunResult r = g->graph.run();
  const auto t1 = std::chrono::steady_clock::now();
  const double c1 = process_cpu_ms();
  writer.note_tracked(sb_idl->replica());
  sb_idl->replica().clear_tracked();
  if (!r.completed) {
    LOG_WARN("engine run canceled at {}: {}", r.canceled_node, r.reason);
    return;
  }
  const NorthdData& nd = g->northd->data();
  if (!nd.compiler) return;
  int64_t nb_cfg = g->nb->data().snapshot.nb_global.nb_cfg;

  auto txn = std::make_unique<Transaction>(sb_idl->replica());
  SbWriteStats st = writer.write(nd.compiler->desired(), nd.pending, nb_cfg, sb_idl->replica(),
                                 *txn);
  using Ms = std::chrono::duration<double, std::milli>;
  LOG_DBG("engine run {:.1f} ms ({:.1f} ms CPU), SB difference {:.1f} ms ({:.1f} ms CPU)",
          Ms(t1 - t0).count(), c1 - c0, Ms(std::chrono::steady_clock::now() - t1).count(),
          process_cpu_ms() - c1);
  if (txn->empty()) {
    g->northd->clear_pending();
  } else {
    LOG_DBG("SB transaction: {} inserted, {} updated, {} deleted", st.inserted, st.updated,
            st.deleted);
    std::weak_ptr<Impl> weak = shared_from_this();
    sb_txn = true;
    sb_idl->commit(*txn, [weak](const TxnReport& report) {
      auto self = weak.lock();
      if (!self) return;
      self->writer.committed(report);
      if (report.ok()) {
        self->g->northd->clear_pending();
      } else {
        LOG_WARN("SB transaction failed ({}: {}); will retry", txn_status_name(report.status),
                 report.error);
        if (report.status == ovsdb::client::TxnStatus::error) {
          // The server refused what we wrote: compare everything next time, after a pause
          // so that a persistent refusal does not spin.
          self->writer.reset();
          self->retry_timer.expires_after(std::chrono::seconds(1));
          std::weak_ptr<Impl> again = self;
          self->retry_timer.async_wait([again](const boost::system::error_code& ec) {
            auto s = again.lock();
            if (ec || !s) return;
            s->sb_txn = false;
            s->post_run();
          });
          return;
        }
      }
      self->sb_txn = false;
      self->post_run();
    });
  }
  write_nb();
}

void NorthdDaemon::Impl::write_nb() {
  const auto& nb = nb_idl->replica();
  const auto& sb = sb_idl->replica();
  const nbidl::NBGlobal* global = nullptr;
  for (const nbidl::NBGlobal* r : nbidl::NBGlobal::rows(nb)) global = r;
  if (!global) return;  // ovn-nbctl init creates it
  nb_txn = std::make_unique<Transaction>(nb);
  auto w = nbidl::NBGlobal::edit(*nb_txn, global);
  const NorthdData& nd = g->northd->data();
  if (nd.compiler) {
    const auto& want = nd.compiler->desired().nb_global_options;
    if (global->options().to_map() != want) w.set_options(want);
  }
  // sb_cfg: what the SB has caught up to (we copied nb_cfg there with the changes).
  const sbidl::SBGlobal* sbg = nullptr;
  for (const sbidl::SBGlobal* r : sbidl::SBGlobal::rows(sb)) sbg = r;
  if (sbg && sbg->nb_cfg() != global->sb_cfg() && !sb_txn) {
    w.set_sb_cfg(sbg->nb_cfg());
    w.set_sb_cfg_timestamp(now_ms());
  }
  // hv_cfg: the chassis that is furthest behind.
  int64_t hv_cfg = global->nb_cfg();
  int64_t hv_ts = 0;
  for (const sbidl::ChassisPrivate* cp : sbidl::ChassisPrivate::rows(sb)) {
    if (const sbidl::Chassis* ch = cp->chassis()) {
      if (ch->other_config().get_or("is-remote", "false") == "true") continue;
    }
    hv_cfg = std::min(hv_cfg, cp->nb_cfg());
    hv_ts = std::max(hv_ts, cp->nb_cfg_timestamp());
  }
  if (global->hv_cfg() != hv_cfg) w.set_hv_cfg(hv_cfg);
  if (hv_ts && global->hv_cfg_timestamp() != hv_ts) w.set_hv_cfg_timestamp(hv_ts);

  // Switch ports report `up`: routers always, others when bound to a chassis.
  auto check_up = [&](const nbidl::LogicalSwitchPort* lsp) {
    bool up = false;
    if (lsp->type() == "router") {
      up = true;
    } else if (const auto* pb = sbidl::PortBinding::find_by_logical_port(sb, lsp->name())) {
      if (pb->chassis()) up = pb->up().value_or(true);
    }
    if (lsp->up() != up) {
      LOG_DBG("{}: up={}", lsp->name(), up);
      nbidl::LogicalSwitchPort::edit(*nb_txn, lsp).set_up(up);
    }
  };
  if (check_all_ports_up) {
    for (const nbidl::LogicalSwitchPort* lsp : nbidl::LogicalSwitchPort::rows(nb)) check_up(lsp);
  } else {
    for (const std::string& name : ports_to_check) {
      if (const auto* lsp = nbidl::LogicalSwitchPort::find_by_name(nb, name)) check_up(lsp);
    }
  }
  if (nb_txn->empty()) {
    nb_txn.reset();
    check_all_ports_up = false;
    ports_to_check.clear();
    return;
  }
  std::weak_ptr<Impl> weak = shared_from_this();
  nb_idl->commit(*nb_txn, [weak](const TxnReport& report) {
    auto self = weak.lock();
    if (!self) return;
    if (report.ok()) {
      self->check_all_ports_up = false;
      self->ports_to_check.clear();
    } else {
      LOG_DBG("NB transaction: {} ({})", txn_status_name(report.status), report.error);
    }
    self->nb_txn.reset();
    self->post_run();
  });
}

void NorthdDaemon::register_commands(jsonrpc::UnixctlServer& u, std::function<void()> on_exit) {
  std::weak_ptr<Impl> weak = impl_;
  using Args = jsonrpc::UnixctlServer::Args;
  u.add_command("exit", "", 0, 0, [on_exit](const Args&) -> Result<std::string> {
    on_exit();
    return std::string();
  });
  u.add_command("status", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    auto self = weak.lock();
    return fmt::format("Status: {}\n", self ? self->status() : "standby");
  });
  u.add_command("pause", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    if (auto self = weak.lock()) {
      self->paused = true;
      self->sb_idl->set_lock("");  // let another northd take over
      self->post_run();
    }
    return std::string();
  });
  u.add_command("resume", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    if (auto self = weak.lock()) {
      self->paused = false;
      self->sb_idl->set_lock(kLockName);
      self->post_run();
    }
    return std::string();
  });
  u.add_command("is-paused", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    auto self = weak.lock();
    return std::string(self && self->paused ? "true\n" : "false\n");
  });
  u.add_command("inc-engine/show-stats", "[NODE [STAT]]", 0, 2,
                [weak](const Args& a) -> Result<std::string> {
                  auto self = weak.lock();
                  if (!self) return std::string();
                  return self->g->graph.stats_text(a.size() > 0 ? a[0] : "",
                                                   a.size() > 1 ? a[1] : "");
                });
  u.add_command("inc-engine/clear-stats", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    if (auto self = weak.lock()) self->g->graph.clear_stats();
    return std::string();
  });
  u.add_command("inc-engine/recompute", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    if (auto self = weak.lock()) {
      self->g->graph.force_recompute();
      self->post_run();
    }
    return std::string();
  });
  u.add_command("inc-engine/show-state", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    auto self = weak.lock();
    return self ? self->g->graph.state_text() : std::string();
  });
  for (const char* cmd : {"nb-cluster-state-reset", "sb-cluster-state-reset"}) {
    // Our client does not keep a cluster index across database rebuilds: nothing to reset.
    u.add_command(cmd, "", 0, 0, [](const Args&) -> Result<std::string> { return std::string(); });
  }
  u.add_command("set-n-threads", "N", 1, 1, [weak](const Args& a) -> Result<std::string> {
    int n = std::atoi(a[0].c_str());
    if (n < 1 || n > 256) return make_error("invalid argument", "N must be within [1-256]");
    if (auto self = weak.lock()) {
      self->opts.threads = static_cast<unsigned>(n);
      self->g->northd->set_threads(static_cast<unsigned>(n));
      self->writer.set_threads(static_cast<unsigned>(n));
    }
    return std::string();
  });
  u.add_command("get-n-threads", "", 0, 0, [weak](const Args&) -> Result<std::string> {
    auto self = weak.lock();
    unsigned n = self ? self->opts.threads : 0;
    if (n == 0) n = std::thread::hardware_concurrency();
    return fmt::format("{}\n", n);
  });
}

}  // namespace ovnx::northd
