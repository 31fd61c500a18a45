// Pure computations over Open vSwitch and Southbound snapshots: configuration, bridge state,
// local datapaths and bindings, conntrack zones, tunnels.
#include <gtest/gtest.h>

#include <tuple>

#include "controller/bridge.h"
#include "controller/config.h"
#include "controller/ct_zones.h"
#include "controller/local_datapaths.h"
#include "controller/ovs_state.h"
#include "controller/tunnels.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/transaction.h"
#include "ovsdb/client/vswitch.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

using test::OvsSnapshot;
using test::SbSnapshot;
using test::StrMap;
using ovsdb::client::Replica;

const vswitch::OpenvSwitch* root_of(const Replica& r) {
  for (const auto* row : vswitch::OpenvSwitch::rows(r)) return row;
  return nullptr;
}

TEST(Config, ReadsTheOpenVswitchExternalIds) {
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o({{"system-id", "hv1"},
                 {"ovn-remote", "tcp:10.0.0.1:6642"},
                 {"ovn-encap-type", "geneve,vxlan"},
                 {"ovn-encap-ip", "10.0.0.2"},
                 {"ovn-bridge", "br-ovn"},
                 {"ovn-bridge-datapath-type", "netdev"},
                 {"hostname", "host-1"}});
  o.bridge("");
  o.load(ovs);
  ChassisConfig c = parse_config(*root_of(ovs), "");
  EXPECT_TRUE(c.complete());
  EXPECT_EQ(c.system_id, "hv1");
  EXPECT_EQ(c.hostname, "host-1");
  EXPECT_EQ(c.bridge, "br-ovn");
  EXPECT_EQ(c.datapath_type, "netdev");
  ASSERT_EQ(c.encap_types.size(), 2u);
  EXPECT_EQ(c.encap_types[0], EncapType::kGeneve);
  EXPECT_EQ(c.encap_types[1], EncapType::kVxlan);
  EXPECT_EQ(c.encap_ips, std::vector<std::string>{"10.0.0.2"});
  EXPECT_EQ(parse_config(*root_of(ovs), "other").system_id, "other");
}

TEST(Config, ProbeIntervals) {
  auto probes = [](const StrMap& ids) {
    Replica ovs(vswitch::binding_ptr());
    OvsSnapshot o(ids);
    o.bridge("");
    o.load(ovs);
    ChassisConfig c = parse_config(*root_of(ovs), "");
    return std::tuple(c.remote_probe_interval_ms, c.openflow_probe_interval_ms, c.problems.size());
  };
  auto [remote, openflow, problems] = probes({});
  EXPECT_EQ(remote, 5000);
  EXPECT_EQ(openflow, 5000);
  // ovn-openflow-probe-interval is in seconds, at least 5 unless 0 (no probes).
  EXPECT_EQ(std::get<1>(probes({{"ovn-openflow-probe-interval", "0"}})), 0);
  EXPECT_EQ(std::get<1>(probes({{"ovn-openflow-probe-interval", "2"}})), 5000);
  EXPECT_EQ(std::get<1>(probes({{"ovn-openflow-probe-interval", "60"}})), 60000);
  EXPECT_EQ(std::get<0>(probes({{"ovn-remote-probe-interval", "0"}})), 0);
  auto [r2, o2, p2] = probes({{"ovn-openflow-probe-interval", "often"}});
  EXPECT_EQ(o2, 5000);
  EXPECT_EQ(p2, problems + 1);
}

TEST(Config, ReportsWhatIsMissingOrWrong) {
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"ovn-encap-type", "stt"}, {"ovn-remote-probe-interval", "soon"}});
  o.bridge("");
  o.load(ovs);
  ChassisConfig c = parse_config(*root_of(ovs), "");
  EXPECT_FALSE(c.complete());
  EXPECT_EQ(c.bridge, "br-int");
  EXPECT_GE(c.problems.size(), 4u);  // system-id, remote, encap type, encap ip, probe
}

