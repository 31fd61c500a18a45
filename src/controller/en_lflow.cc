#include "controller/en_lflow.h"

#include <cctype>
#include <map>

#include "controller/mac_binding.h"
#include "ovsdb/client/sb.h"

namespace ovnx::controller {

using engine::Computed;
using engine::Handled;

namespace {

// Priorities of MAC binding flows: learned 100; static ones above or below it.
constexpr uint16_t kDynamicMacPriority = 100;
constexpr uint16_t kStaticOverridePriority = 150;
constexpr uint16_t kStaticPriority = 50;

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// TEXT mentions NEEDLE as a whole word (so "$pg" does not match "$pg_ip4").
bool mentions(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  bool quoted = needle.back() == '"';
  for (size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    size_t end = pos + needle.size();
    if (quoted || end >= text.size() || !is_name_char(text[end])) return true;
  }
  return false;
}

// "<datapath key>_<name>" is that datapath's share of port group <name>: (key, name); a name
// without the prefix is (nullopt, name).
std::pair<std::optional<uint32_t>, std::string> split_scoped_group(const std::string& scoped) {
  size_t us = scoped.find('_');
  if (us != std::string::npos && us > 0 && us <= 9 &&
      scoped.find_first_not_of("0123456789") == us) {
    return {static_cast<uint32_t>(std::stoul(scoped.substr(0, us))), scoped.substr(us + 1)};
  }
  return {std::nullopt, scoped};
}

bool uses_resident(const sb::LogicalFlow& lf) {
  return lf.match().find("is_chassis_resident") != std::string::npos;
}

}  // namespace

LflowContext EnLflow::context() {
  LflowContext ctx;
  ctx.sb = input<EnSb>().indexes;
  ctx.local = &input<EnRuntime>().state;
  ctx.sets = &sets_;
  ctx.groups = &groups_;
  ctx.meters = &meters_;
  return ctx;
}

void EnLflow::translate(const sb::LogicalFlow& lf) {
  mutable_data().recompiled++;
  if (lf.is_deleted()) {
    translator_.remove(lf.uuid());
    resident_lflows_.erase(lf.uuid());
    return;
  }
  translator_.translate(lf, context());
  if (uses_resident(lf) && translator_.has(lf.uuid())) {
    resident_lflows_.insert(lf.uuid());
  } else {
    resident_lflows_.erase(lf.uuid());
  }
}

void EnLflow::translate_uuid(const Uuid& uuid) {
  if (const auto* lf = sb::LogicalFlow::get(*input<EnSb>().replica, uuid)) {
    translate(*lf);
  } else {
    translator_.remove(uuid);
    resident_lflows_.erase(uuid);
  }
}

std::vector<const sb::LogicalFlow*> EnLflow::flows_of(const sb::DatapathBinding& dp) const {
  const SbData& sb = input<EnSb>();
  std::vector<const sb::LogicalFlow*> out = sb.indexes->lflows_of(dp);
  for (const sb::LogicalDPGroup* g : sb::LogicalDPGroup::rows(*sb.replica)) {
    if (!g->datapaths().contains(dp.uuid())) continue;
    for (const sb::LogicalFlow* lf : sb.indexes->lflows_of_group(*g)) out.push_back(lf);
  }
  return out;
}

bool EnLflow::redo_tagged(const std::string& lport, std::unordered_set<Uuid>& done) {
  const SbData& sb = input<EnSb>();
  bool skip = port_is_elsewhere(lport, input<EnRuntime>().state, *sb.replica);
  bool any = false;
  for (const Uuid& u : translator_.lflows_tagged_to_redo(lport, skip)) {
    if (done.insert(u).second) {
      translate_uuid(u);
      any = true;
    }
  }
  return any;
}

bool EnLflow::retranslate_mentioning(const std::string& needle, std::optional<uint32_t> dp_key) {
  return retranslate_mentioning_any({needle}, dp_key);
}

bool EnLflow::retranslate_mentioning_any(const std::vector<std::string>& needles,
                                         std::optional<uint32_t> dp_key) {
  const auto& replica = *input<EnSb>().replica;
  std::vector<Uuid> candidates;
  if (dp_key) {
    candidates = translator_.lflows_on(*dp_key);
  } else {
    for (const sb::LogicalFlow* lf : sb::LogicalFlow::rows(replica)) {
      if (translator_.has(lf->uuid())) candidates.push_back(lf->uuid());
    }
  }
  bool any = false;
  for (const Uuid& u : candidates) {
    const auto* lf = sb::LogicalFlow::get(replica, u);
    if (!lf) continue;
    for (const std::string& needle : needles) {
      if (mentions(lf->match(), needle) || mentions(lf->actions(), needle)) {
        translate(*lf);
        any = true;
        break;
      }
    }
  }
  return any;
}

bool EnLflow::redo_local_port_groups(const std::vector<std::string>& lports) {
  const auto& replica = *input<EnSb>().replica;
  const LocalState& local = input<EnRuntime>().state;
  std::map<std::optional<uint32_t>, std::vector<std::string>> needles;  // by datapath key
  for (const std::string& lport : lports) {
    bool local_now = !port_is_elsewhere(lport, local, replica);
    for (const std::string& scoped : sets_.drop_flipped(lport, local_now)) {
      auto [dp_key, name] = split_scoped_group(scoped);
      if (dp_key && !local.is_local_datapath(*dp_key)) continue;
      needles[dp_key].push_back("@" + name);
    }
  }
  bool any = false;
  for (const auto& [dp_key, names] : needles) any |= retranslate_mentioning_any(names, dp_key);
  return any;
}

void EnLflow::update_mac_binding(const Uuid& uuid, const sb::MACBinding* mb) {
  const RuntimeData& rt = input<EnRuntime>();
  std::vector<openflow::Flow> flows;
  uint32_t dp_key = 0;
  if (mb && !mb->is_deleted() && mb->datapath()) {
    dp_key = static_cast<uint32_t>(mb->datapath()->tunnel_key());
    const auto* pb = sb::PortBinding::find_by_logical_port(*input<EnSb>().replica,
                                                           mb->logical_port());
    if (rt.state.is_local_datapath(dp_key) && pb && pb->datapath() == mb->datapath()) {
      add_mac_binding_flows(flows, MacBindingSpec{uuid, dp_key,
                                                  static_cast<uint32_t>(pb->tunnel_key()),
                                                  mb->ip(), mb->mac(), kDynamicMacPriority});
    }
  }
  for (auto& [key, set] : mac_bindings_) set.erase(uuid);
  if (!flows.empty()) mac_bindings_[dp_key].insert(uuid);
  store_.set_owner_flows(uuid, std::move(flows));
}

void EnLflow::update_static_mac_binding(const Uuid& uuid, const sb::StaticMACBinding* mb) {
  const RuntimeData& rt = input<EnRuntime>();
  std::vector<openflow::Flow> flows;
  uint32_t dp_key = 0;
  if (mb && !mb->is_deleted() && mb->datapath()) {
    dp_key = static_cast<uint32_t>(mb->datapath()->tunnel_key());
    const auto* pb = sb::PortBinding::find_by_logical_port(*input<EnSb>().replica,
                                                           mb->logical_port());
    if (rt.state.is_local_datapath(dp_key) && pb && pb->datapath() == mb->datapath()) {
      uint16_t prio = mb->override_dynamic_mac() ? kStaticOverridePriority : kStaticPriority;
      add_mac_binding_flows(flows, MacBindingSpec{uuid, dp_key,
                                                  static_cast<uint32_t>(pb->tunnel_key()),
                                                  mb->ip(), mb->mac(), prio});
    }
  }
  for (auto& [key, set] : mac_bindings_) set.erase(uuid);
  if (!flows.empty()) mac_bindings_[dp_key].insert(uuid);
  store_.set_owner_flows(uuid, std::move(flows));
}

void EnLflow::add_datapath_mac_bindings(const sb::DatapathBinding& dp) {
  const SbData& sb = input<EnSb>();
  for (const sb::MACBinding* mb : sb.indexes->mac_bindings_of(dp)) {
    update_mac_binding(mb->uuid(), mb);
  }
  for (const sb::StaticMACBinding* mb : sb::StaticMACBinding::rows(*sb.replica)) {
    if (mb->datapath() == &dp) update_static_mac_binding(mb->uuid(), mb);
  }
}

void EnLflow::update_counts() {
  LflowData& d = mutable_data();
  d.lflows = translator_.size();
  d.mac_bindings = 0;
  for (const auto& [k, set] : mac_bindings_) d.mac_bindings += set.size();
}

Computed EnLflow::recompute() {
  translator_.clear();
  for (const auto& [key, set] : mac_bindings_) {
    for (const Uuid& u : set) store_.remove_owner(u);
  }
  mac_bindings_.clear();
  resident_lflows_.clear();
  sets_.clear();
  const RuntimeData& rt = input<EnRuntime>();
  const SbData& sb = input<EnSb>();
  if (sb.available() && rt.complete) {
    std::unordered_set<Uuid> done;
    for (const auto& [key, ldp] : rt.state.datapaths) {
      const auto* dp = sb::DatapathBinding::get(*sb.replica, ldp.uuid);
      if (!dp) continue;
      for (const sb::LogicalFlow* lf : flows_of(*dp)) {
        if (done.insert(lf->uuid()).second) translate(*lf);
      }
      add_datapath_mac_bindings(*dp);
    }
  }
  update_counts();
  return Computed::updated;
}

Handled EnLflow::on_runtime(const RuntimeData& rt) {
  if (rt.chassis_changed || !rt.complete) return Handled::no;
  const SbData& sb = input<EnSb>();
  if (!sb.available()) return Handled::no;
  bool changed = false;
  std::unordered_set<Uuid> done;
  for (uint32_t key : rt.removed_dps) {
    for (const Uuid& u : translator_.lflows_on(key)) {
      if (done.insert(u).second) translate_uuid(u);
    }
    if (auto it = mac_bindings_.find(key); it != mac_bindings_.end()) {
      for (const Uuid& u : it->second) store_.remove_owner(u);
      mac_bindings_.erase(it);
    }
    changed = true;
  }
  std::vector<std::pair<const sb::DatapathBinding*, std::vector<const sb::LogicalFlow*>>> added;
  size_t added_lflows = 0;
  for (uint32_t key : rt.added_dps) {
    const auto* dp = sb::DatapathBinding::find_by_tunnel_key(*sb.replica, key);
    if (!dp) continue;
    added.emplace_back(dp, flows_of(*dp));
    added_lflows += added.back().second.size();
  }
  // A bind brings whole datapaths at once: thousands of flows (about two per logical flow).
  store_.reserve_more(2 * added_lflows, added_lflows);
  for (const auto& [dp, lflows] : added) {
    for (const sb::LogicalFlow* lf : lflows) {
      if (done.insert(lf->uuid()).second) translate(*lf);
    }
    add_datapath_mac_bindings(*dp);
    changed = true;
  }
  // Only a port's presence matters to the flows compiled for it (ofport, zone and claim
  // changes are the physical flows' business).
  for (const std::string& lport : rt.bound_or_unbound) {
    // Flows skipped (or not) because LPORT was not bound here.
    changed |= redo_tagged(lport, done);
  }
  // Port groups counting LPORT among their local members, or not.
  changed |= redo_local_port_groups(
      std::vector<std::string>(rt.bound_or_unbound.begin(), rt.bound_or_unbound.end()));
  if (!rt.bound_or_unbound.empty() && !resident_lflows_.empty()) {
    // is_chassis_resident("P") depends on P's local binding: recompile the flows naming one of
    // the ports bound or unbound.
    std::vector<std::string> needles;
    needles.reserve(rt.bound_or_unbound.size());
    for (const std::string& lport : rt.bound_or_unbound) needles.push_back("\"" + lport + "\"");
    std::vector<Uuid> resident(resident_lflows_.begin(), resident_lflows_.end());
    for (const Uuid& u : resident) {
      const auto* lf = sb::LogicalFlow::get(*sb.replica, u);
      bool affected = !lf;
      for (size_t i = 0; lf && !affected && i < needles.size(); ++i) {
        affected = mentions(lf->match(), needles[i]);
      }
      if (affected && done.insert(u).second) {
        translate_uuid(u);
        changed = true;
      }
    }
  }
  update_counts();
  return changed ? Handled::updated : Handled::unchanged;
}

Handled EnLflow::on_sb(const SbData& sb) {
  if (sb.reloaded) return Handled::no;
  const auto& replica = *sb.replica;
  const LocalState& local = input<EnRuntime>().state;
  bool changed = false;

  if (sb.table_changed(sb::DatapathBinding::kTableId)) {
    for (const sb::DatapathBinding* dp : sb::DatapathBinding::tracked(replica)) {
      if (dp->is_inserted()) continue;  // becomes local through runtime_data, if at all
      for (const auto& [key, ldp] : local.datapaths) {
        if (ldp.uuid == dp->uuid()) return Handled::no;  // a local datapath's key changed
      }
    }
  }
  std::unordered_set<Uuid> done;
  if (sb.table_changed(sb::LogicalFlow::kTableId)) {
    for (const sb::LogicalFlow* lf : sb::LogicalFlow::tracked(replica)) {
      done.insert(lf->uuid());
      translate(*lf);
      changed = true;
    }
  }
  if (sb.table_changed(sb::LogicalDPGroup::kTableId)) {
    for (const sb::LogicalDPGroup* g : sb::LogicalDPGroup::tracked(replica)) {
      if (g->is_deleted()) continue;  // its flows change (or go) too
      for (const sb::LogicalFlow* lf : sb.indexes->lflows_of_group(*g)) {
        if (done.insert(lf->uuid()).second) translate(*lf);
        changed = true;
      }
    }
  }
  if (sb.table_changed(sb::AddressSet::kTableId)) {
    for (const sb::AddressSet* as : sb::AddressSet::tracked(replica)) {
      sets_.invalidate_address_set(as->name());
      changed |= retranslate_mentioning("$" + as->name(), std::nullopt);
    }
  }
  if (sb.table_changed(sb::PortGroup::kTableId)) {
    for (const sb::PortGroup* pg : sb::PortGroup::tracked(replica)) {
      sets_.invalidate_port_group(pg->name());
      auto [dp_key, name] = split_scoped_group(pg->name());
      if (dp_key && !local.is_local_datapath(*dp_key)) continue;
      changed |= retranslate_mentioning("@" + name, dp_key);
    }
  }
  if (sb.table_changed(sb::PortBinding::kTableId)) {
    std::vector<std::string> maybe_flipped;  // ports whose chassis, type or existence changed
    for (const sb::PortBinding* pb : sb::PortBinding::tracked(replica)) {
      const sb::DatapathBinding* dp = pb->datapath();
      if (!dp || !local.is_local_datapath(static_cast<uint32_t>(dp->tunnel_key()))) continue;
      maybe_flipped.push_back(pb->logical_port());
      bool identity = !pb->is_modified() ||
                      pb->column_changed(sb::PortBinding::Col::tunnel_key) ||
                      pb->column_changed(sb::PortBinding::Col::logical_port);
      std::string needle = "\"" + pb->logical_port() + "\"";
      if (identity) {
        for (const Uuid& u : translator_.lflows_tagged(pb->logical_port())) {
          if (done.insert(u).second) {
            translate_uuid(u);
            changed = true;
          }
        }
      } else {
        // Its chassis, type or options may flip the skip (elsewhere or not); nothing else of
        // them reads it.
        changed |= redo_tagged(pb->logical_port(), done);
      }
      if (identity) {
        changed |= retranslate_mentioning(needle, static_cast<uint32_t>(dp->tunnel_key()));
        if (const auto* old = pb->old_datum(sb::PortBinding::Col::logical_port);
            old && !old->empty()) {
          changed |= retranslate_mentioning("\"" + old->key(0).string() + "\"",
                                            static_cast<uint32_t>(dp->tunnel_key()));
        }
      } else if (pb->column_changed(sb::PortBinding::Col::chassis) && !resident_lflows_.empty() &&
                 !local.binding(pb->logical_port())) {
        // (A port bound here is resident whatever its chassis says: SbResolver.)
        std::vector<Uuid> resident(resident_lflows_.begin(), resident_lflows_.end());
        for (const Uuid& u : resident) {
          const auto* lf = sb::LogicalFlow::get(replica, u);
          if (lf && mentions(lf->match(), needle) && done.insert(u).second) {
            translate(*lf);
            changed = true;
          }
        }
      }
    }
    // A port's chassis (or its creation) can make it local or remote for its port groups.
    changed |= redo_local_port_groups(maybe_flipped);
  }
  if (sb.table_changed(sb::MulticastGroup::kTableId)) {
    for (const sb::MulticastGroup* mc : sb::MulticastGroup::tracked(replica)) {
      const sb::DatapathBinding* dp = mc->datapath();
      if (!dp || !local.is_local_datapath(static_cast<uint32_t>(dp->tunnel_key()))) continue;
      if (mc->is_modified() && !mc->column_changed(sb::MulticastGroup::Col::tunnel_key) &&
          !mc->column_changed(sb::MulticastGroup::Col::name)) {
        continue;  // membership only: physical flows
      }
      changed |= retranslate_mentioning("\"" + mc->name() + "\"",
                                        static_cast<uint32_t>(dp->tunnel_key()));
    }
  }
  if (sb.table_changed(sb::MACBinding::kTableId)) {
    for (const sb::MACBinding* mb : sb::MACBinding::tracked(replica)) {
      update_mac_binding(mb->uuid(), mb);
      changed = true;
    }
  }
  if (sb.table_changed(sb::StaticMACBinding::kTableId)) {
    for (const sb::StaticMACBinding* mb : sb::StaticMACBinding::tracked(replica)) {
      update_static_mac_binding(mb->uuid(), mb);
      changed = true;
    }
  }
  update_counts();
  return changed ? Handled::updated : Handled::unchanged;
}

}  // namespace ovnx::controller
