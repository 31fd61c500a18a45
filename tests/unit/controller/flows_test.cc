// The flow store, and physical flows in cases the seed oracle does not cover (multicast over
// several chassis, vxlan tunnels, localports).
#include <algorithm>

#include <gtest/gtest.h>

#include "controller/ct_zones.h"
#include "controller/flow_store.h"
#include "controller/physical.h"
#include "controller/port_security.h"
#include "controller/of_util.h"
#include "openflow/format.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/vswitch.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using openflow::Flow;
using openflow::FlowKey;
using test::OvsSnapshot;
using test::SbSnapshot;
using test::StrMap;

Flow flow(uint8_t table, uint32_t reg0, openflow::ActionList actions, uint64_t cookie = 7) {
  Flow f = of::make_flow(table, 100, cookie);
  of::match_reg(f.match, 0, reg0);
  f.actions = std::move(actions);
  return f;
}

const Uuid kA{1, 1}, kB{1, 2};

TEST(FlowStore, OwnersReplaceTheirFlowsAndMarkOnlyWhatTheyTouch) {
  FlowStore s;
  s.set_owner_flows(kA, {flow(8, 1, {of::resubmit(9)}), flow(8, 2, {of::resubmit(9)})});
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.take_dirty().size(), 2u);
  s.set_owner_flows(kB, {flow(8, 3, {})});
  s.set_owner_flows(kA, {flow(8, 1, {of::resubmit(10)})});
  auto dirty = s.take_dirty();
  EXPECT_EQ(dirty.size(), 3u);  // kB's new flow, kA's changed and removed ones
  EXPECT_EQ(s.size(), 2u);
  auto f = s.desired(FlowKey::of(flow(8, 1, {})));
  ASSERT_TRUE(f);
  EXPECT_EQ(openflow::format_flow(*f), "cookie=0x7, table=8, priority=100,reg0=0x1 actions=resubmit(,10)");
  s.remove_owner(kA);
  EXPECT_EQ(s.size(), 1u);
  EXPECT_FALSE(s.desired(FlowKey::of(flow(8, 1, {}))));
  EXPECT_FALSE(s.has_owner(kA));
}

TEST(FlowStore, ConjunctionDimensionsOfSeveralOwnersMerge) {
  FlowStore s;
  s.set_owner_flows(kA, {flow(9, 1, {openflow::Conjunction{5, 0, 2}}, 0)});
  s.set_owner_flows(kB, {flow(9, 1, {openflow::Conjunction{8, 1, 2}}, 0)});
  EXPECT_EQ(s.size(), 1u);
  auto f = s.desired(FlowKey::of(flow(9, 1, {})));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->actions.size(), 2u);
  s.remove_owner(kA);
  f = s.desired(FlowKey::of(flow(9, 1, {})));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->actions.size(), 1u);
  EXPECT_EQ(std::get<openflow::Conjunction>(f->actions[0].variant()).id, 8u);
}

TEST(FlowStore, DuplicateIdentityLowestOwnerWins) {
  FlowStore s;
  s.set_owner_flows(kB, {flow(8, 1, {of::resubmit(11)})});
  s.set_owner_flows(kA, {flow(8, 1, {of::resubmit(12)})});
  auto f = s.desired(FlowKey::of(flow(8, 1, {})));
  ASSERT_TRUE(f);
  EXPECT_EQ(openflow::format_actions(f->actions), "resubmit(,12)");
  s.remove_owner(kA);
  EXPECT_EQ(openflow::format_actions(s.desired(FlowKey::of(flow(8, 1, {})))->actions),
            "resubmit(,11)");
}

// hv1 with lp1 on ls1; lp2 on hv2, lp3 on hv3 (vxlan only), localport lpl here.
struct Multi : ::testing::Test {
  ovsdb::client::Replica sb{sb::binding_ptr()};
  ovsdb::client::Replica ovs{vswitch::binding_ptr()};
  std::unique_ptr<SbIndexes> idx;
  BridgeState bridge;
  LocalState local;
  CtZones zones;