TEST(BridgeState, FindsVifsAndTunnels) {
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.iface("vif1", 5, {{"iface-id", "lp1"}, {"ovn-installed", "true"}});
  o.iface("vif2", -1, {{"iface-id", "lp2"}});
  o.iface("vif2b", 7, {{"iface-id", "lp2"}});  // the usable one wins
  o.iface("ovn-hv2-0", 3, {}, "geneve", {{"remote_ip", "10.0.0.3"}, {"csum", "true"}},
          {{"ovn-chassis-id", "hv2@10.0.0.3"}});
  o.iface("plain", 9, {});
  o.bridge("br-int", {{"ct-zone-lp1", "4"}});
  o.load(ovs);
  BridgeState b = read_bridge_state(ovs, "br-int");
  ASSERT_TRUE(b.exists);
  ASSERT_EQ(b.by_iface_id.size(), 2u);
  EXPECT_EQ(b.by_iface_id.at("lp1").ofport, 5);
  EXPECT_TRUE(b.by_iface_id.at("lp1").ovn_installed);
  EXPECT_EQ(b.by_iface_id.at("lp2").name, "vif2b");
  ASSERT_EQ(b.tunnels.size(), 1u);
  const TunnelPort* t = b.tunnel_to("hv2");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ofport, 3);
  EXPECT_EQ(t->remote_ip, "10.0.0.3");
  EXPECT_TRUE(t->csum);
  EXPECT_EQ(b.external_ids.at("ct-zone-lp1"), "4");
  EXPECT_FALSE(read_bridge_state(ovs, "br-other").exists);
}

TEST(BridgeState, AnInterfaceWithoutOpenFlowPortYetIsPendingNotFailed) {
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.iface("vif1", 0, {{"iface-id", "lp1"}});
  o.iface("vif2", -1, {{"iface-id", "lp2"}});
  o.bridge("br-int");
  o.load(ovs);
  BridgeState b = read_bridge_state(ovs, "br-int");
  EXPECT_EQ(b.by_iface_id.at("lp1").ofport, 0);
  EXPECT_EQ(b.by_iface_id.at("lp2").ofport, -1);
}

// The seed topology seen from hv1: ls1 (lp1 here, lp2 on hv2), lr1, ls2 (lp3 on hv2), and an
// unrelated switch ls9 that must not become local.
struct Topology {
  Replica sb{sb::binding_ptr()};
  SbSnapshot s;
  std::string ls1, ls2, lr1, ls9, hv1, hv2;
  std::unique_ptr<SbIndexes> idx;

  Topology() {
    hv1 = s.chassis("hv1", "10.0.0.1");
    hv2 = s.chassis("hv2", "10.0.0.2");
    ls1 = s.datapath(1, true, "ls1");
    ls2 = s.datapath(2, true, "ls2");
    lr1 = s.datapath(3, false, "lr1");
    ls9 = s.datapath(9, true, "ls9");
    s.port(ls1, "lp1", 1, "", {}, "", {"00:00:00:00:00:01 10.0.1.1"});
    s.port(ls1, "lp2", 2, "", {}, hv2);
    s.port(ls1, "ls1-lr1", 3, "patch", {{"peer", "lr1-ls1"}});
    s.port(lr1, "lr1-ls1", 1, "patch", {{"peer", "ls1-lr1"}});
    s.port(lr1, "lr1-ls2", 2, "patch", {{"peer", "ls2-lr1"}});
    s.port(ls2, "ls2-lr1", 1, "patch", {{"peer", "lr1-ls2"}});
    s.port(ls2, "lp3", 2, "", {}, hv2);
    s.port(ls9, "lp9", 1, "", {}, hv1);  // claimed by us, but no interface any more
    s.port(ls9, "lp-req", 2, "", {{"requested-chassis", "hv2"}});
  }
  void load() {
    s.load(sb);
    idx = std::make_unique<SbIndexes>(sb);
  }
};

