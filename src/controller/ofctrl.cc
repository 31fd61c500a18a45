#include "controller/ofctrl.h"

#include <algorithm>
#include <cstdint>

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
  if (conn_ && target == target_) return;
  if (conn_) conn_->stop();
  target_ = target;
  openflow::ConnectionOptions opts;
  opts.target = target;
  opts.probe_interval_ms = probe_interval_ms;
  opts.max_backoff_ms = 4000;
  conn_ = std::make_unique<openflow::Connection>(io_, opts);
  ready_ = false;
  in_flight_ = 0;
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
  if (!ready_ || in_flight_ >= kMaxInFlight || !is_connected()) return;
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

void Ofctrl::send_incremental(FlowStore& store, uint64_t seqno) {
  auto dirty = store.take_dirty();
  if (pending_.empty()) {
    pending_ = std::move(dirty);
  } else {
    pending_.merge(dirty);
  }
  if (pending_.empty()) return reached(seqno);
  // Deletions first, then additions and modifications (one ordered bundle).
  BundleDraft dels, adds;
  dels.id = adds.id = next_bundle_id_++;
  // A big difference (the first flows of a bind) must not rehash installed_ again and again.
  // Only ever grow it: reserve() with a smaller count rehashes the whole table down to it.
  size_t need = installed_.size() + pending_.size();
  if (need > installed_.bucket_count() * installed_.max_load_factor()) installed_.reserve(need);
  Flow scratch;  // each desired flow is built into it, not copied out of the store
  for (auto it = pending_.begin(); it != pending_.end();) {
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
  if (dels.batch.empty() && adds.batch.empty()) return reached(seqno);
  // One draft: the open request, the deletions, the additions (commit comes in send_bundle).
  BundleDraft draft;
  draft.id = dels.id;
  draft.batch.reserve(dels.batch.bytes().size() + adds.batch.bytes().size() + 64);
  (void)draft.batch.add(BundleControl{draft.id, BundleCtrlType::kOpenRequest, kBundleFlags});
  draft.first_change_msg = draft.batch.count();
  draft.batch.append(dels.batch);
  draft.batch.append(adds.batch);
  draft.changes = std::move(dels.changes);
  draft.changes.insert(draft.changes.end(), adds.changes.begin(), adds.changes.end());
  send_bundle(std::move(draft), false, seqno);
}

void Ofctrl::send_bundle(BundleDraft draft, bool full, uint64_t seqno) {
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
    for (const auto& [index, err] : br.errors) {
      if (index >= draft.first_change_msg &&
          index - draft.first_change_msg < draft.changes.size()) {
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
      } else {
        LOG_WARN("{}: bundle error: {}", target_, err.to_string());
      }
    }
    // Nothing was applied: send again without the refused flows.
    forget_bundle(draft, full);
    changed_();
    return;
  }
  stats_.bundles++;
  stats_.flow_mods += draft.changes.size() + (full ? 1 : 0);
  if (full) stats_.full_syncs++;
  if (draft.id >= trusted_bundle_id_) {
    installed_seqno_ = std::max(installed_seqno_, seqno);
    if (in_flight_ == 0) installed_seqno_ = std::max(installed_seqno_, caught_up_seqno_);
  }
  changed_();
}

}  // namespace ovnx::controller
