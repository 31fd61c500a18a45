// The control-socket commands of ovnx-controller (`ovs-appctl -t ... COMMAND`), named and
// answered as ovn-controller(8) documents them, plus a few debugging aids.
#include <fmt/format.h>

#include "controller/controller_internal.h"
#include "jsonrpc/unixctl.h"
#include "logical/controller_ops.h"

namespace ovnx::controller {

using Args = jsonrpc::UnixctlServer::Args;

void register_commands(Controller& controller, Controller::Impl& m,
                       jsonrpc::UnixctlServer& unixctl) {
  unixctl.add_command("recompute", "", 0, 0, [&controller](const Args&) -> Result<std::string> {
    controller.recompute();
    return std::string();
  });

  unixctl.add_command("connection-status", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    return std::string(m.sb_idl && m.sb_idl->is_connected() ? "connected\n" : "not connected\n");
  });

  unixctl.add_command("inc-engine/show-stats", "[NODE [STAT]]", 0, 2,
                      [&m](const Args& args) -> Result<std::string> {
                        if (args.empty()) return m.dag.g.stats_text();
                        return m.dag.g.stats_text(args[0], args.size() > 1 ? args[1] : "");
                      });
  unixctl.add_command("inc-engine/clear-stats", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    m.dag.g.clear_stats();
    return std::string();
  });
  unixctl.add_command("inc-engine/state", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    return m.dag.g.state_text();
  });
  unixctl.add_command("inc-engine/dot", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    return m.dag.g.to_dot();
  });

  unixctl.add_command("ct-zone-list", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    std::string out;
    for (const auto& [name, zone] : m.dag.ct_zones.data().zones) {
      out += fmt::format("{} {}\n", name, zone);
    }
    return out;
  });

  unixctl.add_command("debug/local-bindings", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    std::string out;
    const LocalState& st = m.dag.runtime.data().state;
    for (const auto& [lport, b] : st.bindings) {
      out += fmt::format("{} iface={} ofport={} datapath={} key={} {}\n", lport, b.iface, b.ofport,
                         b.dp_key, b.port_key, b.claimed ? "claimed" : "unclaimed");
    }
    for (const auto& [key, dp] : st.datapaths) {
      out += fmt::format("datapath {} {} {}{}\n", key, dp.name, dp.is_switch ? "switch" : "router",
                         dp.has_local_port ? " (local ports)" : "");
    }
    return out;
  });

  unixctl.add_command("debug/status", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    const OfctrlStats& of = m.ofctrl.stats();
    const LflowStats& lf = m.dag.lflow.translator().stats();
    return fmt::format(
        "southbound: {}\nopenflow: {} ({})\ndesired flows: {}\ninstalled flows: {}\n"
        "flow seqno: {} installed seqno: {}\nnb_cfg seen: {}\n"
        "logical flows compiled: {} (compilations {}, errors {})\nbundles: {} full syncs: {} "
        "flow mods: {} rejected: {}\npacket-ins: {}\nlast error: {}\n",
        m.sb_idl && m.sb_idl->is_connected() ? "connected" : "not connected", m.ofctrl.target(),
        m.ofctrl.is_connected() ? "connected" : "not connected", m.store.size(),
        m.ofctrl.installed_flows(), m.flow_seqno, m.ofctrl.installed_seqno(), m.nb_cfg_seen,
        m.dag.lflow.translator().size(), lf.compiled, lf.errors, of.bundles, of.full_syncs,
        of.flow_mods, of.rejected, of.packet_ins, m.ofctrl.last_error());
  });

  unixctl.add_command("debug/pinctrl-stats", "", 0, 0, [&m](const Args&) -> Result<std::string> {
    return m.pinctrl.stats_text();
  });
}

}  // namespace ovnx::controller
