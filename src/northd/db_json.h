// Loading an NB snapshot (and the SB state the compiler needs) from a JSON dump of a database:
// one object {"Table": [row, ...]} with rows in RFC 7047 notation, as a "select" of every table
// returns them (tests/fixtures/northd/dump-db.py writes this format). Used by the golden tests,
// the benchmark and offline tools; the daemon reads through the OVSDB client instead.
#pragma once

#include <string_view>

#include "base/result.h"
#include "northd/compiler.h"
#include "northd/nb.h"

namespace ovnx::northd {

// Errors ("syntax error") name the table, row and column that could not be read.
Result<nb::Snapshot> load_nb_json(std::string_view json);
// Tunnel keys in use (Datapath_Binding, Port_Binding) and Chassis rows of an SB dump.
Result<SbState> load_sb_state_json(std::string_view json);

}  // namespace ovnx::northd
