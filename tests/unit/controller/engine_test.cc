// The controller's DAG handles ordinary changes without recomputing: a new logical flow, a
// deleted one, a port bound on a new switch, an unrelated Southbound change.
#include <gtest/gtest.h>

#include <algorithm>

#include "controller/inc_proc.h"
#include "openflow/format.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/vswitch.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using test::OvsSnapshot;
using test::SbSnapshot;
using test::Snapshot;
using test::StrMap;

constexpr const char* kFlow1 = "f1000000-0000-4000-8000-000000000001";
constexpr const char* kFlow2 = "f2000000-0000-4000-8000-000000000002";
constexpr const char* kFlow3 = "f3000000-0000-4000-8000-000000000003";
constexpr const char* kLs1 = "d1000000-0000-4000-8000-000000000001";
constexpr const char* kLs2 = "d2000000-0000-4000-8000-000000000002";

struct EngineTest : ::testing::Test {
  ovsdb::client::Replica sb{sb::binding_ptr()};
  ovsdb::client::Replica ovs{vswitch::binding_ptr()};
  std::unique_ptr<SbIndexes> idx;
  FlowStore store;
  logical::SimpleGroupTable groups;
  logical::SimpleMeterTable meters;
  ControllerDag dag{store, groups, meters};

  void SetUp() override {
    SbSnapshot s;
    s.sb_global(0);
    s.chassis("hv1", "10.0.0.1");
    s.datapath(1, true, "ls1", kLs1);
    s.datapath(2, true, "ls2", kLs2);
    s.port(kLs1, "lp1", 1);
    s.port(kLs2, "lp2", 1);
    s.lflow(kLs1, "ingress", 0, 100, "inport == \"lp1\"", "next;", kFlow1);
    s.lflow(kLs2, "ingress", 0, 100, "inport == \"lp2\"", "next;", kFlow3);
    s.load(sb);
    idx = std::make_unique<SbIndexes>(sb);
    load_ovs(false);
    ASSERT_TRUE(dag.g.finalize().ok());
    dag.ovs.set_source(&ovs, "");
    dag.sb.set_source(&sb, idx.get());
    run();
  }
  void load_ovs(bool with_lp2) {
    OvsSnapshot o(StrMap{{"system-id", "hv1"}});
    o.iface("vif1", 1, {{"iface-id", "lp1"}});
    if (with_lp2) o.iface("vif2", 2, {{"iface-id", "lp2"}});
    o.bridge("br-int");
    o.load(ovs);
  }
  void run() {
    ASSERT_TRUE(dag.g.run().completed);
    sb.clear_tracked();
  }
  bool has_cookie(uint64_t cookie) const {
    bool found = false;
    store.for_each([&](const openflow::Flow& f) { found |= f.cookie == cookie; });
    return found;
  }
  static uint64_t cookie(const char* uuid) { return Uuid::parse(uuid)->prefix32(); }
  // A logical flow of ls1's ingress table 0, priority 90, tagged in_out_port=PORT.
  static void tagged_lflow(SbSnapshot& s, const char* uuid, const std::string& match,
                           const std::string& port) {
    s.row("Logical_Flow",
          {{"logical_datapath", Snapshot::ref(kLs1)},
           {"pipeline", Snapshot::str("ingress")},
           {"table_id", "0"},
           {"priority", "90"},
           {"match", Snapshot::str(match)},
           {"actions", Snapshot::str("next;")},
           {"tags", Snapshot::map({{"in_out_port", port}})}},
          uuid);
  }
};

TEST_F(EngineTest, InitialRunCompilesLocalDatapathsOnly) {
  EXPECT_TRUE(has_cookie(cookie(kFlow1)));
  EXPECT_FALSE(has_cookie(cookie(kFlow3)));  // ls2 has no local port
}

