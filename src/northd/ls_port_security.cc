// Logical switch: admission and port security (ingress tables 0-3, egress tables 8-9).
// Port security itself is enforced by ovn-controller from Port_Binding.port_security through
// check_in_port_sec()/check_out_port_sec(); the flows only call those and act on the result.
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

constexpr const char* kRegbitPortSecDrop = "reg0[15]";
constexpr const char* kRegbitLkupFdb = "reg0[11]";

void build_ingress_od(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  const bool vlan_passthru = nb::get_bool(ctx.od.nbs->other_config, "vlan-passthru");
  if (!vlan_passthru) s.add(Stage::ls_in_check_port_sec, 100, "vlan.present", "drop;");
  s.add(Stage::ls_in_check_port_sec, 100, "eth.src[40]", "drop;");
  s.add(Stage::ls_in_check_port_sec, 50, "1",
        fmt::format("{} = check_in_port_sec(); next;", kRegbitPortSecDrop));
  s.add(Stage::ls_in_apply_port_sec, 50, fmt::format("{} == 1", kRegbitPortSecDrop), "drop;");
  s.add(Stage::ls_in_apply_port_sec, 0, "1", "next;");
}

void build_ingress_port(BuildCtx& ctx, const Port& op) {
  FlowSink& s = ctx.sink;
  const FlowOpts opts{.hint = op.hint(), .io_port = op.name};
  const std::string match = "inport == " + op.json_name();
  if (!op.enabled()) {
    s.add(Stage::ls_in_check_port_sec, 100, match,
          fmt::format("{} = 1; next;", kRegbitPortSecDrop), opts);
    return;
  }
  const std::string& type = op.nbsp->type;
  if (type == "vtep") {
    s.add(Stage::ls_in_check_port_sec, 70, match,
          fmt::format("next(pipeline=ingress, table={});", stage_table(Stage::ls_in_l2_lkup)),
          opts);
  }
  const std::string& queue = nb::get(op.nbsp->options, "qdisc_queue_id");
  if (!queue.empty()) {
    s.add(Stage::ls_in_check_port_sec, 70, match,
          fmt::format("set_queue({}); {} = check_in_port_sec(); next;", queue,
                      kRegbitPortSecDrop),
          opts);
  }
  // MAC learning for ports that accept unknown addresses without port security.
  if (op.ps_addrs.empty() && op.has_unknown && type.empty()) {
    s.add(Stage::ls_in_lookup_fdb, 100, match,
          fmt::format("{} = lookup_fdb(inport, eth.src); next;", kRegbitLkupFdb), opts);
    s.add(Stage::ls_in_put_fdb, 100, fmt::format("{} && {} == 0", match, kRegbitLkupFdb),
          "put_fdb(inport, eth.src); next;", opts);
  }
}

void build_egress_od(BuildCtx& ctx) {
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_out_check_port_sec, 100, "eth.mcast",
        fmt::format("{} = 0; next;", kRegbitPortSecDrop));
  s.add(Stage::ls_out_check_port_sec, 0, "1",
        fmt::format("{} = check_out_port_sec(); next;", kRegbitPortSecDrop));
  s.add(Stage::ls_out_apply_port_sec, 50, fmt::format("{} == 1", kRegbitPortSecDrop), "drop;");
  s.add(Stage::ls_out_apply_port_sec, 0, "1", "output;");
}

void build_egress_port(BuildCtx& ctx, const Port& op) {
  if (op.nbsp->type != "localnet") return;
  const std::string& queue = nb::get(op.nbsp->options, "qdisc_queue_id");
  if (queue.empty()) return;
  ctx.sink.add(Stage::ls_out_apply_port_sec, 100, "outport == " + op.json_name(),
               fmt::format("set_queue({}); output;", queue),
               FlowOpts{.hint = op.hint(), .io_port = op.name});
}

}  // namespace

void build_ls_port_security(BuildCtx& ctx) {
  build_ingress_od(ctx);
  build_egress_od(ctx);
  for (const Port* op : ctx.od.ports) {
    if (!ctx.sink.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(ctx.sink, op->nb_uuid);
    build_ingress_port(ctx, *op);
    build_egress_port(ctx, *op);
  }
  // Stages with only their default here.
  ctx.sink.add(Stage::ls_in_lookup_fdb, 0, "1", "next;");
  ctx.sink.add(Stage::ls_in_put_fdb, 0, "1", "next;");
}

}  // namespace ovnx::northd
