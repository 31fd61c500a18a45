// Internal: the pipeline builders, one function per stage family, and the shared helpers they
// use. Each builder adds the flows of one datapath to a FlowSink; it reads only the immutable
// Topology, so builders for different datapaths run in parallel.
#pragma once

#include <string>
#include <string_view>

#include "northd/lflow.h"
#include "northd/topology.h"

namespace ovnx::northd {

struct BuildCtx {
  const Topology& topo;
  const Datapath& od;
  FlowSink& sink;
  // When set, build only the flows of these ACLs, each in its own group (an ACL-only update).
  const std::vector<const nb::Acl*>* only_acls = nullptr;
  const GlobalConfig& config() const { return topo.config(); }
};

// All flows of one datapath.
void build_switch_flows(BuildCtx& ctx);
void build_router_flows(BuildCtx& ctx);

// Logical switch stage families (ls_*.cc).
void build_ls_port_security(BuildCtx& ctx);  // check/apply port sec, fdb, egress port sec
void build_ls_acls(BuildCtx& ctx);           // pre-acl, acl hints, acls, acl-after-lb, stateful
// The flows of individual ACLs (group: the ACL's UUID).
void build_ls_acl_groups(BuildCtx& ctx, const std::vector<const nb::Acl*>& acls);
void build_ls_lb(BuildCtx& ctx);             // pre-lb, pre-stateful, lb, hairpin, qos
void build_ls_arp_nd(BuildCtx& ctx);         // ARP/ND responder
void build_ls_dhcp_dns(BuildCtx& ctx);       // DHCP options/response, DNS, external ports
void build_ls_l2(BuildCtx& ctx);             // L2 lookup, unknown destinations

// Logical router stage families (lr_*.cc).
void build_lr_admission(BuildCtx& ctx);  // admission, neighbor lookup and learning
void build_lr_ip_input(BuildCtx& ctx);   // IP input: router's own addresses, martians, TTL
void build_lr_nat(BuildCtx& ctx);        // unsnat, defrag, dnat, undnat, snat, egress loopback
void build_lr_routing(BuildCtx& ctx);    // routing, ECMP, policies
void build_lr_arp(BuildCtx& ctx);        // ARP resolve, packet length, gw redirect, ARP request,
                                         // delivery

// Helpers.
// "\"name\"" with JSON escapes, as matches and actions quote port names.
std::string quoted(std::string_view name);
// `{a, b}` if there are several, `a` for one.
std::string braced_list(const std::vector<std::string>& items);

}  // namespace ovnx::northd