TEST_F(EngineTest, NewAndDeletedLogicalFlowsAreHandledIncrementally) {
  dag.g.clear_stats();
  SbSnapshot more;
  more.lflow(kLs1, "ingress", 1, 50, "ip4", "drop;", kFlow2);
  more.load(sb);
  run();
  EXPECT_TRUE(has_cookie(cookie(kFlow2)));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
  EXPECT_EQ(dag.lflow.stats().compute, 1u);
  EXPECT_EQ(dag.runtime.stats().recompute, 0u);
  EXPECT_EQ(dag.physical.stats().recompute, 0u);

  more.remove(sb, "Logical_Flow", kFlow1);
  run();
  EXPECT_FALSE(has_cookie(cookie(kFlow1)));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
}

TEST_F(EngineTest, BindingAPortMakesItsSwitchLocalIncrementally) {
  dag.g.clear_stats();
  load_ovs(true);
  run();
  EXPECT_TRUE(has_cookie(cookie(kFlow3)));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
  EXPECT_EQ(dag.lflow.stats().compute, 1u);
  EXPECT_TRUE(dag.runtime.data().state.is_local_datapath(2));
}

TEST_F(EngineTest, UnrelatedChangeRecomputesNothing) {
  dag.g.clear_stats();
  for (const sb::SBGlobal* g : sb::SBGlobal::rows(sb)) {
    SbSnapshot().modify(sb, "SB_Global", g->uuid().to_string(), {{"nb_cfg", "5"}});
  }
  run();
  for (const engine::NodeBase* n : dag.g.nodes()) {
    EXPECT_EQ(n->stats().recompute, 0u) << n->name();
  }
}

// A flow tagged in_out_port with a VIF bound elsewhere is skipped, as ovn-controller does; it
// is compiled (without a recompute) once that port is claimed by this chassis.
TEST_F(EngineTest, FlowsOfARemoteVifAreSkippedUntilItIsHere) {
  constexpr const char* kLp9 = "b9000000-0000-4000-8000-000000000009";
  constexpr const char* kTagged = "f9000000-0000-4000-8000-000000000009";
  dag.g.clear_stats();
  SbSnapshot more;
  more.port(kLs1, "lp9", 9, "", {}, "", {}, {}, kLp9);
  tagged_lflow(more, kTagged, "inport == \"lp9\" && ip4", "lp9");
  more.load(sb);
  run();
  EXPECT_FALSE(has_cookie(cookie(kTagged)));
  EXPECT_GT(dag.lflow.translator().stats().skipped, 0u);

  const sb::Chassis* hv1 = sb::Chassis::find_by_name(sb, "hv1");
  ASSERT_NE(hv1, nullptr);
  SbSnapshot().modify(sb, "Port_Binding", kLp9, {{"chassis", Snapshot::ref(hv1->uuid().to_string())}});
  run();
  EXPECT_TRUE(has_cookie(cookie(kTagged)));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
}

// So is a flow tagged with the port of a gateway router that lives on another chassis, until
// the router moves here.
TEST_F(EngineTest, FlowsOfAnotherChassisGatewayRouterPortAreSkipped) {
  constexpr const char* kGw = "b6000000-0000-4000-8000-000000000006";
  constexpr const char* kTagged = "f6000000-0000-4000-8000-000000000006";
  SbSnapshot more;
  more.port(kLs1, "ls1-gw", 6, "l3gateway", {{"l3gateway-chassis", "gw-chassis"}}, "", {}, {},
            kGw);
  tagged_lflow(more, kTagged, "inport == \"ls1-gw\" && ip4", "ls1-gw");
  more.load(sb);
  run();
  EXPECT_FALSE(has_cookie(cookie(kTagged)));

  dag.g.clear_stats();
  SbSnapshot().modify(sb, "Port_Binding", kGw,
                      {{"options", Snapshot::map({{"l3gateway-chassis", "hv1"}})}});
  run();
  EXPECT_TRUE(has_cookie(cookie(kTagged)));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
}

