#include "northd/northd_engine.h"

#include <ctime>
#include <utility>

#include <fmt/format.h>

#include "base/log.h"
#include "northd/nb_input.h"
#include "ovsdb/client/replica.h"
#include "ovsdb/client/sb.h"

OVNX_LOG_MODULE(northd_engine);

namespace ovnx::northd {
namespace {

namespace sbidl = ::ovnx::sb;

std::vector<SbChassis> read_chassis(const ovsdb::client::Replica& rep) {
  std::vector<SbChassis> out;
  for (const sbidl::Chassis* c : sbidl::Chassis::rows(rep)) {
    SbChassis ch;
    ch.name = c->name();
    ch.hostname = c->hostname();
    ch.other_config = c->other_config().to_map();
    for (const sbidl::Encap* e : c->encaps()) ch.encap_types.push_back(e->type());
    out.push_back(std::move(ch));
  }
  return out;
}

// The chassis facts the flows depend on: supported features and VXLAN; names for
// requested-chassis and HA groups.
std::string fingerprint(const std::vector<SbChassis>& chassis) {
  ChassisFeatures f = chassis_features(chassis);
  std::string out = fmt::format("{}{}{}", f.ct_no_masked_label, f.mac_binding_timestamp,
                                f.ct_lb_related);
  std::vector<std::string> names;
  for (const auto& c : chassis) {
    names.push_back(c.name + "/" + c.hostname);
    for (const auto& e : c.encap_types) {
      if (e == "vxlan") out += "v";
    }
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) out += "," + n;
  return out;
}

}  // namespace

// ---- nb_data.

EnNbData::EnNbData(ovsdb::client::Replica& replica) : Node("nb_data"), replica_(replica) {}

engine::Computed EnNbData::recompute() {
  if (stale_) {
    load_nb_snapshot(replica_, &mutable_data().snapshot);
    stale_ = false;
  } else {
    // Same snapshot as a reload, without converting the whole NB again.
    apply_nb_changes(replica_, &mutable_data().snapshot, &mutable_data().changes);
  }
  mutable_data().changes = NbChanges{};
  replica_.clear_tracked();
  return engine::Computed::updated;
}

engine::Computed EnNbData::poll() {
  NbData& d = mutable_data();
  apply_nb_changes(replica_, &d.snapshot, &d.changes);
  replica_.clear_tracked();
  return d.changes.empty() ? engine::Computed::unchanged : engine::Computed::updated;
}

void EnNbData::clear_tracked() { mutable_data().changes = NbChanges{}; }

// ---- sb_data.

EnSbData::EnSbData(const ovsdb::client::Replica& replica) : Node("sb_data"), replica_(replica) {}

ExistingKeys EnSbData::keys() const {
  ExistingKeys keys;
  std::unordered_map<Uuid, Uuid> sb_to_nb;
  for (const sbidl::DatapathBinding* dp : sbidl::DatapathBinding::rows(replica_)) {
    auto ext = dp->external_ids();
    auto nb = ext.get("logical-switch");
    if (!nb) nb = ext.get("logical-router");
    if (!nb) continue;
    if (auto u = Uuid::parse(*nb)) {
      keys.datapaths[*u] = dp->tunnel_key();
      sb_to_nb[dp->uuid()] = *u;
    }
  }
  for (const sbidl::PortBinding* pb : sbidl::PortBinding::rows(replica_)) {
    const sbidl::DatapathBinding* dp = pb->datapath();
    if (!dp) continue;
    auto it = sb_to_nb.find(dp->uuid());
    if (it != sb_to_nb.end()) keys.ports[pb->logical_port()] = {it->second, pb->tunnel_key()};
  }
  return keys;
}

engine::Computed EnSbData::recompute() {
  SbData& d = mutable_data();
  d.chassis = read_chassis(replica_);
  d.fingerprint = fingerprint(d.chassis);
  return engine::Computed::updated;
}

engine::Computed EnSbData::poll() {
  // Only chassis facts matter here; most SB changes are our own writes.
  bool chassis_changed = !sbidl::Chassis::tracked(replica_).empty() ||
                         !sbidl::Encap::tracked(replica_).empty();
  if (!chassis_changed) return engine::Computed::unchanged;
  SbData& d = mutable_data();
  d.chassis = read_chassis(replica_);
  std::string fp = fingerprint(d.chassis);
  if (fp == d.fingerprint) return engine::Computed::unchanged;
  d.fingerprint = std::move(fp);
  return engine::Computed::updated;
}

// ---- northd.

void merge_changes(SbChanges& into, SbChanges&& more) {
  into.all |= more.all;
  into.datapaths.merge(more.datapaths);
  into.port_bindings.merge(more.port_bindings);
  into.multicast_groups.merge(more.multicast_groups);
  into.address_sets.merge(more.address_sets);
  into.port_groups.merge(more.port_groups);
  into.ip_multicast.merge(more.ip_multicast);
  into.dns |= more.dns;
  into.ha_chassis_groups |= more.ha_chassis_groups;
  into.lflows_rebuilt |= more.lflows_rebuilt;
  if (into.lflows.empty()) {
    into.lflows = std::move(more.lflows);
  } else {
    into.lflows.insert(into.lflows.end(), more.lflows.begin(), more.lflows.end());
    std::sort(into.lflows.begin(), into.lflows.end());
    into.lflows.erase(std::unique(into.lflows.begin(), into.lflows.end()), into.lflows.end());
  }
}

EnNorthd::EnNorthd(unsigned threads, const EnSbData& sb)
    : Node("northd"), threads_(threads), sb_(sb) {}

void EnNorthd::take_changes() {
  merge_changes(mutable_data().pending, mutable_data().compiler->take_changes());
}

namespace {
// Process CPU time (the flow build runs on a thread pool), for the debug log.
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
}  // namespace

engine::Computed EnNorthd::recompute() {
  NorthdData& d = mutable_data();
  const double c0 = process_cpu_ms();
  SbState st;
  st.chassis = input<EnSbData>().chassis;
  // Keys we hold now win over what the SB has (it may lag behind our last write).
  st.keys = sb_.keys();
  if (d.compiler) {
    for (const auto& [u, dp] : d.compiler->desired().datapaths) st.keys.datapaths[u] = dp.tunnel_key;
    for (const auto& [n, pb] : d.compiler->desired().port_bindings) {
      st.keys.ports[n] = {pb.datapath, pb.tunnel_key};
    }
  }
  const double c1 = process_cpu_ms();
  auto compiler = std::make_unique<IncrementalCompiler>(CompileOptions{.threads = threads_});
  Status s = compiler->recompute(input<EnNbData>().snapshot, st);
  if (!s.ok()) {
    LOG_ERR("full recompute failed: {}", s.error().to_string());
    return engine::Computed::canceled;
  }
  const double c2 = process_cpu_ms();
  // Freeing the previous compiler (millions of objects) would hold up the SB write: it goes on
  // a thread of its own. Nothing refers to it any more: the writer reads only `d.compiler`, and
  // `pending` holds row ids, not pointers.
  old_compilers_.release(std::exchange(d.compiler, std::move(compiler)));
  const double c3 = process_cpu_ms();
  fingerprint_ = input<EnSbData>().fingerprint;
  take_changes();
  const CompileStats& cs = d.compiler->stats();
  LOG_DBG("full recompute, CPU ms: keys {:.0f} compile {:.0f} old compiler handed over {:.0f} "
          "changes {:.0f}; compile wall ms: topology {:.0f} flows {:.0f} merge {:.0f} tables {:.0f}",
          c1 - c0, c2 - c1, c3 - c2, process_cpu_ms() - c3, cs.topology_ms, cs.lflows_ms,
          cs.merge_ms, cs.tables_ms);
  return engine::Computed::updated;
}

engine::Handled EnNorthd::on_nb_data(const NbData& nb) {
  if (nb.changes.empty()) return engine::Handled::unchanged;
  auto r = mutable_data().compiler->update(nb.changes);
  if (!r.ok()) {
    LOG_WARN("incremental update failed ({}), recomputing", r.error().to_string());
    return engine::Handled::no;
  }
  if (!*r) return engine::Handled::no;
  take_changes();
  return engine::Handled::updated;
}

engine::Handled EnNorthd::on_sb_data(const SbData& sb) {
  if (sb.fingerprint != fingerprint_) {
    fingerprint_ = sb.fingerprint;
    return engine::Handled::no;
  }
  return engine::Handled::unchanged;
}

Result<std::unique_ptr<NorthdGraph>> make_northd_graph(ovsdb::client::Replica& nb,
                                                       const ovsdb::client::Replica& sb,
                                                       unsigned threads) {
  auto g = std::make_unique<NorthdGraph>();
  g->nb = &g->graph.add<EnNbData>(nb);
  g->sb = &g->graph.add<EnSbData>(sb);
  g->northd = &g->graph.add<EnNorthd>(threads, *g->sb);
  g->graph.connect(*g->northd, *g->nb, &EnNorthd::on_nb_data);
  g->graph.connect(*g->northd, *g->sb, &EnNorthd::on_sb_data);
  OVNX_RETURN_IF_ERROR(g->graph.finalize());
  return g;
}

}  // namespace ovnx::northd
