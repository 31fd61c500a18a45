// The formatter against lines `ovs-ofctl -O OpenFlow15 --no-stats dump-flows` printed for the
// same flows installed in Open vSwitch 3.1.
#include <gtest/gtest.h>

#include "openflow/format.h"

namespace ovnx::openflow {
namespace {

Flow flow(uint8_t table, uint16_t priority) {
  Flow f;
  f.table_id = table;
  f.priority = priority;
  return f;
}

constexpr uint16_t kIp = 0x0800, kIpv6 = 0x86dd, kArp = 0x0806;

TEST(Format, ExampleFromTheBrief) {
  Flow f = flow(8, 100);
  f.cookie = 5;
  f.match.set(reg(14), 1);
  f.match.set(Field::metadata, 1);
  f.match.set(Field::eth_src, 1);
  f.actions = {Resubmit{kPortInPort, 9}};
  EXPECT_EQ(format_flow(f),
            "cookie=0x5, table=8, priority=100,reg14=0x1,metadata=0x1,dl_src=00:00:00:00:00:01 "
            "actions=resubmit(,9)");
}

TEST(Format, ConjunctionAndCt) {
  Flow f = flow(9, 51);
  f.match.set(Field::eth_type, kIp);
  f.match.set_masked(Field::ip_src, 0x0a000000, 0xff000000);
  f.actions = {Conjunction{7, 0, 2}, Conjunction{8, 1, 3}};
  EXPECT_EQ(format_flow(f),
            "table=9, priority=51,ip,nw_src=10.0.0.0/8 actions=conjunction(7,1/2),"
            "conjunction(8,2/3)");

  Flow g = flow(9, 50);
  g.match.set(Field::eth_type, kIp);
  g.match.set_masked(Field::ip_src, 0x0a000000, 0xff000000);
  g.match.set_masked(reg(0), 5, 0xff);
  g.match.set(xxreg(1), 1);
  g.actions = {Ct{.commit = true,
                  .zone_src = Subfield{reg(13), 0, 16},
                  .recirc_table = 10,
                  .actions = {Nat{.kind = Nat::Kind::kSrc,
                                  .family = Nat::Family::kIpv4,
                                  .addr_min = 0x0a000001,
                                  .addr_max = 0x0a000002,
                                  .port_min = 100,
                                  .port_max = 200,
                                  .random = true},
                              SetField{Field::ct_mark, 1, 1},
                              SetField::load(Subfield{Field::ct_label, 0, 2}, 3)}}};
  EXPECT_EQ(format_flow(g),
            "table=9, priority=50,ip,reg0=0x5/0xff,reg4=0,reg5=0,reg6=0,reg7=0x1,"
            "nw_src=10.0.0.0/8 actions=ct(commit,table=10,zone=NXM_NX_REG13[0..15],"
            "nat(src=10.0.0.1-10.0.0.2:100-200,random),exec(set_field:0x1/0x1->ct_mark,"
            "set_field:0x3/0x3->ct_label))");
}

TEST(Format, ManyActions) {
  Flow f = flow(10, 10);
  f.match.set_masked(Field::ct_state, kCtStateTrk | kCtStateEst,
                     kCtStateTrk | kCtStateEst | kCtStateNew);
  f.match.set(Field::eth_type, kIpv6);
  f.match.set(Field::nw_proto, 6);
  f.match.set(tun_metadata(0), 5);
  f.match.set(Field::in_port, kPortLocal);
  f.match.set(Field::ipv6_src, U128(0xfe80000000000000ULL, 1));
  f.match.set(Field::tcp_dst, 80);
  f.actions = {Meter{4},
               Controller{.userdata = {0, 0, 0, 1}, .pause = true},
               Move{Subfield::whole(reg(14)), Subfield::whole(reg(15))},
               SetField::exact(reg(15), 5),
               SetField::load(Subfield{reg(10), 3, 1}, 1),
               Move{Subfield{tun_metadata(0), 16, 15}, Subfield{reg(14), 0, 15}},
               OutputReg{Subfield::whole(reg(15))},
               StackPush{Subfield::whole(Field::in_port)},
               StackPop{Subfield::whole(Field::in_port)},
               CheckPktLarger{1500, Subfield{reg(0), 1, 1}},
               Clone{{DecTtl{}, CtClear{}}},
               Note{{1, 2, 3, 0, 0, 0}},
               Group{3},
               SetQueue{5},
               PushVlan{},
               PopVlan{},
               Output{3},
               SetField::exact(Field::eth_src, 5),
               SetField::exact(xreg(1), 2),
               SetField::load(Subfield{Field::metadata, 0, 8}, 5)};
  EXPECT_EQ(format_flow(f),
            "table=10, priority=10,ct_state=-new+est+trk,tcp6,tun_metadata0=0x5,in_port=LOCAL,"
            "ipv6_src=fe80::1,tp_dst=80 actions=meter:4,controller(userdata=00.00.00.01,pause),"
            "move:NXM_NX_REG14[]->NXM_NX_REG15[],set_field:0x5->reg15,"
            "set_field:0x8/0x8->reg10,move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],"
            "output:NXM_NX_REG15[],push:NXM_OF_IN_PORT[],pop:NXM_OF_IN_PORT[],"
            "check_pkt_larger(1500)->NXM_NX_REG0[1],clone(dec_ttl,ct_clear),"
            "note:01.02.03.00.00.00,group:3,set_queue:5,push_vlan:0x8100,pop_vlan,output:3,"
            "set_field:00:00:00:00:00:05->eth_src,set_field:0x2->xreg1,"
            "set_field:0x5/0xff->metadata");

  Flow g = flow(11, 11);
  g.match.set(Field::eth_type, kIpv6);
  g.match.set(Field::nw_proto, 58);
  g.match.set(Field::nw_tos, 16);
  g.match.set(Field::nw_ecn, 1);
  g.match.set(Field::nw_ttl, 3);
  g.match.set(Field::icmpv6_type, 5);
  g.actions = {Ct{.zone_imm = 5, .actions = {Nat{}}},
               Ct{.commit = true,
                  .force = true,
                  .actions = {Nat{.kind = Nat::Kind::kDst,
                                  .family = Nat::Family::kIpv6,
                                  .addr_min = U128(0xfe80000000000000ULL, 1),
                                  .addr_max = U128(0xfe80000000000000ULL, 5),
                                  .port_min = 80}}},
               Controller{},
               Controller{.reason = kPacketInReasonNoMatch, .userdata = {1, 2}},
               Output{kPortLocal},
               Output{kPortInPort},
               Resubmit{3, 5},
               Resubmit{7, kTableNone}};
  EXPECT_EQ(format_flow(g),
            "table=11, priority=11,icmp6,nw_tos=16,nw_ecn=1,nw_ttl=3,icmp_type=5 "
            "actions=ct(zone=5,nat),ct(commit,force,nat(dst=[fe80::1]-[fe80::5]:80)),"
            "CONTROLLER:65535,controller(reason=no_match,userdata=01.02),LOCAL,IN_PORT,"
            "resubmit(3,5),resubmit:7");
}

TEST(Format, MatchFieldOrderAndShorthands) {
  Flow a = flow(11, 10);
  a.match.set(Field::eth_type, kArp);
  a.match.set(Field::arp_op, 1);
  a.match.set(Field::arp_spa, 0x01010101);
  a.match.set(Field::arp_tha, 0);
  a.match.set_masked(Field::vlan_tci, 0x1005, 0x1fff);
  EXPECT_EQ(format_flow(a),
            "table=11, priority=10,arp,dl_vlan=5,arp_spa=1.1.1.1,arp_op=1,"
            "arp_tha=00:00:00:00:00:00 actions=drop");

  Flow b = flow(1, 1);
  b.match.set(Field::eth_type, kIp);
  b.match.set(Field::nw_proto, 6);
  b.match.set_masked(Field::tcp_flags, 0x002, 0x012);
  b.match.set(Field::tcp_src, 5);
  b.match.set(reg(3), 5);
  b.match.set_masked(Field::ip_dst, 0x01020300, 0xffffff00);
  b.match.set_masked(Field::eth_dst, U128(0x010000000000), U128(0x010000000000));
  b.match.set(Field::in_port, 3);
  b.match.set(Field::pkt_mark, 5);
  b.match.set_masked(Field::metadata, 5, 0xff);
  b.actions = {Output{5}};
  EXPECT_EQ(format_flow(b),
            "table=1, priority=1,pkt_mark=0x5,tcp,reg3=0x5,metadata=0x5/0xff,in_port=3,"
            "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,nw_dst=1.2.3.0/24,tp_src=5,"
            "tcp_flags=+syn-ack actions=output:5");

  Flow c = flow(1, 2);
  c.match.set(Field::eth_type, kIpv6);
  c.match.set(Field::nw_proto, 50);
  c.match.set_masked(Field::tun_id, 5, 0xff);
  c.match.set(Field::tun_ipv6_src, 2);
  c.match.set_masked(Field::vlan_tci, 0x1000, 0x1000);
  c.match.set_masked(Field::ipv6_src, U128(0xfe80000000000000ULL, 0),
                     U128(~uint64_t{0}, 0));
  c.match.set(Field::ipv6_dst, 1);
  c.match.set(Field::ipv6_label, 5);
  EXPECT_EQ(format_flow(c),
            "table=1, priority=2,ipv6,tun_id=0x5/0xff,tun_ipv6_src=::2,vlan_tci=0x1000/0x1000,"
            "ipv6_src=fe80::/64,ipv6_dst=::1,ipv6_label=0x00005,nw_proto=50 actions=drop");

  Flow d = flow(1, 3);
  d.match.set(Field::eth_type, 0x1234);
  d.match.set(Field::tun_src, 0x01010101);
  d.match.set(Field::tun_dst, 0x02020202);
  d.match.set(Field::vlan_pcp, 3);
  d.match.set_masked(Field::vlan_tci, 0x7000, 0xf000);  // what the switch reports for pcp=3
  d.actions = {OutputReg{Subfield{reg(1), 0, 16}}};
  EXPECT_EQ(format_flow(d),
            "table=1, priority=3,tun_src=1.1.1.1,tun_dst=2.2.2.2,dl_vlan_pcp=3,dl_type=0x1234 "
            "actions=output:NXM_NX_REG1[0..15]");

  Flow e = flow(1, 4);
  e.match.set(Field::eth_type, kIpv6);
  e.match.set(Field::nw_proto, 58);
  e.match.set(Field::icmpv6_type, 135);
  e.match.set(Field::nd_target, U128(0xfe80000000000000ULL, 1));
  e.match.set(Field::nd_sll, 1);
  e.match.set(Field::nd_reserved, 5);
  e.match.set(Field::nd_options_type, 1);
  EXPECT_EQ(format_flow(e),
            "table=1, priority=4,icmp6,icmp_type=135,nd_target=fe80::1,"
            "nd_sll=00:00:00:00:00:01,nd_reserved=5,nd_options_type=1 actions=drop");

  Flow f = flow(1, 5);
  f.match.set(Field::eth_type, kIp);
  f.match.set(Field::nw_proto, 1);
  f.match.set(Field::icmp_type, 3);
  f.match.set(Field::icmp_code, 4);
  f.match.set_masked(Field::nw_frag, 1, 3);
  f.match.set(Field::nw_tos, 4);
  EXPECT_EQ(format_flow(f),
            "table=1, priority=5,icmp,nw_tos=4,nw_frag=first,icmp_type=3,icmp_code=4 "
            "actions=drop");

  Flow g = flow(1, 12);
  g.match.set(Field::eth_type, kIp);
  g.match.set(Field::conj_id, 5);
  g.match.set_masked(Field::ct_state, 0xfc, 0xfc);
  g.match.set(Field::ct_mark, 5);
  g.match.set(Field::ct_label, 1);
  g.match.set(Field::ct_nw_dst, 0x01010101);
  EXPECT_EQ(format_flow(g),
            "table=1, priority=12,conj_id=5,ct_state=+rel+rpl+inv+trk+snat+dnat,ct_mark=0x5,"
            "ct_label=0x1,ct_nw_dst=1.1.1.1,ip actions=drop");

  Flow h = flow(1, 11);
  h.match.set(Field::eth_type, kArp);
  h.match.set(Field::arp_op, 2);
  h.match.set_masked(Field::arp_tpa, 0x01010100, 0xffffff00);
  h.match.set(Field::arp_sha, 1);
  EXPECT_EQ(format_flow(h),
            "table=1, priority=11,arp,arp_tpa=1.1.1.0/24,arp_op=2,arp_sha=00:00:00:00:00:01 "
            "actions=drop");

  Flow i = flow(1, 6);
  i.match.set(Field::eth_type, kIpv6);
  i.match.set(Field::nw_proto, 17);
  i.match.set(Field::udp_dst, 67);
  EXPECT_EQ(format_flow(i), "table=1, priority=6,udp6,tp_dst=67 actions=drop");
}

TEST(Format, FragmentsTcpFlagsAndMasks) {
  auto m = [](Field f, U128 v, U128 mask) {
    Match x;
    x.set_masked(f, v, mask);
    return format_match(x);
  };
  EXPECT_EQ(m(Field::nw_frag, 0, 2), "nw_frag=not_later");
  EXPECT_EQ(m(Field::nw_frag, 0, 1), "nw_frag=no");
  EXPECT_EQ(m(Field::nw_frag, 1, 1), "nw_frag=yes");
  EXPECT_EQ(m(Field::nw_frag, 3, 3), "nw_frag=later");
  EXPECT_EQ(m(Field::tcp_flags, 0x012, 0xfff), "tcp_flags=syn|ack");
  EXPECT_EQ(m(Field::tcp_flags, 0x002, 0x0ff), "tcp_flags=-fin+syn-rst-psh-ack-urg-ece-cwr");
  EXPECT_EQ(m(reg(0), 0, 1), "reg0=0/0x1");
  EXPECT_EQ(m(Field::eth_dst, U128(0xaabb00000000), U128(0xffff00000000)),
            "dl_dst=aa:bb:00:00:00:00/ff:ff:00:00:00:00");
  EXPECT_EQ(m(Field::ipv6_src, U128(0xfe80000000000000ULL, 1),
              U128(0xffff000000000000ULL, 0xffff)),
            "ipv6_src=fe80::1/ffff::ffff");
  EXPECT_EQ(m(Field::ip_src, 0x0a000000, 0xff00ff00), "nw_src=10.0.0.0/255.0.255.0");
  EXPECT_EQ(m(Field::ct_label, U128(1, 0), U128(1, 0)),
            "ct_label=0x10000000000000000/0x10000000000000000");
  EXPECT_EQ(m(Field::vlan_tci, 0, 0xffff), "vlan_tci=0x0000");
}

TEST(Format, FlowHeaderParts) {
  Flow f = flow(2, kDefaultPriority);
  EXPECT_EQ(format_flow(f), "table=2, actions=drop");
  Flow g = flow(2, 18);
  g.cookie = 0x123456789;
  g.idle_timeout = 5;
  g.hard_timeout = 10;
  g.flags = kFlowSendFlowRem | kFlowCheckOverlap | kFlowResetCounts | kFlowNoPktCounts |
            kFlowNoBytCounts;
  g.match.set(Field::eth_type, kIp);
  g.match.set(Field::nw_ttl, 5);
  EXPECT_EQ(format_flow(g),
            "cookie=0x123456789, table=2, idle_timeout=5, hard_timeout=10, send_flow_rem "
            "check_overlap reset_counts no_packet_counts no_byte_counts priority=18,ip,nw_ttl=5 "
            "actions=drop");
  Flow h = flow(0, 0);
  h.actions = {Output{kPortNormal}};
  EXPECT_EQ(format_flow(h), "priority=0 actions=NORMAL");
}

}  // namespace
}  // namespace ovnx::openflow
