// Bodies of flow_mod, group_mod, meter_mod, packet_out and flow stats (OpenFlow 1.5 7.3.4,
// 7.3.7, 7.3.5.2, 7.3.4.5; group selection method: Open vSwitch's NTR experimenter property).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "openflow/action_codec.h"
#include "openflow/codec_internal.h"
#include "openflow/oxm.h"

namespace ovnx::openflow::codec {

using wire::Reader;
using wire::Writer;

Error encode_error(std::string details) {
  return make_error("openflow encode error", std::move(details));
}

namespace {

constexpr uint32_t kNtrVendor = 0x0000154d;
constexpr uint32_t kNtrSelectionMethod = 1;
constexpr size_t kSelectionMethodLen = 16;

enum : uint16_t { kBucketWeight = 0, kBucketWatchPort = 1, kBucketWatchGroup = 2 };

Result<uint16_t> get_port(Reader& r) {
  uint32_t p = r.u32();
  OVNX_RETURN_IF_ERROR(r.status());
  return port_from_ofp11(p);
}

}  // namespace

Status put_flow_mod(Writer& w, const FlowMod& m) { return put_flow_mod(w, m, m.flow); }

Status put_flow_mod(Writer& w, const FlowMod& m, const Flow& f) {
  w.u64(f.cookie);
  w.u64(m.cookie_mask);
  w.u8(f.table_id);
  w.u8(static_cast<uint8_t>(m.command));
  w.u16(f.idle_timeout);
  w.u16(f.hard_timeout);
  w.u16(f.priority);
  w.u32(m.buffer_id);
  w.u32(port_to_ofp11(m.out_port));
  w.u32(m.out_group);
  w.u16(f.flags);
  w.u16(m.importance);
  oxm::put_match(w, f.match);
  return action_codec::put_instructions(w, f.actions);
}

Result<FlowMod> get_flow_mod(Reader& r) {
  FlowMod m;
  Flow& f = m.flow;
  f.cookie = r.u64();
  m.cookie_mask = r.u64();
  f.table_id = r.u8();
  uint8_t command = r.u8();
  f.idle_timeout = r.u16();
  f.hard_timeout = r.u16();
  f.priority = r.u16();
  m.buffer_id = r.u32();
  OVNX_ASSIGN_OR_RETURN(m.out_port, get_port(r));
  m.out_group = r.u32();
  f.flags = r.u16();
  m.importance = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (command > static_cast<uint8_t>(FlowModCommand::kDeleteStrict)) {
    return wire::decode_error(fmt::format("flow_mod: unknown command {}", command));
  }
  m.command = static_cast<FlowModCommand>(command);
  OVNX_ASSIGN_OR_RETURN(f.match, oxm::get_match(r));
  OVNX_ASSIGN_OR_RETURN(f.actions, action_codec::get_instructions(r));
  return m;
}

Status put_group_mod(Writer& w, const GroupMod& m) {
  w.u16(static_cast<uint16_t>(m.command));
  w.u8(static_cast<uint8_t>(m.type));
  w.zeros(1);
  w.u32(m.group_id);
  size_t len_pos = w.size();
  w.u16(0);  // bucket_array_len
  w.zeros(2);
  w.u32(m.command_bucket_id);
  size_t buckets_start = w.size();
  for (const Bucket& b : m.buckets) {
    size_t start = w.size();
    w.u16(0);  // len
    w.u16(0);  // action_array_len
    w.u32(b.bucket_id);
    OVNX_RETURN_IF_ERROR(action_codec::put_actions(w, b.actions));
    size_t actions_len = w.size() - start - 8;
    if (b.weight) w.u16(kBucketWeight), w.u16(8), w.u16(*b.weight), w.zeros(2);
    if (b.watch_port) w.u16(kBucketWatchPort), w.u16(8), w.u32(port_to_ofp11(*b.watch_port));
    if (b.watch_group) w.u16(kBucketWatchGroup), w.u16(8), w.u32(*b.watch_group);
    size_t len = w.size() - start;
    if (len > 0xffff) return encode_error("group_mod: bucket too long");
    w.patch_u16(start, static_cast<uint16_t>(len));
    w.patch_u16(start + 2, static_cast<uint16_t>(actions_len));
  }
  size_t buckets_len = w.size() - buckets_start;
  if (buckets_len > 0xffff) return encode_error("group_mod: too many buckets");
  w.patch_u16(len_pos, static_cast<uint16_t>(buckets_len));
  if (!m.selection_method.empty()) {
    if (m.selection_method.size() >= kSelectionMethodLen) {
      return encode_error(
          fmt::format("group_mod: selection method \"{}\" too long", m.selection_method));
    }
    w.u16(0xffff);
    w.u16(40);
    w.u32(kNtrVendor);
    w.u32(kNtrSelectionMethod);
    w.zeros(4);
    uint8_t name[kSelectionMethodLen] = {};
    std::memcpy(name, m.selection_method.data(), m.selection_method.size());
    w.bytes(name);
    w.u64(m.selection_method_param);
  }
  return ok_status();
}

namespace {

Result<Bucket> get_bucket(Reader& r) {
  Bucket b;
  uint16_t len = r.u16();
  uint16_t actions_len = r.u16();
  b.bucket_id = r.u32();
  OVNX_RETURN_IF_ERROR(r.status());
  if (len < 8 || actions_len > len - 8u) {
    return wire::decode_error(
        fmt::format("group bucket: length {} with {} bytes of actions", len, actions_len));
  }
  Reader body = r.sub(len - 8u, "group bucket");
  OVNX_RETURN_IF_ERROR(r.status());
  Reader actions = body.sub(actions_len, "bucket actions");
  OVNX_ASSIGN_OR_RETURN(b.actions, action_codec::get_actions(actions));
  while (body.ok() && !body.empty()) {
    uint16_t type = body.u16();
    uint16_t plen = body.u16();
    if (!body.ok()) break;
    if (plen < 4) return wire::decode_error("group bucket property shorter than 4 bytes");
    Reader p = body.sub(plen - 4u, "bucket property");
    body.skip(std::min(wire::round_up(plen, 8) - plen, body.remaining()));
    switch (type) {
      case kBucketWeight: b.weight = p.u16(); break;
      case kBucketWatchPort: {
        OVNX_ASSIGN_OR_RETURN(uint16_t port, get_port(p));
        b.watch_port = port;
        break;
      }
      case kBucketWatchGroup: b.watch_group = p.u32(); break;
      default:
        return wire::decode_error(fmt::format("group bucket: unknown property {}", type));
    }
    OVNX_RETURN_IF_ERROR(p.status());
  }
  OVNX_RETURN_IF_ERROR(body.status());
  return b;
}

}  // namespace

Result<GroupMod> get_group_mod(Reader& r) {
  GroupMod m;
  uint16_t command = r.u16();
  uint8_t type = r.u8();
  r.skip(1);
  m.group_id = r.u32();
  uint16_t buckets_len = r.u16();
  r.skip(2);
  m.command_bucket_id = r.u32();
  OVNX_RETURN_IF_ERROR(r.status());
  if (command > 5 || command == 4) {
    return wire::decode_error(fmt::format("group_mod: unknown command {}", command));
  }
  if (type > 3) return wire::decode_error(fmt::format("group_mod: unknown type {}", type));
  m.command = static_cast<GroupModCommand>(command);
  m.type = static_cast<GroupType>(type);
  Reader buckets = r.sub(buckets_len, "group buckets");
  OVNX_RETURN_IF_ERROR(r.status());
  while (buckets.ok() && !buckets.empty()) {
    OVNX_ASSIGN_OR_RETURN(Bucket b, get_bucket(buckets));
    m.buckets.push_back(std::move(b));
  }
  OVNX_RETURN_IF_ERROR(buckets.status());
  while (r.ok() && !r.empty()) {  // group properties
    uint16_t ptype = r.u16();
    uint16_t plen = r.u16();
    if (!r.ok()) break;
    if (plen < 4) return wire::decode_error("group property shorter than 4 bytes");
    Reader p = r.sub(plen - 4u, "group property");
    r.skip(std::min(wire::round_up(plen, 8) - plen, r.remaining()));
    uint32_t vendor = p.u32();
    uint32_t exp_type = p.u32();
    if (ptype == 0xffff && vendor == kNtrVendor && exp_type == kNtrSelectionMethod) {
      p.skip(4);
      auto name = p.bytes(kSelectionMethodLen);
      auto nul = std::find(name.begin(), name.end(), uint8_t{0});
      if (p.ok() && nul == name.end()) {
        return wire::decode_error("group_mod: selection method name is not NUL-terminated");
      }
      m.selection_method.assign(name.begin(), nul);
      m.selection_method_param = p.u64();
    } else if (p.ok()) {
      return wire::decode_error(fmt::format("group_mod: unsupported property type {:#x}", ptype));
    }
    OVNX_RETURN_IF_ERROR(p.status());
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return m;
}

Status put_meter_mod(Writer& w, const MeterMod& m) {
  w.u16(static_cast<uint16_t>(m.command));
  w.u16(m.flags);
  w.u32(m.meter_id);
  for (const MeterBand& b : m.bands) {
    w.u16(b.type);
    w.u16(16);
    w.u32(b.rate);
    w.u32(b.burst_size);
    w.u8(b.type == 2 ? b.prec_level : 0);
    w.zeros(3);
  }
  return ok_status();
}

Result<MeterMod> get_meter_mod(Reader& r) {
  MeterMod m;
  uint16_t command = r.u16();
  m.flags = r.u16();
  m.meter_id = r.u32();
  OVNX_RETURN_IF_ERROR(r.status());
  if (command > 2) return wire::decode_error(fmt::format("meter_mod: unknown command {}", command));
  m.command = static_cast<MeterModCommand>(command);
  while (r.ok() && !r.empty()) {
    MeterBand b;
    b.type = r.u16();
    uint16_t len = r.u16();
    if (!r.ok()) break;
    if (len < 16) return wire::decode_error(fmt::format("meter band length {} < 16", len));
    Reader body = r.sub(len - 4u, "meter band");
    b.rate = body.u32();
    b.burst_size = body.u32();
    uint8_t prec = body.u8();
    if (b.type == 2) b.prec_level = prec;
    OVNX_RETURN_IF_ERROR(body.status());
    m.bands.push_back(b);
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return m;
}

Status put_packet_out(Writer& w, const PacketOut& m) {
  w.u32(m.buffer_id);
  size_t len_pos = w.size();
  w.u16(0);  // actions_len
  w.zeros(2);
  Match match = m.match;
  if (!match.find(Field::in_port)) match.set(Field::in_port, kPortController);
  oxm::put_match(w, match);
  size_t start = w.size();
  OVNX_RETURN_IF_ERROR(action_codec::put_actions(w, m.actions));
  size_t actions_len = w.size() - start;
  if (actions_len > 0xffff) return encode_error("packet_out: actions too long");
  w.patch_u16(len_pos, static_cast<uint16_t>(actions_len));
  w.bytes(m.packet);
  return ok_status();
}

Result<PacketOut> get_packet_out(Reader& r) {
  PacketOut m;
  m.buffer_id = r.u32();
  uint16_t actions_len = r.u16();
  r.skip(2);
  OVNX_RETURN_IF_ERROR(r.status());
  OVNX_ASSIGN_OR_RETURN(m.match, oxm::get_match(r));
  if (!m.match.find(Field::in_port)) {
    return wire::decode_error("packet_out: the match has no in_port (OpenFlow 1.5 requires one)");
  }
  Reader actions = r.sub(actions_len, "packet_out actions");
  OVNX_RETURN_IF_ERROR(r.status());
  OVNX_ASSIGN_OR_RETURN(m.actions, action_codec::get_actions(actions));
  m.packet = r.vec(r.remaining());
  return m;
}

Status put_flow_stats_request(Writer& w, const FlowStatsRequest& m) {
  w.u8(m.table_id);
  w.zeros(3);
  w.u32(port_to_ofp11(m.out_port));
  w.u32(m.out_group);
  w.zeros(4);
  w.u64(m.cookie);
  w.u64(m.cookie_mask);
  oxm::put_match(w, m.match);
  return ok_status();
}

Result<FlowStatsRequest> get_flow_stats_request(Reader& r) {
  FlowStatsRequest m;
  m.table_id = r.u8();
  r.skip(3);
  OVNX_ASSIGN_OR_RETURN(m.out_port, get_port(r));
  m.out_group = r.u32();
  r.skip(4);
  m.cookie = r.u64();
  m.cookie_mask = r.u64();
  OVNX_RETURN_IF_ERROR(r.status());
  OVNX_ASSIGN_OR_RETURN(m.match, oxm::get_match(r));
  return m;
}

namespace {

// OXS (OpenFlow 1.5 7.2.4): class 0x8002, fields duration, idle_time, flow_count, packets, bytes.
constexpr uint16_t kOxsClassBasic = 0x8002;
enum : uint8_t { kOxsDuration = 0, kOxsIdleTime = 1, kOxsFlowCount = 3, kOxsPacketCount = 4,
                 kOxsByteCount = 5 };

void put_oxs(Writer& w, uint8_t field, uint8_t len) {
  w.u16(kOxsClassBasic);
  w.u8(static_cast<uint8_t>(field << 1));
  w.u8(len);
}

Status get_stats(Reader& r, FlowStats& fs) {
  r.skip(2);  // reserved
  uint16_t len = r.u16();
  OVNX_RETURN_IF_ERROR(r.status());
  if (len < 4) return wire::decode_error(fmt::format("flow stats: OXS length {} < 4", len));
  Reader oxs = r.sub(len - 4u, "flow stats OXS");
  r.skip(wire::round_up(len, 8) - len);
  while (oxs.ok() && !oxs.empty()) {
    uint16_t cls = oxs.u16();
    uint8_t field = oxs.u8() >> 1;
    uint8_t flen = oxs.u8();
    Reader v = oxs.sub(flen, "OXS field");
    if (cls != kOxsClassBasic) continue;  // unknown classes are skipped
    switch (field) {
      case kOxsDuration:
        fs.duration_sec = v.u32();
        fs.duration_nsec = v.u32();
        break;
      case kOxsPacketCount: fs.packet_count = v.u64(); break;
      case kOxsByteCount: fs.byte_count = v.u64(); break;
      default: break;
    }
    OVNX_RETURN_IF_ERROR(v.status());
  }
  OVNX_RETURN_IF_ERROR(oxs.status());
  return r.status();
}

}  // namespace

Status put_flow_stats_entries(Writer& w, const FlowStatsReply& m) {
  for (const FlowStats& fs : m.flows) {
    const Flow& f = fs.flow;
    size_t start = w.size();
    w.u16(0);
    w.zeros(2);
    w.u8(f.table_id);
    w.zeros(1);
    w.u16(f.priority);
    w.u16(f.idle_timeout);
    w.u16(f.hard_timeout);
    w.u16(f.flags);
    w.u16(fs.importance);
    w.u64(f.cookie);
    oxm::put_match(w, f.match);
    size_t stats = w.size();
    w.zeros(2);
    w.u16(4 + 12 + 12 + 12);
    put_oxs(w, kOxsDuration, 8);
    w.u32(fs.duration_sec);
    w.u32(fs.duration_nsec);
    put_oxs(w, kOxsPacketCount, 8);
    w.u64(fs.packet_count);
    put_oxs(w, kOxsByteCount, 8);
    w.u64(fs.byte_count);
    w.pad_from(stats, 8);
    OVNX_RETURN_IF_ERROR(action_codec::put_instructions(w, f.actions));
    size_t len = w.size() - start;
    if (len > 0xffff) return encode_error("flow stats entry too long");
    w.patch_u16(start, static_cast<uint16_t>(len));
  }
  return ok_status();
}

Result<FlowStatsReply> get_flow_stats_entries(Reader& r) {
  FlowStatsReply m;
  while (r.ok() && !r.empty()) {
    uint16_t len = r.u16();
    OVNX_RETURN_IF_ERROR(r.status());
    if (len < 4) return wire::decode_error(fmt::format("flow stats entry length {} < 4", len));
    Reader e = r.sub(len - 2u, "flow stats entry");
    OVNX_RETURN_IF_ERROR(r.status());
    FlowStats fs;
    Flow& f = fs.flow;
    e.skip(2);
    f.table_id = e.u8();
    e.skip(1);
    f.priority = e.u16();
    f.idle_timeout = e.u16();
    f.hard_timeout = e.u16();
    f.flags = e.u16();
    fs.importance = e.u16();
    f.cookie = e.u64();
    OVNX_RETURN_IF_ERROR(e.status());
    OVNX_ASSIGN_OR_RETURN(f.match, oxm::get_match(e));
    OVNX_RETURN_IF_ERROR(get_stats(e, fs));
    OVNX_ASSIGN_OR_RETURN(f.actions, action_codec::get_instructions(e));
    m.flows.push_back(std::move(fs));
  }
  OVNX_RETURN_IF_ERROR(r.status());
  return m;
}

}  // namespace ovnx::openflow::codec
