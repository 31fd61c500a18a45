#include "controller/ovs_state.h"

#include "ovsdb/client/vswitch.h"

namespace ovnx::controller {

const TunnelPort* BridgeState::tunnel_to(std::string_view chassis) const {
  const TunnelPort* best = nullptr;
  for (const auto& [name, t] : tunnels) {
    if (t.chassis != chassis || t.ofport <= 0) continue;
    if (!best) best = &t;
  }
  return best;
}

std::pair<std::string, std::string> split_chassis_id(std::string_view value) {
  size_t at = value.find('@');
  if (at == std::string_view::npos) return {std::string(value), ""};
  return {std::string(value.substr(0, at)), std::string(value.substr(at + 1))};
}

BridgeState read_bridge_state(const ovsdb::client::Replica& ovs, const std::string& bridge_name) {
  BridgeState s;
  const vswitch::Bridge* br = vswitch::Bridge::find_by_name(ovs, bridge_name);
  if (!br) return s;
  s.exists = true;
  s.uuid = br->uuid();
  for (const auto& [k, v] : br->external_ids()) s.external_ids.emplace(k, v);
  for (const vswitch::Port* port : br->ports()) {
    auto chassis_id = port->external_ids().get("ovn-chassis-id");
    for (const vswitch::Interface* iface : port->interfaces()) {
      int64_t ofport = iface->ofport().value_or(-1);
      if (chassis_id) {
        TunnelPort t;
        t.port_name = port->name();
        t.port_uuid = port->uuid();
        auto [chassis, ip] = split_chassis_id(*chassis_id);
        t.chassis = chassis;
        t.remote_ip = std::string(iface->options().get_or("remote_ip", ip));
        t.type = iface->type();
        t.ofport = ofport;
        t.csum = iface->options().get_or("csum", "") == "true";
        s.tunnels.emplace(t.port_name, std::move(t));
        continue;
      }
      auto iface_id = iface->external_ids().get("iface-id");
      if (!iface_id || iface_id->empty()) continue;
      LocalInterface li;
      li.name = iface->name();
      li.uuid = iface->uuid();
      li.iface_id = std::string(*iface_id);
      li.ofport = iface->ofport().value_or(0);
      li.ovn_installed = iface->external_ids().get_or("ovn-installed", "") == "true";
      auto it = s.by_iface_id.find(li.iface_id);
      if (it == s.by_iface_id.end()) {
        s.by_iface_id.emplace(li.iface_id, std::move(li));
      } else {
        // Prefer a usable interface, then a stable choice by name.
        bool cur_ok = it->second.ofport > 0, new_ok = li.ofport > 0;
        if ((new_ok && !cur_ok) || (new_ok == cur_ok && li.name < it->second.name)) {
          it->second = std::move(li);
        }
      }
    }
  }
  return s;
}

}  // namespace ovnx::controller
