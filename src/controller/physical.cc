#include "controller/physical.h"

#include <algorithm>
#include <map>

#include "controller/of_util.h"
#include "controller/port_security.h"

namespace ovnx::controller {

using namespace of;  // NOLINT: flow-building vocabulary
using openflow::Clone;
using openflow::CtClear;
using openflow::Move;
using openflow::SetField;
using openflow::StackPop;
using openflow::StackPush;

namespace {

constexpr uint16_t kPrioPort = 100;
constexpr uint16_t kPrioFlags = 150;

// Everything needed to output to one port of a local datapath.
struct PortCtx {
  const sb::PortBinding* pb;
  uint32_t dp_key;
  uint32_t key;
  uint64_t cookie;
};

// Tunnel encapsulation of the logical metadata (ovn-architecture(7), "Tunnel Encapsulations").
void put_encapsulation(ActionList& a, const TunnelPort& t, uint32_t dp_key, uint32_t outport) {
  if (t.type == "vxlan") {
    // 12-bit datapath and 12-bit outport share the VNI; no room for the inport. Multicast
    // keys (32768 + n) travel as 2048 + n.
    uint32_t port12 = outport >= ovn::kMinMulticastKey ? ((outport & 0x7ff) | 0x800)
                                                        : (outport & 0xfff);
    uint32_t vni = (dp_key & 0xfff) | (port12 << 12);
    a.push_back(SetField{Field::tun_id, U128(vni), U128(0xffffff)});
    return;
  }
  a.push_back(SetField{Field::tun_id, U128(dp_key), U128(0xffffff)});
  a.push_back(SetField::exact(openflow::tun_metadata(0), U128(outport)));
  a.push_back(Move{Subfield{openflow::reg(ovn::kRegLogInport), 0, ovn::kGeneveInportBits},
                   Subfield{openflow::tun_metadata(0), ovn::kGeneveInportShift,
                            ovn::kGeneveInportBits}});
}

// Sets reg11/reg12 (the datapath's NAT zones) when allocated.
void put_nat_zones(ActionList& a, const CtZones& zones, const Uuid& dp) {
  if (uint16_t z = zones.dnat_zone(dp)) a.push_back(load_reg(ovn::kRegDnatZone, z));
  if (uint16_t z = zones.snat_zone(dp)) a.push_back(load_reg(ovn::kRegSnatZone, z));
}

Match port_match(int reg, const PortCtx& p) {
  Match m;
  match_reg(m, reg, p.key);
  match_metadata(m, p.dp_key);
  return m;
}

void add_tunnel_classification(std::vector<Flow>& out, const BridgeState& bridge) {
  for (const auto& [name, t] : bridge.tunnels) {
    if (t.ofport <= 0) continue;
    Flow f = make_flow(ovn::kTablePhyToLog, kPrioPort);
    f.match.set(Field::in_port, U128(static_cast<uint16_t>(t.ofport)));
    if (t.type == "vxlan") {
      Subfield reg15 = Subfield::whole(openflow::reg(ovn::kRegLogOutport));
      // A multicast key (bit 23 of the VNI) maps back to 32768 + n.
      Flow mc = make_flow(ovn::kTablePhyToLog, kPrioPort + 5);
      mc.match = f.match;
      mc.match.set_masked(Field::tun_id, U128(0x800000), U128(0x800000));
      mc.actions.push_back(SetField{reg15.field, U128(0x8000), U128(0x8000)});
      mc.actions.push_back(Move{Subfield{Field::tun_id, 12, 11}, Subfield{reg15.field, 0, 11}});
      mc.actions.push_back(Move{Subfield{Field::tun_id, 0, 12}, Subfield{Field::metadata, 0, 12}});
      mc.actions.push_back(resubmit(ovn::kTableLocalOutput));
      out.push_back(std::move(mc));
      f.actions.push_back(Move{Subfield{Field::tun_id, 12, 12}, Subfield{reg15.field, 0, 12}});
      f.actions.push_back(Move{Subfield{Field::tun_id, 0, 12}, Subfield{Field::metadata, 0, 12}});
    } else {
      f.actions.push_back(Move{Subfield{Field::tun_id, 0, ovn::kGeneveDatapathBits},
                               Subfield{Field::metadata, 0, ovn::kGeneveDatapathBits}});
      f.actions.push_back(Move{Subfield{openflow::tun_metadata(0), ovn::kGeneveInportShift,
                                        ovn::kGeneveInportBits},
                               Subfield{openflow::reg(ovn::kRegLogInport), 0,
                                        ovn::kGeneveInportBits}});
      f.actions.push_back(Move{Subfield{openflow::tun_metadata(0), 0, ovn::kGeneveOutportBits},
                               Subfield{openflow::reg(ovn::kRegLogOutport), 0,
                                        ovn::kGeneveOutportBits}});
    }
    f.actions.push_back(resubmit(ovn::kTableLocalOutput));
    out.push_back(std::move(f));
  }
}

// Tables 41 and 64, shared by VIFs and patch ports: loopback drop and inport save.
void add_loopback_flows(std::vector<Flow>& out, const PortCtx& p) {
  Flow drop = make_flow(ovn::kTableCheckLoopback, kPrioPort, p.cookie);
  drop.match = port_match(ovn::kRegLogOutport, p);
  match_reg(drop.match, ovn::kRegLogInport, p.key);
  match_flag(drop.match, ovn::kFlagAllowLoopbackBit, false);
  out.push_back(std::move(drop));

  Flow save = make_flow(ovn::kTableSaveInport, kPrioPort, p.cookie);
  save.match = port_match(ovn::kRegLogOutport, p);
  match_flag(save.match, ovn::kFlagAllowLoopbackBit, true);
  save.actions.push_back(StackPush{Subfield::whole(Field::in_port)});
  save.actions.push_back(SetField::exact(Field::in_port, U128(openflow::kPortNone)));
  save.actions.push_back(resubmit(ovn::kTableLogToPhy));
  save.actions.push_back(StackPop{Subfield::whole(Field::in_port)});
  out.push_back(std::move(save));
}

void add_vif_flows(std::vector<Flow>& out, const PortCtx& p, const LocalBinding& b,
                   const CtZones& zones) {
  uint16_t ofport = static_cast<uint16_t>(b.ofport);
  uint16_t zone = zones.port_zone(b.lport);

  Flow in = make_flow(ovn::kTablePhyToLog, kPrioPort, p.cookie);
  in.match.set(Field::in_port, U128(ofport));
  if (zone) in.actions.push_back(load_reg(ovn::kRegCtZone, zone));
  put_nat_zones(in.actions, zones, b.datapath);
  in.actions.push_back(load_metadata(p.dp_key));
  in.actions.push_back(load_reg(ovn::kRegLogInport, p.key));
  in.actions.push_back(resubmit(ovn::kTableLogIngressPipeline));
  out.push_back(std::move(in));

  Flow local = make_flow(ovn::kTableLocalOutput, kPrioPort, p.cookie);
  local.match = port_match(ovn::kRegLogOutport, p);
  if (zone) local.actions.push_back(load_reg(ovn::kRegCtZone, zone));
  put_nat_zones(local.actions, zones, b.datapath);
  local.actions.push_back(resubmit(ovn::kTableCheckLoopback));
  out.push_back(std::move(local));

  add_loopback_flows(out, p);

  Flow phy = make_flow(ovn::kTableLogToPhy, kPrioPort, p.cookie);
  phy.match = port_match(ovn::kRegLogOutport, p);
  phy.actions.push_back(output(ofport));
  out.push_back(std::move(phy));

  if (b.type == "localport") {
    // A localport's traffic never leaves the chassis.
    Flow stay = make_flow(ovn::kTableRemoteOutput, kPrioFlags, p.cookie);
    stay.match = port_match(ovn::kRegLogInport, p);
    stay.actions.push_back(resubmit(ovn::kTableLocalOutput));
    out.push_back(std::move(stay));
  }
}

void add_patch_flows(std::vector<Flow>& out, const PortCtx& p, const sb::DatapathBinding& dp,
                     const sb::PortBinding& peer, const CtZones& zones) {
  Flow local = make_flow(ovn::kTableLocalOutput, kPrioPort, p.cookie);
  local.match = port_match(ovn::kRegLogOutport, p);
  put_nat_zones(local.actions, zones, dp.uuid());
  local.actions.push_back(resubmit(ovn::kTableCheckLoopback));
  out.push_back(std::move(local));

  add_loopback_flows(out, p);

  // Enter the peer datapath's ingress pipeline with fresh registers and conntrack state.
  const sb::DatapathBinding* pdp = peer.datapath();
  ActionList c;
  c.push_back(CtClear{});
  c.push_back(load_reg(ovn::kRegDnatZone, 0));
  c.push_back(load_reg(ovn::kRegSnatZone, 0));
  c.push_back(load_reg(ovn::kRegCtZone, 0));
  put_nat_zones(c, zones, pdp->uuid());
  c.push_back(load_metadata(static_cast<uint32_t>(pdp->tunnel_key())));
  c.push_back(load_reg(ovn::kRegLogInport, static_cast<uint32_t>(peer.tunnel_key())));
  c.push_back(load_reg(ovn::kRegLogFlags, 0));
  c.push_back(load_reg(ovn::kRegLogOutport, 0));
  for (int r = 0; r < ovn::kNumLogicalRegs; ++r) c.push_back(load_reg(r, 0));
  c.push_back(resubmit(ovn::kTableLogIngressPipeline));
  Flow phy = make_flow(ovn::kTableLogToPhy, kPrioPort, p.cookie);
  phy.match = port_match(ovn::kRegLogOutport, p);
  phy.actions.push_back(Clone{std::move(c)});
  out.push_back(std::move(phy));
}

void add_remote_flow(std::vector<Flow>& out, const PortCtx& p, const TunnelPort& t) {
  Flow f = make_flow(ovn::kTableRemoteOutput, kPrioPort, p.cookie);
  f.match = port_match(ovn::kRegLogOutport, p);
  put_encapsulation(f.actions, t, p.dp_key, p.key);
  f.actions.push_back(output(static_cast<uint16_t>(t.ofport)));
  f.actions.push_back(resubmit(ovn::kTableLocalOutput));
  out.push_back(std::move(f));
}

void add_multicast_flows(std::vector<Flow>& out, const sb::MulticastGroup& mc, uint32_t dp_key,
                         const PhysicalInputs& in) {
  const LocalState& local = *in.local;
  std::vector<const sb::PortBinding*> members = mc.ports().to_vector();
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) {
    return a->tunnel_key() < b->tunnel_key();
  });
  auto mc_key = static_cast<uint32_t>(mc.tunnel_key());
  uint64_t cookie = cookie_of(mc.uuid());

