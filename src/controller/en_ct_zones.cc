#include "controller/en_ct_zones.h"

namespace ovnx::controller {

engine::Computed EnCtZones::assign() {
  const OvsData& ovs = input<EnOvs>();
  CtZones base = data();
  if (!adopted_ && ovs.bridge.exists) {
    // Saved zones win over nothing; ours (if any) were assigned before the bridge was read.
    CtZones saved = zones_from_external_ids(ovs.bridge.external_ids);
    for (const auto& [name, zone] : base.zones) saved.zones.emplace(name, zone);
    base = std::move(saved);
    adopted_ = true;
  }
  const RuntimeData& rt = input<EnRuntime>();
  std::set<std::string> needed = needed_zone_names(rt.state);
  if (!rt.complete) {
    // Without the Southbound view we cannot tell which saved zones are stale: keep them all.
    for (const auto& [name, zone] : base.zones) needed.insert(name);
  }
  CtZones next = assign_ct_zones(base, needed);
  if (next == data()) return engine::Computed::unchanged;
  mutable_data() = std::move(next);
  return engine::Computed::updated;
}

engine::Handled EnCtZones::on_runtime(const RuntimeData& rt) {
  return assign() == engine::Computed::updated ? engine::Handled::updated
                                               : engine::Handled::unchanged;
}

engine::Handled EnCtZones::on_ovs(const OvsData& ovs) {
  if (adopted_ || !ovs.bridge.exists) return engine::Handled::unchanged;
  return assign() == engine::Computed::updated ? engine::Handled::updated
                                               : engine::Handled::unchanged;
}

engine::Computed EnCtZones::recompute() { return assign(); }

}  // namespace ovnx::controller
