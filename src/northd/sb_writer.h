// Writes the desired southbound content (DesiredSb) into an OVSDB transaction as a difference
// against the client's SB replica: rows are inserted, updated (only the columns that differ)
// or deleted; rows that already match are not touched.
//
// The writer keeps indexes of the SB rows it manages by their identity (datapath by NB UUID,
// port binding by name, logical flow by content, ...). After a full compare (SbChanges::all or
// lflows_rebuilt) it knows which SB row each desired logical flow is; later it compares only
// the keys an update touched. Columns owned by ovn-controller (Port_Binding chassis, up, ...)
// are never written.
//
// Not thread-safe; use from the daemon's thread. With threads > 1, a full compare matches the
// logical flows on a thread of its own while it compares the other tables (the replica is only
// read meanwhile); the transaction is built on the caller's thread, in the same order.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/uuid.h"
#include "northd/incremental.h"

namespace ovnx::ovsdb::client {
class Replica;
class Transaction;
struct TxnReport;
}  // namespace ovnx::ovsdb::client

namespace ovnx::northd {

struct SbWriteStats {
  size_t inserted = 0;
  size_t updated = 0;
  size_t deleted = 0;
};

class SbWriter {
 public:
  SbWriter();
  ~SbWriter();

  // Forgets what it knew of the SB (after a reconnection or a lock change): the next write
  // compares everything.
  void reset();
  // Threads a full compare may use (default 1: all on the caller's).
  void set_threads(unsigned n);
  // Records into `txn` what makes the SB match `desired` for the keys in `changes` (everything
  // after reset() or when changes.all). `nb_cfg` is copied to SB_Global.
  SbWriteStats write(const DesiredSb& desired, const SbChanges& changes, int64_t nb_cfg,
                     const ovsdb::client::Replica& sb, ovsdb::client::Transaction& txn);
  // The transaction built by the last write() committed (or failed): learn the real UUIDs of
  // the rows it inserted (or forget them).
  void committed(const ovsdb::client::TxnReport& report);
  // Call with the SB replica before its change tracking is cleared: the writer keeps its
  // indexes of Datapath_Binding and Logical_DP_Group rows across writes and re-reads them only
  // when those tables changed.
  void note_tracked(const ovsdb::client::Replica& sb);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ovnx::northd
