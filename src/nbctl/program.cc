#include "nbctl/program.h"

#include <string_view>

#include "ctl/row_ids.h"
#include "nbctl/commands.h"
#include "nbctl/wait.h"
#include "ovsdb/client/nb.h"

namespace ovnx::nbctl {

namespace {

const char kHelpCommands[] = R"(General commands:
  init                      initialize the database
  show                      print overview of database contents
  show SWITCH               print overview of database contents for SWITCH
  show ROUTER               print overview of database contents for ROUTER

Logical switch commands:
  ls-add [SWITCH]           create a logical switch named SWITCH
  ls-del SWITCH             delete SWITCH and all its ports
  ls-list                   print the names of all logical switches

ACL commands:
  [--type={switch | port-group}] [--log] [--severity=SEVERITY] [--name=NAME] [--may-exist]
  acl-add {SWITCH | PORTGROUP} DIRECTION PRIORITY MATCH ACTION
                            add an ACL to SWITCH/PORTGROUP
  [--type={switch | port-group}]
  acl-del {SWITCH | PORTGROUP} [DIRECTION [PRIORITY MATCH]]
                            remove ACLs from SWITCH/PORTGROUP
  [--type={switch | port-group}]
  acl-list {SWITCH | PORTGROUP}
                            print ACLs for SWITCH

Logical switch port commands:
  lsp-add SWITCH PORT       add logical port PORT on SWITCH
  lsp-add SWITCH PORT PARENT TAG
                            add logical port PORT on SWITCH with PARENT
                            on TAG
  lsp-del PORT              delete PORT from its attached switch
  lsp-list SWITCH           print the names of all logical ports on SWITCH
  lsp-get-parent PORT       get the parent of PORT if set
  lsp-get-tag PORT          get the PORT's tag if set
  lsp-set-addresses PORT [ADDRESS]...
                            set MAC or MAC+IP addresses for PORT.
  lsp-get-addresses PORT    get a list of MAC or MAC+IP addresses on PORT
  lsp-set-port-security PORT [ADDRS]...
                            set port security addresses for PORT.
  lsp-get-port-security PORT    get PORT's port security addresses
  lsp-get-up PORT           get state of PORT ('up' or 'down')
  lsp-set-enabled PORT STATE
                            set administrative state PORT
                            ('enabled' or 'disabled')
  lsp-get-enabled PORT      get administrative state PORT
                            ('enabled' or 'disabled')
  lsp-set-type PORT TYPE    set the type for PORT
  lsp-get-type PORT         get the type for PORT
  lsp-set-options PORT KEY=VALUE [KEY=VALUE]...
                            set options related to the type of PORT
  lsp-get-options PORT      get the type specific options for PORT
  lsp-set-dhcpv4-options PORT [DHCP_OPTIONS_UUID]
                            set dhcpv4 options for PORT
  lsp-get-dhcpv4-options PORT  get the dhcpv4 options for PORT
  lsp-set-dhcpv6-options PORT [DHCP_OPTIONS_UUID]
                            set dhcpv6 options for PORT
  lsp-get-dhcpv6-options PORT  get the dhcpv6 options for PORT
  lsp-get-ls PORT           get the logical switch which the port belongs to

Logical router commands:
  lr-add [ROUTER]           create a logical router named ROUTER
  lr-del ROUTER             delete ROUTER and all its ports
  lr-list                   print the names of all logical routers

Logical router port commands:
  lrp-add ROUTER PORT MAC NETWORK... [peer=PEER]
                            add logical port PORT on ROUTER
  lrp-del PORT              delete PORT from its attached router
  lrp-list ROUTER           print the names of all ports on ROUTER
  lrp-set-enabled PORT STATE
                            set administrative state PORT
                            ('enabled' or 'disabled')
  lrp-get-enabled PORT      get administrative state PORT
                            ('enabled' or 'disabled')
  lrp-set-gateway-chassis PORT CHASSIS [PRIORITY]
                            make CHASSIS a gateway chassis of PORT
  lrp-del-gateway-chassis PORT CHASSIS
                            stop using CHASSIS as a gateway chassis of PORT
  lrp-get-gateway-chassis PORT
                            print the gateway chassis of PORT by priority

HA chassis group commands:
  ha-chassis-group-add GROUP
                            create an HA chassis group named GROUP
  ha-chassis-group-del GROUP
                            delete GROUP
  ha-chassis-group-list     print every HA chassis group and its chassis
  ha-chassis-group-add-chassis GROUP CHASSIS PRIORITY
                            put CHASSIS into GROUP with PRIORITY
  ha-chassis-group-remove-chassis GROUP CHASSIS
                            take CHASSIS out of GROUP

Route commands:
  [--policy=POLICY]
  [--ecmp]
  [--ecmp-symmetric-reply]
  [--route-table=ROUTE_TABLE]
  [--bfd]
  lr-route-add ROUTER PREFIX NEXTHOP [PORT]
                            add a route to ROUTER
  [--policy=POLICY]
  [--route-table=ROUTE_TABLE]
  lr-route-del ROUTER [PREFIX [NEXTHOP [PORT]]]
                            remove routes from ROUTER
  [--route-table=ROUTE_TABLE]
  lr-route-list ROUTER      print routes for ROUTER

Policy commands:
  lr-policy-add ROUTER PRIORITY MATCH ACTION [NEXTHOP,[NEXTHOP,...]] [OPTIONS KEY=VALUE ...]
                            add a policy to router
  lr-policy-del ROUTER [{PRIORITY | UUID} [MATCH]]
                            remove policies from ROUTER
  lr-policy-list ROUTER     print policies for ROUTER

NAT commands:
  [--stateless]
  [--portrange]
  [--gateway-port=GATEWAY_PORT]
  lr-nat-add ROUTER TYPE EXTERNAL_IP LOGICAL_IP [LOGICAL_PORT EXTERNAL_MAC]
                            [EXTERNAL_PORT_RANGE]
                            add a NAT to ROUTER
  lr-nat-del ROUTER [TYPE [IP] [GATEWAY_PORT]]
                            remove NATs from ROUTER
  lr-nat-list ROUTER        print NATs for ROUTER

LB commands:
  lb-add LB VIP[:PORT] IP[:PORT]... [PROTOCOL]
                            create a load-balancer or add a VIP to an
                            existing load balancer
  lb-del LB [VIP]           remove a load-balancer or just the VIP from
                            the load balancer
  lb-list [LB]              print load-balancers
  lr-lb-add ROUTER LB       add a load-balancer to ROUTER
  lr-lb-del ROUTER [LB]     remove load-balancers from ROUTER
  lr-lb-list ROUTER         print load-balancers
  ls-lb-add SWITCH LB       add a load-balancer to SWITCH
  ls-lb-del SWITCH [LB]     remove load-balancers from SWITCH
  ls-lb-list SWITCH         print load-balancers

DHCP Options commands:
  dhcp-options-create CIDR [EXTERNAL_IDS]
                           create a DHCP options row with CIDR
  dhcp-options-del DHCP_OPTIONS_UUID
                           delete DHCP_OPTIONS_UUID
  dhcp-options-list
                           lists the DHCP_Options rows
  dhcp-options-set-options DHCP_OPTIONS_UUID  KEY=VALUE [KEY=VALUE]...
                           set DHCP options for DHCP_OPTIONS_UUID
  dhcp-options-get-options DHCO_OPTIONS_UUID
                           displays the DHCP options for DHCP_OPTIONS_UUID

Connection commands:
  get-connection             print the connections
  del-connection             delete the connections
  [--inactivity-probe=MSECS]
  set-connection TARGET...   set the list of connections to TARGET...

SSL commands:
  get-ssl                     print the SSL configuration
  del-ssl                     delete the SSL configuration
  set-ssl PRIV-KEY CERT CA-CERT [SSL-PROTOS [SSL-CIPHERS]] set the SSL configuration
Port group commands:
  pg-add PG [PORTS]           Create port group PG with optional PORTS
  pg-set-ports PG PORTS       Set PORTS on port group PG
  pg-del PG                   Delete port group PG

Synchronization command (use with --wait=sb|hv):
  sync                     wait even for earlier changes to take effect
)";

}  // namespace

