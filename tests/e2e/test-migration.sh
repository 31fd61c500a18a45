#!/bin/bash
# Port migration: the interface of ls1-node1-ns1 moves from node1 to node2 (as a VM would),
# while node2's workloads keep pinging it. node2's ovnx-controller claims the port, node1's
# releases it (without taking it back), and traffic resumes within seconds — L2 now local on
# node2, L3 through the router — with no trace of the port left in node1's flows.
source "$(dirname "$0")/lib.sh"

e2e_seed
nb --wait=hv --timeout=60 sync || fail "--wait=hv"
e2e_ping n2ns1 192.168.1.10 || fail "L2 ping before the move"
e2e_ping n2ns2 192.168.1.10 || fail "L3 ping before the move"
[[ $(sb get Port_Binding ls1-node1-ns1 chassis) == $(sb get Chassis node1 _uuid) ]] ||
  fail "ls1-node1-ns1 not bound to node1 before the move"
ofport1=$(vs node1 get interface "$(e2e_vif n1ns1)" ofport)

# Pings run during the move; we measure how long the port is unreachable.
ip netns exec "$E2E_P-n2ns1" ping -i 0.1 -W 1 192.168.1.10 >"$E2E_DIR/ping.log" 2>&1 &
ping_pid=$!

vif=$(e2e_vif n1ns1)
t0=$(date +%s.%N)
vs node1 del-port br-int "$vif"
ip -n "$E2E_P-node1" link set "$vif" netns "$E2E_P-node2"
ip -n "$E2E_P-node2" link set "$vif" up
vs node2 add-port br-int "$vif" -- set interface "$vif" external-ids:iface-id=ls1-node1-ns1
e2e_wait_for "L2 ping to the migrated port (now local on node2)" 15 e2e_ping n2ns1 192.168.1.10 1
t1=$(date +%s.%N)
e2e_wait_for "L3 ping to the migrated port" 15 e2e_ping n2ns2 192.168.1.10 1
kill "$ping_pid" 2>/dev/null
wait "$ping_pid" 2>/dev/null
downtime=$(echo "$t1 - $t0" | bc)
pass "traffic to ls1-node1-ns1 resumed $(printf '%.1f' "$downtime") s after the move"
(($(echo "$downtime < 10" | bc))) || fail "recovery took ${downtime}s"

e2e_wait_for "Port_Binding on node2" 10 \
  bash -c "[[ \$(ovn-sbctl --db=unix:$E2E_DIR/central/sb.sock get Port_Binding ls1-node1-ns1 chassis) == \
    \$(ovn-sbctl --db=unix:$E2E_DIR/central/sb.sock get Chassis node2 _uuid) ]]"
pass "Port_Binding ls1-node1-ns1 now on node2"
e2e_wait_for "port up again" 10 bash -c "[[ \$(ovn-nbctl --db=unix:$E2E_DIR/central/nb.sock \
  get logical_switch_port ls1-node1-ns1 up) == true ]]"
[[ $(vs node2 get interface "$vif" external_ids:ovn-installed) == '"true"' ]] ||
  fail "ovn-installed not set after the move"
pass "port up and ovn-installed on node2"

# node1 no longer has flows for the port's old OpenFlow port, nor delivers to it locally.
nb --wait=hv --timeout=30 sync || fail "--wait=hv after the move"
if e2e_flows node1 | grep -q "in_port=$ofport1 "; then
  e2e_flows node1 | grep "in_port=$ofport1 " >&2
  fail "node1 still has flows for the old port"
fi
pass "node1 holds no flows for the moved port"

# And back again: the port returns to node1.
ip netns exec "$E2E_P-n2ns1" ping -c 1 -W 1 192.168.1.10 >/dev/null 2>&1
vs node2 del-port br-int "$vif"
ip -n "$E2E_P-node2" link set "$vif" netns "$E2E_P-node1"
ip -n "$E2E_P-node1" link set "$vif" up
vs node1 add-port br-int "$vif" -- set interface "$vif" external-ids:iface-id=ls1-node1-ns1
e2e_wait_for "L2 ping after moving back" 15 e2e_ping n2ns1 192.168.1.10 1
e2e_wait_for "L3 ping after moving back" 15 e2e_ping n2ns2 192.168.1.10 1
pass "moved back to node1, traffic follows"
exit 0
