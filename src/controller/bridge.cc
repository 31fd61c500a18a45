#include "controller/bridge.h"

#include <charconv>
#include <set>
#include <string_view>

#include "ovsdb/client/vswitch.h"

namespace ovnx::controller {

using ovsdb::client::Transaction;

bool ensure_integration_bridge(Transaction& txn, const ChassisConfig& config) {
  const auto& ovs = txn.replica();
  const vswitch::OpenvSwitch* root = nullptr;
  for (const vswitch::OpenvSwitch* r : vswitch::OpenvSwitch::rows(ovs)) root = r;
  if (!root) return false;

  if (const vswitch::Bridge* br = vswitch::Bridge::find_by_name(ovs, config.bridge)) {
    bool changed = false;
    auto w = vswitch::Bridge::edit(txn, br);
    if (br->fail_mode().value_or("") != "secure") {
      w.set_fail_mode("secure");
      changed = true;
    }
    if (br->other_config().get_or("disable-in-band", "") != "true") {
      w.update_other_config("disable-in-band", "true");
      changed = true;
    }
    if (!config.datapath_type.empty() && br->datapath_type() != config.datapath_type) {
      w.set_datapath_type(config.datapath_type);
      changed = true;
    }
    return changed;
  }

  auto iface = vswitch::Interface::insert(txn);
  iface.set_name(config.bridge);
  iface.set_type("internal");
  auto port = vswitch::Port::insert(txn);
  port.set_name(config.bridge);
  port.set_interfaces({iface.row()});
  auto br = vswitch::Bridge::insert(txn);
  br.set_name(config.bridge);
  br.set_fail_mode("secure");
  br.set_other_config({{"disable-in-band", "true"}});
  if (!config.datapath_type.empty()) br.set_datapath_type(config.datapath_type);
  br.set_ports({port.row()});
  vswitch::OpenvSwitch::edit(txn, root).add_bridges(br.row());
  return true;
}

namespace {

void add_tunnel(Transaction& txn, const vswitch::Bridge* br, const DesiredTunnel& t) {
  auto iface = vswitch::Interface::insert(txn);
  iface.set_name(t.port_name);
  iface.set_type(t.type);
  iface.set_options(t.options());
  auto port = vswitch::Port::insert(txn);
  port.set_name(t.port_name);
  port.set_interfaces({iface.row()});
  port.set_external_ids({{"ovn-chassis-id", t.chassis_id()}});
  vswitch::Bridge::edit(txn, br).add_ports(port.row());
}

}  // namespace

bool reconcile_tunnels(Transaction& txn, const BridgeState& bridge,
                       const std::vector<DesiredTunnel>& desired) {
  const auto& ovs = txn.replica();
  const vswitch::Bridge* br = vswitch::Bridge::get(ovs, bridge.uuid);
  if (!br) return false;
  bool changed = false;
  std::set<std::string> wanted;
  for (const DesiredTunnel& t : desired) {
    wanted.insert(t.port_name);
    auto it = bridge.tunnels.find(t.port_name);
    if (it == bridge.tunnels.end()) {
      // A port of that name that is not ours (no ovn-chassis-id) blocks the name: skip it.
      if (vswitch::Port::find_by_name(ovs, t.port_name)) continue;
      add_tunnel(txn, br, t);
      changed = true;
      continue;
    }
    if (tunnel_matches(it->second, t)) continue;
    const vswitch::Port* port = vswitch::Port::get(ovs, it->second.port_uuid);
    if (!port) continue;
    vswitch::Port::edit(txn, port).update_external_ids("ovn-chassis-id", t.chassis_id());
    for (const vswitch::Interface* iface : port->interfaces()) {
      auto w = vswitch::Interface::edit(txn, iface);
      w.set_type(t.type);
      w.set_options(t.options());
    }
    changed = true;
  }
  for (const auto& [name, t] : bridge.tunnels) {
    if (wanted.count(name)) continue;
    if (const vswitch::Port* port = vswitch::Port::get(ovs, t.port_uuid)) {
      vswitch::Bridge::edit(txn, br).remove_ports(port);
      changed = true;
    }
  }
  return changed;
}

bool remove_tunnels(Transaction& txn, const BridgeState& bridge) {
  return reconcile_tunnels(txn, bridge, {});
}

namespace {

// VALUE is the decimal text of ZONE (what sync_ct_zone_ids() writes).
bool zone_text_is(std::string_view value, uint16_t zone) {
  char buf[8];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, zone);
  return ec == std::errc() && value == std::string_view(buf, end - buf);
}

}  // namespace

bool sync_ct_zone_ids(Transaction& txn, const BridgeState& bridge, const CtZones& zones) {
  const vswitch::Bridge* br = vswitch::Bridge::get(txn.replica(), bridge.uuid);
  if (!br) return false;
  bool changed = false;
  auto w = vswitch::Bridge::edit(txn, br);
  // Runs on every pass: one merge of the two sorted sequences ("ct-zone-" + name sorts like
  // name), no string built unless something differs.
  const auto& ids = bridge.external_ids;
  auto id = ids.lower_bound(std::string(kCtZonePrefix));
  auto in_range = [&] { return id != ids.end() && id->first.starts_with(kCtZonePrefix); };
  auto name_of = [](const std::string& key) {
    return std::string_view(key).substr(kCtZonePrefix.size());
  };
  for (const auto& [name, zone] : zones.zones) {
    while (in_range() && name_of(id->first) < name) {  // a zone no longer needed
      w.delete_external_ids(id->first);
      changed = true;
      ++id;
    }
    if (in_range() && name_of(id->first) == name) {
      bool same = zone_text_is(id->second, zone);
      ++id;
      if (same) continue;
    }
    w.update_external_ids(std::string(kCtZonePrefix) + name, std::to_string(zone));
    changed = true;
  }
  for (; in_range(); ++id) {
    w.delete_external_ids(id->first);
    changed = true;
  }
  return changed;
}

bool set_ovn_installed(Transaction& txn, const Uuid& iface_uuid, bool installed, int64_t now_ms) {
  const vswitch::Interface* iface = vswitch::Interface::get(txn.replica(), iface_uuid);
  if (!iface) return false;
  bool is = iface->external_ids().get_or("ovn-installed", "") == "true";
  if (is == installed) return false;
  auto w = vswitch::Interface::edit(txn, iface);
  if (installed) {
    w.update_external_ids("ovn-installed", "true");
    w.update_external_ids("ovn-installed-ts", std::to_string(now_ms));
  } else {
    w.delete_external_ids("ovn-installed");
    w.delete_external_ids("ovn-installed-ts");
  }
  return true;
}

bool set_bridge_nb_cfg(Transaction& txn, const BridgeState& bridge, int64_t nb_cfg,
                       int64_t now_ms) {
  const vswitch::Bridge* br = vswitch::Bridge::get(txn.replica(), bridge.uuid);
  if (!br) return false;
  std::string value = std::to_string(nb_cfg);
  if (br->external_ids().get_or("ovn-nb-cfg", "") == value) return false;
  auto w = vswitch::Bridge::edit(txn, br);
  w.update_external_ids("ovn-nb-cfg", value);
  w.update_external_ids("ovn-nb-cfg-ts", std::to_string(now_ms));
  return true;
}

}  // namespace ovnx::controller
