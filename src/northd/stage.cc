#include "northd/stage.h"

#include <array>

namespace ovnx::northd {
namespace {

using sb::Pipeline;

// Builds the table from the stage order: tables count up from 0 within each pipeline.
constexpr std::array<StageInfo, kNumStages> make_table() {
  constexpr std::string_view names[kNumStages] = {
      "ls_in_check_port_sec", "ls_in_apply_port_sec", "ls_in_lookup_fdb", "ls_in_put_fdb",
      "ls_in_pre_acl", "ls_in_pre_lb", "ls_in_pre_stateful", "ls_in_acl_hint", "ls_in_acl",
      "ls_in_qos_mark", "ls_in_qos_meter", "ls_in_lb_aff_check", "ls_in_lb",
      "ls_in_lb_aff_learn", "ls_in_pre_hairpin", "ls_in_nat_hairpin", "ls_in_hairpin",
      "ls_in_acl_after_lb", "ls_in_stateful", "ls_in_arp_rsp", "ls_in_dhcp_options",
      "ls_in_dhcp_response", "ls_in_dns_lookup", "ls_in_dns_response", "ls_in_external_port",
      "ls_in_l2_lkup", "ls_in_l2_unknown",
      "ls_out_pre_acl", "ls_out_pre_lb", "ls_out_pre_stateful", "ls_out_acl_hint",
      "ls_out_acl", "ls_out_qos_mark", "ls_out_qos_meter", "ls_out_stateful",
      "ls_out_check_port_sec", "ls_out_apply_port_sec",
      "lr_in_admission", "lr_in_lookup_neighbor", "lr_in_learn_neighbor", "lr_in_ip_input",
      "lr_in_unsnat", "lr_in_defrag", "lr_in_lb_aff_check", "lr_in_dnat", "lr_in_lb_aff_learn",
      "lr_in_ecmp_stateful", "lr_in_nd_ra_options", "lr_in_nd_ra_response",
      "lr_in_ip_routing_pre", "lr_in_ip_routing", "lr_in_ip_routing_ecmp", "lr_in_policy",
      "lr_in_policy_ecmp", "lr_in_arp_resolve", "lr_in_chk_pkt_len", "lr_in_larger_pkts",
      "lr_in_gw_redirect", "lr_in_arp_request",
      "lr_out_chk_dnat_local", "lr_out_undnat", "lr_out_post_undnat", "lr_out_snat",
      "lr_out_post_snat", "lr_out_egr_loop", "lr_out_delivery",
  };
  constexpr int first_ls_out = static_cast<int>(Stage::ls_out_pre_acl);
  constexpr int first_lr_in = static_cast<int>(Stage::lr_in_admission);
  constexpr int first_lr_out = static_cast<int>(Stage::lr_out_chk_dnat_local);
  std::array<StageInfo, kNumStages> t{};
  for (int i = 0; i < kNumStages; ++i) {
    int first = i >= first_lr_out ? first_lr_out
                : i >= first_lr_in ? first_lr_in
                : i >= first_ls_out ? first_ls_out
                                    : 0;
    bool egress = first == first_ls_out || first == first_lr_out;
    t[size_t(i)] = StageInfo{first >= first_lr_in, egress ? Pipeline::egress : Pipeline::ingress,
                             static_cast<uint8_t>(i - first), names[i]};
  }
  return t;
}

constexpr auto kStages = make_table();

// The table numbers ovn-northd(8) documents for 23.03.
static_assert(kStages[size_t(Stage::ls_in_l2_unknown)].table == 26);
static_assert(kStages[size_t(Stage::ls_out_apply_port_sec)].table == 9);
static_assert(kStages[size_t(Stage::lr_in_arp_request)].table == 21);
static_assert(kStages[size_t(Stage::lr_out_delivery)].table == 6);

}  // namespace

const StageInfo& stage_info(Stage stage) { return kStages[static_cast<size_t>(stage)]; }

}  // namespace ovnx::northd
