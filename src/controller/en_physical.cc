#include "controller/en_physical.h"

#include <algorithm>

#include "ovsdb/client/sb.h"

namespace ovnx::controller {

using engine::Computed;
using engine::Handled;

namespace {

// "<datapath uuid>_dnat" / "_snat" -> the datapath uuid; nullopt for a port's zone name.
std::optional<Uuid> nat_zone_datapath(const std::string& name) {
  for (std::string_view suffix : {"_dnat", "_snat"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      if (auto u = Uuid::parse(std::string_view(name).substr(0, name.size() - suffix.size()))) {
        return *u;
      }
    }
  }
  return std::nullopt;
}

// The tunnel attributes the physical flows read are the same in A and B.
bool same_tunnels(const std::map<std::string, TunnelPort>& a,
                  const std::map<std::string, TunnelPort>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.first == y.first && x.second.chassis == y.second.chassis &&
           x.second.type == y.second.type && x.second.ofport == y.second.ofport;
  });
}

}  // namespace

PhysicalInputs EnPhysical::inputs() const {
  PhysicalInputs in;
  in.sb = input<EnSb>().indexes;
  in.local = &input<EnRuntime>().state;
  in.zones = &input<EnCtZones>();
  in.bridge = &input<EnOvs>().bridge;
  return in;
}

bool EnPhysical::incremental_ready() const {
  return built_complete_ && input<EnSb>().available() && input<EnRuntime>().complete;
}

void EnPhysical::clear_tracked() {
  mutable_data().rebuilt = 0;
  done_.clear();
}

// ---- Units.

void EnPhysical::forget_unit(const Uuid& owner) {
  auto it = unit_dp_.find(owner);
  if (it == unit_dp_.end()) return;
  auto d = dp_units_.find(it->second);
  if (d != dp_units_.end()) {
    d->second.erase(owner);
    if (d->second.empty()) dp_units_.erase(d);
  }
  unit_dp_.erase(it);
}

void EnPhysical::set_unit(const Uuid& owner, uint32_t dp_key, std::vector<openflow::Flow> flows) {
  forget_unit(owner);
  if (!flows.empty()) {
    unit_dp_.emplace(owner, dp_key);
    dp_units_[dp_key].insert(owner);
  }
  store_.set_owner_flows(owner, std::move(flows));
}

void EnPhysical::drop_datapath_units(uint32_t dp_key) {
  auto d = dp_units_.find(dp_key);
  if (d == dp_units_.end()) return;
  std::vector<Uuid> units(d->second.begin(), d->second.end());
  for (const Uuid& u : units) set_unit(u, dp_key, {});
}

// ---- Marking.

void EnPhysical::mark_port(const sb::PortBinding& pb) { marked_ports_.insert(pb.uuid()); }

void EnPhysical::mark_port_and_groups(const sb::PortBinding& pb) {
  mark_port(pb);
  const sb::DatapathBinding* dp = pb.datapath();
  if (!dp) return;
  for (const sb::MulticastGroup* mc : input<EnSb>().indexes->mcgroups_of(*dp)) {
    if (mc->ports().contains(pb.uuid())) marked_groups_.insert(mc->uuid());
  }
}

void EnPhysical::mark_patch_peer(const sb::PortBinding& pb) {
  if (pb.type() != "patch") return;
  auto peer_name = pb.options().get("peer");
  if (!peer_name) return;
  const auto* peer = sb::PortBinding::find_by_logical_port(*input<EnSb>().replica, *peer_name);
  if (peer) mark_port(*peer);
}

void EnPhysical::mark_datapath(const sb::DatapathBinding& dp) {
  const SbIndexes& idx = *input<EnSb>().indexes;
  for (const sb::PortBinding* pb : idx.ports_of(dp)) {
    mark_port(*pb);
    mark_patch_peer(*pb);
  }
  for (const sb::MulticastGroup* mc : idx.mcgroups_of(dp)) marked_groups_.insert(mc->uuid());
}

