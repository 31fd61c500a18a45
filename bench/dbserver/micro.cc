// Micro-benchmarks of the server's hot paths: executing an insert transaction, composing a
// monitor update, and writing a log record.
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>

#include "ovsdb/server/database.h"
#include "ovsdb/server/execution.h"
#include "ovsdb/server/monitor.h"
#include "ovsdb/server/storage.h"

namespace {

using namespace ovnx::ovsdb;
using namespace ovnx::ovsdb::server;

std::shared_ptr<const DatabaseSchema> nb_schema() {
  static auto s = *DatabaseSchema::from_file("/usr/share/ovn/ovn-nb.ovsschema");
  return s;
}

boost::json::array insert_port(int i) {
  return boost::json::parse(
             R"(["OVN_Northbound",{"op":"insert","table":"Logical_Switch_Port","uuid-name":"p","row":{"name":"p)" +
             std::to_string(i) +
             R"(","addresses":["set",["0a:00:00:00:00:01 10.0.0.1"]],"external_ids":["map",[["a","b"]]]}},
             {"op":"insert","table":"Logical_Switch","row":{"name":"s)" + std::to_string(i) +
             R"(","ports":["named-uuid","p"]}}])")
      .as_array();
}

void BM_ExecuteInsert(benchmark::State& state) {
  Database db(nb_schema());
  int i = 0;
  for (auto _ : state) {
    ExecuteParams p;
    p.db = &db;
    auto ops = insert_port(i++);
    benchmark::DoNotOptimize(execute_transaction(p, ops, 1));
  }
}
BENCHMARK(BM_ExecuteInsert);

void BM_ComposeUpdate(benchmark::State& state) {
  Database db(nb_schema());
  ExecuteParams p;
  p.db = &db;
  auto ops = insert_port(0);
  ChangeSetPtr changes = execute_transaction(p, ops, 1).committed;
  auto spec = parse_monitor_request(*db.find_table("Logical_Switch_Port"), boost::json::object(), true, true);
  auto shared = std::make_shared<const MonitorTableSpec>(std::move(*spec));
  for (auto _ : state) {
    UpdateCache cache(*changes);
    benchmark::DoNotOptimize(cache.table_update(*shared));
  }
}
BENCHMARK(BM_ComposeUpdate);

void BM_LogRecordText(benchmark::State& state) {
  Database db(nb_schema());
  ExecuteParams p;
  p.db = &db;
  auto ops = insert_port(0);
  ChangeSetPtr changes = execute_transaction(p, ops, 1).committed;
  for (auto _ : state) benchmark::DoNotOptimize(Storage::record_text(*changes));
}
BENCHMARK(BM_LogRecordText);

}  // namespace

BENCHMARK_MAIN();
