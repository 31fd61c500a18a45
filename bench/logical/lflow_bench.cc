// Compiling logical flows of the shapes northd emits: port security, L2 lookup, ACLs with
// address sets and port groups (conjunctive matches), routing, ARP responders, conntrack.
//
//   logical_bench --benchmark_filter=Northd   100,000 logical flows per iteration
//   logical_bench --benchmark_filter=Conj     1,000 addresses x 100 ports
//   logical_bench --dump-flows                the OpenFlow flows of the generated 100,000 logical
//                                             flows and of the real northd flows, as text, so a
//                                             speed change can be checked to give the same output
//
// Counters: lflows/s (items), openflow_flows per iteration, peak RSS.
#include <sys/resource.h>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "logical/compile.h"
#include "logical/lflow_list.h"
#include "openflow/format.h"

namespace ovnx::logical {
namespace {

struct Generated {
  MapResolver resolver;
  std::vector<std::string> matches;
  std::vector<std::string> actions;
  std::vector<uint8_t> tables;
  std::vector<bool> routers;
};

std::string mac(int i) {
  return fmt::format("0a:00:{:02x}:{:02x}:{:02x}:{:02x}", (i >> 24) & 0xff, (i >> 16) & 0xff,
                     (i >> 8) & 0xff, i & 0xff);
}
std::string ip(int i) { return fmt::format("10.{}.{}.{}", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff); }

// `n` logical flows for a datapath with 1,000 ports, 100 address sets of 20 addresses and 100
// port groups of 10 ports.
Generated generate(int n) {
  Generated g;
  for (int p = 0; p < 1000; p++) g.resolver.ports[fmt::format("lp{}", p)] = uint32_t(p + 1);
  g.resolver.ports["_MC_flood"] = 32768;
  for (int s = 0; s < 100; s++) {
    std::vector<std::string> addrs, ports;
    for (int a = 0; a < 20; a++) addrs.push_back(ip(s * 256 + a * 7 + 1));
    for (int p = 0; p < 10; p++) ports.push_back(fmt::format("lp{}", (s * 10 + p) % 1000));
    g.resolver.address_sets[fmt::format("as{}", s)] = ConstantSet::parse_addresses(addrs).value();
    g.resolver.port_groups[fmt::format("pg{}", s)] = ConstantSet::of_strings(ports);
  }
  for (int i = 0; i < n; i++) {
    int p = i % 1000;
    std::string m, a;
    uint8_t table = 0;
    bool router = false;
    switch (i % 20) {
      case 0: case 1: case 2:  // ingress port security (L2 and L3)
        m = fmt::format("inport == \"lp{}\" && eth.src == {{{}}} && ip4.src == {{{}}}", p, mac(p), ip(p));
        a = "next;";
        table = 1;
        break;
      case 3: case 4:  // ARP port security
        m = fmt::format("inport == \"lp{}\" && eth.src == {} && arp.sha == {} && arp.spa == {{{}}}", p,
                        mac(p), mac(p), ip(p));
        a = "next;";
        table = 2;
        break;
      case 5: case 6: case 7: case 8:  // L2 lookup
        m = fmt::format("eth.dst == {}", mac(i));
        a = fmt::format("outport = \"lp{}\"; output;", p);
        table = 25;
        break;
      case 9: case 10: case 11:  // ACL with address set and port group
        m = fmt::format("reg0[7] == 1 && (inport == @pg{} && ip4.src == $as{} && tcp.dst == {{22, 80, 443}})",
                        i % 100, (i / 3) % 100);
        a = "reg0[1] = 1; next;";
        table = 8;
        break;
      case 12:  // ACL with a port range
        m = fmt::format("reg0[8] == 1 && (outport == \"lp{}\" && ip4 && udp.dst >= 1000 && udp.dst <= {})", p,
                        1000 + (i % 5000));
        a = "next;";
        table = 4;
        break;
      case 13: case 14: case 15:  // routing
        m = fmt::format("ip4.dst == {}/24", ip(i << 8));
        a = fmt::format(
            "ip.ttl--; reg8[0..15] = 0; reg0 = ip4.dst; reg1 = {}; eth.src = {}; outport = \"lp{}\"; "
            "flags.loopback = 1; next;",
            ip((i << 8) + 1), mac(p), p);
        table = 13;
        router = true;
        break;
      case 16: case 17:  // ARP responder
        m = fmt::format("arp.tpa == {} && arp.op == 1", ip(i));
        a = fmt::format(
            "eth.dst = eth.src; eth.src = {}; arp.op = 2; arp.tha = arp.sha; arp.sha = {}; "
            "arp.tpa = arp.spa; arp.spa = {}; outport = inport; flags.loopback = 1; output;",
            mac(p), mac(p), ip(i));
        table = 19;
        break;
      case 18:  // conntrack
        m = "ip && reg0[0] == 1";
        a = "ct_next;";
        table = 6;
        break;
      default:  // stateful commit
        m = "reg0[1] == 1 && reg0[13] == 0";
        a = "ct_commit { ct_mark.blocked = 0; }; next;";
        table = 18;
        break;
    }
    g.matches.push_back(std::move(m));
    g.actions.push_back(std::move(a));
    g.tables.push_back(table);
    g.routers.push_back(router);
  }
  return g;
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

void BM_NorthdShapes(benchmark::State& state) {
  int n = int(state.range(0));
  Generated g = generate(n);
  SimpleGroupTable groups;
  size_t of_flows = 0;
  for (auto _ : state) {
    of_flows = 0;
    uint32_t conj = 1;
    for (int i = 0; i < n; i++) {
      CompileContext ctx;
      ctx.resolver = &g.resolver;
      ctx.datapath_key = 1;
      ctx.is_switch = !g.routers[i];
      ctx.groups = &groups;
      ctx.conj_id_base = conj;
      LogicalFlow lf;
      lf.table_id = g.tables[i];
      lf.priority = 100;
      lf.cookie = uint64_t(i);
      lf.match = g.matches[i];
      lf.actions = g.actions[i];
      auto out = compile_logical_flow(lf, ctx);
      if (!out.ok()) {
        state.SkipWithError(out.error().to_string().c_str());
        return;
      }
      conj += out->conj_ids_used;
      of_flows += out->flows.size();
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * n);
  state.counters["openflow_flows"] = double(of_flows);
  state.counters["lflows_per_s"] = benchmark::Counter(double(int64_t(state.iterations()) * n),
                                                      benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = double(peak_rss_kb()) / 1024;
}
BENCHMARK(BM_NorthdShapes)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3);
// A smaller run for profilers (valgrind --tool=callgrind).
BENCHMARK(BM_NorthdShapes)->Arg(5000)->Unit(benchmark::kMillisecond)->Iterations(1);

// One shape at a time (the generator's i % 20 class), to see where the time goes.
void BM_Shape(benchmark::State& state) {
  int shape = int(state.range(0));
  Generated all = generate(20000);
  std::vector<int> idx;
  for (int i = 0; i < 20000; i++) {
    if (i % 20 == shape) idx.push_back(i);
  }
  SimpleGroupTable groups;
  size_t of_flows = 0;
  for (auto _ : state) {
    of_flows = 0;
    for (int i : idx) {
      CompileContext ctx;
      ctx.resolver = &all.resolver;
      ctx.datapath_key = 1;
      ctx.is_switch = !all.routers[i];
      ctx.groups = &groups;
      LogicalFlow lf;
      lf.table_id = all.tables[i];
      lf.match = all.matches[i];
      lf.actions = all.actions[i];
      auto out = compile_logical_flow(lf, ctx);
      of_flows += out->flows.size();
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(idx.size()));
  state.counters["openflow_flows"] = double(of_flows) / double(idx.size());
}
BENCHMARK(BM_Shape)->DenseRange(0, 19, 1)->Unit(benchmark::kMillisecond);

// Parsing only (what a controller caches between address-set changes).
void BM_ParseOnly(benchmark::State& state) {
  Generated g = generate(20000);
  for (auto _ : state) {
    for (size_t i = 0; i < g.matches.size(); i++) {
      CompileContext ctx;
      ctx.resolver = &g.resolver;
      LogicalFlow lf;
      lf.match = g.matches[i];
      lf.actions = g.actions[i];
      auto parsed = parse_logical_flow(lf, ctx);
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(g.matches.size()));
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

// The 341 logical flows a real ovn-northd 23.03 wrote for the seed scenario with an ACL using an
// address set and a port group, a load balancer, DHCP and DNS (tests/fixtures/logical/
// seed-lflows.txt), compiled over and over: 100,000 logical flows of exactly northd's shapes.
std::vector<ListedFlow> load_real_flows() {
  const char* src = std::getenv("OVNX_SOURCE_DIR");
  std::ifstream in(std::string(src ? src : OVNX_SOURCE_DIR_DEFAULT) +
                   "/tests/fixtures/logical/seed-lflows.txt");
  return read_lflow_list(in);
}

// Ports, address sets and port groups of the seed scenario the real flows were taken from.
MapResolver real_flows_resolver() {
  MapResolver r;
  for (auto [n, k] : std::initializer_list<std::pair<const char*, uint32_t>>{
           {"ls1-node1-ns1", 1}, {"ls1-node2-ns1", 2}, {"ls1-lr1", 3}, {"ls1-unk", 4},
           {"ls2-node2-ns2", 1}, {"ls2-lr1", 2}, {"lr1-ls1", 1}, {"lr1-ls2", 2},
           {"_MC_flood", 32768}, {"_MC_unknown", 32769}, {"_MC_flood_l2", 32772}}) {
    r.ports[n] = k;
  }
  r.address_sets["svc_monitor_mac"] = ConstantSet::parse_addresses({"be:7d:18:15:e8:8d"}).value();
  r.address_sets["as1"] =
      ConstantSet::parse_addresses({"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.1.0.0/16"}).value();
  r.address_sets["pg1_ip4"] = ConstantSet::parse_addresses({"192.168.1.10", "192.168.1.20"}).value();
  r.address_sets["pg1_ip6"] = ConstantSet{};
  r.address_sets["_rtr_lb_3_ip4"] = ConstantSet::parse_addresses({"192.168.1.100"}).value();
  r.port_groups["pg1"] = ConstantSet::of_strings({"ls1-node1-ns1", "ls1-node2-ns1"});
  return r;
}

uint32_t real_flow_datapath_key(const ListedFlow& rf) {
  return rf.datapath == "lr1" ? 3 : rf.datapath == "ls2" ? 2 : 1;
}

CompileContext real_flow_context(const ListedFlow& rf, MapResolver& r, SimpleGroupTable& groups) {
  CompileContext ctx;
  ctx.resolver = &r;
  ctx.datapath_key = real_flow_datapath_key(rf);
  ctx.is_switch = rf.datapath != "lr1";
  ctx.groups = &groups;
  return ctx;
}

LogicalFlow real_logical_flow(const ListedFlow& rf) {
  LogicalFlow lf;
  lf.pipeline = rf.pipeline;
  lf.table_id = rf.table;
  lf.priority = rf.priority;
  lf.match = rf.match;
  lf.actions = rf.actions;
  return lf;
}

void BM_RealNorthdFlows(benchmark::State& state) {
  std::vector<ListedFlow> flows = load_real_flows();
  if (flows.size() < 300) {
    state.SkipWithError("cannot read tests/fixtures/logical/seed-lflows.txt");
    return;
  }
  MapResolver r = real_flows_resolver();
  SimpleGroupTable groups;
  const int n = 100000;
  size_t of_flows = 0;
  for (auto _ : state) {
    of_flows = 0;
    for (int i = 0; i < n; i++) {
      const ListedFlow& rf = flows[size_t(i) % flows.size()];
      CompileContext ctx = real_flow_context(rf, r, groups);
      LogicalFlow lf = real_logical_flow(rf);
      auto out = compile_logical_flow(lf, ctx);
      if (!out.ok()) {
        state.SkipWithError(out.error().to_string().c_str());
        return;
      }
      of_flows += out->flows.size();
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * n);
  state.counters["openflow_flows"] = double(of_flows);
  state.counters["peak_rss_MB"] = double(peak_rss_kb()) / 1024;
}
BENCHMARK(BM_RealNorthdFlows)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ConjunctionThousandByHundred(benchmark::State& state) {
  MapResolver r;
  std::vector<std::string> addrs, ports;
  for (int i = 0; i < 1000; i++) addrs.push_back(fmt::format("10.{}.{}.7", i / 250, i % 250));
  for (int i = 0; i < 100; i++) {
    ports.push_back(fmt::format("p{}", i));
    r.ports[fmt::format("p{}", i)] = uint32_t(3 * i + 1);
  }
  r.address_sets["as1000"] = ConstantSet::parse_addresses(addrs).value();
  r.port_groups["pg100"] = ConstantSet::of_strings(ports);
  size_t flows = 0;
  for (auto _ : state) {
    CompileContext ctx;
    ctx.resolver = &r;
    LogicalFlow lf;
    lf.table_id = 8;
    lf.match = "inport == @pg100 && ip4.src == $as1000 && tcp.dst == 22";
    lf.actions = "reg0[1] = 1; next;";
    auto out = compile_logical_flow(lf, ctx);
    if (!out.ok()) {
      state.SkipWithError(out.error().to_string().c_str());
      return;
    }
    flows = out->flows.size();
  }
  state.counters["openflow_flows"] = double(flows);
}
BENCHMARK(BM_ConjunctionThousandByHundred)->Unit(benchmark::kMillisecond);

// Prints every OpenFlow flow (or the error) of one logical flow, headed by its index; returns
// the conjunction ids it used.
uint32_t dump_compiled(size_t index, const LogicalFlow& lf, const CompileContext& ctx) {
  auto out = compile_logical_flow(lf, ctx);
  if (!out.ok()) {
    fmt::print("# {} error: {}\n", index, out.error().to_string());
    return 0;
  }
  fmt::print("# {} conj_ids={}\n", index, out->conj_ids_used);
  for (const auto& f : out->flows) fmt::print("{}\n", openflow::format_flow(f));
  return out->conj_ids_used;
}

// The flows BM_NorthdShapes/100000 and one round of BM_RealNorthdFlows compile, as text.
int dump_flows() {
  const int n = 100000;
  Generated g = generate(n);
  SimpleGroupTable groups;
  uint32_t conj = 1;
  for (int i = 0; i < n; i++) {
    CompileContext ctx;
    ctx.resolver = &g.resolver;
    ctx.datapath_key = 1;
    ctx.is_switch = !g.routers[size_t(i)];
    ctx.groups = &groups;
    ctx.conj_id_base = conj;
    LogicalFlow lf;
    lf.table_id = g.tables[size_t(i)];
    lf.priority = 100;
    lf.cookie = uint64_t(i);
    lf.match = g.matches[size_t(i)];
    lf.actions = g.actions[size_t(i)];
    conj += dump_compiled(size_t(i), lf, ctx);
  }
  std::vector<ListedFlow> flows = load_real_flows();
  MapResolver r = real_flows_resolver();
  for (size_t i = 0; i < flows.size(); i++) {
    const ListedFlow& rf = flows[i];
    CompileContext ctx = real_flow_context(rf, r, groups);
    LogicalFlow lf = real_logical_flow(rf);
    lf.cookie = i;
    dump_compiled(i, lf, ctx);
  }
  return 0;
}

}  // namespace
}  // namespace ovnx::logical

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--dump-flows") return ovnx::logical::dump_flows();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
