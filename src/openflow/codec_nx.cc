// Bodies of packet-in (NXT_PACKET_IN2 properties and the standard OFPT_PACKET_IN) and of the
// TLV table messages (Open vSwitch's Nicira extensions).
#include <algorithm>

#include <fmt/format.h>

#include "openflow/codec_internal.h"
#include "openflow/oxm.h"

namespace ovnx::openflow::codec {

using wire::Reader;
using wire::Writer;

namespace {

// NXT_PACKET_IN2 property types.
enum : uint16_t {
  kPinPacket = 0,
  kPinFullLen = 1,
  kPinBufferId = 2,
  kPinTableId = 3,
  kPinCookie = 4,
  kPinReason = 5,
  kPinMetadata = 6,
  kPinUserdata = 7,
  kPinContinuation = 8,
};

template <class Body>
void put_prop(Writer& w, uint16_t type, Body&& body) {
  size_t start = w.size();
  w.u16(type);
  w.u16(0);
  body();
  w.patch_u16(start + 2, static_cast<uint16_t>(w.size() - start));
  w.pad_from(start, 8);
}

}  // namespace

Status put_packet_in2_props(Writer& w, const PacketIn& m) {
  size_t limit = 0xffff - 256;  // leave room for the header and the small properties
  if (m.packet.size() + m.userdata.size() + (m.continuation ? m.continuation->size() : 0) >
      limit) {
    return encode_error("packet-in: packet, userdata and continuation too long for a message");
  }
  put_prop(w, kPinPacket, [&] { w.bytes(m.packet); });
  if (m.full_len != m.packet.size()) put_prop(w, kPinFullLen, [&] { w.u32(m.full_len); });
  if (m.buffer_id != kBufferNone) put_prop(w, kPinBufferId, [&] { w.u32(m.buffer_id); });
  put_prop(w, kPinTableId, [&] { w.u8(m.table_id); });
  put_prop(w, kPinCookie, [&] {
    w.zeros(4);  // 64-bit property values are 8-byte aligned
    w.u64(m.cookie);
  });
  put_prop(w, kPinReason, [&] { w.u8(m.reason); });
  put_prop(w, kPinMetadata, [&] { oxm::put_match_fields(w, m.metadata); });
  if (!m.userdata.empty()) put_prop(w, kPinUserdata, [&] { w.bytes(m.userdata); });
  if (m.continuation) put_prop(w, kPinContinuation, [&] { w.bytes(*m.continuation); });
  return ok_status();
}

Result<PacketIn> get_packet_in2_props(Reader& r) {
  PacketIn m;
  bool have_packet = false;
  bool have_full_len = false;
  while (r.ok() && !r.empty()) {
    uint16_t type = r.u16();
    uint16_t len = r.u16();
    if (!r.ok()) break;
    if (len < 4) return wire::decode_error(fmt::format("packet-in property length {} < 4", len));
    Reader p = r.sub(len - 4u, "packet-in property");
    r.skip(std::min(wire::round_up(len, 8) - len, r.remaining()));
    switch (type) {
      case kPinPacket:
        m.packet = p.vec(p.remaining());
        have_packet = true;
        break;
      case kPinFullLen:
        m.full_len = p.u32();
        have_full_len = true;
        break;
      case kPinBufferId: m.buffer_id = p.u32(); break;
      case kPinTableId: m.table_id = p.u8(); break;
      case kPinCookie:
        if (p.remaining() == 12) p.skip(4);
        m.cookie = p.u64();
        break;
      case kPinReason: m.reason = p.u8(); break;
      case kPinMetadata: {
        OVNX_ASSIGN_OR_RETURN(m.metadata, oxm::get_match_fields(p));
        break;
      }
      case kPinUserdata: m.userdata = p.vec(p.remaining()); break;
      case kPinContinuation: m.continuation = p.vec(p.remaining()); break;
      default:
        // Properties with the top bit clear... Open vSwitch may add more; unknown ones are
        // skipped rather than failing the whole packet-in.
        break;
    }
    OVNX_RETURN_IF_ERROR(p.status());
  }
  OVNX_RETURN_IF_ERROR(r.status());
  if (!have_packet) return wire::decode_error("packet-in without a packet property");
  if (!have_full_len) m.full_len = static_cast<uint32_t>(m.packet.size());
  return m;
}

Result<PacketIn> get_ofp_packet_in(Reader& r) {
  PacketIn m;
  m.buffer_id = r.u32();
  m.full_len = r.u16();
  m.reason = r.u8();
  m.table_id = r.u8();
  m.cookie = r.u64();
  OVNX_RETURN_IF_ERROR(r.status());
  OVNX_ASSIGN_OR_RETURN(m.metadata, oxm::get_match(r));
  r.skip(2);
  m.packet = r.vec(r.remaining());
  OVNX_RETURN_IF_ERROR(r.status());
  return m;
}

Status put_tlv_maps(Writer& w, const std::vector<TlvMap>& maps) {
  for (const TlvMap& t : maps) {
    w.u16(t.option_class);
    w.u8(t.option_type);
    w.u8(t.option_len);
    w.u16(t.index);
    w.zeros(2);
  }
  return ok_status();
}

Result<std::vector<TlvMap>> get_tlv_maps(Reader& r) {
  std::vector<TlvMap> maps;
  if (r.remaining() % 8 != 0) {
    return wire::decode_error(fmt::format("TLV map list of {} bytes is not a multiple of 8",
                                          r.remaining()));
  }
  while (r.ok() && !r.empty()) {
    TlvMap t;
    t.option_class = r.u16();
    t.option_type = r.u8();
    t.option_len = r.u8();
    t.index = r.u16();
    r.skip(2);
    maps.push_back(t);
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return maps;
}

}  // namespace ovnx::openflow::codec
