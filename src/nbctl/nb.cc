#include "nbctl/nb.h"

#include <algorithm>
#include <any>
#include <cerrno>
#include <cstdlib>
#include <type_traits>

#include <fmt/format.h>


namespace ovnx::nbctl {

namespace {

// ovn-nbctl's generic "find one row by UUID, else by name" with its messages. KIND names the
// row in "not found" errors ("switch"), PLURAL in "Multiple ... named" errors.
template <class T>
Result<const T*> by_name_or_uuid(client::Transaction& txn, std::string_view id, bool must_exist,
                                 std::string_view kind, std::string_view plural) {
  const T* found = nullptr;
  auto uuid = Uuid::parse(id);
  if (uuid) found = T::get(txn, *uuid);
  if (!found) {
    for (const T* row : T::rows(txn)) {
      if (row->name() != id) continue;
      if (found) return make_error(fmt::format("Multiple {} named '{}'.  Use a UUID.", plural, id));
      found = row;
    }
  }
  if (!found && must_exist) {
    return make_error(fmt::format("{}: {} {} not found", id, kind, uuid ? "UUID" : "name"));
  }
  return found;
}

}  // namespace

NbState& nb_state(std::any& program_state) {
  if (!program_state.has_value()) program_state = std::make_shared<NbState>();
  return *std::any_cast<std::shared_ptr<NbState>&>(program_state);
}

void want_nb_global(ctl::Context& ctx) {
  NbState& state = nb_state(ctx);
  if (state.nb_global_monitored) return;
  state.nb_global_monitored = true;
  using C = nb::NBGlobal::Col;
  ctx.monitor(nb::NBGlobal::binding_table(),
              {C::nb_cfg, C::sb_cfg, C::hv_cfg, C::nb_cfg_timestamp, C::sb_cfg_timestamp,
               C::hv_cfg_timestamp});
}

Nb::Nb(ctl::Context& ctx) : ctx_(ctx) {}

NbIndexes& Nb::indexes() {
  NbIndexes& ix = nb_state(ctx_).indexes;
  uint64_t seqno = txn().replica().seqno();
  if (ix.txn != &txn() || ix.replica_seqno != seqno) {
    ix = NbIndexes();
    ix.txn = &txn();
    ix.replica_seqno = seqno;
  }
  return ix;
}

void Nb::build_lsp_index() {
  NbIndexes& ix = indexes();
  if (ix.have_lsp) return;
  ix.have_lsp = true;
  for (const nb::LogicalSwitchPort* p : rows<nb::LogicalSwitchPort>()) {
    ix.lsp_by_name.emplace(p->name(), p);
  }
  for (const nb::LogicalSwitch* ls : rows<nb::LogicalSwitch>()) {
    for (const Uuid& u : ls->ports().uuids()) ix.switch_of_port.emplace(u, ls);
  }
}

void Nb::build_lrp_index() {
  NbIndexes& ix = indexes();
  if (ix.have_lrp) return;
  ix.have_lrp = true;
  for (const nb::LogicalRouterPort* p : rows<nb::LogicalRouterPort>()) {
    ix.lrp_by_name.emplace(p->name(), p);
  }
  for (const nb::LogicalRouter* lr : rows<nb::LogicalRouter>()) {
    for (const Uuid& u : lr->ports().uuids()) ix.router_of_port.emplace(u, lr);
  }
}

void Nb::build_ls_index() {
  NbIndexes& ix = indexes();
  if (ix.have_ls) return;
  ix.have_ls = true;
  for (const nb::LogicalSwitch* ls : rows<nb::LogicalSwitch>()) ix.ls_by_name.emplace(ls->name(), ls);
}

void Nb::build_lr_index() {
  NbIndexes& ix = indexes();
  if (ix.have_lr) return;
  ix.have_lr = true;
  for (const nb::LogicalRouter* lr : rows<nb::LogicalRouter>()) ix.lr_by_name.emplace(lr->name(), lr);
}

namespace {

// The live rows among index entries for NAME (entries may be stale after deletions).
template <class T>
std::vector<const T*> live_named(const client::Transaction& txn,
                                 const std::unordered_multimap<std::string, const client::Row*>& index,
                                 std::string_view name) {
  std::vector<const T*> out;
  auto [first, last] = index.equal_range(std::string(name));
  for (auto it = first; it != last; ++it) {
    const auto* row = static_cast<const T*>(txn.view(it->second));
    if (row && row->name() == name) out.push_back(row);
  }
  std::sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->uuid() < b->uuid(); });
  return out;
}

}  // namespace

