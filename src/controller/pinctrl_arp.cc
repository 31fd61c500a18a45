// arp { } and nd_ns { }: resolve an unknown next hop. The packet being processed is replaced
// by an ARP request (IPv4) or a Neighbor Solicitation (IPv6) initialized from it as ovn-sb(5)
// describes — the nested actions then usually change the addresses and output it:
//   arp:    eth unchanged (VLAN tag kept), arp.op = 1, arp.sha = eth.src, arp.spa = ip4.src,
//           arp.tha = 0, arp.tpa = ip4.dst;
//   nd_ns:  eth.dst = the solicited-node multicast MAC of ip6.dst, ip6.src unchanged,
//           ip6.dst = solicited-node address of ip6.dst, hop limit 255, nd.target = ip6.dst,
//           nd.sll = eth.src.
#include "controller/pinctrl_handlers.h"
#include "packets/arp.h"
#include "packets/ethernet.h"
#include "packets/icmp6.h"
#include "packets/ipv6.h"
#include "packets/packet.h"

namespace ovnx::controller::pinctrl {

namespace {

Result<packets::Bytes> build_arp_request(const packets::ParsedPacket& p) {
  if (!p.ipv4) return make_error("pinctrl", "arp: not an IPv4 packet");
  packets::EthernetHeader eth = p.eth.header;
  eth.ethertype = packets::kEthTypeArp;
  packets::ArpPacket arp;
  arp.op = packets::kArpRequest;
  arp.sha = eth.src;
  arp.spa = p.ipv4->header.src;
  arp.tpa = p.ipv4->header.dst;
  return packets::build_ethernet(eth, packets::build_arp(arp));
}

Result<packets::Bytes> build_neighbor_solicit(const packets::ParsedPacket& p) {
  if (!p.ipv6) return make_error("pinctrl", "nd_ns: not an IPv6 packet");
  const packets::Ipv6Addr target = p.ipv6->header.dst;
  packets::Ipv6Header ip;
  ip.src = p.ipv6->header.src;
  ip.dst = target.solicited_node();
  ip.next_header = packets::kIpProtoIcmpv6;
  ip.hop_limit = 255;
  packets::EthernetHeader eth = p.eth.header;
  eth.dst = ip.dst.multicast_mac();
  eth.ethertype = packets::kEthTypeIpv6;
  OVNX_ASSIGN_OR_RETURN(packets::Bytes icmp,
                        packets::build_icmp6(packets::Ipv6Endpoints{ip.src, ip.dst},
                                             packets::make_nd_ns(target, p.eth.header.src)));
  return packets::build_ethernet(eth, packets::build_ipv6(ip, icmp));
}

}  // namespace

void NeighborSolicitHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto parsed = packets::parse_packet(ev.raw->packet);
  Result<packets::Bytes> frame =
      parsed.ok() ? (ev.op == logical::ControllerOp::kArp ? build_arp_request(*parsed)
                                                          : build_neighbor_solicit(*parsed))
                  : Result<packets::Bytes>(parsed.error());
  send_nested(ev, ctx, std::move(frame), stats_);
}

}  // namespace ovnx::controller::pinctrl
