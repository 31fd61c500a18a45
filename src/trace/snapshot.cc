#include "trace/snapshot.h"

#include <charconv>
#include <string>

namespace ovnx::trace {

std::optional<size_t> Snapshot::find_datapath(std::string_view id) const {
  for (size_t i = 0; i < datapaths.size(); ++i) {
    if (datapaths[i].name == id || datapaths[i].uuid == id) return i;
  }
  uint32_t key = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), key);
  if (ec == std::errc() && end == id.data() + id.size()) {
    for (size_t i = 0; i < datapaths.size(); ++i) {
      if (datapaths[i].key == key) return i;
    }
  }
  if (id.size() >= 4) {
    std::optional<size_t> found;
    for (size_t i = 0; i < datapaths.size(); ++i) {
      if (datapaths[i].uuid.starts_with(id)) {
        if (found) return std::nullopt;  // ambiguous
        found = i;
      }
    }
    return found;
  }
  return std::nullopt;
}

const Port* Snapshot::find_port(std::string_view name) const {
  for (const Port& p : ports) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Port* Snapshot::port_by_key(size_t dp, uint32_t key) const {
  for (const Port& p : ports) {
    if (p.datapath == dp && p.key == key) return &p;
  }
  return nullptr;
}

const MulticastGroup* Snapshot::multicast_by_key(size_t dp, uint32_t key) const {
  for (const MulticastGroup& g : multicast_groups) {
    if (g.datapath == dp && g.key == key) return &g;
  }
  return nullptr;
}

const MacBinding* Snapshot::find_mac_binding(std::string_view port, std::string_view ip) const {
  for (const MacBinding& b : mac_bindings) {
    if (b.logical_port == port && b.ip == ip) return &b;
  }
  return nullptr;
}

DatapathResolver::DatapathResolver(const Snapshot& snapshot, size_t dp)
    : snapshot_(&snapshot), dp_(dp) {
  for (const Port& p : snapshot.ports) {
    if (p.datapath == dp) keys_.emplace(p.name, p.key);
  }
  for (const MulticastGroup& g : snapshot.multicast_groups) {
    if (g.datapath == dp) keys_.emplace(g.name, g.key);
  }
}

const logical::ConstantSet* DatapathResolver::address_set(std::string_view name) const {
  std::string key = "$" + std::string(name);
  if (auto it = sets_.find(key); it != sets_.end()) return &it->second;
  auto as = snapshot_->address_sets.find(name);
  if (as == snapshot_->address_sets.end()) return nullptr;
  return &sets_.emplace(key, logical::ConstantSet::parse_addresses_lenient(as->second))
              .first->second;
}

const logical::ConstantSet* DatapathResolver::port_group(std::string_view name) const {
  std::string key = "@" + std::string(name);
  if (auto it = sets_.find(key); it != sets_.end()) return &it->second;
  std::string sharded = std::to_string(snapshot_->datapaths[dp_].key) + "_" + std::string(name);
  auto pg = snapshot_->port_groups.find(sharded);
  if (pg == snapshot_->port_groups.end()) pg = snapshot_->port_groups.find(name);
  if (pg == snapshot_->port_groups.end()) return nullptr;
  return &sets_.emplace(key, logical::ConstantSet::of_strings(pg->second)).first->second;
}

std::optional<uint32_t> DatapathResolver::port_key(std::string_view name) const {
  auto it = keys_.find(name);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> DatapathResolver::port_name(uint32_t key) const {
  for (const auto& [name, k] : keys_) {
    if (k == key) return name;
  }
  return std::nullopt;
}

}  // namespace ovnx::trace
