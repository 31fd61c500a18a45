// ovnx-trace: traces a packet through the logical pipelines of the Southbound database, as
// ovn-trace(8). See src/trace; this file only reads the command line.
//
//   ovnx-trace [--db=SERVER] [--detailed] [--summary] [--minimal] [--all] [--ct=FLAGS]...
//              [--select-id=ID] [-t SECS] DATAPATH MICROFLOW
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "trace/run.h"
#include "trace/sb_snapshot.h"

namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "ovnx-trace: %s\n", msg.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace trace = ovnx::trace;
  CLI::App app{"Trace a packet through the OVN logical pipelines of the Southbound database."};
  app.set_version_flag("-V,--version", "ovnx-trace (ovnx) 0.1.0");
  std::string db, datapath, microflow;
  std::vector<std::string> cts;
  trace::OutputForms forms;
  bool all = false, friendly = true, no_friendly = false, no_leader_only = false;
  int select_id = -1, timeout_s = 30;
  app.add_option("--db", db,
                 "Southbound database (default $OVN_SB_DB or unix:$OVN_RUNDIR/ovnsb_db.sock)");
  app.add_flag("--detailed", forms.detailed, "detailed output (the default)");
  app.add_flag("--summary", forms.summary, "summary output");
  app.add_flag("--minimal", forms.minimal, "minimal output");
  app.add_flag("--all", all, "all three forms of output");
  app.add_option("--ct", cts,
                 "ct_state flags for the next ct_next (trk,new,est,rel,rpl,inv,snat,dnat)")
      ->allow_extra_args(false);
  app.add_option("--select-id", select_id, "the value select() picks")->check(CLI::Range(0, 65535));
  app.add_flag("--friendly-names", friendly, "accepted for compatibility (names are always shown)");
  app.add_flag("--no-friendly-names", no_friendly, "accepted for compatibility");
  app.add_flag("--no-leader-only", no_leader_only, "accept a clustered database's follower");
  app.add_option("-t,--timeout", timeout_s, "seconds to wait for the database (0: forever)")
      ->check(CLI::Range(0, 86400));
  app.add_option("datapath", datapath, "logical switch or router (name, UUID or tunnel key)")
      ->required();
  app.add_option("microflow", microflow, "the packet, as a logical match expression")->required();
  CLI11_PARSE(app, argc, argv);

  trace::TraceOptions options;
  for (const std::string& ct : cts) {
    auto bits = trace::parse_ct_flags(ct);
    if (!bits.ok()) return fail("--ct: " + bits.error().to_string());
    options.ct_states.push_back(*bits);
  }
  if (select_id >= 0) options.select_id = static_cast<uint16_t>(select_id);
  if (all) forms.detailed = forms.summary = forms.minimal = true;

  trace::SbConnectOptions connect;
  connect.remote = db.empty() ? trace::default_sb_remote() : db;
  connect.timeout_ms = timeout_s == 0 ? -1 : timeout_s * 1000;
  connect.leader_only = !no_leader_only;
  auto snapshot = trace::load_snapshot(connect);
  if (!snapshot.ok()) return fail(snapshot.error().to_string());
  auto text = trace::run_trace(*snapshot, datapath, microflow, options, forms);
  if (!text.ok()) return fail(text.error().to_string());
  std::fputs(text->c_str(), stdout);
  return 0;
}
