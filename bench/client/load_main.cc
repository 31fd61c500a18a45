// ovnx-bench-client-load: time and memory of a full replica load of a database with our
// client library (every table, every column, typed NB binding), for bench/client/run.sh.
//
//   ovnx-bench-client-load REMOTE [nb|sb]
//
// Prints "rows=N seconds=S rss_kib_before=A rss_kib_after=B".
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "ovsdb/client/idl.h"
#include "ovsdb/client/nb.h"
#include "ovsdb/client/sb.h"

namespace client = ovnx::ovsdb::client;

namespace {

long rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s REMOTE [nb|sb]\n", argv[0]);
    return 2;
  }
  bool sb = argc > 2 && std::string(argv[2]) == "sb";
  auto binding = sb ? ovnx::sb::binding_ptr() : ovnx::nb::binding_ptr();
  long before = rss_kib();
  auto start = std::chrono::steady_clock::now();
  boost::asio::io_context io;
  client::IdlOptions options;
  options.remote = argv[1];
  client::Idl idl(io, binding, options);
  idl.monitor_all();
  idl.start();
  if (!client::run_until(
          io, [&] { return idl.is_synced() || idl.gave_up(); }, 600000) ||
      !idl.is_synced()) {
    std::fprintf(stderr, "not synced\n");
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t rows = 0;
  for (const auto& t : binding->tables()) rows += idl.replica().size(t.id);
  idl.replica().clear_tracked();
  long after = rss_kib();
  std::printf("rows=%zu seconds=%.3f rss_kib_before=%ld rss_kib_after=%ld\n", rows, seconds, before,
              after);
  return 0;
}
