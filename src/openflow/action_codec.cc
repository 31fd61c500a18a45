// Action layouts: OpenFlow 1.5 section 7.2.6 and Open vSwitch's Nicira extensions (the
// NXAST_* structures: a 16-byte-aligned header type=0xffff, len, vendor=0x2320, subtype).
#include "openflow/action_codec.h"

#include <algorithm>

#include <fmt/format.h>

#include "openflow/oxm.h"

namespace ovnx::openflow::action_codec {
namespace {

using wire::Reader;
using wire::Writer;

// OpenFlow 1.1+ action types.
enum : uint16_t {
  kOfpatOutput = 0,
  kOfpatPushVlan = 17,
  kOfpatPopVlan = 18,
  kOfpatSetQueue = 21,
  kOfpatGroup = 22,
  kOfpatDecNwTtl = 24,
  kOfpatSetField = 25,
  kOfpatCopyField = 28,
  kOfpatMeter = 29,
  kOfpatExperimenter = 0xffff,
};

// Nicira action subtypes.
enum : uint16_t {
  kNxastResubmit = 1,
  kNxastRegMove = 6,
  kNxastRegLoad = 7,
  kNxastNote = 8,
  kNxastResubmitTable = 14,
  kNxastOutputReg = 15,
  kNxastController = 20,
  kNxastStackPush = 27,
  kNxastStackPop = 28,
  kNxastRegLoad2 = 33,
  kNxastConjunction = 34,
  kNxastCt = 35,
  kNxastNat = 36,
  kNxastController2 = 37,
  kNxastClone = 42,
  kNxastCtClear = 43,
  kNxastCheckPktLarger = 49,
};

// NXAST_CONTROLLER2 property types.
enum : uint16_t {
  kNxac2MaxLen = 0,
  kNxac2ControllerId = 1,
  kNxac2Reason = 2,
  kNxac2Userdata = 3,
  kNxac2Pause = 4,
  kNxac2MeterId = 5,
};

// NXAST_NAT flags and range_present bits.
enum : uint16_t {
  kNatSrc = 1,
  kNatDst = 2,
  kNatPersistent = 4,
  kNatProtoHash = 8,
  kNatProtoRandom = 16,
};
enum : uint16_t {
  kNatRangeIpv4Min = 1,
  kNatRangeIpv4Max = 2,
  kNatRangeIpv6Min = 4,
  kNatRangeIpv6Max = 8,
  kNatRangeProtoMin = 16,
  kNatRangeProtoMax = 32,
};

enum : uint16_t { kCtCommit = 1, kCtForce = 2 };

enum : uint16_t { kOfpitApplyActions = 4, kOfpitMeter = 6 };

constexpr int kMaxNesting = 16;

Error encode_error(std::string details) {
  return make_error("openflow encode error", std::move(details));
}

// Opens an action: writes type and a placeholder length; close() patches the length.
class ActionScope {
 public:
  ActionScope(Writer& w, uint16_t type) : w_(w), start_(w.size()) {
    w_.u16(type);
    w_.u16(0);
  }
  // A Nicira action: type 0xffff, length, vendor, subtype.
  static ActionScope nx(Writer& w, uint16_t subtype) {
    ActionScope s(w, kOfpatExperimenter);
    w.u32(kNxVendor);
    w.u16(subtype);
    return s;
  }
  Status close() {
    w_.pad_from(start_, 8);
    size_t len = w_.size() - start_;
    if (len > 0xffff) return encode_error(fmt::format("action of {} bytes is too long", len));
    w_.patch_u16(start_ + 2, static_cast<uint16_t>(len));
    return ok_status();
  }

