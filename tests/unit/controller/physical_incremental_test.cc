// The physical flows maintained incrementally (one unit per port and multicast group) equal a
// full computation after every step of a sequence of port additions, claims, remote bindings,
// releases and deletions — and no step needs the physical node to recompute.
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

constexpr const char* kCh1 = "c1000000-0000-4000-8000-000000000001";
constexpr const char* kCh2 = "c2000000-0000-4000-8000-000000000002";
constexpr const char* kLs1 = "d1000000-0000-4000-8000-000000000001";
constexpr const char* kLs2 = "d2000000-0000-4000-8000-000000000002";
constexpr const char* kLr1 = "d3000000-0000-4000-8000-000000000003";
constexpr const char* kLp1 = "b1000000-0000-4000-8000-000000000001";
constexpr const char* kLp2 = "b2000000-0000-4000-8000-000000000002";
constexpr const char* kLp3 = "b3000000-0000-4000-8000-000000000003";
constexpr const char* kLp4 = "b4000000-0000-4000-8000-000000000004";
constexpr const char* kLs1Lr1 = "b5000000-0000-4000-8000-000000000005";
constexpr const char* kLs2Lr1 = "b6000000-0000-4000-8000-000000000006";
constexpr const char* kMc1 = "e1000000-0000-4000-8000-000000000001";
constexpr const char* kMc2 = "e2000000-0000-4000-8000-000000000002";

struct PhysicalIncrementalTest : ::testing::Test {
  ovsdb::client::Replica sb{sb::binding_ptr()};
  ovsdb::client::Replica ovs{vswitch::binding_ptr()};
  std::unique_ptr<SbIndexes> idx;
  FlowStore store;
  logical::SimpleGroupTable groups;
  logical::SimpleMeterTable meters;
  ControllerDag dag{store, groups, meters};
  uint64_t physical_recomputes = 0;

  void SetUp() override {
    SbSnapshot s;
    s.sb_global(0);
    s.chassis("hv1", "10.0.0.1", "geneve", kCh1);
    s.chassis("hv2", "10.0.0.2", "geneve", kCh2);
    s.datapath(1, true, "ls1", kLs1);
    s.datapath(2, true, "ls2", kLs2);
    s.datapath(3, false, "lr1", kLr1);
    s.port(kLs1, "lp1", 1, "", {}, "", {"00:00:00:00:00:01 10.0.1.1"},
           {"00:00:00:00:00:01 10.0.1.1"}, kLp1);
    s.port(kLs1, "lp2", 2, "", {}, kCh2, {}, {}, kLp2);
    s.port(kLs1, "ls1-lr1", 3, "patch", {{"peer", "lr1-ls1"}}, "", {}, {}, kLs1Lr1);
    s.port(kLr1, "lr1-ls1", 1, "patch", {{"peer", "ls1-lr1"}});
    s.port(kLs2, "lp3", 1, "", {}, "", {}, {}, kLp3);
    s.port(kLs2, "ls2-lr1", 2, "patch", {{"peer", "lr1-ls2"}}, "", {}, {}, kLs2Lr1);
    s.port(kLr1, "lr1-ls2", 2, "patch", {{"peer", "ls2-lr1"}});
    s.mcgroup(kLs1, "_MC_flood", 32768, {kLp1, kLp2, kLs1Lr1}, kMc1);
    s.mcgroup(kLs2, "_MC_flood", 32768, {kLp3, kLs2Lr1}, kMc2);
    s.load(sb);
    idx = std::make_unique<SbIndexes>(sb);
    load_ovs(true, true);
    ASSERT_TRUE(dag.g.finalize().ok());
    dag.ovs.set_source(&ovs, "");
    dag.sb.set_source(&sb, idx.get());
    run();
    physical_recomputes = dag.physical.stats().recompute;
  }

  // vif1 carries lp1, vif4 lp4 (which may not exist yet), or no logical port at all; one
  // tunnel to hv2. Always the same rows (a reload keeps their uuids). VIF4_OFPORT 0: vif4 is
  // still being created.
  void load_ovs(bool vif1, bool vif4, int64_t vif4_ofport = 4) {
    OvsSnapshot o(StrMap{{"system-id", "hv1"}});
    o.iface("vif1", 1, {{"iface-id", vif1 ? "lp1" : "nowhere1"}});
    o.iface("vif4", vif4_ofport, {{"iface-id", vif4 ? "lp4" : "nowhere4"}});
    o.iface("ovn-hv2-0", 10, {}, "geneve", {{"remote_ip", "10.0.0.2"}},
            {{"ovn-chassis-id", "hv2@10.0.0.2"}});
    o.bridge("br-int");
    o.load(ovs);
  }
  void run() {
    ASSERT_TRUE(dag.g.run().completed);
    sb.clear_tracked();
  }
  void modify(const std::string& table, const std::string& uuid, const StrMap& columns) {
    Snapshot().modify(sb, table, uuid, columns);
  }

  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  std::vector<std::string> installed() const {
    std::vector<std::string> out;
    store.for_each([&](const openflow::Flow& f) { out.push_back(openflow::format_flow(f)); });
    return sorted(std::move(out));
  }
  std::vector<std::string> full_computation() const {
    PhysicalInputs in{idx.get(), &dag.runtime.data().state, &dag.ct_zones.data(),
                      &dag.ovs.data().bridge};
    std::vector<std::string> out;
    for (const openflow::Flow& f : build_physical_flows(in)) {
      out.push_back(openflow::format_flow(f));
    }
    return sorted(std::move(out));
  }

