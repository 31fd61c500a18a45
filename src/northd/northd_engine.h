// The incremental-processing graph of ovnx-northd:
//
//   nb_data (input: NB replica -> NB snapshot + changes) --handler--> northd
//   sb_data (input: SB chassis facts)                     --handler--> northd
//
// northd holds the incremental compiler; its NB handler applies the NB changes incrementally
// (IncrementalCompiler::update) and falls back to a recompute when they cannot be. The SB
// changes it produces accumulate in `pending` until the daemon has written them.
#pragma once

#include <memory>
#include <string>

#include "engine/graph.h"
#include "engine/node.h"
#include "northd/incremental.h"
#include "northd/nb.h"
#include "northd/thread_pool.h"

namespace ovnx::ovsdb::client {
class Replica;
}

namespace ovnx::northd {

struct NbData {
  nb::Snapshot snapshot;
  NbChanges changes;
};

class EnNbData final : public engine::Node<NbData> {
 public:
  explicit EnNbData(ovsdb::client::Replica& replica);
  // The snapshot no longer follows the replica (a new connection's replica, or changes cleared
  // unread while standing by): the next recompute reads the whole replica again. Otherwise a
  // recompute (a forced one) brings the snapshot up to date from the tracked changes alone.
  void mark_stale() { stale_ = true; }

 protected:
  engine::Computed recompute() override;
  engine::Computed poll() override;
  void clear_tracked() override;

 private:
  ovsdb::client::Replica& replica_;
  bool stale_ = true;
};

struct SbData {
  std::vector<SbChassis> chassis;
  std::string fingerprint;  // what of the chassis the flows depend on
};

class EnSbData final : public engine::Node<SbData> {
 public:
  explicit EnSbData(const ovsdb::client::Replica& replica);
  // Tunnel keys in the SB now (read when needed: they matter only for a full recompute).
  ExistingKeys keys() const;

 protected:
  engine::Computed recompute() override;
  engine::Computed poll() override;

 private:
  const ovsdb::client::Replica& replica_;
};

struct NorthdData {
  std::unique_ptr<IncrementalCompiler> compiler;
  SbChanges pending;  // changes not yet written to the SB
};

class EnNorthd final : public engine::Node<NorthdData, EnNbData, EnSbData> {
 public:
  EnNorthd(unsigned threads, const EnSbData& sb);
  engine::Handled on_nb_data(const NbData& nb);
  engine::Handled on_sb_data(const SbData& sb);
  // The daemon wrote the pending changes.
  void clear_pending() { mutable_data().pending = SbChanges{}; }
  void set_threads(unsigned threads) { threads_ = threads; }

 protected:
  engine::Computed recompute() override;

 private:
  void take_changes();
  unsigned threads_;
  const EnSbData& sb_;
  std::string fingerprint_;
  // Frees replaced compilers off the engine run (waits for the last one when destroyed).
  BackgroundRelease old_compilers_;
};

// Merges `more` into `into`.
void merge_changes(SbChanges& into, SbChanges&& more);

// Builds and wires the graph; the nodes are owned by it.
struct NorthdGraph {
  engine::Graph graph;
  EnNbData* nb = nullptr;
  EnSbData* sb = nullptr;
  EnNorthd* northd = nullptr;
};
Result<std::unique_ptr<NorthdGraph>> make_northd_graph(ovsdb::client::Replica& nb,
                                                       const ovsdb::client::Replica& sb,
                                                       unsigned threads);

}  // namespace ovnx::northd
