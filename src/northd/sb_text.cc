#include "northd/sb_text.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace ovnx::northd {
namespace {

std::string atom(const std::string& v) {
  static const std::string_view kSpecial = " ,={}[]()\"\\";
  bool quote = v.empty() || v.find_first_of(kSpecial) != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string fmt_set(std::vector<std::string> atoms) {
  std::sort(atoms.begin(), atoms.end());
  std::string out = "[";
  for (size_t i = 0; i < atoms.size(); ++i) {
    if (i) out += ", ";
    out += atoms[i];
  }
  return out + "]";
}

std::string str_set(const std::vector<std::string>& v) {
  std::vector<std::string> atoms;
  for (const auto& s : v) atoms.push_back(atom(s));
  return fmt_set(std::move(atoms));
}

std::string fmt_map(const sb::Smap& m, std::string_view drop = {}) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [k, v] : m) {
    if (!drop.empty() && k == drop) continue;
    pairs.emplace_back(atom(k), atom(v));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i) out += ", ";
    out += pairs[i].first + "=" + pairs[i].second;
  }
  return out + "}";
}

const char* boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string sb_text(const sb::Content& c) {
  std::unordered_map<Uuid, std::string> dp_names;
  for (const auto& dp : c.datapaths) dp_names[dp.nb_uuid] = dp.name;
  auto dp_name = [&](const Uuid& u) {
    auto it = dp_names.find(u);
    return it == dp_names.end() ? "<" + u.to_string() + ">" : it->second;
  };
  auto dp_set = [&](const std::vector<Uuid>& dps) {
    std::vector<std::string> names;
    for (const Uuid& u : dps) names.push_back(dp_name(u));
    return fmt_set(std::move(names));
  };

  std::vector<std::string> out;
  for (const auto& dp : c.datapaths) {
    out.push_back(fmt::format("Datapath_Binding {} tunnel_key={} external_ids={}", dp.name,
                              dp.tunnel_key, fmt_map(dp.external_ids)));
  }
  for (const auto& pb : c.port_bindings) {
    std::string line = fmt::format("Port_Binding {} datapath={} type={} tunnel_key={}",
                                   atom(pb.logical_port), dp_name(pb.datapath), atom(pb.type),
                                   pb.tunnel_key);
    auto set_col = [&](const char* name, const std::vector<std::string>& v) {
      if (!v.empty()) line += fmt::format(" {}={}", name, str_set(v));
    };
    auto map_col = [&](const char* name, const sb::Smap& m) {
      if (!m.empty()) line += fmt::format(" {}={}", name, fmt_map(m));
    };
    set_col("mac", pb.mac);
    set_col("port_security", pb.port_security);
    map_col("options", pb.options);
    map_col("external_ids", pb.external_ids);
    if (pb.parent_port) line += fmt::format(" parent_port={}", fmt_set({atom(*pb.parent_port)}));
    if (pb.tag) line += fmt::format(" tag=[{}]", *pb.tag);
    set_col("nat_addresses", pb.nat_addresses);
    if (!pb.gateway_chassis.empty()) {
      line += fmt::format(" gateway_chassis={}", fmt_set(pb.gateway_chassis));
    }
    if (pb.ha_chassis_group) line += fmt::format(" ha_chassis_group=[{}]", *pb.ha_chassis_group);
    if (pb.requested_chassis) {
      line += fmt::format(" requested_chassis=[{}]", *pb.requested_chassis);
    }
    out.push_back(std::move(line));
  }
  for (const auto& mc : c.multicast_groups) {
    out.push_back(fmt::format("Multicast_Group {} {} tunnel_key={} ports={}",
                              dp_name(mc.datapath), mc.name, mc.tunnel_key, str_set(mc.ports)));
  }
  std::set<std::vector<Uuid>> groups;
  for (const auto& lf : c.logical_flows) {
    if (lf.datapaths.size() > 1) groups.insert(lf.datapaths);
  }
  for (const auto& g : groups) out.push_back("Logical_DP_Group " + dp_set(g));
  for (const auto& lf : c.logical_flows) {
    std::string line = fmt::format(
        "Logical_Flow {} {} table={:02d} priority={:05d} match=({}) actions=({}) "
        "external_ids={}",
        dp_set(lf.datapaths), sb::pipeline_name(lf.pipeline), lf.table_id, lf.priority, lf.match,
        lf.actions, fmt_map(lf.external_ids(), "source"));
    if (!lf.io_port.empty()) line += " tags=" + fmt_map(lf.tags());
    if (lf.controller_meter) line += " controller_meter=" + fmt_set({atom(*lf.controller_meter)});
    out.push_back(std::move(line));
  }
  for (const auto& as : c.address_sets) {
    out.push_back(fmt::format("Address_Set {} addresses={}", atom(as.name), str_set(as.addresses)));
  }
  for (const auto& pg : c.port_groups) {
    out.push_back(fmt::format("Port_Group {} ports={}", atom(pg.name), str_set(pg.ports)));
  }
  for (const auto& o : c.dhcp_options) {
    out.push_back(fmt::format("DHCP_Options {} code={} type={}", o.name, o.code, o.type));
  }
  for (const auto& o : c.dhcpv6_options) {
    out.push_back(fmt::format("DHCPv6_Options {} code={} type={}", o.name, o.code, o.type));
  }
  for (const auto& d : c.dns) {
    out.push_back(fmt::format("DNS datapaths={} records={} external_ids={}", dp_set(d.datapaths),
                              fmt_map(d.records), fmt_map(d.external_ids)));
  }
  for (const auto& m : c.ip_multicast) {
    out.push_back(fmt::format(
        "IP_Multicast {} enabled={} querier={} table_size={} idle_timeout={} query_interval={} "
        "query_max_resp={} eth_src={} ip4_src={} ip6_src={}",
        dp_name(m.datapath), boolean(m.enabled), boolean(m.querier), m.table_size,
        m.idle_timeout, m.query_interval, m.query_max_resp, atom(m.eth_src), atom(m.ip4_src),
        atom(m.ip6_src)));
  }
  for (const auto& g : c.ha_chassis_groups) {
    std::vector<std::string> members;
    for (const auto& h : g.ha_chassis) {
      members.push_back(fmt::format("{}:{}", h.chassis_name, h.priority));
    }
    std::sort(members.begin(), members.end());
    std::string list;
    for (size_t i = 0; i < members.size(); ++i) list += (i ? ", " : "") + members[i];
    out.push_back(fmt::format("HA_Chassis_Group {} ha_chassis=[{}] external_ids={}", atom(g.name),
                              list, fmt_map(g.external_ids)));
  }
  out.push_back(fmt::format("SB_Global nb_cfg={} options={}", c.nb_cfg,
                            fmt_map(c.sb_global_options)));
  std::sort(out.begin(), out.end());
  std::string text;
  for (const auto& l : out) {
    text += l;
    text += '\n';
  }
  return text;
}

}  // namespace ovnx::northd
