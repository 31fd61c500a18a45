// Internal: per-message body encoders/decoders shared by the codec's .cc files.
// Bodies exclude the 8-byte header (and, for Nicira messages, the experimenter/subtype words;
// for multipart messages, the multipart header).
#pragma once

#include "base/result.h"
#include "openflow/messages.h"
#include "openflow/wire.h"

namespace ovnx::openflow::codec {

// OFPT_* message types (OpenFlow 1.5 section 7.1).
enum : uint8_t {
  kOfptHello = 0,
  kOfptError = 1,
  kOfptEchoRequest = 2,
  kOfptEchoReply = 3,
  kOfptExperimenter = 4,
  kOfptFeaturesRequest = 5,
  kOfptFeaturesReply = 6,
  kOfptGetConfigRequest = 7,
  kOfptGetConfigReply = 8,
  kOfptSetConfig = 9,
  kOfptPacketIn = 10,
  kOfptPacketOut = 13,
  kOfptFlowMod = 14,
  kOfptGroupMod = 15,
  kOfptMultipartRequest = 18,
  kOfptMultipartReply = 19,
  kOfptBarrierRequest = 20,
  kOfptBarrierReply = 21,
  kOfptMeterMod = 29,
  kOfptBundleControl = 33,
  kOfptBundleAddMessage = 34,
};

// Nicira experimenter message subtypes.
enum : uint32_t {
  kNxtSetPacketInFormat = 16,
  kNxtSetControllerId = 20,
  kNxtTlvTableMod = 24,
  kNxtTlvTableRequest = 25,
  kNxtTlvTableReply = 26,
  kNxtResume = 28,
  kNxtPacketIn2 = 30,
};

inline constexpr uint16_t kMultipartFlowDesc = 1;  // OFPMP_FLOW_DESC
inline constexpr uint16_t kMultipartReplyMore = 1;

Error encode_error(std::string details);

Status put_flow_mod(wire::Writer& w, const FlowMod& m);
// The same with FLOW in place of m.flow (no copy of a stored flow into a FlowMod).
Status put_flow_mod(wire::Writer& w, const FlowMod& m, const Flow& flow);
Result<FlowMod> get_flow_mod(wire::Reader& r);
Status put_group_mod(wire::Writer& w, const GroupMod& m);
Result<GroupMod> get_group_mod(wire::Reader& r);
Status put_meter_mod(wire::Writer& w, const MeterMod& m);
Result<MeterMod> get_meter_mod(wire::Reader& r);
Status put_packet_out(wire::Writer& w, const PacketOut& m);
Result<PacketOut> get_packet_out(wire::Reader& r);
Status put_flow_stats_request(wire::Writer& w, const FlowStatsRequest& m);
Result<FlowStatsRequest> get_flow_stats_request(wire::Reader& r);
Status put_flow_stats_entries(wire::Writer& w, const FlowStatsReply& m);
Result<FlowStatsReply> get_flow_stats_entries(wire::Reader& r);

// NXT_PACKET_IN2 / NXT_RESUME share the property list.
Status put_packet_in2_props(wire::Writer& w, const PacketIn& m);
Result<PacketIn> get_packet_in2_props(wire::Reader& r);
Result<PacketIn> get_ofp_packet_in(wire::Reader& r);  // standard OFPT_PACKET_IN
Status put_tlv_maps(wire::Writer& w, const std::vector<TlvMap>& maps);
Result<std::vector<TlvMap>> get_tlv_maps(wire::Reader& r);

}  // namespace ovnx::openflow::codec
