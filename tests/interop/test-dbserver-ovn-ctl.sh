#!/bin/bash
# The real ovn-nbctl and ovn-sbctl against NB and SB databases served by ovnx-dbserver,
# including set-connection: the server then listens on the TCP remote the Connection row names
# and reports its status, and stops when the row goes away.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"

ovsdb_start nb /usr/share/ovn/ovn-nb.ovsschema --remote=db:OVN_Northbound,NB_Global,connections
ovsdb_start sb /usr/share/ovn/ovn-sb.ovsschema --remote=db:OVN_Southbound,SB_Global,connections
nb() { ovn-nbctl --db="$(ovsdb_remote nb)" --timeout=10 "$@"; }
sb() { ovn-sbctl --db="$(ovsdb_remote sb)" --timeout=10 "$@"; }

nb init
sb init
nb ls-add ls1
nb lsp-add ls1 ls1-p1 -- lsp-set-addresses ls1-p1 "00:00:00:00:00:01 192.168.1.10" \
   -- lsp-set-port-security ls1-p1 00:00:00:00:00:01
nb lsp-add ls1 ls1-p2 -- lsp-set-addresses ls1-p2 "00:00:00:00:00:02 192.168.1.20"
nb ls-add ls2
nb lr-add lr1
nb lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24
nb lrp-add lr1 lr1-ls2 12:00:00:00:12:00 192.168.2.1/24
nb lsp-add ls1 ls1-lr1 -- lsp-set-type ls1-lr1 router -- lsp-set-addresses ls1-lr1 router \
   -- lsp-set-options ls1-lr1 router-port=lr1-ls1
nb acl-add ls1 to-lport 1000 'ip4.src == 10.0.0.1' drop
nb pg-add pg1 ls1-p1 ls1-p2
nb lb-add lb1 10.0.0.100:80 192.168.1.10:80,192.168.1.20:80 tcp

show=$(nb show)
for want in ls1 ls2 lr1 ls1-p1 ls1-lr1 "192.168.1.10" "lr1-ls2" "192.168.2.1/24"; do
  [[ $show == *"$want"* ]] || fail "nb show lacks $want: $show"
done
[[ "$(nb ls-list | wc -l)" == 2 ]] || fail "ls-list"
[[ "$(nb lsp-get-addresses ls1-p1)" == "00:00:00:00:00:01 192.168.1.10" ]] || fail "lsp-get-addresses"
nb acl-list ls1 | grep -q 'drop' || fail "acl-list"
[[ "$(nb --bare --columns=ports list port_group pg1 | wc -w)" == 2 ]] || fail "port group"
nb lsp-del ls1-p2
[[ "$(nb --bare --columns=ports list port_group pg1 | wc -w)" == 1 ]] || fail "weak ref from port group not removed"
nb ls-del ls2
[[ "$(nb ls-list | wc -l)" == 1 ]] || fail "ls-del"
pass "ovn-nbctl: switches, ports, routers, ACLs, port groups, load balancers"

sb chassis-add hv1 geneve 10.0.0.1
sb show | grep -q 'Chassis hv1' || fail "sbctl chassis-add/show"
sb chassis-del hv1
pass "ovn-sbctl"

port=$(ovsdb_free_port)
nb set-connection "ptcp:$port:127.0.0.1"
ovsdb_wait_for "NB TCP remote" 10 ovn-nbctl --db="tcp:127.0.0.1:$port" --timeout=1 ls-list
[[ "$(ovn-nbctl --db=tcp:127.0.0.1:$port ls-list)" == *ls1* ]] || fail "ls-list over TCP"
ovsdb_wait_for "Connection status" 10 bash -c "ovn-nbctl --db=$(ovsdb_remote nb) get connection . status | grep -q bound_port=\\\"$port\\\""
nb get-connection | grep -q "ptcp:$port:127.0.0.1" || fail "get-connection"
nb del-connection
ovsdb_wait_for "listener to close" 10 bash -c "! ovn-nbctl --db=tcp:127.0.0.1:$port --timeout=1 ls-list"
pass "set-connection / del-connection drive the TCP remote"