TEST(LocalDatapaths, FollowsPatchPortsFromLocalPorts) {
  Topology t;
  t.load();
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.iface("vif1", 5, {{"iface-id", "lp1"}});
  o.iface("vifreq", 6, {{"iface-id", "lp-req"}});  // requested elsewhere: not bound
  o.iface("vifx", 7, {{"iface-id", "no-such-port"}});
  o.bridge("br-int");
  o.load(ovs);
  BridgeState b = read_bridge_state(ovs, "br-int");
  LocalState st = compute_local_state({t.idx.get(), &b, "hv1", "hv1"});
  ASSERT_EQ(st.bindings.size(), 1u);
  const LocalBinding* lp1 = st.binding("lp1");
  ASSERT_TRUE(lp1);
  EXPECT_EQ(lp1->ofport, 5);
  EXPECT_EQ(lp1->dp_key, 1u);
  EXPECT_EQ(lp1->port_key, 1u);
  EXPECT_FALSE(lp1->claimed);
  EXPECT_EQ(st.datapaths.size(), 3u);
  EXPECT_TRUE(st.datapaths.at(1).has_local_port);
  EXPECT_FALSE(st.datapaths.at(3).is_switch);
  EXPECT_FALSE(st.datapaths.at(2).has_local_port);
  EXPECT_FALSE(st.is_local_datapath(9));
  EXPECT_EQ(st.stale_claims, std::set<std::string>{"lp9"});
}

// An interface still waiting for its OpenFlow port is bound (claim and logical flows start
// while ovs-vswitchd creates it); one that failed is not.
TEST(LocalDatapaths, BindsAnInterfaceAwaitingItsOpenFlowPortButNotAFailedOne) {
  Topology t;
  t.load();
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.iface("vif1", 0, {{"iface-id", "lp1"}});
  o.iface("vif9", -1, {{"iface-id", "lp9"}});
  o.bridge("br-int");
  o.load(ovs);
  BridgeState b = read_bridge_state(ovs, "br-int");
  LocalState st = compute_local_state({t.idx.get(), &b, "hv1", "hv1"});
  ASSERT_EQ(st.bindings.size(), 1u);
  ASSERT_TRUE(st.binding("lp1"));
  EXPECT_EQ(st.binding("lp1")->ofport, 0);
  EXPECT_TRUE(st.is_local_datapath(1));
  EXPECT_FALSE(st.is_local_datapath(9));
  EXPECT_EQ(st.stale_claims, std::set<std::string>{"lp9"});
}

TEST(LocalDatapaths, NothingBoundNothingLocal) {
  Topology t;
  t.load();
  BridgeState b;
  b.exists = true;
  LocalState st = compute_local_state({t.idx.get(), &b, "hv3", ""});
  EXPECT_TRUE(st.bindings.empty());
  EXPECT_TRUE(st.datapaths.empty());
  EXPECT_TRUE(st.chassis.is_zero());
}

TEST(LocalDatapaths, RequestedChassisByNameOrHostname) {
  Topology t;
  t.load();
  const auto* pb = sb::PortBinding::find_by_logical_port(t.sb, "lp-req");
  ASSERT_TRUE(pb);
  EXPECT_TRUE(requested_here(*pb, "hv2", ""));
  EXPECT_FALSE(requested_here(*pb, "hv1", "hv1.example"));
  EXPECT_TRUE(requested_here(*sb::PortBinding::find_by_logical_port(t.sb, "lp1"), "hv1", ""));
}

TEST(CtZones, KeepsSavedZonesAndFillsTheLowestFree) {
  CtZones saved = zones_from_external_ids(
      {{"ct-zone-a", "1"}, {"ct-zone-b", "3"}, {"ct-zone-gone", "2"}, {"ct-zone-bad", "x"},
       {"ct-zone-dup", "3"}, {"other", "7"}});
  EXPECT_EQ(saved.zones.size(), 3u);
  CtZones z = assign_ct_zones(saved, {"a", "b", "c", "d"});
  EXPECT_EQ(z.get("a"), 1);
  EXPECT_EQ(z.get("b"), 3);
  EXPECT_EQ(z.get("c"), 2);  // freed by "gone"
  EXPECT_EQ(z.get("d"), 4);
  EXPECT_EQ(z.get("gone"), 0);
  EXPECT_EQ(z.zones.size(), 4u);
}

