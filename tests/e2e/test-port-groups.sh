#!/bin/bash
# ACLs on port groups across two hypervisors. A controller expands a port group only to the
# members that can be local to its chassis (as ovn-controller does), so these check that the
# groups still behave as wholes:
#   - a to-lport drop of echo requests to `@pg1` stops pings to a member on the other host, while
#     a port outside the group stays reachable;
#   - a member that only gets its interface later (bound after the ACL exists) is covered as
#     soon as it is installed, on its own host (the unit tests check that no recompute is
#     needed for it);
#   - taking it out of the group lets its traffic through again.
# (E2E_CONTROLLER=real runs the same checks against the real ovn-controller.)
source "$(dirname "$0")/lib.sh"

e2e_seed
e2e_wait_seed_pings 60
pass "seed pings before any port group"

# A third port of ls1, known to the NB but with no interface yet.
nb lsp-add ls1 ls1-node1-ns3 -- lsp-set-addresses ls1-node1-ns3 "00:00:00:00:00:04 192.168.1.40"
nb pg-add pg1 ls1-node2-ns1 ls1-node1-ns3
nb --wait=hv acl-add pg1 to-lport 1001 'outport == @pg1 && icmp4.type == 8' drop
e2e_ping n1ns1 192.168.1.20 && fail "ping to a member on node2 passed the port group's drop"
e2e_ping n1ns1 192.168.2.30 || fail "ping to a port outside the group was dropped"
pass "to-lport drop on a port group stops pings to its member on the other host"

e2e_workload node1 n1ns3 00:00:00:00:00:04 192.168.1.40/24 192.168.1.1 ls1-node1-ns3
installed() {
  [[ $(vs node1 --if-exists get interface "$(e2e_vif n1ns3)" external_ids:ovn-installed) == '"true"' ]]
}
e2e_wait_for "ls1-node1-ns3 installed on node1" 30 installed
nb --wait=hv sync
e2e_wait_for "ping n1ns3 -> n1ns1 (not in the group)" 20 e2e_ping n1ns3 192.168.1.10 1
e2e_ping n2ns1 192.168.1.40 && fail "ping to the member bound after the ACL passed its drop"
pass "a member bound later is covered by the group's ACL on its own host"

nb --wait=hv pg-set-ports pg1 ls1-node2-ns1
e2e_wait_for "ping n2ns1 -> n1ns3 once out of the group" 20 e2e_ping n2ns1 192.168.1.40 1
e2e_ping n1ns1 192.168.1.20 && fail "the member left in the group is reachable"
pass "a port taken out of the group is reachable again"
exit 0
