// Connection-tracking zones, as ovn-controller assigns them: one per local logical port (held in
// reg13 for the switch's stateful ACLs) and a DNAT and an SNAT zone per local datapath (reg11,
// reg12). They persist across restarts in the integration bridge's external_ids as
// "ct-zone-<port name>" and "ct-zone-<datapath uuid>_dnat" / "_snat" (ovn-controller(8)), so
// established connections keep their conntrack entries.
//
// Pure: assign_ct_zones() keeps every zone still needed and gives new names the lowest free
// zones, in name order (deterministic).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "base/uuid.h"
#include "controller/local_datapaths.h"

namespace ovnx::controller {

inline constexpr std::string_view kCtZonePrefix = "ct-zone-";

struct CtZones {
  std::map<std::string, uint16_t> zones;  // zone name -> zone (1..65535)
  bool operator==(const CtZones&) const = default;

  // 0 when NAME has no zone.
  uint16_t get(const std::string& name) const;
  uint16_t port_zone(const std::string& lport) const { return get(lport); }
  uint16_t dnat_zone(const Uuid& dp) const { return get(dp.to_string() + "_dnat"); }
  uint16_t snat_zone(const Uuid& dp) const { return get(dp.to_string() + "_snat"); }
};

// The zone names STATE needs: every local binding and both NAT zones of every local datapath.
std::set<std::string> needed_zone_names(const LocalState& state);

// Zones from a bridge's external_ids ("ct-zone-NAME" = "N"); malformed entries are skipped.
CtZones zones_from_external_ids(const std::map<std::string, std::string>& external_ids);

// Keeps CURRENT's zones for names in NEEDED, drops the others, allocates the rest.
CtZones assign_ct_zones(const CtZones& current, const std::set<std::string>& needed);

}  // namespace ovnx::controller
