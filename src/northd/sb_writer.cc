#include "northd/sb_writer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <string_view>
#include <thread>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "northd/known_flows.h"
#include "northd/lflow_sb_compare.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/transaction.h"

OVNX_LOG_MODULE(northd_sb_writer);

namespace ovnx::northd {
namespace {

namespace idl = ::ovnx::sb;
using ovsdb::client::Replica;
using ovsdb::client::Transaction;

template <class T>
std::vector<std::string> strings(const T& view) {
  return std::vector<std::string>(view.begin(), view.end());
}

// Column comparisons that copy nothing out of the replica (a full compare reads every row).
template <class SetView>
bool same_strings(const SetView& have, const std::vector<std::string>& want) {
  if (have.size() != want.size()) return false;
  size_t i = 0;
  for (const auto& s : have) {
    if (s != want[i++]) return false;
  }
  return true;
}

template <class MapView>
bool same_map(const MapView& have, const std::map<std::string, std::string>& want) {
  if (have.size() != want.size()) return false;
  auto w = want.begin();
  for (auto [k, v] : have) {
    if (k != w->first || v != w->second) return false;
    ++w;
  }
  return true;
}

// Port_Binding options that ovn-controller adds: the row's value stays.
bool controller_option(std::string_view key) {
  return key == "ipv6_ra_pd_list" || key == "additional-chassis-activated";
}

// HAVE equals WANT with the controller's options taking HAVE's values (both sorted by key).
template <class MapView>
bool same_options(const MapView& have, const std::map<std::string, std::string>& want) {
  auto h = have.begin();
  const auto he = have.end();
  auto w = want.begin();
  while (h != he || w != want.end()) {
    if (h != he && (w == want.end() || (*h).first < w->first)) {  // only in the row
      if (!controller_option((*h).first)) return false;
      ++h;
    } else if (h == he || w->first < (*h).first) {  // only wanted
      return false;
    } else {
      if (!controller_option(w->first) && (*h).second != w->second) return false;
      ++h;
      ++w;
    }
  }
  return true;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The permissions of role "ovn-controller" (what ovn-controller may write), as OVN creates them.
struct RbacPerm {
  const char* table;
  const char* auth;
  bool insert_delete;
  std::vector<std::string> update;
};
const std::vector<RbacPerm>& rbac_permissions() {
  static const std::vector<RbacPerm> perms = {
      {"Chassis", "name", true,
       {"encaps", "external_ids", "nb_cfg", "other_config", "transport_zones",
        "vtep_logical_switches"}},
      {"Chassis_Private", "name", true, {"chassis", "external_ids", "nb_cfg", "nb_cfg_timestamp"}},
      {"Encap", "chassis_name", true, {"ip", "options", "type"}},
      {"Port_Binding", "", false,
       {"additional_chassis", "additional_encap", "chassis", "encap", "options", "up",
        "virtual_parent"}},
      {"MAC_Binding", "", true, {"datapath", "ip", "logical_port", "mac", "timestamp"}},
      {"Service_Monitor", "", false, {"status"}},
      {"IGMP_Group", "", true, {"address", "chassis", "datapath", "ports"}},
      {"Controller_Event", "", true, {"chassis", "event_info", "event_type", "seq_num"}},
      {"FDB", "", true, {"dp_key", "mac", "port_key"}},
      {"BFD", "", false, {"status"}},
  };
  return perms;
}

// The SB rows of one table by a key, for a full compare: each desired row finds its SB row with
// one hash lookup (no key built, nothing allocated per row), and the rows no desired row
// claimed are the ones to delete. Keys are views into the replica's rows.
template <class Row, class Key, class Hash = std::hash<Key>>
class RowMatch {
 public:
  template <class Rows, class KeyOf>
  RowMatch(const Rows& rows, KeyOf key_of) {
    rows_.reserve(rows.size());
    index_.reserve(rows.size());
    for (const Row* row : rows) {
      // A duplicate key (the schema's indexes forbid it) stays unclaimed, hence deleted.
      index_.emplace(key_of(row), static_cast<uint32_t>(rows_.size()));
      rows_.push_back(row);
    }
    claimed_.assign(rows_.size(), false);
  }
  // The SB row with KEY, now claimed; nullptr if none.
  const Row* claim(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    claimed_[it->second] = true;
    return rows_[it->second];
  }
  // The row with KEY if it was claimed (i.e. it is not deleted); nullptr otherwise.
  const Row* claimed(const Key& key) const {
    auto it = index_.find(key);
    return it != index_.end() && claimed_[it->second] ? rows_[it->second] : nullptr;
  }
  // Calls fn(row) for the unclaimed rows, in the replica's order.
  template <class Fn>
  void for_each_unclaimed(Fn fn) const {
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (!claimed_[i]) fn(rows_[i]);
    }
  }

 private:
  std::vector<const Row*> rows_;
  std::vector<bool> claimed_;
  boost::unordered_flat_map<Key, uint32_t, Hash> index_;
};

using PbMatch = RowMatch<idl::PortBinding, std::string_view>;

struct DpNameHash {
  size_t operator()(const std::pair<const idl::DatapathBinding*, std::string_view>& k) const {
    return std::hash<std::string_view>{}(k.second) * 31 + std::hash<const void*>{}(k.first);
  }
};

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

// The result of the first step of a full Logical_Flow compare.
struct FlowMatch {
  uint64_t pass = 0;                          // KnownFlows pass marking the matched rows
  std::vector<const LflowTable::Row*> misses;  // table rows the SB does not have exactly
  double cpu_ms = 0;                           // the step's CPU time (on its thread)
};

struct SbWriter::Impl {
  unsigned threads = 1;
  bool synced = false;  // the last full compare is still valid
  // Logical flow rows we know: table row id -> SB row UUID (provisional until committed).
  boost::unordered_flat_map<uint64_t, Uuid> flow_row;
  std::vector<std::pair<uint64_t, Uuid>> pending_flow_rows;  // inserted by the last txn

