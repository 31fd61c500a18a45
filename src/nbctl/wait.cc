#include "nbctl/wait.h"

#include <chrono>
#include <climits>
#include <cstdio>

#include <fmt/format.h>

#include "nbctl/nb.h"
#include "ovsdb/client/idl.h"

namespace ovnx::nbctl {

namespace {

enum class WaitType { none, sb, hv };

Result<WaitType> wait_type(ctl::RunState& rs) {
  if (rs.option("--no-wait")) return WaitType::none;
  const std::string* w = rs.option("--wait");
  if (!w) return WaitType::none;
  if (*w == "none") return WaitType::none;
  if (*w == "sb") return WaitType::sb;
  if (*w == "hv") return WaitType::hv;
  return make_error("argument to --wait must be \"none\", \"sb\", or \"hv\"");
}

const nb::NBGlobal* nb_global(const client::Transaction& txn) {
  auto rows = nb::NBGlobal::rows(txn);
  return rows.empty() ? nullptr : rows.front();
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status before_commit(ctl::RunState& rs, client::Transaction& txn) {
  OVNX_ASSIGN_OR_RETURN(WaitType type, wait_type(rs));
  NbState& state = nb_state(rs.program_state());
  state.wait = static_cast<int>(type);
  state.wait_incremented = false;
  state.wait_start_ms = now_ms();
  // Without NB_Global replicated (only database commands ran) we cannot tell whether the row
  // exists, so we leave it alone.
  if (!state.nb_global_monitored) return {};
  const nb::NBGlobal* global = nb_global(txn);
  if (!global) global = nb::NBGlobal::insert(txn).row();
  if (type == WaitType::none) return {};
  // Only wait for our own changes, unless `sync` asked to wait regardless.
  if (txn.empty() && !state.force_wait) return {};
  if (global->nb_cfg() == LLONG_MAX) nb::NBGlobal::edit(txn, global).set_nb_cfg(0);
  txn.increment(global, nb::NBGlobal::Col::nb_cfg);
  state.wait_incremented = true;
  return {};
}

Status after_commit(ctl::RunState& rs) {
  const NbState& state = nb_state(rs.program_state());
  auto type = static_cast<WaitType>(state.wait);
  if (!state.wait_incremented) return {};
  // With --dry-run nothing reaches northd, yet the real tool waits for it anyway (until
  // --timeout): keep that.
  if (rs.dry_run()) {
    rs.wait_until([] { return false; });
    return {};
  }
  const client::TxnReport* report = rs.report();
  if (!report || report->status != client::TxnStatus::success || !report->increment_value) {
    return {};
  }
  int64_t next_cfg = *report->increment_value;
  const client::Replica& replica = rs.idl().replica();
  auto reached = [&] {
    for (const nb::NBGlobal* g : nb::NBGlobal::rows(replica)) {
      int64_t cfg = type == WaitType::sb ? g->sb_cfg() : g->hv_cfg();
      if (cfg >= next_cfg) return true;
    }
    return false;
  };
  rs.wait_until(reached);
  if (rs.option("--print-wait-time")) {
    for (const nb::NBGlobal* g : nb::NBGlobal::rows(replica)) {
      std::string out = fmt::format("Time spent on processing nb_cfg {}:\n", next_cfg);
      out += fmt::format("\tovn-northd delay before processing:\t{}ms\n",
                         g->nb_cfg_timestamp() - state.wait_start_ms);
      out += fmt::format("\tovn-northd completion:\t\t\t{}ms\n",
                         g->sb_cfg_timestamp() - state.wait_start_ms);
      if (type == WaitType::hv) {
        out += fmt::format("\tovn-controller(s) completion:\t\t{}ms\n",
                           g->hv_cfg_timestamp() - state.wait_start_ms);
      }
      std::fputs(out.c_str(), stdout);
      break;
    }
  }
  return {};
}

}  // namespace ovnx::nbctl
