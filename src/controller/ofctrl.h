// Ofctrl: the controller's OpenFlow session with the integration bridge.
//
// On every (re)connection to the bridge's management socket it sets the packet-in format
// (NXT_PACKET_IN2, so controller() user data arrives), makes sure the geneve option OVN uses
// (class 0x0102, type 0x80, 4 bytes) is mapped to tun_metadata0, then replaces the whole flow
// table with the desired flows in one atomic bundle, so a restarted switch or controller never
// shows a half-filled or empty table to traffic. After that it sends only the difference of
// what changed in the FlowStore, each difference one atomic bundle.
//
// Up to kMaxInFlight bundles are in flight: the next difference (e.g. the flows of ports that
// got their OpenFlow port while the switch applied a big bundle) need not wait for the previous
// commit. The switch applies them in order. installed_ is what the switch will hold once the
// bundles in flight commit; a refused bundle marks its flows unknown and sends them again.
//
// A big bundle (256 flow changes or more, set_commit_hold_min()) goes without its commit
// first: the switch takes in ~50 messages per main-loop iteration, so it spends a long while
// on it, and the differences found meanwhile (a bind's physical flows, once the ports'
// OpenFlow ports arrive) join the same bundle rather than paying a commit of their own (each
// commit costs the switch about a table's worth of work). The commit goes once the switch
// has taken in every part (the barrier after the last one). A switch error in a part
// discards the bundle; after a failed commit (its refused flow cannot be told apart from the
// parts' answers) the next bundle goes in one piece with its commit, so its errors name
// their flows.
// A very big difference (kStreamMin changes) is itself sent in two parts: the switch starts
// taking in the first while the rest is encoded.
//
// A bundle the switch refuses changes nothing: the refused flows are logged, left out of the
// desired set and the rest is sent again, so one bad flow cannot block every update.
//
// installed_seqno() tells up to which state (the seqno passed to run()) the switch holds the
// desired flows; the controller reports nb_cfg and ovn-installed from it.
//
// Single-threaded on the daemon's io_context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "controller/flow_store.h"
#include "openflow/channel.h"
#include "openflow/codec.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::openflow {
class Connection;
}

namespace ovnx::controller {

struct OfctrlStats {
  uint64_t bundles = 0;        // bundles committed
  uint64_t full_syncs = 0;     // whole-table replacements
  uint64_t flow_mods = 0;      // flow_mods sent in committed bundles
  uint64_t rejected = 0;       // flows the switch refused
  uint64_t packet_ins = 0;
};

class Ofctrl {
 public:
  using PacketInHandler = std::function<void(const openflow::PacketIn&)>;

  // CHANGED is called (from the io thread) whenever something happened that the main loop
  // should look at: connected, a bundle finished, the switch dropped.
  Ofctrl(boost::asio::io_context& io, std::function<void()> changed);
  ~Ofctrl();
  Ofctrl(const Ofctrl&) = delete;
  Ofctrl& operator=(const Ofctrl&) = delete;

  // Connects to TARGET ("unix:.../br-int.mgmt"), probing it after PROBE_INTERVAL_MS idle (0:
  // never); a different target or interval reconnects.
  void set_target(const std::string& target, int probe_interval_ms);
  void set_packet_in_handler(PacketInHandler handler) { on_packet_in_ = std::move(handler); }

  // Sends what changed in STORE (or the whole table after a reconnection, once no bundle is
  // in flight), if connected and fewer than kMaxInFlight bundles are in flight; while a big
  // bundle holds its commit, the difference joins it instead (up to kMaxHeldParts). SEQNO
  // identifies the state of STORE; see installed_seqno().
  void run(FlowStore& store, uint64_t seqno);

  // Sends one message now (packet-outs, resumes); false if not connected.
  bool send(const openflow::Message& message);

  bool is_connected() const;
  // The connection is ready (TLV mapping done) and the switch holds the desired flows of
  // installed_seqno().
  bool synced() const { return ready_ && in_flight_ == 0 && pending_.empty() && !need_full_; }
  uint64_t installed_seqno() const { return installed_seqno_; }
  uint64_t connection_seqno() const { return conn_seqno_; }
  size_t installed_flows() const { return installed_.size() - tombstones_; }
  const OfctrlStats& stats() const { return stats_; }
  const std::string& target() const { return target_; }
  // The last problem (TLV mapping refused, rejected flows), empty if none.
  const std::string& last_error() const { return last_error_; }

  // Forgets what the switch holds: the next run() replaces the whole table.
  void force_full_sync() { need_full_ = true; }

  // Bundles of at least N flow changes hold their commit (see above); 0 never holds.
  void set_commit_hold_min(size_t n) { commit_hold_min_ = n; }
  // The open bundle's parts so far (0 when none is open), for tests.
  size_t held_parts() const { return held_ ? held_->parts.size() : 0; }

 private:
  void on_connected();
  void on_disconnected();
  void setup_tlv_map();
  // Identity -> fingerprint of the flow the switch holds once the bundles in flight commit
  // (kUnknown: whatever it holds must be overwritten or deleted; kAbsent: deleted, a tombstone
  // kept while bundles in flight may point at it).
  using Installed = std::unordered_map<openflow::FlowKey, uint64_t>;
  static constexpr uint64_t kUnknown = 0;  // fingerprints are never 0 or 1
  static constexpr uint64_t kAbsent = 1;

