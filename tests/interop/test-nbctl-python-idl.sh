#!/usr/bin/env bash
# ovnx-nbctl and a python ovs.db.idl client edit one OVN_Northbound database at the same time
# (each against the real ovsdb-server and, when built, ovnx-dbserver): both add ports to the
# same switch (set mutations that must not conflict), both rewrite the same port's addresses
# (conflicting writes: the python side verifies and retries), both set keys of the same map.
# Afterwards the python replica, ovnx-nbctl and the real ovn-nbctl must all see the same
# database: every port from both writers, one of the written address values, both map keys.
set -u
: "${OVNX_BIN_DIR:?}" "${OVNX_SOURCE_DIR:?}"
source "$OVNX_SOURCE_DIR/tests/interop/ctl_golden_lib.sh"
SCHEMA=$OVNX_SOURCE_DIR/schemas/ovn-nb.ovsschema
NBCTL=$OVNX_BIN_DIR/ovnx-nbctl
N=${N:-60}
status=0

for kind in $(golden_server_kinds); do
  dir=$GOLDEN_TMP/$kind
  golden_start_server "$kind" "$dir" "$SCHEMA" || { echo "cannot start $kind server" >&2; exit 1; }
  export OVN_NB_DB=$REMOTE
  "$NBCTL" init -- ls-add ls1 -- lsp-add ls1 shared || exit 1
  /usr/bin/python3 "$OVNX_SOURCE_DIR/tests/fixtures/nbctl/concurrent_idl.py" \
    "$REMOTE" "$SCHEMA" "$N" "$dir/stop" >"$dir/python.json" 2>"$dir/python.err" &
  py=$!
  for i in $(seq 1 "$N"); do
    "$NBCTL" lsp-add ls1 "nx$i" &&
      "$NBCTL" lsp-set-addresses shared "00:00:00:00:ff:$(printf %02x "$i") nx" &&
      "$NBCTL" set Logical_Switch ls1 "external_ids:nx=$i" || { echo "nbctl failed at $i"; status=1; }
  done
  touch "$dir/stop"
  if ! wait $py; then
    echo "FAIL: python client against $kind: $(cat "$dir/python.err")" >&2
    status=1
    continue
  fi
  /usr/bin/python3 - "$dir/python.json" "$N" \
    "$("$NBCTL" lsp-list ls1 | sed 's/.*(\(.*\))/\1/' | sort | tr '\n' ' ')" \
    "$(ovn-nbctl lsp-list ls1 | sed 's/.*(\(.*\))/\1/' | sort | tr '\n' ' ')" \
    "$("$NBCTL" lsp-get-addresses shared)" "$(ovn-nbctl lsp-get-addresses shared)" \
    "$("$NBCTL" get Logical_Switch ls1 external_ids)" <<'PY' || status=1
import json, sys
seen = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
ours, real = sys.argv[3].split(), sys.argv[4].split()
want = sorted(["shared"] + ["py%d" % i for i in range(n)] + ["nx%d" % i for i in range(1, n + 1)])
problems = []
if seen["ports"] != want:
    problems.append("python sees %d ports, want %d" % (len(seen["ports"]), len(want)))
if sorted(ours) != want:
    problems.append("ovnx-nbctl sees %d ports, want %d" % (len(ours), len(want)))
if sorted(real) != want:
    problems.append("ovn-nbctl sees %d ports, want %d" % (len(real), len(want)))
if seen["shared_addresses"] != [sys.argv[5]] or sys.argv[5] != sys.argv[6]:
    problems.append("addresses differ: python %r, ovnx %r, real %r"
                    % (seen["shared_addresses"], sys.argv[5], sys.argv[6]))
ext = seen["external_ids"]
if ext.get("py") != str(n - 1) or ext.get("nx") != str(n):
    problems.append("external_ids %r" % ext)
if sys.argv[7] != "{nx=\"%d\", py=\"%d\"}" % (n, n - 1):
    problems.append("ovnx-nbctl external_ids %s" % sys.argv[7])
if problems:
    print("FAIL: " + "; ".join(problems))
    sys.exit(1)
print("PASS: %d ports from two concurrent writers; all three clients agree" % len(want))
PY
done
exit $status
