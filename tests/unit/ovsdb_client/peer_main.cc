// ovnx-client-peer: a small program on the client library that edits a shared NB database
// concurrently with other clients, for the interop tests (python ovs.db.idl vs ours).
//
//   ovnx-client-peer --db=REMOTE --name=NAME --count=N --expect=TOTAL
//
// Waits for NB_Global and the Logical_Switch "shared"; then, N times, in one transaction:
// bumps NB_Global.nb_cfg with a verify (read-modify-write), sets external_ids NAME-i on the
// switch (a map mutation) and adds a new port NAME-pI to it (an insert referenced by a set
// mutation). Retries on conflicts via Idl::transact. Then waits until nb_cfg reaches TOTAL and
// prints its replica's view (sorted lines) so the test can compare it with the other clients'.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "ovsdb/client/idl.h"
#include "ovsdb/client/nb.h"

namespace client = ovnx::ovsdb::client;
namespace nb = ovnx::nb;

namespace {

const nb::LogicalSwitch* shared_switch(const client::Replica& r) {
  for (const nb::LogicalSwitch* ls : nb::LogicalSwitch::rows(r)) {
    if (ls->name() == "shared") return ls;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, name = "cpp";
  int count = 10, expect = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* opt) { return a.substr(std::string(opt).size()); };
    if (a.rfind("--db=", 0) == 0)
      db = value("--db=");
    else if (a.rfind("--name=", 0) == 0)
      name = value("--name=");
    else if (a.rfind("--count=", 0) == 0)
      count = std::atoi(value("--count=").c_str());
    else if (a.rfind("--expect=", 0) == 0)
      expect = std::atoi(value("--expect=").c_str());
  }
  boost::asio::io_context io;
  client::IdlOptions options;
  options.remote = db;
  client::Idl idl(io, nb::binding_ptr(), options);
  idl.monitor<nb::NBGlobal>();
  idl.monitor<nb::LogicalSwitch>();
  idl.monitor<nb::LogicalSwitchPort>({nb::LogicalSwitchPort::Col::name});
  idl.start();
  auto& r = idl.replica();
  r.set_tracking(false);
  if (!client::run_until(
          io, [&] { return idl.is_synced() && !nb::NBGlobal::rows(r).empty() && shared_switch(r); },
          30000)) {
    std::fprintf(stderr, "peer %s: database not ready\n", name.c_str());
    return 1;
  }
  int done = 0, failed = 0;
  for (int i = 0; i < count; ++i) {
    idl.transact(
        [&, i](client::Transaction& txn) {
          const nb::NBGlobal* g = *nb::NBGlobal::rows(r).begin();
          auto gw = nb::NBGlobal::edit(txn, g);
          gw.verify_nb_cfg();
          gw.set_nb_cfg(g->nb_cfg() + 1);
          auto ls = nb::LogicalSwitch::edit(txn, shared_switch(r));
          ls.update_external_ids(fmt::format("{}-{}", name, i), "v");
          auto port = nb::LogicalSwitchPort::insert(txn);
          port.set_name(fmt::format("{}-p{}", name, i));
          ls.add_ports(port.row());
          return ovnx::ok_status();
        },
        [&](const client::TxnReport& rep) {
          ++done;
          if (!rep.ok()) {
            ++failed;
            std::fprintf(stderr, "peer %s: %s: %s\n", name.c_str(),
                         client::txn_status_name(rep.status), rep.error.c_str());
          }
        },
        1000);
    // One transaction at a time, so each reads the outcome of the previous one.
    client::run_until(
        io, [&] { return done == i + 1; }, 60000);
  }
  if (failed || done != count) return 1;
  if (!client::run_until(
          io, [&] { return (*nb::NBGlobal::rows(r).begin())->nb_cfg() >= expect; }, 60000)) {
    std::fprintf(stderr, "peer %s: nb_cfg never reached %d\n", name.c_str(), expect);
    return 1;
  }
  // Let the last updates of the other clients arrive.
  client::run_until(
      io, [&] { return shared_switch(r)->ports().size() >= static_cast<size_t>(expect); }, 30000);
  std::set<std::string> lines;
  lines.insert(fmt::format("nb_cfg={}", (*nb::NBGlobal::rows(r).begin())->nb_cfg()));
  for (const auto& [k, v] : shared_switch(r)->external_ids())
    lines.insert(fmt::format("key {}={}", k, v));
  for (const nb::LogicalSwitchPort* p : shared_switch(r)->ports()) {
    lines.insert(fmt::format("port {}", p->name()));
  }
  for (const std::string& l : lines) std::printf("%s\n", l.c_str());
  std::fprintf(stderr, "peer %s: %llu retries\n", name.c_str(),
               static_cast<unsigned long long>(idl.stats().retries));
  return 0;
}