// A port group stands for its members that can be local here: a VIF bound elsewhere is left
// out of `outport == @pg`, and its flows appear (without a recompute) once it is bound here,
// and go again when it leaves.
TEST_F(EngineTest, PortGroupsListOnlyTheirLocalMembers) {
  constexpr const char* kLp7 = "b7000000-0000-4000-8000-000000000007";
  constexpr const char* kAcl = "f7000000-0000-4000-8000-000000000007";
  const sb::Chassis* hv1 = sb::Chassis::find_by_name(sb, "hv1");
  ASSERT_NE(hv1, nullptr);
  SbSnapshot more;
  std::string hv2 = more.chassis("hv2", "10.0.0.2");
  more.port(kLs1, "lp7", 2, "", {}, hv2, {}, {}, kLp7);
  more.row("Port_Group", {{"name", Snapshot::str("1_pg1")},
                          {"ports", Snapshot::strset({"lp1", "lp7"})}});
  more.lflow(kLs1, "egress", 4, 2002, "outport == @pg1 && ip4", "next;", kAcl);
  more.load(sb);
  run();
  auto outports = [&] {
    std::vector<std::string> out;
    store.for_each([&](const openflow::Flow& f) {
      if (f.cookie != cookie(kAcl)) return;
      std::string text = openflow::format_match(f.match);
      size_t at = text.find("reg15=");
      out.push_back(at == std::string::npos ? text : text.substr(at, text.find(',', at) - at));
    });
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(outports(), (std::vector<std::string>{"reg15=0x1"}));  // lp7 is on hv2

  dag.g.clear_stats();
  SbSnapshot().modify(sb, "Port_Binding", kLp7, {{"chassis", Snapshot::ref(hv1->uuid().to_string())}});
  run();
  EXPECT_EQ(outports(), (std::vector<std::string>{"reg15=0x1", "reg15=0x2"}));
  SbSnapshot().modify(sb, "Port_Binding", kLp7, {{"chassis", Snapshot::set({})}});
  run();
  EXPECT_EQ(outports(), (std::vector<std::string>{"reg15=0x1"}));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);

  // Its own binding here counts too, whatever the Southbound says yet.
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.iface("vif1", 1, {{"iface-id", "lp1"}});
  o.iface("vif7", 7, {{"iface-id", "lp7"}});
  o.bridge("br-int");
  o.load(ovs);
  run();
  EXPECT_EQ(outports(), (std::vector<std::string>{"reg15=0x1", "reg15=0x2"}));
  EXPECT_EQ(dag.lflow.stats().recompute, 0u);
}

// The Southbound echoing our own claim and `up` back (chassis, then up, of a port bound here)
// changes no flow: nothing is recompiled nor rebuilt, even for a flow tagged with that port.
TEST_F(EngineTest, ClaimAndUpOfALocalPortRecompileNothing) {
  constexpr const char* kTagged = "f8000000-0000-4000-8000-000000000008";
  SbSnapshot more;
  tagged_lflow(more, kTagged, "inport == \"lp1\" && ip4", "lp1");
  more.load(sb);
  run();
  ASSERT_TRUE(has_cookie(cookie(kTagged)));  // lp1 is bound here: not skipped

  const sb::Chassis* hv1 = sb::Chassis::find_by_name(sb, "hv1");
  ASSERT_NE(hv1, nullptr);
  const sb::PortBinding* lp1 = sb::PortBinding::find_by_logical_port(sb, "lp1");
  ASSERT_NE(lp1, nullptr);
  std::string lp1_uuid = lp1->uuid().to_string();
  dag.g.clear_stats();
  SbSnapshot().modify(sb, "Port_Binding", lp1_uuid,
                      {{"chassis", Snapshot::ref(hv1->uuid().to_string())}});
  run();
  EXPECT_TRUE(dag.runtime.data().state.binding("lp1")->claimed);
  EXPECT_EQ(dag.lflow.data().recompiled, 0u);
  EXPECT_EQ(dag.physical.data().rebuilt, 0u);
  SbSnapshot().modify(sb, "Port_Binding", lp1_uuid, {{"up", "true"}});
  run();
  EXPECT_EQ(dag.lflow.data().recompiled, 0u);
  EXPECT_EQ(dag.physical.data().rebuilt, 0u);
  EXPECT_TRUE(has_cookie(cookie(kTagged)));
  for (const engine::NodeBase* n : dag.g.nodes()) {
    if (n != &dag.runtime) {
      EXPECT_EQ(n->stats().recompute, 0u) << n->name();
    }
  }
}

}  // namespace
}  // namespace ovnx::controller