bool EnPhysical::rebuild_marked() {
  const auto& replica = *input<EnSb>().replica;
  PhysicalInputs in = inputs();
  bool any = false;
  auto rebuild = [&](const Uuid& u, auto* row, auto build) {
    if (!done_.insert(u).second) return;
    ++mutable_data().rebuilt;
    uint32_t dp_key = 0;
    std::vector<openflow::Flow> flows;
    if (row) {
      flows = build(in, *row);
      if (!flows.empty()) dp_key = static_cast<uint32_t>(row->datapath()->tunnel_key());
    }
    bool had = unit_dp_.count(u) != 0;
    if (!had && flows.empty()) return;
    set_unit(u, dp_key, std::move(flows));
    any = true;
  };
  for (const Uuid& u : marked_ports_) {
    rebuild(u, sb::PortBinding::get(replica, u), build_port_flows);
  }
  for (const Uuid& u : marked_groups_) {
    rebuild(u, sb::MulticastGroup::get(replica, u), build_multicast_flows);
  }
  marked_ports_.clear();
  marked_groups_.clear();
  mutable_data().units = unit_dp_.size();
  return any;
}

// ---- Change handlers.

namespace {

// Whether the modification of PB can change its flows or those of its groups and patch peer:
// they read only these columns, and a port bound here ignores its chassis (an `up` or a claim
// echoed back by the Southbound rebuilds nothing).
bool changes_physical_flows(const sb::PortBinding& pb, const LocalState& local) {
  using C = sb::PortBinding::Col;
  for (auto col : {C::datapath, C::tunnel_key, C::logical_port, C::type, C::options,
                   C::port_security}) {
    if (pb.column_changed(col)) return true;
  }
  if (!pb.column_changed(C::chassis)) return false;
  const LocalBinding* b = local.binding(pb.logical_port());
  return !b || b->pb != pb.uuid();
}

}  // namespace

Handled EnPhysical::on_runtime(const RuntimeData& rt) {
  if (!incremental_ready() || rt.chassis_changed) return Handled::no;
  const auto& replica = *input<EnSb>().replica;
  for (uint32_t key : rt.removed_dps) {
    drop_datapath_units(key);
    // Patch ports of still-local datapaths that led here lose their flows.
    if (const auto* dp = sb::DatapathBinding::find_by_tunnel_key(replica, key)) {
      for (const sb::PortBinding* pb : input<EnSb>().indexes->ports_of(*dp)) mark_patch_peer(*pb);
    } else {
      return Handled::no;
    }
  }
  for (uint32_t key : rt.added_dps) {
    const auto* dp = sb::DatapathBinding::find_by_tunnel_key(replica, key);
    if (!dp) return Handled::no;
    mark_datapath(*dp);
  }
  for (const std::string& lport : rt.changed_bindings) {
    if (const auto* pb = sb::PortBinding::find_by_logical_port(replica, lport)) {
      mark_port_and_groups(*pb);
    }
  }
  bool removed = !rt.removed_dps.empty();
  return rebuild_marked() || removed ? Handled::updated : Handled::unchanged;
}

Handled EnPhysical::on_ct_zones(const CtZones& zones) {
  if (!incremental_ready()) return Handled::no;
  const auto& replica = *input<EnSb>().replica;
  const LocalState& local = input<EnRuntime>().state;
  auto changed = [&](const std::string& name) {
    if (auto dp_uuid = nat_zone_datapath(name)) {
      const auto* dp = sb::DatapathBinding::get(replica, *dp_uuid);
      if (dp && local_datapath_of(local, dp)) mark_datapath(*dp);
      return;
    }
    if (const auto* pb = sb::PortBinding::find_by_logical_port(replica, name)) {
      mark_port_and_groups(*pb);
    }
  };
  for (const auto& [name, zone] : zones.zones) {
    if (zones_.get(name) != zone) changed(name);
  }
  for (const auto& [name, zone] : zones_.zones) {
    if (!zones.zones.count(name)) changed(name);
  }
  zones_ = zones;
  return rebuild_marked() ? Handled::updated : Handled::unchanged;
}