  // One flow change of a bundle: ENTRY (its identity, in installed_) gets the flow with
  // FINGERPRINT, or is deleted (nullopt). The bundle keeps only these, not the flows nor a
  // copy of the identity: the encoded messages are all it needs.
  struct Change {
    Installed::value_type* entry;
    std::optional<uint64_t> fingerprint;
  };
  // A bundle being built: its messages, encoded back to back, and the Changes they carry:
  // changes[i] is in message first_change_msg + i (the open request, and for a whole table
  // the wipe, come before).
  struct BundleDraft {
    uint32_t id = 0;
    openflow::EncodedBatch batch;
    size_t first_change_msg = 0;
    std::vector<Change> changes;
  };

  // A bundle whose commit waits for the differences found while the switch takes it in: it is
  // committed once every part sent is answered.
  struct HeldBundle {
    uint32_t id = 0;
    bool full = false;
    uint64_t seqno = 0;              // proved by the commit
    std::vector<BundleDraft> parts;  // sent (batches moved out): their Changes
    size_t unanswered = 0;           // parts whose barrier is not answered yet
    bool refused = false;            // a part got switch errors: discard, do not commit
  };

  void send_full(FlowStore& store, uint64_t seqno);
  void send_incremental(FlowStore& store, uint64_t seqno);
  // Moves STORE's dirty identities into pending_.
  void take_dirty(FlowStore& store);
  // A bundle of CHANGES flow changes may hold its commit now.
  bool may_hold(size_t changes) const;
  // The difference of STORE (and pending_) as a draft of bundle ID, with the open request if
  // OPEN, at most LIMIT flow changes (the rest stays in pending_); nullopt if there is
  // nothing to send.
  std::optional<BundleDraft> build_difference(FlowStore& store, uint32_t id, bool open,
                                              size_t limit = SIZE_MAX);
  // Sends DRAFT (open request and changes, no commit) as the first part of held_.
  void hold_bundle(BundleDraft draft, bool full, uint64_t seqno);
  void send_held_part(BundleDraft draft);
  void on_held_part_done(const openflow::BatchResult& br, size_t part);
  // Logs BR's errors against DRAFT's flows and leaves the refused flows out from now on.
  void note_refusals(const BundleDraft& draft, const openflow::BatchResult& br);
  // Every part taken in: commit held_, or discard it if a part was refused.
  void finish_held();
  // Encodes MOD with FLOW (the change of KEY to FP) into DRAFT, with a Change whose entry
  // the caller fills; a failure is logged and the flow refused. True if it went in.
  bool add_to_draft(BundleDraft& draft, const openflow::FlowMod& mod, const openflow::Flow& flow,
                    const openflow::FlowKey& key, std::optional<uint64_t> fp);
  // installed_[KEY] = FP; the entry stays put until purge_tombstones().
  Installed::value_type* expect(openflow::FlowKey key, uint64_t fp);
  // Drops the deleted entries once no bundle in flight refers to them.
  void purge_tombstones();
  void send_bundle(BundleDraft draft, bool full, uint64_t seqno);
  // A bundle failed or was refused: its flows are unknown again and go in the next bundle.
  void forget_bundle(const BundleDraft& draft, bool full);
  void on_bundle_done(const openflow::BatchResult& br, bool full, uint64_t seqno,
                      BundleDraft& draft);
  static uint64_t fingerprint(const openflow::Flow& f);
  // Nothing is left to send for SEQNO: it is installed once the bundles in flight commit.
  void reached(uint64_t seqno);

  boost::asio::io_context& io_;
  std::function<void()> changed_;
  PacketInHandler on_packet_in_;
  std::unique_ptr<openflow::Connection> conn_;
  std::string target_;
  int probe_interval_ms_ = 0;
  static constexpr int kMaxInFlight = 2;
  size_t commit_hold_min_ = 256;  // ~5 of the switch's main-loop iterations of messages
  // A difference this big goes in two parts, the first of kFirstPartChanges (~200 kB: what
  // the socket takes at once, ~25 of the switch's iterations) sent before the rest is encoded.
  static constexpr size_t kStreamMin = 4000;
  static constexpr size_t kFirstPartChanges = 1200;
  // Differences join an open bundle while the switch has not taken in all of it, up to this
  // many parts (so a steady stream of changes cannot hold a commit back forever).
  static constexpr size_t kMaxHeldParts = 8;
  // False after a held bundle's commit failed: the next bundle goes in one piece (its errors
  // name their flows); true again once a bundle commits.
  bool hold_ok_ = true;
  std::optional<HeldBundle> held_;  // counts as one in flight

  bool ready_ = false;     // connected and the TLV mapping is in place
  int in_flight_ = 0;      // bundles sent, not answered yet
  bool need_full_ = true;  // the switch's table is unknown
  uint64_t conn_seqno_ = 0;
  uint64_t installed_seqno_ = 0;
  // The seqno reached once the bundles in flight commit (nothing else was left to send).
  uint64_t caught_up_seqno_ = 0;
  uint32_t next_bundle_id_ = 1;
  // Bundles older than this were sent before a refusal: their success proves no seqno.
  uint32_t trusted_bundle_id_ = 0;
  Installed installed_;
  size_t tombstones_ = 0;  // kAbsent entries in installed_
  // Identities changed in the store but not yet committed to the switch.
  std::unordered_set<openflow::FlowKey> pending_;
  // Identities whose desired flow the switch refused (left out until they change again).
  std::unordered_map<openflow::FlowKey, uint64_t> refused_;
  OfctrlStats stats_;
  std::string last_error_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ovnx::controller
