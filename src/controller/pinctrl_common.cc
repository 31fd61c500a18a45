#include "controller/pinctrl_common.h"

#include <fmt/format.h>

#include "base/log.h"
#include "openflow/codec.h"
#include "openflow/fields.h"
#include "ovsdb/client/sb.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

using openflow::Field;

namespace {

// The pipeline fields a packet-out may carry in its OpenFlow 1.5 match: the logical datapath
// (metadata) and the registers (logical ports, flags, action arguments).
bool is_reloaded_field(Field f) { return f == Field::metadata || openflow::is_reg(f); }

}  // namespace

Result<openflow::PacketOut> nested_packet_out(const PacketInEvent& ev, packets::Bytes packet) {
  if (!ev.raw) return make_error("pinctrl", "packet-in event without its message");
  auto actions = openflow::decode_actions(ev.payload);
  if (!actions.ok()) {
    return make_error("pinctrl",
                      fmt::format("nested actions of {}: {}", logical::controller_op_name(ev.op),
                                  actions.error().to_string()));
  }
  openflow::PacketOut po;
  po.match.set(Field::in_port, openflow::U128(openflow::kPortController));
  for (const openflow::FieldMatch& fm : ev.raw->metadata.fields()) {
    if (is_reloaded_field(fm.field)) po.match.set_masked(fm.field, fm.value, fm.mask);
  }
  po.actions = std::move(actions).value();
  po.packet = std::move(packet);
  return po;
}

Result<openflow::Resume> resume_with_result(const PacketInEvent& ev,
                                            const logical::ResultBit& result_field, bool result,
                                            std::optional<packets::Bytes> packet) {
  if (!ev.paused()) {
    return make_error("pinctrl", fmt::format("{}: the pipeline was not paused",
                                             logical::controller_op_name(ev.op)));
  }
  const uint32_t h = result_field.oxm_header;
  auto field = openflow::field_from_code(uint16_t(h >> 16), uint8_t((h >> 9) & 0x7f), 0);
  if (!field || (h & 0x100) != 0 || (h & 0xff) != openflow::field_info(*field).wire.length) {
    return make_error("pinctrl",
                      fmt::format("result field header {:#010x} is not a known field", h));
  }
  openflow::Subfield sf{*field, uint16_t(result_field.bit), 1};
  if (result_field.bit > 0xffff || !sf.valid() || !openflow::field_info(*field).writable) {
    return make_error("pinctrl", fmt::format("result bit {} of {} is invalid", result_field.bit,
                                             openflow::field_name(*field)));
  }
  openflow::Resume resume = openflow::resume_from(*ev.raw);
  openflow::Match& md = resume.packet_in.metadata;
  md.set_subfield(sf, openflow::U128(result ? 1 : 0));
  // A register the pipeline left at zero is absent from the metadata; after setting one bit
  // it would be a partial constraint. Send whole registers, as the switch reports them.
  std::vector<openflow::FieldMatch> partial;
  for (const openflow::FieldMatch& fm : md.fields()) {
    if (fm.mask != openflow::U128::low_bits(openflow::field_bits(fm.field))) partial.push_back(fm);
  }
  for (const openflow::FieldMatch& fm : partial) md.set(fm.field, fm.value);
  if (packet) {
    resume.packet_in.packet = std::move(*packet);
    resume.packet_in.full_len = uint32_t(resume.packet_in.packet.size());
  }
  return resume;
}

void send_counted(PinctrlContext& ctx, const openflow::Message& message, HandlerStats& stats) {
  if (ctx.send(message)) {
    stats.handled++;
  } else {
    stats.send_failures++;
  }
}

void send_nested(const PacketInEvent& ev, PinctrlContext& ctx, Result<packets::Bytes> frame,
                 HandlerStats& stats) {
  if (!frame.ok()) {
    stats.malformed++;
    LOG_DBG("{}: dropping packet: {}", logical::controller_op_name(ev.op),
            frame.error().to_string());
    return;
  }
  auto po = nested_packet_out(ev, std::move(frame).value());
  if (!po.ok()) {
    stats.malformed++;
    LOG_DBG("{}", po.error().to_string());
    return;
  }
  send_counted(ctx, std::move(po).value(), stats);
}

void finish_paused(const PacketInEvent& ev, PinctrlContext& ctx,
                   const logical::ResultBit& result_field, std::optional<packets::Bytes> reply,
                   HandlerStats& stats, bool malformed) {
  const bool answered = reply.has_value();
  auto resume = resume_with_result(ev, result_field, answered, std::move(reply));
  if (!resume.ok()) {
    stats.malformed++;
    LOG_DBG("{}", resume.error().to_string());
    return;
  }
  if (!answered) (malformed ? stats.malformed : stats.ignored)++;
  if (!ctx.send(std::move(resume).value())) {
    stats.send_failures++;
  } else if (answered) {
    stats.handled++;
  }
}

const sb::DatapathBinding* find_datapath(const ovsdb::client::Replica& sb, uint32_t dp_key) {
  return sb::DatapathBinding::find_by_tunnel_key(sb, dp_key);
}

const sb::PortBinding* find_port(const ovsdb::client::Replica& sb, uint32_t dp_key,
                                 uint32_t port_key) {
  const sb::DatapathBinding* dp = find_datapath(sb, dp_key);
  if (!dp) return nullptr;
  return sb::PortBinding::find_by_datapath_tunnel_key(sb, dp, port_key);
}

}  // namespace ovnx::controller::pinctrl