  // After an incremental run: the store (only physical flows: there are no logical flows)
  // equals the full computation, and equals what a forced recompute of the whole DAG leaves.
  void expect_incremental_equals_full(const std::string& step) {
    EXPECT_EQ(dag.physical.stats().recompute, physical_recomputes)
        << step << ": " << dag.physical.reason();
    std::vector<std::string> inc = installed();
    EXPECT_EQ(inc, full_computation()) << step;
    dag.g.force_recompute();
    run();
    EXPECT_EQ(installed(), inc) << step << " (forced recompute)";
    physical_recomputes = dag.physical.stats().recompute;
  }

  bool has_flow_containing(const std::string& text) const {
    for (const std::string& f : installed()) {
      if (f.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(PhysicalIncrementalTest, SequenceOfPortChangesMatchesFullComputation) {
  expect_incremental_equals_full("initial");
  EXPECT_TRUE(has_flow_containing("in_port=1 "));  // lp1's VIF enters its pipeline

  // A new port whose interface already exists, and its flood group membership.
  SbSnapshot more;
  more.port(kLs2, "lp4", 3, "", {}, "", {}, {}, kLp4);
  more.load(sb);
  modify("Multicast_Group", kMc2, {{"ports", Snapshot::ref(kLp4)}});
  run();
  expect_incremental_equals_full("lp4 added");
  EXPECT_TRUE(has_flow_containing("in_port=4 "));

  modify("Port_Binding", kLp1, {{"chassis", Snapshot::ref(kCh1)}});
  run();
  expect_incremental_equals_full("lp1 claimed");

  modify("Port_Binding", kLp3, {{"chassis", Snapshot::ref(kCh2)}});
  run();
  expect_incremental_equals_full("lp3 bound on hv2");

  modify("Port_Binding", kLp2, {{"chassis", Snapshot::ref(kCh2)}});  // toggles it off
  run();
  expect_incremental_equals_full("lp2 released by hv2");

  load_ovs(false, true);
  run();
  expect_incremental_equals_full("vif1 removed");
  EXPECT_FALSE(has_flow_containing("in_port=1 "));

  modify("Port_Binding", kLp1, {{"chassis", Snapshot::ref(kCh1)}});
  run();
  expect_incremental_equals_full("lp1 claim cleared");

  Snapshot().remove(sb, "Port_Binding", kLp4);
  modify("Multicast_Group", kMc2, {{"ports", Snapshot::ref(kLp4)}});
  run();
  expect_incremental_equals_full("lp4 deleted");
  EXPECT_FALSE(has_flow_containing("in_port=4 "));

  load_ovs(false, false);
  run();
  expect_incremental_equals_full("no local port left");
  EXPECT_TRUE(dag.runtime.data().state.datapaths.empty());

  load_ovs(true, false);
  run();
  expect_incremental_equals_full("vif1 back");
  EXPECT_TRUE(dag.runtime.data().state.is_local_datapath(2));  // through lr1's patch ports
}

// A port is bound while ovs-vswitchd creates its interface; only its VIF flows wait for the
// OpenFlow port.
TEST_F(PhysicalIncrementalTest, APortAwaitingItsOpenFlowPortGetsItsVifFlowsOnceItHasOne) {
  load_ovs(true, true, 0);
  SbSnapshot more;
  more.port(kLs2, "lp4", 3, "", {}, "", {}, {}, kLp4);
  more.load(sb);
  run();
  expect_incremental_equals_full("lp4 awaiting its OpenFlow port");
  ASSERT_TRUE(dag.runtime.data().state.binding("lp4"));
  EXPECT_FALSE(has_flow_containing("in_port=4 "));

  load_ovs(true, true, 4);
  run();
  expect_incremental_equals_full("lp4's OpenFlow port assigned");
  EXPECT_TRUE(has_flow_containing("in_port=4 "));
}

TEST_F(PhysicalIncrementalTest, OnePortChangeRebuildsOnlyItsUnits) {
  modify("Port_Binding", kLp1, {{"chassis", Snapshot::ref(kCh1)}});
  run();
  // lp1 (runtime: now claimed; sb: its row) and ls1's flood group.
  EXPECT_LE(dag.physical.data().rebuilt, 2u);
  EXPECT_EQ(dag.physical.stats().recompute, physical_recomputes);
}

}  // namespace
}  // namespace ovnx::controller
