// Internal: small helpers shared by the router stage families.
#pragma once

#include <string>
#include <string_view>

#include "northd/pipelines.h"

namespace ovnx::northd {

// The port's IPv4 addresses as a match operand: "A" alone, or "{A1, A2}"; with `bcast`, each
// followed by its broadcast address and always braced.
std::string v4_networks(const Port& op, bool bcast);
// The port's IPv6 addresses: "A" alone or "{A1, A2}".
std::string v6_networks(const Port& op);

// True if `ip` (text form) is the external address of a SNAT rule on the router.
bool is_snat_ip(const Datapath& od, std::string_view ip);
// True if `ip` is a load balancer VIP of the router.
bool is_lb_ip(const Datapath& od, std::string_view ip);

// Drops traffic to the port's own addresses: with drop_snat_ip false those that are not also
// SNAT/LB addresses, with true exactly those.
void drop_own_destinations(BuildCtx& ctx, const Port& op, Stage stage, uint16_t priority,
                           bool drop_snat_ip);

}  // namespace ovnx::northd
