// OpenFlow 1.5 messages (and the Nicira extension messages) ovnx sends and receives, as values.
//
// Message is a std::variant over one struct per message kind; codec.h turns them into bytes
// and back. Port numbers use Open vSwitch's 16-bit numbering (fields.h); the codec converts.
// Messages the codec does not model (port status, flow removed, ...) decode as Unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "openflow/actions.h"
#include "openflow/match.h"

namespace ovnx::openflow {

inline constexpr uint8_t kVersion15 = 0x06;
inline constexpr uint32_t kBufferNone = 0xffffffff;  // OFP_NO_BUFFER
inline constexpr uint32_t kGroupAny = 0xffffffff;    // OFPG_ANY
inline constexpr uint32_t kGroupAll = 0xfffffffc;    // OFPG_ALL (delete every group)
inline constexpr uint8_t kTableAll = 0xff;           // OFPTT_ALL

// OFPT_HELLO with the versions we speak (bit N = wire version N).
struct Hello {
  uint32_t version_bitmap = 1u << kVersion15;
  bool operator==(const Hello&) const = default;
};

struct EchoRequest {
  std::vector<uint8_t> data;
  bool operator==(const EchoRequest&) const = default;
};
struct EchoReply {
  std::vector<uint8_t> data;
  bool operator==(const EchoReply&) const = default;
};

struct FeaturesRequest {
  bool operator==(const FeaturesRequest&) const = default;
};
struct FeaturesReply {
  uint64_t datapath_id = 0;
  uint32_t n_buffers = 0;
  uint8_t n_tables = 0;
  uint8_t auxiliary_id = 0;
  uint32_t capabilities = 0;
  bool operator==(const FeaturesReply&) const = default;
};

struct GetConfigRequest {
  bool operator==(const GetConfigRequest&) const = default;
};
// OFPT_GET_CONFIG_REPLY and OFPT_SET_CONFIG share this body.
struct SwitchConfig {
  uint16_t flags = 0;  // OFPC_FRAG_* bits
  uint16_t miss_send_len = kMaxLenNoBuffer;
  bool operator==(const SwitchConfig&) const = default;
};
struct GetConfigReply {
  SwitchConfig config;
  bool operator==(const GetConfigReply&) const = default;
};
struct SetConfig {
  SwitchConfig config;
  bool operator==(const SetConfig&) const = default;
};

enum class FlowModCommand : uint8_t {
  kAdd = 0,
  kModify = 1,        // all flows matching (non-strictly) the match
  kModifyStrict = 2,  // the flow with exactly this match and priority
  kDelete = 3,
  kDeleteStrict = 4,
};

// OFPT_FLOW_MOD. `flow` carries table, priority, cookie, match, actions, timeouts and flags.
// For modify with cookie_mask == 0 the switch also replaces the cookie; for delete and modify,
// a nonzero cookie_mask restricts the flows affected to (cookie & mask) == flow.cookie & mask.
struct FlowMod {
  FlowModCommand command = FlowModCommand::kAdd;
  Flow flow;
  uint64_t cookie_mask = 0;
  uint32_t buffer_id = kBufferNone;
  uint16_t out_port = kPortNone;  // delete: only flows that output to this port
  uint32_t out_group = kGroupAny;
  uint16_t importance = 0;
  bool operator==(const FlowMod&) const = default;
};

// The strict delete of the one flow identified by KEY (table, priority, match).
inline FlowMod strict_delete_of(const FlowKey& key) {
  FlowMod m;
  m.command = FlowModCommand::kDeleteStrict;
  m.flow.table_id = key.table_id;
  m.flow.priority = key.priority;
  m.flow.match = key.match;
  return m;
}

struct BarrierRequest {
  bool operator==(const BarrierRequest&) const = default;
};
struct BarrierReply {
  bool operator==(const BarrierReply&) const = default;
};

// OFPT_BUNDLE_CONTROL (OpenFlow 1.5 7.3.9).
enum class BundleCtrlType : uint16_t {
  kOpenRequest = 0,
  kOpenReply = 1,
  kCloseRequest = 2,
  kCloseReply = 3,
  kCommitRequest = 4,
  kCommitReply = 5,
  kDiscardRequest = 6,
  kDiscardReply = 7,
};
inline constexpr uint16_t kBundleAtomic = 1;
inline constexpr uint16_t kBundleOrdered = 2;
struct BundleControl {
  uint32_t bundle_id = 0;
  BundleCtrlType type = BundleCtrlType::kOpenRequest;
  uint16_t flags = kBundleAtomic | kBundleOrdered;
  bool operator==(const BundleControl&) const = default;
};
// OFPT_BUNDLE_ADD_MESSAGE. `message` is a complete encoded message (e.g. from
// encode(FlowMod, xid)); its xid must equal the bundle-add's own (the switch checks), which
// encode() enforces by rewriting it.
struct BundleAdd {
  uint32_t bundle_id = 0;
  uint16_t flags = kBundleAtomic | kBundleOrdered;
  std::vector<uint8_t> message;
  bool operator==(const BundleAdd&) const = default;
};

// A packet sent to the controller: NXT_PACKET_IN2 (or a standard OFPT_PACKET_IN).
inline constexpr uint64_t kCookieNone = ~uint64_t{0};
struct PacketIn {
  std::vector<uint8_t> packet;
  uint32_t full_len = 0;  // the packet's length before truncation (== packet.size() if whole)
  uint32_t buffer_id = kBufferNone;
  uint8_t table_id = 0;
  uint64_t cookie = kCookieNone;
  uint8_t reason = kPacketInReasonAction;
  Match metadata;  // pipeline fields at the time: in_port, metadata, regs, tun_*, ct_*, ...
  std::vector<uint8_t> userdata;  // from controller(userdata=...)
  // Present when the pipeline was paused (controller(pause)); send it back in a Resume.
  // Opaque: the raw body of the NXPINT_CONTINUATION property.
  std::optional<std::vector<uint8_t>> continuation;
  bool operator==(const PacketIn&) const = default;
};

// NXT_RESUME: continue a paused pipeline, possibly with a modified packet and metadata.
// Build it from the PacketIn (resume_from() in codec.h) then change `packet` if needed.
struct Resume {
  PacketIn packet_in;  // continuation must be set
  bool operator==(const Resume&) const = default;
};

// OFPT_PACKET_OUT (OpenFlow 1.5: the match carries in_port and other pipeline fields).
// Without in_port in `match`, in_port=CONTROLLER is sent, as the switch requires one.
struct PacketOut {
  uint32_t buffer_id = kBufferNone;
  Match match;
  ActionList actions;
  std::vector<uint8_t> packet;
  bool operator==(const PacketOut&) const = default;
};

// OFPT_GROUP_MOD (OpenFlow 1.5 buckets with properties).
enum class GroupModCommand : uint16_t {
  kAdd = 0,
  kModify = 1,
  kDelete = 2,
  kInsertBucket = 3,
  kRemoveBucket = 5,
};
enum class GroupType : uint8_t { kAll = 0, kSelect = 1, kIndirect = 2, kFastFailover = 3 };
inline constexpr uint32_t kBucketAll = 0xffffffff;  // OFPG_BUCKET_ALL
struct Bucket {
  uint32_t bucket_id = 0;
  ActionList actions;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> watch_port;
  std::optional<uint32_t> watch_group;
  bool operator==(const Bucket&) const = default;
};
struct GroupMod {
  GroupModCommand command = GroupModCommand::kAdd;
  GroupType type = GroupType::kAll;
  uint32_t group_id = 0;
  uint32_t command_bucket_id = kBucketAll;
  std::vector<Bucket> buckets;
  std::string selection_method;  // "" (switch default), "dp_hash" or "hash"
  uint64_t selection_method_param = 0;
  bool operator==(const GroupMod&) const = default;
};

// OFPT_METER_MOD.
enum class MeterModCommand : uint16_t { kAdd = 0, kModify = 1, kDelete = 2 };
inline constexpr uint16_t kMeterKbps = 1;
inline constexpr uint16_t kMeterPktps = 2;
inline constexpr uint16_t kMeterBurst = 4;
inline constexpr uint16_t kMeterStats = 8;
inline constexpr uint32_t kMeterAll = 0xffffffff;
struct MeterBand {
  uint16_t type = 1;  // 1 = drop, 2 = dscp_remark
  uint32_t rate = 0;
  uint32_t burst_size = 0;
  uint8_t prec_level = 0;  // dscp_remark only
  bool operator==(const MeterBand&) const = default;
};
struct MeterMod {
  MeterModCommand command = MeterModCommand::kAdd;
  uint16_t flags = kMeterKbps;
  uint32_t meter_id = 0;
  std::vector<MeterBand> bands;
  bool operator==(const MeterMod&) const = default;
};

// Geneve (and similar) TLV option -> tun_metadata<index> mappings (NXT_TLV_TABLE_*).
struct TlvMap {
  uint16_t option_class = 0;
  uint8_t option_type = 0;
  uint8_t option_len = 0;  // bytes, a multiple of 4
  uint16_t index = 0;      // N of tun_metadataN
  bool operator==(const TlvMap&) const = default;
};
enum class TlvTableCommand : uint16_t { kAdd = 0, kDelete = 1, kClear = 2 };
struct TlvTableMod {
  TlvTableCommand command = TlvTableCommand::kAdd;
  std::vector<TlvMap> mappings;
  bool operator==(const TlvTableMod&) const = default;
};
struct TlvTableRequest {
  bool operator==(const TlvTableRequest&) const = default;
};
struct TlvTableReply {
  uint32_t max_option_space = 0;
  uint16_t max_fields = 0;
  std::vector<TlvMap> mappings;
  bool operator==(const TlvTableReply&) const = default;
};

// NXT_SET_PACKET_IN_FORMAT.
inline constexpr uint32_t kPacketInFormatStandard = 0;
inline constexpr uint32_t kPacketInFormatNxt = 1;
inline constexpr uint32_t kPacketInFormatNxt2 = 2;
struct SetPacketInFormat {
  uint32_t format = kPacketInFormatNxt2;
  bool operator==(const SetPacketInFormat&) const = default;
};

// NXT_SET_CONTROLLER_ID: this connection's controller id (controller(id=N) targets it).
struct SetControllerId {
  uint16_t controller_id = 0;
  bool operator==(const SetControllerId&) const = default;
};

// OFPT_ERROR. to_string() gives e.g. "OFPBAC_BAD_SET_ARGUMENT (type 2, code 15)".
struct ErrorMsg {
  uint16_t type = 0;
  uint16_t code = 0;              // exp_code for experimenter errors
  uint32_t experimenter = 0;      // only when type == 0xffff
  std::vector<uint8_t> data;      // (the start of) the offending request
  std::string to_string() const;  // see errors.h
  bool operator==(const ErrorMsg&) const = default;
};

// OFPMP_FLOW_DESC request (flow stats in OpenFlow 1.5).
struct FlowStatsRequest {
  uint8_t table_id = kTableAll;
  uint16_t out_port = kPortNone;
  uint32_t out_group = kGroupAny;
  uint64_t cookie = 0;
  uint64_t cookie_mask = 0;
  Match match;
  bool operator==(const FlowStatsRequest&) const = default;
};
struct FlowStats {
  Flow flow;
  uint16_t importance = 0;
  // From the OXS stats; absent ones are zero.
  uint32_t duration_sec = 0;
  uint32_t duration_nsec = 0;
  uint64_t packet_count = 0;
  uint64_t byte_count = 0;
  bool operator==(const FlowStats&) const = default;
};
// One multipart reply message; `more` is set when further parts follow (same xid).
struct FlowStatsReply {
  std::vector<FlowStats> flows;
  bool more = false;
  bool operator==(const FlowStatsReply&) const = default;
};

// Anything else: kept with its type (and experimenter/subtype for experimenter messages).
struct Unknown {
  uint8_t type = 0;
  uint32_t experimenter = 0;
  uint32_t exp_type = 0;
  uint16_t multipart_type = 0;  // for multipart messages
  std::vector<uint8_t> body;    // after the header (and experimenter/subtype)
  bool operator==(const Unknown&) const = default;
};

using Message =
    std::variant<Hello, EchoRequest, EchoReply, FeaturesRequest, FeaturesReply, GetConfigRequest,
                 GetConfigReply, SetConfig, FlowMod, BarrierRequest, BarrierReply, BundleControl,
                 BundleAdd, PacketIn, Resume, PacketOut, GroupMod, MeterMod, TlvTableMod,
                 TlvTableRequest, TlvTableReply, SetPacketInFormat, SetControllerId, ErrorMsg,
                 FlowStatsRequest, FlowStatsReply, Unknown>;

// A name for logs: "FLOW_MOD", "NXT_PACKET_IN2", ...
const char* message_name(const Message& m);

}  // namespace ovnx::openflow
