// The stages of OVN 23.03's logical switch and router pipelines: which pipeline, which logical
// table, and the stage name northd writes into external_ids:stage-name (ovn-northd(8)).
#pragma once

#include <cstdint>
#include <string_view>

#include "northd/sb.h"

namespace ovnx::northd {

enum class Stage : uint8_t {
  // Logical switch ingress (tables 0..26).
  ls_in_check_port_sec,
  ls_in_apply_port_sec,
  ls_in_lookup_fdb,
  ls_in_put_fdb,
  ls_in_pre_acl,
  ls_in_pre_lb,
  ls_in_pre_stateful,
  ls_in_acl_hint,
  ls_in_acl,
  ls_in_qos_mark,
  ls_in_qos_meter,
  ls_in_lb_aff_check,
  ls_in_lb,
  ls_in_lb_aff_learn,
  ls_in_pre_hairpin,
  ls_in_nat_hairpin,
  ls_in_hairpin,
  ls_in_acl_after_lb,
  ls_in_stateful,
  ls_in_arp_rsp,
  ls_in_dhcp_options,
  ls_in_dhcp_response,
  ls_in_dns_lookup,
  ls_in_dns_response,
  ls_in_external_port,
  ls_in_l2_lkup,
  ls_in_l2_unknown,
  // Logical switch egress (tables 0..9).
  ls_out_pre_acl,
  ls_out_pre_lb,
  ls_out_pre_stateful,
  ls_out_acl_hint,
  ls_out_acl,
  ls_out_qos_mark,
  ls_out_qos_meter,
  ls_out_stateful,
  ls_out_check_port_sec,
  ls_out_apply_port_sec,
  // Logical router ingress (tables 0..21).
  lr_in_admission,
  lr_in_lookup_neighbor,
  lr_in_learn_neighbor,
  lr_in_ip_input,
  lr_in_unsnat,
  lr_in_defrag,
  lr_in_lb_aff_check,
  lr_in_dnat,
  lr_in_lb_aff_learn,
  lr_in_ecmp_stateful,
  lr_in_nd_ra_options,
  lr_in_nd_ra_response,
  lr_in_ip_routing_pre,
  lr_in_ip_routing,
  lr_in_ip_routing_ecmp,
  lr_in_policy,
  lr_in_policy_ecmp,
  lr_in_arp_resolve,
  lr_in_chk_pkt_len,
  lr_in_larger_pkts,
  lr_in_gw_redirect,
  lr_in_arp_request,
  // Logical router egress (tables 0..6).
  lr_out_chk_dnat_local,
  lr_out_undnat,
  lr_out_post_undnat,
  lr_out_snat,
  lr_out_post_snat,
  lr_out_egr_loop,
  lr_out_delivery,
  kCount,
};

inline constexpr int kNumStages = static_cast<int>(Stage::kCount);

struct StageInfo {
  bool router;  // logical router (vs. switch) pipeline
  sb::Pipeline pipeline;
  uint8_t table;
  std::string_view name;
};

const StageInfo& stage_info(Stage stage);
inline uint8_t stage_table(Stage s) { return stage_info(s).table; }
inline std::string_view stage_name(Stage s) { return stage_info(s).name; }
inline sb::Pipeline stage_pipeline(Stage s) { return stage_info(s).pipeline; }

}  // namespace ovnx::northd
