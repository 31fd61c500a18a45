#include "controller/sb_resolver.h"

#include <algorithm>

#include "base/log.h"

OVNX_LOG_MODULE(sb_resolver);

namespace ovnx::controller {

const logical::ConstantSet* SetCache::address_set(const ovsdb::client::Replica& sb,
                                                  std::string_view name) {
  auto it = address_sets_.find(name);
  if (it == address_sets_.end()) {
    std::optional<logical::ConstantSet> set;
    if (const sb::AddressSet* row = sb::AddressSet::find_by_name(sb, name)) {
      std::vector<Error> errors;
      set = logical::ConstantSet::parse_addresses_lenient(row->addresses().to_vector(), &errors);
      for (const Error& e : errors) {
        LOG_WARN("address set {}: skipping member: {}", name, e.to_string());
      }
    }
    it = address_sets_.emplace(std::string(name), std::move(set)).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool port_is_elsewhere(std::string_view lport, const LocalState& local,
                       const ovsdb::client::Replica& sb) {
  const sb::PortBinding* pb = sb::PortBinding::find_by_logical_port(sb, lport);
  if (!pb || local.binding(lport)) return false;
  if (pb->type() == "l3gateway") {
    // A gateway router runs on the chassis its options name (which claims the port).
    auto gw = pb->options().get("l3gateway-chassis");
    if (gw && *gw == local.chassis_name) return false;
  } else if (!pb->type().empty()) {
    return false;  // only plain VIFs and gateway routers are known to be elsewhere
  }
  const sb::Chassis* ch = pb->chassis();
  return !ch || ch->name() != local.chassis_name;
}

const logical::ConstantSet* SetCache::local_port_group(const ovsdb::client::Replica& sb,
                                                       std::string_view name,
                                                       const LocalState& local) {
  auto it = port_groups_.find(name);
  if (it == port_groups_.end()) {
    LocalView view;
    if (const sb::PortGroup* row = sb::PortGroup::find_by_name(sb, name)) {
      view.members = row->ports().to_vector();
      for (const std::string& m : view.members) {
        if (!port_is_elsewhere(m, local, sb)) view.local.push_back(m);
      }
      std::sort(view.local.begin(), view.local.end());
      view.set = logical::ConstantSet::of_strings(view.local);
    }
    it = port_groups_.emplace(std::string(name), std::move(view)).first;
    for (const std::string& m : it->second.members) groups_of_port_[m].push_back(it->first);
  }
  return it->second.set ? &*it->second.set : nullptr;
}

void SetCache::invalidate_port_group(std::string_view name) {
  auto it = port_groups_.find(name);
  if (it == port_groups_.end()) return;
  for (const std::string& m : it->second.members) {
    auto g = groups_of_port_.find(m);
    if (g == groups_of_port_.end()) continue;
    std::erase(g->second, it->first);
    if (g->second.empty()) groups_of_port_.erase(g);
  }
  port_groups_.erase(it);
}

std::vector<std::string> SetCache::drop_flipped(std::string_view lport, bool local_now) {
  std::vector<std::string> flipped;
  auto g = groups_of_port_.find(std::string(lport));
  if (g == groups_of_port_.end()) return flipped;
  for (const std::string& name : g->second) {
    const LocalView& view = port_groups_.find(name)->second;
    bool included = std::binary_search(view.local.begin(), view.local.end(), lport);
    if (included != local_now) flipped.push_back(name);
  }
  for (const std::string& name : flipped) invalidate_port_group(name);
  return flipped;
}

const logical::ConstantSet* SbResolver::address_set(std::string_view name) const {
  return sets_.address_set(sb_.replica(), name);
}

const logical::ConstantSet* SbResolver::port_group(std::string_view name) const {
  // Since OVN 22.x northd splits port groups per datapath.
  std::string scoped = std::to_string(dp_.tunnel_key()) + "_" + std::string(name);
  if (const auto* set = sets_.local_port_group(sb_.replica(), scoped, local_)) return set;
  return sets_.local_port_group(sb_.replica(), name, local_);
}

std::optional<uint32_t> SbResolver::port_key(std::string_view name) const {
  const auto& sb = sb_.replica();
  if (const sb::PortBinding* pb = sb::PortBinding::find_by_logical_port(sb, name)) {
    if (pb->datapath() == &dp_) return static_cast<uint32_t>(pb->tunnel_key());
    return std::nullopt;
  }
  if (const sb::MulticastGroup* mc = sb::MulticastGroup::find_by_datapath_name(sb, &dp_, name)) {
    return static_cast<uint32_t>(mc->tunnel_key());
  }
  return std::nullopt;
}

std::optional<std::string> SbResolver::port_name(uint32_t key) const {
  const auto& sb = sb_.replica();
  if (const auto* pb = sb::PortBinding::find_by_datapath_tunnel_key(sb, &dp_, key)) {
    return pb->logical_port();
  }
  if (const auto* mc = sb::MulticastGroup::find_by_datapath_tunnel_key(sb, &dp_, key)) {
    return mc->name();
  }
  return std::nullopt;
}

bool SbResolver::is_chassis_resident(std::string_view name) const {
  if (local_.binding(name)) return true;
  const sb::PortBinding* pb = sb::PortBinding::find_by_logical_port(sb_.replica(), name);
  if (!pb) return false;
  const sb::Chassis* ch = pb->chassis();
  return ch && ch->name() == local_.chassis_name;
}

}  // namespace ovnx::controller
