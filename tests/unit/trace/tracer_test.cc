#include "trace/tracer.h"

#include <gtest/gtest.h>

#include "topology.h"
#include "trace/format.h"
#include "trace/run.h"

namespace ovnx::trace {
namespace {

constexpr std::string_view kToVm3 =
    "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && eth.dst == 0a:00:00:00:11:00 && "
    "ip4.src == 192.168.1.10 && ip4.dst == 192.168.2.30 && ip.ttl == 64";

std::string run(std::string_view dp, std::string_view flow, OutputForms forms = {},
                TraceOptions options = {}) {
  static const Snapshot snap = testing::seed_like_snapshot();
  auto text = run_trace(snap, dp, flow, options, forms);
  EXPECT_TRUE(text.ok()) << text.error().to_string();
  return text.ok() ? *text : std::string();
}

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

TEST(Tracer, SwitchRouterSwitch) {
  std::string t = run("ls1", kToVm3);
  EXPECT_TRUE(has(t, "ingress(dp=\"ls1\", inport=\"vm1\")\n-----")) << t;
  EXPECT_TRUE(has(t, "egress(dp=\"ls1\", inport=\"vm1\", outport=\"ls1-lr1\")")) << t;
  EXPECT_TRUE(has(t, "/* output to \"ls1-lr1\", type \"patch\" */")) << t;
  EXPECT_TRUE(has(t, "ingress(dp=\"lr1\", inport=\"lr1-ls1\")")) << t;
  EXPECT_TRUE(has(t, " 1. lr_in_ip_routing: ip4.dst == 192.168.2.0/24, priority 74, uuid ")) << t;
  EXPECT_TRUE(has(t, "ingress(dp=\"ls2\", inport=\"ls2-lr1\")")) << t;
  EXPECT_TRUE(has(t, "egress(dp=\"ls2\", inport=\"ls2-lr1\", outport=\"vm3\")")) << t;
  EXPECT_TRUE(has(t, "/* output to \"vm3\", type \"\" */")) << t;
  // The plain `1 => next;` stage of the ACL table is not shown.
  EXPECT_FALSE(has(t, "ls_in_acl")) << t;

  std::string m = run("ls1", kToVm3, {.minimal = true});
  EXPECT_EQ(m.substr(m.find('\n') + 1),
            "ip.ttl--;\neth.src = 0a:00:00:00:12:00;\neth.dst = 0a:00:00:00:00:03;\n"
            "output(\"vm3\");\n");
}

TEST(Tracer, RegistersClearedAcrossPatchPorts) {
  std::string t = run("ls1", std::string(kToVm3) + " && reg0 == 7");
  // reg0[15] from ls1's port security check would not survive, nor reg0 = 7: the router's
  // arp_resolve sees the reg0 its routing stage wrote.
  EXPECT_TRUE(has(t, "lr_in_arp_resolve: outport == \"lr1-ls2\" && reg0 == 192.168.2.30")) << t;
}

TEST(Tracer, SpoofedSourceDroppedByPortSecurity) {
  std::string t = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:99 && "
                      "eth.dst == 0a:00:00:00:00:02");
  EXPECT_TRUE(has(t, " 1. ls_in_apply_port_sec: reg0[15] == 1, priority 50")) << t;
  EXPECT_TRUE(has(t, "    drop;\n")) << t;
  EXPECT_FALSE(has(t, "egress(")) << t;
  // The same with a spoofed IPv4 source but the right MAC.
  t = run("ls1",
          "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && eth.dst == 0a:00:00:00:00:02 && "
          "ip4.src == 10.9.9.9");
  EXPECT_TRUE(has(t, "ls_in_apply_port_sec: reg0[15] == 1")) << t;
  // A MAC-only entry allows any IP.
  t = run("ls1",
          "inport == \"vm2\" && eth.src == 0a:00:00:00:00:02 && "
          "eth.dst == 0a:00:00:00:11:00 && ip4.src == 10.9.9.9");
  EXPECT_FALSE(has(t, "ls_in_apply_port_sec")) << t;
}

TEST(Tracer, AclDrop) {
  std::string t = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                      "eth.dst == 0a:00:00:00:00:02 && ip4.src == 192.168.1.10 && "
                      "ip4.dst == 192.168.1.99");
  EXPECT_TRUE(has(t, " 2. ls_in_acl: ip4.dst == 192.168.1.99, priority 1000")) << t;
  EXPECT_FALSE(has(t, "output to")) << t;
  std::string m = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                      "eth.dst == 0a:00:00:00:00:02 && ip4.src == 192.168.1.10 && "
                      "ip4.dst == 192.168.1.99",
                      {.minimal = true});
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 1) << m;  // only the "# flow" line
}