std::vector<const nb::LogicalSwitch*> Nb::switches_named(std::string_view name) {
  build_ls_index();
  return live_named<nb::LogicalSwitch>(txn(), indexes().ls_by_name, name);
}

std::vector<const nb::LogicalRouter*> Nb::routers_named(std::string_view name) {
  build_lr_index();
  return live_named<nb::LogicalRouter>(txn(), indexes().lr_by_name, name);
}

void Nb::switch_added(const nb::LogicalSwitch* ls) {
  build_ls_index();
  indexes().ls_by_name.emplace(ls->name(), ls);
}

void Nb::router_added(const nb::LogicalRouter* lr) {
  build_lr_index();
  indexes().lr_by_name.emplace(lr->name(), lr);
}

template <class T>
Result<const T*> Nb::datapath(std::string_view id, bool must_exist, std::string_view kind,
                              std::string_view plural) {
  const T* found = nullptr;
  auto uuid = Uuid::parse(id);
  if (uuid) found = T::get(txn(), *uuid);
  if (!found) {
    std::vector<const T*> named;
    if constexpr (std::is_same_v<T, nb::LogicalSwitch>) {
      named = switches_named(id);
    } else {
      named = routers_named(id);
    }
    if (named.size() > 1) {
      return make_error(fmt::format("Multiple {} named '{}'.  Use a UUID.", plural, id));
    }
    if (!named.empty()) found = named[0];
  }
  if (!found && must_exist) {
    return make_error(fmt::format("{}: {} {} not found", id, kind, uuid ? "UUID" : "name"));
  }
  return found;
}

Result<const nb::LogicalSwitch*> Nb::ls(std::string_view id, bool must_exist) {
  return datapath<nb::LogicalSwitch>(id, must_exist, "switch", "logical switches");
}

Result<const nb::LogicalRouter*> Nb::lr(std::string_view id, bool must_exist) {
  return datapath<nb::LogicalRouter>(id, must_exist, "router", "logical routers");
}

Result<const nb::LoadBalancer*> Nb::lb(std::string_view id, bool must_exist) {
  return by_name_or_uuid<nb::LoadBalancer>(txn(), id, must_exist, "load balancer",
                                           "load balancers");
}

Result<const nb::PortGroup*> Nb::pg(std::string_view id, bool must_exist) {
  return by_name_or_uuid<nb::PortGroup>(txn(), id, must_exist, "port group", "port groups");
}

Result<const nb::HAChassisGroup*> Nb::ha_chassis_group(std::string_view id, bool must_exist) {
  // (The real tool's message says "ha_chassi_group".)
  return by_name_or_uuid<nb::HAChassisGroup>(txn(), id, must_exist, "ha_chassi_group",
                                             "ha chassis groups");
}

Result<const nb::LogicalSwitchPort*> Nb::lsp(std::string_view id, bool must_exist) {
  auto uuid = Uuid::parse(id);
  const nb::LogicalSwitchPort* found = nullptr;
  if (uuid) found = nb::LogicalSwitchPort::get(txn(), *uuid);
  if (!found) {
    build_lsp_index();
    NbIndexes& ix = indexes();
    auto it = ix.lsp_by_name.find(std::string(id));
    if (it != ix.lsp_by_name.end()) {
      const auto* p = view(static_cast<const nb::LogicalSwitchPort*>(it->second));
      if (p && p->name() == id) found = p;
    }
  }
  if (!found && must_exist) {
    return make_error(fmt::format("{}: port {} not found", id, uuid ? "UUID" : "name"));
  }
  return found;
}

