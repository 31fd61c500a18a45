// Resolver: what the logical-flow language needs from its surroundings. The controller (from the
// Southbound database), the tracer and the tests each provide one.
//
// Names are looked up in the scope of one logical datapath: port keys are tunnel keys of logical
// ports and multicast groups of the datapath the flow belongs to.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "logical/constant.h"
#include "logical/name_hash.h"

namespace ovnx::logical {

// The port name "none" means "no port" (key 0) wherever it is not a real port name: northd
// writes `outport == "none"` and `outport = "none"` for packets with no destination.
inline constexpr std::string_view kNoPortName = "none";

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Members of address set `name` (`$name` in a match), or null if there is no such set.
  virtual const ConstantSet* address_set(std::string_view name) const { return nullptr; }
  // Logical port names in port group `name` (`@name`), or null.
  virtual const ConstantSet* port_group(std::string_view name) const { return nullptr; }
  // Tunnel key of logical port or multicast group `name`, or nullopt if unknown here.
  virtual std::optional<uint32_t> port_key(std::string_view name) const { return std::nullopt; }
  // port_key(), with "none" as key 0 when no port has that name.
  std::optional<uint32_t> resolve_port(std::string_view name) const {
    auto key = port_key(name);
    if (!key && name == kNoPortName) return 0u;
    return key;
  }
  // Reverse of port_key(), for formatting and tracing; nullopt when unknown.
  virtual std::optional<std::string> port_name(uint32_t key) const { return std::nullopt; }
  // Whether logical port `name` is bound to this chassis (`is_chassis_resident("name")`).
  virtual bool is_chassis_resident(std::string_view name) const { return false; }
};

// A Resolver over plain maps, for tests and tools.
class MapResolver : public Resolver {
 public:
  std::map<std::string, ConstantSet, std::less<>> address_sets;
  std::map<std::string, ConstantSet, std::less<>> port_groups;
  // Hashed: port_key() is asked for every port of every port group in every flow.
  std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>> ports;
  std::map<std::string, bool, std::less<>> resident;

  const ConstantSet* address_set(std::string_view name) const override {
    auto it = address_sets.find(name);
    return it == address_sets.end() ? nullptr : &it->second;
  }
  const ConstantSet* port_group(std::string_view name) const override {
    auto it = port_groups.find(name);
    return it == port_groups.end() ? nullptr : &it->second;
  }
  std::optional<uint32_t> port_key(std::string_view name) const override {
    auto it = ports.find(name);
    if (it == ports.end()) return std::nullopt;
    return it->second;
  }
  // Several ports may share KEY (one per datapath): the least name, whatever the hash order.
  std::optional<std::string> port_name(uint32_t key) const override {
    const std::string* best = nullptr;
    for (const auto& [name, k] : ports) {
      if (k == key && (!best || name < *best)) best = &name;
    }
    if (!best) return std::nullopt;
    return *best;
  }
  bool is_chassis_resident(std::string_view name) const override {
    auto it = resident.find(name);
    return it != resident.end() && it->second;
  }
};

}  // namespace ovnx::logical
