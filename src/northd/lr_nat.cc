// Logical router: NAT and the conntrack stages around it (ingress tables 4-11, egress tables
// 0-5).
#include <fmt/format.h>

#include "northd/nat.h"
#include "northd/pipelines.h"

namespace ovnx::northd {

void build_lr_nat(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  for (Stage st : {Stage::lr_in_unsnat, Stage::lr_in_defrag, Stage::lr_in_lb_aff_check,
                   Stage::lr_in_dnat, Stage::lr_in_lb_aff_learn, Stage::lr_in_ecmp_stateful,
                   Stage::lr_in_nd_ra_options, Stage::lr_in_nd_ra_response,
                   Stage::lr_out_undnat, Stage::lr_out_post_undnat, Stage::lr_out_snat,
                   Stage::lr_out_post_snat, Stage::lr_out_egr_loop}) {
    s.add(st, 0, "1", "next;");
  }
  s.add(Stage::lr_out_chk_dnat_local, 0, "1", "reg9[4] = 0; next;");
  // Neighbor solicitations ovn-controller injects must not go through conntrack.
  s.add(Stage::lr_out_snat, 120, "nd_ns", "next;");
}

}  // namespace ovnx::northd