  void SetUp() override {
    SbSnapshot s;
    s.chassis("hv1", "10.0.0.1");
    std::string hv2 = s.chassis("hv2", "10.0.0.2");
    std::string hv3 = s.chassis("hv3", "10.0.0.3", "vxlan");
    std::string ls1 = s.datapath(5, true, "ls1");
    std::string p1 = s.port(ls1, "lp1", 1);
    std::string p2 = s.port(ls1, "lp2", 2, "", {}, hv2);
    std::string p3 = s.port(ls1, "lp3", 3, "", {}, hv3);
    std::string pl = s.port(ls1, "lpl", 4, "localport");
    s.mcgroup(ls1, "_MC_flood", 32768, {p1, p2, p3, pl}, "00000000-0000-4000-8000-00000000aaaa");
    s.load(sb);
    idx = std::make_unique<SbIndexes>(sb);
    OvsSnapshot o(StrMap{{"system-id", "hv1"}});
    o.iface("ovn-hv2-0", 10, {}, "geneve", {{"remote_ip", "10.0.0.2"}},
            {{"ovn-chassis-id", "hv2@10.0.0.2"}});
    o.iface("ovn-hv3-0", 11, {}, "vxlan", {{"remote_ip", "10.0.0.3"}},
            {{"ovn-chassis-id", "hv3@10.0.0.3"}});
    o.iface("vif1", 1, {{"iface-id", "lp1"}});
    o.iface("vifl", 2, {{"iface-id", "lpl"}});
    o.bridge("br-int");
    o.load(ovs);
    bridge = read_bridge_state(ovs, "br-int");
    local = compute_local_state({idx.get(), &bridge, "hv1", ""});
    zones = assign_ct_zones({}, needed_zone_names(local));
  }
  std::vector<std::string> table(uint8_t t) {
    std::vector<std::string> out;
    for (const Flow& f : build_physical_flows({idx.get(), &local, &zones, &bridge})) {
      if (f.table_id == t) out.push_back(openflow::format_flow(f));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static bool has(const std::vector<std::string>& v, const std::string& needle) {
    for (const auto& s : v) {
      if (s.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(Multi, MulticastCopiesGoToEveryRemoteChassisOnce) {
  auto t39 = table(39);
  EXPECT_TRUE(has(t39,
                  "table=39, priority=100,reg15=0x8000,metadata=0x5 "
                  "actions=set_field:0x5/0xffffff->tun_id,set_field:0x8000->tun_metadata0,"
                  "move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:10,"
                  "set_field:0x800005/0xffffff->tun_id,output:11,resubmit(,40)"))
      << ::testing::PrintToString(t39);
}

TEST_F(Multi, VxlanCarriesDatapathAndOutportInTheVni) {
  auto t39 = table(39);
  // lp3 (key 3) on datapath 5 through vxlan: VNI = 5 | 3 << 12.
  EXPECT_TRUE(has(t39, "reg15=0x3,metadata=0x5 actions=set_field:0x3005/0xffffff->tun_id,output:11"))
      << ::testing::PrintToString(t39);
  auto t0 = table(0);
  // As OVN 23.03 installs them.
  EXPECT_TRUE(has(t0, "priority=100,in_port=11 actions=move:NXM_NX_TUN_ID[12..23]->NXM_NX_REG15[0..11],"
                      "move:NXM_NX_TUN_ID[0..11]->OXM_OF_METADATA[0..11],resubmit(,40)"))
      << ::testing::PrintToString(t0);
  EXPECT_TRUE(has(t0, "priority=105,tun_id=0x800000/0x800000,in_port=11 "
                      "actions=set_field:0x8000/0x8000->reg15,"
                      "move:NXM_NX_TUN_ID[12..22]->NXM_NX_REG15[0..10],"
                      "move:NXM_NX_TUN_ID[0..11]->OXM_OF_METADATA[0..11],resubmit(,40)"))
      << ::testing::PrintToString(t0);
}

TEST_F(Multi, LocalportTrafficStaysLocal) {
  auto t39 = table(39);
  EXPECT_TRUE(has(t39, "table=39, priority=150,reg14=0x4,metadata=0x5 actions=resubmit(,40)"))
      << ::testing::PrintToString(t39);
  auto t65 = table(65);
  EXPECT_TRUE(has(t65, "reg15=0x4,metadata=0x5 actions=output:2"));
}

TEST(StaticFlows, DefaultsOfEveryPhysicalTable) {
  std::vector<std::string> got;
  for (const Flow& f : build_static_flows()) got.push_back(openflow::format_flow(f));
  std::vector<std::string> want{
      "priority=0 actions=drop",
      "table=37, priority=0 actions=resubmit(,39)",
      "table=38, priority=10,reg10=0x1/0x1 actions=resubmit(,40)",
      "table=38, priority=0 actions=resubmit(,39)",
      "table=39, priority=150,reg10=0x10/0x10 actions=resubmit(,40)",
      "table=39, priority=150,reg10=0x2/0x3 actions=resubmit(,40)",
      "table=39, priority=0 actions=resubmit(,40)",
      "table=40, priority=0 actions=drop",
      "table=41, priority=0 actions=set_field:0->reg0,set_field:0->reg1,set_field:0->reg2,"
      "set_field:0->reg3,set_field:0->reg4,set_field:0->reg5,set_field:0->reg6,"
      "set_field:0->reg7,set_field:0->reg8,set_field:0->reg9,resubmit(,42)",
      "table=64, priority=0 actions=resubmit(,65)",
      "table=65, priority=0 actions=drop",
  };
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace ovnx::controller

namespace ovnx::controller {
namespace {

// As ovn-controller: a port listing only IPv4 (or only IPv6) addresses still fails every other
// IPv4 and IPv6 destination in table 75 (priority 90, both families).
TEST(PortSecurity, OutputFailsOtherDestinationsOfBothFamilies) {
  for (const char* entry : {"0a:00:00:00:00:01 10.1.0.10", "0a:00:00:00:00:01 fd00::10"}) {
    ovsdb::client::Replica sb{sb::binding_ptr()};
    SbSnapshot s;
    std::string dp = s.datapath(1, true, "ls1");
    s.port(dp, "p1", 1, "", {}, "", {entry}, {entry});
    s.load(sb);
    std::vector<Flow> flows;
    for (const sb::PortBinding* pb : sb::PortBinding::rows(sb)) {
      add_port_security_flows(flows, *pb, 1);
    }
    std::vector<std::string> fail90;
    for (const Flow& f : flows) {
      if (f.table_id == ovn::kTableChkOutPortSec && f.priority == 90) {
        fail90.push_back(openflow::format_flow(f));
      }
    }
    ASSERT_EQ(fail90.size(), 2u) << entry;
    EXPECT_NE(fail90[0].find("ip,"), std::string::npos) << fail90[0];
    EXPECT_NE(fail90[1].find("ipv6,"), std::string::npos) << fail90[1];
  }
}

}  // namespace
}  // namespace ovnx::controller
