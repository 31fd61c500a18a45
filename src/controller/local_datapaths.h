// Which logical ports this chassis binds and which logical datapaths it must process
// (ovn-architecture(7), "Architectural Physical Life Cycle of a Packet"): a datapath is local if
// one of its ports is bound here, or if it is reachable from a local datapath through patch
// ports (a switch's router port and the router's peer port), because a packet entering here
// runs the whole logical pipeline here, hop by hop, before it reaches a tunnel.
//
// Pure: compute_local_state() reads the Southbound replica and the integration bridge state.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "base/uuid.h"
#include "controller/ovs_state.h"
#include "controller/sb_indexes.h"

namespace ovnx::controller {

// A logical port carried by a local interface, that this chassis binds.
struct LocalBinding {
  std::string lport;     // Port_Binding logical_port
  Uuid pb;               // Port_Binding row
  Uuid datapath;         // its Datapath_Binding
  uint32_t dp_key = 0;
  uint32_t port_key = 0;
  std::string type;      // Port_Binding type: "" (VIF) or "localport"
  std::string iface;     // the Interface name
  Uuid iface_uuid;
  int64_t ofport = 0;    // 0 while ovs-vswitchd has not assigned one yet
  bool claimed = false;  // Port_Binding chassis is already this chassis
  bool operator==(const LocalBinding&) const = default;
};

struct LocalDatapath {
  Uuid uuid;
  uint32_t key = 0;
  bool is_switch = true;
  std::string name;          // external_ids:name, for logs
  bool has_local_port = false;  // some port of it is bound here (not only reached by patches)
  bool operator==(const LocalDatapath&) const = default;
};

struct LocalState {
  std::string chassis_name;
  Uuid chassis;  // our Chassis row (zero before registration)
  std::map<std::string, LocalBinding> bindings;   // by logical port
  std::map<uint32_t, LocalDatapath> datapaths;    // by tunnel key
  // Port_Bindings whose chassis is us but that we no longer carry: to release.
  std::set<std::string> stale_claims;
  bool operator==(const LocalState&) const = default;

  bool is_local_datapath(uint32_t key) const { return datapaths.count(key) != 0; }
  // A logical port bound here (by name), or nullptr.
  const LocalBinding* binding(std::string_view lport) const;
};

struct LocalStateInputs {
  const SbIndexes* sb = nullptr;
  const BridgeState* bridge = nullptr;
  std::string chassis_name;
  std::string hostname;
};

// True if Port_Binding PB may be bound by chassis CHASSIS (options:requested-chassis and the
// requested_chassis column name a chassis by name or hostname; empty means anywhere).
bool requested_here(const sb::PortBinding& pb, const std::string& chassis_name,
                    const std::string& hostname);

LocalState compute_local_state(const LocalStateInputs& in);

// True if DP is a logical switch (external_ids:logical-switch), false for a router.
bool is_switch_datapath(const sb::DatapathBinding& dp);

}  // namespace ovnx::controller
