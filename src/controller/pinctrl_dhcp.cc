// put_dhcp_opts: ovn-controller's native DHCPv4 server (ovn-sb(5), RFC 2131).
//
// The user data gives the result bit, the offered address and the options, already in wire
// form (logical/controller_ops.h). The reply replaces the request in the paused pipeline; the
// next logical flow turns it around (Ethernet and IPv4 source, UDP ports, outport = inport),
// so the reply keeps the request's Ethernet header, IPv4 source and UDP ports, which that flow
// matches on; only the IPv4 destination is chosen here (RFC 2131 4.1): the client's ciaddr
// when it has one, broadcast when the client asks for it or for a DHCPNAK, else the offered
// address. The UDP checksum is left zero (allowed over IPv4), so the rewrites downstream
// cannot invalidate it.
//
//   DHCPDISCOVER  -> DHCPOFFER (yiaddr = offer)
//   DHCPREQUEST   -> DHCPACK, or DHCPNAK if the requested address (option 50, else ciaddr) is
//                    not the offer; ignored if it names another server (option 54)
//   DHCPINFORM    -> DHCPACK without an address or lease times
//   anything else -> no reply (result 0: the request goes on through the pipeline)
// The pseudo-options are applied: next_server (253) sets siaddr, bootfile_name_alt (254)
// replaces bootfile_name for iPXE clients (option 175 or user class "iPXE").
#include <fmt/format.h>

#include "base/log.h"
#include "controller/pinctrl_handlers.h"
#include "packets/dhcp4.h"
#include "packets/ethernet.h"
#include "packets/ipv4.h"
#include "packets/packet.h"
#include "packets/udp.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

