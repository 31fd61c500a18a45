// Micro-benchmarks of the client replica: applying a snapshot of N logical switch ports
// (the work of an initial load once the JSON is parsed), and an incremental modify.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "ovsdb/client/nb.h"
#include "ovsdb/client/replica.h"

namespace client = ovnx::ovsdb::client;
namespace json = boost::json;

namespace {

std::string uuid_text(int i) { return fmt::format("{:08x}-0000-4000-8000-{:012x}", i, i); }

json::value snapshot(int n) {
  json::object ports;
  for (int i = 0; i < n; ++i) {
    json::object row{
        {"name", fmt::format("lsp{}", i)},
        {"addresses", fmt::format("00:00:00:00:{:02x}:{:02x} 10.0.{}.{}", i / 256 % 256, i % 256,
                                  i / 256 % 256, i % 256)},
        {"external_ids", json::array{"map", json::array{json::array{"owner", "bench"}}}},
        {"enabled", true}};
    ports[uuid_text(i + 1)] = json::object{{"initial", std::move(row)}};
  }
  return json::object{{"Logical_Switch_Port", std::move(ports)}};
}

void BM_ReplicaInitialLoad(benchmark::State& state) {
  json::value updates = snapshot(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    client::Replica r(ovnx::nb::binding_ptr());
    r.set_tracking(false);
    if (!r.apply(updates, client::UpdateFormat::update2).ok()) state.SkipWithError("apply");
    benchmark::DoNotOptimize(r.size(ovnx::nb::LogicalSwitchPort::kTableId));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReplicaInitialLoad)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_ReplicaModifyOneColumn(benchmark::State& state) {
  client::Replica r(ovnx::nb::binding_ptr());
  (void)r.apply(snapshot(20000), client::UpdateFormat::update2);
  int i = 0;
  for (auto _ : state) {
    json::value u = json::object{
        {"Logical_Switch_Port",
         json::object{
             {uuid_text(i % 20000 + 1),
              json::object{{"modify",
                            json::object{{"up", json::array{"set", json::array{i % 2 == 0}}}}}}}}}};
    (void)r.apply(u, client::UpdateFormat::update2);
    if (++i % 1000 == 0) r.clear_tracked();
  }
}
BENCHMARK(BM_ReplicaModifyOneColumn);

}  // namespace

BENCHMARK_MAIN();
