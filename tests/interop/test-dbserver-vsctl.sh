#!/bin/bash
# ovs-vsctl (the C IDL) on the Open_vSwitch schema served by ovnx-dbserver.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"

ovsdb_start conf /usr/share/openvswitch/vswitch.ovsschema
vs() { ovs-vsctl --no-wait --db="$(ovsdb_remote conf)" --timeout=10 "$@"; }

vs init
vs add-br br0 -- set bridge br0 datapath_type=netdev
vs add-port br0 p1 -- set interface p1 type=internal external-ids:iface-id=lsp1
vs add-port br0 p2
vs add-bond br0 bond0 p3 p4
vs set bridge br0 other-config:hwaddr=00:11:22:33:44:55 protocols=OpenFlow13,OpenFlow15
vs set Open_vSwitch . external-ids:system-id=hv1 external-ids:ovn-encap-ip=10.0.0.1

[[ "$(vs list-br)" == br0 ]] || fail "list-br"
[[ "$(vs list-ports br0 | tr '\n' ' ')" == "bond0 p1 p2 " ]] || fail "list-ports: $(vs list-ports br0)"
[[ "$(vs get interface p1 external-ids:iface-id)" == lsp1 ]] || fail "get"
[[ "$(vs get Open_vSwitch . external-ids:system-id)" == hv1 ]] || fail "get system-id"
vs list bridge br0 | grep -q 'protocols.*OpenFlow13' || fail "list bridge"
[[ "$(vs --bare --columns=name find interface external-ids:iface-id=lsp1)" == p1 ]] || fail "find"
vs show | grep -q 'Port bond0' || fail "show"
pass "init, add-br, add-port, add-bond, set, get, list, find, show"

vs del-port br0 p2
vs --if-exists del-port br0 nope
[[ "$(vs list-ports br0 | tr '\n' ' ')" == "bond0 p1 " ]] || fail "del-port"
# Interfaces of deleted ports are garbage collected.
[[ -z "$(vs --bare --columns=name find interface name=p2)" ]] || fail "interface p2 not collected"
vs del-br br0
[[ -z "$(vs list-br)" ]] || fail "del-br"
[[ "$(vs --bare --columns=_uuid list interface | grep -c .)" == 0 ]] || fail "interfaces left"
pass "del-port, del-br with garbage collection"

# wait-until blocks until another client makes the condition true (a "wait" with a timeout).
(sleep 0.5; vs add-br br1) &
vs wait-until bridge br1
pass "wait-until"