namespace {

using packets::DhcpMessage;
using packets::DhcpMessageType;
using packets::Ipv4Addr;

constexpr uint8_t kOptNextServer = 253;
constexpr uint8_t kOptBootfileAlt = 254;
constexpr uint8_t kOptUserClass = 77;

struct Offer {
  Ipv4Addr addr;
  std::vector<logical::UserOption> options;
  const logical::UserOption* find(uint16_t code) const {
    for (const auto& o : options) {
      if (o.code == code) return &o;
    }
    return nullptr;
  }
};

Result<Offer> decode_offer(std::span<const uint8_t> rest) {
  if (rest.size() < 4) return make_error("pinctrl", "put_dhcp_opts: offered address truncated");
  Offer o;
  o.addr = Ipv4Addr::from_bytes(rest.data());
  OVNX_ASSIGN_OR_RETURN(o.options, logical::decode_options(rest.subspan(4), false));
  return o;
}

bool is_ipxe(const DhcpMessage& req) {
  if (req.find(packets::kDhcpOptEtherboot)) return true;
  const packets::DhcpOption* uc = req.find(kOptUserClass);
  return uc && std::string_view(reinterpret_cast<const char*>(uc->value.data()),
                                uc->value.size()) == "iPXE";
}

std::optional<Ipv4Addr> ipv4_option(const DhcpMessage& m, uint8_t code) {
  const packets::DhcpOption* o = m.find(code);
  if (!o || o->value.size() != 4) return std::nullopt;
  return Ipv4Addr::from_bytes(o->value.data());
}

// The reply to REQ, or nullopt when the request gets none.
std::optional<DhcpMessage> make_reply(const DhcpMessage& req, const Offer& offer,
                                      std::string& why) {
  auto type = req.message_type();
  if (req.op != packets::kBootRequest || !type) {
    why = "not a DHCP request";
    return std::nullopt;
  }
  const logical::UserOption* server = offer.find(packets::kDhcpOptServerId);
  std::optional<Ipv4Addr> server_id;
  if (server && server->value.size() == 4) server_id = Ipv4Addr::from_bytes(server->value.data());

  DhcpMessageType reply_type;
  switch (*type) {
    case DhcpMessageType::discover:
      reply_type = DhcpMessageType::offer;
      break;
    case DhcpMessageType::request: {
      auto asked_server = ipv4_option(req, packets::kDhcpOptServerId);
      if (asked_server && server_id && *asked_server != *server_id) {
        why = fmt::format("DHCPREQUEST for server {}", asked_server->to_string());
        return std::nullopt;
      }
      Ipv4Addr wanted = ipv4_option(req, packets::kDhcpOptRequestedIp).value_or(req.ciaddr);
      reply_type = wanted == offer.addr ? DhcpMessageType::ack : DhcpMessageType::nak;
      break;
    }
    case DhcpMessageType::inform:
      reply_type = DhcpMessageType::ack;
      break;
    default:
      why = fmt::format("{} needs no reply", packets::dhcp_message_type_name(*type));
      return std::nullopt;
  }

  DhcpMessage reply = packets::make_dhcp4_reply(req, reply_type);
  if (reply_type == DhcpMessageType::nak) {
    if (server)
      reply.set(packets::kDhcpOptServerId,
                packets::Bytes(server->value.begin(), server->value.end()));
    return reply;
  }
  const bool inform = *type == DhcpMessageType::inform;
  reply.ciaddr = req.ciaddr;
  if (!inform) reply.yiaddr = offer.addr;
  const bool ipxe = is_ipxe(req);
  for (const logical::UserOption& o : offer.options) {
    packets::Bytes value(o.value.begin(), o.value.end());
    if (o.code == kOptNextServer) {
      if (value.size() == 4) reply.siaddr = Ipv4Addr::from_bytes(value.data());
      continue;
    }
    if (o.code == kOptBootfileAlt) continue;
    if (o.code == packets::kDhcpOptBootfileName && ipxe && offer.find(kOptBootfileAlt)) continue;
    if (inform && (o.code == packets::kDhcpOptLeaseTime || o.code == packets::kDhcpOptT1 ||
                   o.code == packets::kDhcpOptT2)) {
      continue;
    }
    if (o.code == packets::kDhcpOptPad || o.code == packets::kDhcpOptEnd ||
        o.code == packets::kDhcpOptMessageType) {
      continue;
    }
    reply.set(uint8_t(o.code), std::move(value));
  }
  if (ipxe) {
    if (const logical::UserOption* alt = offer.find(kOptBootfileAlt)) {
      reply.set(packets::kDhcpOptBootfileName,
                packets::Bytes(alt->value.begin(), alt->value.end()));
    }
  }
  return reply;
}

Result<std::optional<packets::Bytes>> build_reply_frame(const PacketInEvent& ev,
                                                        const Offer& offer) {
  OVNX_ASSIGN_OR_RETURN(packets::ParsedPacket p, packets::parse_packet(ev.raw->packet));
  if (!p.ipv4 || !p.udp || p.udp->dst_port != packets::kDhcp4ServerPort) {
    return make_error("pinctrl", "put_dhcp_opts: not a UDP packet to port 67");
  }
  OVNX_ASSIGN_OR_RETURN(DhcpMessage req, packets::parse_dhcp4(p.udp->payload));
  std::string why;
  std::optional<DhcpMessage> reply = make_reply(req, offer, why);
  if (!reply) {
    LOG_DBG("put_dhcp_opts: no reply: {}", why);
    return std::optional<packets::Bytes>();
  }
  const auto type = reply->message_type();
  LOG_DBG("put_dhcp_opts: {} {} to {}", packets::dhcp_message_type_name(*type),
          reply->yiaddr.to_string(), req.client_mac().to_string());

  packets::Ipv4Header ip = p.ipv4->header;
  ip.protocol = packets::kIpProtoUdp;
  ip.more_fragments = false;
  ip.frag_offset = 0;
  if (type == DhcpMessageType::nak || (req.ciaddr.is_zero() && req.broadcast())) {
    ip.dst = Ipv4Addr{0xffffffffu};
  } else if (!req.ciaddr.is_zero()) {
    ip.dst = req.ciaddr;
  } else {
    ip.dst = offer.addr;
  }
  packets::Bytes udp = packets::build_udp(packets::Ipv4Endpoints{ip.src, ip.dst}, p.udp->src_port,
                                          p.udp->dst_port, packets::build_dhcp4(*reply));
  udp[6] = udp[7] = 0;  // no checksum: see the top of this file
  packets::EthernetHeader eth = p.eth.header;
  return std::optional<packets::Bytes>(packets::build_ethernet(eth, packets::build_ipv4(ip, udp)));
}

}  // namespace

void DhcpHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto rb = logical::decode_result_bit(ev.payload);
  if (!rb.ok()) {
    stats_.malformed++;
    LOG_DBG("put_dhcp_opts: {}", rb.error().to_string());
    return;
  }
  auto offer = decode_offer(rb->rest);
  Result<std::optional<packets::Bytes>> frame =
      offer.ok() ? build_reply_frame(ev, *offer)
                 : Result<std::optional<packets::Bytes>>(offer.error());
  if (!frame.ok()) {
    LOG_DBG("put_dhcp_opts: {}", frame.error().to_string());
    finish_paused(ev, ctx, *rb, std::nullopt, stats_, /*malformed=*/true);
    return;
  }
  finish_paused(ev, ctx, *rb, std::move(frame).value(), stats_);
}

}  // namespace ovnx::controller::pinctrl
