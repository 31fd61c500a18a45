#include "flows.h"

namespace ovnx::openflow::interop {
namespace {

constexpr uint16_t kIp = 0x0800, kIpv6 = 0x86dd, kArp = 0x0806;

Flow flow(uint8_t table, uint16_t priority) {
  Flow f;
  f.table_id = table;
  f.priority = priority;
  return f;
}

U128 ipv6(uint64_t hi, uint64_t lo) { return U128(hi, lo); }

}  // namespace

std::vector<Flow> main_flows() {
  std::vector<Flow> v;
  {  // table 0: the logical ingress entry point
    Flow f = flow(0, 100);
    f.match.set(Field::in_port, kPortLocal);
    f.match.set(Field::eth_type, kIp);
    f.match.set(Field::eth_src, 1);
    f.actions = {SetField::exact(reg(14), 1), SetField::exact(Field::metadata, 1),
                 Resubmit{kPortInPort, 8}};
    v.push_back(f);
    Flow d = flow(0, 0);
    v.push_back(d);
  }
  {
    Flow f = flow(8, 100);
    f.match.set(reg(14), 1);
    f.match.set(Field::metadata, 1);
    f.match.set(Field::eth_src, 1);
    f.actions = {Resubmit{kPortInPort, 9}};
    v.push_back(f);
  }
  {  // conjunctive match: nw_src in 10/8 and nw_dst == 10.0.0.2
    Flow a = flow(9, 50);
    a.match.set(Field::eth_type, kIp);
    a.match.set_masked(Field::ip_src, 0x0a000000, 0xff000000);
    a.actions = {Conjunction{7, 0, 2}};
    v.push_back(a);
    Flow b = flow(9, 50);
    b.match.set(Field::eth_type, kIp);
    b.match.set(Field::ip_dst, 0x0a000002);
    b.actions = {Conjunction{7, 1, 2}};
    v.push_back(b);
    Flow c = flow(9, 50);
    c.match.set(Field::eth_type, kIp);
    c.match.set(Field::conj_id, 7);
    c.actions = {Ct{.commit = true,
                    .zone_src = Subfield{reg(13), 0, 16},
                    .recirc_table = 10,
                    .actions = {Nat{.kind = Nat::Kind::kSrc,
                                    .family = Nat::Family::kIpv4,
                                    .addr_min = 0x0a000001,
                                    .addr_max = 0x0a000002,
                                    .port_min = 100,
                                    .port_max = 200,
                                    .random = true},
                                SetField{Field::ct_mark, 1, 1}}}};
    v.push_back(c);
  }
  {
    Flow f = flow(10, 10);
    f.match.set_masked(Field::ct_state, kCtStateTrk, kCtStateTrk);
    f.match.set(Field::eth_type, kIp);
    f.actions = {SetField::exact(reg(15), 2), Resubmit{kPortInPort, 11}};
    v.push_back(f);
  }
  {
    Flow f = flow(11, 10);
    f.match.set(tun_metadata(0), 5);
    f.actions = {Move{Subfield{tun_metadata(0), 16, 15}, Subfield{reg(14), 0, 15}},
                 OutputReg{Subfield::whole(reg(15))}};
    v.push_back(f);
    Flow g = flow(11, 5);
    g.match.set(Field::eth_type, kIp);
    g.match.set_masked(Field::ct_mark, 1, 1);
    g.actions = {Meter{1}, Group{1}};
    v.push_back(g);
  }
  {
    Flow f = flow(12, 100);
    f.match.set(Field::eth_type, kArp);
    f.match.set(Field::arp_op, 1);
    f.match.set(Field::arp_tpa, 0x0a000001);
    f.actions = {StackPush{Subfield::whole(Field::in_port)},
                 SetField::exact(Field::in_port, 0), Resubmit{kPortInPort, 13},
                 StackPop{Subfield::whole(Field::in_port)}};
    v.push_back(f);
  }
  {
    Flow f = flow(13, 10);
    f.match.set(Field::eth_type, kIpv6);
    f.actions = {CheckPktLarger{1500, Subfield{reg(0), 1, 1}},
                 Clone{{DecTtl{}, CtClear{}}},
                 SetField::exact(xreg(1), 2),
                 Move{Subfield{xxreg(0), 0, 32}, Subfield::whole(reg(5))},
                 Controller{.max_len = 128, .userdata = {1, 2, 3}},
                 Note{{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}},
                 SetQueue{5},
                 PushVlan{}};
    v.push_back(f);
  }
  {
    Flow f = flow(14, 10);
    f.match.set_masked(Field::ct_state, kCtStateTrk | kCtStateEst,
                       kCtStateTrk | kCtStateEst | kCtStateNew);
    f.match.set(Field::eth_type, kIp);
    f.match.set(Field::nw_proto, 6);
    f.match.set(Field::tcp_dst, 80);
    f.actions = {Ct{.zone_imm = 5, .actions = {Nat{}}}};
    v.push_back(f);
    Flow g = flow(14, 11);
    g.match.set(Field::eth_type, kIpv6);
    g.match.set(Field::ipv6_src, ipv6(0xfe80000000000000ULL, 1));
    g.actions = {Ct{.commit = true,
                    .force = true,
                    .actions = {Nat{.kind = Nat::Kind::kDst,
                                    .family = Nat::Family::kIpv6,
                                    .addr_min = ipv6(0xfe80000000000000ULL, 1),
                                    .addr_max = ipv6(0xfe80000000000000ULL, 5),
                                    .port_min = 80,
                                    .persistent = true,
                                    .hash = true}}}};
    v.push_back(g);
    Flow h = flow(14, 12);
    h.match.set(Field::eth_type, kIpv6);
    h.match.set(Field::nw_proto, 58);
    h.match.set(Field::icmpv6_type, 135);
    h.match.set(Field::nd_target, ipv6(0xfe80000000000000ULL, 2));
    h.actions = {Ct{.commit = true,
                    .zone_imm = 7,
                    .actions = {SetField::load(Subfield{Field::ct_label, 0, 2}, 3)}}};
    v.push_back(h);
  }
  {  // the packet-in path: pause at the controller, then continue in table 21
    Flow f = flow(20, 100);
    f.match.set(Field::in_port, kPortLocal);
    f.match.set(Field::eth_type, kIp);
    f.match.set(Field::nw_proto, 17);
    f.actions = {SetField::exact(reg(0), 0x2a),
                 Controller{.userdata = {0xde, 0xad, 0xbe, 0xef}, .pause = true},
                 Resubmit{kPortInPort, 21}};
    v.push_back(f);
    Flow g = flow(21, 100);
    g.match.set(reg(0), 0x2a);
    v.push_back(g);
  }
  {
    Flow f = flow(22, 10);
    f.match.set_masked(Field::vlan_tci, 0x1005, 0x1fff);
    f.actions = {Output{1}};
    v.push_back(f);
    Flow g = flow(23, 7);
    g.cookie = 0x1234;
    g.hard_timeout = 3600;
    g.flags = kFlowSendFlowRem;
    g.match.set(Field::eth_type, kIp);
    g.match.set(Field::nw_ttl, 5);
    g.actions = {DecTtl{}, Output{kPortLocal}};
    v.push_back(g);
  }
  return v;
}

std::vector<Flow> changed_flows() {
  std::vector<Flow> v;
  for (Flow& f : main_flows()) {
    if (f.table_id == 22) continue;  // deleted
    if (f.table_id == 21) f.actions = {Output{kPortLocal}};  // modified actions
    if (f.table_id == 23) f.cookie = 0x5678;                 // modified cookie
    v.push_back(f);
  }
  Flow added = flow(24, 1);
  added.match.set(Field::eth_type, kIp);
  added.actions = {Resubmit{kPortInPort, 0}};
  v.push_back(added);
  return v;
}

Flow bad_flow() {
  Flow f = flow(30, 1);
  f.actions = {Group{4242}};
  return f;
}

GroupMod group_1() {
  return GroupMod{GroupModCommand::kAdd,
                  GroupType::kSelect,
                  1,
                  kBucketAll,
                  {Bucket{0, {Output{kPortLocal}}, 100}, Bucket{1, {Resubmit{kPortInPort, 21}}, 50}},
                  "dp_hash"};
}

MeterMod meter_1() {
  return MeterMod{MeterModCommand::kAdd, kMeterPktps | kMeterBurst, 1, {MeterBand{1, 100, 10}}};
}

}  // namespace ovnx::openflow::interop
