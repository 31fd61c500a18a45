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

using openflow::BundleAdd;
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
  ready_ = busy_ = false;
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
  busy_ = false;
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
  busy_ = false;
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
  return h;
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
  if (!ready_ || busy_ || !is_connected()) return;
  if (need_full_) return send_full(store, seqno);
  send_incremental(store, seqno);
}

void Ofctrl::send_full(FlowStore& store, uint64_t seqno) {
  store.take_dirty();  // everything goes anyway
  pending_.clear();
  std::vector<FlowMod> mods;
  mods.reserve(store.size() + 1);
  FlowMod wipe;
  wipe.command = FlowModCommand::kDelete;
  wipe.flow.table_id = openflow::kTableAll;
  mods.push_back(wipe);
  std::vector<FlowKey> keys;
  keys.reserve(store.size());
  store.for_each([&](const Flow& f) {
    FlowKey key = FlowKey::of(f);
    if (auto it = refused_.find(key); it != refused_.end()) {
      if (it->second == fingerprint(f)) return;
      refused_.erase(it);
    }
    mods.push_back(FlowMod{.command = FlowModCommand::kAdd, .flow = f});
    keys.push_back(std::move(key));
  });
  send_bundle(std::move(mods), true, seqno, std::move(keys));
}

void Ofctrl::send_incremental(FlowStore& store, uint64_t seqno) {
  for (FlowKey& k : store.take_dirty()) pending_.insert(std::move(k));
  if (pending_.empty()) {
    installed_seqno_ = std::max(installed_seqno_, seqno);
    return;
  }
  std::vector<FlowMod> deletes, adds;
  std::vector<FlowKey> keys;
  keys.reserve(pending_.size());
  for (const FlowKey& key : pending_) {
    std::optional<Flow> want = store.desired(key);
    if (want) {
      if (auto it = refused_.find(key); it != refused_.end()) {
        if (it->second == fingerprint(*want)) {
          want.reset();
        } else {
          refused_.erase(it);
        }
      }
    }
    auto inst = installed_.find(key);
    if (want) {
      if (inst == installed_.end() || inst->second != fingerprint(*want)) {
        adds.push_back(FlowMod{.command = FlowModCommand::kAdd, .flow = std::move(*want)});
      }
    } else if (inst != installed_.end()) {
      FlowMod del;
      del.command = FlowModCommand::kDeleteStrict;
      del.flow.table_id = key.table_id;
      del.flow.priority = key.priority;
      del.flow.match = key.match;
      deletes.push_back(std::move(del));
    }
    keys.push_back(key);
  }
  if (deletes.empty() && adds.empty()) {
    pending_.clear();
    installed_seqno_ = std::max(installed_seqno_, seqno);
    return;
  }
  std::vector<FlowMod> mods = std::move(deletes);
  mods.insert(mods.end(), std::make_move_iterator(adds.begin()),
              std::make_move_iterator(adds.end()));
  send_bundle(std::move(mods), false, seqno, std::move(keys));
}

void Ofctrl::send_bundle(std::vector<FlowMod> mods, bool full, uint64_t seqno,
                         std::vector<FlowKey> keys) {
  uint32_t bundle = next_bundle_id_++;
  constexpr uint16_t kFlags = openflow::kBundleAtomic | openflow::kBundleOrdered;
  std::vector<Message> batch;
  batch.reserve(mods.size() + 2);
  batch.push_back(BundleControl{bundle, BundleCtrlType::kOpenRequest, kFlags});
  std::vector<size_t> mod_of_msg;  // batch index -> mods index
  for (size_t i = 0; i < mods.size(); ++i) {
    auto inner = openflow::encode(mods[i], 0);
    if (!inner.ok()) {
      // Our own compiler produced something unencodable: leave it out, loudly.
      LOG_ERR("cannot encode flow {}: {}", openflow::format_flow(mods[i].flow),
              inner.error().to_string());
      refused_[FlowKey::of(mods[i].flow)] = fingerprint(mods[i].flow);
      stats_.rejected++;
      continue;
    }
    mod_of_msg.resize(batch.size() + 1, SIZE_MAX);
    mod_of_msg[batch.size()] = i;
    batch.push_back(BundleAdd{bundle, kFlags, std::move(inner).value()});
  }
  batch.push_back(BundleControl{bundle, BundleCtrlType::kCommitRequest, kFlags});
  busy_ = true;
  uint64_t conn = conn_seqno_;
  std::weak_ptr<bool> alive = alive_;
  size_t n_mods = mods.size();
  conn_->send_batch(
      std::move(batch), [this, alive, conn, full, seqno, n_mods, mods = std::move(mods),
                         keys = std::move(keys), mod_of_msg = std::move(mod_of_msg)](
                            const openflow::BatchResult& br) mutable {
        if (!alive.lock() || !*alive.lock() || conn != conn_seqno_) return;
        busy_ = false;
        if (br.failure) {
          LOG_WARN("{}: flow bundle failed: {}", target_, br.failure->to_string());
          need_full_ = true;
          pending_.clear();
          changed_();
          return;
        }
        if (!br.errors.empty()) {
          for (const auto& [index, err] : br.errors) {
            if (index < mod_of_msg.size() && mod_of_msg[index] != SIZE_MAX) {
              const Flow& f = mods[mod_of_msg[index]].flow;
              refused_[FlowKey::of(f)] = fingerprint(f);
              stats_.rejected++;
              last_error_ = fmt::format("switch refused flow {}: {}", openflow::format_flow(f),
                                        err.to_string());
              LOG_WARN("{}: {}", target_, last_error_);
            } else {
              LOG_WARN("{}: bundle error: {}", target_, err.to_string());
            }
          }
          // Nothing was applied: send again without the refused flows.
          if (full) need_full_ = true;
          changed_();
          return;
        }
        stats_.bundles++;
        stats_.flow_mods += n_mods;
        if (full) {
          stats_.full_syncs++;
          installed_.clear();
          need_full_ = false;
        }
        for (FlowMod& m : mods) {
          if (m.command == FlowModCommand::kDelete) continue;
          FlowKey key = FlowKey::of(m.flow);
          if (m.command == FlowModCommand::kDeleteStrict) {
            installed_.erase(key);
          } else {
            installed_[std::move(key)] = fingerprint(m.flow);
          }
        }
        for (const FlowKey& k : keys) pending_.erase(k);
        installed_seqno_ = std::max(installed_seqno_, seqno);
        changed_();
      });
}

}  // namespace ovnx::controller
