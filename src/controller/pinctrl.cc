#include "controller/pinctrl.h"

#include <set>

#include <fmt/format.h>

#include "base/log.h"
#include "base/ovn_conventions.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller {

Result<PacketInEvent> decode_packet_in(const openflow::PacketIn& pin) {
  OVNX_ASSIGN_OR_RETURN(logical::UserData ud, logical::decode_userdata(pin.userdata));
  PacketInEvent ev;
  ev.op = ud.op;
  ev.payload = ud.payload;
  ev.raw = &pin;
  for (const openflow::FieldMatch& fm : pin.metadata.fields()) {
    if (fm.field == openflow::Field::metadata) {
      ev.dp_key = static_cast<uint32_t>(fm.value.lo);
    } else if (openflow::is_reg(fm.field)) {
      int r = static_cast<int>(fm.field) - static_cast<int>(openflow::Field::reg0);
      ev.regs[r] = static_cast<uint32_t>(fm.value.lo);
    }
  }
  ev.inport = ev.regs[ovn::kRegLogInport];
  ev.outport = ev.regs[ovn::kRegLogOutport];
  return ev;
}

void Pinctrl::register_handler(logical::ControllerOp op, std::shared_ptr<PacketInHandler> handler) {
  handlers_[op] = std::move(handler);
}

void Pinctrl::dispatch(const openflow::PacketIn& pin, PinctrlContext& ctx) {
  stats_.received++;
  auto ev = decode_packet_in(pin);
  if (!ev.ok()) {
    stats_.malformed++;
    LOG_DBG("dropping packet-in: {}", ev.error().to_string());
    return;
  }
  stats_.by_op[std::string(logical::controller_op_name(ev->op))]++;
  auto it = handlers_.find(ev->op);
  if (it == handlers_.end()) {
    stats_.unhandled++;
    LOG_DBG("no handler for packet-in {} on datapath {}", logical::controller_op_name(ev->op),
            ev->dp_key);
    return;
  }
  it->second->handle(*ev, ctx);
}

void Pinctrl::run(PinctrlContext& ctx) {
  std::set<PacketInHandler*> seen;
  for (auto& [op, h] : handlers_) {
    if (seen.insert(h.get()).second) h->run(ctx);
  }
}

int Pinctrl::wait_ms() const {
  int best = -1;
  for (const auto& [op, h] : handlers_) {
    int w = h->wait_ms();
    if (w >= 0 && (best < 0 || w < best)) best = w;
  }
  return best;
}

std::string Pinctrl::stats_text() const {
  std::string out = fmt::format("received: {}\nmalformed: {}\nunhandled: {}\n", stats_.received,
                                stats_.malformed, stats_.unhandled);
  for (const auto& [op, n] : stats_.by_op) out += fmt::format("{}: {}\n", op, n);
  return out;
}

}  // namespace ovnx::controller
