// nd_na { } and nd_na_router { }: the Neighbor Solicitation being processed is replaced by the
// Neighbor Advertisement answering it (RFC 4861 7.2.4), initialized from it as ovn-sb(5)
// describes, and the nested actions (which set the advertised MAC and addresses) run on it:
// eth.dst = the solicitation's eth.src, eth.src = its eth.dst; ip6.dst = its ip6.src (all-nodes
// ff02::1 if that is unspecified, i.e. duplicate address detection, and then S is clear);
// ip6.src = its ip6.dst; hop limit 255; nd.target unchanged; nd.tll = eth.src as built;
// flags S and O, and R for nd_na_router.
#include "controller/pinctrl_handlers.h"
#include "packets/ethernet.h"
#include "packets/icmp6.h"
#include "packets/ipv6.h"
#include "packets/packet.h"

namespace ovnx::controller::pinctrl {

namespace {

Result<packets::Bytes> build_advert(const packets::ParsedPacket& p, bool router) {
  if (!p.ipv6 || !p.icmp6 || p.icmp6->type != packets::kNdNeighborSolicit) {
    return make_error("pinctrl", "nd_na: not a Neighbor Solicitation");
  }
  const bool dad = p.ipv6->header.src.is_zero();
  packets::Ipv6Header ip;
  ip.src = p.ipv6->header.dst;
  if (dad) {
    ip.dst.bytes = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  } else {
    ip.dst = p.ipv6->header.src;
  }
  ip.next_header = packets::kIpProtoIcmpv6;
  ip.hop_limit = 255;
  packets::EthernetHeader eth = p.eth.header;
  eth.dst = dad ? ip.dst.multicast_mac() : p.eth.header.src;
  eth.src = p.eth.header.dst;
  eth.ethertype = packets::kEthTypeIpv6;
  OVNX_ASSIGN_OR_RETURN(
      packets::Bytes icmp,
      packets::build_icmp6(packets::Ipv6Endpoints{ip.src, ip.dst},
                           packets::make_nd_na(p.icmp6->target, eth.src, router, !dad)));
  return packets::build_ethernet(eth, packets::build_ipv6(ip, icmp));
}

}  // namespace

void NeighborAdvertHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto parsed = packets::parse_packet(ev.raw->packet);
  Result<packets::Bytes> frame =
      parsed.ok() ? build_advert(*parsed, ev.op == logical::ControllerOp::kNdNaRouter)
                  : Result<packets::Bytes>(parsed.error());
  send_nested(ev, ctx, std::move(frame), stats_);
}

}  // namespace ovnx::controller::pinctrl
