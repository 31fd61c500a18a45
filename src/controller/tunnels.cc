#include "controller/tunnels.h"

#include <fmt/format.h>

#include <set>

#include "ovsdb/client/sb.h"

namespace ovnx::controller {

std::map<std::string, std::string> DesiredTunnel::options() const {
  std::map<std::string, std::string> o{{"key", "flow"}, {"remote_ip", remote_ip}};
  if (csum) o["csum"] = "true";
  return o;
}

bool tunnel_matches(const TunnelPort& existing, const DesiredTunnel& desired) {
  return existing.port_name == desired.port_name && existing.chassis == desired.chassis &&
         existing.remote_ip == desired.remote_ip && existing.type == desired.type &&
         existing.csum == desired.csum;
}

std::vector<DesiredTunnel> desired_tunnels(const ovsdb::client::Replica& sb,
                                           const ChassisConfig& config,
                                           const std::map<std::string, TunnelPort>& existing) {
  // Pick, per remote chassis, the first of our encapsulations (in preference order) it offers.
  std::vector<DesiredTunnel> wanted;
  for (const sb::Chassis* ch : sb::Chassis::rows(sb)) {
    if (ch->name() == config.system_id || ch->name().empty()) continue;
    const sb::Encap* best = nullptr;
    for (EncapType mine : config.encap_types) {
      for (const sb::Encap* e : ch->encaps()) {
        if (parse_encap_type(e->type()) == mine && !e->ip().empty()) {
          best = e;
          break;
        }
      }
      if (best) break;
    }
    if (!best) continue;
    DesiredTunnel t;
    t.chassis = ch->name();
    t.remote_ip = best->ip();
    t.type = best->type();
    t.csum = best->options().get_or("csum", "") == "true";
    wanted.push_back(std::move(t));
  }

  // Reuse the name of a port that already goes there; name new ones after their chassis.
  std::set<std::string> taken;
  for (DesiredTunnel& t : wanted) {
    for (const auto& [name, port] : existing) {
      if (port.chassis == t.chassis && port.remote_ip == t.remote_ip && !taken.count(name)) {
        t.port_name = name;
        taken.insert(name);
        break;
      }
    }
  }
  for (DesiredTunnel& t : wanted) {
    if (!t.port_name.empty()) continue;
    std::string prefix = "ovn-" + t.chassis.substr(0, 6) + "-";
    for (unsigned i = 0;; ++i) {
      std::string name = prefix + fmt::format("{:x}", i);
      bool in_use = taken.count(name) || (existing.count(name) && existing.at(name).chassis != t.chassis);
      if (!in_use) {
        t.port_name = name;
        taken.insert(name);
        break;
      }
    }
  }
  return wanted;
}

}  // namespace ovnx::controller
