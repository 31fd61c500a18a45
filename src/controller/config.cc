#include "controller/config.h"

#include <unistd.h>

#include <charconv>
#include <algorithm>

namespace ovnx::controller {

std::string_view encap_type_name(EncapType type) {
  switch (type) {
    case EncapType::kGeneve: return "geneve";
    case EncapType::kVxlan: return "vxlan";
  }
  return "geneve";
}

std::optional<EncapType> parse_encap_type(std::string_view name) {
  if (name == "geneve") return EncapType::kGeneve;
  if (name == "vxlan") return EncapType::kVxlan;
  return std::nullopt;
}

namespace {

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find_first_of(", ", i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string local_hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

}  // namespace

ChassisConfig parse_config(const vswitch::OpenvSwitch& row, const std::string& system_id_override) {
  ChassisConfig c;
  auto ids = row.external_ids();
  c.system_id = system_id_override.empty() ? std::string(ids.get_or("system-id", ""))
                                           : system_id_override;
  if (c.system_id.empty()) c.problems.push_back("external_ids:system-id is not set");

  c.hostname = std::string(ids.get_or("hostname", ""));
  if (c.hostname.empty()) c.hostname = local_hostname();

  c.remote = std::string(ids.get_or("ovn-remote", ""));
  if (c.remote.empty()) c.problems.push_back("external_ids:ovn-remote is not set");

  for (const std::string& t : split_list(ids.get_or("ovn-encap-type", ""))) {
    auto type = parse_encap_type(t);
    if (!type) {
      c.problems.push_back("unsupported encapsulation type \"" + t + "\"");
      continue;
    }
    bool dup = false;
    for (EncapType e : c.encap_types) dup |= e == *type;
    if (!dup) c.encap_types.push_back(*type);
  }
  if (c.encap_types.empty()) c.problems.push_back("external_ids:ovn-encap-type names no usable type");

  c.encap_ips = split_list(ids.get_or("ovn-encap-ip", ""));
  if (c.encap_ips.empty()) c.problems.push_back("external_ids:ovn-encap-ip is not set");

  c.encap_csum = ids.get_or("ovn-encap-csum", "true") != "false";

  // A per-chassis bridge name lets several controllers share one OVS.
  std::string per_chassis = "ovn-bridge-" + c.system_id;
  std::string_view bridge = ids.get_or(per_chassis, ids.get_or("ovn-bridge", "br-int"));
  if (!bridge.empty()) c.bridge = std::string(bridge);
  c.datapath_type = std::string(ids.get_or("ovn-bridge-datapath-type", ""));

  std::string_view probe = ids.get_or("ovn-remote-probe-interval", "");
  if (!probe.empty()) {
    int v = 0;
    auto [p, ec] = std::from_chars(probe.data(), probe.data() + probe.size(), v);
    if (ec == std::errc() && p == probe.data() + probe.size() && v >= 0) {
      c.remote_probe_interval_ms = v == 0 ? 0 : std::max(v, 1000);
    } else {
      c.problems.push_back("external_ids:ovn-remote-probe-interval is not a number");
    }
  }
  std::string_view of_probe = ids.get_or("ovn-openflow-probe-interval", "");
  if (!of_probe.empty()) {
    int v = 0;
    auto [p, ec] = std::from_chars(of_probe.data(), of_probe.data() + of_probe.size(), v);
    if (ec == std::errc() && p == of_probe.data() + of_probe.size() && v >= 0 && v <= 86400) {
      c.openflow_probe_interval_ms = v == 0 ? 0 : std::max(v, 5) * 1000;
    } else {
      c.problems.push_back("external_ids:ovn-openflow-probe-interval is not a number of seconds");
    }
  }
  c.monitor_all = ids.get_or("ovn-monitor-all", "false") == "true";
  for (const std::string& t : row.iface_types()) c.iface_types.push_back(t);
  return c;
}

}  // namespace ovnx::controller
