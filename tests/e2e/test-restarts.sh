#!/bin/bash
# Restarts mid-traffic, each followed by recovery without operator action and a check that the
# switch holds exactly the flows it held before (no stale flows, nothing missing):
#   1. kill -9 of ovnx-controller on node2, then a fresh start;
#   2. kill -9 of ovs-vswitchd on node1 (the flow table is lost), then a fresh start;
#   3. kill -9 of the Southbound database server, then a restart on the same file;
#   4. kill -9 of northd, then a restart;
#   5. a clean exit of ovnx-controller (`exit`) removes the chassis; `exit --restart` keeps it.
source "$(dirname "$0")/lib.sh"

e2e_seed
nb --wait=hv --timeout=60 sync || fail "--wait=hv"
e2e_wait_seed_pings 20
before1=$(e2e_flows node1)
before2=$(e2e_flows node2)

same_flows() {  # HOST BEFORE
  local now
  now=$(e2e_flows "$1")
  [[ "$now" == "$2" ]]
}
check_flows() {
  e2e_wait_for "$1's flows back to what they were" 20 same_flows "$1" "$2" ||
    true
  if ! same_flows "$1" "$2"; then
    diff <(echo "$2") <(e2e_flows "$1") >&2
    fail "$1's flow table differs from before"
  fi
}
bg_ping() { ip netns exec "$E2E_P-$1" ping -i 0.2 -W 1 "$2" >"$E2E_DIR/ping-$1.log" 2>&1 & }

# 1. The controller dies; the switch keeps forwarding with the flows it has.
bg_ping n1ns1 192.168.2.30
kill -9 "$(e2e_pid node2/controller.pid)"
sleep 1
e2e_ping n1ns1 192.168.2.30 1 || fail "traffic stopped while node2's controller was down"
pass "traffic continues while the controller is down"
e2e_controller node2
e2e_wait_seed_pings 20
check_flows node2 "$before2"
[[ $(sb --bare --columns=name find Chassis name=node2) == node2 ]] || fail "node2 chassis lost"
pass "controller restart: same flows, same chassis, traffic flows"

# 2. ovs-vswitchd dies: the datapath and every flow are gone until it is back.
kill -9 "$(e2e_pid node1/vswitchd.pid)"
sleep 1
e2e_start_vswitchd node1
e2e_wait_seed_pings 30
check_flows node1 "$before1"
pass "ovs-vswitchd restart: flows reinstalled, traffic recovered"

# 3. The Southbound server dies and comes back on the same database file.
kill -9 "$(e2e_pid central/sb.pid)"
sleep 1
e2e_ping n1ns1 192.168.1.20 1 || fail "traffic stopped while the SB was down"
e2e_start_db sb
e2e_wait_for "controllers reconnected" 30 bash -c \
  "[[ \$(ip netns exec $E2E_P-node1 ovs-appctl -t $E2E_DIR/node1/controller.ctl connection-status) == connected ]]"
nb --wait=hv --timeout=60 sync || fail "--wait=hv after the SB restart"
e2e_wait_seed_pings 20
check_flows node1 "$before1"
check_flows node2 "$before2"
pass "SB restart: controllers resynchronized, nothing changed"

# 4. northd dies and restarts; a configuration change still reaches the hypervisors.
kill -9 "$(e2e_pid central/northd.pid)"
sleep 0.5
e2e_start_northd
nb lsp-add ls2 ls2-extra -- lsp-set-addresses ls2-extra "00:00:00:00:00:33 192.168.2.33"
nb --wait=hv --timeout=60 sync || fail "--wait=hv after the northd restart"
e2e_wait_seed_pings 20
nb lsp-del ls2-extra
nb --wait=hv --timeout=60 sync || fail "--wait=hv after removing the port"
check_flows node1 "$before1"
check_flows node2 "$before2"
pass "northd restart: changes flow again, and their removal leaves no stale flows"

kill "$(jobs -p)" 2>/dev/null
wait 2>/dev/null

# 5. exit --restart keeps the chassis; a clean exit removes it (and its encaps, claims).
ctl node2 exit --restart
e2e_wait_for "controller gone" 10 bash -c "! kill -0 $(e2e_pid node2/controller.pid) 2>/dev/null"
[[ -n $(sb --bare --columns=name find Chassis name=node2) ]] || fail "exit --restart removed the chassis"
e2e_controller node2
nb --wait=hv --timeout=30 sync || fail "--wait=hv after exit --restart"
check_flows node2 "$before2"
pass "exit --restart keeps the chassis; the restarted controller changes nothing"
ctl node2 exit
e2e_wait_for "chassis removed" 10 bash -c "[[ -z \$(ovn-sbctl --db=unix:$E2E_DIR/central/sb.sock \
  --bare --columns=name find Chassis name=node2) ]]"
[[ -z $(sb --bare --columns=_uuid find Chassis_Private name=node2) ]] || fail "Chassis_Private kept"
[[ -z $(sb --bare --columns=_uuid find Encap ip=10.0.12.11) ]] || fail "Encap kept"
[[ $(sb get Port_Binding ls1-node2-ns1 chassis) == "[]" ]] || fail "port still claimed"
pass "clean exit removes Chassis, Chassis_Private, Encap and the claims"
exit 0