Result<const nb::LogicalRouterPort*> Nb::lrp(std::string_view id, bool must_exist) {
  auto uuid = Uuid::parse(id);
  const nb::LogicalRouterPort* found = nullptr;
  if (uuid) found = nb::LogicalRouterPort::get(txn(), *uuid);
  if (!found) {
    build_lrp_index();
    NbIndexes& ix = indexes();
    auto it = ix.lrp_by_name.find(std::string(id));
    if (it != ix.lrp_by_name.end()) {
      const auto* p = view(static_cast<const nb::LogicalRouterPort*>(it->second));
      if (p && p->name() == id) found = p;
    }
  }
  if (!found && must_exist) {
    return make_error(fmt::format("{}: port {} not found", id, uuid ? "UUID" : "name"));
  }
  return found;
}

Result<const nb::DHCPOptions*> Nb::dhcp_options(std::string_view id, bool must_exist) {
  const nb::DHCPOptions* found = nullptr;
  if (auto uuid = Uuid::parse(id)) found = nb::DHCPOptions::get(txn(), *uuid);
  if (!found && must_exist) {
    return make_error(fmt::format("{}: dhcp options UUID not found", id));
  }
  return found;
}

Result<const nb::LogicalSwitch*> Nb::switch_of(const nb::LogicalSwitchPort* port) {
  build_lsp_index();
  NbIndexes& ix = indexes();
  auto it = ix.switch_of_port.find(port->uuid());
  if (it != ix.switch_of_port.end()) {
    const auto* ls = view(static_cast<const nb::LogicalSwitch*>(it->second));
    if (ls && ls->ports().contains(port->uuid())) return ls;
  }
  return make_error(fmt::format("logical port {} is not part of any logical switch",
                                port->name()));
}

Result<const nb::LogicalRouter*> Nb::router_of(const nb::LogicalRouterPort* port) {
  build_lrp_index();
  NbIndexes& ix = indexes();
  auto it = ix.router_of_port.find(port->uuid());
  if (it != ix.router_of_port.end()) {
    const auto* lr = view(static_cast<const nb::LogicalRouter*>(it->second));
    if (lr && lr->ports().contains(port->uuid())) return lr;
  }
  return make_error(fmt::format("logical port {} is not part of any logical router",
                                port->name()));
}

void Nb::port_added(const nb::LogicalSwitchPort* port, const nb::LogicalSwitch* ls) {
  build_lsp_index();
  NbIndexes& ix = indexes();
  ix.lsp_by_name[port->name()] = port;
  ix.switch_of_port[port->uuid()] = ls;
}

void Nb::port_removed(const nb::LogicalSwitchPort* port) {
  build_lsp_index();
  NbIndexes& ix = indexes();
  auto it = ix.lsp_by_name.find(port->name());
  if (it != ix.lsp_by_name.end() && it->second->uuid() == port->uuid()) ix.lsp_by_name.erase(it);
  ix.switch_of_port.erase(port->uuid());
}

void Nb::port_added(const nb::LogicalRouterPort* port, const nb::LogicalRouter* lr) {
  build_lrp_index();
  NbIndexes& ix = indexes();
  ix.lrp_by_name[port->name()] = port;
  ix.router_of_port[port->uuid()] = lr;
}

void Nb::port_removed(const nb::LogicalRouterPort* port) {
  build_lrp_index();
  NbIndexes& ix = indexes();
  auto it = ix.lrp_by_name.find(port->name());
  if (it != ix.lrp_by_name.end() && it->second->uuid() == port->uuid()) ix.lrp_by_name.erase(it);
  ix.router_of_port.erase(port->uuid());
}

}  // namespace ovnx::nbctl