TEST(Tracer, CtNextUsesCtOptionsThenDefault) {
  std::string flow =
      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && eth.dst == 0a:00:00:00:00:02 && "
      "ip4.src == 192.168.1.10 && ip4.dst == 192.168.1.20 && udp";
  std::string t = run("ls1", flow);
  EXPECT_TRUE(has(t, "ct_next(ct_state=est|trk /* default (use --ct to customize) */)")) << t;
  EXPECT_TRUE(has(t, "/* output to \"vm2\", type \"\" */")) << t;  // ct.new flow not hit
  TraceOptions options;
  options.ct_states.push_back(*parse_ct_flags("new"));
  t = run("ls1", flow, {}, options);
  EXPECT_TRUE(has(t, "ct_next(ct_state=new|trk)\n")) << t;
  EXPECT_TRUE(has(t, " 3. ls_in_l2_lkup: ct.new && ip4.dst == 192.168.1.20, priority 200")) << t;
  EXPECT_FALSE(has(t, "output to")) << t;
}

TEST(Tracer, MulticastFloodsAllButInport) {
  std::string t = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                      "eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && "
                      "arp.sha == 0a:00:00:00:00:01 && arp.spa == 192.168.1.10 && "
                      "arp.tpa == 192.168.1.20");
  EXPECT_TRUE(has(t, "multicast(dp=\"ls1\", mcgroup=\"_MC_flood\")")) << t;
  EXPECT_TRUE(has(t, "egress(dp=\"ls1\", inport=\"vm1\", outport=\"vm2\")")) << t;
  EXPECT_TRUE(has(t, "egress(dp=\"ls1\", inport=\"vm1\", outport=\"ls1-lr1\")")) << t;
  EXPECT_FALSE(has(t, "outport=\"vm1\")")) << t;
  // The members' egress pipelines are indented under the group.
  EXPECT_TRUE(has(t, "\n    egress(dp=\"ls1\", inport=\"vm1\", outport=\"vm2\")\n    ---")) << t;
}

TEST(Tracer, GetArpAndControllerBuiltArp) {
  // No route entry for .50: get_arp finds no binding, the router builds an ARP request.
  std::string base =
      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && eth.dst == 0a:00:00:00:11:00 && "
      "ip4.src == 192.168.1.10 && ip.ttl == 64 && ip4.dst == ";
  std::string t = run("ls1", base + "192.168.2.50");
  EXPECT_TRUE(has(t, "/* No MAC binding. */")) << t;
  EXPECT_TRUE(has(t, "\narp\n---")) << t;
  EXPECT_TRUE(has(t, "/* output to \"vm3\", type \"\" */")) << t;  // the flood-free request
  t = run("ls1", base + "192.168.2.40");
  EXPECT_TRUE(has(t, "/* MAC binding to 0a:00:00:00:00:40 */")) << t;
}

TEST(Tracer, MinimalShowsCopiedValues) {
  Snapshot snap = testing::seed_like_snapshot();
  snap.flows.push_back({{0},
                        logical::Pipeline::kIngress,
                        3,
                        300,
                        "ip4.dst == 192.168.1.250",
                        "eth.dst <-> eth.src; ip4.dst = ip4.src; reg1 = ip4.src; "
                        "outport = inport; flags.loopback = 1; output;",
                        "ls_in_reflect",
                        "",
                        "x4"});
  auto t = run_trace(snap, "ls1",
                     "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                     "eth.dst == 0a:00:00:00:00:fe && ip4.src == 192.168.1.10 && "
                     "ip4.dst == 192.168.1.250",
                     {}, {.minimal = true});
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->substr(t->find('\n') + 1),
            "eth.dst = 0a:00:00:00:00:01;\neth.src = 0a:00:00:00:00:fe;\n"
            "ip4.dst = 192.168.1.10;\noutput(\"vm1\");\n");
}

