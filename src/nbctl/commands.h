// The ovn-nbctl command families. Each family lives in its own cmd_*.cc and appends its
// CommandSpecs (see ctl/command.h) here; program.cc puts them together.
#pragma once

#include <vector>

#include "ctl/command.h"

namespace ovnx::nbctl {

using Commands = std::vector<ctl::CommandSpec>;

void add_general_commands(Commands& out);      // init, show, sync
void add_switch_commands(Commands& out);       // ls-*
void add_switch_port_commands(Commands& out);  // lsp-*
void add_router_commands(Commands& out);       // lr-add, lr-del, lr-list
void add_router_port_commands(Commands& out);  // lrp-*
void add_gateway_chassis_commands(Commands& out);  // lrp-*-gateway-chassis
void add_ha_chassis_group_commands(Commands& out);  // ha-chassis-group-*
void add_route_commands(Commands& out);        // lr-route-*
void add_nat_commands(Commands& out);          // lr-nat-*
void add_policy_commands(Commands& out);       // lr-policy-*
void add_acl_commands(Commands& out);          // acl-*
void add_port_group_commands(Commands& out);   // pg-*
void add_lb_commands(Commands& out);           // lb-*, ls-lb-*, lr-lb-*
void add_dhcp_commands(Commands& out);         // dhcp-options-*
void add_connection_commands(Commands& out);   // *-connection, *-ssl

}  // namespace ovnx::nbctl
