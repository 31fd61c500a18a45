// This chassis in the Southbound database: its Chassis row (name = system-id, hostname, one
// Encap per encapsulation type and IP, other_config advertising the datapath type, interface
// types and the features northd may rely on) and its Chassis_Private row (where nb_cfg is
// reported). Registered on start, kept current when the Open_vSwitch configuration changes,
// removed on a clean exit.
//
// Transaction builders: they record edits against the replica and return whether anything
// changed; the caller commits (and retries on conflict).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "controller/config.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::controller {

// The other_config keys ovn-controller 23.03 publishes; the feature flags tell northd which
// flow constructs this chassis understands.
std::map<std::string, std::string> chassis_other_config(const ChassisConfig& config);

// Creates or updates Chassis, its Encaps and Chassis_Private. Returns true if it changed
// something. Problems that need an operator (an Encap with our IP owned by another chassis)
// are appended to PROBLEMS.
bool reconcile_chassis(ovsdb::client::Transaction& txn, const ChassisConfig& config,
                       std::vector<std::string>* problems = nullptr);

// True if the SB rows already reflect CONFIG (nothing for reconcile_chassis to do).
bool chassis_up_to_date(const ovsdb::client::Replica& sb, const ChassisConfig& config);

// Deletes the Chassis (its Encaps go with it) and Chassis_Private rows of CHASSIS_NAME.
bool remove_chassis(ovsdb::client::Transaction& txn, const std::string& chassis_name);

// Reports that flows for NB_CFG are installed (Chassis_Private nb_cfg and nb_cfg_timestamp).
bool report_nb_cfg(ovsdb::client::Transaction& txn, const std::string& chassis_name,
                   int64_t nb_cfg, int64_t now_ms);

}  // namespace ovnx::controller