TEST(Tracer, MinimalNestsTransformations) {
  TraceOptions options;
  options.ct_states.push_back(*parse_ct_flags("est"));
  std::string m = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                      "eth.dst == 0a:00:00:00:00:02 && ip4.src == 192.168.1.10 && "
                      "ip4.dst == 192.168.1.20 && udp",
                      {.minimal = true}, options);
  EXPECT_EQ(m.substr(m.find('\n') + 1), "ct_next(ct_state=est|trk) {\n    output(\"vm2\");\n};\n");
}

TEST(Tracer, TtlExpires) {
  std::string t = run("ls1",
                      "inport == \"vm1\" && eth.src == 0a:00:00:00:00:01 && "
                      "eth.dst == 0a:00:00:00:11:00 && ip4.src == 192.168.1.10 && "
                      "ip4.dst == 192.168.2.30 && ip.ttl == 1");
  EXPECT_TRUE(has(t, "TTL expired")) << t;
  EXPECT_FALSE(has(t, "dp=\"ls2\"")) << t;
}

TEST(Tracer, SummaryNestsPipelines) {
  std::string t = run("ls1", kToVm3, {.summary = true});
  EXPECT_TRUE(
      has(t, "\ningress(dp=\"ls1\", inport=\"vm1\") {\n    reg0[15] = check_in_port_sec();\n"))
      << t;
  EXPECT_TRUE(has(t, "\n    egress(dp=\"ls1\", inport=\"vm1\", outport=\"ls1-lr1\") {\n")) << t;
  EXPECT_TRUE(has(t, "        /* output to \"ls1-lr1\", type \"patch\" */;\n")) << t;
  EXPECT_TRUE(has(t, "\n};\n")) << t;
}

TEST(Tracer, AllFormsHaveBanners) {
  std::string t = run("ls1", kToVm3, {true, true, true});
  size_t d = t.find("# Detailed trace."), s = t.find("# Summary trace."),
         m = t.find("# Minimal trace.");
  ASSERT_NE(d, std::string::npos);
  ASSERT_NE(s, std::string::npos);
  ASSERT_NE(m, std::string::npos);
  EXPECT_LT(d, s);
  EXPECT_LT(s, m);
}

TEST(Tracer, Errors) {
  static const Snapshot snap = testing::seed_like_snapshot();
  EXPECT_FALSE(run_trace(snap, "nosuch", "inport == \"vm1\"", {}, {}).ok());
  EXPECT_FALSE(run_trace(snap, "ls1", "eth.src == 0a:00:00:00:00:01", {}, {}).ok());
  // The datapath may be named by tunnel key or UUID prefix.
  EXPECT_TRUE(run_trace(snap, "2", "inport == \"lr1-ls1\"", {}, {}).ok());
  EXPECT_TRUE(run_trace(snap, "33333333", "inport == \"vm3\"", {}, {}).ok());
}

TEST(Tracer, LoopsAreCut) {
  Snapshot snap = testing::seed_like_snapshot();
  // lr1 sends everything back to ls1, and ls1 back to lr1.
  snap.flows.push_back({{1},
                        logical::Pipeline::kIngress,
                        0,
                        200,
                        "1",
                        "outport = \"lr1-ls1\"; flags.loopback = 1; output;",
                        "lr_in_admission",
                        "",
                        "x1"});
  snap.flows.push_back(
      {{1}, logical::Pipeline::kEgress, 0, 200, "1", "output;", "lr_out_delivery", "", "x2"});
  snap.flows.push_back({{0},
                        logical::Pipeline::kIngress,
                        3,
                        200,
                        "inport == \"ls1-lr1\"",
                        "outport = \"ls1-lr1\"; flags.loopback = 1; output;",
                        "ls_in_l2_lkup",
                        "",
                        "x3"});
  TraceOptions options;
  options.max_pipelines = 10;
  auto t = run_trace(snap, "ls1", kToVm3, options, {});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(has(*t, "trace stopped: more than 10 pipelines")) << *t;
}

}  // namespace
}  // namespace ovnx::trace
