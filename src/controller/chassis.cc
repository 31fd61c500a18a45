#include "controller/chassis.h"

#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ovsdb/client/sb.h"

namespace ovnx::controller {

using ovsdb::client::Transaction;

std::map<std::string, std::string> chassis_other_config(const ChassisConfig& config) {
  std::string types;
  for (const std::string& t : config.iface_types) {
    if (!types.empty()) types += ",";
    types += t;
  }
  return {
      {"datapath-type", config.datapath_type},
      {"iface-types", types},
      {"ovn-bridge-mappings", ""},
      {"ovn-chassis-mac-mappings", ""},
      {"ovn-cms-options", ""},
      {"ovn-monitor-all", config.monitor_all ? "true" : "false"},
      {"is-interconn", "false"},
      // Features: northd emits the newer constructs only if every chassis has them.
      {"port-up-notif", "true"},
      {"ct-no-masked-label", "true"},
      {"ovn-ct-lb-related", "true"},
      {"mac-binding-timestamp", "true"},
  };
}

namespace {

struct EncapSpec {
  std::string type;
  std::string ip;
  std::map<std::string, std::string> options;
  auto operator<=>(const EncapSpec&) const = default;
};

std::set<EncapSpec> desired_encaps(const ChassisConfig& c) {
  std::set<EncapSpec> out;
  for (EncapType t : c.encap_types) {
    for (const std::string& ip : c.encap_ips) {
      out.insert(EncapSpec{std::string(encap_type_name(t)), ip,
                           {{"csum", c.encap_csum ? "true" : "false"}}});
    }
  }
  return out;
}

std::set<EncapSpec> current_encaps(const sb::Chassis& ch) {
  std::set<EncapSpec> out;
  for (const sb::Encap* e : ch.encaps()) {
    out.insert(EncapSpec{e->type(), e->ip(), e->options().to_map()});
  }
  return out;
}

bool other_config_current(const sb::Chassis& ch, const ChassisConfig& c) {
  for (const auto& [k, v] : chassis_other_config(c)) {
    auto cur = ch.other_config().get(k);
    if (!cur || *cur != v) return false;
  }
  return true;
}

}  // namespace

bool chassis_up_to_date(const ovsdb::client::Replica& sb, const ChassisConfig& config) {
  const sb::Chassis* ch = sb::Chassis::find_by_name(sb, config.system_id);
  if (!ch || ch->hostname() != config.hostname || !other_config_current(*ch, config) ||
      current_encaps(*ch) != desired_encaps(config)) {
    return false;
  }
  const sb::ChassisPrivate* cp = sb::ChassisPrivate::find_by_name(sb, config.system_id);
  return cp && cp->chassis() == ch;
}

bool reconcile_chassis(Transaction& txn, const ChassisConfig& config,
                       std::vector<std::string>* problems) {
  const auto& sb = txn.replica();
  bool changed = false;
  const sb::Chassis* ch = sb::Chassis::find_by_name(sb, config.system_id);
  std::set<EncapSpec> want = desired_encaps(config);

  const sb::Chassis* chassis_row = ch;
  if (!ch || current_encaps(*ch) != want) {
    // New Encap rows for what is missing; unreferenced old ones are garbage collected.
    std::vector<const sb::Encap*> encaps;
    std::set<EncapSpec> have = ch ? current_encaps(*ch) : std::set<EncapSpec>{};
    if (ch) {
      for (const sb::Encap* e : ch->encaps()) {
        if (want.count(EncapSpec{e->type(), e->ip(), e->options().to_map()})) encaps.push_back(e);
      }
    }
    for (const EncapSpec& spec : want) {
      if (have.count(spec)) continue;
      const sb::Encap* other = sb::Encap::find_by_type_ip(sb, spec.type, spec.ip);
      if (other && other->chassis_name() != config.system_id) {
        if (problems) {
          problems->push_back(fmt::format(
              "encap {} {} belongs to chassis \"{}\"; remove that chassis (ovn-sbctl chassis-del)",
              spec.type, spec.ip, other->chassis_name()));
        }
        continue;
      }
      if (other) {
        // Ours, with other options: fix it in place (the (type, ip) index forbids a copy).
        auto w = sb::Encap::edit(txn, other);
        w.set_options(spec.options);
        encaps.push_back(other);
        continue;
      }
      auto e = sb::Encap::insert(txn);
      e.set_type(spec.type);
      e.set_ip(spec.ip);
      e.set_options(spec.options);
      e.set_chassis_name(config.system_id);
      encaps.push_back(e.row());
    }
    if (ch) {
      sb::Chassis::edit(txn, ch).set_encaps(encaps);
    } else {
      auto w = sb::Chassis::insert(txn);
      w.set_name(config.system_id);
      w.set_hostname(config.hostname);
      w.set_other_config(chassis_other_config(config));
      w.set_encaps(encaps);
      chassis_row = w.row();
    }
    changed = true;
  }
  if (ch) {
    auto w = sb::Chassis::edit(txn, ch);
    if (ch->hostname() != config.hostname) {
      w.set_hostname(config.hostname);
      changed = true;
    }
    if (!other_config_current(*ch, config)) {
      for (const auto& [k, v] : chassis_other_config(config)) w.update_other_config(k, v);
      changed = true;
    }
  }

  const sb::ChassisPrivate* cp = sb::ChassisPrivate::find_by_name(sb, config.system_id);
  if (!cp) {
    auto w = sb::ChassisPrivate::insert(txn);
    w.set_name(config.system_id);
    w.set_chassis(chassis_row);
    changed = true;
  } else if (cp->chassis() != chassis_row) {
    sb::ChassisPrivate::edit(txn, cp).set_chassis(chassis_row);
    changed = true;
  }
  return changed;
}

bool remove_chassis(Transaction& txn, const std::string& chassis_name) {
  const auto& sb = txn.replica();
  bool changed = false;
  if (const sb::ChassisPrivate* cp = sb::ChassisPrivate::find_by_name(sb, chassis_name)) {
    txn.remove(cp);
    changed = true;
  }
  if (const sb::Chassis* ch = sb::Chassis::find_by_name(sb, chassis_name)) {
    txn.remove(ch);
    changed = true;
  }
  return changed;
}

bool report_nb_cfg(Transaction& txn, const std::string& chassis_name, int64_t nb_cfg,
                   int64_t now_ms) {
  const sb::ChassisPrivate* cp = sb::ChassisPrivate::find_by_name(txn.replica(), chassis_name);
  if (!cp || cp->nb_cfg() == nb_cfg) return false;
  auto w = sb::ChassisPrivate::edit(txn, cp);
  w.set_nb_cfg(nb_cfg);
  w.set_nb_cfg_timestamp(now_ms);
  return true;
}

}  // namespace ovnx::controller
