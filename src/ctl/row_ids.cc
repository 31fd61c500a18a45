#include "ctl/row_ids.h"

namespace ovnx::ctl {

namespace {

TableIds by(const char* table, std::vector<const char*> columns) {
  TableIds t{table, {}};
  for (const char* c : columns) t.ids.push_back({table, c, "", ""});
  return t;
}

TableIds by_key(const char* table, const char* column, std::vector<const char*> keys) {
  TableIds t{table, {}};
  for (const char* k : keys) t.ids.push_back({table, column, k, ""});
  return t;
}

TableIds only_row(const char* table) { return TableIds{table, {{table, "", "", ""}}}; }

}  // namespace

const std::vector<TableIds>& southbound_row_ids() {
  static const std::vector<TableIds> ids = [] {
    std::vector<TableIds> v = {
        by("Address_Set", {"name"}),
        by("Chassis", {"name"}),
        by("Chassis_Private", {"name"}),
        by("Chassis_Template_Var", {"chassis"}),
        by("Connection", {"target"}),
        by("DHCP_Options", {"name"}),
        by("DHCPv6_Options", {"name"}),
        by_key("Datapath_Binding", "external_ids",
               {"name", "name2", "logical-switch", "logical-router"}),
        by("Gateway_Chassis", {"name"}),
        by("HA_Chassis_Group", {"name"}),
        by("Load_Balancer", {"name"}),
        by("MAC_Binding", {"logical_port"}),
        by("Meter", {"name"}),
        by("Mirror", {"name"}),
        by("Port_Group", {"name"}),
        by("RBAC_Permission", {"table"}),
        by("RBAC_Role", {"name"}),
        only_row("SB_Global"),
        only_row("SSL"),
        by("Service_Monitor", {"logical_port"}),
    };
    TableIds pb = by("Port_Binding", {"logical_port"});
    pb.ids.push_back({"Port_Binding", "external_ids", "name", ""});
    v.push_back(pb);
    return v;
  }();
  return ids;
}

const std::vector<TableIds>& northbound_row_ids() {
  static const std::vector<TableIds> ids = [] {
    std::vector<TableIds> v = {
        by("ACL", {"name"}),
        by("Address_Set", {"name"}),
        by("Chassis_Template_Var", {"chassis"}),
        by("Connection", {"target"}),
        by("Forwarding_Group", {"name"}),
        by("HA_Chassis", {"chassis_name"}),
        by("HA_Chassis_Group", {"name"}),
        by("Load_Balancer", {"name"}),
        by("Load_Balancer_Group", {"name"}),
        by("Load_Balancer_Health_Check", {"vip"}),
        by("Logical_Router_Port", {"name"}),
        by("Meter", {"name"}),
        by("NAT", {"external_ip"}),
        only_row("NB_Global"),
        by("Port_Group", {"name"}),
        only_row("SSL"),
    };
    auto with_neutron = [](const char* table, const char* key) {
      TableIds t = by(table, {"name"});
      t.ids.push_back({table, "external_ids", key, ""});
      return t;
    };
    v.push_back(with_neutron("Logical_Router", "neutron:router_name"));
    v.push_back(with_neutron("Logical_Switch", "neutron:network_name"));
    v.push_back(with_neutron("Logical_Switch_Port", "neutron:port_name"));
    TableIds dhcp{"DHCP_Options", {}};
    for (const char* col : {"dhcpv4_options", "dhcpv6_options"}) {
      dhcp.ids.push_back({"Logical_Switch_Port", "name", "", col});
      dhcp.ids.push_back({"Logical_Switch_Port", "external_ids", "neutron:port_name", col});
    }
    v.push_back(dhcp);
    return v;
  }();
  return ids;
}

}  // namespace ovnx::ctl
