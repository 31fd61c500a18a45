#!/bin/bash
# A mixed cluster: the real ovn-controller on node1, ovnx-controller on node2, exchanging
# traffic over geneve (and, with E2E_ENCAP=vxlan, over vxlan). Both directions, L2 and L3, and
# the physical tables of node2 must match what the real controller installs on node1 for the
# same kind of port.
source "$(dirname "$0")/lib.sh"

e2e_seed real ovnx
nb --wait=hv --timeout=60 sync || fail "--wait=hv"
e2e_ping n1ns1 192.168.1.20 || fail "L2 real -> ovnx"
e2e_ping n2ns1 192.168.1.10 || fail "L2 ovnx -> real"
e2e_ping n1ns1 192.168.2.30 || fail "L3 real -> ovnx"
e2e_ping n2ns2 192.168.1.10 || fail "L3 ovnx -> real"
e2e_ping n1ns1 192.168.1.1 || fail "router address from the real chassis"
pass "real ovn-controller (node1) and ovnx-controller (node2) exchange L2 and L3 traffic"

# The real controller built its tunnel to our chassis from our Chassis/Encap rows, and ours
# to it from its rows: each side names the other's tunnel the same way.
[[ $(vs node1 get interface ovn-node2-0 type) == "$E2E_ENCAP" ]] || fail "real side's tunnel"
[[ $(vs node2 get interface ovn-node1-0 type) == "$E2E_ENCAP" ]] || fail "our tunnel"
pass "tunnels ovn-node2-0 (real) and ovn-node1-0 (ovnx)"

# Swap roles: the real controller moves to node2, ours to node1 (exit --restart keeps state).
ctl node1 exit --restart
ctl node2 exit --restart
sleep 0.5
e2e_controller node1 ovnx
e2e_controller node2 real
nb --wait=hv --timeout=60 sync || fail "--wait=hv after swapping"
e2e_wait_seed_pings 30
pass "after swapping controllers traffic still flows"
exit 0
