#include "trace/sb_snapshot.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <map>

#include "jsonrpc/address.h"
#include "ovsdb/client/idl.h"
#include "ovsdb/client/sb.h"

namespace ovnx::trace {

namespace client = ovsdb::client;

std::string default_sb_remote() {
  if (const char* env = std::getenv("OVN_SB_DB"); env && *env) return env;
  const char* rundir = std::getenv("OVN_RUNDIR");
  return fmt::format("unix:{}/ovnsb_db.sock", rundir && *rundir ? rundir : "/var/run/ovn");
}

namespace {

std::string datapath_name(const sb::DatapathBinding* dp) {
  std::string_view name = dp->external_ids().get_or("name", "");
  if (name.empty()) name = dp->external_ids().get_or("name2", "");
  return name.empty() ? dp->uuid().to_string() : std::string(name);
}

Snapshot build(const client::Replica& replica) {
  Snapshot s;
  std::map<Uuid, size_t> dp_index;
  for (const sb::DatapathBinding* dp : sb::DatapathBinding::rows(replica)) {
    Datapath d;
    d.name = datapath_name(dp);
    d.uuid = dp->uuid().to_string();
    d.key = static_cast<uint32_t>(dp->tunnel_key());
    d.is_router = dp->external_ids().contains("logical-router");
    dp_index.emplace(dp->uuid(), s.datapaths.size());
    s.datapaths.push_back(std::move(d));
  }
  auto index_of = [&](const sb::DatapathBinding* dp) -> std::optional<size_t> {
    if (!dp) return std::nullopt;
    auto it = dp_index.find(dp->uuid());
    if (it == dp_index.end()) return std::nullopt;
    return it->second;
  };
  std::map<Uuid, std::string> port_names;
  for (const sb::PortBinding* pb : sb::PortBinding::rows(replica)) {
    port_names.emplace(pb->uuid(), pb->logical_port());
    auto dp = index_of(pb->datapath());
    if (!dp) continue;
    Port p;
    p.name = pb->logical_port();
    p.type = pb->type();
    p.datapath = *dp;
    p.key = static_cast<uint32_t>(pb->tunnel_key());
    p.peer = std::string(pb->options().get_or("peer", ""));
    for (const std::string& ps : pb->port_security()) p.port_security.push_back(ps);
    s.ports.push_back(std::move(p));
  }
  for (const sb::MulticastGroup* mg : sb::MulticastGroup::rows(replica)) {
    auto dp = index_of(mg->datapath());
    if (!dp) continue;
    MulticastGroup g;
    g.datapath = *dp;
    g.name = mg->name();
    g.key = static_cast<uint32_t>(mg->tunnel_key());
    for (const sb::PortBinding* pb : mg->ports()) g.ports.push_back(pb->logical_port());
    s.multicast_groups.push_back(std::move(g));
  }
  for (const sb::LogicalFlow* lf : sb::LogicalFlow::rows(replica)) {
    LogicalFlow f;
    if (auto dp = index_of(lf->logical_datapath())) f.datapaths.push_back(*dp);
    if (const sb::LogicalDPGroup* g = lf->logical_dp_group()) {
      for (const sb::DatapathBinding* dp : g->datapaths()) {
        if (auto i = index_of(dp)) f.datapaths.push_back(*i);
      }
    }
    if (f.datapaths.empty()) continue;
    f.pipeline =
        lf->pipeline() == "egress" ? logical::Pipeline::kEgress : logical::Pipeline::kIngress;
    f.table = static_cast<int>(lf->table_id());
    f.priority = static_cast<int>(lf->priority());
    f.match = lf->match();
    f.actions = lf->actions();
    f.stage = std::string(lf->external_ids().get_or("stage-name", ""));
    f.source = std::string(lf->external_ids().get_or("source", ""));
    f.uuid = lf->uuid().to_string();
    s.flows.push_back(std::move(f));
  }
  for (const sb::AddressSet* as : sb::AddressSet::rows(replica)) {
    s.address_sets[as->name()] = as->addresses().to_vector();
  }
  for (const sb::PortGroup* pg : sb::PortGroup::rows(replica)) {
    s.port_groups[pg->name()] = pg->ports().to_vector();
  }
  for (const sb::MACBinding* mb : sb::MACBinding::rows(replica)) {
    s.mac_bindings.push_back({mb->logical_port(), mb->ip(), mb->mac()});
  }
  return s;
}

}  // namespace

Result<Snapshot> load_snapshot(const SbConnectOptions& options) {
  auto remotes = jsonrpc::parse_address_list(options.remote);
  if (!remotes.ok()) {
    return make_error(fmt::format("{}: invalid database remote", options.remote),
                      remotes.error().to_string());
  }
  boost::asio::io_context io;
  client::IdlOptions idl_options;
  idl_options.remote = options.remote;
  idl_options.leader_only = options.leader_only;
  idl_options.max_connect_attempts = static_cast<int>(remotes->size());
  idl_options.probe_interval_ms = 0;
  client::Idl idl(io, sb::binding_ptr(), idl_options);
  idl.replica().set_tracking(false);
  idl.monitor<sb::DatapathBinding>();
  idl.monitor<sb::PortBinding>();
  idl.monitor<sb::MulticastGroup>();
  idl.monitor<sb::LogicalFlow>();
  idl.monitor<sb::LogicalDPGroup>();
  idl.monitor<sb::AddressSet>();
  idl.monitor<sb::PortGroup>();
  idl.monitor<sb::MACBinding>();
  idl.start();
  client::run_until(
      io, [&] { return idl.is_synced() || idl.gave_up(); }, options.timeout_ms);
  if (!idl.is_synced()) {
    std::string reason = idl.last_error() ? idl.last_error()->to_string()
                         : idl.gave_up()  ? "connection failed"
                                          : "timed out";
    idl.close();
    return make_error(fmt::format("{}: database connection failed", options.remote), reason);
  }
  Snapshot s = build(idl.replica());
  idl.close();
  return s;
}

}  // namespace ovnx::trace
