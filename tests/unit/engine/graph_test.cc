#include "engine/graph.h"

#include <gtest/gtest.h>

#include "example/example_dag.h"

namespace ovnx::engine {
namespace {

using example::EnConfig;
using example::EnFlows;
using example::EnPorts;
using example::EnVlanCount;
using example::ExampleDag;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dag_.g.finalize().ok());
    dag_.ports.set("p1", 10);
    dag_.ports.set("p2", 10);
    dag_.ports.set("p3", 20);
    ASSERT_TRUE(dag_.g.run().completed);
    dag_.g.clear_stats();
  }
  std::map<int, std::string> flows() const { return dag_.flows.data().by_vlan; }
  const NodeStats& stats(const NodeBase& n) const { return n.stats(); }

  ExampleDag dag_;
};

TEST_F(EngineTest, FirstRunRecomputesEverything) {
  ExampleDag fresh;
  ASSERT_TRUE(fresh.g.finalize().ok());
  fresh.ports.set("a", 1);
  ASSERT_TRUE(fresh.g.run().completed);
  EXPECT_EQ(fresh.count.stats().recompute, 1u);
  EXPECT_EQ(fresh.flows.stats().recompute, 1u);
  EXPECT_EQ(fresh.flows.data().by_vlan.at(1), "table=0,dl_vlan=1,ports=1");
  EXPECT_EQ(fresh.flows.reason(), "recomputed: first run");
  EXPECT_TRUE(fresh.g.has_run());
}

TEST_F(EngineTest, ChangeHandledWithoutRecompute) {
  dag_.ports.set("p4", 20);
  RunResult r = dag_.g.run();
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(stats(dag_.count).recompute, 0u);
  EXPECT_EQ(stats(dag_.count).compute, 1u);
  EXPECT_EQ(stats(dag_.flows).recompute, 0u);
  EXPECT_EQ(stats(dag_.flows).compute, 1u);
  EXPECT_EQ(dag_.count.recomputes, 1);  // only the initial run
  EXPECT_EQ(flows().at(20), "table=0,dl_vlan=20,ports=2");
  EXPECT_EQ(flows().at(10), "table=0,dl_vlan=10,ports=2");
  EXPECT_EQ(dag_.flows.state(), NodeState::updated);
  EXPECT_EQ(dag_.flows.reason(), "computed: handled changes of \"vlan_count\"");
}

TEST_F(EngineTest, RemovalAndUpdateHandledIncrementally) {
  dag_.ports.erase("p3");
  dag_.ports.set("p1", 30);
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.count).recompute, 0u);
  EXPECT_EQ(stats(dag_.flows).recompute, 0u);
  EXPECT_EQ(flows(), (std::map<int, std::string>{{10, "table=0,dl_vlan=10,ports=1"},
                                                 {30, "table=0,dl_vlan=30,ports=1"}}));
}

TEST_F(EngineTest, MissingHandlerTriggersRecompute) {
  dag_.config.set("table=8");
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.count).compute + stats(dag_.count).recompute, 0u);  // untouched
  EXPECT_EQ(dag_.count.state(), NodeState::unchanged);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);
  EXPECT_EQ(stats(dag_.flows).compute, 0u);
  EXPECT_EQ(dag_.flows.reason(), "recomputed: input \"config\" changed and has no change handler");
  EXPECT_EQ(flows().at(10), "table=8,dl_vlan=10,ports=2");
}

TEST_F(EngineTest, HandlerNotHandledTriggersRecompute) {
  dag_.count.refuse_incremental = true;
  dag_.ports.set("p9", 10);
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.count).recompute, 1u);
  EXPECT_EQ(stats(dag_.count).compute, 0u);
  EXPECT_EQ(dag_.count.reason(),
            "recomputed: handler for input \"ports\" could not handle its changes");
  // The dependent still gets its changes through its own handler.
  EXPECT_EQ(stats(dag_.flows).compute, 1u);
  EXPECT_EQ(flows().at(10), "table=0,dl_vlan=10,ports=3");
}

TEST_F(EngineTest, NoChangeComputesNothing) {
  ASSERT_TRUE(dag_.g.run().completed);
  for (NodeBase* n : dag_.g.nodes()) {
    EXPECT_EQ(n->stats().recompute + n->stats().compute, 0u) << n->name();
    EXPECT_EQ(n->state(), NodeState::unchanged) << n->name();
  }
  // Setting a value to what it already is, or adding and removing a key, is no change.
  dag_.config.set("table=0");
  dag_.ports.set("tmp", 5);
  dag_.ports.erase("tmp");
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(dag_.ports.state(), NodeState::unchanged);
  EXPECT_EQ(dag_.config.state(), NodeState::unchanged);
  EXPECT_EQ(stats(dag_.flows).recompute + stats(dag_.flows).compute, 0u);
}

