// The NB -> SB compiler: one function from a northbound snapshot (and the little it needs from
// the current southbound: tunnel keys in use, chassis) to the complete desired southbound
// content. Pure: no I/O, no OVSDB; the daemon feeds it and writes the difference.
//
// The logical-flow build is spread over a small thread pool (per datapath, reading only
// immutable inputs); the output does not depend on the number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "northd/nb.h"
#include "northd/sb.h"
#include "northd/topology.h"

namespace ovnx::northd {

// A row of the SB Chassis table, as far as northd cares.
struct SbChassis {
  std::string name;
  std::string hostname;
  nb::Smap other_config;
  std::vector<std::string> encap_types;
};

// What the compiler reads from the current SB.
struct SbState {
  ExistingKeys keys;
  std::vector<SbChassis> chassis;
};

struct CompileOptions {
  // Threads for the flow build: 0 picks std::thread::hardware_concurrency(), 1 runs inline.
  unsigned threads = 0;
  // Incremental updates redo only the flows of changed plain VIFs (and their switch's own),
  // not their whole switch and routers. Off: for comparison in benchmarks and tests.
  bool port_scoped = true;
};

// Timing of the phases of one compile, for the benchmark and the daemon's status.
struct CompileStats {
  double topology_ms = 0;
  double lflows_ms = 0;
  double merge_ms = 0;
  double tables_ms = 0;
  size_t lflows_before_merge = 0;
};

// The chassis features the flows may rely on (ovn-controller advertises them in
// Chassis other_config).
ChassisFeatures chassis_features(const std::vector<SbChassis>& chassis);

// Compiles `nb`. Errors only for conditions that make the whole output meaningless (tunnel key
// space exhausted); bad individual rows are skipped with a log message, as ovn-northd does.
Result<sb::Content> compile(const nb::Snapshot& nb, const SbState& sb,
                            const CompileOptions& options = {}, CompileStats* stats = nullptr);

// The NB_Global options northd fills in when missing (mac_prefix, svc_monitor_mac, max_tunid),
// derived deterministically from the NB_Global row. Returns the complete options map.
nb::Smap effective_nb_options(const nb::NbGlobal& global, bool vxlan_mode);

// The internal version northd writes to SB_Global:options:northd_internal_version. ovnx writes
// the same flows as OVN 23.03.1, so it claims that version (ovn-controller may check it).
inline constexpr const char* kNorthdInternalVersion = "23.03.1-20.27.0-70.6";

}  // namespace ovnx::northd
