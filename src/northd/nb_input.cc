#include "northd/nb_input.h"

#include "ovsdb/client/nb.h"
#include "ovsdb/client/replica.h"

namespace ovnx::northd {
namespace {

namespace idl = ::ovnx::nb;
using ovsdb::client::Row;

// Column readers over the generic datum, so the model keeps raw UUIDs of references (rows
// referenced may not be replicated, or not yet).
std::string str(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  return d.empty() ? std::string() : d.key(0).string();
}
std::optional<std::string> opt_str(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  if (d.empty()) return std::nullopt;
  return d.key(0).string();
}
std::vector<std::string> str_set(const Row& r, size_t c) {
  std::vector<std::string> out;
  for (const auto& a : r.datum(c).keys()) out.push_back(a.string());
  return out;
}
std::vector<Uuid> uuid_set(const Row& r, size_t c) {
  std::vector<Uuid> out;
  for (const auto& a : r.datum(c).keys()) out.push_back(a.uuid());
  return out;
}
std::optional<Uuid> opt_uuid(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  if (d.empty()) return std::nullopt;
  return d.key(0).uuid();
}
nb::Smap smap(const Row& r, size_t c) {
  nb::Smap out;
  const auto& d = r.datum(c);
  for (size_t i = 0; i < d.size(); ++i) out.emplace(d.key(i).string(), d.value(i).string());
  return out;
}
int64_t integer(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  return d.empty() ? 0 : d.key(0).integer();
}
std::optional<int64_t> opt_int(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  if (d.empty()) return std::nullopt;
  return d.key(0).integer();
}
bool boolean(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  return !d.empty() && d.key(0).boolean();
}
std::optional<bool> opt_bool(const Row& r, size_t c) {
  const auto& d = r.datum(c);
  if (d.empty()) return std::nullopt;
  return d.key(0).boolean();
}

nb::LogicalSwitch to_model(const idl::LogicalSwitch& r) {
  using C = idl::LogicalSwitch::Col;
  nb::LogicalSwitch m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.ports = uuid_set(r, C::ports);
  m.acls = uuid_set(r, C::acls);
  m.qos_rules = uuid_set(r, C::qos_rules);
  m.load_balancer = uuid_set(r, C::load_balancer);
  m.load_balancer_group = uuid_set(r, C::load_balancer_group);
  m.dns_records = uuid_set(r, C::dns_records);
  m.forwarding_groups = uuid_set(r, C::forwarding_groups);
  m.other_config = smap(r, C::other_config);
  m.external_ids = smap(r, C::external_ids);
  m.copp = opt_uuid(r, C::copp);
  return m;
}

nb::LogicalSwitchPort to_model(const idl::LogicalSwitchPort& r) {
  using C = idl::LogicalSwitchPort::Col;
  nb::LogicalSwitchPort m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.type = str(r, C::type);
  m.addresses = str_set(r, C::addresses);
  m.port_security = str_set(r, C::port_security);
  m.dynamic_addresses = opt_str(r, C::dynamic_addresses);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  m.enabled = opt_bool(r, C::enabled);
  m.up = opt_bool(r, C::up);
  m.dhcpv4_options = opt_uuid(r, C::dhcpv4_options);
  m.dhcpv6_options = opt_uuid(r, C::dhcpv6_options);
  m.parent_name = opt_str(r, C::parent_name);
  m.tag = opt_int(r, C::tag);
  m.tag_request = opt_int(r, C::tag_request);
  m.ha_chassis_group = opt_uuid(r, C::ha_chassis_group);
  return m;
}

nb::LogicalRouter to_model(const idl::LogicalRouter& r) {
  using C = idl::LogicalRouter::Col;
  nb::LogicalRouter m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.ports = uuid_set(r, C::ports);
  m.static_routes = uuid_set(r, C::static_routes);
  m.policies = uuid_set(r, C::policies);
  m.nat = uuid_set(r, C::nat);
  m.load_balancer = uuid_set(r, C::load_balancer);
  m.load_balancer_group = uuid_set(r, C::load_balancer_group);
  m.enabled = opt_bool(r, C::enabled);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  m.copp = opt_uuid(r, C::copp);
  return m;
}

nb::LogicalRouterPort to_model(const idl::LogicalRouterPort& r) {
  using C = idl::LogicalRouterPort::Col;
  nb::LogicalRouterPort m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.mac = str(r, C::mac);
  m.networks = str_set(r, C::networks);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  m.enabled = opt_bool(r, C::enabled);
  m.peer = opt_str(r, C::peer);
  m.gateway_chassis = uuid_set(r, C::gateway_chassis);
  m.ha_chassis_group = opt_uuid(r, C::ha_chassis_group);
  m.ipv6_prefix = str_set(r, C::ipv6_prefix);
  m.ipv6_ra_configs = smap(r, C::ipv6_ra_configs);
  return m;
}

nb::LogicalRouterStaticRoute to_model(const idl::LogicalRouterStaticRoute& r) {
  using C = idl::LogicalRouterStaticRoute::Col;
  nb::LogicalRouterStaticRoute m;
  m.uuid = r.uuid();
  m.ip_prefix = str(r, C::ip_prefix);
  m.nexthop = str(r, C::nexthop);
  m.output_port = opt_str(r, C::output_port);
  m.policy = opt_str(r, C::policy);
  m.route_table = str(r, C::route_table);
  m.bfd = opt_uuid(r, C::bfd);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::LogicalRouterPolicy to_model(const idl::LogicalRouterPolicy& r) {
  using C = idl::LogicalRouterPolicy::Col;
  nb::LogicalRouterPolicy m;
  m.uuid = r.uuid();
  m.priority = integer(r, C::priority);
  m.match = str(r, C::match);
  m.action = str(r, C::action);
  m.nexthop = opt_str(r, C::nexthop);
  m.nexthops = str_set(r, C::nexthops);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::Nat to_model(const idl::NAT& r) {
  using C = idl::NAT::Col;
  nb::Nat m;
  m.uuid = r.uuid();
  m.type = str(r, C::type);
  m.external_ip = str(r, C::external_ip);
  m.external_mac = opt_str(r, C::external_mac);
  m.external_port_range = str(r, C::external_port_range);
  m.logical_ip = str(r, C::logical_ip);
  m.logical_port = opt_str(r, C::logical_port);
  m.allowed_ext_ips = opt_uuid(r, C::allowed_ext_ips);
  m.exempted_ext_ips = opt_uuid(r, C::exempted_ext_ips);
  m.gateway_port = opt_uuid(r, C::gateway_port);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::Acl to_model(const idl::ACL& r) {
  using C = idl::ACL::Col;
  nb::Acl m;
  m.uuid = r.uuid();
  m.name = opt_str(r, C::name);
  m.priority = integer(r, C::priority);
  m.direction = str(r, C::direction);
  m.match = str(r, C::match);
  m.action = str(r, C::action);
  m.log = boolean(r, C::log);
  m.severity = opt_str(r, C::severity);
  m.meter = opt_str(r, C::meter);
  m.label = integer(r, C::label);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::PortGroup to_model(const idl::PortGroup& r) {
  using C = idl::PortGroup::Col;
  nb::PortGroup m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.ports = uuid_set(r, C::ports);
  m.acls = uuid_set(r, C::acls);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::AddressSet to_model(const idl::AddressSet& r) {
  using C = idl::AddressSet::Col;
  nb::AddressSet m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.addresses = str_set(r, C::addresses);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::DhcpOptions to_model(const idl::DHCPOptions& r) {
  using C = idl::DHCPOptions::Col;
  nb::DhcpOptions m;
  m.uuid = r.uuid();
  m.cidr = str(r, C::cidr);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::Dns to_model(const idl::DNS& r) {
  using C = idl::DNS::Col;
  nb::Dns m;
  m.uuid = r.uuid();
  m.records = smap(r, C::records);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::LoadBalancer to_model(const idl::LoadBalancer& r) {
  using C = idl::LoadBalancer::Col;
  nb::LoadBalancer m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.vips = smap(r, C::vips);
  m.protocol = opt_str(r, C::protocol);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  m.ip_port_mappings = smap(r, C::ip_port_mappings);
  m.health_check = uuid_set(r, C::health_check);
  m.selection_fields = str_set(r, C::selection_fields);
  return m;
}

nb::LoadBalancerGroup to_model(const idl::LoadBalancerGroup& r) {
  using C = idl::LoadBalancerGroup::Col;
  nb::LoadBalancerGroup m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.load_balancer = uuid_set(r, C::load_balancer);
  return m;
}

nb::GatewayChassis to_model(const idl::GatewayChassis& r) {
  using C = idl::GatewayChassis::Col;
  nb::GatewayChassis m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.chassis_name = str(r, C::chassis_name);
  m.priority = integer(r, C::priority);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::HaChassis to_model(const idl::HAChassis& r) {
  using C = idl::HAChassis::Col;
  nb::HaChassis m;
  m.uuid = r.uuid();
  m.chassis_name = str(r, C::chassis_name);
  m.priority = integer(r, C::priority);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::HaChassisGroup to_model(const idl::HAChassisGroup& r) {
  using C = idl::HAChassisGroup::Col;
  nb::HaChassisGroup m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.ha_chassis = uuid_set(r, C::ha_chassis);
  m.external_ids = smap(r, C::external_ids);
  return m;
}

nb::Meter to_model(const idl::Meter& r) {
  using C = idl::Meter::Col;
  nb::Meter m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.unit = str(r, C::unit);
  m.bands = uuid_set(r, C::bands);
  m.fair = opt_bool(r, C::fair);
  return m;
}

nb::Copp to_model(const idl::Copp& r) {
  using C = idl::Copp::Col;
  nb::Copp m;
  m.uuid = r.uuid();
  m.name = str(r, C::name);
  m.meters = smap(r, C::meters);
  return m;
}

nb::StaticMacBinding to_model(const idl::StaticMACBinding& r) {
  using C = idl::StaticMACBinding::Col;
  nb::StaticMacBinding m;
  m.uuid = r.uuid();
  m.logical_port = str(r, C::logical_port);
  m.ip = str(r, C::ip);
  m.mac = str(r, C::mac);
  m.override_dynamic_mac = boolean(r, C::override_dynamic_mac);
  return m;
}

nb::NbGlobal to_model(const idl::NBGlobal& r) {
  using C = idl::NBGlobal::Col;
  nb::NbGlobal m;
  m.uuid = r.uuid();
  m.nb_cfg = integer(r, C::nb_cfg);
  m.sb_cfg = integer(r, C::sb_cfg);
  m.hv_cfg = integer(r, C::hv_cfg);
  m.options = smap(r, C::options);
  m.external_ids = smap(r, C::external_ids);
  m.name = str(r, C::name);
  m.ipsec = boolean(r, C::ipsec);
  return m;
}

// The names of the columns of `row` that changed in this batch.
std::set<std::string> changed_columns(const Row& row) {
  std::set<std::string> out;
  const auto& cols = row.table_binding().schema->columns();
  for (size_t c = ovsdb::kFirstUserColumn; c < cols.size(); ++c) {
    if (row.column_changed(c)) out.insert(cols[c].name);
  }
  return out;
}

template <class IdlRow, class Model>
void load_table(const ovsdb::client::Replica& rep, nb::Table<Model>* table) {
  table->clear();
  for (const IdlRow* r : IdlRow::rows(rep)) table->emplace(r->uuid(), to_model(*r));
}

template <class IdlRow, class Model>
void apply_table(const ovsdb::client::Replica& rep, nb::Table<Model>* table,
                 std::set<Uuid>* changed,
                 std::map<Uuid, std::set<std::string>>* columns = nullptr) {
  for (const IdlRow* r : IdlRow::tracked(rep)) {
    changed->insert(r->uuid());
    if (r->is_deleted()) {
      table->erase(r->uuid());
      continue;
    }
    // Assigning keeps the map node, so pointers to the row stay valid.
    (*table)[r->uuid()] = to_model(*r);
    if (columns && r->is_modified()) (*columns)[r->uuid()] = changed_columns(*r);
  }
}

}  // namespace

void load_nb_snapshot(const ovsdb::client::Replica& rep, nb::Snapshot* s) {
  s->nb_global = {};
  for (const idl::NBGlobal* g : idl::NBGlobal::rows(rep)) s->nb_global = to_model(*g);
  load_table<idl::LogicalSwitch>(rep, &s->logical_switches);
  load_table<idl::LogicalSwitchPort>(rep, &s->logical_switch_ports);
  load_table<idl::LogicalRouter>(rep, &s->logical_routers);
  load_table<idl::LogicalRouterPort>(rep, &s->logical_router_ports);
  load_table<idl::LogicalRouterStaticRoute>(rep, &s->static_routes);
  load_table<idl::LogicalRouterPolicy>(rep, &s->policies);
  load_table<idl::NAT>(rep, &s->nats);
  load_table<idl::ACL>(rep, &s->acls);
  load_table<idl::PortGroup>(rep, &s->port_groups);
  load_table<idl::AddressSet>(rep, &s->address_sets);
  load_table<idl::DHCPOptions>(rep, &s->dhcp_options);
  load_table<idl::DNS>(rep, &s->dns);
  load_table<idl::LoadBalancer>(rep, &s->load_balancers);
  load_table<idl::LoadBalancerGroup>(rep, &s->load_balancer_groups);
  load_table<idl::GatewayChassis>(rep, &s->gateway_chassis);
  load_table<idl::HAChassis>(rep, &s->ha_chassis);
  load_table<idl::HAChassisGroup>(rep, &s->ha_chassis_groups);
  load_table<idl::Meter>(rep, &s->meters);
  load_table<idl::Copp>(rep, &s->copps);
  load_table<idl::StaticMACBinding>(rep, &s->static_mac_bindings);
}

void apply_nb_changes(const ovsdb::client::Replica& rep, nb::Snapshot* s, NbChanges* c) {
  for (const idl::NBGlobal* g : idl::NBGlobal::tracked(rep)) {
    if (g->is_deleted()) continue;
    nb::NbGlobal fresh = to_model(*g);
    // Only what the flows read counts as a global change (not nb_cfg bumps from --wait).
    if (fresh.options != s->nb_global.options || fresh.uuid != s->nb_global.uuid) {
      c->nb_global = true;
    }
    s->nb_global = std::move(fresh);
  }
  apply_table<idl::LogicalSwitch>(rep, &s->logical_switches, &c->logical_switches,
                                  &c->switch_columns);
  apply_table<idl::LogicalSwitchPort>(rep, &s->logical_switch_ports, &c->logical_switch_ports,
                                      &c->switch_port_columns);
  apply_table<idl::LogicalRouter>(rep, &s->logical_routers, &c->logical_routers,
                                  &c->router_columns);
  apply_table<idl::LogicalRouterPort>(rep, &s->logical_router_ports, &c->logical_router_ports);
  apply_table<idl::LogicalRouterStaticRoute>(rep, &s->static_routes, &c->static_routes);
  apply_table<idl::LogicalRouterPolicy>(rep, &s->policies, &c->policies);
  apply_table<idl::NAT>(rep, &s->nats, &c->nats);
  apply_table<idl::ACL>(rep, &s->acls, &c->acls);
  apply_table<idl::PortGroup>(rep, &s->port_groups, &c->port_groups, &c->port_group_columns);
  apply_table<idl::AddressSet>(rep, &s->address_sets, &c->address_sets);
  apply_table<idl::DHCPOptions>(rep, &s->dhcp_options, &c->dhcp_options);
  apply_table<idl::DNS>(rep, &s->dns, &c->dns);
  apply_table<idl::LoadBalancer>(rep, &s->load_balancers, &c->load_balancers);
  apply_table<idl::LoadBalancerGroup>(rep, &s->load_balancer_groups, &c->load_balancer_groups);
  apply_table<idl::GatewayChassis>(rep, &s->gateway_chassis, &c->gateway_chassis);
  apply_table<idl::HAChassis>(rep, &s->ha_chassis, &c->ha_chassis);
  apply_table<idl::HAChassisGroup>(rep, &s->ha_chassis_groups, &c->ha_chassis_groups);
  apply_table<idl::Meter>(rep, &s->meters, &c->meters);
  apply_table<idl::Copp>(rep, &s->copps, &c->copps);
  apply_table<idl::StaticMACBinding>(rep, &s->static_mac_bindings, &c->static_mac_bindings);
}

}  // namespace ovnx::northd