TEST(CtZones, SyncWritesOnlyWhatDiffersAndDropsStaleZones) {
  Replica ovs(vswitch::binding_ptr());
  OvsSnapshot o(StrMap{{"system-id", "hv1"}});
  o.bridge("br-int", {{"ct-zone-a", "1"},
                      {"ct-zone-b", "7"},
                      {"ct-zone-gone", "3"},
                      {"ct-zone-zz", "9"},
                      {"ct-zonex", "5"},
                      {"other", "x"}});
  o.load(ovs);
  BridgeState b = read_bridge_state(ovs, "br-int");
  ASSERT_TRUE(b.exists);
  CtZones zones;
  zones.zones = {{"a", 1}, {"b", 2}, {"c", 4}};
  ovsdb::client::Transaction txn(ovs);
  EXPECT_TRUE(sync_ct_zone_ids(txn, b, zones));
  const vswitch::Bridge* br = vswitch::Bridge::get(txn, b.uuid);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->external_ids().to_map(), (std::map<std::string, std::string>{
                                             {"ct-zone-a", "1"},
                                             {"ct-zone-b", "2"},
                                             {"ct-zone-c", "4"},
                                             {"ct-zonex", "5"},  // not a zone: no "ct-zone-" prefix
                                             {"other", "x"}}));

  // In sync already: nothing to write.
  zones.zones = {{"a", 1}, {"b", 7}, {"gone", 3}, {"zz", 9}};
  ovsdb::client::Transaction again(ovs);
  EXPECT_FALSE(sync_ct_zone_ids(again, b, zones));
  EXPECT_TRUE(again.empty());
}

TEST(CtZones, NeededNamesArePortsAndDatapathNatZones) {
  LocalState st;
  st.bindings["lp1"] = LocalBinding{};
  LocalDatapath dp;
  dp.uuid = *Uuid::parse("b4959bd5-32f7-40a4-a525-5e54362cfd63");
  st.datapaths[1] = dp;
  auto names = needed_zone_names(st);
  EXPECT_EQ(names, (std::set<std::string>{"lp1", "b4959bd5-32f7-40a4-a525-5e54362cfd63_dnat",
                                          "b4959bd5-32f7-40a4-a525-5e54362cfd63_snat"}));
}

TEST(Tunnels, OneTunnelPerRemoteChassisNamedLikeOvn) {
  Replica sb(sb::binding_ptr());
  SbSnapshot s;
  s.chassis("hv1", "10.0.0.1");
  s.chassis("verylongchassisname", "10.0.0.2");
  s.chassis("vtep-only", "10.0.0.3", "vxlan");
  s.chassis("verylongchassisother", "10.0.0.4");
  s.load(sb);
  ChassisConfig c;
  c.system_id = "hv1";
  c.encap_types = {EncapType::kGeneve};
  auto tunnels = desired_tunnels(sb, c, {});
  ASSERT_EQ(tunnels.size(), 2u);  // not to ourselves, not to a vxlan-only chassis
  std::set<std::string> names{tunnels[0].port_name, tunnels[1].port_name};
  EXPECT_EQ(names, (std::set<std::string>{"ovn-verylo-0", "ovn-verylo-1"}));
  for (const auto& t : tunnels) {
    EXPECT_EQ(t.type, "geneve");
    EXPECT_TRUE(t.csum);  // the remote Encap asks for checksums
    EXPECT_EQ(t.options().at("key"), "flow");
  }
  // With vxlan allowed too the vtep-only chassis gets a vxlan tunnel.
  c.encap_types = {EncapType::kGeneve, EncapType::kVxlan};
  tunnels = desired_tunnels(sb, c, {});
  ASSERT_EQ(tunnels.size(), 3u);
  for (const auto& t : tunnels) {
    if (t.chassis == "vtep-only") {
      EXPECT_EQ(t.type, "vxlan");
    }
  }
}

TEST(Tunnels, ExistingPortsKeepTheirNames) {
  Replica sb(sb::binding_ptr());
  SbSnapshot s;
  s.chassis("node1", "10.0.12.7");
  s.load(sb);
  ChassisConfig c;
  c.system_id = "node2";
  c.encap_types = {EncapType::kGeneve};
  std::map<std::string, TunnelPort> existing;
  TunnelPort p;
  p.port_name = "ovn-node1-7";
  p.chassis = "node1";
  p.remote_ip = "10.0.12.7";
  p.type = "geneve";
  p.csum = true;
  existing[p.port_name] = p;
  auto tunnels = desired_tunnels(sb, c, existing);
  ASSERT_EQ(tunnels.size(), 1u);
  EXPECT_EQ(tunnels[0].port_name, "ovn-node1-7");
  EXPECT_TRUE(tunnel_matches(p, tunnels[0]));
}

}  // namespace
}  // namespace ovnx::controller
