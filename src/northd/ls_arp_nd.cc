// Logical switch: the ARP/ND responder (ingress table 19). The switch answers ARP requests and
// neighbor solicitations for addresses it knows, instead of flooding them, and lets a port's
// own probes (duplicate address detection) through. Virtual ports get bound to whichever of
// their parents announces the virtual IP.
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

// Ports whose ARPs may reach several chassis (localnet, vtep) never get local answers.
void build_skip_local(BuildCtx& ctx, const Port& op) {
  const std::string& type = op.nbsp->type;
  if (type != "localnet" && type != "vtep") return;
  ctx.sink.add(Stage::ls_in_arp_rsp, 100, "inport == " + op.json_name(), "next;",
               FlowOpts{.hint = op.hint(), .io_port = op.name});
}

// Binds a virtual port to the parent that claims its IP (GARP, ARP reply, NS, NA).
void build_virtual_port(BuildCtx& ctx, const Port& op) {
  const std::string& vip = nb::get(op.nbsp->options, "virtual-ip");
  const std::string& parents = nb::get(op.nbsp->options, "virtual-parents");
  if (vip.empty() || parents.empty()) return;
  auto ip = packets::parse_ip(vip);
  if (!ip.ok()) return;
  size_t pos = 0;
  while (pos <= parents.size()) {
    size_t comma = parents.find(',', pos);
    std::string parent =
        parents.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? parents.size() + 1 : comma + 1;
    if (parent.empty()) continue;
    const Port* vp = ctx.topo.find_port(parent);
    if (!vp || vp->od != op.od) continue;
    std::string match;
    if (!ip->is_v6) {
      const std::string a = ip->v4.to_string();
      match = fmt::format(
          "inport == \"{0}\" && ((arp.op == 1 && arp.spa == {1} && arp.tpa == {1}) || "
          "(arp.op == 2 && arp.spa == {1}))",
          parent, a);
    } else {
      match = fmt::format(
          "inport == \"{0}\" && ((nd_ns && ip6.dst == {{{1}, {2}}} && nd.target == {1}) ||"
          "(nd_na && nd.target == {1}))",
          parent, vip, ip->v6.solicited_node().to_string());
    }
    ctx.sink.add(Stage::ls_in_arp_rsp, 100, std::move(match),
                 fmt::format("bind_vport({}, inport); next;", op.json_name()),
                 FlowOpts{.hint = vp->hint(), .io_port = vp->name});
  }
}

void build_known_ips(BuildCtx& ctx, const Port& op) {
  const nb::LogicalSwitchPort& lsp = *op.nbsp;
  if (lsp.type == "virtual") {
    build_virtual_port(ctx, op);
    return;
  }
  const bool check_up = !ctx.config().ignore_lsp_down;
  const bool up = !lsp.up || *lsp.up;
  if (check_up && !up && lsp.type != "router" && lsp.type != "localport") return;
  if (lsp.type == "external" || op.has_unknown) return;
  if (nb::get_bool(op.od->nbs->other_config, "vlan-passthru")) return;

  FlowSink& s = ctx.sink;
  const FlowOpts own{.hint = op.hint(), .io_port = op.name};
  for (const LportAddresses& la : op.lsp_addrs) {
    for (const Ipv4Netaddr& a : la.ipv4) {
      std::string match = fmt::format("arp.tpa == {} && arp.op == 1", a.addr_s);
      s.add(Stage::ls_in_arp_rsp, 50, match,
            fmt::format("eth.dst = eth.src; eth.src = {0}; arp.op = 2; /* ARP reply */ "
                        "arp.tha = arp.sha; arp.sha = {0}; arp.tpa = arp.spa; arp.spa = {1}; "
                        "outport = inport; flags.loopback = 1; output;",
                        la.ea_s, a.addr_s),
            op.hint());
      // The owner's own request (duplicate address detection) goes through unanswered.
      s.add(Stage::ls_in_arp_rsp, 100, match + " && inport == " + op.json_name(), "next;", own);
    }
    for (const Ipv6Netaddr& a : la.ipv6) {
      std::string match = fmt::format("nd_ns && ip6.dst == {{{0}, {1}}} && nd.target == {0}",
                                      a.addr_s, a.sn_addr_s);
      s.add(Stage::ls_in_arp_rsp, 50, match,
            fmt::format("{0} {{ eth.src = {1}; ip6.src = {2}; nd.target = {2}; nd.tll = {1}; "
                        "outport = inport; flags.loopback = 1; output; }};",
                        op.lsp_is_router() ? "nd_na_router" : "nd_na", la.ea_s, a.addr_s),
            op.hint());
      s.add(Stage::ls_in_arp_rsp, 100, match + " && inport == " + op.json_name(), "next;", own);
    }
  }
}

}  // namespace

void build_ls_arp_nd(BuildCtx& ctx) {
  ctx.sink.add(Stage::ls_in_arp_rsp, 0, "1", "next;");
  for (const Port* op : ctx.od.ports) {
    if (!ctx.sink.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(ctx.sink, op->nb_uuid);
    build_skip_local(ctx, *op);
    build_known_ips(ctx, *op);
  }
}

}  // namespace ovnx::northd
