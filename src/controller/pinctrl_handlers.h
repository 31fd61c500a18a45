// The packet-in handlers of ovnx-controller, one per family of controller() actions
// (logical/controller_ops.h gives the user data each receives), and the call that registers
// them all with the dispatcher:
//
//   NeighborSolicitHandler  arp { }, nd_ns { }            pinctrl_arp.cc
//   NeighborAdvertHandler   nd_na { }, nd_na_router { }   pinctrl_nd.cc
//   IcmpHandler             icmp4/icmp6 { }, icmp4_error/icmp6_error { }, tcp_reset { },
//                           reject { }                    pinctrl_icmp.cc
//   FragMtuHandler          icmp4.frag_mtu, icmp6.frag_mtu pinctrl_frag_mtu.cc
//   MacBindingHandler       put_arp, put_nd               pinctrl_put_mac_binding.cc
//   DhcpHandler             put_dhcp_opts                 pinctrl_dhcp.cc
//   Dhcp6Handler            put_dhcpv6_opts               pinctrl_dhcp6.cc
//   DnsHandler              dns_lookup                    pinctrl_dns.cc
//
// Semantics follow OVN 23.03 (ovn-sb(5) "Logical_Flow" actions, ovn-architecture(7)). Every
// handler treats the packet and the user data as untrusted: anything malformed is counted in
// its stats and dropped (or, for a paused pipeline, resumed with a 0 result), never a crash.
// Handlers are single-threaded, like the dispatcher.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "controller/pinctrl.h"
#include "controller/pinctrl_common.h"

namespace ovnx::controller {

// Registers every handler below with PINCTRL.
void register_default_handlers(Pinctrl& pinctrl);

namespace pinctrl {

// A handler that keeps HandlerStats.
class CountingHandler : public PacketInHandler {
 public:
  const HandlerStats& stats() const { return stats_; }

 protected:
  HandlerStats stats_;
};

// arp { A } and nd_ns { A }: builds the ARP request / Neighbor Solicitation for the IPv4 /
// IPv6 packet being processed and runs the nested actions A on it (packet-out).
class NeighborSolicitHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// nd_na { A } and nd_na_router { A }: answers the Neighbor Solicitation being processed with
// a Neighbor Advertisement (S and O flags, R for nd_na_router) and runs A on it.
class NeighborAdvertHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// icmp4 { A }, icmp6 { A }, icmp4_error { A }, icmp6_error { A }, tcp_reset { A } and
// reject { A }: builds the ICMP error / TCP RST for the packet being processed and runs A.
class IcmpHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// icmp4.frag_mtu = N / icmp6.frag_mtu = N inside icmp4_error { } / icmp6_error { }: writes
// the MTU into the ICMP error being built (fixing its checksum) and resumes the pipeline.
class FragMtuHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// put_arp(port, ip, mac) / put_nd(port, ip, mac): inserts or updates the Southbound
// MAC_Binding row (logical_port, ip) with MAC and the current time. Repeated packet-ins for a
// binding that the Southbound database already has, or that is already queued, write nothing.
class MacBindingHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
  // Queued writes not yet seen in the Southbound replica.
  size_t pending() const { return pending_.size(); }

 private:
  // (datapath key, logical port, ip) -> (mac, when queued).
  std::map<std::tuple<uint32_t, std::string, std::string>, std::pair<std::string, int64_t>>
      pending_;
};

// R = put_dhcp_opts(offerip = A, ...): answers a DHCPDISCOVER with a DHCPOFFER and a
// DHCPREQUEST (or DHCPINFORM) with a DHCPACK (DHCPNAK if it asks for another address),
// carrying the options of the action; R := 1 and the reply resumes the pipeline.
class DhcpHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// R = put_dhcpv6_opts(...): answers SOLICIT with ADVERTISE and REQUEST, RENEW, REBIND,
// CONFIRM, INFORMATION-REQUEST, RELEASE, DECLINE with REPLY, carrying the address (IA_NA) and
// options of the action; R := 1 and the reply resumes the pipeline.
class Dhcp6Handler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

// R = dns_lookup(): answers A, AAAA, PTR and ANY queries from the records of the Southbound
// DNS rows of the packet's datapath; R := 1 and the answer resumes the pipeline, or R := 0 and
// the query goes on unchanged when there is no answer.
class DnsHandler final : public CountingHandler {
 public:
  void handle(const PacketInEvent& event, PinctrlContext& ctx) override;
};

}  // namespace pinctrl
}  // namespace ovnx::controller
