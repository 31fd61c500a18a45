// The NB snapshot kept from an OVSDB client replica of OVN_Northbound: a full load, then the
// replica's tracked changes applied row by row, reported as NbChanges for the incremental
// compiler.
#pragma once

#include "northd/incremental.h"
#include "northd/nb.h"

namespace ovnx::ovsdb::client {
class Replica;
}

namespace ovnx::northd {

// Replaces `snapshot` with the replica's content.
void load_nb_snapshot(const ovsdb::client::Replica& replica, nb::Snapshot* snapshot);

// Applies the replica's tracked changes to `snapshot` (inserted and modified rows replaced in
// place, deleted rows erased) and records them in `changes`. Does not clear the tracking.
void apply_nb_changes(const ovsdb::client::Replica& replica, nb::Snapshot* snapshot,
                      NbChanges* changes);

}  // namespace ovnx::northd