sport=$(ovsdb_free_port)
sb set-connection "ptcp:$sport:127.0.0.1" -- set connection . inactivity_probe=30000
ovsdb_wait_for "SB TCP remote" 10 ovn-sbctl --db="tcp:127.0.0.1:$sport" --timeout=1 show
pass "ovn-sbctl over TCP"

# read_only in the Connection row: clients of that remote read but cannot write.
rport=$(ovsdb_free_port)
sb set-connection "ptcp:$rport:127.0.0.1" -- set connection . read_only=true
ovsdb_wait_for "read-only SB remote" 10 ovn-sbctl --db="tcp:127.0.0.1:$rport" --timeout=1 show
if err=$(ovn-sbctl --db="tcp:127.0.0.1:$rport" --timeout=5 chassis-add ro-hv geneve 10.0.0.9 2>&1); then
  fail "a write over a read-only remote succeeded"
fi
[[ $err == *'not allowed'* ]] || fail "read-only remote error: $err"
sb chassis-add rw-hv geneve 10.0.0.8
pass "read_only Connection rows refuse writes from their clients"

# Inactivity probes follow Connection.inactivity_probe: a client that never answers the server's
# "echo" is disconnected after about two intervals; one that answers stays.
pport=$(ovsdb_free_port)
nb set-connection "ptcp:$pport:127.0.0.1" -- set connection . inactivity_probe=700
ovsdb_wait_for "probed remote" 10 ovn-nbctl --db="tcp:127.0.0.1:$pport" --timeout=1 ls-list
/usr/bin/python3 - "$pport" <<'PY' || fail "inactivity probe"
import json, socket, sys, time
def client(answer):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(0.1)
    buf, dec, echoes, t0 = "", json.JSONDecoder(), 0, time.time()
    while time.time() - t0 < 4:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            return echoes, time.time() - t0, True
        buf += data.decode()
        while buf.strip():
            try:
                m, end = dec.raw_decode(buf.lstrip())
            except ValueError:
                break
            buf = buf.lstrip()[end:]
            if m.get("method") == "echo":
                echoes += 1
                if answer:
                    s.sendall(json.dumps({"id": m["id"], "result": m["params"], "error": None}).encode())
    return echoes, time.time() - t0, False
echoes, dropped_after, closed = client(False)
assert echoes >= 1 and closed and dropped_after < 3.5, ("silent client", echoes, dropped_after, closed)
echoes, t, closed = client(True)
assert echoes >= 3 and not closed, ("answering client", echoes, t, closed)
print("silent client probed and dropped after %.1f s; answering client kept (%d probes)" %
      (dropped_after, echoes))
PY
pass "inactivity_probe from the Connection row"

# Our own ovnx-nbctl drives the same db: remote.
if [[ -x $OVNX_BIN_DIR/ovnx-nbctl ]]; then
  oport=$(ovsdb_free_port)
  "$OVNX_BIN_DIR/ovnx-nbctl" --db="$(ovsdb_remote nb)" --timeout=10 set-connection "ptcp:$oport:127.0.0.1"
  ovsdb_wait_for "TCP remote set by ovnx-nbctl" 10 ovn-nbctl --db="tcp:127.0.0.1:$oport" --timeout=1 ls-list
  [[ "$("$OVNX_BIN_DIR/ovnx-nbctl" --db="tcp:127.0.0.1:$oport" --timeout=10 ls-list)" == *ls1* ]] ||
    fail "ovnx-nbctl over the TCP remote it set"
  "$OVNX_BIN_DIR/ovnx-nbctl" --db="$(ovsdb_remote nb)" --timeout=10 del-connection
  ovsdb_wait_for "listener to close" 10 bash -c "! ovn-nbctl --db=tcp:127.0.0.1:$oport --timeout=1 ls-list"
  pass "ovnx-nbctl set-connection / del-connection"
fi