TEST_F(EngineTest, HandledUnchangedStopsPropagation) {
  dag_.ports.set("p1", 20);  // 10:2 20:1 -> 10:1 20:2
  dag_.ports.set("p3", 10);  //            -> 10:2 20:1 again
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.count).compute, 1u);
  EXPECT_EQ(dag_.count.state(), NodeState::unchanged);
  EXPECT_EQ(dag_.flows.state(), NodeState::unchanged);
  EXPECT_EQ(dag_.flows.reason(), "no input changed");
  EXPECT_EQ(stats(dag_.flows).compute, 0u);
}

TEST_F(EngineTest, ForceRecompute) {
  dag_.g.force_recompute();
  EXPECT_TRUE(dag_.g.force_recompute_pending());
  ASSERT_TRUE(dag_.g.run().completed);
  for (NodeBase* n : dag_.g.nodes()) {
    EXPECT_EQ(n->stats().recompute, 1u) << n->name();
    EXPECT_EQ(n->reason(), "recomputed: forced recompute") << n->name();
  }
  EXPECT_FALSE(dag_.g.force_recompute_pending());
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);  // not again
}

TEST_F(EngineTest, CanceledForcedRunStaysForced) {
  dag_.g.force_recompute();
  RunResult r = dag_.g.run({.recompute_allowed = false});
  ASSERT_FALSE(r.completed);
  EXPECT_EQ(r.canceled_node, "vlan_count");  // input nodes may still reload
  EXPECT_TRUE(dag_.g.force_recompute_pending());
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_FALSE(dag_.g.force_recompute_pending());
  EXPECT_EQ(stats(dag_.count).recompute, 1u);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);
  EXPECT_EQ(flows().size(), 2u);
}

TEST_F(EngineTest, CancelWhenRecomputeNotAllowed) {
  dag_.config.set("table=9");
  RunResult r = dag_.g.run({.recompute_allowed = false});
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.canceled_node, "flows");
  EXPECT_FALSE(dag_.g.has_run());
  EXPECT_EQ(dag_.flows.state(), NodeState::canceled);
  EXPECT_EQ(stats(dag_.flows).cancel, 1u);
  EXPECT_EQ(stats(dag_.flows).recompute, 0u);
  EXPECT_TRUE(dag_.flows.pending_recompute());
  EXPECT_EQ(flows().at(10), "table=0,dl_vlan=10,ports=2");  // old data intact

  // The next run has no new input changes, but the canceled node still owes its recompute.
  r = dag_.g.run();
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);
  EXPECT_EQ(dag_.flows.reason(), "recomputed: pending after a canceled run");
  EXPECT_FALSE(dag_.flows.pending_recompute());
  EXPECT_EQ(flows().at(10), "table=9,dl_vlan=10,ports=2");
  EXPECT_TRUE(dag_.g.has_run());
}

TEST_F(EngineTest, CanceledRunDoesNotLoseIncrementalChanges) {
  // vlan_count handles the port change in the canceled run; its tracked changes are cleared at
  // the start of the next run, so flows must rebuild from full data rather than miss them.
  dag_.ports.set("p5", 40);
  dag_.config.set("table=1");
  RunResult r = dag_.g.run({.recompute_allowed = false});
  ASSERT_FALSE(r.completed);
  EXPECT_EQ(stats(dag_.count).compute, 1u);
  EXPECT_EQ(dag_.count.state(), NodeState::updated);
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(dag_.count.state(), NodeState::unchanged);
  EXPECT_EQ(flows().at(40), "table=1,dl_vlan=40,ports=1");
  EXPECT_EQ(flows().size(), 3u);
}

TEST_F(EngineTest, RecomputeMayCancelTheRun) {
  dag_.flows.cancel_next_recompute = true;
  dag_.config.set("table=2");
  RunResult r = dag_.g.run();
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.canceled_node, "flows");
  EXPECT_EQ(stats(dag_.flows).cancel, 1u);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(flows().at(20), "table=2,dl_vlan=20,ports=1");
}

TEST_F(EngineTest, CancelMarksDownstreamNodesThatMissedChanges) {
  // count is forced to recompute (handler refuses) but recompute is not allowed: the run stops
  // at count, and flows (not reached) is marked too because its input will be rebuilt.
  dag_.count.refuse_incremental = true;
  dag_.ports.set("p6", 60);
  RunResult r = dag_.g.run({.recompute_allowed = false});
  ASSERT_FALSE(r.completed);
  EXPECT_EQ(r.canceled_node, "vlan_count");
  EXPECT_EQ(dag_.flows.state(), NodeState::stale);
  EXPECT_TRUE(dag_.flows.pending_recompute());
  dag_.count.refuse_incremental = false;
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(stats(dag_.count).recompute, 1u);
  EXPECT_EQ(stats(dag_.flows).recompute, 1u);
  EXPECT_EQ(flows().at(60), "table=0,dl_vlan=60,ports=1");
}

