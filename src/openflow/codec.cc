// Message framing and dispatch: the OpenFlow header, Nicira experimenter messages and the
// small fixed-layout messages; larger bodies live in codec_mods.cc and codec_nx.cc.
#include "openflow/codec.h"

#include <fmt/format.h>

#include "openflow/action_codec.h"
#include "openflow/codec_internal.h"
#include "openflow/errors.h"
#include "openflow/oxm.h"

namespace ovnx::openflow {

using namespace codec;  // NOLINT: message type constants
using wire::Reader;
using wire::Writer;

namespace {

constexpr uint16_t kHelloElemVersionBitmap = 1;

// Writes the body of one message kind and says which type/subtype it is.
struct BodyEncoder {
  Writer& w;
  uint8_t type = 0;
  uint32_t nx_subtype = 0;  // nonzero: a Nicira experimenter message

  void nx(uint32_t subtype) {
    type = kOfptExperimenter;
    nx_subtype = subtype;
    w.u32(action_codec::kNxVendor);
    w.u32(subtype);
  }

  Status operator()(const Hello& m) {
    type = kOfptHello;
    w.u16(kHelloElemVersionBitmap);
    w.u16(8);
    w.u32(m.version_bitmap);
    return ok_status();
  }
  Status operator()(const EchoRequest& m) {
    type = kOfptEchoRequest;
    w.bytes(m.data);
    return ok_status();
  }
  Status operator()(const EchoReply& m) {
    type = kOfptEchoReply;
    w.bytes(m.data);
    return ok_status();
  }
  Status operator()(const FeaturesRequest&) {
    type = kOfptFeaturesRequest;
    return ok_status();
  }
  Status operator()(const FeaturesReply& m) {
    type = kOfptFeaturesReply;
    w.u64(m.datapath_id);
    w.u32(m.n_buffers);
    w.u8(m.n_tables);
    w.u8(m.auxiliary_id);
    w.zeros(2);
    w.u32(m.capabilities);
    w.zeros(4);
    return ok_status();
  }
  Status operator()(const GetConfigRequest&) {
    type = kOfptGetConfigRequest;
    return ok_status();
  }
  Status config(uint8_t t, const SwitchConfig& c) {
    type = t;
    w.u16(c.flags);
    w.u16(c.miss_send_len);
    return ok_status();
  }
  Status operator()(const GetConfigReply& m) { return config(kOfptGetConfigReply, m.config); }
  Status operator()(const SetConfig& m) { return config(kOfptSetConfig, m.config); }
  Status operator()(const FlowMod& m) {
    type = kOfptFlowMod;
    return put_flow_mod(w, m);
  }
  Status operator()(const BarrierRequest&) {
    type = kOfptBarrierRequest;
    return ok_status();
  }
  Status operator()(const BarrierReply&) {
    type = kOfptBarrierReply;
    return ok_status();
  }
  Status operator()(const BundleControl& m) {
    type = kOfptBundleControl;
    w.u32(m.bundle_id);
    w.u16(static_cast<uint16_t>(m.type));
    w.u16(m.flags);
    return ok_status();
  }
  Status operator()(const BundleAdd&) {
    type = kOfptBundleAddMessage;
    return ok_status();  // body written by encode(), which knows the xid
  }
  Status operator()(const PacketIn& m) {
    nx(kNxtPacketIn2);
    return put_packet_in2_props(w, m);
  }
  Status operator()(const Resume& m) {
    nx(kNxtResume);
    if (!m.packet_in.continuation) return encode_error("resume: packet-in has no continuation");
    return put_packet_in2_props(w, m.packet_in);
  }
  Status operator()(const PacketOut& m) {
    type = kOfptPacketOut;
    return put_packet_out(w, m);
  }
  Status operator()(const GroupMod& m) {
    type = kOfptGroupMod;
    return put_group_mod(w, m);
  }
  Status operator()(const MeterMod& m) {
    type = kOfptMeterMod;
    return put_meter_mod(w, m);
  }
  Status operator()(const TlvTableMod& m) {
    nx(kNxtTlvTableMod);
    w.u16(static_cast<uint16_t>(m.command));
    w.zeros(6);
    return put_tlv_maps(w, m.mappings);
  }
  Status operator()(const TlvTableRequest&) {
    nx(kNxtTlvTableRequest);
    return ok_status();
  }
  Status operator()(const TlvTableReply& m) {
    nx(kNxtTlvTableReply);
    w.u32(m.max_option_space);
    w.u16(m.max_fields);
    w.zeros(10);
    return put_tlv_maps(w, m.mappings);
  }
  Status operator()(const SetPacketInFormat& m) {
    nx(kNxtSetPacketInFormat);
    w.u32(m.format);
    return ok_status();
  }
  Status operator()(const SetControllerId& m) {
    nx(kNxtSetControllerId);
    w.zeros(6);
    w.u16(m.controller_id);
    return ok_status();
  }
  Status operator()(const ErrorMsg& m) {
    type = kOfptError;
    w.u16(m.type);
    w.u16(m.code);
    if (m.type == kErrorTypeExperimenter) w.u32(m.experimenter);
    w.bytes(m.data);
    return ok_status();
  }
  Status operator()(const FlowStatsRequest& m) {
    type = kOfptMultipartRequest;
    w.u16(kMultipartFlowDesc);
    w.u16(0);
    w.zeros(4);
    return put_flow_stats_request(w, m);
  }
  Status operator()(const FlowStatsReply& m) {
    type = kOfptMultipartReply;
    w.u16(kMultipartFlowDesc);
    w.u16(m.more ? kMultipartReplyMore : 0);
    w.zeros(4);
    return put_flow_stats_entries(w, m);
  }
  Status operator()(const Unknown& m) {
    type = m.type;
    if (m.type == kOfptExperimenter) {
      w.u32(m.experimenter);
      w.u32(m.exp_type);
    } else if (m.type == kOfptMultipartRequest || m.type == kOfptMultipartReply) {
      w.u16(m.multipart_type);
      w.u16(0);
      w.zeros(4);
    }
    w.bytes(m.body);
    return ok_status();
  }
};

Result<Message> decode_nx(Reader& r, uint32_t subtype) {
  switch (subtype) {
    case kNxtPacketIn2: {
      OVNX_ASSIGN_OR_RETURN(PacketIn m, get_packet_in2_props(r));
      return Message(std::move(m));
    }
    case kNxtResume: {
      OVNX_ASSIGN_OR_RETURN(PacketIn m, get_packet_in2_props(r));
      if (!m.continuation) return wire::decode_error("resume without a continuation");
      return Message(Resume{std::move(m)});
    }
    case kNxtTlvTableMod: {
      uint16_t command = r.u16();
      r.skip(6);
      OVNX_RETURN_IF_ERROR(r.status());
      if (command > 2) return wire::decode_error(fmt::format("TLV table mod command {}", command));
      OVNX_ASSIGN_OR_RETURN(auto maps, get_tlv_maps(r));
      return Message(TlvTableMod{static_cast<TlvTableCommand>(command), std::move(maps)});
    }
    case kNxtTlvTableRequest:
      return Message(TlvTableRequest{});
    case kNxtTlvTableReply: {
      TlvTableReply m;
      m.max_option_space = r.u32();
      m.max_fields = r.u16();
      r.skip(10);
      OVNX_RETURN_IF_ERROR(r.status());
      OVNX_ASSIGN_OR_RETURN(m.mappings, get_tlv_maps(r));
      return Message(std::move(m));
    }
    case kNxtSetPacketInFormat: {
      uint32_t format = r.u32();
      OVNX_RETURN_IF_ERROR(r.status());
      return Message(SetPacketInFormat{format});
    }
    case kNxtSetControllerId: {
      r.skip(6);
      uint16_t id = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      return Message(SetControllerId{id});
    }
    default:
      return Message(Unknown{kOfptExperimenter, action_codec::kNxVendor, subtype, 0,
                             r.vec(r.remaining())});
  }
}

Result<Message> decode_body(uint8_t version, uint8_t type, Reader& r) {
  switch (type) {
    case kOfptHello: {
      Hello h{0};
      bool has_bitmap = false;
      while (r.ok() && r.remaining() >= 4) {
        uint16_t etype = r.u16();
        uint16_t elen = r.u16();
        if (elen < 4) return wire::decode_error(fmt::format("hello element length {} < 4", elen));
        Reader e = r.sub(elen - 4u, "hello element");
        r.skip(std::min(wire::round_up(elen, 8) - elen, r.remaining()));
        if (etype == kHelloElemVersionBitmap) {
          h.version_bitmap = e.u32();
          has_bitmap = true;
        }
        OVNX_RETURN_IF_ERROR(e.status());
      }
      OVNX_RETURN_IF_ERROR(r.status());
      if (!has_bitmap && version < 32) {
        // No bitmap: the peer supports its header version (and, by convention, those below).
        h.version_bitmap = (2u << version) - 1;
      }
      return Message(h);
    }
    case kOfptError: {
      ErrorMsg m;
      m.type = r.u16();
      m.code = r.u16();
      if (m.type == kErrorTypeExperimenter) m.experimenter = r.u32();
      m.data = r.vec(r.remaining());
      OVNX_RETURN_IF_ERROR(r.status());
      return Message(std::move(m));
    }
    case kOfptEchoRequest:
      return Message(EchoRequest{r.vec(r.remaining())});
    case kOfptEchoReply:
      return Message(EchoReply{r.vec(r.remaining())});
    case kOfptExperimenter: {
      uint32_t experimenter = r.u32();
      uint32_t exp_type = r.u32();
      OVNX_RETURN_IF_ERROR(r.status());
      if (experimenter == action_codec::kNxVendor) return decode_nx(r, exp_type);
      return Message(Unknown{type, experimenter, exp_type, 0, r.vec(r.remaining())});
    }
    case kOfptFeaturesRequest:
      return Message(FeaturesRequest{});
    case kOfptFeaturesReply: {
      FeaturesReply m;
      m.datapath_id = r.u64();
      m.n_buffers = r.u32();
      m.n_tables = r.u8();
      m.auxiliary_id = r.u8();
      r.skip(2);
      m.capabilities = r.u32();
      r.skip(4);
      OVNX_RETURN_IF_ERROR(r.status());
      return Message(m);
    }
    case kOfptGetConfigRequest:
      return Message(GetConfigRequest{});
    case kOfptGetConfigReply:
    case kOfptSetConfig: {
      SwitchConfig c;
      c.flags = r.u16();
      c.miss_send_len = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      if (type == kOfptSetConfig) return Message(SetConfig{c});
      return Message(GetConfigReply{c});
    }
    case kOfptPacketIn: {
      OVNX_ASSIGN_OR_RETURN(PacketIn m, get_ofp_packet_in(r));
      return Message(std::move(m));
    }
    case kOfptPacketOut: {
      OVNX_ASSIGN_OR_RETURN(PacketOut m, get_packet_out(r));
      return Message(std::move(m));
    }
    case kOfptFlowMod: {
      OVNX_ASSIGN_OR_RETURN(FlowMod m, get_flow_mod(r));
      return Message(std::move(m));
    }
    case kOfptGroupMod: {
      OVNX_ASSIGN_OR_RETURN(GroupMod m, get_group_mod(r));
      return Message(std::move(m));
    }
    case kOfptMeterMod: {
      OVNX_ASSIGN_OR_RETURN(MeterMod m, get_meter_mod(r));
      return Message(std::move(m));
    }
    case kOfptMultipartRequest:
    case kOfptMultipartReply: {
      uint16_t mp_type = r.u16();
      uint16_t flags = r.u16();
      r.skip(4);
      OVNX_RETURN_IF_ERROR(r.status());
      if (mp_type == kMultipartFlowDesc && type == kOfptMultipartRequest) {
        OVNX_ASSIGN_OR_RETURN(FlowStatsRequest m, get_flow_stats_request(r));
        return Message(std::move(m));
      }
      if (mp_type == kMultipartFlowDesc) {
        OVNX_ASSIGN_OR_RETURN(FlowStatsReply m, get_flow_stats_entries(r));
        m.more = flags & kMultipartReplyMore;
        return Message(std::move(m));
      }
      return Message(Unknown{type, 0, 0, mp_type, r.vec(r.remaining())});
    }
    case kOfptBarrierRequest:
      return Message(BarrierRequest{});
    case kOfptBarrierReply:
      return Message(BarrierReply{});
    case kOfptBundleControl: {
      BundleControl m;
      m.bundle_id = r.u32();
      uint16_t ctype = r.u16();
      m.flags = r.u16();
      OVNX_RETURN_IF_ERROR(r.status());
      if (ctype > 7) return wire::decode_error(fmt::format("bundle control type {}", ctype));
      m.type = static_cast<BundleCtrlType>(ctype);
      return Message(m);
    }
    default:
      return Message(Unknown{type, 0, 0, 0, r.vec(r.remaining())});
  }
}

}  // namespace

Result<std::optional<size_t>> peek_length(std::span<const uint8_t> data) {
  if (data.size() < kHeaderLen) return std::optional<size_t>();
  size_t len = (size_t{data[2]} << 8) | data[3];
  if (len < kHeaderLen) {
    return wire::decode_error(fmt::format("message length {} is shorter than the header", len));
  }
  return std::optional<size_t>(len);
}

namespace {

Error too_long(const char* name, size_t len) {
  return encode_error(
      fmt::format("{} of {} bytes exceeds the 65535-byte message limit", name, len));
}

// Appends M with XID to OUT; on failure OUT is left as it was.
Status encode_append(std::vector<uint8_t>& out, const Message& m, uint32_t xid) {
  size_t start = out.size();
  Writer w(out);
  w.u8(kVersion15);
  w.u8(0);  // type, patched
  w.u16(0);
  w.u32(xid);
  BodyEncoder enc{w};
  Status st = std::visit(enc, m);
  if (st.ok()) {
    if (const auto* add = std::get_if<BundleAdd>(&m)) {
      auto inner_len = peek_length(add->message);
      if (!inner_len.ok()) {
        st = inner_len.error();
      } else if (!*inner_len || **inner_len != add->message.size()) {
        st = encode_error("bundle add: the inner message is not one complete message");
      } else {
        w.u32(add->bundle_id);
        w.zeros(2);
        w.u16(add->flags);
        size_t inner = w.size();
        w.bytes(add->message);
        w.patch_u32(inner + 4, xid);
      }
    }
  }
  if (st.ok() && out.size() - start > 0xffff) st = too_long(message_name(m), out.size() - start);
  if (!st.ok()) {
    out.resize(start);
    return st;
  }
  out[start + 1] = enc.type;
  w.patch_u16(start + 2, static_cast<uint16_t>(out.size() - start));
  return ok_status();
}

}  // namespace

Result<std::vector<uint8_t>> encode(const Message& m, uint32_t xid) {
  std::vector<uint8_t> out;
  out.reserve(64);
  OVNX_RETURN_IF_ERROR(encode_append(out, m, xid));
  return out;
}

Status EncodedBatch::add(const Message& m) {
  OVNX_RETURN_IF_ERROR(encode_append(bytes_, m, 0));
  count_++;
  return ok_status();
}

Status EncodedBatch::add_bundled_flow_mod(uint32_t bundle_id, uint16_t flags, const FlowMod& mod,
                                          const Flow& flow) {
  size_t start = bytes_.size();
  Writer w(bytes_);
  w.u8(kVersion15);
  w.u8(kOfptBundleAddMessage);
  w.u16(0);  // length, patched
  w.u32(0);  // xid, set by take()
  w.u32(bundle_id);
  w.zeros(2);
  w.u16(flags);
  size_t inner = w.size();
  w.u8(kVersion15);
  w.u8(kOfptFlowMod);
  w.u16(0);
  w.u32(0);
  Status st = put_flow_mod(w, mod, flow);
  size_t inner_len = bytes_.size() - inner;
  size_t outer_len = bytes_.size() - start;
  if (st.ok() && inner_len > 0xffff) st = too_long("FLOW_MOD", inner_len);
  if (st.ok() && outer_len > 0xffff) st = too_long("BUNDLE_ADD_MESSAGE", outer_len);
  if (!st.ok()) {
    bytes_.resize(start);
    return st;
  }
  w.patch_u16(inner + 2, static_cast<uint16_t>(inner_len));
  w.patch_u16(start + 2, static_cast<uint16_t>(outer_len));
  count_++;
  return ok_status();
}

void EncodedBatch::append(const EncodedBatch& other) {
  bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
  count_ += other.count_;
}

std::vector<uint8_t> EncodedBatch::take(uint32_t first_xid) {
  Writer w(bytes_);
  uint32_t xid = first_xid;
  // Every message was framed by add*(), so the lengths are trusted here.
  for (size_t pos = 0; pos + kHeaderLen <= bytes_.size(); xid++) {
    size_t len = (size_t{bytes_[pos + 2]} << 8) | bytes_[pos + 3];
    w.patch_u32(pos + 4, xid);
    if (bytes_[pos + 1] == kOfptBundleAddMessage) w.patch_u32(pos + 16 + 4, xid);
    pos += len;
  }
  count_ = 0;
  std::vector<uint8_t> out = std::move(bytes_);
  bytes_.clear();
  return out;
}

Result<Envelope> decode(std::span<const uint8_t> data) {
  OVNX_ASSIGN_OR_RETURN(auto len, peek_length(data));
  if (!len) return wire::decode_error(fmt::format("message of {} bytes has no full header",
                                                  data.size()));
  if (*len != data.size()) {
    return wire::decode_error(
        fmt::format("header says {} bytes but the message has {}", *len, data.size()));
  }
  Envelope env;
  env.version = data[0];
  uint8_t type = data[1];
  env.xid = (uint32_t{data[4]} << 24) | (uint32_t{data[5]} << 16) | (uint32_t{data[6]} << 8) |
            data[7];
  if (type != kOfptHello && env.version != kVersion15) {
    return wire::decode_error(fmt::format("unsupported OpenFlow version {:#04x} (type {})",
                                          env.version, type));
  }
  Reader r(data.subspan(kHeaderLen), "message body");
  if (type == kOfptBundleAddMessage) {
    BundleAdd m;
    m.bundle_id = r.u32();
    r.skip(2);
    m.flags = r.u16();
    OVNX_RETURN_IF_ERROR(r.status());
    auto rest = r.rest();
    OVNX_ASSIGN_OR_RETURN(auto inner_len, peek_length(rest));
    if (!inner_len || *inner_len > rest.size()) {
      return wire::decode_error("bundle add: truncated inner message");
    }
    m.message.assign(rest.begin(), rest.begin() + static_cast<ptrdiff_t>(*inner_len));
    env.message = std::move(m);
    return env;
  }
  OVNX_ASSIGN_OR_RETURN(env.message, decode_body(env.version, type, r));
  return env;
}

Result<uint8_t> negotiate_version(const Envelope& peer_hello) {
  const auto* hello = std::get_if<Hello>(&peer_hello.message);
  if (!hello) return make_error("openflow protocol error", "expected a hello message");
  if (hello->version_bitmap & (1u << kVersion15)) return kVersion15;
  return make_error("openflow protocol error",
                    fmt::format("peer does not speak OpenFlow 1.5 (its hello is version {:#04x}, "
                                "bitmap {:#x})", peer_hello.version, hello->version_bitmap));
}

Resume resume_from(const PacketIn& pin) { return Resume{pin}; }

Result<std::vector<uint8_t>> encode_match(const Match& m) {
  std::vector<uint8_t> out;
  Writer w(out);
  oxm::put_match(w, m);
  return out;
}

Result<Match> decode_match(std::span<const uint8_t> data) {
  Reader r(data, "match");
  OVNX_ASSIGN_OR_RETURN(Match m, oxm::get_match(r));
  if (!r.empty()) {
    return wire::decode_error(fmt::format("{} bytes after the match", r.remaining()));
  }
  return m;
}

Result<std::vector<uint8_t>> encode_actions(const ActionList& actions) {
  std::vector<uint8_t> out;
  Writer w(out);
  OVNX_RETURN_IF_ERROR(action_codec::put_actions(w, actions));
  return out;
}

Result<ActionList> decode_actions(std::span<const uint8_t> data) {
  Reader r(data, "actions");
  return action_codec::get_actions(r);
}

std::string ErrorMsg::to_string() const { return format_error(type, code, experimenter); }

const char* message_name(const Message& m) {
  static constexpr const char* kNames[] = {
      "HELLO", "ECHO_REQUEST", "ECHO_REPLY", "FEATURES_REQUEST", "FEATURES_REPLY",
      "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY", "SET_CONFIG", "FLOW_MOD", "BARRIER_REQUEST",
      "BARRIER_REPLY", "BUNDLE_CONTROL", "BUNDLE_ADD_MESSAGE", "NXT_PACKET_IN2", "NXT_RESUME",
      "PACKET_OUT", "GROUP_MOD", "METER_MOD", "NXT_TLV_TABLE_MOD", "NXT_TLV_TABLE_REQUEST",
      "NXT_TLV_TABLE_REPLY", "NXT_SET_PACKET_IN_FORMAT", "NXT_SET_CONTROLLER_ID", "ERROR",
      "FLOW_STATS_REQUEST", "FLOW_STATS_REPLY", "UNKNOWN"};
  static_assert(std::size(kNames) == std::variant_size_v<Message>);
  return kNames[m.index()];
}

}  // namespace ovnx::openflow
