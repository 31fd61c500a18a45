#include "controller/binding.h"

#include "base/log.h"
#include "ovsdb/client/sb.h"

OVNX_LOG_MODULE(binding);

namespace ovnx::controller {

using ovsdb::client::Transaction;

namespace {

void release(Transaction& txn, const sb::PortBinding* pb) {
  auto w = sb::PortBinding::edit(txn, pb);
  w.verify_chassis();  // only if it is still ours when the server applies it
  w.set_chassis(nullptr);
  if (pb->up().value_or(false)) w.set_up(false);
}

}  // namespace

BindingUpdate update_bindings(Transaction& txn, const LocalState& state,
                              const std::set<std::string>& installed) {
  BindingUpdate u;
  const auto& sb = txn.replica();
  const sb::Chassis* me = sb::Chassis::find_by_name(sb, state.chassis_name);
  if (!me) return u;
  for (const auto& [lport, b] : state.bindings) {
    if (b.type == "localport") continue;  // present on every chassis, owned by none
    const sb::PortBinding* pb = sb::PortBinding::get(sb, b.pb);
    if (!pb) continue;
    auto w = sb::PortBinding::edit(txn, pb);
    if (pb->chassis() != me) {
      if (pb->chassis()) {
        LOG_INFO("claiming lport {} from chassis {}", lport, pb->chassis()->name());
      } else {
        LOG_INFO("claiming lport {} for this chassis", lport);
      }
      w.set_chassis(me);
      if (pb->up().value_or(false)) w.set_up(false);
      u.claimed.insert(lport);
      continue;
    }
    if (installed.count(lport) && !pb->up().value_or(false)) {
      w.set_up(true);
      u.up.insert(lport);
    }
  }
  for (const std::string& lport : state.stale_claims) {
    const sb::PortBinding* pb = sb::PortBinding::find_by_logical_port(sb, lport);
    if (!pb || pb->chassis() != me) continue;
    LOG_INFO("releasing lport {} from this chassis", lport);
    release(txn, pb);
    u.released.insert(lport);
  }
  return u;
}

bool release_all(Transaction& txn, const std::string& chassis_name) {
  const auto& sb = txn.replica();
  const sb::Chassis* me = sb::Chassis::find_by_name(sb, chassis_name);
  if (!me) return false;
  bool changed = false;
  for (const sb::PortBinding* pb : sb::PortBinding::rows(sb)) {
    if (pb->chassis() != me) continue;
    release(txn, pb);
    changed = true;
  }
  return changed;
}

}  // namespace ovnx::controller
