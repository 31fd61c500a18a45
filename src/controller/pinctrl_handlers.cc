#include "controller/pinctrl_handlers.h"

namespace ovnx::controller {

void register_default_handlers(Pinctrl& pinctrl) {
  using logical::ControllerOp;
  auto solicit = std::make_shared<pinctrl::NeighborSolicitHandler>();
  pinctrl.register_handler(ControllerOp::kArp, solicit);
  pinctrl.register_handler(ControllerOp::kNdNs, solicit);

  auto advert = std::make_shared<pinctrl::NeighborAdvertHandler>();
  pinctrl.register_handler(ControllerOp::kNdNa, advert);
  pinctrl.register_handler(ControllerOp::kNdNaRouter, advert);

  auto icmp = std::make_shared<pinctrl::IcmpHandler>();
  for (ControllerOp op : {ControllerOp::kIcmp, ControllerOp::kIcmp4Error, ControllerOp::kIcmp6Error,
                          ControllerOp::kTcpReset, ControllerOp::kReject}) {
    pinctrl.register_handler(op, icmp);
  }

  auto frag_mtu = std::make_shared<pinctrl::FragMtuHandler>();
  pinctrl.register_handler(ControllerOp::kPutIcmp4FragMtu, frag_mtu);
  pinctrl.register_handler(ControllerOp::kPutIcmp6FragMtu, frag_mtu);

  auto mac_binding = std::make_shared<pinctrl::MacBindingHandler>();
  pinctrl.register_handler(ControllerOp::kPutArp, mac_binding);
  pinctrl.register_handler(ControllerOp::kPutNd, mac_binding);

  pinctrl.register_handler(ControllerOp::kPutDhcpOpts, std::make_shared<pinctrl::DhcpHandler>());
  pinctrl.register_handler(ControllerOp::kPutDhcpv6Opts, std::make_shared<pinctrl::Dhcp6Handler>());
  pinctrl.register_handler(ControllerOp::kDnsLookup, std::make_shared<pinctrl::DnsHandler>());
}

}  // namespace ovnx::controller