Handled EnPhysical::on_sb(const SbData& sb) {
  if (sb.reloaded || !incremental_ready()) return Handled::no;
  const auto& replica = *sb.replica;
  const LocalState& local = input<EnRuntime>().state;
  if (sb.table_changed(sb::Chassis::kTableId)) {
    for (const sb::Chassis* ch : sb::Chassis::tracked(replica)) {
      // Remote ports find their tunnel by chassis name.
      if (ch->is_deleted() || (ch->is_modified() && ch->column_changed(sb::Chassis::Col::name))) {
        return Handled::no;
      }
    }
  }
  if (sb.table_changed(sb::DatapathBinding::kTableId)) {
    for (const sb::DatapathBinding* dp : sb::DatapathBinding::tracked(replica)) {
      if (dp->is_inserted()) continue;  // becomes local through runtime_data, if at all
      for (const auto& [key, ldp] : local.datapaths) {
        if (ldp.uuid == dp->uuid()) return Handled::no;
      }
    }
  }
  if (sb.table_changed(sb::PortBinding::kTableId)) {
    for (const sb::PortBinding* pb : sb::PortBinding::tracked(replica)) {
      if (pb->is_modified() &&
          (pb->column_changed(sb::PortBinding::Col::type) ||
           (pb->type() == "patch" && pb->column_changed(sb::PortBinding::Col::options)))) {
        return Handled::no;  // the old peer is not at hand
      }
      if (pb->is_modified() && !changes_physical_flows(*pb, local)) continue;
      mark_port_and_groups(*pb);
      mark_patch_peer(*pb);
    }
  }
  if (sb.table_changed(sb::MulticastGroup::kTableId)) {
    for (const sb::MulticastGroup* mc : sb::MulticastGroup::tracked(replica)) {
      marked_groups_.insert(mc->uuid());
    }
  }
  return rebuild_marked() ? Handled::updated : Handled::unchanged;
}

Handled EnPhysical::on_ovs(const OvsData& ovs) {
  if (ovs.config_changed) return Handled::no;
  // Local interfaces reach us through runtime_data; only the tunnels are read here.
  if (ovs.bridge_changed && !same_tunnels(ovs.bridge.tunnels, tunnels_)) return Handled::no;
  return Handled::unchanged;
}

Computed EnPhysical::recompute() {
  const RuntimeData& rt = input<EnRuntime>();
  const SbData& sb = input<EnSb>();
  std::unordered_set<Uuid> stale;
  for (const auto& [u, key] : unit_dp_) stale.insert(u);
  marked_ports_.clear();
  marked_groups_.clear();
  done_.clear();
  store_.set_owner_flows(kPhysicalFlowsOwner, build_static_flows());
  built_complete_ = sb.available() && rt.complete;
  zones_ = input<EnCtZones>();
  tunnels_ = input<EnOvs>().bridge.tunnels;
  if (built_complete_) {
    PhysicalInputs in = inputs();
    store_.set_owner_flows(kPhysicalTunnelsOwner, build_tunnel_flows(*in.bridge));
    for (const auto& [dp_key, ldp] : rt.state.datapaths) {
      const auto* dp = sb::DatapathBinding::get(*sb.replica, ldp.uuid);
      if (!dp) continue;
      for (const sb::PortBinding* pb : sb.indexes->ports_of(*dp)) {
        std::vector<openflow::Flow> flows = build_port_flows(in, *pb);
        if (flows.empty()) continue;
        stale.erase(pb->uuid());
        set_unit(pb->uuid(), dp_key, std::move(flows));
      }
      for (const sb::MulticastGroup* mc : sb.indexes->mcgroups_of(*dp)) {
        std::vector<openflow::Flow> flows = build_multicast_flows(in, *mc);
        if (flows.empty()) continue;
        stale.erase(mc->uuid());
        set_unit(mc->uuid(), dp_key, std::move(flows));
      }
    }
  } else {
    store_.remove_owner(kPhysicalTunnelsOwner);
  }
  for (const Uuid& u : stale) set_unit(u, 0, {});
  mutable_data().units = unit_dp_.size();
  return Computed::updated;
}

}  // namespace ovnx::controller