TEST_F(EngineTest, StatsText) {
  dag_.ports.set("p7", 10);
  ASSERT_TRUE(dag_.g.run().completed);
  EXPECT_EQ(dag_.g.stats_text("flows"),
            "Node: flows\n"
            "- recompute:            0\n"
            "- compute:              1\n"
            "- abort:                0\n");
  EXPECT_EQ(dag_.g.stats_text("flows", "compute"), "1\n");
  EXPECT_EQ(dag_.g.stats_text("flows", "abort"), "0\n");
  EXPECT_EQ(dag_.g.stats_text("flows", "bogus"), "Invalid stat type : bogus\n");
  EXPECT_EQ(dag_.g.stats_text("nosuch"), "");
  std::string all = dag_.g.stats_text();
  EXPECT_EQ(all.find("Node: ports\n"), 0u);  // topological order
  EXPECT_NE(all.find("Node: config\n"), std::string::npos);
  EXPECT_LT(all.find("Node: vlan_count\n"), all.find("Node: flows\n"));
  dag_.g.clear_stats();
  EXPECT_EQ(dag_.g.stats_text("flows", "compute"), "0\n");
}

TEST_F(EngineTest, DotDump) {
  EXPECT_EQ(dag_.g.to_dot(),
            "digraph \"ovnx-engine\" {\n"
            "  rankdir=LR;\n"
            "  node [shape=box];\n"
            "  \"ports\";\n"
            "  \"config\";\n"
            "  \"vlan_count\";\n"
            "  \"flows\";\n"
            "  \"ports\" -> \"vlan_count\";\n"
            "  \"vlan_count\" -> \"flows\";\n"
            "  \"config\" -> \"flows\" [style=dashed];\n"
            "}\n");
}

TEST_F(EngineTest, StateText) {
  dag_.config.set("x");
  ASSERT_FALSE(dag_.g.run({.recompute_allowed = false}).completed);
  EXPECT_EQ(dag_.g.state_text(),
            "ports: unchanged - polled: no change\n"
            "config: updated - polled: changes\n"
            "vlan_count: unchanged - no input changed\n"
            "flows: canceled (recompute pending) - canceled: recompute not allowed (input "
            "\"config\" changed and has no change handler)\n");
}

TEST_F(EngineTest, LambdaHandler) {
  Graph g;
  auto& ports = g.add<EnPorts>();
  auto& count = g.add<EnVlanCount>();
  int calls = 0;
  g.connect(count, ports, [&calls](EnVlanCount& n, const TrackedMap<std::string, int>& p) {
    ++calls;
    return n.on_ports(p);
  });
  ASSERT_TRUE(g.finalize().ok());
  ASSERT_TRUE(g.run().completed);
  ports.set("a", 1);
  ASSERT_TRUE(g.run().completed);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(count.data().ports_per_vlan.at(1), 1);
}

// ---- wiring errors ----

class EnB;
class EnA final : public Node<int, EnB> {
 public:
  EnA() : Node("a") {}
  Computed recompute() override { return Computed::unchanged; }
};
class EnC final : public Node<int, EnA> {
 public:
  EnC() : Node("c") {}
  Computed recompute() override { return Computed::unchanged; }
};
class EnB final : public Node<int, EnC> {
 public:
  EnB() : Node("b") {}
  Computed recompute() override { return Computed::unchanged; }
};

TEST(EngineWiring, RunBeforeFinalizeIsRefused) {
  Graph g;
  g.add<EnPorts>();
  RunResult r = g.run();
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.reason, "the graph was not finalized");
  EXPECT_EQ(g.run_count(), 0u);
}

TEST(EngineWiring, CycleIsAnError) {
  Graph g;
  auto& a = g.add<EnA>();
  auto& b = g.add<EnB>();
  auto& c = g.add<EnC>();
  g.connect(a, b);  // data flows b -> a
  g.connect(b, c);
  g.connect(c, a);
  Status s = g.finalize();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().tag, "engine wiring error");
  EXPECT_EQ(s.error().details, "dependency cycle: c -> b -> a -> c");
  EXPECT_FALSE(g.finalized());
}

TEST(EngineWiring, UnconnectedDeclaredInputIsAnError) {
  Graph g;
  g.add<EnPorts>();
  g.add<EnVlanCount>();
  Status s = g.finalize();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details, "node \"vlan_count\" has a declared input that is not connected");
}

TEST(EngineWiring, DuplicateNamesAndDoubleConnectAreErrors) {
  Graph g;
  auto& p = g.add<EnPorts>();
  g.add<EnPorts>();
  auto& count = g.add<EnVlanCount>();
  g.connect(count, p, &EnVlanCount::on_ports);
  g.connect(count, p);
  Status s = g.finalize();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().details.find("input \"ports\" of node \"vlan_count\" connected twice"),
            std::string::npos);
  EXPECT_NE(s.error().details.find("duplicate node name \"ports\""), std::string::npos);
}

}  // namespace
}  // namespace ovnx::engine