  ActionList remote, local_acts;
  std::vector<const TunnelPort*> tunnels;
  for (const sb::PortBinding* pb : members) {
    if (!pb->datapath() || static_cast<uint32_t>(pb->datapath()->tunnel_key()) != dp_key) continue;
    auto key = static_cast<uint32_t>(pb->tunnel_key());
    if (pb->type() == "patch") {
      remote.push_back(load_reg(ovn::kRegLogOutport, key));
      remote.push_back(resubmit(ovn::kTableCheckLoopback));
      continue;
    }
    if (const LocalBinding* b = local.binding(pb->logical_port())) {
      if (uint16_t zone = in.zones->port_zone(b->lport)) {
        local_acts.push_back(load_reg(ovn::kRegCtZone, zone));
      }
      local_acts.push_back(load_reg(ovn::kRegLogOutport, key));
      local_acts.push_back(resubmit(ovn::kTableCheckLoopback));
      continue;
    }
    const sb::Chassis* ch = pb->chassis();
    if (!ch || ch->name() == local.chassis_name) continue;
    const TunnelPort* t = in.bridge->tunnel_to(ch->name());
    if (t && std::find(tunnels.begin(), tunnels.end(), t) == tunnels.end()) tunnels.push_back(t);
  }
  if (!remote.empty()) remote.push_back(load_reg(ovn::kRegLogOutport, mc_key));
  std::sort(tunnels.begin(), tunnels.end(),
            [](auto* a, auto* b) { return a->port_name < b->port_name; });
  const std::string* encap_type = nullptr;
  for (const TunnelPort* t : tunnels) {
    if (!encap_type || *encap_type != t->type) {
      put_encapsulation(remote, *t, dp_key, mc_key);
      encap_type = &t->type;
    }
    remote.push_back(output(static_cast<uint16_t>(t->ofport)));
  }
  bool has_local = !local_acts.empty();
  if (has_local) {
    local_acts.push_back(load_reg(ovn::kRegLogOutport, mc_key));
    Flow f = make_flow(ovn::kTableLocalOutput, kPrioPort, cookie);
    match_reg(f.match, ovn::kRegLogOutport, mc_key);
    match_metadata(f.match, dp_key);
    f.actions = std::move(local_acts);
    out.push_back(std::move(f));
  }
  if (!remote.empty()) {
    if (has_local) remote.push_back(resubmit(ovn::kTableLocalOutput));
    Flow f = make_flow(ovn::kTableRemoteOutput, kPrioPort, cookie);
    match_reg(f.match, ovn::kRegLogOutport, mc_key);
    match_metadata(f.match, dp_key);
    f.actions = std::move(remote);
    out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<Flow> build_static_flows() {
  std::vector<Flow> out;
  out.push_back(make_flow(ovn::kTablePhyToLog, 0));  // unknown in_port: drop

  Flow detect = make_flow(ovn::kTableOutputLargePktDetect, 0);
  detect.actions.push_back(resubmit(ovn::kTableRemoteOutput));
  out.push_back(std::move(detect));

  Flow proc_lb = make_flow(ovn::kTableOutputLargePktProcess, 10);
  match_flag(proc_lb.match, ovn::kFlagAllowLoopbackBit, true);
  proc_lb.actions.push_back(resubmit(ovn::kTableLocalOutput));
  out.push_back(std::move(proc_lb));
  Flow proc = make_flow(ovn::kTableOutputLargePktProcess, 0);
  proc.actions.push_back(resubmit(ovn::kTableRemoteOutput));
  out.push_back(std::move(proc));

  // Locally originated multicast, and packets from a ramp switch, stay local.
  Flow local_only = make_flow(ovn::kTableRemoteOutput, kPrioFlags);
  match_flag(local_only.match, ovn::kFlagLocalOnlyBit, true);
  local_only.actions.push_back(resubmit(ovn::kTableLocalOutput));
  out.push_back(std::move(local_only));
  Flow ramp = make_flow(ovn::kTableRemoteOutput, kPrioFlags);
  match_reg_masked(ramp.match, ovn::kRegLogFlags, 1u << ovn::kFlagRcvFromRampBit,
                   (1u << ovn::kFlagRcvFromRampBit) | (1u << ovn::kFlagAllowLoopbackBit));
  ramp.actions.push_back(resubmit(ovn::kTableLocalOutput));
  out.push_back(std::move(ramp));
  Flow remote = make_flow(ovn::kTableRemoteOutput, 0);
  remote.actions.push_back(resubmit(ovn::kTableLocalOutput));
  out.push_back(std::move(remote));

  out.push_back(make_flow(ovn::kTableLocalOutput, 0));  // no local port: drop

  Flow egress = make_flow(ovn::kTableCheckLoopback, 0);
  for (int r = 0; r < ovn::kNumLogicalRegs; ++r) egress.actions.push_back(load_reg(r, 0));
  egress.actions.push_back(resubmit(ovn::kTableLogEgressPipeline));
  out.push_back(std::move(egress));

  Flow save = make_flow(ovn::kTableSaveInport, 0);
  save.actions.push_back(resubmit(ovn::kTableLogToPhy));
  out.push_back(std::move(save));

  out.push_back(make_flow(ovn::kTableLogToPhy, 0));  // no such port here: drop
  return out;
}

std::vector<Flow> build_tunnel_flows(const BridgeState& bridge) {
  std::vector<Flow> out;
  add_tunnel_classification(out, bridge);
  return out;
}

const LocalDatapath* local_datapath_of(const LocalState& local, const sb::DatapathBinding* dp) {
  if (!dp) return nullptr;
  auto it = local.datapaths.find(static_cast<uint32_t>(dp->tunnel_key()));
  return it != local.datapaths.end() && it->second.uuid == dp->uuid() ? &it->second : nullptr;
}

std::vector<Flow> build_port_flows(const PhysicalInputs& in, const sb::PortBinding& pb) {
  std::vector<Flow> out;
  if (pb.is_deleted()) return out;
  const sb::DatapathBinding* dp = pb.datapath();
  const LocalDatapath* ldp = local_datapath_of(*in.local, dp);
  if (!ldp) return out;
  const LocalState& local = *in.local;
  PortCtx p{&pb, ldp->key, static_cast<uint32_t>(pb.tunnel_key()), cookie_of(pb.uuid())};
  if (const LocalBinding* b = local.binding(pb.logical_port())) {
    if (b->pb != pb.uuid()) return out;
    if (b->ofport > 0) add_vif_flows(out, p, *b, *in.zones);
    add_port_security_flows(out, pb, ldp->key);
    return out;
  }
  const std::string& type = pb.type();
  if (type == "patch") {
    auto peer_name = pb.options().get("peer");
    const sb::PortBinding* peer =
        peer_name ? sb::PortBinding::find_by_logical_port(in.sb->replica(), *peer_name) : nullptr;
    if (!peer || !peer->datapath() ||
        !local.is_local_datapath(static_cast<uint32_t>(peer->datapath()->tunnel_key()))) {
      return out;
    }
    add_patch_flows(out, p, *dp, *peer, *in.zones);
    return out;
  }
  if (!type.empty() && type != "virtual") return out;
  const sb::Chassis* ch = pb.chassis();
  if (!ch || ch->name() == local.chassis_name) return out;
  if (const TunnelPort* t = in.bridge->tunnel_to(ch->name())) add_remote_flow(out, p, *t);
  return out;
}

std::vector<Flow> build_multicast_flows(const PhysicalInputs& in, const sb::MulticastGroup& mc) {
  std::vector<Flow> out;
  if (mc.is_deleted()) return out;
  const LocalDatapath* ldp = local_datapath_of(*in.local, mc.datapath());
  if (!ldp) return out;
  add_multicast_flows(out, mc, ldp->key, in);
  return out;
}

std::vector<Flow> build_physical_flows(const PhysicalInputs& in) {
  std::vector<Flow> out = build_static_flows();
  add_tunnel_classification(out, *in.bridge);
  const auto& sb = in.sb->replica();
  auto append = [&out](std::vector<Flow> flows) {
    for (Flow& f : flows) out.push_back(std::move(f));
  };
  for (const auto& [dp_key, ldp] : in.local->datapaths) {
    const auto* dp = sb::DatapathBinding::get(sb, ldp.uuid);
    if (!dp) continue;
    for (const sb::PortBinding* pb : in.sb->ports_of(*dp)) append(build_port_flows(in, *pb));
    for (const sb::MulticastGroup* mc : in.sb->mcgroups_of(*dp)) {
      append(build_multicast_flows(in, *mc));
    }
  }
  return out;
}

}  // namespace ovnx::controller
