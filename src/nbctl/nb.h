// What every nbctl command family uses: the NB rows as the invocation's transaction sees them,
// looked up by name or UUID with ovn-nbctl's rules and error messages, and the state one
// invocation shares between its commands and the --wait hooks.
//
// One invocation may run thousands of commands in one transaction (e.g. 10,000 lsp-add), so
// name lookups and "which switch owns this port" go through indexes built once per attempt
// from the transaction and kept current by the commands that add or remove rows. Rows are
// stored by identity (replica row or row inserted by the transaction) and read through
// Transaction::view(), so later edits are always seen. (Database commands such as `create`
// in the same invocation do not update these indexes; the real tool has the same blind spot
// unless its ctl layer invalidates its cache.)
#pragma once

#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "ctl/command.h"
#include "ovsdb/client/nb.h"

namespace ovnx::nbctl {

namespace client = ::ovnx::ovsdb::client;

// Indexes of one attempt (see the file comment).
struct NbIndexes {
  const client::Transaction* txn = nullptr;
  uint64_t replica_seqno = 0;
  bool have_lsp = false;
  bool have_lrp = false;
  bool have_ls = false;
  bool have_lr = false;
  std::unordered_multimap<std::string, const client::Row*> ls_by_name;
  std::unordered_multimap<std::string, const client::Row*> lr_by_name;
  std::unordered_map<std::string, const client::Row*> lsp_by_name;
  std::unordered_map<Uuid, const client::Row*> switch_of_port;  // LSP uuid -> LS
  std::unordered_map<std::string, const client::Row*> lrp_by_name;
  std::unordered_map<Uuid, const client::Row*> router_of_port;  // LRP uuid -> LR
};

// Program state of one invocation (ctl::Context::program_state()).
struct NbState {
  bool nb_global_monitored = false;
  bool force_wait = false;  // set by the sync command
  // --wait bookkeeping between the commit hooks (wait.cc).
  int wait = 0;
  bool wait_incremented = false;
  int64_t wait_start_ms = 0;
  NbIndexes indexes;
};

NbState& nb_state(std::any& program_state);
inline NbState& nb_state(ctl::Context& ctx) { return nb_state(ctx.program_state()); }

// ---- Prerequisites. Replicates COLUMNS (all if empty) of T, plus NB_Global's columns, which
// every invocation needs (it is created when missing, and --wait reads it).
void want_nb_global(ctl::Context& ctx);
template <class T>
void want(ctl::Context& ctx, std::vector<size_t> columns = {}) {
  want_nb_global(ctx);
  ctx.monitor(T::binding_table(), std::move(columns));
}

// ---- Reading and looking up rows during run().
class Nb {
 public:
  explicit Nb(ctl::Context& ctx);

  client::Transaction& txn() { return ctx_.txn(); }
  ctl::Context& ctx() { return ctx_; }

  // Every row of T as the transaction leaves it.
  template <class T>
  std::vector<const T*> rows() {
    return T::rows(txn());
  }
  // ROW as the transaction leaves it (nullptr if deleted).
  template <class T>
  const T* view(const T* row) {
    return row ? static_cast<const T*>(txn().view(row)) : nullptr;
  }

  // The rows a reference set names, as the transaction sees them (a row the transaction has
  // not edited still resolves its references in the replica, so never iterate a RefSetView
  // directly). Deleted and unknown rows are skipped; order is the set's (by UUID).
  template <class T>
  std::vector<const T*> refs(const client::RefSetView<T>& set) {
    std::vector<const T*> out;
    out.reserve(set.size());
    for (const Uuid& u : set.uuids()) {
      if (const T* r = T::get(txn(), u)) out.push_back(r);
    }
    return out;
  }

  // Lookups by UUID, then by name. Errors as ovn-nbctl words them ("ls1: switch name not
  // found", "Multiple logical switches named 'x'.  Use a UUID."). Without MUST_EXIST a
  // missing row is nullptr.
  Result<const nb::LogicalSwitch*> ls(std::string_view id, bool must_exist = true);
  Result<const nb::LogicalRouter*> lr(std::string_view id, bool must_exist = true);
  Result<const nb::LogicalSwitchPort*> lsp(std::string_view id, bool must_exist = true);
  Result<const nb::LogicalRouterPort*> lrp(std::string_view id, bool must_exist = true);
  Result<const nb::LoadBalancer*> lb(std::string_view id, bool must_exist = true);
  Result<const nb::PortGroup*> pg(std::string_view id, bool must_exist = true);
  Result<const nb::HAChassisGroup*> ha_chassis_group(std::string_view id,
                                                    bool must_exist = true);
  // By UUID only ("x: dhcp options UUID not found").
  Result<const nb::DHCPOptions*> dhcp_options(std::string_view id, bool must_exist = true);

  // Every switch / router named NAME.
  std::vector<const nb::LogicalSwitch*> switches_named(std::string_view name);
  std::vector<const nb::LogicalRouter*> routers_named(std::string_view name);

  // The switch that has PORT ("lsp: port name not found" style errors if none).
  Result<const nb::LogicalSwitch*> switch_of(const nb::LogicalSwitchPort* port);
  Result<const nb::LogicalRouter*> router_of(const nb::LogicalRouterPort* port);

  // Index upkeep for commands that add or remove switches, routers and ports.
  void switch_added(const nb::LogicalSwitch* ls);
  void router_added(const nb::LogicalRouter* lr);
  void port_added(const nb::LogicalSwitchPort* port, const nb::LogicalSwitch* ls);
  void port_removed(const nb::LogicalSwitchPort* port);
  void port_added(const nb::LogicalRouterPort* port, const nb::LogicalRouter* lr);
  void port_removed(const nb::LogicalRouterPort* port);

 private:
  NbIndexes& indexes();
  void build_lsp_index();
  void build_lrp_index();
  void build_ls_index();
  void build_lr_index();
  template <class T>
  Result<const T*> datapath(std::string_view id, bool must_exist, std::string_view kind,
                            std::string_view plural);

  ctl::Context& ctx_;
};

}  // namespace ovnx::nbctl