 private:
  Writer& w_;
  size_t start_;
};

// Open vSwitch accepts inside ct(exec(...)) only nat and actions that write ct_mark/ct_label
// (set_field/load and move, as OVN's stateful ACLs use).
bool nestable_in_ct(const Action& inner) {
  auto writes_ct_metadata = [](Field f) { return f == Field::ct_mark || f == Field::ct_label; };
  if (std::holds_alternative<Nat>(inner)) return true;
  if (const auto* sf = std::get_if<SetField>(&inner)) return writes_ct_metadata(sf->field);
  if (const auto* mv = std::get_if<Move>(&inner)) return writes_ct_metadata(mv->dst.field);
  return false;
}

Status check_subfield(const Subfield& sf, std::string_view what) {
  if (!sf.valid()) {
    return encode_error(fmt::format("{}: invalid subfield {} ({} bits at offset {})", what,
                                    field_name(sf.field), sf.n_bits, sf.ofs));
  }
  return ok_status();
}

Status check_writable(Field f, std::string_view what) {
  if (!field_info(f).writable) {
    return encode_error(fmt::format("{}: field {} is read-only", what, field_name(f)));
  }
  return ok_status();
}

uint16_t ofs_nbits(const Subfield& sf) {
  return static_cast<uint16_t>((sf.ofs << 6) | (sf.n_bits - 1));
}

Status put_list(Writer& w, const ActionList& actions, int depth, bool in_ct);

struct Encoder {
  Writer& w;
  int depth;
  bool in_ct;

