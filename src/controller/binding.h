// Port_Binding ownership (ovn-sb(5) Port_Binding chassis and up): a chassis claims the logical
// ports whose interfaces it carries (chassis = this chassis), marks them up once their flows are
// installed (northd then reports the NB port up), and releases those it no longer carries — but
// only while they are still its own, so a port that moved to another chassis (VM migration) is
// never taken back.
//
// Transaction builder; the caller commits.
#pragma once

#include <set>
#include <string>

#include "controller/local_datapaths.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::controller {

struct BindingUpdate {
  std::set<std::string> claimed;   // newly claimed
  std::set<std::string> released;  // released
  std::set<std::string> up;        // up set to true
  bool empty() const { return claimed.empty() && released.empty() && up.empty(); }
};

// Records the claims, ups and releases STATE calls for. INSTALLED: the local ports whose flows
// are in the switch (they may be marked up). Does nothing before the chassis is registered.
BindingUpdate update_bindings(ovsdb::client::Transaction& txn, const LocalState& state,
                              const std::set<std::string>& installed);

// Releases every Port_Binding bound to CHASSIS_NAME (a clean exit).
bool release_all(ovsdb::client::Transaction& txn, const std::string& chassis_name);

}  // namespace ovnx::controller
