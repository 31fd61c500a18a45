// put_dhcpv6_opts: ovn-controller's native DHCPv6 server (ovn-sb(5), RFC 8415).
//
// The user data gives the result bit and the options in wire form, 16-bit codes and lengths
// (logical/controller_ops.h): server_id (2, a DUID-LL), ia_addr (5, the address to hand out;
// absent for stateless DHCPv6), dns_server (23), domain_search (24), ... The reply replaces the
// request in the paused pipeline and keeps its headers (client address to ff02::1:2, UDP 546
// to 547), which the next logical flow matches and then turns around; the UDP checksum is
// computed for these headers and the rewrites downstream keep it valid.
//
//   SOLICIT -> ADVERTISE; REQUEST, CONFIRM, RENEW, REBIND -> REPLY; INFORMATION-REQUEST ->
//   REPLY without addresses; RELEASE and DECLINE -> REPLY with a success status (RFC 8415
//   18.3.7, 18.3.8); anything else, or a REQUEST/RENEW for another server -> no reply.
// Every address reply carries the client's IA_NA (its IAID, T1 = T2 = 0: the client picks) with
// the offered address and infinite lifetimes, the client's identifier and ours.
#include <fmt/format.h>

#include "base/log.h"
#include "controller/pinctrl_handlers.h"
#include "packets/dhcp6.h"
#include "packets/ethernet.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "packets/udp.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

namespace {

using packets::Dhcp6Message;
using packets::Dhcp6MessageType;

constexpr uint16_t kOptIaAddr = 5;         // put_dhcpv6_opts' ia_addr: the bare 16-byte address
constexpr uint16_t kOptBootfileAlt = 254;  // an OVN pseudo-option, never sent

const logical::UserOption* find_option(const std::vector<logical::UserOption>& opts,
                                       uint16_t code) {
  for (const auto& o : opts) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

std::optional<Dhcp6Message> make_reply(const Dhcp6Message& req,
                                       const std::vector<logical::UserOption>& opts,
                                       std::string& why) {
  const logical::UserOption* server = find_option(opts, packets::kDhcp6OptServerId);
  if (!server) {
    why = "no server_id";
    return std::nullopt;
  }
  packets::Bytes server_id(server->value.begin(), server->value.end());
  const packets::Dhcp6Option* client_id = req.find(packets::kDhcp6OptClientId);
  const packets::Dhcp6Option* asked_server = req.find(packets::kDhcp6OptServerId);
  Dhcp6Message reply;
  reply.xid = req.xid;
  bool addresses = true;
  switch (req.type) {
    case Dhcp6MessageType::solicit:
      reply.type = Dhcp6MessageType::advertise;
      break;
    case Dhcp6MessageType::request:
    case Dhcp6MessageType::renew:
    case Dhcp6MessageType::release:
    case Dhcp6MessageType::decline:
      if (asked_server && asked_server->value != server_id) {
        why = "for another server";
        return std::nullopt;
      }
      [[fallthrough]];
    case Dhcp6MessageType::confirm:
    case Dhcp6MessageType::rebind:
      reply.type = Dhcp6MessageType::reply;
      break;
    case Dhcp6MessageType::information_request:
      reply.type = Dhcp6MessageType::reply;
      addresses = false;
      break;
    default:
      why = fmt::format("{} needs no reply", packets::dhcp6_message_type_name(req.type));
      return std::nullopt;
  }
  if (client_id) reply.add(packets::kDhcp6OptClientId, client_id->value);
  reply.add(packets::kDhcp6OptServerId, server_id);
  if (req.type == Dhcp6MessageType::release || req.type == Dhcp6MessageType::decline) {
    reply.add(packets::kDhcp6OptStatusCode,
              packets::make_dhcp6_status(packets::kDhcp6StatusSuccess, "released"));
    return reply;
  }
  const logical::UserOption* ia_addr = find_option(opts, kOptIaAddr);
  const packets::Dhcp6Option* req_ia = req.find(packets::kDhcp6OptIaNa);
  if (addresses && ia_addr && ia_addr->value.size() == 16 && req_ia) {
    auto ia = packets::parse_dhcp6_ia_na(req_ia->value);
    if (!ia.ok()) {
      why = ia.error().to_string();
      return std::nullopt;
    }
    packets::Dhcp6IaNa out;
    out.iaid = ia->iaid;
    packets::Dhcp6IaAddress a;
    a.addr = packets::Ipv6Addr::from_bytes(ia_addr->value.data());
    out.addresses.push_back(a);
    reply.add(packets::kDhcp6OptIaNa, packets::build_dhcp6_ia_na(out));
  }
  for (const logical::UserOption& o : opts) {
    if (o.code == packets::kDhcp6OptServerId || o.code == kOptIaAddr || o.code == kOptBootfileAlt) {
      continue;
    }
    reply.add(o.code, packets::Bytes(o.value.begin(), o.value.end()));
  }
  return reply;
}

Result<std::optional<packets::Bytes>> build_reply_frame(const PacketInEvent& ev,
                                                        std::span<const uint8_t> rest) {
  OVNX_ASSIGN_OR_RETURN(std::vector<logical::UserOption> opts,
                        logical::decode_options(rest, /*wide=*/true));
  OVNX_ASSIGN_OR_RETURN(packets::ParsedPacket p, packets::parse_packet(ev.raw->packet));
  if (!p.ipv6 || !p.udp || p.udp->dst_port != packets::kDhcp6ServerPort) {
    return make_error("pinctrl", "put_dhcpv6_opts: not a UDP packet to port 547");
  }
  OVNX_ASSIGN_OR_RETURN(Dhcp6Message req, packets::parse_dhcp6(p.udp->payload));
  std::string why;
  std::optional<Dhcp6Message> reply = make_reply(req, opts, why);
  if (!reply) {
    LOG_DBG("put_dhcpv6_opts: no reply to {}: {}", packets::dhcp6_message_type_name(req.type), why);
    return std::optional<packets::Bytes>();
  }
  packets::Ipv6Header ip = p.ipv6->header;
  ip.next_header = packets::kIpProtoUdp;
  packets::Bytes udp = packets::build_udp(packets::Ipv6Endpoints{ip.src, ip.dst}, p.udp->src_port,
                                          p.udp->dst_port, packets::build_dhcp6(*reply));
  return std::optional<packets::Bytes>(
      packets::build_ethernet(p.eth.header, packets::build_ipv6(ip, udp)));
}

}  // namespace

void Dhcp6Handler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto rb = logical::decode_result_bit(ev.payload);
  if (!rb.ok()) {
    stats_.malformed++;
    LOG_DBG("put_dhcpv6_opts: {}", rb.error().to_string());
    return;
  }
  auto frame = build_reply_frame(ev, rb->rest);
  if (!frame.ok()) {
    LOG_DBG("put_dhcpv6_opts: {}", frame.error().to_string());
    finish_paused(ev, ctx, *rb, std::nullopt, stats_, /*malformed=*/true);
    return;
  }
  finish_paused(ev, ctx, *rb, std::move(frame).value(), stats_);
}

}  // namespace ovnx::controller::pinctrl
