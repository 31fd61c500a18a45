// Edits of the local Open vSwitch database: the integration bridge itself (created with the
// settings ovn-architecture(7) suggests: fail_mode=secure so the switch never falls back to
// normal L2 switching, in-band control disabled, the configured datapath type), its tunnel
// ports, the conntrack-zone keys in its external_ids, the nb_cfg it has installed, and
// ovn-installed on interfaces whose flows are in.
//
// Each function records edits into a transaction against the replica and returns whether it
// changed anything; the caller commits. Pure with respect to I/O.
#pragma once

#include <cstdint>
#include <vector>

#include "controller/config.h"
#include "controller/ct_zones.h"
#include "controller/ovs_state.h"
#include "controller/tunnels.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::controller {

// Creates CONFIG's integration bridge if missing, fixes its settings if not.
bool ensure_integration_bridge(ovsdb::client::Transaction& txn, const ChassisConfig& config);

// Makes the bridge's tunnel ports exactly DESIRED.
bool reconcile_tunnels(ovsdb::client::Transaction& txn, const BridgeState& bridge,
                       const std::vector<DesiredTunnel>& desired);

// Removes every tunnel port (a clean exit).
bool remove_tunnels(ovsdb::client::Transaction& txn, const BridgeState& bridge);

// Makes the bridge's ct-zone-* external_ids equal ZONES.
bool sync_ct_zone_ids(ovsdb::client::Transaction& txn, const BridgeState& bridge,
                      const CtZones& zones);

// Sets (or clears) external_ids:ovn-installed and ovn-installed-ts on an interface.
bool set_ovn_installed(ovsdb::client::Transaction& txn, const Uuid& iface, bool installed,
                       int64_t now_ms);

// Records on the bridge the SB nb_cfg whose flows are installed (ovn-nb-cfg, ovn-nb-cfg-ts).
bool set_bridge_nb_cfg(ovsdb::client::Transaction& txn, const BridgeState& bridge, int64_t nb_cfg,
                       int64_t now_ms);

}  // namespace ovnx::controller
