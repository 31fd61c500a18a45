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
#include "northd/incremental.h"
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

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Times IncrementalCompiler::update() for `n` port additions (a new VIF on some switch, as
// lsp-add makes it) and `n` ACL additions (a new ACL on some port group), one at a time, and
// counts the logical-flow rows each touched.
std::string incremental_timings(ovnx::northd::nb::Snapshot nb, const ovnx::northd::SbState& sb,
                                unsigned threads, int n, bool port_scoped) {
  using namespace ovnx::northd;
  IncrementalCompiler ic({.threads = threads, .port_scoped = port_scoped});
  if (!ic.recompute(nb, sb).ok()) return "";
  ic.take_changes();
  std::vector<double> port_ms, acl_ms;
  size_t port_rows = 0, acl_rows = 0;
  std::vector<const nb::LogicalSwitch*> switches;
  for (const auto& [u, ls] : nb.logical_switches) switches.push_back(&ls);
  std::vector<const nb::PortGroup*> pgs;
  for (const auto& [u, pg] : nb.port_groups) pgs.push_back(&pg);
  uint64_t seq = 1;
  for (int i = 0; i < n; ++i) {
    const nb::LogicalSwitch* ls = switches[(i * 7919) % switches.size()];
    nb::LogicalSwitchPort lsp;
    lsp.uuid = ovnx::Uuid{0xbe7c400000000000ULL | seq, seq};
    lsp.name = fmt::format("bench-port-{}", seq);
    lsp.addresses = {fmt::format("0a:ee:00:00:{:02x}:{:02x} 10.250.{}.{}", seq >> 8, seq & 0xff,
                                 seq / 250, seq % 250 + 1)};
    ++seq;
    nb.logical_switch_ports[lsp.uuid] = lsp;
    nb.logical_switches[ls->uuid].ports.push_back(lsp.uuid);
    NbChanges c;
    c.logical_switch_ports.insert(lsp.uuid);
    c.logical_switches.insert(ls->uuid);
    c.switch_columns[ls->uuid] = {"ports"};
    auto t0 = std::chrono::steady_clock::now();
    auto r = ic.update(c);
    auto ch = ic.take_changes();
    port_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!r.ok() || !*r) return "";
    port_rows += ch.lflows.size();
  }
  for (int i = 0; i < n && !pgs.empty(); ++i) {
    const nb::PortGroup* pg = pgs[(i * 104729) % pgs.size()];
    nb::Acl acl;
    acl.uuid = ovnx::Uuid{0xac10000000000000ULL | seq, seq};
    ++seq;
    acl.priority = 1500;
    acl.direction = "to-lport";
    acl.action = "allow-related";
    acl.match = fmt::format("outport == @{} && tcp.dst == {}", pg->name, 10000 + i);
    nb.acls[acl.uuid] = acl;
    nb.port_groups[pg->uuid].acls.push_back(acl.uuid);
    NbChanges c;
    c.acls.insert(acl.uuid);
    c.port_groups.insert(pg->uuid);
    c.port_group_columns[pg->uuid] = {"acls"};
    auto t0 = std::chrono::steady_clock::now();
    auto r = ic.update(c);
    auto ch = ic.take_changes();
    acl_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!r.ok() || !*r) return "";
    acl_rows += ch.lflows.size();
  }
  return fmt::format(
      ", \"inc_port_add_ms_median\": {:.2f}, \"inc_port_add_lflows_touched\": {:.1f}, "
      "\"inc_acl_add_ms_median\": {:.2f}, \"inc_acl_add_lflows_touched\": {:.1f}",
      median(port_ms), double(port_rows) / n, median(acl_ms), double(acl_rows) / n);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"northd compiler full-recompute benchmark"};
  std::string nb_path, sb_path, text_path;
  int iterations = 5;
  int inc_edits = 0;
  bool whole_switch = false;
  unsigned threads = 0;
  app.add_option("--nb", nb_path, "NB dump (JSON, dump-db.py format)")->required();
  app.add_option("--sb", sb_path, "SB dump whose tunnel keys to keep");
  app.add_option("--iterations", iterations, "compiles to time");
  app.add_option("--threads", threads, "flow-build threads (0: all cores)");
  app.add_option("--text", text_path, "write our SB in canonical text here");
  app.add_option("--incremental", inc_edits,
                 "then time this many incremental port adds and ACL adds (each)");
  app.add_flag("--whole-switch", whole_switch,
               "incremental port adds redo the whole switch and its routers (as before port "
               "scoping), for comparison");
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
  std::string inc_json;
  if (inc_edits > 0) inc_json = incremental_timings(*nb, sb, threads, inc_edits, !whole_switch);
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
      "\"peak_rss_kib\": {}{}}}\n",
      ms[ms.size() / 2], ms[0], cpu_total_ms / ms.size(), threads, stats.topology_ms, stats.lflows_ms, stats.merge_ms,
      stats.tables_ms, stats.lflows_before_merge, content.logical_flows.size(), groups.size(),
      content.datapaths.size(), content.port_bindings.size(), content.multicast_groups.size(),
      content.address_sets.size(), content.port_groups.size(), peak_rss_kib(), inc_json);
  return 0;
}