  Status operator()(const Output& a) {
    ActionScope s(w, kOfpatOutput);
    w.u32(port_to_ofp11(a.port));
    w.u16(a.max_len);
    w.zeros(6);
    return s.close();
  }
  Status operator()(const OutputReg& a) {
    OVNX_RETURN_IF_ERROR(check_subfield(a.src, "output"));
    auto s = ActionScope::nx(w, kNxastOutputReg);
    w.u16(ofs_nbits(a.src));
    oxm::put_field_header(w, a.src.field);
    w.u16(a.max_len);
    w.zeros(6);
    return s.close();
  }
  Status operator()(const Resubmit& a) {
    auto s = ActionScope::nx(w, kNxastResubmitTable);
    w.u16(a.in_port);
    w.u8(a.table);
    w.zeros(3);
    return s.close();
  }
  Status operator()(const SetField& a) {
    OVNX_RETURN_IF_ERROR(check_writable(a.field, "set_field"));
    U128 width = U128::low_bits(field_bits(a.field));
    if (a.mask.is_zero() || !(a.mask & ~width).is_zero() || !(a.value & ~a.mask).is_zero()) {
      return encode_error(fmt::format("set_field: value/mask do not fit {} ({} bits)",
                                      field_name(a.field), field_bits(a.field)));
    }
    // OpenFlow 1.5 allows a mask in OFPAT_SET_FIELD; Open vSwitch itself encodes loads so.
    ActionScope s(w, kOfpatSetField);
    oxm::put_entry(w, a.field, a.value, a.mask);
    return s.close();
  }
  Status operator()(const Move& a) {
    OVNX_RETURN_IF_ERROR(check_subfield(a.src, "move source"));
    OVNX_RETURN_IF_ERROR(check_subfield(a.dst, "move destination"));
    OVNX_RETURN_IF_ERROR(check_writable(a.dst.field, "move"));
    if (a.src.n_bits != a.dst.n_bits) {
      return encode_error(fmt::format("move: {} bits to {} bits", a.src.n_bits, a.dst.n_bits));
    }
    // Open vSwitch accepts only the standard copy_field in OpenFlow 1.5 (not NXAST_REG_MOVE).
    ActionScope s(w, kOfpatCopyField);
    w.u16(a.src.n_bits);
    w.u16(a.src.ofs);
    w.u16(a.dst.ofs);
    w.zeros(2);
    oxm::put_field_header(w, a.src.field);
    oxm::put_field_header(w, a.dst.field);
    return s.close();
  }
  Status operator()(const Conjunction& a) {
    if (a.n_clauses < 2 || a.n_clauses > 64 || a.clause >= a.n_clauses) {
      return encode_error(fmt::format("conjunction: clause {} of {} is out of range",
                                      a.clause + 1, a.n_clauses));
    }
    auto s = ActionScope::nx(w, kNxastConjunction);
    w.u8(a.clause);
    w.u8(a.n_clauses);
    w.u32(a.id);
    return s.close();
  }
  Status operator()(const Ct& a) {
    if (depth >= kMaxNesting) return encode_error("ct: actions nested too deeply");
    auto s = ActionScope::nx(w, kNxastCt);
    w.u16(static_cast<uint16_t>((a.commit ? kCtCommit : 0) | (a.force ? kCtForce : 0)));
    if (a.zone_src) {
      OVNX_RETURN_IF_ERROR(check_subfield(*a.zone_src, "ct zone"));
      if (a.zone_src->n_bits != 16) return encode_error("ct: zone subfield must be 16 bits");
      oxm::put_field_header(w, a.zone_src->field);
      w.u16(ofs_nbits(*a.zone_src));
    } else {
      w.u32(0);
      w.u16(a.zone_imm);
    }
    w.u8(a.recirc_table);
    w.zeros(3);
    w.u16(a.alg);
    for (const Action& inner : a.actions) {
      if (!nestable_in_ct(inner)) {
        return encode_error(fmt::format(
            "ct: only nat and set_field/move into ct_mark/ct_label may be nested, not {}",
            action_name(inner)));
      }
    }
    OVNX_RETURN_IF_ERROR(put_list(w, a.actions, depth + 1, true));
    return s.close();
  }
  Status operator()(const Nat& a) {
    if (!in_ct) return encode_error("nat: only valid inside ct");
    bool has_range = a.family != Nat::Family::kNone || a.port_min != 0 || a.port_max != 0;
    if (a.kind == Nat::Kind::kNone && has_range) {
      return encode_error("nat: a range needs src or dst");
    }
    uint16_t flags = (a.kind == Nat::Kind::kSrc ? kNatSrc : 0) |
                     (a.kind == Nat::Kind::kDst ? kNatDst : 0) |
                     (a.persistent ? kNatPersistent : 0) | (a.hash ? kNatProtoHash : 0) |
                     (a.random ? kNatProtoRandom : 0);
    uint16_t present = 0;
    if (a.family == Nat::Family::kIpv4) {
      present |= kNatRangeIpv4Min | (a.addr_max.is_zero() ? 0 : kNatRangeIpv4Max);
    } else if (a.family == Nat::Family::kIpv6) {
      present |= kNatRangeIpv6Min | (a.addr_max.is_zero() ? 0 : kNatRangeIpv6Max);
    }
    if (a.port_min != 0) present |= kNatRangeProtoMin;
    if (a.port_max != 0) present |= kNatRangeProtoMax;
    auto s = ActionScope::nx(w, kNxastNat);
    w.zeros(2);
    w.u16(flags);
    w.u16(present);
    size_t addr_len = a.family == Nat::Family::kIpv4 ? 4 : 16;
    if (present & (kNatRangeIpv4Min | kNatRangeIpv6Min)) w.value(a.addr_min, addr_len);
    if (present & (kNatRangeIpv4Max | kNatRangeIpv6Max)) w.value(a.addr_max, addr_len);
    if (present & kNatRangeProtoMin) w.u16(a.port_min);
    if (present & kNatRangeProtoMax) w.u16(a.port_max);
    return s.close();
  }
  Status operator()(const CtClear&) {
    auto s = ActionScope::nx(w, kNxastCtClear);
    w.zeros(6);
    return s.close();
  }
  Status operator()(const Controller& a) {
    auto s = ActionScope::nx(w, kNxastController2);
    w.zeros(6);
    auto prop = [&](uint16_t type, auto&& body) {
      size_t start = w.size();
      w.u16(type);
      w.u16(0);
      body();
      w.patch_u16(start + 2, static_cast<uint16_t>(w.size() - start));
      w.pad_from(start, 8);
    };
    if (a.max_len != kMaxLenNoBuffer) prop(kNxac2MaxLen, [&] { w.u16(a.max_len), w.zeros(2); });
    if (a.controller_id != 0) prop(kNxac2ControllerId, [&] { w.u16(a.controller_id), w.zeros(2); });
    if (a.reason != kPacketInReasonAction) prop(kNxac2Reason, [&] { w.u8(a.reason); });
    if (!a.userdata.empty()) {
      if (a.userdata.size() > 0xffff - 64) return encode_error("controller: userdata too long");
      prop(kNxac2Userdata, [&] { w.bytes(a.userdata); });
    }
    if (a.pause) prop(kNxac2Pause, [] {});
    if (a.meter_id) prop(kNxac2MeterId, [&] { w.u32(*a.meter_id); });
    return s.close();
  }
  Status operator()(const Clone& a) {
    if (depth >= kMaxNesting) return encode_error("clone: actions nested too deeply");
    auto s = ActionScope::nx(w, kNxastClone);
    w.zeros(6);
    OVNX_RETURN_IF_ERROR(put_list(w, a.actions, depth + 1, false));
    return s.close();
  }
  Status operator()(const DecTtl&) {
    ActionScope s(w, kOfpatDecNwTtl);
    w.zeros(4);
    return s.close();
  }
  Status operator()(const Group& a) {
    ActionScope s(w, kOfpatGroup);
    w.u32(a.group_id);
    return s.close();
  }
  Status operator()(const Meter& a) {
    ActionScope s(w, kOfpatMeter);
    w.u32(a.meter_id);
    return s.close();
  }
  Status operator()(const Note& a) {
    if (a.data.size() > 0xffff - 16) return encode_error("note: too long");
    auto s = ActionScope::nx(w, kNxastNote);
    w.bytes(a.data);
    if (a.data.size() < 6) w.zeros(6 - a.data.size());  // minimum action length is 16
    return s.close();
  }
  Status operator()(const SetQueue& a) {
    ActionScope s(w, kOfpatSetQueue);
    w.u32(a.queue_id);
    return s.close();
  }
  Status operator()(const PushVlan& a) {
    ActionScope s(w, kOfpatPushVlan);
    w.u16(a.ethertype);
    w.zeros(2);
    return s.close();
  }
  Status operator()(const PopVlan&) {
    ActionScope s(w, kOfpatPopVlan);
    w.zeros(4);
    return s.close();
  }
  Status stack(uint16_t subtype, const Subfield& sf, const char* what) {
    OVNX_RETURN_IF_ERROR(check_subfield(sf, what));
    auto s = ActionScope::nx(w, subtype);
    w.u16(sf.ofs);
    oxm::put_field_header(w, sf.field);
    w.u16(sf.n_bits);
    w.zeros(6);
    return s.close();
  }
  Status operator()(const StackPush& a) { return stack(kNxastStackPush, a.src, "push"); }
  Status operator()(const StackPop& a) {
    OVNX_RETURN_IF_ERROR(check_writable(a.dst.field, "pop"));
    return stack(kNxastStackPop, a.dst, "pop");
  }
  Status operator()(const CheckPktLarger& a) {
    OVNX_RETURN_IF_ERROR(check_subfield(a.dst, "check_pkt_larger"));
    if (a.dst.n_bits != 1) return encode_error("check_pkt_larger: destination must be one bit");
    auto s = ActionScope::nx(w, kNxastCheckPktLarger);
    w.u16(a.pkt_len);
    w.u16(a.dst.ofs);
    oxm::put_field_header(w, a.dst.field);
    w.zeros(6);
    return s.close();
  }
};

Status put_list(Writer& w, const ActionList& actions, int depth, bool in_ct) {
  for (const Action& a : actions) {
    OVNX_RETURN_IF_ERROR(std::visit(Encoder{w, depth, in_ct}, a.variant()));
  }
  return ok_status();
}

// ---- decoding ----

Result<Subfield> get_subfield(Reader& r, uint16_t ofs, uint16_t n_bits, std::string_view what) {
  OVNX_ASSIGN_OR_RETURN(Field f, oxm::get_field_header(r, what));
  Subfield sf{f, ofs, n_bits};
  if (!sf.valid()) {
    return wire::decode_error(fmt::format("{}: {} bits at offset {} do not fit {} ({} bits)",
                                          what, n_bits, ofs, field_name(f), field_bits(f)));
  }
  return sf;
}

Result<Subfield> get_ofs_nbits_subfield(Reader& r, uint16_t ofs_nbits, std::string_view what) {
  return get_subfield(r, ofs_nbits >> 6, static_cast<uint16_t>((ofs_nbits & 0x3f) + 1), what);
}

Result<ActionList> get_list(Reader& r, int depth, bool in_ct);

// Decoded actions must satisfy what the encoder checks, so anything decoded re-encodes.
Status check_decoded_writable(Field f, std::string_view what) {
  if (!field_info(f).writable) {
    return wire::decode_error(fmt::format("{}: field {} is read-only", what, field_name(f)));
  }
  return ok_status();
}

Result<Action> decoded_set_field(const oxm::Entry& e, std::string_view what) {
  OVNX_RETURN_IF_ERROR(check_decoded_writable(e.field, what));
  if (e.mask.is_zero()) {
    return wire::decode_error(fmt::format("{}: all-zero mask for {}", what, field_name(e.field)));
  }
  return Action(SetField{e.field, e.value & e.mask, e.mask});
}

Result<Action> get_controller2(Reader& r) {
  Controller c;
  r.skip(6);
  while (r.ok() && !r.empty()) {
    uint16_t type = r.u16();
    uint16_t len = r.u16();
    if (!r.ok()) break;
    if (len < 4) return wire::decode_error(fmt::format("controller property length {} < 4", len));
    Reader p = r.sub(len - 4u, "controller property");
    r.skip(std::min(wire::round_up(len, 8) - len, r.remaining()));  // last padding may be short
    switch (type) {
      case kNxac2MaxLen: c.max_len = p.u16(); break;
      case kNxac2ControllerId: c.controller_id = p.u16(); break;
      case kNxac2Reason: c.reason = p.u8(); break;
      case kNxac2Userdata: c.userdata = p.vec(p.remaining()); break;
      case kNxac2Pause: c.pause = true; break;
      case kNxac2MeterId: c.meter_id = p.u32(); break;
      default:
        return wire::decode_error(fmt::format("controller: unknown property type {}", type));
    }
    OVNX_RETURN_IF_ERROR(p.status());
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return Action(std::move(c));
}

Result<Action> get_nat(Reader& r) {
  Nat n;
  r.skip(2);
  uint16_t flags = r.u16();
  uint16_t present = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if ((flags & kNatSrc) && (flags & kNatDst)) {
    return wire::decode_error("nat: both src and dst");
  }
  n.kind = flags & kNatSrc ? Nat::Kind::kSrc : flags & kNatDst ? Nat::Kind::kDst
                                                                : Nat::Kind::kNone;
  n.persistent = flags & kNatPersistent;
  n.hash = flags & kNatProtoHash;
  n.random = flags & kNatProtoRandom;
  bool v4 = present & (kNatRangeIpv4Min | kNatRangeIpv4Max);
  bool v6 = present & (kNatRangeIpv6Min | kNatRangeIpv6Max);
  if (v4 && v6) return wire::decode_error("nat: both IPv4 and IPv6 ranges");
  if (present & ~0x3f) return wire::decode_error(fmt::format("nat: unknown range bits {:#x}",
                                                             present));
  if (v4) {
    n.family = Nat::Family::kIpv4;
    if (present & kNatRangeIpv4Min) n.addr_min = r.u32();
    if (present & kNatRangeIpv4Max) n.addr_max = r.u32();
  } else if (v6) {
    n.family = Nat::Family::kIpv6;
    if (present & kNatRangeIpv6Min) n.addr_min = r.value(16);
    if (present & kNatRangeIpv6Max) n.addr_max = r.value(16);
  }
  if (present & kNatRangeProtoMin) n.port_min = r.u16();
  if (present & kNatRangeProtoMax) n.port_max = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (n.kind == Nat::Kind::kNone && present != 0) {
    return wire::decode_error("nat: a range without src or dst");
  }
  return Action(n);
}

Result<Action> get_ct(Reader& r, int depth) {
  Ct ct;
  uint16_t flags = r.u16();
  ct.commit = flags & kCtCommit;
  ct.force = flags & kCtForce;
  auto zone_src = r.bytes(4);
  uint16_t zone = r.u16();
  ct.recirc_table = r.u8();
  r.skip(3);
  ct.alg = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (flags & ~(kCtCommit | kCtForce)) {
    return wire::decode_error(fmt::format("ct: unknown flags {:#x}", flags));
  }
  bool has_src = std::any_of(zone_src.begin(), zone_src.end(), [](uint8_t b) { return b != 0; });
  if (has_src) {
    Reader zr(zone_src, "ct zone_src");
    OVNX_ASSIGN_OR_RETURN(Subfield sf, get_ofs_nbits_subfield(zr, zone, "ct zone"));
    if (sf.n_bits != 16) {
      return wire::decode_error(fmt::format("ct: zone subfield of {} bits, not 16", sf.n_bits));
    }
    ct.zone_src = sf;
  } else {
    ct.zone_imm = zone;
  }
  OVNX_ASSIGN_OR_RETURN(ct.actions, get_list(r, depth + 1, true));
  for (const Action& inner : ct.actions) {
    if (!nestable_in_ct(inner)) {
      return wire::decode_error(fmt::format(
          "ct: nested {} is not allowed (only nat and set_field/move into ct_mark/ct_label)",
          action_name(inner)));
    }
  }
  return Action(std::move(ct));
}

Result<Action> get_nx(Reader& r, int depth) {
  uint32_t vendor = r.u32();
  uint16_t subtype = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (vendor != kNxVendor) {
    return wire::decode_error(fmt::format("unsupported experimenter action vendor {:#x}", vendor));
  }
  switch (subtype) {
    case kNxastResubmit:
    case kNxastResubmitTable: {
      Resubmit a;
      a.in_port = r.u16();
      uint8_t table = r.u8();
      a.table = subtype == kNxastResubmit ? kTableNone : table;
      OVNX_RETURN_IF_ERROR(r.status());
      return Action(a);
    }
    case kNxastRegMove: {
      uint16_t n_bits = r.u16();
      uint16_t src_ofs = r.u16();
      uint16_t dst_ofs = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(Subfield src, get_subfield(r, src_ofs, n_bits, "move source"));
      OVNX_ASSIGN_OR_RETURN(Subfield dst, get_subfield(r, dst_ofs, n_bits, "move destination"));
      OVNX_RETURN_IF_ERROR(check_decoded_writable(dst.field, "move"));
      return Action(Move{src, dst});
    }
    case kNxastRegLoad: {
      uint16_t on = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(Subfield dst, get_ofs_nbits_subfield(r, on, "load"));
      uint64_t value = r.u64();
      OVNX_RETURN_IF_ERROR(r.status());
      if (dst.n_bits < 64 && (value >> dst.n_bits) != 0) {
        return wire::decode_error(fmt::format("load: value {:#x} does not fit {} bits", value,
                                              dst.n_bits));
      }
      OVNX_RETURN_IF_ERROR(check_decoded_writable(dst.field, "load"));
      return Action(SetField::load(dst, value));
    }
    case kNxastRegLoad2: {
      OVNX_ASSIGN_OR_RETURN(oxm::Entry e, oxm::get_entry(r));
      return decoded_set_field(e, "load");
    }
    case kNxastNote:
      return Action(Note{r.vec(r.remaining())});
    case kNxastOutputReg: {
      uint16_t on = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(Subfield src, get_ofs_nbits_subfield(r, on, "output"));
      uint16_t max_len = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      return Action(OutputReg{src, max_len});
    }
    case kNxastController: {
      Controller c;
      c.max_len = r.u16();
      c.controller_id = r.u16();
      c.reason = r.u8();
      OVNX_RETURN_IF_ERROR(r.status());
      return Action(std::move(c));
    }
    case kNxastStackPush:
    case kNxastStackPop: {
      uint16_t ofs = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      // The header comes before n_bits: read it, then n_bits, then validate.
      auto hdr = r.bytes(4);
      uint16_t n_bits = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      Reader hr(hdr, "stack field");
      OVNX_ASSIGN_OR_RETURN(Subfield sf, get_subfield(hr, ofs, n_bits,
                                                      subtype == kNxastStackPush ? "push" : "pop"));
      if (subtype == kNxastStackPush) return Action(StackPush{sf});
      OVNX_RETURN_IF_ERROR(check_decoded_writable(sf.field, "pop"));
      return Action(StackPop{sf});
    }
    case kNxastConjunction: {
      Conjunction c;
      c.clause = r.u8();
      c.n_clauses = r.u8();
      c.id = r.u32();
      OVNX_RETURN_IF_ERROR(r.status());
      if (c.n_clauses < 2 || c.n_clauses > 64 || c.clause >= c.n_clauses) {
        return wire::decode_error(fmt::format("conjunction: clause {} of {} is out of range",
                                              c.clause + 1, c.n_clauses));
      }
      return Action(c);
    }
    case kNxastCt:
      return get_ct(r, depth);
    case kNxastNat:
      return get_nat(r);
    case kNxastController2:
      return get_controller2(r);
    case kNxastClone: {
      r.skip(6);
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(ActionList nested, get_list(r, depth + 1, false));
      return Action(Clone{std::move(nested)});
    }
    case kNxastCtClear:
      return Action(CtClear{});
    case kNxastCheckPktLarger: {
      uint16_t pkt_len = r.u16();
      uint16_t ofs = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(Subfield dst, get_subfield(r, ofs, 1, "check_pkt_larger"));
      return Action(CheckPktLarger{pkt_len, dst});
    }
    default:
      return wire::decode_error(fmt::format("unsupported Nicira action subtype {}", subtype));
  }
}

Result<Action> get_one(Reader& r, int depth) {
  uint16_t type = r.u16();
  uint16_t len = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (len < 8 || len % 8 != 0) {
    return wire::decode_error(fmt::format("action type {} has bad length {}", type, len));
  }
  if (len - 4u > r.remaining()) {
    return wire::decode_error(fmt::format("action type {} of length {} overruns its list by {} "
                                          "bytes", type, len, len - 4u - r.remaining()));
  }
  Reader b = r.sub(len - 4u, "action");
  switch (type) {
    case kOfpatOutput: {
      uint32_t port = b.u32();
      uint16_t max_len = b.u16();
      OVNX_RETURN_IF_ERROR(b.status());
      OVNX_ASSIGN_OR_RETURN(uint16_t p, port_from_ofp11(port));
      // Open vSwitch reports a plain controller action in this form.
      if (p == kPortController) return Action(Controller{.max_len = max_len});
      return Action(Output{p, max_len});
    }
    case kOfpatPushVlan: {
      uint16_t ethertype = b.u16();
      OVNX_RETURN_IF_ERROR(b.status());
      return Action(PushVlan{ethertype});
    }
    case kOfpatPopVlan:
      return Action(PopVlan{});
    case kOfpatSetQueue:
    case kOfpatGroup:
    case kOfpatMeter: {
      uint32_t id = b.u32();
      OVNX_RETURN_IF_ERROR(b.status());
      if (type == kOfpatSetQueue) return Action(SetQueue{id});
      if (type == kOfpatGroup) return Action(Group{id});
      return Action(Meter{id});
    }
    case kOfpatDecNwTtl:
      return Action(DecTtl{});
    case kOfpatSetField: {
      OVNX_ASSIGN_OR_RETURN(oxm::Entry e, oxm::get_entry(b));
      return decoded_set_field(e, "set_field");
    }
    case kOfpatCopyField: {
      uint16_t n_bits = b.u16();
      uint16_t src_ofs = b.u16();
      uint16_t dst_ofs = b.u16();
      b.skip(2);
      OVNX_RETURN_IF_ERROR(b.status());
      OVNX_ASSIGN_OR_RETURN(Subfield src, get_subfield(b, src_ofs, n_bits, "copy_field source"));
      OVNX_ASSIGN_OR_RETURN(Subfield dst,
                            get_subfield(b, dst_ofs, n_bits, "copy_field destination"));
      OVNX_RETURN_IF_ERROR(check_decoded_writable(dst.field, "copy_field"));
      return Action(Move{src, dst});
    }
    case kOfpatExperimenter:
      return get_nx(b, depth);
    default:
      return wire::decode_error(fmt::format("unsupported action type {}", type));
  }
}

Result<ActionList> get_list(Reader& r, int depth, bool in_ct) {
  if (depth > kMaxNesting) return wire::decode_error("actions nested too deeply");
  ActionList list;
  while (r.ok() && !r.empty()) {
    OVNX_ASSIGN_OR_RETURN(Action a, get_one(r, depth));
    if (!in_ct && std::holds_alternative<Nat>(a)) {
      return wire::decode_error("nat outside a ct action");
    }
    list.push_back(std::move(a));
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return list;
}

}  // namespace

Status put_actions(Writer& w, const ActionList& actions) { return put_list(w, actions, 0, false); }

Result<ActionList> get_actions(Reader& r) { return get_list(r, 0, false); }

Status put_instructions(Writer& w, const ActionList& actions) {
  if (actions.empty()) return ok_status();
  size_t start = w.size();
  w.u16(kOfpitApplyActions);
  w.u16(0);
  w.zeros(4);
  OVNX_RETURN_IF_ERROR(put_actions(w, actions));
  size_t len = w.size() - start;
  if (len > 0xffff) return encode_error("actions too long for one message");
  w.patch_u16(start + 2, static_cast<uint16_t>(len));
  return ok_status();
}

Result<ActionList> get_instructions(Reader& r) {
  ActionList actions;
  std::optional<uint32_t> meter;
  bool seen_apply = false;
  while (r.ok() && !r.empty()) {
    uint16_t type = r.u16();
    uint16_t len = r.u16();
    OVNX_RETURN_IF_ERROR(r.status());
    if (len < 8 || len - 4u > r.remaining()) {
      return wire::decode_error(fmt::format("instruction type {} has bad length {}", type, len));
    }
    Reader b = r.sub(len - 4u, "instruction");
    switch (type) {
      case kOfpitApplyActions: {
        if (seen_apply) return wire::decode_error("two apply_actions instructions");
        seen_apply = true;
        b.skip(4);
        OVNX_ASSIGN_OR_RETURN(actions, get_actions(b));
        break;
      }
      case kOfpitMeter:
        meter = b.u32();
        OVNX_RETURN_IF_ERROR(b.status());
        break;
      default:
        return wire::decode_error(fmt::format(
            "unsupported instruction type {} (ovnx only uses apply_actions)", type));
    }
  }
  OVNX_RETURN_IF_ERROR(r.status());
  if (meter) actions.insert(actions.begin(), Action(Meter{*meter}));
  return actions;
}

}  // namespace ovnx::openflow::action_codec
