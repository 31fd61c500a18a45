// A hand-built Southbound snapshot for the tracer tests: switch ls1 (vm1, vm2, patch port
// ls1-lr1, multicast group _MC_flood), router lr1 (lr1-ls1, lr1-ls2), switch ls2 (vm3,
// ls2-lr1), with a few flows per pipeline in the shape northd writes them.
#pragma once

#include <string>
#include <vector>

#include "trace/snapshot.h"

namespace ovnx::trace::testing {

inline Snapshot seed_like_snapshot() {
  using logical::Pipeline;
  Snapshot s;
  s.datapaths = {{"ls1", "11111111-0000-0000-0000-000000000001", 1, false},
                 {"lr1", "22222222-0000-0000-0000-000000000002", 2, true},
                 {"ls2", "33333333-0000-0000-0000-000000000003", 3, false}};
  auto port = [&](std::string name, size_t dp, uint32_t key, std::string type = "",
                  std::string peer = "", std::vector<std::string> ps = {}) {
    s.ports.push_back({std::move(name), std::move(type), dp, key, std::move(peer), std::move(ps)});
  };
  port("vm1", 0, 1, "", "", {"0a:00:00:00:00:01 192.168.1.10"});
  port("vm2", 0, 2, "", "", {"0a:00:00:00:00:02"});
  port("ls1-lr1", 0, 3, "patch", "lr1-ls1");
  port("lr1-ls1", 1, 1, "patch", "ls1-lr1");
  port("lr1-ls2", 1, 2, "patch", "ls2-lr1");
  port("ls2-lr1", 2, 1, "patch", "lr1-ls2");
  port("vm3", 2, 2);
  s.multicast_groups.push_back({0, "_MC_flood", 32768, {"vm1", "vm2", "ls1-lr1"}});
  s.multicast_groups.push_back({2, "_MC_flood", 32768, {"vm3", "ls2-lr1"}});
  int n = 0;
  auto flow = [&](size_t dp, Pipeline p, int table, std::string stage, int prio, std::string m,
                  std::string a) {
    ++n;
    s.flows.push_back({{dp},
                       p,
                       table,
                       prio,
                       std::move(m),
                       std::move(a),
                       std::move(stage),
                       "",
                       "0000" + std::to_string(1000 + n) + "-0000-0000-0000-000000000000"});
  };
  const auto in = Pipeline::kIngress, out = Pipeline::kEgress;
  for (size_t sw : {size_t(0), size_t(2)}) {
    flow(sw, in, 0, "ls_in_check_port_sec", 50, "1", "reg0[15] = check_in_port_sec(); next;");
    flow(sw, in, 1, "ls_in_apply_port_sec", 50, "reg0[15] == 1", "drop;");
    flow(sw, in, 1, "ls_in_apply_port_sec", 0, "1", "next;");
    flow(sw, in, 2, "ls_in_acl", 0, "1", "next;");
    flow(sw, in, 3, "ls_in_l2_lkup", 70, "eth.mcast", "outport = \"_MC_flood\"; output;");
    flow(sw, out, 0, "ls_out_check_port_sec", 0, "1", "reg0[15] = check_out_port_sec(); next;");
    flow(sw, out, 1, "ls_out_apply_port_sec", 50, "reg0[15] == 1", "drop;");
    flow(sw, out, 1, "ls_out_apply_port_sec", 0, "1", "output;");
  }
  flow(0, in, 2, "ls_in_acl", 1000, "ip4.dst == 192.168.1.99", "drop;");
  flow(0, in, 2, "ls_in_acl", 900, "udp", "reg0[0] = 1; ct_next;");
  flow(0, in, 3, "ls_in_l2_lkup", 50, "eth.dst == 0a:00:00:00:00:02", "outport = \"vm2\"; output;");
  flow(0, in, 3, "ls_in_l2_lkup", 50, "eth.dst == 0a:00:00:00:11:00",
       "outport = \"ls1-lr1\"; output;");
  flow(0, in, 3, "ls_in_l2_lkup", 200, "ct.new && ip4.dst == 192.168.1.20", "drop;");
  flow(2, in, 3, "ls_in_l2_lkup", 50, "eth.dst == 0a:00:00:00:00:03", "outport = \"vm3\"; output;");
  flow(1, in, 0, "lr_in_admission", 50, "eth.dst == 0a:00:00:00:11:00 && inport == \"lr1-ls1\"",
       "next;");
  flow(1, in, 1, "lr_in_ip_routing", 74, "ip4.dst == 192.168.2.0/24",
       "ip.ttl--; reg0 = ip4.dst; eth.src = 0a:00:00:00:12:00; outport = \"lr1-ls2\"; "
       "flags.loopback = 1; next;");
  flow(1, in, 2, "lr_in_arp_resolve", 100, "outport == \"lr1-ls2\" && reg0 == 192.168.2.30",
       "eth.dst = 0a:00:00:00:00:03; next;");
  flow(1, in, 2, "lr_in_arp_resolve", 0, "1", "get_arp(outport, reg0); next;");
  flow(1, in, 3, "lr_in_arp_request", 100, "eth.dst == 00:00:00:00:00:00 && ip4",
       "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.op = 1; output; };");
  flow(1, in, 3, "lr_in_arp_request", 0, "1", "output;");
  flow(1, out, 0, "lr_out_delivery", 100, "outport == \"lr1-ls2\"", "output;");
  s.mac_bindings.push_back({"lr1-ls2", "192.168.2.40", "0a:00:00:00:00:40"});
  return s;
}

}  // namespace ovnx::trace::testing
