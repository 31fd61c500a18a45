#include "controller/sb_resolver.h"

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

const logical::ConstantSet* SetCache::port_group(const ovsdb::client::Replica& sb,
                                                 std::string_view name) {
  auto it = port_groups_.find(name);
  if (it == port_groups_.end()) {
    std::optional<logical::ConstantSet> set;
    if (const sb::PortGroup* row = sb::PortGroup::find_by_name(sb, name)) {
      set = logical::ConstantSet::of_strings(row->ports().to_vector());
    }
    it = port_groups_.emplace(std::string(name), std::move(set)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const logical::ConstantSet* SbResolver::address_set(std::string_view name) const {
  return sets_.address_set(sb_.replica(), name);
}

const logical::ConstantSet* SbResolver::port_group(std::string_view name) const {
  // Since OVN 22.x northd splits port groups per datapath.
  std::string scoped = std::to_string(dp_.tunnel_key()) + "_" + std::string(name);
  if (const auto* set = sets_.port_group(sb_.replica(), scoped)) return set;
  return sets_.port_group(sb_.replica(), name);
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