  // Per write().
  const Replica* sb = nullptr;
  Transaction* txn = nullptr;
  SbWriteStats stats;
  std::unordered_map<std::string, const idl::PortBinding*> new_pbs;
  // During a full compare, after sync_port_bindings: the replica's bindings by name, claimed
  // if kept (the others are deleted).
  std::unique_ptr<PbMatch> pb_match;
  // Kept across writes until stale: the SB table changed, or a write put rows of its own
  // transaction in (they are provisional).
  std::unordered_map<Uuid, const idl::DatapathBinding*> dp_by_nb;  // NB UUID -> SB row
  std::map<std::vector<Uuid>, const idl::LogicalDPGroup*> groups;
  bool dp_index_stale = true;
  bool group_index_stale = true;

  void index_datapaths();
  void index_groups();
  const idl::PortBinding* port_binding(const std::string& name);
  const idl::DatapathBinding* datapath(const Uuid& nb_uuid) const {
    auto it = dp_by_nb.find(nb_uuid);
    return it == dp_by_nb.end() ? nullptr : it->second;
  }

  void sync_datapaths(const DesiredSb& d, const SbChanges& c);
  void delete_datapath(const idl::DatapathBinding* row);
  void sync_port_bindings(const DesiredSb& d, const SbChanges& c);
  void write_port_binding(const sb::PortBinding& want, const idl::PortBinding* row);
  void sync_multicast_groups(const DesiredSb& d, const SbChanges& c);
  void sync_address_sets(const DesiredSb& d, const SbChanges& c);
  void sync_port_groups(const DesiredSb& d, const SbChanges& c);
  void sync_dns(const DesiredSb& d);
  void sync_ip_multicast(const DesiredSb& d, const SbChanges& c);
  void sync_ha_chassis_groups(const DesiredSb& d);
  void sync_dhcp(const DesiredSb& d);
  void sync_rbac();
  void sync_global(const DesiredSb& d, int64_t nb_cfg);
  // A full compare of Logical_Flow in two steps: match_known_flows() finds the rows the SB has
  // exactly (by fingerprint); it reads only the replica, the datapath and group indexes and the
  // flow state, writes nothing of the transaction, and may run on another thread while the
  // other tables are compared. sync_flows_full() then writes the rest.
  FlowMatch match_known_flows(const DesiredSb& d);
  void sync_flows_full(const DesiredSb& d, FlowMatch m);
  void sync_flows(const DesiredSb& d, const std::vector<uint64_t>& ids);
  // The datapath reference of a desired flow: one datapath or a group.
  bool flow_datapaths(const sb::LogicalFlow& want, const idl::DatapathBinding** dp,
                      const idl::LogicalDPGroup** group);
  void write_flow(const sb::LogicalFlow& want, const idl::LogicalFlow* row, uint64_t id);
  // The datapath reference a table row should have, looked up without writing anything:
  // false if a datapath has no SB row yet; *group null if the group does not exist yet.
  bool find_flow_datapaths(const LflowTable::Row& want, const idl::DatapathBinding** dp,
                           const idl::LogicalDPGroup** group);
  std::vector<Uuid> scratch_nb;  // find_flow_datapaths' buffers and its last group
  std::vector<Uuid> scratch_key;
  std::vector<Uuid> last_group_nb;
  const idl::LogicalDPGroup* last_group = nullptr;
  bool last_group_resolvable = false;
  bool last_group_valid = false;  // only within one full compare: indexes change between

