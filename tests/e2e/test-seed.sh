#!/bin/bash
# The seed scenario end to end with ovnx-controller on both hypervisors (central: the real
# ovsdb-server + ovn-northd, or E2E_CENTRAL=ovnx): two namespace hosts with real ovs-vswitchd
# (userspace datapath), geneve between them; ls1 across both hosts, ls2 on node2, router lr1.
# Same topology and commands as /work/shared/reference/real-ovn-seed-demo.sh.
source "$(dirname "$0")/lib.sh"

e2e_seed
nb --wait=hv --timeout=60 sync || fail "nbctl --wait=hv did not complete"
e2e_log "converged (--wait=hv)"

# L2 across the tunnel, both ways; the router's own address; L3 both ways.
e2e_ping n1ns1 192.168.1.20 || fail "L2 ping node1 -> node2 (ls1 over geneve)"
pass "L2 ping n1ns1 -> 192.168.1.20"
e2e_ping n2ns1 192.168.1.10 || fail "L2 ping node2 -> node1"
pass "L2 ping n2ns1 -> 192.168.1.10"
e2e_ping n1ns1 192.168.1.1 || fail "ping to the router address"
pass "ping n1ns1 -> 192.168.1.1 (lr1)"
e2e_ping n1ns1 192.168.2.30 || fail "L3 ping ls1 -> ls2"
pass "L3 ping n1ns1 -> 192.168.2.30"
e2e_ping n2ns2 192.168.1.10 || fail "L3 ping ls2 -> ls1"
pass "L3 ping n2ns2 -> 192.168.1.10"
ttl_l2=$(e2e_ping_ttl n1ns1 192.168.1.20)
ttl_l3=$(e2e_ping_ttl n1ns1 192.168.2.30)
[[ $ttl_l2 == 64 ]] || fail "L2 reply TTL $ttl_l2, expected 64"
[[ $ttl_l3 == 63 ]] || fail "L3 reply TTL $ttl_l3, expected 63 (decremented by lr1)"
pass "TTL 64 across the switch, 63 across the router"

# The Southbound view: both chassis with their geneve encaps and port bindings.
show=$(sb show)
echo "$show"
for want in "Chassis node1" "Chassis node2" 'ip: "10.0.12.7"' 'ip: "10.0.12.11"' \
  "Port_Binding ls1-node1-ns1" "Port_Binding ls1-node2-ns1" "Port_Binding ls2-node2-ns2"; do
  grep -q "$want" <<<"$show" || fail "sbctl show lacks: $want"
done
[[ $(grep -c "Encap $E2E_ENCAP" <<<"$show") == 2 ]] || fail "expected two $E2E_ENCAP encaps"
pass "ovn-sbctl show lists both chassis, encaps and port bindings"

# Ports are up (northd saw Port_Binding.up) and interfaces marked ovn-installed.
for p in ls1-node1-ns1 ls1-node2-ns1 ls2-node2-ns2; do
  [[ $(nb get logical_switch_port "$p" up) == true ]] || fail "NB port $p not up"
done
[[ $(vs node2 get interface "$(e2e_vif n2ns1)" external_ids:ovn-installed) == '"true"' ]] ||
  fail "ovn-installed not set on node2's interface"
pass "ports up, interfaces ovn-installed"

# br-int as OVN makes it, and the tunnel named as OVN names it.
[[ $(vs node1 get bridge br-int fail_mode) == secure ]] || fail "br-int fail_mode"
vs node1 get interface ovn-node2-0 options | grep -q 'remote_ip="10.0.12.11"' ||
  fail "tunnel ovn-node2-0 on node1"
[[ $(vs node1 get interface ovn-node2-0 type) == "$E2E_ENCAP" ]] || fail "tunnel type"
pass "br-int secure; tunnel ovn-node2-0 $E2E_ENCAP to 10.0.12.11"

# --wait=hv reports back: Chassis_Private.nb_cfg follows NB_Global.nb_cfg.
nb --wait=hv --timeout=30 sync || fail "second --wait=hv"
cfg=$(nb get NB_Global . nb_cfg)
for h in node1 node2; do
  [[ $(sb get Chassis_Private "$h" nb_cfg) == "$cfg" ]] || fail "$h did not report nb_cfg $cfg"
done
pass "nb_cfg $cfg reported by both chassis"
# The control socket (both flavours answer these).
for h in node1 node2; do
  [[ $(ctl "$h" connection-status) == connected ]] || fail "$h connection-status"
done
if [[ $(cat "$E2E_DIR/node1/controller.flavour") == ovnx ]]; then
  ctl node1 inc-engine/show-stats | grep -q lflow_output || fail "inc-engine/show-stats"
  ctl node1 vlog/set binding:file:dbg || fail "vlog/set"
  before=$(e2e_flows node1)
  ctl node1 recompute || fail "recompute"
  nb --wait=hv --timeout=30 sync || fail "--wait=hv after recompute"
  [[ $(e2e_flows node1) == "$before" ]] || fail "recompute changed the flows"
  pass "appctl connection-status, inc-engine/show-stats, vlog/set, recompute (same flows)"
fi
echo "logical flows: $(sb lflow-list | grep -c 'table=')"
for h in node1 node2; do
  echo "$h: $(e2e_flows "$h" | wc -l) OpenFlow flows"
done
exit 0