ctl::ProgramSpec program_spec(std::string name) {
  ctl::ProgramSpec spec;
  spec.name = std::move(name);
  spec.description = "OVN northbound DB management utility";
  spec.db_env = "OVN_NB_DB";
  spec.db_socket = "ovnnb_db.sock";
  spec.options_env = "OVN_NBCTL_OPTIONS";
  spec.help_commands = kHelpCommands;
  spec.binding = nb::binding_ptr();
  spec.row_ids = ctl::northbound_row_ids();
  add_general_commands(spec.commands);
  add_switch_commands(spec.commands);
  add_switch_port_commands(spec.commands);
  add_router_commands(spec.commands);
  add_router_port_commands(spec.commands);
  add_gateway_chassis_commands(spec.commands);
  add_ha_chassis_group_commands(spec.commands);
  add_route_commands(spec.commands);
  add_nat_commands(spec.commands);
  add_policy_commands(spec.commands);
  add_acl_commands(spec.commands);
  add_port_group_commands(spec.commands);
  add_lb_commands(spec.commands);
  add_dhcp_commands(spec.commands);
  add_connection_commands(spec.commands);
  spec.extra_options = {
      {"--wait", true, "--wait=sb|hv|none: wait for OVN to catch up (default: none)"},
      {"--no-wait", false, "do not wait for OVN reconfiguration (default)"},
      {"--print-wait-time", false, "print time spent on waiting"},
  };
  spec.before_commit = before_commit;
  spec.after_commit = after_commit;
  return spec;
}

int run(int argc, char** argv) {
  // Messages are prefixed with the name we were invoked as, like the OVS tools do.
  std::string_view name = argc > 0 ? argv[0] : "ovnx-nbctl";
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  ctl::ProgramSpec spec = program_spec(std::string(name));
  return ctl::run_program(spec, argc, argv);
}

}  // namespace ovnx::nbctl
