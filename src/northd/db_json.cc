#include "northd/db_json.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace ovnx::northd {
namespace {

namespace json = boost::json;

// Reads columns of one row; the first problem is remembered (with table, row and column) and
// later reads return defaults, so loaders stay linear and the caller checks once.
class RowReader {
 public:
  RowReader(const json::object& row, std::string_view table, std::string* error)
      : row_(row), table_(table), error_(error) {}

  Uuid uuid() {
    const json::value* v = find("_uuid");
    if (!v) return fail("_uuid", "missing"), Uuid{};
    return as_uuid(*v, "_uuid");
  }
  std::string str(std::string_view col) {
    const json::value* v = find(col);
    if (!v) return {};
    if (!v->is_string()) return fail(col, "not a string"), std::string();
    return std::string(v->as_string());
  }
  int64_t integer(std::string_view col, int64_t fallback = 0) {
    const json::value* v = find(col);
    if (!v) return fallback;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
    return fail(col, "not an integer"), fallback;
  }
  bool boolean(std::string_view col, bool fallback = false) {
    const json::value* v = find(col);
    if (!v) return fallback;
    if (!v->is_bool()) return fail(col, "not a boolean"), fallback;
    return v->as_bool();
  }
  std::vector<std::string> str_set(std::string_view col) {
    std::vector<std::string> out;
    for (const json::value* e : elements(col)) {
      if (!e->is_string()) return fail(col, "set element not a string"), out;
      out.emplace_back(e->as_string());
    }
    return out;
  }
  std::vector<Uuid> uuid_set(std::string_view col) {
    std::vector<Uuid> out;
    for (const json::value* e : elements(col)) out.push_back(as_uuid(*e, col));
    return out;
  }
  std::optional<std::string> opt_str(std::string_view col) {
    auto v = str_set(col);
    if (v.empty()) return std::nullopt;
    return v[0];
  }
  std::optional<Uuid> opt_uuid(std::string_view col) {
    auto v = uuid_set(col);
    if (v.empty()) return std::nullopt;
    return v[0];
  }
  std::optional<int64_t> opt_int(std::string_view col) {
    auto els = elements(col);
    if (els.empty()) return std::nullopt;
    if (els[0]->is_int64()) return els[0]->as_int64();
    return fail(col, "not an integer"), std::nullopt;
  }
  std::optional<bool> opt_bool(std::string_view col) {
    auto els = elements(col);
    if (els.empty()) return std::nullopt;
    if (els[0]->is_bool()) return els[0]->as_bool();
    return fail(col, "not a boolean"), std::nullopt;
  }
  nb::Smap smap(std::string_view col) {
    nb::Smap out;
    const json::value* v = find(col);
    if (!v) return out;
    const json::array* a = v->if_array();
    if (!a || a->size() != 2 || !(*a)[0].is_string() || (*a)[0].as_string() != "map" ||
        !(*a)[1].is_array()) {
      return fail(col, "not a map"), out;
    }
    for (const json::value& pair : (*a)[1].as_array()) {
      const json::array* p = pair.if_array();
      if (!p || p->size() != 2 || !(*p)[0].is_string() || !(*p)[1].is_string()) {
        return fail(col, "map entry not a pair of strings"), out;
      }
      out.emplace(std::string((*p)[0].as_string()), std::string((*p)[1].as_string()));
    }
    return out;
  }

 private:
  const json::value* find(std::string_view col) const {
    auto it = row_.find(col);
    return it == row_.end() ? nullptr : &it->value();
  }
  // Elements of a set column: ["set", [...]] or a single atom.
  std::vector<const json::value*> elements(std::string_view col) {
    std::vector<const json::value*> out;
    const json::value* v = find(col);
    if (!v) return out;
    if (const json::array* a = v->if_array();
        a && a->size() == 2 && (*a)[0].is_string() && (*a)[0].as_string() == "set") {
      if (!(*a)[1].is_array()) return fail(col, "bad set"), out;
      for (const json::value& e : (*a)[1].as_array()) out.push_back(&e);
    } else {
      out.push_back(v);
    }
    return out;
  }
  Uuid as_uuid(const json::value& v, std::string_view col) {
    const json::array* a = v.if_array();
    if (!a || a->size() != 2 || !(*a)[0].is_string() || (*a)[0].as_string() != "uuid" ||
        !(*a)[1].is_string()) {
      return fail(col, "not a uuid"), Uuid{};
    }
    auto u = Uuid::parse((*a)[1].as_string());
    if (!u) return fail(col, "malformed uuid"), Uuid{};
    return *u;
  }
  void fail(std::string_view col, std::string_view why) {
    if (error_->empty()) *error_ = fmt::format("{} column {}: {}", table_, col, why);
  }

