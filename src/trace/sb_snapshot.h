// Reading a Snapshot from a live Southbound database: connect, take one consistent replica of
// the tables a trace needs, disconnect.
#pragma once

#include <string>

#include "base/result.h"
#include "trace/snapshot.h"

namespace ovnx::trace {

struct SbConnectOptions {
  std::string remote;       // "unix:/var/run/ovn/ovnsb_db.sock", "tcp:IP:PORT", comma list
  int timeout_ms = 30000;   // for connecting and the initial replica
  bool leader_only = true;  // clustered databases: talk only to the leader
};

// The database named by $OVN_SB_DB, else unix:$OVN_RUNDIR/ovnsb_db.sock (default rundir
// /var/run/ovn), as ovn-trace picks it.
std::string default_sb_remote();

Result<Snapshot> load_snapshot(const SbConnectOptions& options);

}  // namespace ovnx::trace
