// put_arp / put_nd: learn an IP -> MAC binding into the Southbound MAC_Binding table
// (ovn-sb(5)): one row per (logical_port, ip), with the datapath and the time it was learned.
// The flow moved the arguments into fixed places (logical/controller_ops.h): the logical port
// key in reg14, the IPv4 address in reg0 or the IPv6 address in xxreg0 (reg0..reg3, reg0 most
// significant), the MAC in the packet's Ethernet source.
//
// The write is queued for the daemon's next Southbound transaction and re-resolves everything
// by key when it runs (it may run after the replica changed, or be retried), so it holds no
// row pointers. Duplicates are suppressed twice: a binding the replica already has is not
// written, and one already queued with the same MAC is not queued again for a while.
#include <fmt/format.h>

#include "base/log.h"
#include "controller/pinctrl_handlers.h"
#include "ovsdb/client/sb.h"
#include "packets/addresses.h"
#include "packets/ethernet.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

namespace {

// How long a queued write suppresses identical packet-ins before it is queued again (covers a
// transaction that failed and was dropped, or a row someone else deleted meanwhile).
constexpr int64_t kPendingHoldMs = 5000;
// At most this many distinct bindings wait for the Southbound at once; beyond, packet-ins are
// ignored (a flood of spoofed ARPs must not grow the controller without bound).
constexpr size_t kMaxPending = 1024;

struct Binding {
  uint32_t dp_key = 0;
  std::string lport;
  std::string ip;
  std::string mac;
};

// Inserts or updates the row; nothing if it is already as wanted.
Status write_binding(ovsdb::client::Transaction& txn, const Binding& b, int64_t now_ms) {
  const ovsdb::client::Replica& sb = txn.replica();
  const sb::DatapathBinding* dp = find_datapath(sb, b.dp_key);
  if (!dp) return ok_status();  // the datapath went away meanwhile: nothing to learn
  for (const sb::MACBinding* row : sb::MACBinding::rows(txn)) {
    if (row->logical_port() != b.lport || row->ip() != b.ip) continue;
    if (row->mac() == b.mac && row->datapath() == dp) return ok_status();
    auto w = sb::MACBinding::edit(txn, row);
    w.set_mac(b.mac);
    w.set_datapath(dp);
    w.set_timestamp(now_ms);
    return ok_status();
  }
  auto w = sb::MACBinding::insert(txn);
  w.set_logical_port(b.lport);
  w.set_ip(b.ip);
  w.set_mac(b.mac);
  w.set_datapath(dp);
  w.set_timestamp(now_ms);
  return ok_status();
}

Result<Binding> decode_binding(const PacketInEvent& ev, const ovsdb::client::Replica& sb) {
  Binding b;
  b.dp_key = ev.dp_key;
  auto eth = packets::parse_ethernet(ev.raw->packet);
  if (!eth.ok()) return eth.error();
  const packets::MacAddr mac = eth->header.src;
  if (mac.is_multicast() || mac.is_zero()) {
    return make_error("pinctrl",
                      fmt::format("not learning multicast or zero MAC {}", mac.to_string()));
  }
  b.mac = mac.to_string();
  if (ev.op == logical::ControllerOp::kPutArp) {
    packets::Ipv4Addr ip{ev.regs[0]};
    if (ip.is_zero() || ip.is_broadcast() || ip.is_multicast()) {
      return make_error("pinctrl", fmt::format("not learning address {}", ip.to_string()));
    }
    b.ip = ip.to_string();
  } else {
    packets::Ipv6Addr ip;
    for (int r = 0; r < 4; r++) {
      for (int i = 0; i < 4; i++) ip.bytes[4 * r + i] = uint8_t(ev.regs[r] >> (24 - 8 * i));
    }
    if (ip.is_zero() || ip.is_multicast()) {
      return make_error("pinctrl", fmt::format("not learning address {}", ip.to_string()));
    }
    b.ip = ip.to_string();
  }
  const sb::PortBinding* pb = find_port(sb, ev.dp_key, ev.inport);
  if (!pb) {
    return make_error("pinctrl",
                      fmt::format("no logical port {} on datapath {}", ev.inport, ev.dp_key));
  }
  b.lport = pb->logical_port();
  return b;
}

}  // namespace

void MacBindingHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  const ovsdb::client::Replica* sb = ctx.sb();
  if (!sb) {
    stats_.ignored++;  // not connected: the next request will teach us again
    return;
  }
  auto b = decode_binding(ev, *sb);
  if (!b.ok()) {
    stats_.malformed++;
    LOG_DBG("{}: {}", logical::controller_op_name(ev.op), b.error().to_string());
    return;
  }
  const int64_t now = ctx.now_ms();
  // A queued write is settled once the replica shows it, or after the hold time.
  auto settled = [&](const auto& entry) {
    const auto& [dp_key, lport, ip] = entry.first;
    const sb::MACBinding* row = sb::MACBinding::find_by_logical_port_ip(*sb, lport, ip);
    return (row && row->mac() == entry.second.first) || now - entry.second.second > kPendingHoldMs;
  };
  auto key = std::make_tuple(b->dp_key, b->lport, b->ip);
  auto it = pending_.find(key);
  if (it != pending_.end() && settled(*it)) {
    pending_.erase(it);
    it = pending_.end();
  }
  const sb::MACBinding* row = sb::MACBinding::find_by_logical_port_ip(*sb, b->lport, b->ip);
  if (row && row->mac() == b->mac) {
    stats_.ignored++;
    return;
  }
  if (it != pending_.end() && it->second.first == b->mac) {
    stats_.ignored++;
    return;
  }
  if (it == pending_.end() && pending_.size() >= kMaxPending) {
    std::erase_if(pending_, settled);
    if (pending_.size() >= kMaxPending) {
      stats_.ignored++;
      LOG_DBG("{}: {} bindings already waiting, ignoring {}", logical::controller_op_name(ev.op),
              pending_.size(), b->ip);
      return;
    }
  }
  pending_[key] = {b->mac, now};
  LOG_DBG("learning {} {} is at {}", b->lport, b->ip, b->mac);
  ctx.queue_sb_write([binding = std::move(b).value(), now](ovsdb::client::Transaction& txn) {
    return write_binding(txn, binding, now);
  });
  stats_.handled++;
}

}  // namespace ovnx::controller::pinctrl
