#include "northd/compiler.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "northd/lflow.h"
#include "northd/pipelines.h"
#include "northd/sb_tables.h"
#include "northd/thread_pool.h"

namespace ovnx::northd {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A MAC derived from the NB_Global row, with the locally administered bit set, so a fresh
// deployment gets a stable value without randomness in the compiler.
packets::MacAddr derived_mac(const Uuid& seed, uint64_t salt) {
  uint64_t v = (seed.hi ^ (seed.lo * 0x9e3779b97f4a7c15ULL) ^ salt) & 0xffffffffffffULL;
  v = (v & ~(0x01ULL << 40)) | (0x02ULL << 40);  // unicast, locally administered
  return packets::MacAddr::from_u64(v);
}

}  // namespace

ChassisFeatures chassis_features(const std::vector<SbChassis>& chassis) {
  ChassisFeatures f;
  for (const SbChassis& c : chassis) {
    if (nb::get_bool(c.other_config, "is-remote")) continue;
    if (!nb::get_bool(c.other_config, "ct-no-masked-label")) f.ct_no_masked_label = false;
    if (!nb::get_bool(c.other_config, "mac-binding-timestamp")) f.mac_binding_timestamp = false;
    if (!nb::get_bool(c.other_config, "ct-lb-related")) f.ct_lb_related = false;
  }
  return f;
}

nb::Smap effective_nb_options(const nb::NbGlobal& global, bool vxlan_mode) {
  nb::Smap o = global.options;
  auto prefix = o.find("mac_prefix");
  bool valid_prefix = false;
  if (prefix != o.end()) {
    valid_prefix = packets::parse_mac(prefix->second + ":00:00:00").ok() &&
                   prefix->second != "00:00:00";
  }
  if (!valid_prefix) {
    packets::MacAddr m = derived_mac(global.uuid, 1);
    o["mac_prefix"] = fmt::format("{:02x}:{:02x}:{:02x}", m.bytes[0], m.bytes[1], m.bytes[2]);
  }
  auto svc = o.find("svc_monitor_mac");
  if (svc == o.end() || !packets::parse_mac(svc->second).ok()) {
    o["svc_monitor_mac"] = derived_mac(global.uuid, 2).to_string();
  }
  o["max_tunid"] = vxlan_mode ? "4095" : "16711680";
  o["northd_internal_version"] = kNorthdInternalVersion;
  return o;
}

Result<sb::Content> compile(const nb::Snapshot& nb, const SbState& sb_state,
                            const CompileOptions& options, CompileStats* stats) {
  CompileStats local;
  CompileStats& st = stats ? *stats : local;
  auto t0 = Clock::now();

  bool vxlan = false;
  for (const SbChassis& c : sb_state.chassis) {
    for (const std::string& e : c.encap_types) {
      if (e == "vxlan") vxlan = true;
    }
  }
  sb::Content out;
  out.nb_global_options = effective_nb_options(nb.nb_global, vxlan);
  TopologyOptions topts;
  topts.vxlan_mode = vxlan;
  topts.config = read_global_config(out.nb_global_options, chassis_features(sb_state.chassis));
  OVNX_ASSIGN_OR_RETURN(auto topo, Topology::build(nb, sb_state.keys, topts));
  st.topology_ms = ms_since(t0);

  // Flows, one task per datapath.
  auto t1 = Clock::now();
  const auto& dps = topo->datapaths();
  std::vector<DatapathFlows> per_dp(dps.size());
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  parallel_for(dps.size(), threads, [&](size_t i) {
    const Datapath& od = *dps[i];
    FlowSink sink;
    BuildCtx ctx{*topo, od, sink};
    if (od.is_switch()) {
      build_switch_flows(ctx);
    } else {
      build_router_flows(ctx);
    }
    per_dp[i].datapath = od.nb_uuid;
    per_dp[i].flows = std::move(sink.flows());
  });
  st.lflows_before_merge = 0;
  for (const auto& d : per_dp) st.lflows_before_merge += d.flows.size();
  st.lflows_ms = ms_since(t1);

  auto t2 = Clock::now();
  out.logical_flows = merge_flows(std::move(per_dp));
  st.merge_ms = ms_since(t2);

  auto t3 = Clock::now();
  out.nb_cfg = nb.nb_global.nb_cfg;
  out.sb_global_options = out.nb_global_options;
  build_datapath_bindings(*topo, out);
  build_port_bindings(*topo, sb_state.chassis, out);
  build_multicast_groups(*topo, out);
  build_address_sets(*topo, out);
  build_port_groups(*topo, out);
  build_dhcp_catalogues(out);
  build_dns(*topo, out);
  build_ip_multicast(*topo, out);
  build_ha_chassis_groups(*topo, out);
  st.tables_ms = ms_since(t3);
  return out;
}

}  // namespace ovnx::northd
