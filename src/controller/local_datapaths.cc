#include "controller/local_datapaths.h"

#include <deque>

namespace ovnx::controller {

const LocalBinding* LocalState::binding(std::string_view lport) const {
  auto it = bindings.find(std::string(lport));
  return it == bindings.end() ? nullptr : &it->second;
}

bool is_switch_datapath(const sb::DatapathBinding& dp) {
  return !dp.external_ids().contains("logical-router");
}

bool requested_here(const sb::PortBinding& pb, const std::string& chassis_name,
                    const std::string& hostname) {
  if (const sb::Chassis* rc = pb.requested_chassis()) return rc->name() == chassis_name;
  auto opt = pb.options().get("requested-chassis");
  if (!opt || opt->empty()) return true;
  // A comma separated list names the main chassis first (live migration); any entry binds.
  std::string_view list = *opt;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view name = list.substr(i, j - i);
    if (name == chassis_name || (!hostname.empty() && name == hostname)) return true;
    i = j + 1;
  }
  return false;
}

namespace {

bool bindable_type(std::string_view type) { return type.empty() || type == "localport"; }

void add_datapath(LocalState& st, const sb::DatapathBinding& dp, bool has_local_port) {
  auto key = static_cast<uint32_t>(dp.tunnel_key());
  auto [it, inserted] = st.datapaths.try_emplace(key);
  LocalDatapath& ld = it->second;
  if (inserted) {
    ld.uuid = dp.uuid();
    ld.key = key;
    ld.is_switch = is_switch_datapath(dp);
    ld.name = std::string(dp.external_ids().get_or("name", ""));
  }
  ld.has_local_port |= has_local_port;
}

}  // namespace

LocalState compute_local_state(const LocalStateInputs& in) {
  LocalState st;
  st.chassis_name = in.chassis_name;
  const auto& sb = in.sb->replica();
  const sb::Chassis* me = sb::Chassis::find_by_name(sb, in.chassis_name);
  if (me) st.chassis = me->uuid();

  std::deque<const sb::DatapathBinding*> todo;
  for (const auto& [iface_id, li] : in.bridge->by_iface_id) {
    const sb::PortBinding* pb = sb::PortBinding::find_by_logical_port(sb, iface_id);
    // An interface still waiting for its OpenFlow port is bound already: the claim and the
    // logical flows of its datapath then overlap with ovs-vswitchd creating it (only its
    // physical flows wait for the port). One that failed (-1) is not.
    if (!pb || !bindable_type(pb->type()) || li.ofport < 0) continue;
    const sb::DatapathBinding* dp = pb->datapath();
    if (!dp) continue;
    if (pb->type().empty() && !requested_here(*pb, in.chassis_name, in.hostname)) continue;
    LocalBinding b;
    b.lport = iface_id;
    b.pb = pb->uuid();
    b.datapath = dp->uuid();
    b.dp_key = static_cast<uint32_t>(dp->tunnel_key());
    b.port_key = static_cast<uint32_t>(pb->tunnel_key());
    b.type = pb->type();
    b.iface = li.name;
    b.iface_uuid = li.uuid;
    b.ofport = li.ofport;
    b.claimed = me && pb->chassis() == me;
    st.bindings.emplace(iface_id, std::move(b));
    if (!st.is_local_datapath(static_cast<uint32_t>(dp->tunnel_key()))) todo.push_back(dp);
    add_datapath(st, *dp, true);
  }

  // Follow patch ports: the peer's datapath is processed here too.
  while (!todo.empty()) {
    const sb::DatapathBinding* dp = todo.front();
    todo.pop_front();
    for (const sb::PortBinding* pb : in.sb->ports_of(*dp)) {
      if (pb->type() != "patch") continue;
      auto peer_name = pb->options().get("peer");
      if (!peer_name) continue;
      const sb::PortBinding* peer = sb::PortBinding::find_by_logical_port(sb, *peer_name);
      if (!peer || !peer->datapath()) continue;
      const sb::DatapathBinding* pdp = peer->datapath();
      if (st.is_local_datapath(static_cast<uint32_t>(pdp->tunnel_key()))) continue;
      add_datapath(st, *pdp, false);
      todo.push_back(pdp);
    }
  }

  if (me) {
    for (const sb::PortBinding* pb : in.sb->ports_on(*me)) {
      if (!bindable_type(pb->type())) continue;
      if (!st.bindings.count(pb->logical_port())) st.stale_claims.insert(pb->logical_port());
    }
  }
  return st;
}

}  // namespace ovnx::controller
