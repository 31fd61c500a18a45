// Oracle test: the seed scenario's node2 as the real OVN 23.03 left it (the Southbound content
// and `ovs-ofctl dump-flows br-int` captured from /work/shared/reference/real-ovn-seed-demo.sh,
// plus a port with IP port security and two MAC bindings), rebuilt through the controller's
// engine. The physical tables must equal the real ovn-controller's flow for flow; the logical
// tables are compared too and every difference is printed.
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "controller/inc_proc.h"
#include "controller/physical.h"
#include "openflow/format.h"
#include "ovsdb/client/sb.h"
#include "ovsdb/client/vswitch.h"
#include "snapshot.h"

namespace ovnx::controller {
namespace {

namespace json = boost::json;
using test::OvsSnapshot;
using test::StrMap;

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(OVNX_TEST_SOURCE_DIR) + "/tests/unit/controller/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_physical_table(int t) { return t == 0 || (t >= 37 && t <= 41) || t >= 64; }

int table_of(const std::string& line) {
  size_t p = line.find("table=");
  return p == std::string::npos ? 0 : std::stoi(line.substr(p + 6));
}

struct SeedNode2 : ::testing::Test {
  ovsdb::client::Replica sb{sb::binding_ptr()};
  ovsdb::client::Replica ovs{vswitch::binding_ptr()};
  std::unique_ptr<SbIndexes> indexes;
  FlowStore store;
  logical::SimpleGroupTable groups;
  logical::SimpleMeterTable meters;
  ControllerDag dag{store, groups, meters};

  void SetUp() override {
    Status st = sb.apply(json::parse(read_file("seed-node2-sb.json")),
                         ovsdb::client::UpdateFormat::update2);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    indexes = std::make_unique<SbIndexes>(sb);

    OvsSnapshot o({{"system-id", "node2"},
                   {"ovn-remote", "tcp:10.0.12.7:6642"},
                   {"ovn-encap-type", "geneve"},
                   {"ovn-encap-ip", "10.0.12.11"},
                   {"ovn-bridge-datapath-type", "netdev"}});
    o.iface("ovn-node1-0", 1, {}, "geneve",
            {{"csum", "true"}, {"key", "flow"}, {"remote_ip", "10.0.12.7"}},
            {{"ovn-chassis-id", "node1@10.0.12.7"}});
    o.iface("ctlrefv21", 2, {{"iface-id", "ls1-node2-ns1"}});
    o.iface("ctlrefv22", 3, {{"iface-id", "ls2-node2-ns2"}});
    o.iface("pstest", 4, {{"iface-id", "pstest"}}, "internal");
    StrMap ids;
    json::value bridge_ids = json::parse(read_file("seed-node2-bridge-ids.json"));
    for (const auto& kv : bridge_ids.as_object()) {
      ids[std::string(kv.key())] = std::string(kv.value().as_string());
    }
    o.bridge("br-int", ids);
    o.load(ovs);

    ASSERT_TRUE(dag.g.finalize().ok());
    dag.ovs.set_source(&ovs, "");
    dag.sb.set_source(&sb, indexes.get());
    ASSERT_TRUE(dag.g.run().completed);
    sb.clear_tracked();
  }

  std::set<std::string> ours(bool physical) const {
    std::set<std::string> out;
    store.for_each([&](const openflow::Flow& f) {
      if (is_physical_table(f.table_id) == physical) out.insert(openflow::format_flow(f));
    });
    return out;
  }
  static std::set<std::string> reference(bool physical) {
    std::set<std::string> out;
    std::istringstream in(read_file("seed-node2-flows.txt"));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      if (is_physical_table(table_of(line)) == physical) out.insert(line);
    }
    return out;
  }
  static std::string diff(const std::set<std::string>& want, const std::set<std::string>& got) {
    std::string out;
    for (const auto& l : want) {
      if (!got.count(l)) out += "  missing: " + l + "\n";
    }
    for (const auto& l : got) {
      if (!want.count(l)) out += "  extra:   " + l + "\n";
    }
    return out;
  }
};

TEST_F(SeedNode2, LocalStateMatchesTheRealChassis) {
  const LocalState& st = dag.runtime.data().state;
  EXPECT_EQ(st.bindings.size(), 3u);
  EXPECT_TRUE(st.binding("ls1-node2-ns1"));
  EXPECT_TRUE(st.binding("pstest"));
  EXPECT_EQ(st.datapaths.size(), 3u);  // ls1 and ls2 with ports, lr1 through the patches
  EXPECT_FALSE(st.datapaths.at(3).has_local_port);
  EXPECT_FALSE(st.datapaths.at(3).is_switch);
  // The zones the real ovn-controller saved are adopted as they are.
  EXPECT_EQ(dag.ct_zones.data().port_zone("pstest"), 9);
  EXPECT_EQ(dag.ct_zones.data().port_zone("ls1-node2-ns1"), 4);
}

TEST_F(SeedNode2, PhysicalTablesEqualTheRealOvnController) {
  auto want = reference(true), got = ours(true);
  EXPECT_EQ(want, got) << diff(want, got);
}

TEST_F(SeedNode2, LogicalTablesEqualTheRealOvnController) {
  auto want = reference(false), got = ours(false);
  std::string d = diff(want, got);
  // Every logical flow compiles, and the flows are (nearly) the real ones: the compiler may
  // merge adjacent values into fewer flows, format a few actions differently or add a flow of
  // its own; such differences are listed, and must stay few.
  EXPECT_EQ(dag.lflow.translator().stats().errors, 0u);
  EXPECT_LE(got.size(), want.size() + want.size() / 50) << d;
  if (!d.empty()) std::cout << "logical table differences:\n" << d;
}

}  // namespace
}  // namespace ovnx::controller
