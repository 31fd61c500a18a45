#include "logical/controller_ops.h"

#include <fmt/format.h>

namespace ovnx::logical {
namespace {

uint32_t be32(std::span<const uint8_t> d, size_t at) {
  return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 | d[at + 3];
}

Error bad(std::string details) { return make_error("invalid controller user data", std::move(details)); }

}  // namespace

std::string_view controller_op_name(ControllerOp op) {
  switch (op) {
    case ControllerOp::kArp:
      return "arp";
    case ControllerOp::kPutArp:
      return "put_arp";
    case ControllerOp::kPutDhcpOpts:
      return "put_dhcp_opts";
    case ControllerOp::kNdNa:
      return "nd_na";
    case ControllerOp::kPutNd:
      return "put_nd";
    case ControllerOp::kPutDhcpv6Opts:
      return "put_dhcpv6_opts";
    case ControllerOp::kDnsLookup:
      return "dns_lookup";
    case ControllerOp::kLog:
      return "log";
    case ControllerOp::kPutNdRaOpts:
      return "put_nd_ra_opts";
    case ControllerOp::kNdNs:
      return "nd_ns";
    case ControllerOp::kIcmp:
      return "icmp";
    case ControllerOp::kTcpReset:
      return "tcp_reset";
    case ControllerOp::kNdNaRouter:
      return "nd_na_router";
    case ControllerOp::kPutIcmp4FragMtu:
      return "icmp4.frag_mtu";
    case ControllerOp::kIcmp4Error:
      return "icmp4_error";
    case ControllerOp::kEvent:
      return "trigger_event";
    case ControllerOp::kIgmp:
      return "igmp";
    case ControllerOp::kBindVport:
      return "bind_vport";
    case ControllerOp::kHandleSvcCheck:
      return "handle_svc_check";
    case ControllerOp::kHandleDhcpv6Reply:
      return "handle_dhcpv6_reply";
    case ControllerOp::kIcmp6Error:
      return "icmp6_error";
    case ControllerOp::kPutIcmp6FragMtu:
      return "icmp6.frag_mtu";
    case ControllerOp::kReject:
      return "reject";
    case ControllerOp::kSctpAbort:
      return "sctp_abort";
    case ControllerOp::kPutFdb:
      return "put_fdb";
  }
  return "";
}

Result<UserData> decode_userdata(std::span<const uint8_t> data) {
  if (data.size() < kUserDataHeaderLen) {
    return bad(fmt::format("{} bytes, shorter than the {}-byte header", data.size(),
                           kUserDataHeaderLen));
  }
  auto op = static_cast<ControllerOp>(be32(data, 0));
  if (controller_op_name(op).empty()) return bad(fmt::format("unknown opcode {}", be32(data, 0)));
  return UserData{op, data.subspan(kUserDataHeaderLen)};
}

std::vector<uint8_t> make_userdata(ControllerOp op, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out(kUserDataHeaderLen, 0);
  uint32_t v = static_cast<uint32_t>(op);
  out[0] = uint8_t(v >> 24);
  out[1] = uint8_t(v >> 16);
  out[2] = uint8_t(v >> 8);
  out[3] = uint8_t(v);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Result<ResultBit> decode_result_bit(std::span<const uint8_t> payload) {
  if (payload.size() < 8) return bad("result field header truncated");
  ResultBit r;
  r.oxm_header = be32(payload, 0);
  r.bit = be32(payload, 4);
  uint32_t field_bits = (r.oxm_header & 0xff) * 8;
  if (r.bit >= field_bits) {
    return bad(fmt::format("result bit {} outside the {}-bit field", r.bit, field_bits));
  }
  r.rest = payload.subspan(8);
  return r;
}

Result<std::vector<UserOption>> decode_options(std::span<const uint8_t> data, bool wide) {
  std::vector<UserOption> out;
  size_t hdr = wide ? 4 : 2;
  size_t at = 0;
  while (at < data.size()) {
    if (data.size() - at < hdr) return bad(fmt::format("option header truncated at byte {}", at));
    uint16_t code = wide ? uint16_t(data[at] << 8 | data[at + 1]) : data[at];
    size_t len = wide ? size_t(data[at + 2] << 8 | data[at + 3]) : data[at + 1];
    at += hdr;
    if (data.size() - at < len) {
      return bad(fmt::format("option {} claims {} bytes, {} left", code, len, data.size() - at));
    }
    out.push_back(UserOption{code, data.subspan(at, len)});
    at += len;
  }
  return out;
}

Result<LogInfo> decode_log(std::span<const uint8_t> payload) {
  if (payload.size() < 2) return bad("log payload truncated");
  LogInfo info;
  info.verdict = payload[0];
  info.severity = payload[1];
  info.name.assign(payload.begin() + 2, payload.end());
  return info;
}

}  // namespace ovnx::logical