  // SB Logical_Flow rows by fingerprint (sb_flow_fingerprint) of the replica's row, kept across
  // writes: a row is fingerprinted once, and again only after it changed in the replica
  // (note_tracked), so a full compare finds an unchanged flow with one lookup and reads no SB
  // row. Valid while the replica's changes are all noted; reset() starts over.
  KnownFlows known_flows;
  std::vector<Uuid> changed_flows;  // in the replica since the last full compare
  bool flow_fps_complete = false;
  uint64_t full_compares = 0;
  void refresh_flow_fingerprints();
};

SbWriter::SbWriter() : impl_(std::make_unique<Impl>()) {}
SbWriter::~SbWriter() = default;

void SbWriter::set_threads(unsigned n) { impl_->threads = std::max(1u, n); }

void SbWriter::reset() {
  impl_->synced = false;
  impl_->dp_index_stale = true;
  impl_->group_index_stale = true;
  impl_->flow_row.clear();
  impl_->pending_flow_rows.clear();
  impl_->flow_fps_complete = false;
  impl_->changed_flows.clear();
}

void SbWriter::committed(const ovsdb::client::TxnReport& report) {
  auto& i = *impl_;
  if (report.ok()) {
    for (const auto& [id, provisional] : i.pending_flow_rows) {
      auto it = i.flow_row.find(id);
      if (it != i.flow_row.end() && it->second == provisional) {
        it->second = report.real_uuid(provisional);
      }
    }
  } else {
    // Nothing of it happened: what we thought we inserted is not there.
    for (const auto& [id, provisional] : i.pending_flow_rows) {
      auto it = i.flow_row.find(id);
      if (it != i.flow_row.end() && it->second == provisional) i.flow_row.erase(it);
    }
  }
  i.pending_flow_rows.clear();
}

void SbWriter::note_tracked(const Replica& sb) {
  if (!idl::DatapathBinding::tracked(sb).empty()) impl_->dp_index_stale = true;
  if (!idl::LogicalDPGroup::tracked(sb).empty()) impl_->group_index_stale = true;
  if (impl_->flow_fps_complete) {
    for (const idl::LogicalFlow* row : idl::LogicalFlow::tracked(sb)) {
      impl_->changed_flows.push_back(row->uuid());
    }
    // Many incremental writes and no full compare: fingerprinting everything again is cheaper.
    if (impl_->changed_flows.size() > sb.size(idl::LogicalFlow::kTableId)) {
      impl_->flow_fps_complete = false;
      impl_->changed_flows.clear();
    }
  }
}

SbWriteStats SbWriter::write(const DesiredSb& d, const SbChanges& c, int64_t nb_cfg,
                             const Replica& sb, Transaction& txn) {
  auto& i = *impl_;
  i.sb = &sb;
  i.txn = &txn;
  i.stats = {};
  i.new_pbs.clear();
  i.pb_match.reset();
  i.pending_flow_rows.clear();
  SbChanges all;
  all.all = true;
  const SbChanges& ch = (c.all || !i.synced) ? all : c;
  // Where a full compare's time goes, in the debug log (CPU time: the machine may be busy).
  std::string phases;
  double last = thread_cpu_ms();
  auto phase = [&](const char* name) {
    if (!ch.all) return;
    double now = thread_cpu_ms();
    phases += fmt::format(" {} {:.0f}", name, now - last);
    last = now;
  };
  if (i.dp_index_stale) i.index_datapaths();
  if (i.group_index_stale) i.index_groups();
  phase("indexes");
  i.sync_rbac();
  i.sync_global(d, nb_cfg);
  i.sync_datapaths(d, ch);
  i.sync_ha_chassis_groups(d);
  phase("datapaths");
  // From here on the datapath and group indexes stay as they are until the flows are written:
  // the flows' first step can run beside the other tables' compare.
  const bool flows_full = ch.all || c.lflows_rebuilt;
  FlowMatch flow_match;
  std::jthread flow_thread;
  if (flows_full && i.threads > 1) {
    flow_thread = std::jthread([&] { flow_match = i.match_known_flows(d); });
  }
  i.sync_port_bindings(d, ch);
  phase("port_bindings");
  i.sync_multicast_groups(d, ch);
  phase("multicast_groups");
  i.sync_address_sets(d, ch);
  i.sync_port_groups(d, ch);
  phase("address_sets+port_groups");
  i.sync_ip_multicast(d, ch);
  if (ch.all || ch.dns) i.sync_dns(d);
  if (ch.all) i.sync_dhcp(d);
  phase("other");
  if (flows_full) {
    if (flow_thread.joinable()) {
      const auto w0 = std::chrono::steady_clock::now();
      flow_thread.join();
      phases += fmt::format(" (waited {:.0f} wall ms for the flows' first step)",
                            std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - w0).count());
    } else {
      flow_match = i.match_known_flows(d);
    }
    if (ch.all) {
      phases += fmt::format(" logical_flows_first_step {:.0f} ({} of {} rows not found by "
                            "fingerprint)",
                            flow_match.cpu_ms, flow_match.misses.size(), d.lflows.size());
    }
    last = thread_cpu_ms();
    i.sync_flows_full(d, std::move(flow_match));
  } else {
    i.sync_flows(d, c.lflows);
  }
  phase("logical_flows_rest");
  i.pb_match.reset();
  if (ch.all) LOG_DBG("full SB compare, CPU ms:{}", phases);
  i.synced = true;
  return i.stats;
}

// ---- Indexes.

void SbWriter::Impl::index_datapaths() {
  dp_index_stale = false;
  dp_by_nb.clear();
  for (const idl::DatapathBinding* row : idl::DatapathBinding::rows(*sb)) {
    auto ext = row->external_ids();
    auto nb = ext.get("logical-switch");
    if (!nb) nb = ext.get("logical-router");
    if (!nb) continue;
    if (auto u = Uuid::parse(*nb)) dp_by_nb[*u] = row;
  }
}

void SbWriter::Impl::index_groups() {
  group_index_stale = false;
  groups.clear();
  for (const idl::LogicalDPGroup* g : idl::LogicalDPGroup::rows(*sb)) {
    std::vector<Uuid> dps(g->datapaths().uuids().begin(), g->datapaths().uuids().end());
    std::sort(dps.begin(), dps.end());
    groups.emplace(std::move(dps), g);
  }
}

const idl::PortBinding* SbWriter::Impl::port_binding(const std::string& name) {
  auto it = new_pbs.find(name);
  if (it != new_pbs.end()) return it->second;
  if (pb_match) return pb_match->claimed(name);
  const idl::PortBinding* row = idl::PortBinding::find_by_logical_port(*sb, name);
  return row ? row->in(*txn) : nullptr;
}

// ---- Datapath_Binding.

void SbWriter::Impl::sync_datapaths(const DesiredSb& d, const SbChanges& c) {
  auto write_one = [&](const sb::DatapathBinding& want) {
    const idl::DatapathBinding* row = datapath(want.nb_uuid);
    if (!row) {
      auto w = idl::DatapathBinding::insert(*txn);
      w.set_tunnel_key(want.tunnel_key);
      w.set_external_ids(want.external_ids);
      dp_by_nb[want.nb_uuid] = w.row();
      dp_index_stale = true;
      ++stats.inserted;
      return;
    }
    bool changed = false;
    auto w = idl::DatapathBinding::edit(*txn, row);
    if (row->tunnel_key() != want.tunnel_key) {
      w.set_tunnel_key(want.tunnel_key);
      changed = true;
    }
    if (!same_map(row->external_ids(), want.external_ids)) {
      w.set_external_ids(want.external_ids);
      changed = true;
    }
    if (changed) ++stats.updated;
  };
  if (c.all) {
    std::vector<const idl::DatapathBinding*> gone;
    for (const idl::DatapathBinding* row : idl::DatapathBinding::rows(*sb)) {
      auto ext = row->external_ids();
      auto nb = ext.get("logical-switch");
      if (!nb) nb = ext.get("logical-router");
      auto u = nb ? Uuid::parse(*nb) : std::nullopt;
      if (!u || !d.datapaths.count(*u)) gone.push_back(row);
    }
    for (const auto* row : gone) delete_datapath(row);
    for (const auto& [u, want] : d.datapaths) write_one(want);
    return;
  }
  for (const Uuid& u : c.datapaths) {
    auto it = d.datapaths.find(u);
    if (it != d.datapaths.end()) {
      write_one(it->second);
    } else if (const auto* row = datapath(u)) {
      delete_datapath(row);
    }
  }
}

void SbWriter::Impl::delete_datapath(const idl::DatapathBinding* row) {
  // Rows ovn-controller created for it would keep it alive (strong references).
  for (const idl::MACBinding* mb : idl::MACBinding::rows(*sb)) {
    if (mb->datapath() == row) idl::MACBinding::edit(*txn, mb).remove();
  }
  for (const idl::StaticMACBinding* mb : idl::StaticMACBinding::rows(*sb)) {
    if (mb->datapath() == row) idl::StaticMACBinding::edit(*txn, mb).remove();
  }
  // Its IP_Multicast row refers to it weakly but may not lose the reference (min 1).
  if (const auto* mc = idl::IPMulticast::find_by_datapath(*sb, row)) {
    idl::IPMulticast::edit(*txn, mc).remove();
  }
  for (auto it = dp_by_nb.begin(); it != dp_by_nb.end();) {
    it = it->second == row ? dp_by_nb.erase(it) : std::next(it);
  }
  dp_index_stale = true;
  idl::DatapathBinding::edit(*txn, row).remove();
  ++stats.deleted;
}

// ---- HA_Chassis_Group.

void SbWriter::Impl::sync_ha_chassis_groups(const DesiredSb& d) {
  std::map<std::string, const idl::HAChassisGroup*> have;
  for (const idl::HAChassisGroup* g : idl::HAChassisGroup::rows(*sb)) have[g->name()] = g;
  for (const auto& [name, want] : d.ha_chassis_groups) {
    // What the group's members look like now, as (chassis name, priority).
    std::vector<std::pair<std::string, int64_t>> want_members, have_members;
    for (const auto& h : want.ha_chassis) want_members.emplace_back(h.chassis_name, h.priority);
    auto it = have.find(name);
    if (it != have.end()) {
      for (const idl::HAChassis* h : it->second->ha_chassis()) {
        std::string who(h->external_ids().get_or("chassis-name", ""));
        if (h->chassis()) who = h->chassis()->name();
        have_members.emplace_back(who, h->priority());
      }
      std::sort(have_members.begin(), have_members.end());
      std::sort(want_members.begin(), want_members.end());
      if (have_members == want_members && it->second->external_ids().to_map() == want.external_ids) {
        have.erase(it);
        continue;
      }
    }
    std::vector<const idl::HAChassis*> members;
    for (const auto& h : want.ha_chassis) {
      auto w = idl::HAChassis::insert(*txn);
      w.set_priority(h.priority);
      w.set_external_ids({{"chassis-name", h.chassis_name}});
      if (const auto* ch = idl::Chassis::find_by_name(*sb, h.chassis_name)) w.set_chassis(ch);
      members.push_back(w.row());
    }
    if (it != have.end()) {
      auto w = idl::HAChassisGroup::edit(*txn, it->second);
      w.set_ha_chassis(members);
      w.set_external_ids(want.external_ids);
      have.erase(it);
      ++stats.updated;
    } else {
      auto w = idl::HAChassisGroup::insert(*txn);
      w.set_name(name);
      w.set_ha_chassis(members);
      w.set_external_ids(want.external_ids);
      ++stats.inserted;
    }
  }
  // Groups no port uses any more.
  for (const auto& [name, g] : have) {
    bool used = false;
    for (const auto& [pn, pb] : d.port_bindings) {
      if (pb.ha_chassis_group && *pb.ha_chassis_group == name) used = true;
    }
    if (!used) {
      idl::HAChassisGroup::edit(*txn, g).remove();
      ++stats.deleted;
    }
  }
}

// ---- Port_Binding.

void SbWriter::Impl::write_port_binding(const sb::PortBinding& want, const idl::PortBinding* row) {
  const idl::DatapathBinding* dp = datapath(want.datapath);
  if (!dp) return;
  const idl::HAChassisGroup* ha = nullptr;
  if (want.ha_chassis_group) {
    ha = idl::HAChassisGroup::find_by_name(*sb, *want.ha_chassis_group);
    if (!ha) {
      for (const auto* g : idl::HAChassisGroup::rows(*txn)) {
        if (g->name() == *want.ha_chassis_group) ha = g;
      }
    }
  }
  const idl::Chassis* requested = nullptr;
  if (want.requested_chassis) requested = idl::Chassis::find_by_name(*sb, *want.requested_chassis);
  // Options ovn-controller adds stay.
  auto options = [&] {
    std::map<std::string, std::string> out = want.options;
    if (row) {
      for (const char* kept : {"ipv6_ra_pd_list", "additional-chassis-activated"}) {
        if (auto v = row->options().get(kept)) out[kept] = std::string(*v);
      }
    }
    return out;
  };
  if (!row) {
    auto w = idl::PortBinding::insert(*txn);
    w.set_logical_port(want.logical_port);
    w.set_datapath(dp);
    w.set_type(want.type);
    w.set_tunnel_key(want.tunnel_key);
    w.set_mac(want.mac);
    w.set_port_security(want.port_security);
    w.set_options(options());
    w.set_external_ids(want.external_ids);
    if (want.parent_port) w.set_parent_port(*want.parent_port);
    if (want.tag) w.set_tag(*want.tag);
    w.set_nat_addresses(want.nat_addresses);
    if (ha) w.set_ha_chassis_group(ha);
    if (requested) w.set_requested_chassis(requested);
    new_pbs[want.logical_port] = w.row();
    ++stats.inserted;
    return;
  }
  auto w = idl::PortBinding::edit(*txn, row);
  bool changed = false;
  auto set = [&](bool differs, auto&& fn) {
    if (differs) {
      fn();
      changed = true;
    }
  };
  set(row->datapath() != dp, [&] { w.set_datapath(dp); });
  set(row->type() != want.type, [&] { w.set_type(want.type); });
  set(row->tunnel_key() != want.tunnel_key, [&] { w.set_tunnel_key(want.tunnel_key); });
  set(!same_strings(row->mac(), want.mac), [&] { w.set_mac(want.mac); });
  set(!same_strings(row->port_security(), want.port_security),
      [&] { w.set_port_security(want.port_security); });
  set(!same_options(row->options(), want.options), [&] { w.set_options(options()); });
  set(!same_map(row->external_ids(), want.external_ids),
      [&] { w.set_external_ids(want.external_ids); });
  std::optional<std::string_view> parent = row->parent_port();
  std::optional<std::string_view> want_parent;
  if (want.parent_port) want_parent = *want.parent_port;
  set(parent != want_parent, [&] {
    w.set_parent_port(want.parent_port ? std::optional<std::string_view>(*want.parent_port)
                                       : std::nullopt);
  });
  set(row->tag() != want.tag, [&] { w.set_tag(want.tag); });
  set(!same_strings(row->nat_addresses(), want.nat_addresses),
      [&] { w.set_nat_addresses(want.nat_addresses); });
  set(row->ha_chassis_group() != ha, [&] { w.set_ha_chassis_group(ha); });
  set(row->requested_chassis() != requested, [&] { w.set_requested_chassis(requested); });
  if (changed) ++stats.updated;
}

void SbWriter::Impl::sync_port_bindings(const DesiredSb& d, const SbChanges& c) {
  if (c.all) {
    pb_match = std::make_unique<PbMatch>(idl::PortBinding::rows(*sb),
                                         [](const idl::PortBinding* r) -> std::string_view {
                                           return r->logical_port();
                                         });
    std::vector<std::pair<const sb::PortBinding*, const idl::PortBinding*>> pairs;
    pairs.reserve(d.port_bindings.size());
    for (const auto& [name, want] : d.port_bindings) {
      pairs.emplace_back(&want, pb_match->claim(name));
    }
    pb_match->for_each_unclaimed([&](const idl::PortBinding* row) {
      idl::PortBinding::edit(*txn, row).remove();
      ++stats.deleted;
    });
    for (const auto& [want, row] : pairs) write_port_binding(*want, row);
    return;
  }
  for (const std::string& name : c.port_bindings) {
    const idl::PortBinding* row = idl::PortBinding::find_by_logical_port(*sb, name);
    auto it = d.port_bindings.find(name);
    if (it != d.port_bindings.end()) {
      write_port_binding(it->second, row);
    } else if (row) {
      idl::PortBinding::edit(*txn, row).remove();
      ++stats.deleted;
    }
  }
}

// ---- Multicast_Group.

void SbWriter::Impl::sync_multicast_groups(const DesiredSb& d, const SbChanges& c) {
  std::vector<Uuid> now_ports;
  auto write_one = [&](const sb::MulticastGroup& want, const idl::MulticastGroup* row) {
    const idl::DatapathBinding* dp = datapath(want.datapath);
    if (!dp) return;
    std::vector<const idl::PortBinding*> ports;
    for (const std::string& p : want.ports) {
      if (const auto* pb = port_binding(p)) ports.push_back(pb);
    }
    if (!row) {
      auto w = idl::MulticastGroup::insert(*txn);
      w.set_datapath(dp);
      w.set_name(want.name);
      w.set_tunnel_key(want.tunnel_key);
      w.set_ports(ports);
      ++stats.inserted;
      return;
    }
    // The row's set is sorted; compare with the wanted one sorted alike.
    now_ports.clear();
    for (const auto* p : ports) now_ports.push_back(p->uuid());
    std::sort(now_ports.begin(), now_ports.end());
    now_ports.erase(std::unique(now_ports.begin(), now_ports.end()), now_ports.end());
    auto have = row->ports().uuids();
    bool changed = false;
    auto w = idl::MulticastGroup::edit(*txn, row);
    if (have.size() != now_ports.size() ||
        !std::equal(now_ports.begin(), now_ports.end(), have.begin())) {
      w.set_ports(ports);
      changed = true;
    }
    if (row->tunnel_key() != want.tunnel_key) {
      w.set_tunnel_key(want.tunnel_key);
      changed = true;
    }
    if (changed) ++stats.updated;
  };
  auto find = [&](const Uuid& dp_nb, const std::string& name) -> const idl::MulticastGroup* {
    const idl::DatapathBinding* dp = datapath(dp_nb);
    if (!dp || txn->is_inserted(dp)) return nullptr;
    return idl::MulticastGroup::find_by_datapath_name(*sb, dp, name);
  };
  if (c.all) {
    using Key = std::pair<const idl::DatapathBinding*, std::string_view>;
    RowMatch<idl::MulticastGroup, Key, DpNameHash> match(
        idl::MulticastGroup::rows(*sb),
        [](const idl::MulticastGroup* r) { return Key(r->datapath(), r->name()); });
    std::vector<std::pair<const sb::MulticastGroup*, const idl::MulticastGroup*>> pairs;
    pairs.reserve(d.multicast_groups.size());
    for (const auto& [key, want] : d.multicast_groups) {
      // A datapath the transaction inserts has no groups yet (and its key matches none).
      const idl::DatapathBinding* dp = datapath(key.first);
      pairs.emplace_back(&want, dp ? match.claim(Key(dp, key.second)) : nullptr);
    }
    match.for_each_unclaimed([&](const idl::MulticastGroup* row) {
      idl::MulticastGroup::edit(*txn, row).remove();
      ++stats.deleted;
    });
    for (const auto& [want, row] : pairs) write_one(*want, row);
    return;
  }
  for (const auto& key : c.multicast_groups) {
    const idl::MulticastGroup* row = find(key.first, key.second);
    auto it = d.multicast_groups.find(key);
    if (it != d.multicast_groups.end()) {
      write_one(it->second, row);
    } else if (row) {
      idl::MulticastGroup::edit(*txn, row).remove();
      ++stats.deleted;
    }
  }
}

// ---- Address_Set, Port_Group.

void SbWriter::Impl::sync_address_sets(const DesiredSb& d, const SbChanges& c) {
  // WANT null: the row goes.
  auto write_one = [&](const std::string& name, const sb::AddressSet* want, const idl::AddressSet* row) {
    if (!want) {
      if (row) {
        idl::AddressSet::edit(*txn, row).remove();
        ++stats.deleted;
      }
      return;
    }
    if (!row) {
      auto w = idl::AddressSet::insert(*txn);
      w.set_name(name);
      w.set_addresses(want->addresses);
      ++stats.inserted;
    } else if (!same_strings(row->addresses(), want->addresses) &&
               sorted(strings(row->addresses())) != want->addresses) {
      idl::AddressSet::edit(*txn, row).set_addresses(want->addresses);
      ++stats.updated;
    }
  };
  if (c.all) {
    RowMatch<idl::AddressSet, std::string_view> match(
        idl::AddressSet::rows(*sb),
        [](const idl::AddressSet* r) -> std::string_view { return r->name(); });
    std::vector<const idl::AddressSet*> rows;
    rows.reserve(d.address_sets.size());
    for (const auto& [name, as] : d.address_sets) rows.push_back(match.claim(name));
    match.for_each_unclaimed([&](const idl::AddressSet* row) {
      idl::AddressSet::edit(*txn, row).remove();
      ++stats.deleted;
    });
    size_t i = 0;
    for (const auto& [name, as] : d.address_sets) write_one(name, &as, rows[i++]);
    return;
  }
  for (const std::string& name : c.address_sets) {
    auto it = d.address_sets.find(name);
    write_one(name, it == d.address_sets.end() ? nullptr : &it->second, idl::AddressSet::find_by_name(*sb, name));
  }
}

void SbWriter::Impl::sync_port_groups(const DesiredSb& d, const SbChanges& c) {
  // WANT null: the row goes.
  auto write_one = [&](const std::string& name, const sb::PortGroup* want, const idl::PortGroup* row) {
    if (!want) {
      if (row) {
        idl::PortGroup::edit(*txn, row).remove();
        ++stats.deleted;
      }
      return;
    }
    if (!row) {
      auto w = idl::PortGroup::insert(*txn);
      w.set_name(name);
      w.set_ports(want->ports);
      ++stats.inserted;
    } else if (!same_strings(row->ports(), want->ports) &&
               sorted(strings(row->ports())) != want->ports) {
      idl::PortGroup::edit(*txn, row).set_ports(want->ports);
      ++stats.updated;
    }
  };
  if (c.all) {
    RowMatch<idl::PortGroup, std::string_view> match(
        idl::PortGroup::rows(*sb),
        [](const idl::PortGroup* r) -> std::string_view { return r->name(); });
    std::vector<const idl::PortGroup*> rows;
    rows.reserve(d.port_groups.size());
    for (const auto& [name, pg] : d.port_groups) rows.push_back(match.claim(name));
    match.for_each_unclaimed([&](const idl::PortGroup* row) {
      idl::PortGroup::edit(*txn, row).remove();
      ++stats.deleted;
    });
    size_t i = 0;
    for (const auto& [name, pg] : d.port_groups) write_one(name, &pg, rows[i++]);
    return;
  }
  for (const std::string& name : c.port_groups) {
    auto it = d.port_groups.find(name);
    write_one(name, it == d.port_groups.end() ? nullptr : &it->second, idl::PortGroup::find_by_name(*sb, name));
  }
}

// ---- DNS, IP_Multicast, DHCP catalogues.

void SbWriter::Impl::sync_dns(const DesiredSb& d) {
  std::map<Uuid, const idl::DNS*> have;
  for (const idl::DNS* row : idl::DNS::rows(*sb)) {
    auto id = row->external_ids().get("dns_id");
    auto u = id ? Uuid::parse(*id) : std::nullopt;
    if (!u || !d.dns.count(*u) || have.count(*u)) {
      idl::DNS::edit(*txn, row).remove();
      ++stats.deleted;
      continue;
    }
    have[*u] = row;
  }
  for (const auto& [u, want] : d.dns) {
    std::vector<const idl::DatapathBinding*> dps;
    for (const Uuid& dp : want.datapaths) {
      if (const auto* r = datapath(dp)) dps.push_back(r);
    }
    auto it = have.find(u);
    if (it == have.end()) {
      auto w = idl::DNS::insert(*txn);
      w.set_datapaths(dps);
      w.set_records(want.records);
      w.set_external_ids(want.external_ids);
      ++stats.inserted;
      continue;
    }
    const idl::DNS* row = it->second;
    std::vector<Uuid> have_dps(row->datapaths().uuids().begin(), row->datapaths().uuids().end());
    std::vector<Uuid> want_dps;
    for (const auto* r : dps) want_dps.push_back(r->uuid());
    std::sort(have_dps.begin(), have_dps.end());
    std::sort(want_dps.begin(), want_dps.end());
    if (have_dps != want_dps || row->records().to_map() != want.records ||
        row->external_ids().to_map() != want.external_ids) {
      auto w = idl::DNS::edit(*txn, row);
      w.set_datapaths(dps);
      w.set_records(want.records);
      w.set_external_ids(want.external_ids);
      ++stats.updated;
    }
  }
}

void SbWriter::Impl::sync_ip_multicast(const DesiredSb& d, const SbChanges& c) {
  auto write_one = [&](const Uuid& u) {
    const idl::DatapathBinding* dp = datapath(u);
    auto it = d.ip_multicast.find(u);
    if (!dp || it == d.ip_multicast.end()) return;  // gone with its datapath (weak reference)
    const sb::IpMulticast& want = it->second;
    const idl::IPMulticast* row =
        txn->is_inserted(dp) ? nullptr : idl::IPMulticast::find_by_datapath(*sb, dp);
    bool same = row && row->enabled() == want.enabled && row->querier() == want.querier &&
                row->table_size() == want.table_size &&
                row->idle_timeout() == want.idle_timeout &&
                row->query_interval() == want.query_interval &&
                row->query_max_resp() == want.query_max_resp && row->eth_src() == want.eth_src &&
                row->ip4_src() == want.ip4_src && row->ip6_src() == want.ip6_src;
    if (same) return;
    auto w = row ? idl::IPMulticast::edit(*txn, row) : idl::IPMulticast::insert(*txn);
    if (!row) {
      w.set_datapath(dp);
      ++stats.inserted;
    } else {
      ++stats.updated;
    }
    w.set_enabled(want.enabled);
    w.set_querier(want.querier);
    w.set_table_size(want.table_size);
    w.set_idle_timeout(want.idle_timeout);
    w.set_query_interval(want.query_interval);
    w.set_query_max_resp(want.query_max_resp);
    w.set_eth_src(want.eth_src);
    w.set_ip4_src(want.ip4_src);
    w.set_ip6_src(want.ip6_src);
  };
  if (c.all) {
    for (const auto& [u, m] : d.ip_multicast) write_one(u);
    return;
  }
  for (const Uuid& u : c.ip_multicast) write_one(u);
}

void SbWriter::Impl::sync_dhcp(const DesiredSb& d) {
  auto sync = [&](auto tag, const std::vector<sb::DhcpOptionCode>& want) {
    using Row = typename decltype(tag)::type;
    std::map<std::string, const Row*> have;
    for (const Row* row : Row::rows(*sb)) {
      if (have.count(row->name())) {
        Row::edit(*txn, row).remove();
        continue;
      }
      have[row->name()] = row;
    }
    for (const auto& o : want) {
      auto it = have.find(o.name);
      if (it == have.end()) {
        auto w = Row::insert(*txn);
        w.set_name(o.name);
        w.set_code(o.code);
        w.set_type(o.type);
        ++stats.inserted;
        continue;
      }
      if (it->second->code() != o.code || it->second->type() != o.type) {
        auto w = Row::edit(*txn, it->second);
        w.set_code(o.code);
        w.set_type(o.type);
        ++stats.updated;
      }
      have.erase(it);
    }
    for (const auto& [name, row] : have) {
      Row::edit(*txn, row).remove();
      ++stats.deleted;
    }
  };
  sync(std::type_identity<idl::DHCPOptions>{}, d.dhcp_options);
  sync(std::type_identity<idl::DHCPv6Options>{}, d.dhcpv6_options);
}

// ---- RBAC and SB_Global.

void SbWriter::Impl::sync_rbac() {
  const idl::RBACRole* role = nullptr;
  for (const idl::RBACRole* r : idl::RBACRole::rows(*sb)) {
    if (r->name() == "ovn-controller") role = r;
  }
  std::map<std::string, const idl::RBACPermission*> have;
  if (role) {
    for (const auto& [table, uuid] : role->permissions()) {
      if (const auto* p = idl::RBACPermission::get(*sb, uuid)) have[table] = p;
    }
  }
  bool ok = role && have.size() == rbac_permissions().size();
  for (const auto& want : rbac_permissions()) {
    auto it = have.find(want.table);
    if (!ok || it == have.end()) {
      ok = false;
      break;
    }
    const auto* p = it->second;
    std::vector<std::string> auth = want.auth[0] ? std::vector<std::string>{want.auth}
                                                 : std::vector<std::string>{""};
    if (strings(p->authorization()) != auth || p->insert_delete() != want.insert_delete ||
        sorted(strings(p->update())) != sorted(want.update)) {
      ok = false;
    }
  }
  if (ok) return;
  // Rebuild the role and its permissions from scratch.
  for (const idl::RBACPermission* p : idl::RBACPermission::rows(*sb)) {
    idl::RBACPermission::edit(*txn, p).remove();
  }
  std::map<std::string, Uuid> perms;
  for (const auto& want : rbac_permissions()) {
    auto w = idl::RBACPermission::insert(*txn);
    w.set_table(want.table);
    w.set_authorization({want.auth});
    w.set_insert_delete(want.insert_delete);
    w.set_update(want.update);
    perms[want.table] = w.uuid();
  }
  auto w = role ? idl::RBACRole::edit(*txn, role) : idl::RBACRole::insert(*txn);
  w.set_name("ovn-controller");
  w.set_permissions(perms);
  ++stats.updated;
}

void SbWriter::Impl::sync_global(const DesiredSb& d, int64_t nb_cfg) {
  const idl::SBGlobal* g = nullptr;
  for (const idl::SBGlobal* r : idl::SBGlobal::rows(*sb)) g = r;
  if (!g) {
    auto w = idl::SBGlobal::insert(*txn);
    w.set_options(d.sb_global_options);
    w.set_nb_cfg(nb_cfg);
    ++stats.inserted;
    return;
  }
  auto w = idl::SBGlobal::edit(*txn, g);
  if (g->options().to_map() != d.sb_global_options) w.set_options(d.sb_global_options);
  if (g->nb_cfg() != nb_cfg) w.set_nb_cfg(nb_cfg);
}

// ---- Logical_Flow.

bool SbWriter::Impl::flow_datapaths(const sb::LogicalFlow& want,
                                    const idl::DatapathBinding** dp,
                                    const idl::LogicalDPGroup** group) {
  *dp = nullptr;
  *group = nullptr;
  std::vector<const idl::DatapathBinding*> rows;
  for (const Uuid& u : want.datapaths) {
    const auto* r = datapath(u);
    if (!r) return false;
    rows.push_back(r);
  }
  if (rows.size() == 1) {
    *dp = rows[0];
    return true;
  }
  std::vector<Uuid> key;
  for (const auto* r : rows) key.push_back(r->uuid());
  std::sort(key.begin(), key.end());
  auto it = groups.find(key);
  if (it == groups.end()) {
    auto w = idl::LogicalDPGroup::insert(*txn);
    w.set_datapaths(rows);
    it = groups.emplace(key, w.row()).first;
    group_index_stale = true;
    last_group_valid = false;
    ++stats.inserted;
  }
  *group = it->second;
  return true;
}

void SbWriter::Impl::write_flow(const sb::LogicalFlow& want, const idl::LogicalFlow* row,
                                uint64_t id) {
  const idl::DatapathBinding* dp = nullptr;
  const idl::LogicalDPGroup* group = nullptr;
  if (!flow_datapaths(want, &dp, &group)) return;
  std::map<std::string, std::string> ext = want.external_ids();
  std::map<std::string, std::string> tags = want.tags();
  if (!row) {
    auto w = idl::LogicalFlow::insert(*txn);
    w.set_pipeline(sb::pipeline_name(want.pipeline));
    w.set_table_id(want.table_id);
    w.set_priority(want.priority);
    w.set_match(want.match);
    w.set_actions(want.actions);
    if (want.controller_meter) w.set_controller_meter(*want.controller_meter);
    if (dp) w.set_logical_datapath(dp);
    if (group) w.set_logical_dp_group(group);
    w.set_external_ids(ext);
    if (!tags.empty()) w.set_tags(tags);
    flow_row[id] = w.uuid();
    pending_flow_rows.emplace_back(id, w.uuid());
    ++stats.inserted;
    return;
  }
  flow_row[id] = row->uuid();
  bool changed = false;
  auto w = idl::LogicalFlow::edit(*txn, row);
  if (row->logical_datapath() != dp) {
    w.set_logical_datapath(dp);
    changed = true;
  }
  if (row->logical_dp_group() != group) {
    w.set_logical_dp_group(group);
    changed = true;
  }
  if (row->external_ids().to_map() != ext) {
    w.set_external_ids(ext);
    changed = true;
  }
  if (row->tags().to_map() != tags) {
    w.set_tags(tags);
    changed = true;
  }
  if (changed) ++stats.updated;
}

bool SbWriter::Impl::find_flow_datapaths(const LflowTable::Row& want,
                                         const idl::DatapathBinding** dp,
                                         const idl::LogicalDPGroup** group) {
  *dp = nullptr;
  *group = nullptr;
  if (want.contribs.size() == 1 || want.contribs.front().datapath == want.contribs.back().datapath) {
    *dp = datapath(want.contribs.front().datapath);
    return *dp != nullptr;
  }
  // Rows shared by many datapaths mostly share the same set (every switch, every router):
  // the last set's resolution is reused, without looking up and sorting hundreds of UUIDs.
  scratch_nb.clear();
  for (const LflowTable::Contribution& c : want.contribs) {  // sorted by datapath
    if (scratch_nb.empty() || scratch_nb.back() != c.datapath) scratch_nb.push_back(c.datapath);
  }
  if (last_group_valid && scratch_nb == last_group_nb) {
    *group = last_group;
    return last_group_resolvable;
  }
  last_group_nb = scratch_nb;
  last_group_valid = true;
  last_group = nullptr;
  last_group_resolvable = false;
  scratch_key.clear();
  for (const Uuid& u : scratch_nb) {
    const auto* r = datapath(u);
    if (!r) return false;
    scratch_key.push_back(r->uuid());
  }
  std::sort(scratch_key.begin(), scratch_key.end());
  if (auto it = groups.find(scratch_key); it != groups.end()) *group = it->second;
  last_group = *group;
  last_group_resolvable = true;
  return true;
}

void SbWriter::Impl::refresh_flow_fingerprints() {
  if (!flow_fps_complete) {
    known_flows.clear();
    known_flows.reserve(sb->size(idl::LogicalFlow::kTableId));
    for (const idl::LogicalFlow* row : idl::LogicalFlow::rows(*sb)) {
      known_flows.add(row->uuid(), sb_flow_fingerprint(*row));
    }
    flow_fps_complete = true;
  } else {
    for (const Uuid& u : changed_flows) {
      known_flows.remove(u);
      if (const auto* row = idl::LogicalFlow::get(*sb, u)) {
        known_flows.add(u, sb_flow_fingerprint(*row));
      }
    }
  }
  changed_flows.clear();
  known_flows.build_lookup();
}

FlowMatch SbWriter::Impl::match_known_flows(const DesiredSb& d) {
  const double c0 = thread_cpu_ms();
  FlowMatch m;
  flow_row.clear();
  flow_row.reserve(d.lflows.size());
  refresh_flow_fingerprints();
  last_group_valid = false;
  m.pass = ++full_compares;
  const uint64_t pass = m.pass;
  std::vector<const LflowTable::Row*>& misses = m.misses;
  // The lookups are random over a table of several MB: each row's slot is prefetched when its
  // fingerprint is known and taken kLag rows later, so the misses overlap.
  constexpr size_t kLag = 16;
  struct Pending {
    const LflowTable::Row* row;
    uint64_t fp;
    bool resolved;  // its datapaths have SB rows: fp is valid
  };
  Pending ring[kLag];
  size_t n = 0;
  auto finish = [&](const Pending& p) {
    if (p.resolved) {
      if (const KnownFlows::Slot* s = known_flows.take(p.fp, pass)) {
        flow_row.emplace(p.row->id, s->uuid);
        return;
      }
    }
    misses.push_back(p.row);
  };
  d.lflows.for_each([&](const LflowTable::Row& r) {
    const idl::DatapathBinding* dp = nullptr;
    const idl::LogicalDPGroup* group = nullptr;
    Pending p{&r, 0, false};
    if (find_flow_datapaths(r, &dp, &group) && (dp || group)) {
      p.fp = sb_flow_fingerprint(r, dp ? dp->uuid() : Uuid(), group ? group->uuid() : Uuid());
      p.resolved = true;
      known_flows.prefetch(p.fp);
    }
    Pending& slot = ring[n++ % kLag];
    if (n > kLag) finish(slot);
    slot = p;
  });
  for (size_t k = n > kLag ? n - kLag : 0; k < n; ++k) finish(ring[k % kLag]);
  m.cpu_ms = thread_cpu_ms() - c0;
  return m;
}

void SbWriter::Impl::sync_flows_full(const DesiredSb& d, FlowMatch m) {
  const uint64_t pass = m.pass;
  const std::vector<const LflowTable::Row*>& misses = m.misses;
  // 2. The others: an SB row left over with the same content (datapaths or external_ids
  // differ) is updated, else a row is inserted.
  if (!misses.empty()) {
    struct SbFlow {
      size_t hash;
      const idl::LogicalFlow* row;
      KnownFlows::Slot* known;
    };
    std::vector<SbFlow> by_content;
    known_flows.for_each_untaken(pass, [&](KnownFlows::Slot& known) {
      if (const auto* row = idl::LogicalFlow::get(*sb, known.uuid)) {
        by_content.push_back({sb_flow_content_hash(*row), row, &known});
      }
    });
    std::sort(by_content.begin(), by_content.end(),
              [](const SbFlow& a, const SbFlow& b) { return a.hash < b.hash; });
    for (const LflowTable::Row* r : misses) {
      const idl::DatapathBinding* dp = nullptr;
      const idl::LogicalDPGroup* group = nullptr;
      const bool resolvable = find_flow_datapaths(*r, &dp, &group);
      const size_t h = sb_flow_content_hash(*r);
      SbFlow* match = nullptr;
      SbFlow* partial = nullptr;  // same content, other datapaths
      auto it = std::lower_bound(by_content.begin(), by_content.end(), h,
                                 [](const SbFlow& f, size_t v) { return f.hash < v; });
      for (; it != by_content.end() && it->hash == h; ++it) {
        if (it->known->used_in == pass || !sb_flow_same_content(*it->row, *r)) continue;
        if (resolvable && it->row->logical_datapath() == dp &&
            (dp || (group && it->row->logical_dp_group() == group))) {
          match = &*it;
          break;
        }
        if (!partial) partial = &*it;
      }
      SbFlow* found = match ? match : partial;
      if (found) found->known->used_in = pass;
      write_flow(r->to_sb(), found ? found->row : nullptr, r->id);
    }
  }
  // 3. SB rows no table row wants.
  known_flows.for_each_untaken(pass, [&](const KnownFlows::Slot& known) {
    if (const auto* row = idl::LogicalFlow::get(*sb, known.uuid)) {
      idl::LogicalFlow::edit(*txn, row).remove();
      ++stats.deleted;
    }
  });
}

void SbWriter::Impl::sync_flows(const DesiredSb& d, const std::vector<uint64_t>& ids) {
  for (uint64_t id : ids) {
    const LflowTable::Row* r = d.lflows.find(id);
    const idl::LogicalFlow* row = nullptr;
    if (auto it = flow_row.find(id); it != flow_row.end()) {
      row = idl::LogicalFlow::get(*sb, it->second);
    }
    if (!r) {
      if (row) {
        idl::LogicalFlow::edit(*txn, row).remove();
        ++stats.deleted;
      }
      flow_row.erase(id);
      continue;
    }
    write_flow(r->to_sb(), row, id);
  }
}

}  // namespace ovnx::northd
