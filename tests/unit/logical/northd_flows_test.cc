// Every logical flow the real ovn-northd 23.03 wrote, for the seed scenario and for a generated
// topology (tests/fixtures/logical/gen-northd-lflows.sh), parses, formats back to text that
// parses to the same expression, and compiles against the Southbound state it refers to into
// OpenFlow flows of the right table and datapath.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "logical/compile.h"
#include "logical/encoder.h"
#include "logical/lflow_list.h"

namespace ovnx::logical {
namespace {

std::string fixture(const std::string& name) {
  const char* src = std::getenv("OVNX_SOURCE_DIR");
  return std::string(src ? src : OVNX_SOURCE_DIR_DEFAULT) + "/tests/fixtures/logical/" + name;
}

std::vector<ListedFlow> load_lflows(const std::string& path) {
  std::ifstream in(path);
  return read_lflow_list(in);
}

// The Southbound state of one datapath, as ovn-controller resolves names for its flows: its
// own ports and multicast groups, all address sets, and its port groups ("<key>_<name>" in
// the Southbound database, `@name` in the flows).
struct SbState {
  std::map<std::string, uint32_t> datapath_keys;
  std::map<std::string, MapResolver> resolvers;
};

SbState load_sb(const std::string& path) {
  SbState sb;
  std::ifstream in(path);
  std::string line;
  std::map<std::string, ConstantSet> address_sets;
  std::map<std::string, std::vector<std::string>> port_groups;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string kind, name;
    words >> kind;
    if (kind == "datapath") {
      uint32_t key = 0;
      words >> name >> key;
      sb.datapath_keys[name] = key;
    } else if (kind == "port" || kind == "mcast") {
      std::string dp;
      uint32_t key = 0;
      words >> dp >> name >> key;
      sb.resolvers[dp].ports[name] = key;
    } else if (kind == "address_set" || kind == "port_group") {
      words >> name;
      std::vector<std::string> items;
      for (std::string w; words >> w;) items.push_back(w);
      if (kind == "port_group") {
        port_groups[name] = items;
      } else {
        auto set = ConstantSet::parse_addresses(items);
        EXPECT_TRUE(set.ok()) << line;
        if (set.ok()) address_sets[name] = std::move(set).value();
      }
    }
  }
  for (auto& [dp, key] : sb.datapath_keys) {
    MapResolver& r = sb.resolvers[dp];
    r.address_sets.insert(address_sets.begin(), address_sets.end());
    std::string prefix = std::to_string(key) + "_";
    for (const auto& [name, ports] : port_groups) {
      if (name.starts_with(prefix)) {
        r.port_groups[name.substr(prefix.size())] = ConstantSet::of_strings(ports);
      }
    }
  }
  return sb;
}

// Compiles every flow; returns the number of OpenFlow flows.
size_t compile_all(const std::vector<ListedFlow>& flows, const SbState& sb,
                   const std::string& file) {
  SimpleGroupTable groups;
  SimpleMeterTable meters;
  size_t of_flows = 0;
  uint32_t conj = 1;
  for (const ListedFlow& nf : flows) {
    SCOPED_TRACE(file + ":" + std::to_string(nf.line));
    auto key = sb.datapath_keys.find(nf.datapath);
    auto resolver = sb.resolvers.find(nf.datapath);
    if (key == sb.datapath_keys.end() || resolver == sb.resolvers.end()) {
      ADD_FAILURE() << "unknown datapath " << nf.datapath;
      continue;
    }
    // The match survives formatting: format(parse(text)) parses to the same expression.
    auto parsed = parse_expr(nf.match, ovn_symbol_table(), &resolver->second);
    if (!parsed.ok()) {
      ADD_FAILURE() << nf.match << ": " << parsed.error().to_string();
      continue;
    }
    std::string text = format_expr(*parsed);
    auto again = parse_expr(text, ovn_symbol_table(), &resolver->second);
    if (!again.ok()) {
      ADD_FAILURE() << text << ": " << again.error().to_string();
      continue;
    }
    EXPECT_EQ(format_expr(*again), text) << nf.match;

    CompileContext ctx;
    ctx.resolver = &resolver->second;
    ctx.datapath_key = key->second;
    ctx.is_switch = !nf.stage.starts_with("lr_");
    ctx.groups = &groups;
    ctx.meters = &meters;
    ctx.conj_id_base = conj;
    LogicalFlow lf;
    lf.pipeline = nf.pipeline;
    lf.table_id = nf.table;
    lf.priority = nf.priority;
    lf.cookie = uint64_t(nf.line);
    lf.match = nf.match;
    lf.actions = nf.actions;
    auto out = compile_logical_flow(lf, ctx);
    if (!out.ok()) {
      ADD_FAILURE() << nf.match << " | " << nf.actions << ": " << out.error().to_string();
      continue;
    }
    conj += out->conj_ids_used;
    of_flows += out->flows.size();
    for (const openflow::Flow& f : out->flows) {
      EXPECT_EQ(f.table_id, Encoder::of_table(nf.pipeline, nf.table));
      EXPECT_EQ(f.priority, nf.priority);
      const openflow::FieldMatch* md = f.match.find(openflow::Field::metadata);
      EXPECT_TRUE(md && md->value == openflow::U128(key->second)) << nf.match;
    }
  }
  return of_flows;
}

TEST(NorthdFlows, GeneratedTopologyCompiles) {
  std::vector<ListedFlow> flows = load_lflows(fixture("northd-gen-lflows.txt"));
  SbState sb = load_sb(fixture("northd-gen-sb.txt"));
  ASSERT_GT(flows.size(), 1000u);
  ASSERT_EQ(sb.datapath_keys.size(), 8u);
  size_t of_flows = compile_all(flows, sb, "northd-gen-lflows.txt");
  EXPECT_GT(of_flows, flows.size());
  RecordProperty("logical_flows", int(flows.size()));
  RecordProperty("openflow_flows", int(of_flows));
}

TEST(NorthdFlows, SeedScenarioCompiles) {
  std::vector<ListedFlow> flows = load_lflows(fixture("seed-lflows.txt"));
  ASSERT_GT(flows.size(), 300u);
  SbState sb;
  sb.datapath_keys = {{"ls1", 1}, {"ls2", 2}, {"lr1", 3}};
  MapResolver common;
  common.address_sets["svc_monitor_mac"] =
      ConstantSet::parse_addresses({"be:7d:18:15:e8:8d"}).value();
  common.address_sets["as1"] =
      ConstantSet::parse_addresses({"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.1.0.0/16"}).value();
  common.address_sets["pg1_ip4"] =
      ConstantSet::parse_addresses({"192.168.1.10", "192.168.1.20"}).value();
  common.address_sets["pg1_ip6"] = ConstantSet{};
  common.address_sets["_rtr_lb_3_ip4"] = ConstantSet::parse_addresses({"192.168.1.100"}).value();
  common.port_groups["pg1"] = ConstantSet::of_strings({"ls1-node1-ns1", "ls1-node2-ns1"});
  common.resident["ls1-node1-ns1"] = true;
  for (const char* dp : {"ls1", "ls2", "lr1"}) sb.resolvers[dp] = common;
  sb.resolvers["ls1"].ports = {{"ls1-node1-ns1", 1}, {"ls1-node2-ns1", 2}, {"ls1-lr1", 3},
                               {"ls1-unk", 4},       {"_MC_flood", 32768}, {"_MC_unknown", 32769},
                               {"_MC_flood_l2", 32772}};
  sb.resolvers["ls2"].ports = {
      {"ls2-node2-ns2", 1}, {"ls2-lr1", 2}, {"_MC_flood", 32768}, {"_MC_flood_l2", 32772}};
  sb.resolvers["lr1"].ports = {{"lr1-ls1", 1}, {"lr1-ls2", 2}};
  size_t of_flows = compile_all(flows, sb, "seed-lflows.txt");
  EXPECT_GT(of_flows, flows.size());
}

}  // namespace
}  // namespace ovnx::logical
