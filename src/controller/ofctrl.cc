#include "controller/ofctrl.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "base/log.h"
#include "base/ovn_conventions.h"
#include "openflow/connection.h"
#include "openflow/format.h"

OVNX_LOG_MODULE(ofctrl);

namespace ovnx::controller {

using openflow::BundleControl;
using openflow::BundleCtrlType;
using openflow::Flow;
using openflow::FlowKey;
using openflow::FlowMod;
using openflow::FlowModCommand;
using openflow::Message;

Ofctrl::Ofctrl(boost::asio::io_context& io, std::function<void()> changed)
    : io_(io), changed_(std::move(changed)) {}

Ofctrl::~Ofctrl() {
  *alive_ = false;
  if (conn_) conn_->stop();
}

bool Ofctrl::is_connected() const { return conn_ && conn_->is_connected(); }

void Ofctrl::set_target(const std::string& target, int probe_interval_ms) {
  if (conn_ && target == target_ && probe_interval_ms == probe_interval_ms_) return;
  if (conn_) conn_->stop();
  target_ = target;
  probe_interval_ms_ = probe_interval_ms;
  openflow::ConnectionOptions opts;
  opts.target = target;
  opts.probe_interval_ms = probe_interval_ms;
  opts.max_backoff_ms = 4000;
  conn_ = std::make_unique<openflow::Connection>(io_, opts);
  ready_ = false;
  in_flight_ = 0;
  held_.reset();
  need_full_ = true;
  std::weak_ptr<bool> alive = alive_;
  openflow::Connection::Handlers h;
  h.on_connected = [this, alive] {
    if (alive.lock() && *alive.lock()) on_connected();
  };
  h.on_disconnected = [this, alive](const Error& why) {
    if (!alive.lock() || !*alive.lock()) return;
    LOG_INFO("{}: OpenFlow connection lost: {}", target_, why.to_string());
    on_disconnected();
  };
  h.on_message = [this, alive](const openflow::Envelope& env) {
    if (!alive.lock() || !*alive.lock()) return;
    if (const auto* pin = std::get_if<openflow::PacketIn>(&env.message)) {
      stats_.packet_ins++;
      if (on_packet_in_) on_packet_in_(*pin);
    }
  };
  conn_->start(std::move(h));
}

void Ofctrl::on_connected() {
  conn_seqno_++;
  ready_ = false;
  in_flight_ = 0;
  held_.reset();
  need_full_ = true;
  pending_.clear();
  // br-int.mgmt is a service connection: it gets no asynchronous messages (packet-ins) until
  // the controller sets miss_send_len.
  auto rc = conn_->send(openflow::SetConfig{});
  if (!rc.ok()) LOG_WARN("{}: {}", target_, rc.error().to_string());
  // Packet-ins as NXT_PACKET_IN2: the only format that carries controller() user data.
  auto r = conn_->send(openflow::SetPacketInFormat{openflow::kPacketInFormatNxt2});
  if (!r.ok()) LOG_WARN("{}: {}", target_, r.error().to_string());
  setup_tlv_map();
}

void Ofctrl::on_disconnected() {
  ready_ = false;
  in_flight_ = 0;
  held_.reset();
  need_full_ = true;
  pending_.clear();
  changed_();
}

void Ofctrl::setup_tlv_map() {
  std::weak_ptr<bool> alive = alive_;
  uint64_t seq = conn_seqno_;
  conn_->request(openflow::TlvTableRequest{}, [this, alive, seq](Result<openflow::Envelope> r) {
    if (!alive.lock() || !*alive.lock() || seq != conn_seqno_) return;
    if (!r.ok()) {
      LOG_WARN("{}: TLV table request failed: {}", target_, r.error().to_string());
      return;  // the connection is going down, or the switch lacks TLV support
    }
    const auto* reply = std::get_if<openflow::TlvTableReply>(&r->message);
    if (!reply) {
      LOG_WARN("{}: unexpected answer to the TLV table request", target_);
      return;
    }
    for (const openflow::TlvMap& m : reply->mappings) {
      bool ours = m.option_class == ovn::kGeneveOptClass && m.option_type == ovn::kGeneveOptType &&
                  m.option_len == ovn::kGeneveOptLen;
      if (ours && m.index == 0) {
        ready_ = true;
        changed_();
        return;
      }
      if (ours || m.index == 0) {
        last_error_ = fmt::format(
            "tun_metadata0 and OVN's geneve option are mapped differently (option "
            "{:#x}/{:#x} on tun_metadata{}); remove the mapping with ovs-ofctl del-tlv-map",
            m.option_class, m.option_type, m.index);
        LOG_ERR("{}: {}", target_, last_error_);
        return;
      }
    }
    openflow::TlvTableMod mod;
    mod.command = openflow::TlvTableCommand::kAdd;
    mod.mappings.push_back(
        openflow::TlvMap{ovn::kGeneveOptClass, ovn::kGeneveOptType, ovn::kGeneveOptLen, 0});
    conn_->send_batch({mod}, [this, alive, seq](const openflow::BatchResult& br) {
      if (!alive.lock() || !*alive.lock() || seq != conn_seqno_) return;
      if (!br.ok()) {
        // Someone else may have added it meanwhile: look again.
        LOG_WARN("{}: adding the geneve TLV mapping failed: {}", target_,
                 br.status().error().to_string());
        if (!br.failure) setup_tlv_map();
        return;
      }
      LOG_INFO("{}: mapped geneve option class {:#x} type {:#x} to tun_metadata0", target_,
               ovn::kGeneveOptClass, ovn::kGeneveOptType);
      ready_ = true;
      changed_();
    });
  });
}

uint64_t Ofctrl::fingerprint(const Flow& f) {
  size_t h = openflow::hash_value(f.actions);
  h = openflow::hash_combine(h, f.cookie);
  h = openflow::hash_combine(h, (uint64_t{f.idle_timeout} << 32) | (uint64_t{f.hard_timeout} << 16) |
                                    f.flags);
  return h < 2 ? h + 2 : h;  // never kUnknown or kAbsent
}

bool Ofctrl::send(const Message& message) {
  if (!is_connected()) return false;
  auto r = conn_->send(message);
  if (!r.ok()) {
    LOG_WARN("{}: cannot send {}: {}", target_, openflow::message_name(message),
             r.error().to_string());
    return false;
  }
  return true;
}

void Ofctrl::run(FlowStore& store, uint64_t seqno) {
  if (!ready_ || !is_connected()) return;
  if (held_) {
    // Nothing may commit before the open bundle: a difference joins it while the switch is
    // still taking in its parts, or (past kMaxHeldParts) waits for its commit to go.
    // A refused bundle is discarded once its parts are answered: nothing more joins it.
    if (held_->parts.size() >= kMaxHeldParts || need_full_ || held_->refused) return;
    auto draft = build_difference(store, held_->id, false);
    if (!draft) return reached(seqno);
    held_->seqno = seqno;
    send_held_part(std::move(*draft));
    return;
  }
  if (in_flight_ >= kMaxInFlight) return;
  if (need_full_) {
    // The replacement deletes everything first: it must not race a difference.
    if (in_flight_ == 0) send_full(store, seqno);
    return;
  }
  send_incremental(store, seqno);
}

namespace {

constexpr uint16_t kBundleFlags = openflow::kBundleAtomic | openflow::kBundleOrdered;

}  // namespace

void Ofctrl::reached(uint64_t seqno) {
  if (in_flight_ == 0) {
    installed_seqno_ = std::max(installed_seqno_, seqno);
  } else {
    caught_up_seqno_ = std::max(caught_up_seqno_, seqno);
  }
}

bool Ofctrl::add_to_draft(BundleDraft& draft, const FlowMod& mod, const Flow& flow,
                          const FlowKey& key, std::optional<uint64_t> fp) {
  auto st = draft.batch.add_bundled_flow_mod(draft.id, kBundleFlags, mod, flow);
  if (!st.ok()) {
    // Our own compiler produced something unencodable: leave it out, loudly.
    LOG_ERR("cannot encode flow {}: {}", openflow::format_flow(flow), st.error().to_string());
    if (fp) refused_[key] = *fp;
    stats_.rejected++;
    return false;
  }
  draft.changes.push_back(Change{nullptr, fp});
  return true;
}

Ofctrl::Installed::value_type* Ofctrl::expect(FlowKey key, uint64_t fp) {
  auto [it, added] = installed_.try_emplace(std::move(key), fp);
  if (!added) {
    if (it->second == kAbsent) tombstones_--;
    it->second = fp;
  }
  return &*it;
}

void Ofctrl::purge_tombstones() {
  if (in_flight_ > 0 || tombstones_ == 0) return;
  std::erase_if(installed_, [](const auto& kv) { return kv.second == kAbsent; });
  tombstones_ = 0;
}

void Ofctrl::send_full(FlowStore& store, uint64_t seqno) {
  store.take_dirty();  // everything goes anyway
  pending_.clear();
  // What the switch holds is unknown until this bundle commits; the new table replaces it.
  installed_.clear();
  tombstones_ = 0;
  BundleDraft draft;
  draft.id = next_bundle_id_++;
  // A guess at the encoded size (a typical flow is 100-200 bytes) saves most regrowth.
  draft.batch.reserve(store.size() * 160 + 256);
  draft.changes.reserve(store.size());
  (void)draft.batch.add(BundleControl{draft.id, BundleCtrlType::kOpenRequest, kBundleFlags});
  FlowMod wipe;
  wipe.command = FlowModCommand::kDelete;
  wipe.flow.table_id = openflow::kTableAll;
  (void)draft.batch.add_bundled_flow_mod(draft.id, kBundleFlags, wipe, wipe.flow);
  draft.first_change_msg = draft.batch.count();
  // Each stored flow is encoded straight into the bundle, not copied into a FlowMod first.
  FlowMod add;
  add.command = FlowModCommand::kAdd;
  store.for_each([&](const Flow& f) {
    FlowKey key = FlowKey::of(f);
    uint64_t fp = fingerprint(f);
    if (auto it = refused_.find(key); it != refused_.end()) {
      if (it->second == fp) return;
      refused_.erase(it);
    }
    if (add_to_draft(draft, add, f, key, fp)) draft.changes.back().entry = expect(std::move(key), fp);
  });
  need_full_ = false;  // again if this bundle fails
  send_bundle(std::move(draft), true, seqno);
}

void Ofctrl::take_dirty(FlowStore& store) {
  auto dirty = store.take_dirty();
  if (pending_.empty()) {
    pending_ = std::move(dirty);
  } else {
    pending_.merge(dirty);
  }
}

bool Ofctrl::may_hold(size_t changes) const {
  return !held_ && hold_ok_ && commit_hold_min_ > 0 && changes >= commit_hold_min_;
}

void Ofctrl::send_incremental(FlowStore& store, uint64_t seqno) {
  take_dirty(store);
  // A big difference (a bind's new datapaths) streams: its first part is on its way to the
  // switch while the rest is encoded, and the rest joins it as a second part.
  bool stream = may_hold(pending_.size()) && pending_.size() >= kStreamMin;
  uint32_t id = next_bundle_id_;
  auto draft = build_difference(store, id, true, stream ? kFirstPartChanges : SIZE_MAX);
  if (!draft) return reached(seqno);
  next_bundle_id_++;
  if (!stream || pending_.empty()) return send_bundle(std::move(*draft), false, seqno);
  hold_bundle(std::move(*draft), false, seqno);
  if (auto rest = build_difference(store, id, false)) send_held_part(std::move(*rest));
}

std::optional<Ofctrl::BundleDraft> Ofctrl::build_difference(FlowStore& store, uint32_t id,
                                                            bool open, size_t limit) {
  take_dirty(store);
  if (pending_.empty()) return std::nullopt;
  // Deletions first, then additions and modifications (one ordered bundle).
  BundleDraft dels, adds;
  dels.id = adds.id = id;
  // A big difference (the first flows of a bind) must not rehash installed_ again and again.
  // Only ever grow it: reserve() with a smaller count rehashes the whole table down to it.
  size_t need = installed_.size() + pending_.size();
  if (need > installed_.bucket_count() * installed_.max_load_factor()) installed_.reserve(need);
  Flow scratch;  // each desired flow is built into it, not copied out of the store
  for (auto it = pending_.begin();
       it != pending_.end() && dels.changes.size() + adds.changes.size() < limit;) {
    bool want = store.desired_into(*it, scratch);
    std::optional<uint64_t> fp;
    if (want) {
      fp = fingerprint(scratch);
      if (auto r = refused_.find(*it); r != refused_.end()) {
        if (r->second == *fp) {
          want = false;
          fp.reset();
        } else {
          refused_.erase(r);
        }
      }
    }
    auto inst = installed_.find(*it);
    bool is_installed = inst != installed_.end() && inst->second != kAbsent;
    if (want ? is_installed && inst->second == *fp : !is_installed) {
      it = pending_.erase(it);  // the switch already holds what we want
      continue;
    }
    // What the switch holds once this bundle commits (forget_bundle() if it does not).
    if (want) {
      FlowMod mod{.command = FlowModCommand::kAdd};
      if (add_to_draft(adds, mod, scratch, *it, fp)) {
        if (inst != installed_.end()) {  // found above: no second lookup
          if (inst->second == kAbsent) tombstones_--;
          inst->second = *fp;
          adds.changes.back().entry = &*inst;
          it = pending_.erase(it);
        } else {
          adds.changes.back().entry = expect(std::move(pending_.extract(it++).value()), *fp);
        }
        continue;
      }
    } else {
      FlowMod mod = openflow::strict_delete_of(*it);
      if (add_to_draft(dels, mod, mod.flow, *it, fp)) {
        // A tombstone, not an erase: bundles in flight point at their entries.
        inst->second = kAbsent;
        tombstones_++;
        dels.changes.back().entry = &*inst;
      }
    }
    it = pending_.erase(it);
  }
  if (dels.batch.empty() && adds.batch.empty()) return std::nullopt;
  // One draft: the open request (unless it joins an open bundle), the deletions, the
  // additions (the commit comes in send_bundle() or finish_held()).
  BundleDraft draft;
  draft.id = id;
  draft.batch.reserve(dels.batch.bytes().size() + adds.batch.bytes().size() + 64);
  if (open) {
    (void)draft.batch.add(BundleControl{draft.id, BundleCtrlType::kOpenRequest, kBundleFlags});
  }
  draft.first_change_msg = draft.batch.count();
  draft.batch.append(dels.batch);
  draft.batch.append(adds.batch);
  draft.changes = std::move(dels.changes);
  draft.changes.insert(draft.changes.end(), adds.changes.begin(), adds.changes.end());
  return draft;
}

void Ofctrl::send_bundle(BundleDraft draft, bool full, uint64_t seqno) {
  if (may_hold(draft.changes.size())) return hold_bundle(std::move(draft), full, seqno);
  (void)draft.batch.add(BundleControl{draft.id, BundleCtrlType::kCommitRequest, kBundleFlags});
  openflow::EncodedBatch batch = std::move(draft.batch);
  draft.batch = {};
  in_flight_++;
  LOG_DBG("bundle {}: {} flow changes{} ({} bytes) for seqno {}, {} in flight", draft.id,
          draft.changes.size(), full ? " (whole table)" : "", batch.bytes().size(), seqno,
          in_flight_);
  uint64_t conn = conn_seqno_;
  std::weak_ptr<bool> alive = alive_;
  conn_->send_encoded_batch(std::move(batch), [this, alive, conn, full, seqno,
                                               draft = std::move(draft)](
                                                  const openflow::BatchResult& br) mutable {
    if (!alive.lock() || !*alive.lock() || conn != conn_seqno_) return;
    on_bundle_done(br, full, seqno, draft);
  });
}

void Ofctrl::forget_bundle(const BundleDraft& draft, bool full) {
  // Bundles sent after this one may have committed on top of a state that never existed:
  // none of them proves a seqno; the bundle that resends these flows will.
  trusted_bundle_id_ = next_bundle_id_;
  caught_up_seqno_ = 0;
  if (full) {
    need_full_ = true;
    pending_.clear();
    return;
  }
  for (const Change& c : draft.changes) {
    if (c.entry->second == kAbsent) tombstones_--;
    c.entry->second = kUnknown;
    pending_.insert(c.entry->first);
  }
}

void Ofctrl::on_bundle_done(const openflow::BatchResult& br, bool full, uint64_t seqno,
                            BundleDraft& draft) {
  if (in_flight_ > 0) in_flight_--;  // 0 already if the connection dropped
  LOG_DBG("bundle {} done: {}", draft.id, br.ok() ? "ok" : "refused");
  // Purged whatever happens below (forget_bundle() may revive entries first).
  struct Purge {
    Ofctrl* o;
    ~Purge() { o->purge_tombstones(); }
  } purge{this};
  if (br.failure) {
    LOG_WARN("{}: flow bundle failed: {}", target_, br.failure->to_string());
    forget_bundle(draft, true);  // what the switch holds is unknown: replace it all
    changed_();
    return;
  }
  if (!br.errors.empty()) {
    note_refusals(draft, br);
    // Nothing was applied: send again without the refused flows.
    forget_bundle(draft, full);
    changed_();
    return;
  }
  hold_ok_ = true;
  stats_.bundles++;
  stats_.flow_mods += draft.changes.size() + (full ? 1 : 0);
  if (full) stats_.full_syncs++;
  if (draft.id >= trusted_bundle_id_) {
    installed_seqno_ = std::max(installed_seqno_, seqno);
    if (in_flight_ == 0) installed_seqno_ = std::max(installed_seqno_, caught_up_seqno_);
  }
  changed_();
}

void Ofctrl::note_refusals(const BundleDraft& draft, const openflow::BatchResult& br) {
  for (const auto& [index, err] : br.errors) {
    if (index < draft.first_change_msg || index - draft.first_change_msg >= draft.changes.size()) {
      LOG_WARN("{}: bundle error: {}", target_, err.to_string());
      continue;
    }
    const Change& c = draft.changes[index - draft.first_change_msg];
    const FlowKey& key = c.entry->first;
    if (c.fingerprint) refused_[key] = *c.fingerprint;
    stats_.rejected++;
    Flow f;  // the identity is what names the flow; its actions are in the store
    f.table_id = key.table_id;
    f.priority = key.priority;
    f.match = key.match;
    last_error_ = fmt::format("switch refused {} of flow {}: {}",
                              c.fingerprint ? "the addition" : "the deletion",
                              openflow::format_flow(f), err.to_string());
    LOG_WARN("{}: {}", target_, last_error_);
  }
}

void Ofctrl::hold_bundle(BundleDraft draft, bool full, uint64_t seqno) {
  held_.emplace();
  held_->id = draft.id;
  held_->full = full;
  held_->seqno = seqno;
  in_flight_++;
  LOG_DBG("bundle {}: {} flow changes{} ({} bytes) for seqno {}, commit held, {} in flight",
          draft.id, draft.changes.size(), full ? " (whole table)" : "",
          draft.batch.bytes().size(), seqno, in_flight_);
  send_held_part(std::move(draft));
}

void Ofctrl::send_held_part(BundleDraft draft) {
  openflow::EncodedBatch batch = std::move(draft.batch);
  draft.batch = {};
  size_t part = held_->parts.size();
  if (part > 0) {
    LOG_DBG("bundle {}: {} more flow changes ({} bytes) join it, now for seqno {}", held_->id,
            draft.changes.size(), batch.bytes().size(), held_->seqno);
  }
  held_->parts.push_back(std::move(draft));
  held_->unanswered++;
  uint64_t conn = conn_seqno_;
  uint32_t id = held_->id;
  std::weak_ptr<bool> alive = alive_;
  conn_->send_encoded_batch(std::move(batch), [this, alive, conn, id, part](
                                                  const openflow::BatchResult& br) {
    if (!alive.lock() || !*alive.lock() || conn != conn_seqno_) return;
    if (!held_ || held_->id != id) return;  // given up already (a part failed)
    on_held_part_done(br, part);
  });
}

void Ofctrl::on_held_part_done(const openflow::BatchResult& br, size_t part) {
  HeldBundle& h = *held_;
  h.unanswered--;
  if (br.failure) {
    LOG_WARN("{}: flow bundle failed: {}", target_, br.failure->to_string());
    // The connection may still be up (an answer it could not read): do not leave the bundle
    // open on the switch until its idle timeout.
    if (is_connected()) {
      (void)conn_->send(BundleControl{h.id, BundleCtrlType::kDiscardRequest, kBundleFlags});
    }
    BundleDraft first = std::move(h.parts.front());
    held_.reset();
    if (in_flight_ > 0) in_flight_--;
    forget_bundle(first, true);  // what the switch holds is unknown: replace it all
    purge_tombstones();
    changed_();
    return;
  }
  if (!br.errors.empty()) {
    note_refusals(h.parts[part], br);
    h.refused = true;
  }
  if (h.unanswered == 0) finish_held();
}

void Ofctrl::finish_held() {
  HeldBundle h = std::move(*held_);
  held_.reset();
  if (h.refused) {
    // Nothing of it may commit: drop it, and send its flows again without the refused ones.
    LOG_DBG("bundle {} refused: discarded", h.id);
    if (is_connected()) {
      (void)conn_->send(BundleControl{h.id, BundleCtrlType::kDiscardRequest, kBundleFlags});
    }
    if (in_flight_ > 0) in_flight_--;
    for (const BundleDraft& p : h.parts) forget_bundle(p, h.full);
    purge_tombstones();
    changed_();
    return;
  }
  // The commit's answer settles every part: one draft of all their Changes (the commit's own
  // errors name no flow of them).
  BundleDraft all;
  all.id = h.id;
  all.first_change_msg = std::numeric_limits<size_t>::max();
  size_t n = 0;
  for (const BundleDraft& p : h.parts) n += p.changes.size();
  all.changes.reserve(n);
  for (const BundleDraft& p : h.parts) {
    all.changes.insert(all.changes.end(), p.changes.begin(), p.changes.end());
  }
  openflow::EncodedBatch commit;
  (void)commit.add(BundleControl{h.id, BundleCtrlType::kCommitRequest, kBundleFlags});
  LOG_DBG("bundle {}: commit of {} parts, {} flow changes, for seqno {}", h.id, h.parts.size(),
          n, h.seqno);
  uint64_t conn = conn_seqno_;
  std::weak_ptr<bool> alive = alive_;
  bool full = h.full;
  uint64_t seqno = h.seqno;
  conn_->send_encoded_batch(std::move(commit), [this, alive, conn, full, seqno,
                                                draft = std::move(all)](
                                                   const openflow::BatchResult& br) mutable {
    if (!alive.lock() || !*alive.lock() || conn != conn_seqno_) return;
    // Its refused flow is not known: the next bundle goes whole, so its errors name it.
    if (!br.ok()) hold_ok_ = false;
    on_bundle_done(br, full, seqno, draft);
  });
  changed_();  // a difference waiting for this commit can follow it now
}

}  // namespace ovnx::controller
