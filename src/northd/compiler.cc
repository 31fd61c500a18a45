#include "northd/compiler.h"


#include <fmt/format.h>

#include "northd/incremental.h"

namespace ovnx::northd {
namespace {

// A MAC derived from the NB_Global row, with the locally administered bit set, so a fresh
// deployment gets a stable value without randomness in the compiler.
packets::MacAddr derived_mac(const Uuid& seed, uint64_t salt) {
  uint64_t v = (seed.hi ^ (seed.lo * 0x9e3779b97f4a7c15ULL) ^ salt) & 0xffffffffffffULL;
  v = (v & ~(0x01ULL << 40)) | (0x02ULL << 40);  // unicast, locally administered
  return packets::MacAddr::from_u64(v);
}

}  // namespace

ChassisFeatures chassis_features(const std::vector<SbChassis>& chassis) {
  ChassisFeatures f;
  for (const SbChassis& c : chassis) {
    if (nb::get_bool(c.other_config, "is-remote")) continue;
    if (!nb::get_bool(c.other_config, "ct-no-masked-label")) f.ct_no_masked_label = false;
    if (!nb::get_bool(c.other_config, "mac-binding-timestamp")) f.mac_binding_timestamp = false;
    if (!nb::get_bool(c.other_config, "ct-lb-related")) f.ct_lb_related = false;
  }
  return f;
}

nb::Smap effective_nb_options(const nb::NbGlobal& global, bool vxlan_mode) {
  nb::Smap o = global.options;
  auto prefix = o.find("mac_prefix");
  bool valid_prefix = false;
  if (prefix != o.end()) {
    valid_prefix = packets::parse_mac(prefix->second + ":00:00:00").ok() &&
                   prefix->second != "00:00:00";
  }
  if (!valid_prefix) {
    packets::MacAddr m = derived_mac(global.uuid, 1);
    o["mac_prefix"] = fmt::format("{:02x}:{:02x}:{:02x}", m.bytes[0], m.bytes[1], m.bytes[2]);
  }
  auto svc = o.find("svc_monitor_mac");
  if (svc == o.end() || !packets::parse_mac(svc->second).ok()) {
    o["svc_monitor_mac"] = derived_mac(global.uuid, 2).to_string();
  }
  o["max_tunid"] = vxlan_mode ? "4095" : "16711680";
  o["northd_internal_version"] = kNorthdInternalVersion;
  return o;
}

Result<sb::Content> compile(const nb::Snapshot& nb, const SbState& sb_state,
                            const CompileOptions& options, CompileStats* stats) {
  IncrementalCompiler ic(options);
  OVNX_RETURN_IF_ERROR(ic.recompute(nb, sb_state));
  if (stats) *stats = ic.stats();
  return ic.content();
}

}  // namespace ovnx::northd