  const json::object& row_;
  std::string_view table_;
  std::string* error_;
};

// Calls fn(RowReader&) for each row of `table` in `db`.
template <class Fn>
Status for_each_row(const json::object& db, std::string_view table, Fn fn) {
  auto it = db.find(table);
  if (it == db.end()) return ok_status();
  if (!it->value().is_array()) {
    return make_error("syntax error", fmt::format("table {} is not an array of rows", table));
  }
  std::string error;
  for (const json::value& rv : it->value().as_array()) {
    if (!rv.is_object()) {
      return make_error("syntax error", fmt::format("table {}: row is not an object", table));
    }
    RowReader r(rv.as_object(), table, &error);
    fn(r);
    if (!error.empty()) return make_error("syntax error", error);
  }
  return ok_status();
}

Result<json::object> parse_db(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return make_error("syntax error", "invalid JSON: " + ec.message());
  if (!v.is_object()) return make_error("syntax error", "database dump is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace

Result<nb::Snapshot> load_nb_json(std::string_view text) {
  OVNX_ASSIGN_OR_RETURN(json::object db, parse_db(text));
  nb::Snapshot s;
  OVNX_RETURN_IF_ERROR(for_each_row(db, "NB_Global", [&](RowReader& r) {
    auto& g = s.nb_global;
    g.uuid = r.uuid();
    g.nb_cfg = r.integer("nb_cfg");
    g.sb_cfg = r.integer("sb_cfg");
    g.hv_cfg = r.integer("hv_cfg");
    g.options = r.smap("options");
    g.external_ids = r.smap("external_ids");
    g.name = r.str("name");
    g.ipsec = r.boolean("ipsec");
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Switch", [&](RowReader& r) {
    nb::LogicalSwitch ls;
    ls.uuid = r.uuid();
    ls.name = r.str("name");
    ls.ports = r.uuid_set("ports");
    ls.acls = r.uuid_set("acls");
    ls.qos_rules = r.uuid_set("qos_rules");
    ls.load_balancer = r.uuid_set("load_balancer");
    ls.load_balancer_group = r.uuid_set("load_balancer_group");
    ls.dns_records = r.uuid_set("dns_records");
    ls.forwarding_groups = r.uuid_set("forwarding_groups");
    ls.other_config = r.smap("other_config");
    ls.external_ids = r.smap("external_ids");
    ls.copp = r.opt_uuid("copp");
    s.logical_switches.emplace(ls.uuid, std::move(ls));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Switch_Port", [&](RowReader& r) {
    nb::LogicalSwitchPort p;
    p.uuid = r.uuid();
    p.name = r.str("name");
    p.type = r.str("type");
    p.addresses = r.str_set("addresses");
    p.port_security = r.str_set("port_security");
    p.dynamic_addresses = r.opt_str("dynamic_addresses");
    p.options = r.smap("options");
    p.external_ids = r.smap("external_ids");
    p.enabled = r.opt_bool("enabled");
    p.up = r.opt_bool("up");
    p.dhcpv4_options = r.opt_uuid("dhcpv4_options");
    p.dhcpv6_options = r.opt_uuid("dhcpv6_options");
    p.parent_name = r.opt_str("parent_name");
    p.tag = r.opt_int("tag");
    p.tag_request = r.opt_int("tag_request");
    p.ha_chassis_group = r.opt_uuid("ha_chassis_group");
    s.logical_switch_ports.emplace(p.uuid, std::move(p));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Router", [&](RowReader& r) {
    nb::LogicalRouter lr;
    lr.uuid = r.uuid();
    lr.name = r.str("name");
    lr.ports = r.uuid_set("ports");
    lr.static_routes = r.uuid_set("static_routes");
    lr.policies = r.uuid_set("policies");
    lr.nat = r.uuid_set("nat");
    lr.load_balancer = r.uuid_set("load_balancer");
    lr.load_balancer_group = r.uuid_set("load_balancer_group");
    lr.enabled = r.opt_bool("enabled");
    lr.options = r.smap("options");
    lr.external_ids = r.smap("external_ids");
    lr.copp = r.opt_uuid("copp");
    s.logical_routers.emplace(lr.uuid, std::move(lr));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Router_Port", [&](RowReader& r) {
    nb::LogicalRouterPort p;
    p.uuid = r.uuid();
    p.name = r.str("name");
    p.mac = r.str("mac");
    p.networks = r.str_set("networks");
    p.options = r.smap("options");
    p.external_ids = r.smap("external_ids");
    p.enabled = r.opt_bool("enabled");
    p.peer = r.opt_str("peer");
    p.gateway_chassis = r.uuid_set("gateway_chassis");
    p.ha_chassis_group = r.opt_uuid("ha_chassis_group");
    p.ipv6_prefix = r.str_set("ipv6_prefix");
    p.ipv6_ra_configs = r.smap("ipv6_ra_configs");
    s.logical_router_ports.emplace(p.uuid, std::move(p));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Router_Static_Route", [&](RowReader& r) {
    nb::LogicalRouterStaticRoute rt;
    rt.uuid = r.uuid();
    rt.ip_prefix = r.str("ip_prefix");
    rt.nexthop = r.str("nexthop");
    rt.output_port = r.opt_str("output_port");
    rt.policy = r.opt_str("policy");
    rt.route_table = r.str("route_table");
    rt.bfd = r.opt_uuid("bfd");
    rt.options = r.smap("options");
    rt.external_ids = r.smap("external_ids");
    s.static_routes.emplace(rt.uuid, std::move(rt));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Logical_Router_Policy", [&](RowReader& r) {
    nb::LogicalRouterPolicy p;
    p.uuid = r.uuid();
    p.priority = r.integer("priority");
    p.match = r.str("match");
    p.action = r.str("action");
    p.nexthop = r.opt_str("nexthop");
    p.nexthops = r.str_set("nexthops");
    p.options = r.smap("options");
    p.external_ids = r.smap("external_ids");
    s.policies.emplace(p.uuid, std::move(p));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "NAT", [&](RowReader& r) {
    nb::Nat n;
    n.uuid = r.uuid();
    n.type = r.str("type");
    n.external_ip = r.str("external_ip");
    n.external_mac = r.opt_str("external_mac");
    n.external_port_range = r.str("external_port_range");
    n.logical_ip = r.str("logical_ip");
    n.logical_port = r.opt_str("logical_port");
    n.allowed_ext_ips = r.opt_uuid("allowed_ext_ips");
    n.exempted_ext_ips = r.opt_uuid("exempted_ext_ips");
    n.gateway_port = r.opt_uuid("gateway_port");
    n.options = r.smap("options");
    n.external_ids = r.smap("external_ids");
    s.nats.emplace(n.uuid, std::move(n));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "ACL", [&](RowReader& r) {
    nb::Acl a;
    a.uuid = r.uuid();
    a.name = r.opt_str("name");
    a.priority = r.integer("priority");
    a.direction = r.str("direction");
    a.match = r.str("match");
    a.action = r.str("action");
    a.log = r.boolean("log");
    a.severity = r.opt_str("severity");
    a.meter = r.opt_str("meter");
    a.label = r.integer("label");
    a.options = r.smap("options");
    a.external_ids = r.smap("external_ids");
    s.acls.emplace(a.uuid, std::move(a));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Port_Group", [&](RowReader& r) {
    nb::PortGroup pg;
    pg.uuid = r.uuid();
    pg.name = r.str("name");
    pg.ports = r.uuid_set("ports");
    pg.acls = r.uuid_set("acls");
    pg.external_ids = r.smap("external_ids");
    s.port_groups.emplace(pg.uuid, std::move(pg));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Address_Set", [&](RowReader& r) {
    nb::AddressSet as;
    as.uuid = r.uuid();
    as.name = r.str("name");
    as.addresses = r.str_set("addresses");
    as.external_ids = r.smap("external_ids");
    s.address_sets.emplace(as.uuid, std::move(as));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "DHCP_Options", [&](RowReader& r) {
    nb::DhcpOptions d;
    d.uuid = r.uuid();
    d.cidr = r.str("cidr");
    d.options = r.smap("options");
    d.external_ids = r.smap("external_ids");
    s.dhcp_options.emplace(d.uuid, std::move(d));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "DNS", [&](RowReader& r) {
    nb::Dns d;
    d.uuid = r.uuid();
    d.records = r.smap("records");
    d.external_ids = r.smap("external_ids");
    s.dns.emplace(d.uuid, std::move(d));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Load_Balancer", [&](RowReader& r) {
    nb::LoadBalancer lb;
    lb.uuid = r.uuid();
    lb.name = r.str("name");
    lb.vips = r.smap("vips");
    lb.protocol = r.opt_str("protocol");
    lb.options = r.smap("options");
    lb.external_ids = r.smap("external_ids");
    lb.ip_port_mappings = r.smap("ip_port_mappings");
    lb.health_check = r.uuid_set("health_check");
    lb.selection_fields = r.str_set("selection_fields");
    s.load_balancers.emplace(lb.uuid, std::move(lb));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Load_Balancer_Group", [&](RowReader& r) {
    nb::LoadBalancerGroup g;
    g.uuid = r.uuid();
    g.name = r.str("name");
    g.load_balancer = r.uuid_set("load_balancer");
    s.load_balancer_groups.emplace(g.uuid, std::move(g));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Gateway_Chassis", [&](RowReader& r) {
    nb::GatewayChassis g;
    g.uuid = r.uuid();
    g.name = r.str("name");
    g.chassis_name = r.str("chassis_name");
    g.priority = r.integer("priority");
    g.options = r.smap("options");
    g.external_ids = r.smap("external_ids");
    s.gateway_chassis.emplace(g.uuid, std::move(g));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "HA_Chassis", [&](RowReader& r) {
    nb::HaChassis h;
    h.uuid = r.uuid();
    h.chassis_name = r.str("chassis_name");
    h.priority = r.integer("priority");
    h.external_ids = r.smap("external_ids");
    s.ha_chassis.emplace(h.uuid, std::move(h));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "HA_Chassis_Group", [&](RowReader& r) {
    nb::HaChassisGroup g;
    g.uuid = r.uuid();
    g.name = r.str("name");
    g.ha_chassis = r.uuid_set("ha_chassis");
    g.external_ids = r.smap("external_ids");
    s.ha_chassis_groups.emplace(g.uuid, std::move(g));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Meter", [&](RowReader& r) {
    nb::Meter m;
    m.uuid = r.uuid();
    m.name = r.str("name");
    m.unit = r.str("unit");
    m.bands = r.uuid_set("bands");
    m.fair = r.opt_bool("fair");
    s.meters.emplace(m.uuid, std::move(m));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Copp", [&](RowReader& r) {
    nb::Copp c;
    c.uuid = r.uuid();
    c.name = r.str("name");
    c.meters = r.smap("meters");
    s.copps.emplace(c.uuid, std::move(c));
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Static_MAC_Binding", [&](RowReader& r) {
    nb::StaticMacBinding b;
    b.uuid = r.uuid();
    b.logical_port = r.str("logical_port");
    b.ip = r.str("ip");
    b.mac = r.str("mac");
    b.override_dynamic_mac = r.boolean("override_dynamic_mac");
    s.static_mac_bindings.emplace(b.uuid, std::move(b));
  }));
  return s;
}

Result<SbState> load_sb_state_json(std::string_view text) {
  OVNX_ASSIGN_OR_RETURN(json::object db, parse_db(text));
  SbState st;
  // Datapath rows are referenced by Port_Binding through their SB UUID.
  std::unordered_map<Uuid, Uuid> sb_to_nb;
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Datapath_Binding", [&](RowReader& r) {
    Uuid sb_uuid = r.uuid();
    nb::Smap ext = r.smap("external_ids");
    int64_t key = r.integer("tunnel_key");
    std::string nb_text = nb::get(ext, "logical-switch");
    if (nb_text.empty()) nb_text = nb::get(ext, "logical-router");
    if (auto u = Uuid::parse(nb_text)) {
      st.keys.datapaths[*u] = key;
      sb_to_nb[sb_uuid] = *u;
    }
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Port_Binding", [&](RowReader& r) {
    std::string name = r.str("logical_port");
    int64_t key = r.integer("tunnel_key");
    auto dp = r.opt_uuid("datapath");
    if (dp) {
      auto it = sb_to_nb.find(*dp);
      if (it != sb_to_nb.end()) st.keys.ports[name] = {it->second, key};
    }
  }));
  std::unordered_map<Uuid, std::string> encap_types;
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Encap", [&](RowReader& r) {
    Uuid u = r.uuid();
    encap_types[u] = r.str("type");
  }));
  OVNX_RETURN_IF_ERROR(for_each_row(db, "Chassis", [&](RowReader& r) {
    SbChassis c;
    c.name = r.str("name");
    c.hostname = r.str("hostname");
    c.other_config = r.smap("other_config");
    for (const Uuid& e : r.uuid_set("encaps")) {
      if (auto it = encap_types.find(e); it != encap_types.end()) c.encap_types.push_back(it->second);
    }
    st.chassis.push_back(std::move(c));
  }));
  return st;
}

}  // namespace ovnx::northd
