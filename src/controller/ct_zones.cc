#include "controller/ct_zones.h"

#include <charconv>
#include <vector>

namespace ovnx::controller {

uint16_t CtZones::get(const std::string& name) const {
  auto it = zones.find(name);
  return it == zones.end() ? 0 : it->second;
}

std::set<std::string> needed_zone_names(const LocalState& state) {
  std::set<std::string> names;
  for (const auto& [lport, b] : state.bindings) names.insert(lport);
  for (const auto& [key, dp] : state.datapaths) {
    names.insert(dp.uuid.to_string() + "_dnat");
    names.insert(dp.uuid.to_string() + "_snat");
  }
  return names;
}

CtZones zones_from_external_ids(const std::map<std::string, std::string>& external_ids) {
  CtZones z;
  std::set<uint16_t> used;
  for (const auto& [key, value] : external_ids) {
    if (key.compare(0, kCtZonePrefix.size(), kCtZonePrefix) != 0) continue;
    unsigned n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size() || n == 0 || n > 65535) continue;
    // Two names on one zone would merge their conntrack state: keep the first only.
    if (!used.insert(static_cast<uint16_t>(n)).second) continue;
    z.zones.emplace(key.substr(kCtZonePrefix.size()), static_cast<uint16_t>(n));
  }
  return z;
}

CtZones assign_ct_zones(const CtZones& current, const std::set<std::string>& needed) {
  CtZones out;
  std::vector<bool> used(65536, false);
  used[0] = true;  // zone 0 is the default zone of untracked traffic
  for (const auto& [name, zone] : current.zones) {
    if (!needed.count(name) || used[zone]) continue;
    out.zones.emplace(name, zone);
    used[zone] = true;
  }
  size_t next = 1;
  for (const std::string& name : needed) {
    if (out.zones.count(name)) continue;
    while (next < used.size() && used[next]) ++next;
    if (next >= used.size()) break;  // exhausted: the port gets no zone (0)
    out.zones.emplace(name, static_cast<uint16_t>(next));
    used[next] = true;
  }
  return out;
}

}  // namespace ovnx::controller
