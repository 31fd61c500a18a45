// Full-recompute benchmark of the northd compiler on a database dump (see side-by-side.sh):
// loads an NB dump (and the SB tunnel keys in use, if given), compiles it `--iterations` times
// and prints one JSON object with the median/min compile time (wall clock), the mean CPU time
// (process CPU, so a busy machine does not skew it), phase timings, SB row counts and
// the process's peak resident memory. With --text, also writes our SB in canonical text so it
// can be diffed against the real ovn-northd's.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "northd/compiler.h"
#include "northd/db_json.h"
#include "northd/sb_text.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Peak resident set size in KiB (VmHWM).
long peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// CPU time of the whole process (all threads), in ms.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"northd compiler full-recompute benchmark"};
  std::string nb_path, sb_path, text_path;
  int iterations = 5;
  unsigned threads = 0;
  app.add_option("--nb", nb_path, "NB dump (JSON, dump-db.py format)")->required();
  app.add_option("--sb", sb_path, "SB dump whose tunnel keys to keep");
  app.add_option("--iterations", iterations, "compiles to time");
  app.add_option("--threads", threads, "flow-build threads (0: all cores)");
  app.add_option("--text", text_path, "write our SB in canonical text here");
  CLI11_PARSE(app, argc, argv);

  auto nb = ovnx::northd::load_nb_json(slurp(nb_path));
  if (!nb.ok()) {
    fmt::print(stderr, "{}: {}\n", nb_path, nb.error().to_string());
    return 1;
  }
  ovnx::northd::SbState sb;
  if (!sb_path.empty()) {
    auto st = ovnx::northd::load_sb_state_json(slurp(sb_path));
    if (!st.ok()) {
      fmt::print(stderr, "{}: {}\n", sb_path, st.error().to_string());
      return 1;
    }
    sb = std::move(*st);
  }

  std::vector<double> ms;
  double cpu_total_ms = 0;
  ovnx::northd::CompileStats stats;
  ovnx::northd::sb::Content content;
  for (int i = 0; i < std::max(1, iterations); ++i) {
    double cpu0 = cpu_ms();
    auto t0 = std::chrono::steady_clock::now();
    auto c = ovnx::northd::compile(*nb, sb, {.threads = threads}, &stats);
    auto t1 = std::chrono::steady_clock::now();
    cpu_total_ms += cpu_ms() - cpu0;
    if (!c.ok()) {
      fmt::print(stderr, "compile: {}\n", c.error().to_string());
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    content = std::move(*c);
  }
  std::sort(ms.begin(), ms.end());
  std::set<std::vector<ovnx::Uuid>> groups;
  for (const auto& lf : content.logical_flows) {
    if (lf.datapaths.size() > 1) groups.insert(lf.datapaths);
  }
  if (!text_path.empty()) std::ofstream(text_path) << ovnx::northd::sb_text(content);
  fmt::print(
      "{{\"compile_ms_median\": {:.1f}, \"compile_ms_min\": {:.1f}, \"cpu_ms_mean\": {:.1f}, "
      "\"threads\": {}, "
      "\"topology_ms\": {:.1f}, \"lflows_ms\": {:.1f}, \"merge_ms\": {:.1f}, "
      "\"tables_ms\": {:.1f}, \"lflows_before_merge\": {}, \"Logical_Flow\": {}, "
      "\"Logical_DP_Group\": {}, \"Datapath_Binding\": {}, \"Port_Binding\": {}, "
      "\"Multicast_Group\": {}, \"Address_Set\": {}, \"Port_Group\": {}, "
      "\"peak_rss_kib\": {}}}\n",
      ms[ms.size() / 2], ms[0], cpu_total_ms / ms.size(), threads, stats.topology_ms, stats.lflows_ms, stats.merge_ms,
      stats.tables_ms, stats.lflows_before_merge, content.logical_flows.size(), groups.size(),
      content.datapaths.size(), content.port_bindings.size(), content.multicast_groups.size(),
      content.address_sets.size(), content.port_groups.size(), peak_rss_kib());
  return 0;
}
