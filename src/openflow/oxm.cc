#include "openflow/oxm.h"

#include <bitset>

#include <fmt/format.h>

namespace ovnx::openflow::oxm {
namespace {

constexpr OxmCode kOxmInPort{kOxmClassOpenflowBasic, 0, 4, 0};
constexpr OxmCode kOxmIpDscp{kOxmClassOpenflowBasic, 8, 1, 0};
constexpr uint8_t kOnfTcpFlagsField = 42;
constexpr size_t kMaxVariableBytes = 124;  // tun_metadata, per ovs-fields(7)

void put_header(wire::Writer& w, const OxmCode& code, bool hasmask, size_t value_len) {
  size_t len = hasmask ? 2 * value_len : value_len;
  if (code.oxm_class == kOxmClassExperimenter) len += 4;
  w.u16(code.oxm_class);
  w.u8(static_cast<uint8_t>((code.field << 1) | (hasmask ? 1 : 0)));
  w.u8(static_cast<uint8_t>(len));
  if (code.oxm_class == kOxmClassExperimenter) w.u32(code.experimenter);
}

size_t bytes_for(U128 v) { return static_cast<size_t>((v.bit_width() + 7) / 8); }

// Writes VALUE/MASK of FIELD under CODE with VALUE_LEN bytes per value.
void put_value(wire::Writer& w, const OxmCode& code, U128 value, U128 mask, bool masked,
               size_t value_len) {
  put_header(w, code, masked, value_len);
  w.value(value, value_len);
  if (masked) w.value(mask, value_len);
}

void put_variable(wire::Writer& w, Field field, U128 value, U128 mask) {
  // As Open vSwitch does: the shortest length that holds the value (and mask), right-aligned;
  // the switch right-aligns it again into the option's mapped length.
  bool masked = mask != U128::low_bits(field_bits(field));
  size_t len = std::max<size_t>(1, bytes_for(value));
  if (masked) len = std::max(len, bytes_for(mask));
  put_value(w, field_info(field).wire, value, mask, masked, len);
}

}  // namespace

size_t Header::value_len() const {
  size_t payload = length;
  if (oxm_class == kOxmClassExperimenter) payload -= 4;
  return hasmask ? payload / 2 : payload;
}

namespace {

Result<Header> get_header(wire::Reader& r, std::string_view context) {
  Header h;
  uint32_t raw = r.u32();
  if (!r.ok()) return r.status().error();
  h.oxm_class = static_cast<uint16_t>(raw >> 16);
  h.field = static_cast<uint8_t>((raw >> 9) & 0x7f);
  h.hasmask = (raw >> 8) & 1;
  h.length = static_cast<uint8_t>(raw & 0xff);
  if (h.oxm_class == kOxmClassExperimenter) {
    if (h.length < 4) {
      return wire::decode_error(fmt::format("{}: experimenter OXM header with length {} < 4",
                                            context, h.length));
    }
    h.experimenter = r.u32();
    if (!r.ok()) return r.status().error();
  }
  size_t payload = h.length - (h.oxm_class == kOxmClassExperimenter ? 4 : 0);
  if (h.hasmask && payload % 2 != 0) {
    return wire::decode_error(
        fmt::format("{}: masked OXM entry with odd payload length {}", context, payload));
  }
  return h;
}

Result<Field> resolve(const Header& h, std::string_view context) {
  std::optional<Field> f;
  if (h.oxm_class == kOxmClassExperimenter && h.experimenter == kOnfExperimenter &&
      h.field == kOnfTcpFlagsField) {
    f = Field::tcp_flags;
  } else {
    f = field_from_code(h.oxm_class, h.field, h.experimenter);
  }
  if (!f) {
    if (h.oxm_class == kOxmClassExperimenter) {
      return wire::decode_error(fmt::format("{}: unknown OXM field {} of experimenter {:#x}",
                                            context, h.field, h.experimenter));
    }
    return wire::decode_error(
        fmt::format("{}: unknown OXM field class {:#06x} field {}", context, h.oxm_class, h.field));
  }
  return *f;
}

// Checks the per-value length of H against FIELD's codes.
Status check_length(const Header& h, Field field, bool in_action, std::string_view context) {
  const FieldInfo& fi = field_info(field);
  size_t len = h.value_len();
  if (is_tun_metadata(field)) {
    // Headers in actions carry the option's (or the maximum) length; values at most 16 bytes.
    size_t max = in_action ? kMaxVariableBytes : 16;
    if (len >= 1 && len <= max) return ok_status();
    return wire::decode_error(fmt::format("{}: {} with {}-byte value (ovnx supports 1 to {})",
                                          context, fi.name, len, max));
  }
  const OxmCode& code = (h.oxm_class == fi.wire.oxm_class && h.field == fi.wire.field)
                            ? fi.wire
                            : fi.alt;
  size_t expected = code.valid() ? code.length : fi.wire.length;
  if (len != expected) {
    return wire::decode_error(fmt::format("{}: {} has a {}-byte value, expected {}", context,
                                          fi.name, len, expected));
  }
  return ok_status();
}

}  // namespace

void put_field_header(wire::Writer& w, Field field) {
  const OxmCode& code = field_info(field).wire;
  put_header(w, code, false, code.length);
}

Result<Field> get_field_header(wire::Reader& r, std::string_view context) {
  OVNX_ASSIGN_OR_RETURN(Header h, get_header(r, context));
  OVNX_ASSIGN_OR_RETURN(Field f, resolve(h, context));
  if (f == Field::in_port && h.oxm_class != kOxmClassNxm0) {
    return wire::decode_error(fmt::format(
        "{}: 32-bit OXM_OF_IN_PORT is not supported as an action operand, use NXM_OF_IN_PORT",
        context));
  }
  Header exact = h;
  exact.hasmask = false;  // a mask bit on an action operand header is ignored, as OVS does
  if (h.hasmask) exact.length = static_cast<uint8_t>(h.value_len());
  OVNX_RETURN_IF_ERROR(check_length(exact, f, true, context));
  return f;
}

void put_entry(wire::Writer& w, Field field, U128 value, U128 mask) {
  const FieldInfo& fi = field_info(field);
  U128 all = U128::low_bits(fi.n_bits);
  if (is_tun_metadata(field)) return put_variable(w, field, value, mask);
  put_value(w, fi.wire, value, mask, mask != all, fi.wire.length);
}

Result<Entry> get_entry(wire::Reader& r) {
  OVNX_ASSIGN_OR_RETURN(Header h, get_header(r, "OXM entry"));
  OVNX_ASSIGN_OR_RETURN(Field f, resolve(h, "OXM entry"));
  const FieldInfo& fi = field_info(f);
  OVNX_RETURN_IF_ERROR(check_length(h, f, false, "OXM entry"));
  size_t len = h.value_len();
  Entry e{f, r.value(len), h.hasmask ? r.value(len) : U128::low_bits(fi.n_bits)};
  if (!r.ok()) return r.status().error();
  if (f == Field::in_port && len == 4) {
    if (h.hasmask) return wire::decode_error("OXM entry: in_port cannot be masked");
    OVNX_ASSIGN_OR_RETURN(uint16_t port, port_from_ofp11(static_cast<uint32_t>(e.value.lo)));
    e.value = port;
    e.mask = U128::low_bits(16);
  }
  U128 width = U128::low_bits(fi.n_bits);
  if (!(e.value & ~width).is_zero() || !(e.mask & ~width).is_zero()) {
    return wire::decode_error(fmt::format("OXM entry: {} value or mask wider than its {} bits",
                                          fi.name, fi.n_bits));
  }
  return e;
}

void put_match_fields(wire::Writer& w, const Match& match) {
  for (const FieldMatch& fm : match.fields()) {
    const FieldInfo& fi = field_info(fm.field);
    switch (fm.field) {
      case Field::in_port:  // OpenFlow 1.5 matches carry the 32-bit form
        put_value(w, kOxmInPort, port_to_ofp11(static_cast<uint16_t>(fm.value.lo)), {}, false, 4);
        break;
      case Field::nw_tos:  // the DSCP bits, as OXM_OF_IP_DSCP
        put_value(w, kOxmIpDscp, fm.value >> 2, {}, false, 1);
        break;
      default:
        if (is_tun_metadata(fm.field)) {
          put_variable(w, fm.field, fm.value, fm.mask);
        } else {
          put_value(w, fi.wire, fm.value, fm.mask, fm.mask != U128::low_bits(fi.n_bits),
                    fi.wire.length);
        }
        break;
    }
  }
}

Result<Match> get_match_fields(wire::Reader& r) {
  Match m;
  std::bitset<kNumFields> seen;
  while (r.ok() && !r.empty()) {
    OVNX_ASSIGN_OR_RETURN(Entry e, get_entry(r));
    size_t i = static_cast<size_t>(e.field);
    if (seen.test(i)) {
      return wire::decode_error(fmt::format("match has {} twice", field_name(e.field)));
    }
    seen.set(i);
    if (e.field == Field::vlan_pcp && m.find(Field::vlan_tci) == nullptr) {
      // A PCP match implies a VLAN header (the CFI bit), as Open vSwitch reads it.
      m.set_masked(Field::vlan_tci, 0x1000, 0x1000);
    }
    m.set_masked(e.field, e.value, e.mask);
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return m;
}

void put_match(wire::Writer& w, const Match& match) {
  size_t start = w.size();
  w.u16(1);  // OFPMT_OXM
  w.u16(0);  // length, patched below
  put_match_fields(w, match);
  w.patch_u16(start + 2, static_cast<uint16_t>(w.size() - start));
  w.pad_from(start, 8);
}

Result<Match> get_match(wire::Reader& r) {
  uint16_t type = r.u16();
  uint16_t length = r.u16();
  if (!r.ok()) return r.status().error();
  if (type != 1) {
    return wire::decode_error(fmt::format("match type {} is not OFPMT_OXM (1)", type));
  }
  if (length < 4) return wire::decode_error(fmt::format("match length {} < 4", length));
  wire::Reader fields = r.sub(length - 4, "match");
  r.skip(wire::round_up(length, 8) - length);
  OVNX_RETURN_IF_ERROR(r.status());
  return get_match_fields(fields);
}

}  // namespace ovnx::openflow::oxm
