// Logical switch: load-balancing preparation and the stages around it (ingress tables 5, 6,
// 9-16; egress tables 1, 2, 5, 6): what bypasses conntrack, when to send packets to conntrack,
// and QoS.
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kConntrackDefrag = "reg0[0]";  // REGBIT_CONNTRACK_DEFRAG
constexpr const char* kConntrackNat = "reg0[2]";     // REGBIT_CONNTRACK_NAT
constexpr const char* kAclStateless = "reg0[16]";    // REGBIT_ACL_STATELESS
constexpr const char* kNdMldMatch = "nd || nd_rs || nd_ra || mldv1 || mldv2";

// Router and localnet ports never go through conntrack on a switch: the router does its own.
void skip_port_from_conntrack(BuildCtx& ctx, const Port& op, Stage in, Stage out) {
  FlowOpts o{.hint = op.hint(), .io_port = op.name};
  const char* egress_action = ctx.od.has_stateful_acl ? "next;" : "ct_clear; next;";
  ctx.sink.add(in, 110, "ip && inport == " + op.json_name(), "next;", o);
  ctx.sink.add(out, 110, "ip && outport == " + op.json_name(), egress_action, o);
}

void build_pre_lb(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_in_pre_lb, 110, kNdMldMatch, "next;");
  s.add(Stage::ls_out_pre_lb, 110, kNdMldMatch, "next;");
  s.add(Stage::ls_in_pre_lb, 110, "eth.dst == $svc_monitor_mac", "next;");
  s.add(Stage::ls_out_pre_lb, 110, "eth.src == $svc_monitor_mac", "next;");
  s.add(Stage::ls_in_pre_lb, 0, "1", "next;");
  s.add(Stage::ls_out_pre_lb, 0, "1", "next;");
  const std::string stateless = fmt::format("{} == 1", kAclStateless);
  s.add(Stage::ls_in_pre_lb, 110, stateless, "next;");
  s.add(Stage::ls_out_pre_lb, 110, stateless, "next;");
  for (const Port* op : od.router_ports) {
    skip_port_from_conntrack(ctx, *op, Stage::ls_in_pre_lb, Stage::ls_out_pre_lb);
  }
  // With a load balancer, traffic from the localnet port must be load balanced too.
  if (!od.has_lb_vip) {
    for (const Port* op : od.localnet_ports) {
      skip_port_from_conntrack(ctx, *op, Stage::ls_in_pre_lb, Stage::ls_out_pre_lb);
    }
  }
  s.add(Stage::ls_in_pre_lb, 110, "eth.mcast", "next;");
  s.add(Stage::ls_out_pre_lb, 110, "eth.mcast", "next;");
  if (od.has_lb_vip) {
    const std::string nat = fmt::format("{} = 1; next;", kConntrackNat);
    s.add(Stage::ls_in_pre_lb, 100, "ip", nat);
    s.add(Stage::ls_out_pre_lb, 100, "ip", nat);
  }
}

void build_pre_stateful(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_in_pre_stateful, 0, "1", "next;");
  s.add(Stage::ls_out_pre_stateful, 0, "1", "next;");
  const char* ct_lb = ctx.config().features.ct_no_masked_label ? "ct_lb_mark;" : "ct_lb;";
  const std::string nat = fmt::format("{} == 1", kConntrackNat);
  s.add(Stage::ls_in_pre_stateful, 110, nat, ct_lb);
  s.add(Stage::ls_out_pre_stateful, 110, nat, ct_lb);
  const std::string defrag = fmt::format("{} == 1", kConntrackDefrag);
  s.add(Stage::ls_in_pre_stateful, 100, defrag, "ct_next;");
  s.add(Stage::ls_out_pre_stateful, 100, defrag, "ct_next;");
}

}  // namespace

void build_ls_lb(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  build_pre_lb(ctx);
  build_pre_stateful(ctx);
  for (Stage st : {Stage::ls_in_qos_mark, Stage::ls_in_qos_meter, Stage::ls_out_qos_mark,
                   Stage::ls_out_qos_meter, Stage::ls_in_lb_aff_check, Stage::ls_in_lb,
                   Stage::ls_in_lb_aff_learn, Stage::ls_in_pre_hairpin, Stage::ls_in_nat_hairpin,
                   Stage::ls_in_hairpin}) {
    s.add(st, 0, "1", "next;");
  }
}

}  // namespace ovnx::northd
