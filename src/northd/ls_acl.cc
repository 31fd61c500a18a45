// Logical switch: ACLs and the connection tracking they need (ingress tables 4, 7, 8, 17, 18;
// egress tables 0, 3, 4, 7).
//
// A datapath is "stateful" when it has an allow-related ACL or a load balancer VIP: IP traffic
// then goes through conntrack, and every allow ACL commits its connection so that reply
// traffic is recognised. Hint bits in reg0 (set by the ACL-hint stage from the conntrack state)
// keep each ACL down to the flows that can match.
#include <fmt/format.h>

#include "northd/pipelines.h"

namespace ovnx::northd {
namespace {

// Register bits the switch pipeline uses (OVN's REGBIT_* names in comments).
constexpr const char* kConntrackDefrag = "reg0[0]";  // REGBIT_CONNTRACK_DEFRAG
constexpr const char* kConntrackCommit = "reg0[1]";  // REGBIT_CONNTRACK_COMMIT
constexpr const char* kHintAllowNew = "reg0[7]";     // REGBIT_ACL_HINT_ALLOW_NEW
constexpr const char* kHintAllow = "reg0[8]";        // REGBIT_ACL_HINT_ALLOW
constexpr const char* kHintDrop = "reg0[9]";         // REGBIT_ACL_HINT_DROP
constexpr const char* kHintBlock = "reg0[10]";       // REGBIT_ACL_HINT_BLOCK
constexpr const char* kAclLabel = "reg0[13]";        // REGBIT_ACL_LABEL
constexpr const char* kAclStateless = "reg0[16]";    // REGBIT_ACL_STATELESS
constexpr const char* kAclVerdictAllow = "reg0[17]";  // reply/related traffic already allowed
constexpr const char* kRegLabel = "reg3";
constexpr int kAclPriorityOffset = 1000;
constexpr const char* kNdMatch = "nd || nd_ra || nd_rs || mldv1 || mldv2";
constexpr const char* kDropAction = "/* drop */";  // drop sampling not configured

struct AclContext {
  BuildCtx& ctx;
  bool has_stateful;
  std::string ct_blocked;  // ct_mark.blocked, or ct_label.blocked for old chassis
};

Stage acl_stage(const nb::Acl& acl) {
  bool ingress = acl.direction == "from-lport";
  if (ingress && nb::get_bool(acl.options, "apply-after-lb")) return Stage::ls_in_acl_after_lb;
  return ingress ? Stage::ls_in_acl : Stage::ls_out_acl;
}

uint16_t acl_priority(const nb::Acl& acl) {
  return static_cast<uint16_t>(acl.priority + kAclPriorityOffset);
}

// "log(name=..., severity=..., verdict=..., meter=...); " when the ACL logs.
std::string acl_log(const BuildCtx& ctx, const nb::Acl& acl) {
  if (!acl.log) return {};
  std::string out = "log(";
  if (acl.name) out += "name=" + quoted(*acl.name) + ", ";
  if (acl.severity) out += "severity=" + *acl.severity + ", ";
  if (acl.action == "drop") {
    out += "verdict=drop, ";
  } else if (acl.action == "reject") {
    out += "verdict=reject, ";
  } else if (acl.action == "allow" || acl.action == "allow-related" ||
             acl.action == "allow-stateless") {
    out += "verdict=allow, ";
  }
  if (acl.meter) {
    for (const auto& [uuid, meter] : ctx.topo.nb().meters) {
      if (meter.name == *acl.meter) {
        out += "meter=" + quoted(*acl.meter) + ", ";
        break;
      }
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ',')) out.pop_back();
  out += "); ";
  return out;
}

void add_reject(AclContext& ac, Stage stage, const nb::Acl& acl, const std::string& extra_match,
                const std::string& extra_actions) {
  const bool ingress = stage == Stage::ls_in_acl;
  const std::string next =
      fmt::format("next(pipeline={},table={});", ingress ? "egress" : "ingress",
                  ingress ? stage_table(Stage::ls_out_qos_mark)
                          : stage_table(Stage::ls_in_l2_lkup));
  std::string match;
  if (!extra_match.empty()) match = "(" + extra_match + ") && ";
  match += acl.match;
  std::string actions = acl_log(ac.ctx, acl);
  if (!extra_actions.empty()) actions += extra_actions + " ";
  actions += fmt::format(
      "reg0 = 0; reject {{ /* eth.dst <-> eth.src; ip.dst <-> ip.src; is implicit. */ "
      "outport <-> inport; {} }};",
      next);
  ac.ctx.sink.add(stage, acl_priority(acl), std::move(match), std::move(actions), acl.uuid);
}

void consider_acl(AclContext& ac, const nb::Acl& acl) {
  FlowSink& s = ac.ctx.sink;
  const Stage stage = acl_stage(acl);
  const uint16_t prio = acl_priority(acl);
  const std::string log = acl_log(ac.ctx, acl);

  if (acl.action == "allow-stateless") {
    s.add(stage, prio, acl.match, log + "next;", acl.uuid);
  } else if (acl.action == "allow" || acl.action == "allow-related") {
    if (!ac.has_stateful) {
      s.add(stage, prio, acl.match, log + "next;", acl.uuid);
      return;
    }
    const std::string label =
        acl.label ? fmt::format("{} = 1; {} = {}; ", kAclLabel, kRegLabel, acl.label) : "";
    // New connections (or ones blocked by an earlier policy) get committed.
    s.add(stage, prio, fmt::format("{} == 1 && ({})", kHintAllowNew, acl.match),
          fmt::format("{} = 1; {}{}next;", kConntrackCommit, label, log), acl.uuid);
    // Established ones are only re-committed to update their label.
    std::string est_actions;
    if (acl.label) est_actions = fmt::format("{} = 1; {}", kConntrackCommit, label);
    s.add(stage, prio, fmt::format("{} == 1 && ({})", kHintAllow, acl.match),
          est_actions + log + "next;", acl.uuid);
  } else if (acl.action == "drop" || acl.action == "reject") {
    const bool reject = acl.action == "reject";
    if (!ac.has_stateful) {
      if (reject) {
        add_reject(ac, stage, acl, "", "");
      } else {
        s.add(stage, prio, acl.match, log + kDropAction, acl.uuid);
      }
      return;
    }
    // Untracked or new traffic is simply dropped.
    std::string match = fmt::format("{} == 1", kHintDrop);
    if (reject) {
      add_reject(ac, stage, acl, match, "");
    } else {
      s.add(stage, prio, fmt::format("{} && ({})", match, acl.match), log + kDropAction,
            acl.uuid);
    }
    // A connection allowed by an earlier policy is marked blocked, which also stops its
    // replies.
    match = fmt::format("{} == 1", kHintBlock);
    std::string commit = fmt::format("ct_commit {{ {} = 1; }}; ", ac.ct_blocked);
    if (reject) {
      add_reject(ac, stage, acl, match, commit);
    } else {
      s.add(stage, prio, fmt::format("{} && ({})", match, acl.match),
            commit + log + kDropAction, acl.uuid);
    }
  }
}

void build_pre_acls(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  s.add(Stage::ls_in_pre_acl, 0, "1", "next;");
  s.add(Stage::ls_out_pre_acl, 0, "1", "next;");
  s.add(Stage::ls_in_pre_acl, 110, "eth.dst == $svc_monitor_mac", "next;");
  s.add(Stage::ls_out_pre_acl, 110, "eth.src == $svc_monitor_mac", "next;");

  // (Stateless filters are per ACL: see build_acl_group.)
  if (od.has_stateful_acl) {
    auto skip = [&](const Port* op) {
      FlowOpts o{.hint = op->hint(), .io_port = op->name};
      s.add(Stage::ls_in_pre_acl, 110, "ip && inport == " + op->json_name(), "next;", o);
      s.add(Stage::ls_out_pre_acl, 110, "ip && outport == " + op->json_name(), "next;", o);
    };
    for (const Port* op : od.router_ports) skip(op);
    for (const Port* op : od.localnet_ports) skip(op);
    const char* no_ct =
        "nd || nd_rs || nd_ra || mldv1 || mldv2 || (udp && udp.src == 546 && udp.dst == 547)";
    s.add(Stage::ls_in_pre_acl, 110, no_ct, "next;");
    s.add(Stage::ls_out_pre_acl, 110, no_ct, "next;");
    s.add(Stage::ls_in_pre_acl, 110, "eth.mcast", "next;");
    s.add(Stage::ls_out_pre_acl, 110, "eth.mcast", "next;");
    const std::string defrag = fmt::format("{} = 1; next;", kConntrackDefrag);
    s.add(Stage::ls_in_pre_acl, 100, "ip", defrag);
    s.add(Stage::ls_out_pre_acl, 100, "ip", defrag);
  }
}

// The flows of one ACL: its pre-ACL stateless filter, if any, and its ACL stage flows.
void build_acl_group(AclContext& ac, const nb::Acl& acl) {
  const Datapath& od = ac.ctx.od;
  FlowSink& s = ac.ctx.sink;
  if (!s.wants(acl.uuid)) return;
  s.set_group(acl.uuid);
  if (acl.action == "allow-stateless" && (od.has_stateful_acl || od.has_lb_vip)) {
    Stage stage = acl.direction == "from-lport" ? Stage::ls_in_pre_acl : Stage::ls_out_pre_acl;
    s.add(stage, acl_priority(acl), acl.match, fmt::format("{} = 1; next;", kAclStateless),
          acl.uuid);
  }
  consider_acl(ac, acl);
  s.set_group({});
}

void build_acl_hints(BuildCtx& ctx, const std::string& ct_blocked) {
  const Datapath& od = ctx.od;
  FlowSink& s = ctx.sink;
  for (Stage stage : {Stage::ls_in_acl_hint, Stage::ls_out_acl_hint}) {
    if (!od.has_acls && !od.has_lb_vip) {
      s.add(stage, 65535, "1", "next;");
    } else {
      s.add(stage, 0, "1", "next;");
    }
    if (!od.has_stateful_acl && !od.has_lb_vip) continue;
    s.add(stage, 7, "ct.new && !ct.est",
          fmt::format("{} = 1; {} = 1; next;", kHintAllowNew, kHintDrop));
    s.add(stage, 6, fmt::format("!ct.new && ct.est && !ct.rpl && {} == 1", ct_blocked),
          fmt::format("{} = 1; {} = 1; next;", kHintAllowNew, kHintDrop));
    s.add(stage, 5, "!ct.trk", fmt::format("{} = 1; {} = 1; next;", kHintAllow, kHintDrop));
    s.add(stage, 4, fmt::format("!ct.new && ct.est && !ct.rpl && {} == 0", ct_blocked),
          fmt::format("{} = 1; {} = 1; next;", kHintAllow, kHintBlock));
    s.add(stage, 3, "!ct.est", fmt::format("{} = 1; next;", kHintDrop));
    s.add(stage, 2, fmt::format("ct.est && {} == 1", ct_blocked),
          fmt::format("{} = 1; next;", kHintDrop));
    s.add(stage, 1, fmt::format("ct.est && {} == 0", ct_blocked),
          fmt::format("{} = 1; next;", kHintBlock));
  }
}

void build_acl_defaults(BuildCtx& ctx, bool has_stateful, const std::string& ct_blocked) {
  const Datapath& od = ctx.od;
  const GlobalConfig& cfg = ctx.config();
  FlowSink& s = ctx.sink;
  const char* default_action = cfg.default_acl_drop ? "drop;" : "next;";
  if (!od.has_acls && !od.has_lb_vip) {
    s.add(Stage::ls_in_acl, 65535, "1", "next;");
    s.add(Stage::ls_out_acl, 65535, "1", "next;");
  } else {
    s.add(Stage::ls_in_acl, 0, "1", default_action);
    s.add(Stage::ls_out_acl, 0, "1", default_action);
  }
  // ND and MLD are never subject to ACLs.
  s.add(Stage::ls_in_acl, 65532, kNdMatch, "next;");
  s.add(Stage::ls_out_acl, 65532, kNdMatch, "next;");
  s.add(Stage::ls_in_acl_after_lb, 65532, kNdMatch, "next;");
  s.add(Stage::ls_in_acl_after_lb, 0, "1", "next;");

  if (has_stateful) {
    // Commit IP traffic not yet known to conntrack (or blocked before and now allowed), so
    // the other direction's stateful rules can recognise replies.
    const std::string commit = fmt::format("{} = 1; next;", kConntrackCommit);
    const std::string blocked = fmt::format("ip && ct.est && {} == 1", ct_blocked);
    s.add(Stage::ls_in_acl, 1, blocked, commit);
    s.add(Stage::ls_out_acl, 1, blocked, commit);
    const std::string new_action = cfg.default_acl_drop ? "next;" : commit;
    s.add(Stage::ls_in_acl, 1, "ip && !ct.est", new_action);
    s.add(Stage::ls_out_acl, 1, "ip && !ct.est", new_action);

    const char* inv = cfg.use_ct_inv_match ? "ct.inv || " : "";
    const char* not_inv = cfg.use_ct_inv_match ? " && !ct.inv" : "";
    const std::string drop = fmt::format("{}(ct.est && ct.rpl && {} == 1)", inv, ct_blocked);
    s.add(Stage::ls_in_acl, 65532, drop, "drop;");
    s.add(Stage::ls_out_acl, 65532, drop, "drop;");
    const std::string reply =
        fmt::format("ct.est && !ct.rel && !ct.new{} && ct.rpl && {} == 0", not_inv, ct_blocked);
    s.add(Stage::ls_in_acl, 65532, reply,
          fmt::format("{} = 0; {} = 0; {} = 1; next;", kHintDrop, kHintBlock, kAclVerdictAllow));
    s.add(Stage::ls_out_acl, 65532, reply, "next;");
    const std::string related =
        fmt::format("!ct.est && ct.rel && !ct.new{} && {} == 0", not_inv, ct_blocked);
    s.add(Stage::ls_in_acl, 65532, related,
          fmt::format("{} = 1; ct_commit_nat;", kAclVerdictAllow));
    s.add(Stage::ls_out_acl, 65532, related, "ct_commit_nat;");
    s.add(Stage::ls_in_acl_after_lb, 65532, fmt::format("{} == 1", kAclVerdictAllow), "next;");
  }
}

// Replies that ovn-controller itself generates (DHCP, DNS, service monitor) pass the egress
// ACLs.
void build_acl_controller_replies(BuildCtx& ctx, bool has_stateful) {
  const Datapath& od = ctx.od;
  const nb::Snapshot& nb = ctx.topo.nb();
  FlowSink& s = ctx.sink;
  const char* action = has_stateful ? "ct_commit; next;" : "next;";
  for (const Port* op : od.ports) {
    if (!s.wants(op->nb_uuid)) continue;
    FlowSink::GroupScope group(s, op->nb_uuid);
    const nb::LogicalSwitchPort& lsp = *op->nbsp;
    if (lsp.type == "external") continue;
    if (lsp.dhcpv4_options) {
      if (const auto* dhcp = nb::find(nb.dhcp_options, *lsp.dhcpv4_options)) {
        const std::string& server_id = nb::get(dhcp->options, "server_id");
        const std::string& server_mac = nb::get(dhcp->options, "server_mac");
        const std::string& lease_time = nb::get(dhcp->options, "lease_time");
        if (!server_id.empty() && !server_mac.empty() && !lease_time.empty()) {
          s.add(Stage::ls_out_acl, 34000,
                fmt::format("outport == {} && eth.src == {} && ip4.src == {} && udp && "
                            "udp.src == 67 && udp.dst == 68",
                            quoted(lsp.name), server_mac, server_id),
                action, FlowOpts{.hint = dhcp->uuid, .io_port = lsp.name});
        }
      }
    }
    if (lsp.dhcpv6_options) {
      if (const auto* dhcp = nb::find(nb.dhcp_options, *lsp.dhcpv6_options)) {
        const std::string& server_mac = nb::get(dhcp->options, "server_id");
        auto ea = packets::parse_mac(server_mac);
        if (!server_mac.empty() && ea.ok()) {
          std::string lla = packets::Ipv6Addr::link_local_from_mac(*ea).to_string();
          s.add(Stage::ls_out_acl, 34000,
                fmt::format("outport == {} && eth.src == {} && ip6.src == {} && udp && "
                            "udp.src == 547 && udp.dst == 546",
                            quoted(lsp.name), server_mac, lla),
                action, FlowOpts{.hint = dhcp->uuid, .io_port = lsp.name});
        }
      }
    }
  }
  if (od.has_dns_records) s.add(Stage::ls_out_acl, 34000, "udp.src == 53", action);
  if (od.has_acls || od.has_lb_vip) {
    s.add(Stage::ls_in_acl, 34000, "eth.dst == $svc_monitor_mac", "next;");
    s.add(Stage::ls_out_acl, 34000, "eth.src == $svc_monitor_mac", "next;");
  }
}

void build_stateful(BuildCtx& ctx, const std::string& ct_blocked) {
  FlowSink& s = ctx.sink;
  const bool masked = ctx.config().features.ct_no_masked_label;
  s.add(Stage::ls_in_stateful, 0, "1", "next;");
  s.add(Stage::ls_out_stateful, 0, "1", "next;");
  const std::string with_label =
      fmt::format("ct_commit {{ {} = 0; ct_label.label = {}; }}; next;", ct_blocked, kRegLabel);
  const std::string without_label = fmt::format("ct_commit {{ {} = 0; }}; next;", ct_blocked);
  (void)masked;
  const std::string m1 = fmt::format("{} == 1 && {} == 1", kConntrackCommit, kAclLabel);
  const std::string m0 = fmt::format("{} == 1 && {} == 0", kConntrackCommit, kAclLabel);
  s.add(Stage::ls_in_stateful, 100, m1, with_label);
  s.add(Stage::ls_out_stateful, 100, m1, with_label);
  s.add(Stage::ls_in_stateful, 100, m0, without_label);
  s.add(Stage::ls_out_stateful, 100, m0, without_label);
}

}  // namespace

void build_ls_acls(BuildCtx& ctx) {
  const Datapath& od = ctx.od;
  const bool has_stateful = od.has_stateful_acl || od.has_lb_vip;
  const std::string ct_blocked =
      ctx.config().features.ct_no_masked_label ? "ct_mark.blocked" : "ct_label.blocked";
  build_pre_acls(ctx);
  build_acl_hints(ctx, ct_blocked);
  build_acl_defaults(ctx, has_stateful, ct_blocked);
  build_acl_controller_replies(ctx, has_stateful);
  build_stateful(ctx, ct_blocked);
  build_ls_acl_groups(ctx, od.acls);
}

void build_ls_acl_groups(BuildCtx& ctx, const std::vector<const nb::Acl*>& acls) {
  const Datapath& od = ctx.od;
  const std::string ct_blocked =
      ctx.config().features.ct_no_masked_label ? "ct_mark.blocked" : "ct_label.blocked";
  AclContext ac{ctx, od.has_stateful_acl || od.has_lb_vip, ct_blocked};
  for (const nb::Acl* acl : acls) build_acl_group(ac, *acl);
}

}  // namespace ovnx::northd
